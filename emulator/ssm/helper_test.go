package ssm_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/kms"
	_ "github.com/fakecloud/fakecloud/emulator/ssm"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

// client drives the emulator through the real wire: the model-driven json
// codec marshals requests and unmarshals responses, as an SDK would.
type client struct {
	t     testing.TB
	emu   *emulator.Emulator
	svc   *model.Service
	codec protocol.Codec
	http  *http.Client
	url   *url.URL
}

func newClient(t testing.TB, emu *emulator.Emulator) *client {
	t.Helper()
	svc, err := model.Load("ssm")
	if err != nil {
		t.Fatal(err)
	}
	codec, err := codecs.For(svc)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://ssm.us-east-1.amazonaws.com")
	return &client{t: t, emu: emu, svc: svc, codec: codec, http: &http.Client{Transport: emu.Transport()}, url: u}
}

func newEmu(t testing.TB, opts ...emulator.Options) *emulator.Emulator {
	t.Helper()
	var o emulator.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Services = []string{"kms", "ssm"}
	emu, err := emulator.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	return emu
}

func (c *client) try(op string, params map[string]any) (map[string]any, error) {
	c.t.Helper()
	o := c.svc.Operations[op]
	if o == nil {
		c.t.Fatalf("no operation %s", op)
	}
	req, err := c.codec.MarshalRequest(context.Background(), o, c.url, params)
	if err != nil {
		c.t.Fatalf("%s: marshal: %v", op, err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	return c.codec.UnmarshalResponse(o, resp)
}

func (c *client) call(op string, params map[string]any) map[string]any {
	c.t.Helper()
	out, err := c.try(op, params)
	if err != nil {
		c.t.Fatalf("%s: %v", op, err)
	}
	return out
}

// wantErr asserts an AWS error code (and, when status is not 0, the status).
func (c *client) wantErr(op string, params map[string]any, code string, status int) *protocol.APIError {
	c.t.Helper()
	_, err := c.try(op, params)
	var ae *protocol.APIError
	if !errors.As(err, &ae) {
		c.t.Fatalf("%s: want %s, got %v", op, code, err)
	}
	if ae.Code != code || (status != 0 && ae.StatusCode != status) {
		c.t.Fatalf("%s: want %s/%d, got %s/%d %q", op, code, status, ae.Code, ae.StatusCode, ae.Message)
	}
	return ae
}
