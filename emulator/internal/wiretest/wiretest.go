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
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

// Client calls one service of an emulator.
type Client struct {
	T       testing.TB
	service string
	svc     *model.Service
	codec   protocol.Codec
	http    *http.Client
	url     *url.URL
}

// New returns a client of service (a botocore service name) on emu, signed
// for us-east-1 with an unverified SigV4 header.
func New(t testing.TB, emu *emulator.Emulator, service string) *Client {
	t.Helper()
	svc, err := model.Load(service)
	if err != nil {
		t.Fatal(err)
	}
	codec, err := codecs.For(svc)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://" + svc.Metadata.EndpointPrefix + ".us-east-1.amazonaws.com")
	return &Client{T: t, service: service, svc: svc, codec: codec, http: &http.Client{Transport: emu.Transport()}, url: u}
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
	o := c.svc.Operations[op]
	if o == nil {
		c.T.Fatalf("no operation %s", op)
	}
	req, err := c.codec.MarshalRequest(context.Background(), o, c.url, params)
	if err != nil {
		c.T.Fatalf("%s: marshal: %v", op, err)
	}
	scope := c.svc.Metadata.ResolvedSigningName()
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/"+scope+"/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := c.http.Do(req)
	if err != nil {
		c.T.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	return c.codec.UnmarshalResponse(o, resp)
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
