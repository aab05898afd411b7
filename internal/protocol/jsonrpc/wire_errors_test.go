package jsonrpc_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
)

// TestUnknownTargetWireAnswer pins AWS's answer to a missing or unknown
// X-Amz-Target: 400 and a body of only the coral __type, no message
// (DynamoDB and CloudWatch Logs captures: aws/aws-sdk-go#3689,
// aws/aws-sdk-net#1536).
func TestUnknownTargetWireAnswer(t *testing.T) {
	svc, op := mini(t)
	for _, target := range []string{"", "DynamoDB_20120810.Nope", "Other.DescribeTable"} {
		_, err := jsonrpc.OperationFor(svc, post(target, "{}"))
		ae := apiErr(t, err)
		rec := httptest.NewRecorder()
		if err := jsonrpc.New().EncodeError(rec, op, ae, protocol.ResponseMeta{RequestID: "r"}); err != nil {
			t.Fatal(err)
		}
		if rec.Code != http.StatusBadRequest {
			t.Errorf("target %q: status %d, want 400", target, rec.Code)
		}
		if got, want := rec.Body.String(), `{"__type":"com.amazon.coral.service#UnknownOperationException"}`; got != want {
			t.Errorf("target %q: body %s, want %s", target, got, want)
		}
	}
}

// TestSerializationExceptionMessages pins the Coral wording DynamoDB uses
// for a JSON value of the wrong type ("<TOKEN> cannot be converted to
// <Type>"). Only the two wordings seen in captures are pinned; booleans,
// objects and arrays in a scalar's place keep the same pattern unverified.
func TestSerializationExceptionMessages(t *testing.T) {
	_, op := mini(t)
	for body, want := range map[string]string{
		`{"Limit": "ten"}`: "STRING_VALUE cannot be converted to Integer",
		`{"TableName": 5}`: "NUMBER_VALUE cannot be converted to String",
	} {
		_, err := jsonrpc.New().DecodeRequest(op, post("DynamoDB_20120810.DescribeTable", body))
		ae := apiErr(t, err)
		if ae.Code != "SerializationException" || ae.StatusCode != 400 || !strings.Contains(ae.Message, want) {
			t.Errorf("%s: %s %d %q, want SerializationException 400 containing %q", body, ae.Code, ae.StatusCode, ae.Message, want)
		}
	}
}

// TestOversizeBodyAnswer pins the answer to a JSON body above MaxBodySize:
// 413 RequestEntityTooLargeException, refused before it is parsed.
func TestOversizeBodyAnswer(t *testing.T) {
	_, op := mini(t)
	big := `{"TableName":"` + strings.Repeat("x", jsonrpc.MaxBodySize) + `"}`
	_, err := jsonrpc.New().DecodeRequest(op, post("DynamoDB_20120810.DescribeTable", big))
	ae := apiErr(t, err)
	if ae.Code != "RequestEntityTooLargeException" || ae.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("%s %d", ae.Code, ae.StatusCode)
	}
}
