package session

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingProxy is an HTTP(S) proxy on 127.0.0.1 that records what it is
// asked: "CONNECT host:port" for tunnels (which it opens to the target),
// "METHOD absolute-URI" for forwarded requests (which it answers itself as a
// DynamoDB endpoint would).
type recordingProxy struct {
	*httptest.Server
	mu        sync.Mutex
	seen      []string
	auth      []string
	peerCerts int
}

func (p *recordingProxy) record(r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.Method == http.MethodConnect {
		p.seen = append(p.seen, "CONNECT "+r.Host)
	} else {
		p.seen = append(p.seen, r.Method+" "+r.RequestURI)
	}
	p.auth = append(p.auth, r.Header.Get("Proxy-Authorization"))
	if r.TLS != nil {
		p.peerCerts += len(r.TLS.PeerCertificates)
	}
}

func (p *recordingProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

func (p *recordingProxy) authAt(i int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i >= len(p.auth) {
		return "<none>"
	}
	return p.auth[i]
}

func (p *recordingProxy) clientCerts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peerCerts
}

func (p *recordingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.record(r)
	if r.Method != http.MethodConnect {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		io.WriteString(w, `{"TableNames":["via-proxy"]}`)
		return
	}
	target, err := net.DialTimeout("tcp", r.Host, 2*time.Second)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		target.Close()
		return
	}
	io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() { io.Copy(target, buf); done <- struct{}{} }()
	go func() { io.Copy(conn, target); done <- struct{}{} }()
	<-done
	conn.Close()
	target.Close()
	<-done
}

func newRecordingProxy(t *testing.T, tlsCfg *tls.Config) *recordingProxy {
	t.Helper()
	p := &recordingProxy{}
	p.Server = httptest.NewUnstartedServer(p)
	p.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	if tlsCfg != nil {
		p.TLS = tlsCfg
		p.StartTLS()
	} else {
		p.Start()
	}
	t.Cleanup(p.Close)
	return p
}

