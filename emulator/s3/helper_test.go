package s3_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/s3"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

const account = "123456789012"

// loadModel returns the embedded S3 model (model.Load), the one the
// emulator core serves: the tests need nothing outside the repository.
func loadModel(tb testing.TB) *model.Service {
	tb.Helper()
	m, err := model.Load("s3")
	if err != nil {
		tb.Fatalf("embedded S3 model: %v", err)
	}
	return m
}

// harness calls S3 handlers in-process through the emulator core.
type harness struct {
	tb     testing.TB
	emu    *emulator.Emulator
	region string
	acct   string
}

var epoch = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func newHarness(tb testing.TB) *harness {
	tb.Helper()
	emu, err := emulator.New(emulator.Options{Services: []string{s3.Name},
		Clock: emulator.SteppingClock(epoch, time.Second), Seed: 7})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { emu.Close() })
	return &harness{tb: tb, emu: emu, region: "us-east-1", acct: account}
}

func (h *harness) in(region string) *harness {
	c := *h
	c.region = region
	return &c
}

func (h *harness) as(acct string) *harness {
	c := *h
	c.acct = acct
	return &c
}

func (h *harness) call(op string, in map[string]any) (map[string]any, error) {
	return h.emu.Call(context.Background(), h.acct, h.region, "s3", op, in)
}

func (h *harness) must(op string, in map[string]any) map[string]any {
	h.tb.Helper()
	out, err := h.call(op, in)
	if err != nil {
		h.tb.Fatalf("%s: %v", op, err)
	}
	return out
}

// fails asserts an AWS error with code and status.
func (h *harness) fails(op string, in map[string]any, code string, status int) *protocol.APIError {
	h.tb.Helper()
	_, err := h.call(op, in)
	var ae *protocol.APIError
	if !errors.As(err, &ae) {
		h.tb.Fatalf("%s: want %s (%d), got %v", op, code, status, err)
	}
	if ae.Code != code || ae.StatusCode != status {
		h.tb.Fatalf("%s: want %s (%d), got %s (%d): %s", op, code, status, ae.Code, ae.StatusCode, ae.Message)
	}
	return ae
}

func (h *harness) bucket(name string) {
	h.tb.Helper()
	in := map[string]any{"Bucket": name}
	if h.region != "us-east-1" {
		in["CreateBucketConfiguration"] = map[string]any{"LocationConstraint": h.region}
	}
	h.must("CreateBucket", in)
}

func (h *harness) put(bucket, key, body string, extra ...map[string]any) map[string]any {
	h.tb.Helper()
	in := map[string]any{"Bucket": bucket, "Key": key, "Body": io.NopCloser(bytes.NewReader([]byte(body)))}
	for _, e := range extra {
		for k, v := range e {
			in[k] = v
		}
	}
	return h.must("PutObject", in)
}

func (h *harness) get(bucket, key string, extra ...map[string]any) (map[string]any, string) {
	h.tb.Helper()
	in := map[string]any{"Bucket": bucket, "Key": key}
	for _, e := range extra {
		for k, v := range e {
			in[k] = v
		}
	}
	out := h.must("GetObject", in)
	return out, readBody(h.tb, out)
}

func readBody(tb testing.TB, out map[string]any) string {
	tb.Helper()
	r, ok := out["Body"].(io.Reader)
	if !ok {
		tb.Fatalf("Body is %T", out["Body"])
	}
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatal(err)
	}
	if c, ok := r.(io.Closer); ok {
		c.Close()
	}
	return string(b)
}
