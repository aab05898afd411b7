package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// fakeAWS is an httptest server on 127.0.0.1 answering with canned responses
// in order (the last one repeats) and recording every request.
type fakeAWS struct {
	*httptest.Server
	mu        sync.Mutex
	reqs      []recorded
	responses []cannedResponse
}

type cannedResponse struct {
	status int
	header map[string]string
	body   string
}

func newFakeAWS(t *testing.T, responses ...cannedResponse) *fakeAWS {
	f := &fakeAWS{responses: responses}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		n := len(f.reqs)
		f.reqs = append(f.reqs, recorded{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(b)})
		resp := f.responses[min(n, len(f.responses)-1)]
		f.mu.Unlock()
		for k, v := range resp.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(resp.status)
		io.WriteString(w, resp.body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAWS) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func testSession(t *testing.T) *Session {
	t.Helper()
	s, err := New(Options{Region: "us-east-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret",
		Env: writeFiles(t, "", "", nil)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func noSleep(c *Client) *[]time.Duration {
	var slept []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	return &slept
}

// 4.81: json protocol request shape for DynamoDB.
func TestDynamoDBJSONRequest_4_81(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, map[string]string{"x-amzn-RequestId": "RID1", "Content-Type": "application/x-amz-json-1.0"},
		`{"TableNames":["a","b"],"LastEvaluatedTableName":"b"}`})
	c, err := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(context.Background(), "list_tables", Params{"Limit": 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String("TableNames[1]"); got != "b" {
		t.Errorf("TableNames[1] = %q", got)
	}
	if out.ResponseMetadata.RequestID != "RID1" || out.ResponseMetadata.HTTPStatusCode != 200 {
		t.Errorf("metadata = %+v", out.ResponseMetadata)
	}
	r := srv.requests()[0]
	if r.Method != "POST" || r.Path != "/" {
		t.Errorf("%s %s", r.Method, r.Path)
	}
	if got := r.Header.Get("X-Amz-Target"); got != "DynamoDB_20120810.ListTables" {
		t.Errorf("X-Amz-Target = %q", got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/x-amz-json-1.0" {
		t.Errorf("Content-Type = %q", got)
	}
	if !strings.Contains(r.Body, `"Limit":2`) {
		t.Errorf("body = %s", r.Body)
	}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/us-east-1/dynamodb/aws4_request") {
		t.Errorf("Authorization = %q", auth)
	}
	// 4.61: amz-sdk-* and User-Agent are never signed.
	if strings.Contains(auth, "amz-sdk") || strings.Contains(auth, "user-agent") {
		t.Errorf("signed headers include unsigned ones: %s", auth)
	}
	if r.Header.Get("amz-sdk-request") != "attempt=1" || r.Header.Get("amz-sdk-invocation-id") == "" {
		t.Errorf("retry headers: %v", r.Header)
	}
}

// 4.15, 4.16, 4.17: aggregated validation before any request.
func TestParamValidationAggregatesProblems_4_15(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	_, err := c.Call(context.Background(), "ListTables", Params{"Foo": 1, "Limit": "5"})
	var pv *ParamValidationError
	if !errors.As(err, &pv) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		`Unknown parameter in input: "Foo", must be one of: ExclusiveStartTableName, Limit`,
		`Invalid type for parameter Limit, value: 5, type: <class 'str'>, valid types: <class 'int'>`,
	}
	if len(pv.Problems) != 2 || pv.Problems[0] != want[0] || pv.Problems[1] != want[1] {
		t.Errorf("problems = %q", pv.Problems)
	}
	_, err = c.Call(context.Background(), "DescribeTable", Params{})
	if !errors.As(err, &pv) || pv.Problems[0] != `Missing required parameter in input: "TableName"` {
		t.Errorf("missing: %v", err)
	}
	_, err = c.Call(context.Background(), "ListTables", Params{"Limit": 0})
	if !errors.As(err, &pv) || pv.Problems[0] != `Invalid value for parameter Limit, value: 0, valid min value: 1` {
		t.Errorf("min value: %v", err)
	}
	// 4.17: max value is not checked client-side (Limit max 100).
	if _, err := c.Call(context.Background(), "ListTables", Params{"Limit": 1000}); err != nil {
		t.Errorf("max not checked: %v", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests sent, want 1 (only the valid call)", n)
	}
	// 3.13: parameter_validation=False sends wrong types as given.
	c2, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{ParameterValidation: Bool(false)}})
	if _, err := c2.Call(context.Background(), "ListTables", Params{"Limit": 0}); err != nil {
		t.Errorf("validation off: %v", err)
	}
}

// 4.09, 4.84, 4.10: modeled json errors are *APIError usable with errors.As / errors.Is.
func TestJSONErrorIsAPIError_4_84(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{400, map[string]string{"x-amzn-RequestId": "R2"},
		`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	_, err := c.Call(context.Background(), "DescribeTable", Params{"TableName": "nope"})
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	if ae.Code != "ResourceNotFoundException" || ae.HTTPStatus != 400 || ae.RequestID != "R2" || !ae.Modeled {
		t.Errorf("APIError = %+v", ae)
	}
	if got := ae.Error(); got != "An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found" {
		t.Errorf("Error() = %q", got)
	}
	code, ok := c.Exceptions().Code("ResourceNotFoundException")
	if !ok || !errors.Is(err, code) {
		t.Errorf("errors.Is with Exceptions().Code failed")
	}
	if c.Exceptions().FromCode("Bogus") != "ClientError" {
		t.Error("FromCode unknown")
	}
}

// 4.25, 4.27, 4.31: standard mode retries 500s with capped backoff and counts retries.
func TestStandardModeRetries500_4_25(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{500, nil, `{"__type":"InternalServerError","message":"x"}`},
		cannedResponse{500, nil, `{"__type":"InternalServerError","message":"x"}`},
		cannedResponse{200, nil, `{"TableNames":[]}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{Retries: &RetryConfig{Mode: "standard"}}})
	slept := noSleep(c)
	out, err := c.Call(context.Background(), "ListTables", nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.ResponseMetadata.RetryAttempts != 2 {
		t.Errorf("RetryAttempts = %d", out.ResponseMetadata.RetryAttempts)
	}
	if len(*slept) != 2 || (*slept)[0] >= time.Second || (*slept)[1] >= 2*time.Second {
		t.Errorf("delays = %v", *slept)
	}
	reqs := srv.requests()
	if !strings.HasPrefix(reqs[1].Header.Get("amz-sdk-request"), "ttl=") || !strings.HasSuffix(reqs[2].Header.Get("amz-sdk-request"), "attempt=3; max=3") {
		t.Errorf("4.30 amz-sdk-request = %q / %q", reqs[1].Header.Get("amz-sdk-request"), reqs[2].Header.Get("amz-sdk-request"))
	}
	if reqs[0].Header.Get("amz-sdk-invocation-id") != reqs[2].Header.Get("amz-sdk-invocation-id") {
		t.Error("4.30 invocation id changed across retries")
	}
}

// 4.28: the standard quota (500, cost 5) runs out: the 51st failing call makes one attempt.
func TestStandardRetryQuotaExhausts_4_28(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{500, nil, `{"__type":"InternalServerError","message":"x"}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{Retries: &RetryConfig{Mode: "standard"}}})
	noSleep(c)
	var last *APIError
	for i := 0; i < 51; i++ {
		_, err := c.Call(context.Background(), "ListTables", nil)
		errors.As(err, &last)
		if i < 50 && (last.RetryAttempts != 2 || !last.MaxAttemptsReached) {
			t.Fatalf("call %d: %+v", i+1, last)
		}
	}
	if last.RetryAttempts != 0 || !last.RetryQuotaReached {
		t.Errorf("51st call: retries %d quota %v", last.RetryAttempts, last.RetryQuotaReached)
	}
	if n := len(srv.requests()); n != 50*3+1 {
		t.Errorf("%d requests", n)
	}
}

// 4.22, 4.24, 4.32: legacy mode, DynamoDB 10 attempts with 0.05*2^n delays; max_attempts=0 → 1 attempt.
func TestLegacyDynamoDBBackoff_4_24(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{400, nil, `{"__type":"ProvisionedThroughputExceededException","message":"slow"}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	slept := noSleep(c)
	_, err := c.Call(context.Background(), "ListTables", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.RetryAttempts != 9 || !strings.Contains(ae.Error(), "(reached max retries: 9)") {
		t.Fatalf("err = %v", err)
	}
	want := []time.Duration{50, 100, 200, 400, 800, 1600, 3200, 6400, 12800}
	for i, d := range *slept {
		if d != want[i]*time.Millisecond {
			t.Errorf("delay %d = %v want %v", i, d, want[i]*time.Millisecond)
		}
	}
	c0, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{Retries: &RetryConfig{MaxAttempts: Int(0)}}})
	noSleep(c0)
	before := len(srv.requests())
	c0.Call(context.Background(), "ListTables", nil)
	if n := len(srv.requests()) - before; n != 1 {
		t.Errorf("max_attempts=0: %d attempts", n)
	}
}

// 4.23: legacy does not retry SNS-like 400 RequestLimitExceeded; 4.26 standard does not retry bare 429.
func TestRetryNonRetryables_4_23_4_26(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{429, nil, `{"__type":"Whatever","message":"x"}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{Retries: &RetryConfig{Mode: "standard"}}})
	noSleep(c)
	c.Call(context.Background(), "ListTables", nil)
	if n := len(srv.requests()); n != 1 {
		t.Errorf("standard 429: %d attempts", n)
	}
}

// 5.03, 5.10, 5.17: event order, wildcards, before-send short-circuit.
func TestEventsOrderAndBeforeSendShortCircuit_5_03_5_17(t *testing.T) {
	s := testSession(t)
	var order []string
	rec := func(tag string) Handler {
		return func(ctx context.Context, e *Event) (any, error) { order = append(order, tag); return nil, nil }
	}
	ev := s.Events()
	ev.Register("before-call", rec("bare"))
	ev.RegisterLast("before-call.dynamodb", rec("ddb-last"))
	ev.Register("before-call.dynamodb", rec("ddb"))
	ev.RegisterFirst("before-call.dynamodb", rec("ddb-first"))
	ev.Register("before-call.dynamodb.ListTables", rec("op"))
	ev.Register("before-call.*.ListTables", rec("star"))
	var names []string
	for _, n := range []string{"provide-client-params", "before-parameter-build", "request-created", "choose-signer", "before-sign", "needs-retry", "after-call"} {
		ev.Register(n, func(ctx context.Context, e *Event) (any, error) {
			names = append(names, strings.Split(e.Name, ".")[0])
			return nil, nil
		})
	}
	ev.Register("before-send.dynamodb", func(ctx context.Context, e *Event) (any, error) {
		names = append(names, "before-send")
		return &http.Response{StatusCode: 200, Header: http.Header{"X-Amzn-Requestid": {"LOCAL"}}, Body: io.NopCloser(strings.NewReader(`{"TableNames":["x"]}`))}, nil
	})
	c, err := s.Client("dynamodb", ClientOptions{EndpointURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(context.Background(), "ListTables", nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.String("TableNames[0]") != "x" || out.ResponseMetadata.RequestID != "LOCAL" {
		t.Errorf("out = %#v", out)
	}
	if got, want := strings.Join(order, ","), "star,op,ddb-first,ddb,ddb-last,bare"; got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
	if got, want := strings.Join(names, ","), "provide-client-params,before-parameter-build,request-created,choose-signer,before-sign,before-send,after-call"; got != want {
		t.Errorf("sequence = %s\nwant %s", got, want)
	}
}

// 5.09: a client copies the session's handlers at creation.
func TestClientEventsAreACopy_5_09(t *testing.T) {
	s := testSession(t)
	c, _ := s.Client("dynamodb", ClientOptions{EndpointURL: "http://127.0.0.1:1"})
	fired := false
	s.Events().Register("before-call", func(context.Context, *Event) (any, error) { fired = true; return nil, nil })
	c.Events().Register("before-call", func(context.Context, *Event) (any, error) { return &Output{Data: map[string]any{}}, nil })
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	if fired {
		t.Error("session handler registered after client creation reached the client")
	}
	if c.Events() == s.Events() {
		t.Error("client shares the session emitter")
	}
}

// 5.05: unique ids dedupe; Unregister removes.
func TestUniqueIDRegistration_5_05(t *testing.T) {
	ev := NewEvents()
	n := 0
	h := func(context.Context, *Event) (any, error) { n++; return nil, nil }
	ev.Register("x.y", h, UniqueID("a"))
	ev.Register("x.y", h, UniqueID("a"))
	ev.Emit(context.Background(), &Event{Name: "x.y.z"})
	if n != 1 {
		t.Errorf("called %d times", n)
	}
	ev.Unregister("x.y", "a")
	ev.Emit(context.Background(), &Event{Name: "x.y.z"})
	if n != 1 {
		t.Errorf("called after Unregister")
	}
	if _, err := ev.Register("x", h, UniqueID("b"), UniqueIDUsesCount()); err != nil {
		t.Fatal(err)
	}
	if _, err := ev.Register("x", h, UniqueID("b")); err == nil {
		t.Error("mixing counted and uncounted accepted")
	}
}

// 1.32, 1.33, 1.35, 1.36, 1.40, 1.41: client creation errors.
func TestClientCreationErrors(t *testing.T) {
	s, _ := New(Options{Env: writeFiles(t, "", "", nil)})
	var use *UnknownServiceError
	if _, err := s.Client("SQS", ClientOptions{}); !errors.As(err, &use) {
		t.Errorf("1.32: %v", err)
	}
	if _, err := s.Client("sqs", ClientOptions{EndpointURL: "http://127.0.0.1:9"}); !errors.Is(err, ErrNoRegion) {
		t.Errorf("1.36: %v", err)
	}
	if c, err := s.Client("s3", ClientOptions{}); err != nil || c.Meta().Region != "us-east-1" {
		t.Errorf("1.35 s3 without region: %v", err)
	}
	if c, err := s.Client("runtime.sagemaker", ClientOptions{Region: "us-east-1"}); err != nil || c.Meta().ServiceName != "sagemaker-runtime" {
		t.Errorf("1.33: %v", err)
	}
	var iee *InvalidEndpointError
	if _, err := s.Client("dynamodb", ClientOptions{Region: "us-east-1", EndpointURL: "127.0.0.1:9"}); !errors.As(err, &iee) {
		t.Errorf("1.40: %v", err)
	}
	var pce *PartialCredentialsError
	if _, err := s.Client("dynamodb", ClientOptions{Region: "us-east-1", AccessKeyID: "A"}); !errors.As(err, &pce) || pce.Missing != "aws_secret_access_key" {
		t.Errorf("1.41: %v", err)
	}
	var ire *InvalidRegionError
	if _, err := s.Client("dynamodb", ClientOptions{Region: "us east 1"}); !errors.As(err, &ire) {
		t.Errorf("1.08: %v", err)
	}
	// 1.43: missing credentials fail the call, not the creation.
	c, err := s.Client("dynamodb", ClientOptions{Region: "us-east-1", EndpointURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(context.Background(), "ListTables", nil); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("1.43: %v", err)
	}
	// 3.09: UNSIGNED needs no credentials.
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	cu, _ := s.Client("dynamodb", ClientOptions{Region: "us-east-1", EndpointURL: srv.URL, Config: &Config{SignatureVersion: Unsigned}})
	if _, err := cu.Call(context.Background(), "ListTables", nil); err != nil || srv.requests()[0].Header.Get("Authorization") != "" {
		t.Errorf("3.09: %v", err)
	}
}

// 1.34, 3.04, 2.37, 2.38: client config resolution.
func TestClientConfigResolution(t *testing.T) {
	env := writeFiles(t, "[default]\nregion = eu-west-1\nmax_attempts = 7\nretry_mode = standard\n", "", map[string]string{"AWS_MAX_ATTEMPTS": "2"})
	s, _ := New(Options{Env: env, DefaultConfig: &Config{ConnectTimeout: 7 * time.Second, Region: "ap-south-1"}})
	c, err := s.Client("sqs", ClientOptions{Config: &Config{ReadTimeout: 9 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	m := c.Meta()
	if m.Region != "ap-south-1" || m.Config.ConnectTimeout != 7*time.Second || m.Config.ReadTimeout != 9*time.Second {
		t.Errorf("3.27: region %s config %+v", m.Region, m.Config)
	}
	if m.Config.Retries.Mode != "standard" || *m.Config.Retries.TotalMaxAttempts != 2 {
		t.Errorf("2.37 retries = %+v", m.Config.Retries)
	}
	c, _ = s.Client("sqs", ClientOptions{Region: "us-west-2", Config: &Config{Retries: &RetryConfig{MaxAttempts: Int(3)}}})
	if m := c.Meta(); m.Region != "us-west-2" || *m.Config.Retries.TotalMaxAttempts != 4 || m.Config.Retries.Mode != "standard" {
		t.Errorf("2.38 / 1.34: %s %+v", m.Region, m.Config.Retries)
	}
	if m.EndpointURL != "https://sqs.ap-south-1.amazonaws.com" || m.Partition != "aws" || m.Config.SignatureVersion != "v4" {
		t.Errorf("meta = %+v", m)
	}
	if !*m.Config.ParameterValidation || m.Config.MaxPoolConnections != 10 {
		t.Errorf("defaults: %+v", m.Config)
	}
	// 1.38: use_ssl=False.
	c, _ = s.Client("sqs", ClientOptions{UseSSL: Bool(false)})
	if c.Meta().EndpointURL != "http://sqs.ap-south-1.amazonaws.com" {
		t.Errorf("1.38: %s", c.Meta().EndpointURL)
	}
}

// 3.05–3.08: Config validation and Merge.
func TestConfigMergeAndValidate_3_08(t *testing.T) {
	a := &Config{Retries: &RetryConfig{MaxAttempts: Int(2)}, S3: &S3Config{AddressingStyle: "path"}, ConnectTimeout: time.Second}
	b := &Config{Retries: &RetryConfig{Mode: "standard"}, S3: &S3Config{UseAccelerateEndpoint: Bool(true)}}
	m := a.Merge(b)
	if m.Retries.MaxAttempts != nil || m.Retries.Mode != "standard" || m.S3.AddressingStyle != "" || m.ConnectTimeout != time.Second {
		t.Errorf("merge = %+v", m)
	}
	if a.Retries.Mode != "" || b.ConnectTimeout != 0 {
		t.Error("merge mutated an input")
	}
	var ice *InvalidConfigValueError
	for _, bad := range []*Config{{S3: &S3Config{AddressingStyle: "bogus"}}, {Retries: &RetryConfig{Mode: "x"}}, {DefaultsMode: "bogus"}, {RequestMinCompressionSizeBytes: 2 << 20}} {
		if err := bad.Validate(); !errors.As(err, &ice) {
			t.Errorf("Validate(%+v) = %v", bad, err)
		}
	}
}

// 5.20, 4.14: a failed connection fires after-call-error (not after-call)
// and is an *EndpointConnectionError after the retries.
func TestConnectionErrorFiresAfterCallError_5_20(t *testing.T) {
	s := testSession(t)
	var fired []string
	s.Events().Register("after-call", func(ctx context.Context, e *Event) (any, error) { fired = append(fired, "after-call"); return nil, nil })
	s.Events().Register("after-call-error", func(ctx context.Context, e *Event) (any, error) {
		fired = append(fired, "after-call-error")
		return nil, nil
	})
	c, _ := s.Client("dynamodb", ClientOptions{EndpointURL: "http://127.0.0.1:1", Config: &Config{Retries: &RetryConfig{Mode: "standard"}}})
	slept := noSleep(c)
	_, err := c.Call(context.Background(), "ListTables", nil)
	var ece *EndpointConnectionError
	if !errors.As(err, &ece) {
		t.Fatalf("err = %v", err)
	}
	if strings.Join(fired, ",") != "after-call-error" || len(*slept) != 2 {
		t.Errorf("fired %v, %d retries", fired, len(*slept))
	}
}

// 4.12: an error without a parsable body gives the status as code.
func TestUnparsableErrorBodyUsesStatus_4_12(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{502, map[string]string{"Content-Type": "text/html"}, `<html>Bad Gateway</html>`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{Retries: &RetryConfig{TotalMaxAttempts: Int(1)}}})
	_, err := c.Call(context.Background(), "ListTables", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "502" || ae.HTTPStatus != 502 {
		t.Errorf("err = %#v", err)
	}
}

// 5.18: a needs-retry handler returning a duration forces a retry.
func TestNeedsRetryHandlerForcesRetry_5_18(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{400, nil, `{"__type":"ValidationException","message":"x"}`}, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	slept := noSleep(c)
	c.Events().Register("needs-retry.dynamodb", func(ctx context.Context, e *Event) (any, error) {
		if e.Attempts == 1 {
			return 3 * time.Second, nil
		}
		return nil, nil
	})
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	if len(*slept) != 1 || (*slept)[0] != 3*time.Second {
		t.Errorf("slept %v", *slept)
	}
}
