package session

import (
	"context"
	"errors"
	"testing"
)

// 2.44–2.48, 2.42, 1.35, 7.05: endpoint resolution at client creation.
func TestClientEndpointResolution(t *testing.T) {
	cases := []struct {
		name, config     string
		env              map[string]string
		service, region  string
		opts             ClientOptions
		wantURL, wantReg string
		wantErr          error
	}{
		{"2.44 AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL", "", map[string]string{"AWS_ENDPOINT_URL": "http://all:1", "AWS_ENDPOINT_URL_DYNAMODB": "http://ddb:2"}, "dynamodb", "us-east-1", ClientOptions{}, "http://ddb:2", "us-east-1", nil},
		{"2.44 explicit endpoint beats env", "", map[string]string{"AWS_ENDPOINT_URL": "http://all:1"}, "sqs", "us-east-1", ClientOptions{EndpointURL: "http://mine:3"}, "http://mine:3", "us-east-1", nil},
		{"2.44 profile endpoint_url", "[default]\nendpoint_url = http://prof:4\n", nil, "sqs", "us-east-1", ClientOptions{}, "http://prof:4", "us-east-1", nil},
		{"2.47 services section", "[default]\nservices = local\n[services local]\nsqs =\n  endpoint_url = http://svc:5\n", nil, "sqs", "us-east-1", ClientOptions{}, "http://svc:5", "us-east-1", nil},
		{"2.46 ignore configured endpoints", "", map[string]string{"AWS_ENDPOINT_URL": "http://all:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, "sqs", "us-east-1", ClientOptions{}, "https://sqs.us-east-1.amazonaws.com", "us-east-1", nil},
		{"2.48 configured endpoint still needs a region", "", map[string]string{"AWS_ENDPOINT_URL": "http://all:1"}, "sqs", "", ClientOptions{}, "", "", ErrNoRegion},
		{"2.42 FIPS from env", "", map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, "sqs", "us-west-2", ClientOptions{}, "https://sqs-fips.us-west-2.amazonaws.com", "us-west-2", nil},
		{"1.35 iam without region is global", "", nil, "iam", "", ClientOptions{}, "https://iam.amazonaws.com", "aws-global", nil},
		{"7.05 iam from eu-west-1 is global", "", nil, "iam", "eu-west-1", ClientOptions{}, "https://iam.amazonaws.com", "aws-global", nil},
		{"7.09 ses host is email", "", nil, "ses", "us-west-2", ClientOptions{}, "https://email.us-west-2.amazonaws.com", "us-west-2", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(Options{Region: tc.region, Env: writeFiles(t, tc.config, "", tc.env)})
			if err != nil {
				t.Fatal(err)
			}
			c, err := s.Client(tc.service, tc.opts)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m := c.Meta(); m.EndpointURL != tc.wantURL || m.Region != tc.wantReg {
				t.Errorf("endpoint %s region %s, want %s %s", m.EndpointURL, m.Region, tc.wantURL, tc.wantReg)
			}
		})
	}
}

// 7.05, 4.66: IAM signs for us-east-1 from any aws region.
func TestIAMSignsUSEast1_4_66(t *testing.T) {
	s, _ := New(Options{Region: "eu-west-1", AccessKeyID: "AK", SecretAccessKey: "SK", Env: writeFiles(t, "", "", nil)})
	c, err := s.Client("iam", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var auth string
	c.Events().Register("before-send", func(ctx context.Context, e *Event) (any, error) {
		auth = e.Request.Header.Get("Authorization")
		return nil, errStop
	})
	c.Call(context.Background(), "ListUsers", nil)
	if !containsSub(auth, "/us-east-1/iam/aws4_request") {
		t.Errorf("Authorization = %s", auth)
	}
}

// 1.41: a client token alone is ignored; key+secret are client-only credentials.
func TestClientCredentialArguments_1_41(t *testing.T) {
	s, _ := New(Options{Region: "us-east-1", AccessKeyID: "SESSION", SecretAccessKey: "S", SessionToken: "STOK", Env: writeFiles(t, "", "", nil)})
	grab := func(c *Client) (string, string) {
		var auth, tok string
		c.Events().Register("before-send", func(ctx context.Context, e *Event) (any, error) {
			auth, tok = e.Request.Header.Get("Authorization"), e.Request.Header.Get("X-Amz-Security-Token")
			return nil, errStop
		})
		c.Call(context.Background(), "ListTables", nil)
		return auth, tok
	}
	c1, _ := s.Client("dynamodb", ClientOptions{SessionToken: "IGNORED"})
	if a, tok := grab(c1); !containsSub(a, "Credential=SESSION/") || tok != "STOK" {
		t.Errorf("token alone: %s %s", a, tok)
	}
	c2, _ := s.Client("dynamodb", ClientOptions{AccessKeyID: "CLIENT", SecretAccessKey: "X"})
	if a, tok := grab(c2); !containsSub(a, "Credential=CLIENT/") || tok != "" {
		t.Errorf("client keys: %s token %q (session token must not be inherited)", a, tok)
	}
}

func containsSub(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
