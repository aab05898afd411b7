package dynamodbstreams_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/dynamodb"
	_ "github.com/fakecloud/fakecloud/emulator/dynamodbstreams"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
)

type m = map[string]any

var epoch = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// env drives DynamoDB and DynamoDB Streams through the real wire: the json
// codec marshals each call from the service's model and the in-process
// transport carries it. Both sign as "dynamodb", as the SDKs do.
type env struct {
	t       testing.TB
	clock   *clock
	http    *http.Client
	ddb     *model.Service
	streams *model.Service
	codec   *jsonrpc.Codec
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ck := &clock{epoch}
	emu, err := emulator.New(emulator.Options{Services: []string{"dynamodb", "dynamodbstreams"}, Clock: ck, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	ddb, err := model.Load("dynamodb")
	if err != nil {
		t.Fatal(err)
	}
	st, err := model.Load("dynamodbstreams")
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, clock: ck, http: &http.Client{Transport: emu.Transport()}, ddb: ddb, streams: st, codec: jsonrpc.New()}
}

func (e *env) call(svc *model.Service, host, op string, in m) (m, error) {
	e.t.Helper()
	o, ok := svc.Operations[op]
	if !ok {
		e.t.Fatalf("no operation %s", op)
	}
	u, _ := url.Parse("http://" + host)
	req, err := e.codec.MarshalRequest(context.Background(), o, u, in)
	if err != nil {
		e.t.Fatalf("%s: marshal: %v", op, err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	return e.codec.UnmarshalResponse(o, resp)
}

// db calls DynamoDB and fails the test on error.
func (e *env) db(op string, in m) m {
	e.t.Helper()
	out, err := e.call(e.ddb, "dynamodb.us-east-1.amazonaws.com", op, in)
	if err != nil {
		e.t.Fatalf("%s: %v", op, err)
	}
	return out
}

// st calls DynamoDB Streams.
func (e *env) st(op string, in m) (m, error) {
	e.t.Helper()
	return e.call(e.streams, "streams.dynamodb.us-east-1.amazonaws.com", op, in)
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
