package endpoints

import (
	"errors"
	"testing"
)

// Hostname table: the facts of session-spec §7 (7.03–7.09, 2.41, 2.42).
func TestResolveHostnames(t *testing.T) {
	cases := []struct {
		name, service, region string
		opts                  Options
		url, signingRegion    string
		signingName           string
	}{
		{"regional template", "sqs", "us-east-1", Options{}, "https://sqs.us-east-1.amazonaws.com", "us-east-1", "sqs"},
		{"china suffix", "sqs", "cn-north-1", Options{}, "https://sqs.cn-north-1.amazonaws.com.cn", "cn-north-1", "sqs"},
		{"iso suffix", "secretsmanager", "us-iso-east-1", Options{}, "https://secretsmanager.us-iso-east-1.c2s.ic.gov", "us-iso-east-1", "secretsmanager"},
		{"eusc suffix", "sqs", "eusc-de-east-1", Options{}, "https://sqs.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1", "sqs"},
		{"unknown region uses aws template", "dynamodb", "xx-bogus-1", Options{}, "https://dynamodb.xx-bogus-1.amazonaws.com", "xx-bogus-1", "dynamodb"},
		{"iam global from any aws region", "iam", "eu-west-1", Options{}, "https://iam.amazonaws.com", "us-east-1", "iam"},
		{"iam china", "iam", "cn-north-1", Options{}, "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1", "iam"},
		{"iam govcloud", "iam", "us-gov-west-1", Options{}, "https://iam.us-gov.amazonaws.com", "us-gov-west-1", "iam"},
		{"iam no region", "iam", "", Options{}, "https://iam.amazonaws.com", "us-east-1", "iam"},
		{"route53 global", "route53", "ap-southeast-2", Options{}, "https://route53.amazonaws.com", "us-east-1", "route53"},
		{"cloudfront global", "cloudfront", "eu-central-1", Options{}, "https://cloudfront.amazonaws.com", "us-east-1", "cloudfront"},
		{"sts aws-global", "sts", "aws-global", Options{}, "https://sts.amazonaws.com", "us-east-1", "sts"},
		{"sts regional by default", "sts", "us-west-2", Options{}, "https://sts.us-west-2.amazonaws.com", "us-west-2", "sts"},
		{"sts legacy global", "sts", "us-west-2", Options{STSRegionalEndpoints: "legacy"}, "https://sts.amazonaws.com", "us-east-1", "sts"},
		{"sts legacy keeps new regions regional", "sts", "ap-east-1", Options{STSRegionalEndpoints: "legacy"}, "https://sts.ap-east-1.amazonaws.com", "ap-east-1", "sts"},
		{"sts legacy with fips stays regional", "sts", "us-east-1", Options{STSRegionalEndpoints: "legacy", UseFIPS: true}, "https://sts-fips.us-east-1.amazonaws.com", "us-east-1", "sts"},
		{"s3 us-east-1 legacy global", "s3", "us-east-1", Options{}, "https://s3.amazonaws.com", "us-east-1", "s3"},
		{"s3 no region", "s3", "", Options{}, "https://s3.amazonaws.com", "us-east-1", "s3"},
		{"s3 us-east-1 regional", "s3", "us-east-1", Options{S3USEast1RegionalEndpoint: "regional"}, "https://s3.us-east-1.amazonaws.com", "us-east-1", "s3"},
		{"s3 dualstack", "s3", "us-west-2", Options{UseDualStack: true}, "https://s3.dualstack.us-west-2.amazonaws.com", "us-west-2", "s3"},
		{"s3 fips", "s3", "us-west-2", Options{UseFIPS: true}, "https://s3-fips.us-west-2.amazonaws.com", "us-west-2", "s3"},
		{"dynamodb local", "dynamodb", "local", Options{}, "http://localhost:8000", "us-east-1", "dynamodb"},
		{"logs fips", "logs", "us-east-1", Options{UseFIPS: true}, "https://logs-fips.us-east-1.amazonaws.com", "us-east-1", "logs"},
		{"sns dualstack", "sns", "us-east-1", Options{UseDualStack: true}, "https://sns.us-east-1.api.aws", "us-east-1", "sns"},
		{"ec2 dualstack", "ec2", "us-west-2", Options{UseDualStack: true}, "https://ec2.us-west-2.api.aws", "us-west-2", "ec2"},
		{"sqs fips", "sqs", "us-west-2", Options{UseFIPS: true}, "https://sqs-fips.us-west-2.amazonaws.com", "us-west-2", "sqs"},
		{"fips pseudo region", "sqs", "fips-us-west-2", Options{}, "https://sqs-fips.us-west-2.amazonaws.com", "us-west-2", "sqs"},
		{"gov fips", "sqs", "us-gov-west-1", Options{UseFIPS: true}, "https://sqs.us-gov-west-1.amazonaws.com", "us-gov-west-1", "sqs"},
		{"ses host email signs ses", "email", "eu-west-1", Options{SigningName: "ses"}, "https://email.eu-west-1.amazonaws.com", "eu-west-1", "ses"},
		{"cloudwatch host monitoring", "monitoring", "us-east-2", Options{}, "https://monitoring.us-east-2.amazonaws.com", "us-east-2", "monitoring"},
		{"use_ssl false", "sqs", "us-east-1", Options{DisableSSL: true}, "http://sqs.us-east-1.amazonaws.com", "us-east-1", "sqs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ep, err := Resolve(c.service, c.region, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if ep.URL != c.url || ep.SigningRegion != c.signingRegion || ep.SigningName != c.signingName {
				t.Errorf("Resolve(%q, %q) = %s signed %s/%s; want %s signed %s/%s",
					c.service, c.region, ep.URL, ep.SigningRegion, ep.SigningName, c.url, c.signingRegion, c.signingName)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	var ve *VariantError
	var ire *InvalidRegionError
	var ice *InvalidConfigError
	if _, err := Resolve("sqs", "", Options{}); !errors.Is(err, ErrNoRegion) {
		t.Errorf("regional service without region: %v, want ErrNoRegion", err)
	}
	if _, err := Resolve("sqs", "us-iso-east-1", Options{UseDualStack: true}); err != nil {
		// botocore skips aws-iso for dual-stack and falls back to the aws partition.
		t.Errorf("iso dual-stack: %v", err)
	}
	if _, err := Resolve("sqs", "eu-isoe-west-1", Options{UseDualStack: true}); !errors.As(err, &ve) {
		t.Errorf("iso-e dual-stack: %v, want *VariantError", err)
	}
	for _, r := range []string{"bad_region", "-us", "12345", "us-east-1.evil.com", "a/b"} {
		if _, err := Resolve("sqs", r, Options{}); !errors.As(err, &ire) {
			t.Errorf("region %q: %v, want *InvalidRegionError", r, err)
		}
	}
	if _, err := Resolve("sts", "us-east-1", Options{STSRegionalEndpoints: "global"}); !errors.As(err, &ice) {
		t.Errorf("bad sts_regional_endpoints: %v", err)
	}
}

func TestPartitionForUnknownRegionIsAWSWithError(t *testing.T) {
	p, err := PartitionForRegion("xx-bogus-1")
	if p != "aws" || !errors.Is(err, ErrUnknownRegion) {
		t.Errorf("got %q, %v", p, err)
	}
}

func TestPartitionsJSONDescribesEveryPartition(t *testing.T) {
	for _, id := range AvailablePartitions() {
		info, ok := Partition(id)
		if !ok || info.DNSSuffix == "" || info.ImplicitGlobalRegion == "" {
			t.Errorf("partition %s: %+v, %v", id, info, ok)
		}
	}
	aws, _ := Partition("aws")
	if aws.DualStackDNSSuffix != "api.aws" || !aws.SupportsFIPS {
		t.Errorf("aws partition: %+v", aws)
	}
}

func TestBucketHost(t *testing.T) {
	cases := []struct {
		bucket, endpoint string
		style            AddressingStyle
		custom           bool
		want             string
	}{
		{"my-bucket", "https://s3.us-west-2.amazonaws.com", "", false, "https://my-bucket.s3.us-west-2.amazonaws.com"},
		{"my.bucket", "https://s3.us-west-2.amazonaws.com", AddressingAuto, false, "https://s3.us-west-2.amazonaws.com/my.bucket"},
		{"My-Bucket", "https://s3.us-west-2.amazonaws.com", AddressingAuto, false, "https://s3.us-west-2.amazonaws.com/My-Bucket"},
		{"my_bucket", "https://s3.us-west-2.amazonaws.com", AddressingAuto, false, "https://s3.us-west-2.amazonaws.com/my_bucket"},
		{"my.bucket", "https://s3.us-west-2.amazonaws.com", AddressingVirtual, false, "https://s3.us-west-2.amazonaws.com/my.bucket"},
		{"my-bucket", "https://s3.us-west-2.amazonaws.com", AddressingPath, false, "https://s3.us-west-2.amazonaws.com/my-bucket"},
		{"my-bucket", "https://s3.amazonaws.com", AddressingAuto, false, "https://my-bucket.s3.amazonaws.com"},
		{"my-bucket", "http://localhost:4566", AddressingAuto, true, "http://localhost:4566/my-bucket"},
		{"my-bucket", "http://localhost:4566", AddressingVirtual, true, "http://my-bucket.localhost:4566"},
		{"my-bucket", "http://127.0.0.1:9000", AddressingVirtual, true, "http://127.0.0.1:9000/my-bucket"},
		{"my-bucket", "http://localhost:4566/prefix", AddressingAuto, true, "http://localhost:4566/prefix/my-bucket"},
		{"my.bucket", "http://localhost:4566", AddressingVirtual, true, "http://my.bucket.localhost:4566"},
		{"192.168.1.1", "https://s3.us-west-2.amazonaws.com", AddressingAuto, false, "https://s3.us-west-2.amazonaws.com/192.168.1.1"},
	}
	for _, c := range cases {
		got, err := BucketHost(c.bucket, c.endpoint, c.style, c.custom)
		if err != nil || got.URL != c.want {
			t.Errorf("BucketHost(%q, %q, %q, %v) = %+v, %v; want %s", c.bucket, c.endpoint, c.style, c.custom, got, err, c.want)
		}
	}
	for _, bad := range []string{"not a url", "127.0.0.1:9", "ftp://x", "http://h/?q=1"} {
		if _, err := BucketHost("b", bad, AddressingAuto, true); err == nil {
			t.Errorf("endpoint %q accepted", bad)
		}
	}
}

func TestConfiguredEndpointURLPrecedence(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	file := ConfigFileValues{
		EndpointURL: "http://profile",
		Services:    map[string]string{"secrets_manager": "http://services-section", "dynamodb": ""},
	}
	cases := []struct {
		name, id string
		env      map[string]string
		cfg      ConfigFileValues
		want     string
		ok       bool
	}{
		{"service env beats all", "Secrets Manager", map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://svc-env", "AWS_ENDPOINT_URL": "http://env"}, file, "http://svc-env", true},
		{"global env beats file", "Secrets Manager", map[string]string{"AWS_ENDPOINT_URL": "http://env"}, file, "http://env", true},
		{"services section beats profile", "Secrets Manager", nil, file, "http://services-section", true},
		{"profile endpoint_url last", "DynamoDB", nil, file, "http://profile", true},
		{"empty env skipped", "DynamoDB", map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "", "AWS_ENDPOINT_URL": ""}, file, "http://profile", true},
		{"nothing configured", "SQS", nil, ConfigFileValues{}, "", false},
		{"ignore via env", "SQS", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE", "AWS_ENDPOINT_URL_SQS": "http://x"}, file, "", false},
		{"ignore via file", "SQS", map[string]string{"AWS_ENDPOINT_URL_SQS": "http://x"}, ConfigFileValues{IgnoreConfiguredEndpointURLs: "true"}, "", false},
		{"env false overrides file true", "SQS", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false", "AWS_ENDPOINT_URL_SQS": "http://x"}, ConfigFileValues{IgnoreConfiguredEndpointURLs: "true"}, "http://x", true},
		{"env empty overrides file true", "SQS", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "", "AWS_ENDPOINT_URL": "http://x"}, ConfigFileValues{IgnoreConfiguredEndpointURLs: "true"}, "http://x", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := ConfiguredEndpointURL(c.id, env(c.env), c.cfg)
			if got != c.want || ok != c.ok {
				t.Errorf("got %q, %v; want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
	for id, want := range map[string]string{
		"DynamoDB": "AWS_ENDPOINT_URL_DYNAMODB", "Secrets Manager": "AWS_ENDPOINT_URL_SECRETS_MANAGER",
		"Elastic Load Balancing v2": "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "CloudWatch Logs": "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
	} {
		if got := EnvVarName(id); got != want {
			t.Errorf("EnvVarName(%q) = %q, want %q", id, got, want)
		}
	}
}
