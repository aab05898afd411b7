package sqs_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

// botocoreDir is ../shared/aws-data/botocore beside the module root.
func botocoreDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "aws-data", "botocore")
}

func loadModel(t testing.TB, name, version string) *model.Service {
	t.Helper()
	path := filepath.Join(botocoreDir(), name, version, "service-2.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("botocore models not found in %s: %v", filepath.Dir(path), err)
	}
	svc, err := model.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// client drives the emulator over the real wire with our codecs (unsigned).
type client struct {
	t     testing.TB
	hc    *http.Client
	url   *url.URL
	codec protocol.Codec
	svc   *model.Service
}

func (c *client) call(op string, params map[string]any) (map[string]any, error) {
	return c.callCtx(context.Background(), op, params)
}

func (c *client) callCtx(ctx context.Context, op string, params map[string]any) (map[string]any, error) {
	c.t.Helper()
	o, ok := c.svc.Operations[op]
	if !ok {
		c.t.Fatalf("no operation %s", op)
	}
	if params == nil {
		params = map[string]any{}
	}
	req, err := c.codec.MarshalRequest(ctx, o, c.url, params)
	if err != nil {
		c.t.Fatalf("marshal %s: %v", op, err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	return c.codec.UnmarshalResponse(o, resp)
}

func (c *client) must(op string, params map[string]any) map[string]any {
	c.t.Helper()
	out, err := c.call(op, params)
	if err != nil {
		c.t.Fatalf("%s: %v", op, err)
	}
	return out
}

func apiErr(t testing.TB, err error) *protocol.APIError {
	t.Helper()
	var e *protocol.APIError
	if !errors.As(err, &e) {
		t.Fatalf("want an APIError, got %v", err)
	}
	return e
}

// env is one emulator with a json and a query client of SQS.
type env struct {
	emu         *emulator.Emulator
	json, query *client
	clock       *testClock
}

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newEnv(t testing.TB, realTime bool) *env {
	t.Helper()
	svc := loadModel(t, "sqs", "2012-11-05")
	opts := emulator.Options{Seed: 1, Services: []string{"sqs"},
		Codecs: func(s *model.Service, p string) (protocol.Codec, error) { return codecs.ByName(p) }}
	clk := &testClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	if !realTime {
		opts.Clock = clk
	}
	ts := emulator.NewTestServer(t, opts)
	u, _ := url.Parse(ts.URL)
	jc, _ := codecs.ByName("json")
	qc, _ := codecs.ByName("query")
	hc := &http.Client{Timeout: 30 * time.Second}
	return &env{emu: ts.Emulator, clock: clk,
		json:  &client{t: t, hc: hc, url: u, codec: jc, svc: svc},
		query: &client{t: t, hc: hc, url: u, codec: qc, svc: svc}}
}
