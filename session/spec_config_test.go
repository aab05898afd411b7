package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// 3.02, 3.03: a client's resolved config fills botocore's defaults for the
// options the caller left unset.
func TestResolvedConfigDefaults_3_02(t *testing.T) {
	c, err := testSession(t).Client("dynamodb", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := c.Meta().Config
	if m.ConnectTimeout != 60*time.Second || m.ReadTimeout != 60*time.Second {
		t.Errorf("3.02 timeouts = %v / %v, want 60s", m.ConnectTimeout, m.ReadTimeout)
	}
	if !boolOr(m.ParameterValidation, false) || m.MaxPoolConnections != 10 || !boolOr(m.InjectHostPrefix, false) {
		t.Errorf("3.02 parameter_validation/max_pool_connections/inject_host_prefix = %v/%d/%v",
			*m.ParameterValidation, m.MaxPoolConnections, *m.InjectHostPrefix)
	}
	if m.Proxies != nil || m.ClientCert != "" || m.DefaultsMode != "" || m.TCPKeepalive != nil {
		t.Errorf("3.02 None defaults changed: %+v", m)
	}
	// 3.03: newer options resolved as botocore 1.43's client.meta.config shows them.
	if m.RequestMinCompressionSizeBytes != 10240 || boolOr(m.DisableRequestCompression, true) ||
		m.RequestChecksumCalculation != "when_supported" || m.ResponseChecksumValidation != "when_supported" {
		t.Errorf("3.03 = %d %v %q %q", m.RequestMinCompressionSizeBytes, *m.DisableRequestCompression,
			m.RequestChecksumCalculation, m.ResponseChecksumValidation)
	}
}

// 3.10, 3.11: user_agent replaces the base and still gets " Botocore/<ver>";
// user_agent_appid adds app/<id> with disallowed characters as "-";
// user_agent_extra goes last.
func TestUserAgentOptions_3_10(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	s := testSession(t)
	c, _ := s.Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{UserAgent: "CustomUA/1"}})
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{UserAgentAppID: "my app", UserAgentExtra: "myapp/1.0"}})
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if got := reqs[0].Header.Get("User-Agent"); !strings.HasPrefix(got, "CustomUA/1 Botocore/") {
		t.Errorf("3.10 user_agent: %q", got)
	}
	got := reqs[1].Header.Get("User-Agent")
	if !strings.HasSuffix(got, " myapp/1.0") {
		t.Errorf("3.10 user_agent_extra not last: %q", got)
	}
	if !strings.Contains(got, " app/my-app ") {
		t.Errorf("3.11 appid: %q", got)
	}
	// 3.11 also reads AWS_SDK_UA_APP_ID.
	s2, _ := New(Options{Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "b",
		Env: writeFiles(t, "", "", map[string]string{"AWS_SDK_UA_APP_ID": "envapp"})})
	c, _ = s2.Client("dynamodb", ClientOptions{})
	if !strings.Contains(c.Meta().Config.UserAgent, "app/envapp") {
		t.Errorf("3.11 env appid: %q", c.Meta().Config.UserAgent)
	}
}

// 3.12: a read timeout breach is a retryable error in standard mode.
func TestReadTimeoutIsRetried_3_12(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select {
			case <-release:
			case <-time.After(5 * time.Second):
			}
		}
		io.WriteString(w, `{"TableNames":[]}`)
	}))
	defer srv.Close()
	defer close(release)
	c, err := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL,
		Config: &Config{ReadTimeout: 100 * time.Millisecond, Retries: &RetryConfig{Mode: "standard"}}})
	if err != nil {
		t.Fatal(err)
	}
	noSleep(c)
	out, err := c.Call(context.Background(), "ListTables", nil)
	if err != nil {
		t.Fatalf("read timeout not retried: %v", err)
	}
	if out.ResponseMetadata.RetryAttempts != 1 {
		t.Errorf("RetryAttempts = %d, want 1", out.ResponseMetadata.RetryAttempts)
	}
}

// 3.14, 3.21: max_pool_connections sizes the pool; tcp_keepalive is off
// unless asked for (botocore sets SO_KEEPALIVE only with tcp_keepalive=True).
func TestPoolAndKeepalive_3_14(t *testing.T) {
	c, _ := testSession(t).Client("dynamodb", ClientOptions{Config: &Config{MaxPoolConnections: 50}})
	tr, ok := c.httpClient.Transport.(*http.Transport)
	if !ok || tr.MaxIdleConnsPerHost != 50 {
		t.Fatalf("3.14 transport pool = %+v", c.httpClient.Transport)
	}
	if d := newDialer(c.Meta().Config); d.KeepAlive >= 0 {
		t.Errorf("3.21 default keepalive = %v, want disabled", d.KeepAlive)
	}
	c, _ = testSession(t).Client("dynamodb", ClientOptions{Config: &Config{TCPKeepalive: Bool(true)}})
	if d := newDialer(c.Meta().Config); d.KeepAlive <= 0 {
		t.Errorf("3.21 tcp_keepalive=True keepalive = %v", d.KeepAlive)
	}
}

