package dynamodb_test

import (
	"errors"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/dynamodb"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// client drives the emulator through the real wire with the shared
// wiretest client: the json codec marshals each call from the DynamoDB
// model, the in-process transport carries it, and the codec unmarshals the
// answer.
type client struct {
	t   testing.TB
	emu *emulator.Emulator
	w   *wiretest.Client
}

var epoch = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type clockVar struct{ t *time.Time }

func (c clockVar) Now() time.Time { return *c.t }

func newClient(t testing.TB) *client {
	now := epoch
	return newClientClock(t, clockVar{&now})
}

func newClientClock(t testing.TB, clock emulator.Clock) *client {
	t.Helper()
	emu := wiretest.NewEmulator(t, []string{"dynamodb"}, emulator.Options{Clock: clock, Seed: 1})
	return &client{t: t, emu: emu, w: wiretest.New(t, emu, "dynamodb")}
}

// as returns a client of the same emulator signing with other options
// (another account's access key, another region).
func (c *client) as(opts ...wiretest.Option) *client {
	return &client{t: c.t, emu: c.emu, w: wiretest.New(c.t, c.emu, "dynamodb", opts...)}
}

// call returns the output or the *protocol.APIError.
func (c *client) call(op string, in map[string]any) (map[string]any, error) {
	c.t.Helper()
	return c.w.Try(op, in)
}

func (c *client) must(op string, in map[string]any) map[string]any {
	c.t.Helper()
	return c.w.Call(op, in)
}

// fails asserts an error with code and message.
func (c *client) fails(op string, in map[string]any, code, msg string) *protocol.APIError {
	c.t.Helper()
	_, err := c.call(op, in)
	var ae *protocol.APIError
	if !errors.As(err, &ae) {
		c.t.Fatalf("%s: want %s %q, got %v", op, code, msg, err)
	}
	if ae.Code != code || (msg != "" && ae.Message != msg) {
		c.t.Fatalf("%s: want %s %q\n got %s %q", op, code, msg, ae.Code, ae.Message)
	}
	return ae
}

func S(s string) map[string]any  { return map[string]any{"S": s} }
func N(s string) map[string]any  { return map[string]any{"N": s} }
func B(b []byte) map[string]any  { return map[string]any{"B": b} }
func L(v ...any) map[string]any  { return map[string]any{"L": v} }
func SS(v ...any) map[string]any { return map[string]any{"SS": v} }
func NS(v ...any) map[string]any { return map[string]any{"NS": v} }

type m = map[string]any

// createTable makes a PAY_PER_REQUEST table with hash key pk (S) and, when
// sk is not "", range key sk of type skType.
func (c *client) createTable(name, sk, skType string) {
	c.t.Helper()
	defs := []any{m{"AttributeName": "pk", "AttributeType": "S"}}
	ks := []any{m{"AttributeName": "pk", "KeyType": "HASH"}}
	if sk != "" {
		defs = append(defs, m{"AttributeName": sk, "AttributeType": skType})
		ks = append(ks, m{"AttributeName": sk, "KeyType": "RANGE"})
	}
	c.must("CreateTable", m{"TableName": name, "AttributeDefinitions": defs, "KeySchema": ks, "BillingMode": "PAY_PER_REQUEST"})
}
