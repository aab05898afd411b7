package sqs_test

import (
	"errors"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

func apiErr(t testing.TB, err error) *protocol.APIError {
	t.Helper()
	var e *protocol.APIError
	if !errors.As(err, &e) {
		t.Fatalf("want an APIError, got %v", err)
	}
	return e
}

// env is one emulator with a json and a query client of SQS, both
// unsigned over real HTTP. The emulator has its default codecs, as
// "fakecloud serve" does: the query client speaks SQS's legacy query model
// (wiretest.Protocol("query")) and is answered in it.
type env struct {
	emu         *emulator.Emulator
	json, query *wiretest.Client
	clock       *wiretest.Clock
}

func newEnv(t testing.TB, realTime bool) *env {
	t.Helper()
	opts := emulator.Options{Seed: 1, Services: []string{"sqs"}}
	clk := wiretest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	if !realTime {
		opts.Clock = clk
	}
	ts := emulator.NewTestServer(t, opts)
	return &env{emu: ts.Emulator, clock: clk,
		json:  wiretest.New(t, ts.Emulator, "sqs", wiretest.Endpoint(ts.URL), wiretest.Anonymous()),
		query: wiretest.New(t, ts.Emulator, "sqs", wiretest.Endpoint(ts.URL), wiretest.Anonymous(), wiretest.Protocol("query"))}
}
