package endpoints

import (
	"errors"
	"testing"
)

// 7.15: S3 transfer acceleration as the S3 endpoint rule set resolves it.
func TestS3AccelerateEndpointsFollowTheRuleSet(t *testing.T) {
	f := false
	tru := true
	tests := []struct {
		name, bucket string
		p            S3Params
		want, err    string
	}{
		{"virtual", "my-bucket", S3Params{Endpoint: "https://s3.us-west-2.amazonaws.com", Accelerate: true}, "https://my-bucket.s3-accelerate.amazonaws.com", ""},
		{"dualstack", "my-bucket", S3Params{Endpoint: "https://s3.dualstack.us-west-2.amazonaws.com", Accelerate: true, UseDualStack: true}, "https://my-bucket.s3-accelerate.dualstack.amazonaws.com", ""},
		{"use_ssl false", "my-bucket", S3Params{Endpoint: "http://s3.us-west-2.amazonaws.com", Accelerate: true}, "http://my-bucket.s3-accelerate.amazonaws.com", ""},
		{"path style asked", "my-bucket", S3Params{Endpoint: "https://s3.us-west-2.amazonaws.com", Accelerate: true, Style: AddressingPath}, "", "Path-style addressing cannot be used with S3 Accelerate"},
		{"ForcePathStyle context param", "my-bucket", S3Params{Endpoint: "https://s3.us-west-2.amazonaws.com", Accelerate: true, ForcePathStyle: &tru}, "", "Path-style addressing cannot be used with S3 Accelerate"},
		{"ForcePathStyle=false beats path", "my-bucket", S3Params{Endpoint: "https://s3.us-west-2.amazonaws.com", Accelerate: true, Style: AddressingPath, ForcePathStyle: &f}, "https://my-bucket.s3-accelerate.amazonaws.com", ""},
		{"dotted bucket", "my.bucket", S3Params{Endpoint: "https://s3.us-west-2.amazonaws.com", Accelerate: true}, "", "Path-style addressing cannot be used with S3 Accelerate"},
		{"fips", "my-bucket", S3Params{Endpoint: "https://s3-fips.us-west-2.amazonaws.com", Accelerate: true, UseFIPS: true}, "", "Accelerate cannot be used with FIPS"},
		{"custom endpoint", "my-bucket", S3Params{Endpoint: "http://localhost:4566", Custom: true, Accelerate: true}, "", "A custom endpoint cannot be combined with S3 Accelerate"},
		{"china", "my-bucket", S3Params{Endpoint: "https://s3.cn-north-1.amazonaws.com.cn", Accelerate: true, PartitionID: "aws-cn"}, "", "S3 Accelerate cannot be used in this region"},
		{"no accelerate ForcePathStyle", "my-bucket", S3Params{Endpoint: "https://s3.us-west-2.amazonaws.com", ForcePathStyle: &tru}, "https://s3.us-west-2.amazonaws.com/my-bucket", ""},
		{"no accelerate ForcePathStyle=false on custom host", "my-bucket", S3Params{Endpoint: "http://localhost:4566", Custom: true, ForcePathStyle: &f}, "http://my-bucket.localhost:4566", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := S3BucketAddress(tc.bucket, tc.p)
			if tc.err != "" {
				var re *RuleError
				if !errors.As(err, &re) || re.Msg != tc.err {
					t.Fatalf("err = %v, want RuleError %q", err, tc.err)
				}
				return
			}
			if err != nil || got.URL != tc.want {
				t.Fatalf("got %+v, %v; want %s", got, err, tc.want)
			}
		})
	}
}

// 3.25, 7.18: DynamoDB's account-id endpoints (rule set of botocore ≥ 1.37).
func TestDynamoDBAccountEndpointsFollowTheRuleSet(t *testing.T) {
	const acct = "123456789012"
	tests := []struct {
		name, region, acct, mode string
		opts                     Options
		want, err                string
	}{
		{"preferred", "us-east-1", acct, "preferred", Options{}, "https://123456789012.ddb.us-east-1.amazonaws.com", ""},
		{"default is preferred", "eu-west-1", acct, "", Options{}, "https://123456789012.ddb.eu-west-1.amazonaws.com", ""},
		{"required", "us-east-1", acct, "required", Options{}, "https://123456789012.ddb.us-east-1.amazonaws.com", ""},
		{"dualstack", "us-east-1", acct, "preferred", Options{UseDualStack: true}, "https://123456789012.ddb.us-east-1.api.aws", ""},
		{"use_ssl false", "us-east-1", acct, "preferred", Options{DisableSSL: true}, "http://123456789012.ddb.us-east-1.amazonaws.com", ""},
		{"disabled", "us-east-1", acct, "disabled", Options{}, "", ""},
		{"preferred without account", "us-east-1", "", "preferred", Options{}, "", ""},
		{"preferred with fips", "us-east-1", acct, "preferred", Options{UseFIPS: true}, "", ""},
		{"other partition preferred", "cn-north-1", acct, "preferred", Options{}, "", ""},
		{"local", "local", acct, "required", Options{}, "", ""},
		{"required without account", "us-east-1", "", "required", Options{}, "", "AccountIdEndpointMode is required but no AccountID was provided or able to be loaded"},
		{"required in china", "cn-north-1", acct, "required", Options{}, "", "Invalid Configuration: AccountIdEndpointMode is required but account endpoints are not supported in this partition"},
		{"required with fips", "us-east-1", acct, "required", Options{UseFIPS: true}, "", "Invalid Configuration: AccountIdEndpointMode is required and FIPS is enabled, but FIPS account endpoints are not supported"},
		{"invalid account id", "us-east-1", "not/an-id", "preferred", Options{}, "", "Credentials-sourced account ID parameter is invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DynamoDBAccountEndpoint(tc.region, tc.acct, tc.mode, tc.opts)
			if tc.err != "" {
				var re *RuleError
				if !errors.As(err, &re) || re.Msg != tc.err {
					t.Fatalf("err = %v, want RuleError %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	for m, ok := range map[string]bool{"preferred": true, "required": true, "disabled": true, "Preferred": false, "bogus": false, "": false} {
		if ValidAccountIDEndpointMode(m) != ok {
			t.Errorf("ValidAccountIDEndpointMode(%q) = %v", m, !ok)
		}
	}
}
