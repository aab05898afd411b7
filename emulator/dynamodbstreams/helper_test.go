package dynamodbstreams_test

import (
	"errors"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/dynamodb"
	_ "github.com/fakecloud/fakecloud/emulator/dynamodbstreams"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

type m = map[string]any

var epoch = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// env drives DynamoDB and DynamoDB Streams through the real wire with the
// shared wiretest clients; both sign as "dynamodb" (the streams model's
// signingName), as the SDKs do.
type env struct {
	t       testing.TB
	clock   *clock
	ddb     *wiretest.Client
	streams *wiretest.Client
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ck := &clock{epoch}
	emu := wiretest.NewEmulator(t, []string{"dynamodb", "dynamodbstreams"}, emulator.Options{Clock: ck, Seed: 1})
	return &env{t: t, clock: ck, ddb: wiretest.New(t, emu, "dynamodb"), streams: wiretest.New(t, emu, "dynamodbstreams")}
}

// db calls DynamoDB and fails the test on error.
func (e *env) db(op string, in m) m {
	e.t.Helper()
	return e.ddb.Call(op, in)
}

// st calls DynamoDB Streams.
func (e *env) st(op string, in m) (m, error) {
	e.t.Helper()
	return e.streams.Try(op, in)
}

func (e *env) mustSt(op string, in m) m {
	e.t.Helper()
	out, err := e.st(op, in)
	if err != nil {
		e.t.Fatalf("%s: %v", op, err)
	}
	return out
}

func (e *env) failsSt(op string, in m, code string) *protocol.APIError {
	e.t.Helper()
	_, err := e.st(op, in)
	var ae *protocol.APIError
	if !errors.As(err, &ae) || ae.Code != code {
		e.t.Fatalf("%s: want %s, got %v", op, code, err)
	}
	return ae
}

func S(s string) m { return m{"S": s} }
func N(s string) m { return m{"N": s} }

// table creates a PAY_PER_REQUEST table with hash key pk and a stream of
// view, returning the stream ARN.
func (e *env) table(name, view string) string {
	e.t.Helper()
	in := m{"TableName": name, "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{m{"AttributeName": "pk", "KeyType": "HASH"}}}
	if view != "" {
		in["StreamSpecification"] = m{"StreamEnabled": true, "StreamViewType": view}
	}
	d := e.db("CreateTable", in)["TableDescription"].(m)
	arn, _ := d["LatestStreamArn"].(string)
	return arn
}

// iterator returns a shard iterator of the stream's only shard.
func (e *env) iterator(arn, typ, seq string) string {
	e.t.Helper()
	d := e.mustSt("DescribeStream", m{"StreamArn": arn})["StreamDescription"].(m)
	shard := d["Shards"].([]any)[0].(m)["ShardId"].(string)
	in := m{"StreamArn": arn, "ShardId": shard, "ShardIteratorType": typ}
	if seq != "" {
		in["SequenceNumber"] = seq
	}
	return e.mustSt("GetShardIterator", in)["ShardIterator"].(string)
}
