package jsonrpc_test

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
)

func load(t *testing.T, name string) *model.Service {
	t.Helper()
	svc, err := model.Load(name)
	if err != nil {
		t.Skipf("model %s not available: %v", name, err)
	}
	return svc
}

// AWS sends namespaced __type values for DynamoDB and SQS (JSON) only; the
// namespace follows from the model's signing name and target prefix.
func TestErrorTypeNamespacesPerService(t *testing.T) {
	for _, tc := range []struct {
		service, code, want string
	}{
		{"dynamodb", "ResourceNotFoundException", "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"},
		{"dynamodb", "TransactionCanceledException", "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"},
		{"dynamodb", "ValidationException", "com.amazon.coral.validate#ValidationException"},
		{"dynamodb", "UnrecognizedClientException", "com.amazon.coral.service#UnrecognizedClientException"},
		{"dynamodb", "SerializationException", "com.amazon.coral.service#SerializationException"},
		{"dynamodb", "SomethingUnmodeled", "SomethingUnmodeled"},
		{"dynamodbstreams", "ExpiredIteratorException", "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException"},
		{"sqs", "QueueDoesNotExist", "com.amazonaws.sqs#QueueDoesNotExist"},
		{"kms", "NotFoundException", "NotFoundException"},
		{"secretsmanager", "ResourceNotFoundException", "ResourceNotFoundException"},
		{"dynamodb", "aws.protocoltests#Already", "aws.protocoltests#Already"},
	} {
		t.Run(tc.service+"/"+tc.code, func(t *testing.T) {
			if got := jsonrpc.ErrorType(load(t, tc.service), tc.code); got != tc.want {
				t.Errorf("ErrorType = %q, want %q", got, tc.want)
			}
		})
	}
	if got := jsonrpc.ErrorType(nil, "X"); got != "X" {
		t.Errorf("nil service: %q", got)
	}
}

// The namespaced __type still finds the error shape: its members are encoded
// and the client strips the prefix back to the bare code.
func TestNamespacedErrorKeepsModeledMembers(t *testing.T) {
	svc := load(t, "dynamodb")
	op := svc.Operations["TransactWriteItems"]
	e := protocol.NewError("TransactionCanceledException", 400, "Transaction cancelled")
	e.Fields = map[string]any{"CancellationReasons": []any{
		map[string]any{"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
			"Item": map[string]any{"pk": map[string]any{"S": "a"}}},
		map[string]any{"Code": "None"},
	}}
	rec := httptest.NewRecorder()
	if err := jsonrpc.New().EncodeError(rec, op, e, protocol.ResponseMeta{RequestID: "R"}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["__type"] != "com.amazonaws.dynamodb.v20120810#TransactionCanceledException" || doc["Message"] != "Transaction cancelled" {
		t.Fatalf("body = %s", rec.Body)
	}
	res := rec.Result()
	got := jsonrpc.ParseError(op, res, rec.Body.Bytes())
	if got.Code != "TransactionCanceledException" || got.Message != "Transaction cancelled" {
		t.Fatalf("parsed = %#v", got)
	}
	if !reflect.DeepEqual(got.Fields["CancellationReasons"], e.Fields["CancellationReasons"]) {
		t.Fatalf("fields = %#v", got.Fields)
	}
}
