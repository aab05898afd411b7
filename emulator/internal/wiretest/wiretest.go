// Package wiretest drives an emulator through the real wire for service
// tests: the model-driven codec of the service marshals each request and
// unmarshals each response, exactly as an SDK would, over emu.Transport().
// It is shared by the emulator/<service> test suites so each one states
// AWS's behaviour rather than re-writing the client.
package wiretest

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// Client calls one service of an emulator.
type Client struct {
	T       testing.TB
	service string
	svc     *model.Service
	codec   protocol.Codec
	http    *http.Client
	url     *url.URL
	region  string
	creds   *sigv4.Credentials
	clock   func() time.Time
	keyID   string
	anon    bool

	signOpts []sigv4.Option
}

// Option configures a Client made by New.
type Option func(*clientOptions)

type clientOptions struct {
	region, protocol, keyID string
	endpoint                string
	anonymous               bool
	creds                   *sigv4.Credentials
	clock                   func() time.Time
	baseURL                 string
	hc                      *http.Client
	signOpts                []sigv4.Option
}

// BaseURL sends requests to url (its scheme, host and any path prefix)
// without leaving the transport in use: over the in-process transport a
// service sees that Host, as it would behind "fakecloud serve" at it (S3's
// Location and virtual-host addressing depend on it).
func BaseURL(url string) Option { return func(o *clientOptions) { o.baseURL = url } }

// HTTPClient sends requests through hc (say, one with a CheckRedirect or a
// transport of its own) instead of the emulator's in-process transport.
func HTTPClient(hc *http.Client) Option { return func(o *clientOptions) { o.hc = hc } }

// SignOptions adds sigv4 options to the real signatures of Signed (S3's
// sigv4.WithUnsignedPayload and sigv4.ContentSHA256Header).
func SignOptions(opts ...sigv4.Option) Option {
	return func(o *clientOptions) { o.signOpts = append(o.signOpts, opts...) }
}

// Region signs requests for region instead of us-east-1.
func Region(region string) Option { return func(o *clientOptions) { o.region = region } }

// AccessKey sends an unverified signature with this access key id instead
// of AKIDEXAMPLE: a 12-digit key id is that account to the emulator.
func AccessKey(id string) Option { return func(o *clientOptions) { o.keyID = id } }

// Protocol speaks another wire protocol of the service than its model's
// first ("query" for SQS as boto3 1.26 and the AWS CLI v2.9 speak it),
// with the model's protocol variant when there is one.
func Protocol(name string) Option { return func(o *clientOptions) { o.protocol = name } }

// Endpoint sends requests over real HTTP to a running server (an
// emulator.NewTestServer's URL) instead of the emulator's in-process
// transport, for tests of what the emulator derives from the Host it was
// reached at (URLs it hands out, such as SNS's SigningCertURL).
func Endpoint(url string) Option { return func(o *clientOptions) { o.endpoint = url } }

// Anonymous sends requests without an Authorization header, as an
// unauthenticated caller (STS's AssumeRoleWithWebIdentity) does.
func Anonymous() Option { return func(o *clientOptions) { o.anonymous = true } }

// Signed signs every request with real SigV4 for creds (a session token
// becomes X-Amz-Security-Token), at the time now returns (nil: time.Now),
// for emulators that verify signatures.
func Signed(creds sigv4.Credentials, now func() time.Time) Option {
	return func(o *clientOptions) { o.creds, o.clock = &creds, now }
}

// New returns a client of service (a botocore service name) on emu, signed
// for us-east-1 with an unverified SigV4 header unless options say
// otherwise.
func New(t testing.TB, emu *emulator.Emulator, service string, opts ...Option) *Client {
	t.Helper()
	var o clientOptions
	for _, f := range opts {
		f(&o)
	}
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.keyID == "" {
		o.keyID = "AKIDEXAMPLE"
	}
	svc, err := model.Load(service)
	if err != nil {
		t.Fatal(err)
	}
	var codec protocol.Codec
	if o.protocol != "" {
		if v, err := model.LoadProtocolVariant(service, o.protocol); err == nil {
			svc = v
		}
		codec, err = codecs.ByName(o.protocol)
	} else {
		codec, err = codecs.For(svc)
	}
	if err != nil {
		t.Fatal(err)
	}
	if o.clock == nil {
		o.clock = time.Now
	}
	u, _ := url.Parse("https://" + svc.Metadata.EndpointPrefix + "." + o.region + ".amazonaws.com")
	hc := &http.Client{Transport: emu.Transport()}
	if o.endpoint != "" {
		if u, err = url.Parse(o.endpoint); err != nil {
			t.Fatal(err)
		}
		hc = &http.Client{Timeout: time.Minute}
	}
	if o.baseURL != "" {
		if u, err = url.Parse(o.baseURL); err != nil {
			t.Fatal(err)
		}
	}
	if o.hc != nil {
		hc = o.hc
	}
	return &Client{T: t, service: service, svc: svc, codec: codec, http: hc, url: u,
		region: o.region, creds: o.creds, clock: o.clock, keyID: o.keyID, anon: o.anonymous, signOpts: o.signOpts}
}

