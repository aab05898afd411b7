package session

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/internal/awsconfig"
)

// InvalidProxiesConfigError is botocore's InvalidProxiesConfigError: a
// proxies_config file (proxy_ca_bundle, proxy_client_cert) that cannot be
// loaded (2.51).
type InvalidProxiesConfigError struct{ Err error }

func (e *InvalidProxiesConfigError) Error() string {
	return "Invalid configuration value(s) provided for proxies_config. Error: " + e.Err.Error()
}

func (e *InvalidProxiesConfigError) Unwrap() error { return e.Err }

// proxySettings is botocore's ProxyConfiguration: where each request goes
// and how the connection to an https:// proxy is secured.
type proxySettings struct {
	// explicit are Config.Proxies; when empty, env holds the environment's
	// proxies per scheme, read once at client creation as botocore's
	// get_environ_proxies does at endpoint creation.
	explicit map[string]string
	env      map[string]string
	noProxy  string
	hasEnv   bool

	forwardHTTPS bool
	// ca and cert are proxy_ca_bundle and proxy_client_cert, loaded on the
	// first connection to an https:// proxy: botocore builds the proxy's
	// SSL context with the proxy manager, at the first request through it.
	ca, cert string
	tlsOnce  sync.Once
	tls      *tls.Config
	tlsErr   error
	addrs    map[string]bool
}

// proxyTLS returns the TLS config for https:// proxies, nil when
// proxies_config sets neither file.
func (ps *proxySettings) proxyTLS() (*tls.Config, error) {
	ps.tlsOnce.Do(func() {
		if ps.ca == "" && ps.cert == "" {
			return
		}
		// botocore starts from its default context and adds the proxy's
		// CA to the default trust store.
		c := &tls.Config{MinVersion: tls.VersionTLS12}
		if ps.ca != "" {
			pem, err := os.ReadFile(ps.ca)
			if err != nil {
				ps.tlsErr = &InvalidProxiesConfigError{Err: err}
				return
			}
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				ps.tlsErr = &InvalidProxiesConfigError{Err: fmt.Errorf("%s: no PEM certificates", ps.ca)}
				return
			}
			c.RootCAs = pool
		}
		if ps.cert != "" {
			// A combined certificate and key file, as botocore's string form.
			kp, err := tls.LoadX509KeyPair(ps.cert, ps.cert)
			if err != nil {
				ps.tlsErr = &InvalidProxiesConfigError{Err: err}
				return
			}
			c.Certificates = []tls.Certificate{kp}
		}
		ps.tls = c
	})
	return ps.tls, ps.tlsErr
}

func newProxySettings(cfg *Config, env awsconfig.Env) (*proxySettings, error) {
	ps := &proxySettings{explicit: cfg.Proxies, addrs: map[string]bool{}}
	if len(ps.explicit) == 0 {
		ps.env, ps.noProxy = environProxies(env)
		ps.hasEnv = len(ps.env) > 0
	}
	pc := cfg.ProxiesConfig
	ps.forwardHTTPS = truthy(pc["proxy_use_forwarding_for_https"])
	ps.ca, ps.cert = pc["proxy_ca_bundle"], pc["proxy_client_cert"]
	for _, m := range []map[string]string{ps.explicit, ps.env} {
		for _, p := range m {
			if u, err := url.Parse(fixProxyURL(p)); err == nil && u.Scheme == "https" {
				ps.addrs[hostPort(u)] = true
			}
		}
	}
	return ps, nil
}

// environProxies is Python's getproxies_environment for the schemes
// botocore uses: the lowercase variable wins over the uppercase one (an
// empty lowercase one unsets it), and HTTP_PROXY is ignored under CGI
// (REQUEST_METHOD set, httpoxy).
func environProxies(env awsconfig.Env) (map[string]string, string) {
	get := func(name string) string {
		if v, ok := env(strings.ToLower(name)); ok {
			return v
		}
		if name == "HTTP_PROXY" {
			if _, cgi := env("REQUEST_METHOD"); cgi {
				return ""
			}
		}
		v, _ := env(name)
		return v
	}
	out := map[string]string{}
	for scheme, name := range map[string]string{"http": "HTTP_PROXY", "https": "HTTPS_PROXY"} {
		if v := get(name); v != "" {
			out[scheme] = v
		}
	}
	return out, get("NO_PROXY")
}

// bypass is Python's proxy_bypass_environment: "*" bypasses everything,
// otherwise a host (with or without port) equal to or below an entry.
func bypass(noProxy, host string) bool {
	if noProxy == "" {
		return false
	}
	if noProxy == "*" {
		return true
	}
	host = strings.ToLower(host)
	hostOnly := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		hostOnly = h
	}
	for _, name := range strings.Split(noProxy, ",") {
		name = strings.ToLower(strings.TrimLeft(strings.TrimSpace(name), "."))
		if name == "" {
			continue
		}
		if hostOnly == name || host == name || strings.HasSuffix(hostOnly, "."+name) || strings.HasSuffix(host, "."+name) {
			return true
		}
	}
	return false
}

