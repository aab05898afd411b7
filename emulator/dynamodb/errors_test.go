package dynamodb_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
)

// rawCall sends op through the real wire and returns the status and the
// decoded JSON body, so tests can see __type as DynamoDB writes it.
func (c *client) rawCall(op string, in map[string]any) (int, map[string]any) {
	c.t.Helper()
	resp := c.w.Raw(op, in)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		c.t.Fatalf("%s: body %q: %v", op, b, err)
	}
	return resp.StatusCode, doc
}

// DynamoDB writes modeled errors as "com.amazonaws.dynamodb.v20120810#Code"
// and Coral's validation errors as "com.amazon.coral.validate#..."; modeled
// members (CancellationReasons, Item) are still in the body.
func TestErrorTypeIsNamespacedOnTheWire(t *testing.T) {
	c := newClient(t)
	st, doc := c.rawCall("DescribeTable", m{"TableName": "missing"})
	if st != 400 || doc["__type"] != "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" {
		t.Fatalf("DescribeTable missing: %d %v", st, doc)
	}
	c.createTable("tbl", "", "")
	c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a"), "v": N("1")}})
	st, doc = c.rawCall("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a")}, "ConditionExpression": "attribute_not_exists(pk)",
		"ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
	if st != 400 || doc["__type"] != "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" || doc["Item"] == nil {
		t.Fatalf("conditional failure: %d %v", st, doc)
	}
	st, doc = c.rawCall("TransactWriteItems", m{"TransactItems": []any{
		m{"ConditionCheck": m{"TableName": "tbl", "Key": m{"pk": S("a")}, "ConditionExpression": "attribute_not_exists(pk)"}},
	}})
	if st != 400 || doc["__type"] != "com.amazonaws.dynamodb.v20120810#TransactionCanceledException" || doc["CancellationReasons"] == nil {
		t.Fatalf("transaction: %d %v", st, doc)
	}
	st, doc = c.rawCall("GetItem", m{"TableName": "tbl", "Key": m{"nope": S("a")}})
	if ty, _ := doc["__type"].(string); st != 400 || ty != "com.amazon.coral.validate#ValidationException" || !strings.Contains(doc["message"].(string), "key") {
		t.Fatalf("validation: %d %v", st, doc)
	}
	// and the client still sees the bare code
	c.fails("DescribeTable", m{"TableName": "missing"}, "ResourceNotFoundException", "")
	if jsonrpc.SanitizeErrorCode("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException") != "ResourceNotFoundException" {
		t.Fatal("client strip")
	}
}