// Model returns the service model the client marshals with.
func (c *Client) Model() *model.Service { return c.svc }

// Clock is a clock a test moves by hand (emulator.Options.Clock), so
// delays, visibility timeouts and rates run without sleeping.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// NewEmulator starts an emulator serving services and closes it when the
// test ends. Only the first opts value is used; its Services are replaced.
func NewEmulator(t testing.TB, services []string, opts ...emulator.Options) *emulator.Emulator {
	t.Helper()
	var o emulator.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Services = services
	emu, err := emulator.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	return emu
}

// Try calls op and returns its output or error (an *protocol.APIError for
// AWS errors).
func (c *Client) Try(op string, params map[string]any) (map[string]any, error) {
	c.T.Helper()
	resp := c.Raw(op, params)
	defer resp.Body.Close()
	return c.codec.UnmarshalResponse(c.svc.Operations[op], resp)
}

// TryCtx calls op as Try does with the request bound to ctx (a long poll a
// test cancels or times out). Unlike Try, a failure to get any response
// (ctx's deadline or cancellation, say) is returned rather than failing the
// test.
func (c *Client) TryCtx(ctx context.Context, op string, params map[string]any) (map[string]any, error) {
	c.T.Helper()
	resp, err := c.do(ctx, op, params)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return c.codec.UnmarshalResponse(c.svc.Operations[op], resp)
}

// Raw sends op marshalled and signed as Try does and returns the HTTP
// response undecoded, for tests that pin the wire form of an answer (error
// __type, headers). The caller closes its Body.
func (c *Client) Raw(op string, params map[string]any) *http.Response {
	c.T.Helper()
	resp, err := c.do(context.Background(), op, params)
	if err != nil {
		c.T.Fatalf("%s: %v", op, err)
	}
	return resp
}

// do marshals, signs and sends op with ctx; it fails the test on a client
// side fault (unknown operation, marshal or sign error) and returns the
// transport's error.
func (c *Client) do(ctx context.Context, op string, params map[string]any) (*http.Response, error) {
	c.T.Helper()
	o := c.svc.Operations[op]
	if o == nil {
		c.T.Fatalf("no operation %s", op)
	}
	req, err := c.codec.MarshalRequest(ctx, o, c.url, params)
	if err != nil {
		c.T.Fatalf("%s: marshal: %v", op, err)
	}
	scope := c.svc.Metadata.ResolvedSigningName()
	if c.creds != nil {
		if _, err := sigv4.Sign(req, *c.creds, scope, c.region, c.clock(), c.signOpts...); err != nil {
			c.T.Fatalf("%s: sign: %v", op, err)
		}
	} else if !c.anon {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+c.keyID+"/20240102/"+c.region+"/"+scope+"/aws4_request, SignedHeaders=host, Signature=00")
	}
	return c.http.Do(req)
}

// Call calls op and fails the test on any error.
func (c *Client) Call(op string, params map[string]any) map[string]any {
	c.T.Helper()
	out, err := c.Try(op, params)
	if err != nil {
		c.T.Fatalf("%s: %v", op, err)
	}
	return out
}

// WantErr asserts that op fails with an AWS error code (and, when status is
// not 0, that HTTP status), and returns the error.
func (c *Client) WantErr(op string, params map[string]any, code string, status int) *protocol.APIError {
	c.T.Helper()
	_, err := c.Try(op, params)
	var ae *protocol.APIError
	if !errors.As(err, &ae) {
		c.T.Fatalf("%s: want %s, got %v", op, code, err)
	}
	if ae.Code != code || (status != 0 && ae.StatusCode != status) {
		c.T.Fatalf("%s: want %s/%d, got %s/%d %q", op, code, status, ae.Code, ae.StatusCode, ae.Message)
	}
	return ae
}
