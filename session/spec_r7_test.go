package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/endpoints"
)

func envCredsSession(t *testing.T, config string, extra map[string]string) *Session {
	t.Helper()
	env := map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"}
	for k, v := range extra {
		env[k] = v
	}
	s, err := New(Options{Region: "us-east-1", Env: writeFiles(t, config, "", env)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustClient(t *testing.T, s *Session, svc string, o ClientOptions) *Client {
	t.Helper()
	c, err := s.Client(svc, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// 3.25, 7.18: with an account id in the credentials (AWS_ACCOUNT_ID or the
// profile's aws_account_id) DynamoDB requests go to
// https://<account>.ddb.<region>.amazonaws.com/; account_id_endpoint_mode
// (Config, AWS_ACCOUNT_ID_ENDPOINT_MODE, profile) preferred|required|disabled.
func TestAccountIDEndpoints_3_25_7_18(t *testing.T) {
	const acct = "123456789012"
	t.Run("env account id, default preferred", func(t *testing.T) {
		c := mustClient(t, envCredsSession(t, "", map[string]string{"AWS_ACCOUNT_ID": acct}), "dynamodb", ClientOptions{})
		if m := c.Meta(); m.Config.AccountIDEndpointMode != "preferred" || m.EndpointURL != "https://dynamodb.us-east-1.amazonaws.com" {
			t.Fatalf("meta mode %q endpoint %q", m.Config.AccountIDEndpointMode, m.EndpointURL)
		}
		req := captureRequest(t, c, "ListTables", Params{}, `{}`)
		if got := req.URL.String(); got != "https://123456789012.ddb.us-east-1.amazonaws.com/" {
			t.Fatalf("URL = %s", got)
		}
		if a := req.Header.Get("Authorization"); !strings.Contains(a, "/us-east-1/dynamodb/aws4_request") {
			t.Fatalf("Authorization = %s", a)
		}
	})
	t.Run("profile aws_account_id, dual-stack", func(t *testing.T) {
		s, err := New(Options{Region: "eu-west-1", Env: writeFiles(t,
			"[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\naws_account_id = "+acct+"\n", "", nil)})
		if err != nil {
			t.Fatal(err)
		}
		c := mustClient(t, s, "dynamodb", ClientOptions{Config: &Config{UseDualstackEndpoint: Bool(true)}})
		if got := captureRequest(t, c, "ListTables", Params{}, `{}`).URL.Host; got != "123456789012.ddb.eu-west-1.api.aws" {
			t.Fatalf("host = %s", got)
		}
	})
	t.Run("disabled by env", func(t *testing.T) {
		c := mustClient(t, envCredsSession(t, "", map[string]string{"AWS_ACCOUNT_ID": acct, "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled"}), "dynamodb", ClientOptions{})
		if got := captureRequest(t, c, "ListTables", Params{}, `{}`).URL.Host; got != "dynamodb.us-east-1.amazonaws.com" {
			t.Fatalf("host = %s", got)
		}
	})
	t.Run("no account id, preferred", func(t *testing.T) {
		c := mustClient(t, envCredsSession(t, "", nil), "dynamodb", ClientOptions{})
		if got := captureRequest(t, c, "ListTables", Params{}, `{}`).URL.Host; got != "dynamodb.us-east-1.amazonaws.com" {
			t.Fatalf("host = %s", got)
		}
	})
	t.Run("required by profile, no account id", func(t *testing.T) {
		c := mustClient(t, envCredsSession(t, "[default]\naccount_id_endpoint_mode = required\n", nil), "dynamodb", ClientOptions{})
		_, err := c.Call(context.Background(), "ListTables", Params{})
		var re *endpoints.RuleError
		if !errors.As(err, &re) || re.Msg != "AccountIdEndpointMode is required but no AccountID was provided or able to be loaded" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Config beats env; custom endpoint used as given", func(t *testing.T) {
		s := envCredsSession(t, "", map[string]string{"AWS_ACCOUNT_ID": acct, "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled"})
		c := mustClient(t, s, "dynamodb", ClientOptions{Config: &Config{AccountIDEndpointMode: "required"}})
		if got := captureRequest(t, c, "ListTables", Params{}, `{}`).URL.Host; got != "123456789012.ddb.us-east-1.amazonaws.com" {
			t.Fatalf("host = %s", got)
		}
		c = mustClient(t, s, "dynamodb", ClientOptions{EndpointURL: "http://127.0.0.1:8000"})
		if got := captureRequest(t, c, "ListTables", Params{}, `{}`).URL.Host; got != "127.0.0.1:8000" {
			t.Fatalf("host = %s", got)
		}
	})
	t.Run("invalid mode", func(t *testing.T) {
		_, err := envCredsSession(t, "", nil).Client("dynamodb", ClientOptions{Config: &Config{AccountIDEndpointMode: "sometimes"}})
		var ie *InvalidConfigValueError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "Valid values are: preferred, required, disabled.") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("other services unaffected", func(t *testing.T) {
		c := mustClient(t, envCredsSession(t, "", map[string]string{"AWS_ACCOUNT_ID": acct}), "sqs", ClientOptions{})
		if got := captureRequest(t, c, "ListQueues", Params{}, `{}`).URL.Host; got != "sqs.us-east-1.amazonaws.com" {
			t.Fatalf("host = %s", got)
		}
	})
}

// 7.15: use_accelerate_endpoint → https://<bucket>.s3-accelerate.amazonaws.com,
// always virtual, signed for the client region; ".dualstack" with dual-stack;
// the rule set's errors for path style, FIPS and a custom endpoint.
func TestS3Accelerate_7_15(t *testing.T) {
	s := testSession(t)
	acc := func(extra *Config) *Client {
		cfg := &Config{Region: "us-west-2", S3: &S3Config{UseAccelerateEndpoint: Bool(true)}}
		return mustClient(t, s, "s3", ClientOptions{Config: cfg.Merge(extra)})
	}
	req := captureRequest(t, acc(nil), "GetObject", Params{"Bucket": "my-bucket", "Key": "a/b.txt"}, "")
	if got := req.URL.String(); got != "https://my-bucket.s3-accelerate.amazonaws.com/a/b.txt" {
		t.Fatalf("URL = %s", got)
	}
	if a := req.Header.Get("Authorization"); !strings.Contains(a, "/us-west-2/s3/aws4_request") {
		t.Fatalf("Authorization = %s", a)
	}
	if got := captureRequest(t, acc(&Config{UseDualstackEndpoint: Bool(true)}), "GetObject", Params{"Bucket": "my-bucket", "Key": "k"}, "").URL.String(); got != "https://my-bucket.s3-accelerate.dualstack.amazonaws.com/k" {
		t.Fatalf("dual-stack URL = %s", got)
	}
	// Presigned URLs take the accelerate host too.
	if u, err := acc(nil).GeneratePresignedURL(context.Background(), "get_object", Params{"Bucket": "my-bucket", "Key": "k"}, time.Hour, ""); err != nil ||
		!strings.HasPrefix(u, "https://my-bucket.s3-accelerate.amazonaws.com/k?") {
		t.Fatalf("presigned = %s, %v", u, err)
	}
	// No bucket: the ordinary regional endpoint.
	if got := captureRequest(t, acc(nil), "ListBuckets", Params{}, "<ListAllMyBucketsResult/>").URL.Host; got != "s3.us-west-2.amazonaws.com" {
		t.Fatalf("ListBuckets host = %s", got)
	}
	for _, tc := range []struct {
		name, bucket string
		extra        *Config
		opts         ClientOptions
		want         string
	}{
		{"dotted bucket", "my.bucket", nil, ClientOptions{}, "Path-style addressing cannot be used with S3 Accelerate"},
		{"path style", "my-bucket", &Config{S3: &S3Config{UseAccelerateEndpoint: Bool(true), AddressingStyle: "path"}}, ClientOptions{}, "Path-style addressing cannot be used with S3 Accelerate"},
		{"fips", "my-bucket", &Config{UseFIPSEndpoint: Bool(true)}, ClientOptions{}, "Accelerate cannot be used with FIPS"},
		{"custom endpoint", "my-bucket", nil, ClientOptions{EndpointURL: "http://localhost:4566"}, "A custom endpoint cannot be combined with S3 Accelerate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.Config = (&Config{Region: "us-west-2", S3: &S3Config{UseAccelerateEndpoint: Bool(true)}}).Merge(tc.extra)
			c := mustClient(t, s, "s3", o)
			_, err := c.Call(context.Background(), "GetObject", Params{"Bucket": tc.bucket, "Key": "k"})
			var re *endpoints.RuleError
			if !errors.As(err, &re) || re.Msg != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// 3.26: client_context_params reach S3 endpoint resolution (accelerate,
// force_path_style); Config.S3 keys of the same name win (use_arn_region).
func TestClientContextParams_3_26(t *testing.T) {
	s := testSession(t)
	c := mustClient(t, s, "s3", ClientOptions{Config: &Config{Region: "us-west-2", ClientContextParams: map[string]any{"accelerate": true}}})
	if got := captureRequest(t, c, "GetObject", Params{"Bucket": "my-bucket", "Key": "k"}, "").URL.String(); got != "https://my-bucket.s3-accelerate.amazonaws.com/k" {
		t.Fatalf("accelerate URL = %s", got)
	}
	c = mustClient(t, s, "s3", ClientOptions{Config: &Config{Region: "us-west-2", ClientContextParams: map[string]any{"force_path_style": true}}})
	if got := captureRequest(t, c, "GetObject", Params{"Bucket": "my-bucket", "Key": "k"}, "").URL.String(); got != "https://s3.us-west-2.amazonaws.com/my-bucket/k" {
		t.Fatalf("force_path_style URL = %s", got)
	}
	c = mustClient(t, s, "s3", ClientOptions{Config: &Config{Region: "us-west-2",
		ClientContextParams: map[string]any{"use_arn_region": true, "disable_multi_region_access_points": true},
		S3:                  &S3Config{UseARNRegion: Bool(false)}}})
	m := c.Meta().Config.S3
	if m.UseARNRegion == nil || *m.UseARNRegion || m.DisableMultiRegionAccessPoints == nil || !*m.DisableMultiRegionAccessPoints {
		t.Fatalf("s3 config = %+v", m)
	}
}