// 3.15: proxies maps a scheme to a proxy; the request goes through it with
// the absolute target URL.
func TestProxiesRouteRequests_3_15(t *testing.T) {
	var seen string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.URL.String()
		io.WriteString(w, `{"TableNames":["viaproxy"]}`)
	}))
	defer proxy.Close()
	c, err := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: "http://dynamodb.invalid:8000",
		Config: &Config{Proxies: map[string]string{"http": proxy.URL}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(context.Background(), "ListTables", nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.String("TableNames[0]") != "viaproxy" || seen != "http://dynamodb.invalid:8000/" {
		t.Errorf("proxy saw %q, out %v", seen, out.Data)
	}
	// scheme://host beats the bare scheme.
	ps := &proxySettings{explicit: map[string]string{"http": "http://a:1", "http://h.example": "http://b:2"}}
	r, _ := http.NewRequest("GET", "http://h.example/x", nil)
	if u, _ := ps.proxyFunc()(r); u == nil || u.Host != "b:2" {
		t.Errorf("scheme://host proxy = %v", u)
	}
}

// 3.16, 3.17, 3.24: s3 sub-options and retries as client.meta.config holds them.
func TestS3AndRetryOptions_3_16(t *testing.T) {
	s := testSession(t)
	c, _ := s.Client("s3", ClientOptions{Config: &Config{S3: &S3Config{AddressingStyle: "path", USEast1RegionalEndpoint: "regional"}}})
	if c.Meta().Config.S3.AddressingStyle != "path" || c.Meta().EndpointURL != "https://s3.us-east-1.amazonaws.com" {
		t.Errorf("3.16: %+v %s", c.Meta().Config.S3, c.Meta().EndpointURL)
	}
	// 3.17: max_attempts counts retries, total_max_attempts wins when both are set.
	for _, tc := range []struct {
		r    RetryConfig
		want int
	}{{RetryConfig{MaxAttempts: Int(2)}, 3}, {RetryConfig{MaxAttempts: Int(2), TotalMaxAttempts: Int(5)}, 5}, {RetryConfig{TotalMaxAttempts: Int(1)}, 1}} {
		c, _ := s.Client("dynamodb", ClientOptions{Config: &Config{Retries: &tc.r}})
		if got := c.Meta().Config.Retries.TotalMaxAttempts; got == nil || *got != tc.want {
			t.Errorf("3.17 %+v → %v, want %d", tc.r, got, tc.want)
		}
		if c.retry.max != tc.want {
			t.Errorf("3.17 retryer max = %d, want %d", c.retry.max, tc.want)
		}
	}
	// 3.24: defaults_mode standard switches to standard retries and a 3.1 s connect timeout.
	c, _ = s.Client("dynamodb", ClientOptions{Config: &Config{DefaultsMode: "standard"}})
	if m := c.Meta().Config; m.Retries.Mode != "standard" || m.ConnectTimeout != 3100*time.Millisecond {
		t.Errorf("3.24 standard: %+v %v", m.Retries, m.ConnectTimeout)
	}
	c, _ = s.Client("dynamodb", ClientOptions{Config: &Config{DefaultsMode: "mobile"}})
	if m := c.Meta().Config; m.ConnectTimeout != 30*time.Second {
		t.Errorf("3.24 mobile: %v", m.ConnectTimeout)
	}
	c, _ = s.Client("dynamodb", ClientOptions{Config: &Config{DefaultsMode: "legacy"}})
	if m := c.Meta().Config; m.Retries.Mode != "legacy" || m.ConnectTimeout != 60*time.Second {
		t.Errorf("3.24 legacy changes nothing: %+v %v", m.Retries, m.ConnectTimeout)
	}
	// 3.06: validation of retries.
	var ice *InvalidConfigValueError
	if _, err := s.Client("dynamodb", ClientOptions{Config: &Config{Retries: &RetryConfig{Mode: "bogus"}}}); !errors.As(err, &ice) {
		t.Errorf("3.06 bad mode: %v", err)
	}
}

// 3.20: FIPS and dual-stack are ignored with a custom endpoint.
func TestFIPSIgnoredWithCustomEndpoint_3_20(t *testing.T) {
	s := testSession(t)
	c, _ := s.Client("sqs", ClientOptions{Region: "us-west-2", Config: &Config{UseFIPSEndpoint: Bool(true)}})
	if got := c.Meta().EndpointURL; got != "https://sqs-fips.us-west-2.amazonaws.com" {
		t.Errorf("fips = %s", got)
	}
	c, _ = s.Client("sqs", ClientOptions{Region: "us-west-2", EndpointURL: "http://127.0.0.1:9", Config: &Config{UseFIPSEndpoint: Bool(true), UseDualstackEndpoint: Bool(true)}})
	if got := c.Meta().EndpointURL; got != "http://127.0.0.1:9" {
		t.Errorf("custom endpoint = %s", got)
	}
}
