package session

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// captureRequest runs one call with a before-send handler answering 200 and
// returns the request that would have been sent.
func captureRequest(t *testing.T, c *Client, op string, params Params, body string) *http.Request {
	t.Helper()
	var got *http.Request
	id, _ := c.Events().Register("before-send", func(_ context.Context, e *Event) (any, error) {
		got = e.Request
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}, nil
	})
	defer c.Events().Unregister("before-send", id)
	if _, err := c.Call(context.Background(), op, params); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return got
}

// 7.01, 7.02: partitions come from endpoints.json in file order, matched by
// region membership or regionRegex.
func TestPartitions_7_02(t *testing.T) {
	s := testSession(t)
	got := s.AvailablePartitions()
	want := []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"}
	if len(got) < len(want) {
		t.Fatalf("partitions = %v", got)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("partition %d = %s, want %s (%v)", i, got[i], w, got)
		}
	}
	for r, p := range map[string]string{"eu-foo-9": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "mx-central-1": "aws"} {
		if got, err := s.PartitionForRegion(r); err != nil || got != p {
			t.Errorf("PartitionForRegion(%s) = %s %v, want %s", r, got, err, p)
		}
	}
}

// 7.03, 7.04, 7.06, 7.07, 7.08, 7.09: endpoint templates per partition,
// unknown regions, STS aws-global, DynamoDB local, FIPS and dual-stack.
func TestEndpointTemplates_7_03(t *testing.T) {
	s := testSession(t)
	cases := []struct {
		item, svc, region string
		cfg               *Config
		url, signRegion   string
	}{
		{"7.03", "sqs", "us-east-1", nil, "https://sqs.us-east-1.amazonaws.com", "us-east-1"},
		{"7.03", "sqs", "cn-north-1", nil, "https://sqs.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		{"7.03", "secretsmanager", "us-iso-east-1", nil, "https://secretsmanager.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"},
		{"7.04", "dynamodb", "xx-bogus-1", nil, "https://dynamodb.xx-bogus-1.amazonaws.com", "xx-bogus-1"},
		{"7.06", "sts", "aws-global", nil, "https://sts.amazonaws.com", "us-east-1"},
		{"7.07", "dynamodb", "local", nil, "http://localhost:8000", "us-east-1"},
		{"7.08", "logs", "us-east-1", &Config{UseFIPSEndpoint: Bool(true)}, "https://logs-fips.us-east-1.amazonaws.com", "us-east-1"},
		{"7.08", "sns", "us-east-1", &Config{UseDualstackEndpoint: Bool(true)}, "https://sns.us-east-1.api.aws", "us-east-1"},
		{"7.09", "elbv2", "us-west-2", nil, "https://elasticloadbalancing.us-west-2.amazonaws.com", "us-west-2"},
		{"7.09", "cloudwatch", "us-west-2", nil, "https://monitoring.us-west-2.amazonaws.com", "us-west-2"},
		{"7.05", "iam", "cn-north-1", nil, "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		{"7.05", "route53", "eu-west-1", nil, "https://route53.amazonaws.com", "us-east-1"},
	}
	for _, tc := range cases {
		c, err := s.Client(tc.svc, ClientOptions{Region: tc.region, Config: tc.cfg})
		if err != nil {
			t.Errorf("%s %s %s: %v", tc.item, tc.svc, tc.region, err)
			continue
		}
		if m := c.Meta(); m.EndpointURL != tc.url || m.SigningRegion != tc.signRegion {
			t.Errorf("%s %s %s: %s signed %s, want %s signed %s", tc.item, tc.svc, tc.region, m.EndpointURL, m.SigningRegion, tc.url, tc.signRegion)
		}
	}
	// 7.09: SES is hosted at email.* but signs "ses".
	c, _ := s.Client("ses", ClientOptions{Region: "us-west-2"})
	if c.Meta().SigningName != "ses" {
		t.Errorf("ses signing name = %s", c.Meta().SigningName)
	}
}

// 7.11: endpoints.json gives meta.endpoint_url; a client endpoint_url
// replaces it and forces FIPS/dual-stack off.
func TestCustomEndpointReplacesResolved_7_11(t *testing.T) {
	s := testSession(t)
	c, _ := s.Client("dynamodb", ClientOptions{Region: "us-west-2", EndpointURL: "http://127.0.0.1:4566/",
		Config: &Config{UseFIPSEndpoint: Bool(true)}})
	if m := c.Meta(); m.EndpointURL != "http://127.0.0.1:4566" || m.SigningRegion != "us-west-2" {
		t.Errorf("meta = %s %s", m.EndpointURL, m.SigningRegion)
	}
}

// 7.12, 7.13, 7.14, 7.16, 8.09: S3 addressing (path style is Go's UsePathStyle).
func TestS3Addressing_7_13(t *testing.T) {
	s := testSession(t)
	list := `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></ListBucketResult>`
	cases := []struct {
		item, region, endpoint, style, bucket, want string
	}{
		{"7.12", "us-west-2", "", "", "my-bucket", "https://my-bucket.s3.us-west-2.amazonaws.com/"},
		{"7.12", "us-west-2", "", "", "my.bucket", "https://s3.us-west-2.amazonaws.com/my.bucket"},
		{"7.12", "us-west-2", "", "", "My_Bucket", "https://s3.us-west-2.amazonaws.com/My_Bucket"},
		{"7.13", "us-west-2", "", "virtual", "my.bucket", "https://s3.us-west-2.amazonaws.com/my.bucket"},
		{"7.13", "us-west-2", "", "path", "my-bucket", "https://s3.us-west-2.amazonaws.com/my-bucket"},
		{"7.14", "us-east-1", "", "", "my-bucket", "https://my-bucket.s3.amazonaws.com/"},
		{"7.16", "us-east-1", "http://localhost:4566", "", "my-bucket", "http://localhost:4566/my-bucket"},
		{"7.16", "us-east-1", "http://localhost:4566", "virtual", "my-bucket", "http://my-bucket.localhost:4566/"},
		{"7.16", "us-east-1", "http://127.0.0.1:4566", "virtual", "my-bucket", "http://127.0.0.1:4566/my-bucket"},
		{"7.16", "us-east-1", "http://localhost:4566/prefix", "", "my-bucket", "http://localhost:4566/prefix/my-bucket"},
	}
	for _, tc := range cases {
		cfg := &Config{S3: &S3Config{AddressingStyle: tc.style}}
		c, err := s.Client("s3", ClientOptions{Region: tc.region, EndpointURL: tc.endpoint, Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		r := captureRequest(t, c, "ListObjectsV2", Params{"Bucket": tc.bucket}, list)
		got := r.URL.Scheme + "://" + r.URL.Host + r.URL.EscapedPath()
		if got != tc.want {
			t.Errorf("%s %s %q %s: %s, want %s", tc.item, tc.region, tc.style, tc.bucket, got, tc.want)
		}
	}
}

// 7.17: CreateBucket in us-east-1 has an empty body; elsewhere the
// LocationConstraint is sent only when the caller gives it.
func TestCreateBucketBody_7_17(t *testing.T) {
	s := testSession(t)
	c, _ := s.Client("s3", ClientOptions{Region: "us-east-1"})
	var body []byte
	c.Events().Register("before-send", func(_ context.Context, e *Event) (any, error) {
		body = nil
		if e.Request.GetBody != nil {
			rc, _ := e.Request.GetBody()
			body, _ = io.ReadAll(rc)
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(""))}, nil
	})
	if _, err := c.Call(context.Background(), "CreateBucket", Params{"Bucket": "b1"}); err != nil {
		t.Fatal(err)
	}
	if len(body) != 0 {
		t.Errorf("us-east-1 body = %q", body)
	}
	c2, _ := s.Client("s3", ClientOptions{Region: "eu-west-1"})
	c2.Events().Register("before-send", func(_ context.Context, e *Event) (any, error) {
		body = nil
		if e.Request.GetBody != nil {
			rc, _ := e.Request.GetBody()
			body, _ = io.ReadAll(rc)
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(""))}, nil
	})
	if _, err := c2.Call(context.Background(), "CreateBucket", Params{"Bucket": "b1"}); err != nil {
		t.Fatal(err)
	}
	if len(body) != 0 {
		t.Errorf("eu-west-1 body without caller constraint = %q", body)
	}
	if _, err := c2.Call(context.Background(), "CreateBucket", Params{"Bucket": "b1",
		"CreateBucketConfiguration": map[string]any{"LocationConstraint": "eu-west-1"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "<LocationConstraint>eu-west-1</LocationConstraint>") {
		t.Errorf("eu-west-1 body = %q", body)
	}
	// GetBucketLocation for us-east-1 is an empty element: no value.
	r := `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`
	c3, _ := s.Client("s3", ClientOptions{Region: "us-east-1"})
	c3.Events().Register("before-send", func(_ context.Context, e *Event) (any, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(r))}, nil
	})
	out, err := c3.Call(context.Background(), "GetBucketLocation", Params{"Bucket": "b1"})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := out.Get("LocationConstraint"); ok && v != "" {
		t.Errorf("LocationConstraint = %#v", v)
	}
}