// fixProxyURL is botocore's _fix_proxy_url: a proxy without a scheme is
// http://.
func fixProxyURL(p string) string {
	switch {
	case strings.HasPrefix(p, "http:"), strings.HasPrefix(p, "https:"):
		return p
	case strings.HasPrefix(p, "//"):
		return "http:" + p
	}
	return "http://" + p
}

// proxyFor returns the proxy for a request URL, nil for a direct connection.
func (ps *proxySettings) proxyFor(u *url.URL) (*url.URL, error) {
	var p string
	if len(ps.explicit) > 0 {
		// Config.Proxies: scheme://host first, then the scheme (3.15).
		var ok bool
		if p, ok = ps.explicit[u.Scheme+"://"+u.Host]; !ok {
			p = ps.explicit[u.Scheme]
		}
	} else if ps.hasEnv && !bypass(ps.noProxy, u.Host) {
		// NO_PROXY applies to the environment's proxies only, as in botocore.
		p = ps.env[u.Scheme]
	}
	if p == "" {
		return nil, nil
	}
	pu, err := url.Parse(fixProxyURL(p))
	if err != nil {
		return nil, fmt.Errorf("session: proxy %q: %w", p, err)
	}
	return pu, nil
}

func (ps *proxySettings) proxyFunc() func(*http.Request) (*url.URL, error) {
	return func(r *http.Request) (*url.URL, error) { return ps.proxyFor(r.URL) }
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// apply wires the settings into tr. The dialer is the one for direct
// connections (connect_timeout, tcp_keepalive).
func (ps *proxySettings) apply(tr *http.Transport, dialer *net.Dialer) http.RoundTripper {
	tr.Proxy = ps.proxyFunc()
	if (ps.ca != "" || ps.cert != "") && len(ps.addrs) > 0 {
		// net/http has one TLS config for proxy and origin; a TLS dialer
		// picks the proxy's for connections to an https:// proxy. Origins
		// reached directly keep the transport's own config.
		origin := tr.TLSClientConfig
		tr.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			c := origin.Clone()
			if ps.addrs[addr] {
				pc, err := ps.proxyTLS()
				if err != nil {
					return nil, err
				}
				c = pc.Clone()
			}
			if c.ServerName == "" {
				c.ServerName, _, _ = net.SplitHostPort(addr)
			}
			d := &tls.Dialer{NetDialer: dialer, Config: c}
			return d.DialContext(ctx, network, addr)
		}
	}
	if !ps.forwardHTTPS {
		return tr
	}
	return &forwardingTransport{Transport: tr, ps: ps, dialer: dialer}
}

// forwardingTransport implements proxy_use_forwarding_for_https (urllib3's
// use_forwarding_for_https): an https request whose proxy is https:// is
// sent to the proxy in absolute form over the TLS connection to the proxy,
// instead of through a CONNECT tunnel. urllib3 ignores the setting for
// http:// proxies, and so does this. net/http has no such mode, hence one
// connection per request here.
type forwardingTransport struct {
	*http.Transport
	ps     *proxySettings
	dialer *net.Dialer
}

func (t *forwardingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" {
		return t.Transport.RoundTrip(req)
	}
	pu, err := t.ps.proxyFor(req.URL)
	if err != nil || pu == nil || pu.Scheme != "https" {
		if err != nil {
			return nil, err
		}
		return t.Transport.RoundTrip(req)
	}
	c, err := t.ps.proxyTLS()
	if err != nil {
		return nil, err
	}
	if c == nil {
		c = t.Transport.TLSClientConfig
	}
	c = c.Clone()
	if c.ServerName == "" {
		c.ServerName = pu.Hostname()
	}
	c.NextProtos = nil
	ctx := req.Context()
	conn, err := (&tls.Dialer{NetDialer: t.dialer, Config: c}).DialContext(ctx, "tcp", hostPort(pu))
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	out := req.Clone(ctx)
	out.Body = req.Body // the body is read once, by WriteProxy
	out.Close = true
	if pu.User != nil {
		pass, _ := pu.User.Password()
		out.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(pu.User.Username()+":"+pass)))
	}
	if t.Transport.ResponseHeaderTimeout > 0 {
		conn.SetDeadline(time.Now().Add(t.Transport.ResponseHeaderTimeout))
	}
	if err := out.WriteProxy(conn); err != nil {
		stop()
		conn.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		stop()
		conn.Close()
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	resp.Body = &connBody{ReadCloser: resp.Body, conn: conn, stop: stop}
	return resp, nil
}

// connBody closes the connection with the body.
type connBody struct {
	io.ReadCloser
	conn net.Conn
	stop func() bool
}

func (b *connBody) Close() error {
	err := b.ReadCloser.Close()
	b.stop()
	b.conn.Close()
	return err
}