// origin is a DynamoDB-like endpoint answering "origin".
func newOrigin(t *testing.T, useTLS bool) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		io.WriteString(w, `{"TableNames":["origin"]}`)
	})
	var s *httptest.Server
	if useTLS {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

// certPEM writes srv's certificate as a CA bundle.
func certPEM(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// selfSigned writes a combined certificate+key PEM file of a fresh
// self-signed certificate.
func selfSigned(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "proxy client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "client.pem")
	b := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})...)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func proxySession(t *testing.T, env map[string]string) *Session {
	t.Helper()
	s, err := New(Options{Region: "us-east-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", Env: writeFiles(t, "", "", env)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func listTables(t *testing.T, s *Session, opts ClientOptions) (string, error) {
	t.Helper()
	if opts.Config == nil {
		opts.Config = &Config{}
	}
	opts.Config.Retries = &RetryConfig{TotalMaxAttempts: Int(1)}
	c, err := s.Client("dynamodb", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := c.Call(ctx, "ListTables", nil)
	if err != nil {
		return "", err
	}
	return out.String("TableNames[0]"), nil
}

// 3.15: an http request goes to the proxy in absolute form; an https one
// through a CONNECT tunnel; proxy credentials in the URL become
// Proxy-Authorization; a proxy without a scheme is http:// (botocore's
// _fix_proxy_url).
func TestConfigProxiesForwardHTTPAndTunnelHTTPS_3_15(t *testing.T) {
	proxy := newRecordingProxy(t, nil)
	hostport := strings.TrimPrefix(proxy.URL, "http://")
	s := proxySession(t, nil)

	got, err := listTables(t, s, ClientOptions{EndpointURL: "http://dynamodb.invalid:8000",
		Config: &Config{Proxies: map[string]string{"http": "http://user:pass@" + hostport}}})
	if err != nil || got != "via-proxy" {
		t.Fatalf("http via proxy: %q %v", got, err)
	}
	got, err = listTables(t, s, ClientOptions{EndpointURL: "http://dynamodb.invalid:8000",
		Config: &Config{Proxies: map[string]string{"http": hostport}}})
	if err != nil || got != "via-proxy" {
		t.Fatalf("scheme-less proxy: %q %v", got, err)
	}

	origin := newOrigin(t, true)
	got, err = listTables(t, s, ClientOptions{EndpointURL: origin.URL, CABundle: certPEM(t, origin),
		Config: &Config{Proxies: map[string]string{"https": proxy.URL}}})
	if err != nil || got != "origin" {
		t.Fatalf("https through tunnel: %q %v", got, err)
	}
	want := []string{"POST http://dynamodb.invalid:8000/", "POST http://dynamodb.invalid:8000/", "CONNECT " + strings.TrimPrefix(origin.URL, "https://")}
	if seen := proxy.requests(); strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Errorf("proxy saw %q, want %q", seen, want)
	}
	if proxy.authAt(0) != "Basic dXNlcjpwYXNz" || proxy.authAt(1) != "" {
		t.Errorf("Proxy-Authorization %q, %q", proxy.authAt(0), proxy.authAt(1))
	}
}

// 3.15: without Config.Proxies the environment's HTTP_PROXY/HTTPS_PROXY are
// used (lowercase wins), NO_PROXY bypasses them (suffixes, ports, "*"), and
// NO_PROXY does not apply to Config.Proxies (botocore only consults it in
// get_environ_proxies).
func TestEnvironmentProxiesHonourNoProxy_3_15(t *testing.T) {
	proxy := newRecordingProxy(t, nil)
	origin := newOrigin(t, false)
	originHost := strings.TrimPrefix(origin.URL, "http://")
	for _, tc := range []struct {
		name string
		env  map[string]string
		cfg  map[string]string
		want string
	}{
		{"HTTP_PROXY", map[string]string{"HTTP_PROXY": proxy.URL}, nil, "via-proxy"},
		{"lowercase wins", map[string]string{"HTTP_PROXY": "http://127.0.0.1:1", "http_proxy": proxy.URL}, nil, "via-proxy"},
		{"https_proxy only", map[string]string{"HTTPS_PROXY": proxy.URL}, nil, "origin"},
		{"NO_PROXY host", map[string]string{"HTTP_PROXY": proxy.URL, "NO_PROXY": "example.com, 127.0.0.1"}, nil, "origin"},
		{"no_proxy host:port", map[string]string{"HTTP_PROXY": proxy.URL, "no_proxy": originHost}, nil, "origin"},
		{"NO_PROXY star", map[string]string{"HTTP_PROXY": proxy.URL, "NO_PROXY": "*"}, nil, "origin"},
		{"NO_PROXY other", map[string]string{"HTTP_PROXY": proxy.URL, "NO_PROXY": "127.0.0.2"}, nil, "via-proxy"},
		{"CGI ignores HTTP_PROXY", map[string]string{"HTTP_PROXY": proxy.URL, "REQUEST_METHOD": "GET"}, nil, "origin"},
		{"Config.Proxies ignore NO_PROXY", map[string]string{"NO_PROXY": "*"}, map[string]string{"http": proxy.URL}, "via-proxy"},
		{"Config.Proxies replace the environment", map[string]string{"HTTP_PROXY": proxy.URL}, map[string]string{"https": proxy.URL}, "origin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := listTables(t, proxySession(t, tc.env), ClientOptions{EndpointURL: origin.URL, Config: &Config{Proxies: tc.cfg}})
			if err != nil || got != tc.want {
				t.Errorf("got %q %v, want %q", got, err, tc.want)
			}
		})
	}
}

// Python's proxy_bypass_environment, which botocore's should_bypass_proxies uses.
func TestNoProxyMatching(t *testing.T) {
	for _, tc := range []struct {
		noProxy, host string
		want          bool
	}{
		{"amazonaws.com", "sqs.us-east-1.amazonaws.com", true},
		{".amazonaws.com", "sqs.us-east-1.amazonaws.com", true},
		{"amazonaws.com", "amazonaws.com:443", true},
		{"amazonaws.com", "notamazonaws.com", false},
		{"localhost:8000", "localhost:8000", true},
		{"localhost:8000", "localhost:9000", false},
		{" a.example , B.Example ", "x.b.example", true},
		{"*", "anything", true},
		{"", "anything", false},
		{",,", "anything", false},
	} {
		if got := bypass(tc.noProxy, tc.host); got != tc.want {
			t.Errorf("bypass(%q, %q) = %v", tc.noProxy, tc.host, got)
		}
	}
}

// 2.51: proxy_ca_bundle verifies an https:// proxy separately from the
// origin (even with verify off for the origin, a proxy outside the bundle is
// refused); proxy_client_cert is presented to the proxy; an unreadable file
// is InvalidProxiesConfigError at the first request through the proxy.
func TestProxiesConfigTLSToProxy_2_51(t *testing.T) {
	proxy := newRecordingProxy(t, &tls.Config{ClientAuth: tls.RequestClientCert})
	origin := newOrigin(t, true)
	s := proxySession(t, nil)
	off := false
	opts := func(pc map[string]string) ClientOptions {
		return ClientOptions{EndpointURL: origin.URL, Verify: &off,
			Config: &Config{Proxies: map[string]string{"https": proxy.URL}, ProxiesConfig: pc}}
	}
	clientCert := selfSigned(t)
	got, err := listTables(t, s, opts(map[string]string{"proxy_ca_bundle": certPEM(t, proxy.Server), "proxy_client_cert": clientCert}))
	if err != nil || got != "origin" {
		t.Fatalf("trusted proxy: %q %v", got, err)
	}
	if n := proxy.clientCerts(); n != 1 {
		t.Errorf("proxy received %d client certificates, want 1", n)
	}
	// A bundle holding another CA: the proxy is not trusted.
	_, err = listTables(t, s, opts(map[string]string{"proxy_ca_bundle": clientCert}))
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("untrusted proxy: err = %v", err)
	}
	_, err = listTables(t, s, opts(map[string]string{"proxy_ca_bundle": filepath.Join(t.TempDir(), "missing.pem")}))
	var ipc *InvalidProxiesConfigError
	if !errors.As(err, &ipc) || !strings.HasPrefix(ipc.Error(), "Invalid configuration value(s) provided for proxies_config.") {
		t.Errorf("missing bundle: err = %v", err)
	}
}

// 2.51: proxy_use_forwarding_for_https sends https requests to an https://
// proxy in absolute form, not through CONNECT; for an http:// proxy it is
// ignored, as urllib3 ignores it.
func TestProxyUseForwardingForHTTPS_2_51(t *testing.T) {
	tlsProxy := newRecordingProxy(t, &tls.Config{})
	plainProxy := newRecordingProxy(t, nil)
	s := proxySession(t, nil)
	ca := certPEM(t, tlsProxy.Server)
	creds := "https://u:p@" + strings.TrimPrefix(tlsProxy.URL, "https://")
	got, err := listTables(t, s, ClientOptions{EndpointURL: "https://dynamodb.invalid",
		Config: &Config{Proxies: map[string]string{"https": creds},
			ProxiesConfig: map[string]string{"proxy_ca_bundle": ca, "proxy_use_forwarding_for_https": "true"}}})
	if err != nil || got != "via-proxy" {
		t.Fatalf("forwarded: %q %v", got, err)
	}
	if seen := tlsProxy.requests(); len(seen) != 1 || seen[0] != "POST https://dynamodb.invalid/" || tlsProxy.authAt(0) != "Basic dTpw" {
		t.Errorf("https proxy saw %q auth %q", seen, tlsProxy.authAt(0))
	}
	// Without the setting: a tunnel (which fails, the host does not exist).
	_, err = listTables(t, s, ClientOptions{EndpointURL: "https://dynamodb.invalid",
		Config: &Config{Proxies: map[string]string{"https": tlsProxy.URL}, ProxiesConfig: map[string]string{"proxy_ca_bundle": ca}}})
	if seen := tlsProxy.requests(); err == nil || len(seen) != 2 || seen[1] != "CONNECT dynamodb.invalid:443" {
		t.Errorf("https proxy without forwarding saw %q (err %v)", seen, err)
	}
	_, err = listTables(t, s, ClientOptions{EndpointURL: "https://dynamodb.invalid",
		Config: &Config{Proxies: map[string]string{"https": plainProxy.URL}, ProxiesConfig: map[string]string{"proxy_use_forwarding_for_https": "true"}}})
	if seen := plainProxy.requests(); err == nil || len(seen) != 1 || seen[0] != "CONNECT dynamodb.invalid:443" {
		t.Errorf("http proxy with forwarding saw %q (err %v)", seen, err)
	}
}

// FuzzProxyFor: no NO_PROXY list, proxy setting or request host panics the
// proxy choice, and a bypassed host never gets the environment's proxy.
func FuzzProxyFor(f *testing.F) {
	f.Add("amazonaws.com,.example", "127.0.0.1:3128", "sqs.us-east-1.amazonaws.com")
	f.Add("*", "//proxy:1", "h:443")
	f.Add(" , .", "http://u:p@[::1]:8080", "[::1]:9000")
	f.Add("a:b:c", "%zz", "")
	f.Fuzz(func(t *testing.T, noProxy, proxy, host string) {
		ps := &proxySettings{env: map[string]string{"http": proxy, "https": proxy}, noProxy: noProxy, hasEnv: true}
		for _, scheme := range []string{"http", "https"} {
			u, err := ps.proxyFor(&url.URL{Scheme: scheme, Host: host})
			if bypass(noProxy, host) && (u != nil || err != nil) {
				t.Fatalf("bypassed host %q got proxy %v, %v", host, u, err)
			}
		}
		ps = &proxySettings{explicit: map[string]string{"http://" + host: proxy}}
		ps.proxyFor(&url.URL{Scheme: "http", Host: host})
	})
}
