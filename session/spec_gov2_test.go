package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// Section 8 maps aws-sdk-go-v2 conventions onto the session; these tests pin
// where the session follows botocore rather than the Go SDK, and the Go-native
// hooks it offers instead.

// 8.01, 8.02: New reads env and files like LoadDefaultConfig, but region
// comes from AWS_DEFAULT_REGION only — AWS_REGION (which Go reads first) is
// not botocore's.
func TestRegionFromEnvIsBotocores_8_02(t *testing.T) {
	s, err := New(Options{Env: writeFiles(t, "", "", map[string]string{"AWS_REGION": "eu-west-1"})})
	if err != nil {
		t.Fatal(err)
	}
	if s.RegionName() != "" {
		t.Errorf("AWS_REGION was read: %q", s.RegionName())
	}
	s, _ = New(Options{Env: writeFiles(t, "[default]\nregion = ap-south-1\n", "", map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2"})})
	if s.RegionName() != "us-west-2" {
		t.Errorf("region = %q, want AWS_DEFAULT_REGION's", s.RegionName())
	}
	s, _ = New(Options{Env: writeFiles(t, "[default]\nregion = ap-south-1\n", "", nil)})
	if s.RegionName() != "ap-south-1" {
		t.Errorf("8.01 file region = %q", s.RegionName())
	}
}

// 8.03, 8.04: AWS_DEFAULT_PROFILE beats AWS_PROFILE (Go reads the other way
// round) and a [profile x] section of the credentials file is the profile
// "profile x" (Go ignores it).
func TestProfileEnvOrderAndCredentialsFileSections_8_03(t *testing.T) {
	cfg := "[profile a]\nregion = eu-west-1\n[profile b]\nregion = eu-west-2\n"
	creds := "[profile c]\naws_access_key_id = C\naws_secret_access_key = CS\n"
	s, err := New(Options{Env: writeFiles(t, cfg, creds, map[string]string{"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"})})
	if err != nil {
		t.Fatal(err)
	}
	if s.ProfileName() != "a" || s.RegionName() != "eu-west-1" {
		t.Errorf("8.03 profile %s region %s", s.ProfileName(), s.RegionName())
	}
	found := false
	for _, p := range s.AvailableProfiles() {
		found = found || p == "profile c"
	}
	if !found {
		t.Errorf("8.04 profiles = %v", s.AvailableProfiles())
	}
	if _, err := New(Options{Profile: "c", Env: writeFiles(t, cfg, creds, nil)}); err == nil {
		t.Error("8.04 profile c should not exist")
	}
}

// 8.05: env credentials are botocore's: AWS_SECURITY_TOKEN is read, the Go
// SDK's AWS_ACCESS_KEY/AWS_SECRET_KEY fallbacks are not.
func TestEnvCredentialNames_8_05(t *testing.T) {
	s, _ := New(Options{Env: writeFiles(t, "", "", map[string]string{"AWS_ACCESS_KEY": "A", "AWS_SECRET_KEY": "S"})})
	if c, err := s.Credentials(context.Background()); err != nil || c != nil {
		t.Errorf("Go-only env names were read: %+v %v", c, err)
	}
	s, _ = New(Options{Env: writeFiles(t, "", "", map[string]string{"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SECURITY_TOKEN": "T"})})
	if c, err := s.Credentials(context.Background()); err != nil || c == nil || c.SessionToken != "T" || c.Method != "env" {
		t.Errorf("env creds = %+v %v", c, err)
	}
}

type countingTransport struct {
	n    atomic.Int32
	body string
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return &http.Response{StatusCode: 200, Header: http.Header{"X-Amzn-Requestid": {"rt"}}, Body: io.NopCloser(strings.NewReader(t.body)), Request: r}, nil
}

// 8.06, 8.20: an *http.Client with a custom RoundTripper, per session or per
// client, carries every request (the recorder / in-process emulator hook).
func TestHTTPClientHook_8_06(t *testing.T) {
	sessRT, clientRT := &countingTransport{body: `{}`}, &countingTransport{body: `{}`}
	s, err := New(Options{Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "b",
		HTTPClient: &http.Client{Transport: sessRT}, Env: writeFiles(t, "", "", nil)})
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := s.Client("dynamodb", ClientOptions{})
	c2, _ := s.Client("dynamodb", ClientOptions{HTTPClient: &http.Client{Transport: clientRT}})
	for _, c := range []*Client{c1, c2} {
		out, err := c.Call(context.Background(), "ListTables", nil)
		if err != nil || out.ResponseMetadata.RequestID != "rt" {
			t.Fatalf("%v %v", out, err)
		}
	}
	if sessRT.n.Load() != 1 || clientRT.n.Load() != 1 {
		t.Errorf("session transport %d, client transport %d", sessRT.n.Load(), clientRT.n.Load())
	}
}

// 8.07, 8.08: a per-client endpoint (Go's o.BaseEndpoint) beats the global
// AWS_ENDPOINT_URL, which beats nothing for the other clients.
func TestPerClientEndpoint_8_07(t *testing.T) {
	s, _ := New(Options{Region: "us-east-1", Env: writeFiles(t, "", "", map[string]string{"AWS_ENDPOINT_URL": "http://all:1"})})
	c1, _ := s.Client("sqs", ClientOptions{})
	c2, _ := s.Client("sqs", ClientOptions{EndpointURL: "http://mine:2"})
	if c1.Meta().EndpointURL != "http://all:1" || c2.Meta().EndpointURL != "http://mine:2" {
		t.Errorf("%s %s", c1.Meta().EndpointURL, c2.Meta().EndpointURL)
	}
}

// 8.10, 8.11, 8.19: standard mode retries what Go's retry.Standard retries
// (500/502/503/504, RequestTimeout, the throttling family), 3 attempts by
// default; AWS_MAX_ATTEMPTS / AWS_RETRY_MODE select the same from the env.
func TestStandardRetryablesMatchGo_8_11(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		retry  bool
	}{
		{502, ``, true}, {503, ``, true}, {504, ``, true}, {500, `{"__type":"InternalFailure"}`, true},
		{400, `{"__type":"RequestTimeoutException","message":"x"}`, true},
		{400, `{"__type":"ThrottlingException","message":"x"}`, true},
		{400, `{"__type":"ProvisionedThroughputExceededException","message":"x"}`, true},
		{400, `{"__type":"ValidationException","message":"x"}`, false},
		{429, `{"__type":"Weird","message":"x"}`, false},
	} {
		srv := newFakeAWS(t, cannedResponse{tc.status, nil, tc.body})
		s, _ := New(Options{Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "b",
			Env: writeFiles(t, "", "", map[string]string{"AWS_RETRY_MODE": "standard"})})
		c, _ := s.Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
		noSleep(c)
		_, err := c.Call(context.Background(), "ListTables", nil)
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("%d: %v", tc.status, err)
		}
		want := 1
		if tc.retry {
			want = 3
		}
		if n := len(srv.requests()); n != want {
			t.Errorf("%d %s: %d attempts, want %d", tc.status, tc.body, n, want)
		}
	}
	srv := newFakeAWS(t, cannedResponse{503, nil, ``})
	s, _ := New(Options{Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "b",
		Env: writeFiles(t, "", "", map[string]string{"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "5"})})
	c, _ := s.Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	noSleep(c)
	c.Call(context.Background(), "ListTables", nil)
	if n := len(srv.requests()); n != 5 {
		t.Errorf("8.19 AWS_MAX_ATTEMPTS=5: %d attempts", n)
	}
}

// 8.14: the error carries what boto3's e.response and Go's smithy errors do:
// code, message, status, request id, headers, retry attempts, operation.
func TestAPIErrorCarriesResponseData_8_14(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{400, map[string]string{"x-amzn-RequestId": "RQ1", "X-Extra": "e"},
		`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"nope"}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	_, err := c.Call(context.Background(), "DescribeTable", Params{"TableName": "tbl"})
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatal(err)
	}
	if ae.Code != "ResourceNotFoundException" || ae.Message != "nope" || ae.HTTPStatus != 400 || ae.RequestID != "RQ1" ||
		ae.Headers.Get("X-Extra") != "e" || ae.RetryAttempts != 0 || ae.Operation != "DescribeTable" {
		t.Errorf("%+v", ae)
	}
	if !errors.Is(err, ErrorCode("ResourceNotFoundException")) {
		t.Error("errors.Is by code")
	}
}
