package dynamodb_test

import (
	"fmt"
	"testing"
)

func TestBatchWriteAndGet(t *testing.T) {
	c := newClient(t)
	c.createTable("bat", "", "")
	var reqs []any
	for i := 0; i < 25; i++ {
		reqs = append(reqs, m{"PutRequest": m{"Item": m{"pk": S(fmt.Sprint(i)), "v": N(fmt.Sprint(i))}}})
	}
	out := c.must("BatchWriteItem", m{"RequestItems": m{"bat": reqs}})
	if len(out["UnprocessedItems"].(map[string]any)) != 0 {
		t.Errorf("unprocessed %v", out)
	}
	c.fails("BatchWriteItem", m{"RequestItems": m{"bat": append(reqs, reqs[0])}}, "ValidationException", "Provided list of item keys contains duplicates")
	var keys []any
	for i := 0; i < 30; i++ {
		keys = append(keys, m{"pk": S(fmt.Sprint(i))})
	}
	got := c.must("BatchGetItem", m{"RequestItems": m{"bat": m{"Keys": keys, "ProjectionExpression": "v"}}})
	if items := got["Responses"].(map[string]any)["bat"].([]any); len(items) != 25 || items[0].(map[string]any)["pk"] != nil {
		t.Errorf("responses %d %v", len(items), items[0])
	}
	c.must("BatchWriteItem", m{"RequestItems": m{"bat": []any{m{"DeleteRequest": m{"Key": m{"pk": S("0")}}}}}})
	if c.must("GetItem", m{"TableName": "bat", "Key": m{"pk": S("0")}})["Item"] != nil {
		t.Error("delete request ignored")
	}
	var many []any
	for i := 0; i < 101; i++ {
		many = append(many, m{"pk": S(fmt.Sprint(i))})
	}
	c.fails("BatchGetItem", m{"RequestItems": m{"bat": m{"Keys": many}}}, "ValidationException", "Too many items requested for the BatchGetItem call")
}

func TestTransactWriteIsAllOrNothing(t *testing.T) {
	c := newClient(t)
	c.createTable("acct", "", "")
	c.must("PutItem", m{"TableName": "acct", "Item": m{"pk": S("a"), "bal": N("10")}})
	c.must("PutItem", m{"TableName": "acct", "Item": m{"pk": S("b"), "bal": N("0")}})
	c.must("PutItem", m{"TableName": "acct", "Item": m{"pk": S("bank")}})
	transfer := func(amount string) (map[string]any, error) {
		return c.call("TransactWriteItems", m{"TransactItems": []any{
			m{"Update": m{"TableName": "acct", "Key": m{"pk": S("a")}, "UpdateExpression": "SET bal = bal - :x",
				"ConditionExpression": "bal >= :x", "ExpressionAttributeValues": m{":x": N(amount)}}},
			m{"Update": m{"TableName": "acct", "Key": m{"pk": S("b")}, "UpdateExpression": "SET bal = bal + :x",
				"ExpressionAttributeValues": m{":x": N(amount)}}},
			m{"ConditionCheck": m{"TableName": "acct", "Key": m{"pk": S("bank")}, "ConditionExpression": "attribute_exists(pk)"}},
		}})
	}
	if _, err := transfer("7"); err != nil {
		t.Fatal(err)
	}
	ae := c.fails("TransactWriteItems", m{"TransactItems": []any{
		m{"Update": m{"TableName": "acct", "Key": m{"pk": S("a")}, "UpdateExpression": "SET bal = bal - :x",
			"ConditionExpression": "bal >= :x", "ExpressionAttributeValues": m{":x": N("7")}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
		m{"Put": m{"TableName": "acct", "Item": m{"pk": S("c")}}},
	}}, "TransactionCanceledException", "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]")
	reasons, _ := ae.Fields["CancellationReasons"].([]any)
	if len(reasons) != 2 || reasons[0].(map[string]any)["Item"] == nil {
		t.Errorf("reasons %v", ae.Fields)
	}
	if c.must("GetItem", m{"TableName": "acct", "Key": m{"pk": S("c")}})["Item"] != nil {
		t.Error("cancelled transaction wrote its Put")
	}
	got := c.must("TransactGetItems", m{"TransactItems": []any{
		m{"Get": m{"TableName": "acct", "Key": m{"pk": S("a")}}}, m{"Get": m{"TableName": "acct", "Key": m{"pk": S("zz")}}},
		m{"Get": m{"TableName": "acct", "Key": m{"pk": S("b")}}}}})["Responses"].([]any)
	bal := func(r any) string {
		return r.(map[string]any)["Item"].(map[string]any)["bal"].(map[string]any)["N"].(string)
	}
	if bal(got[0]) != "3" || bal(got[2]) != "7" || len(got[1].(map[string]any)) != 0 {
		t.Errorf("after transfer %v", got)
	}
	c.fails("TransactWriteItems", m{"TransactItems": []any{
		m{"Put": m{"TableName": "acct", "Item": m{"pk": S("a")}}}, m{"Delete": m{"TableName": "acct", "Key": m{"pk": S("a")}}}}},
		"ValidationException", "Transaction request cannot include multiple operations on one item")
}

func TestTransactWriteClientRequestTokenIsIdempotent(t *testing.T) {
	c := newClient(t)
	c.createTable("idem", "", "")
	in := m{"ClientRequestToken": "tok-1", "TransactItems": []any{m{"Update": m{"TableName": "idem", "Key": m{"pk": S("a")},
		"UpdateExpression": "ADD n :one", "ExpressionAttributeValues": m{":one": N("1")}}}}}
	c.must("TransactWriteItems", in)
	c.must("TransactWriteItems", in)
	it := c.must("GetItem", m{"TableName": "idem", "Key": m{"pk": S("a")}})["Item"].(map[string]any)
	if it["n"].(map[string]any)["N"] != "1" {
		t.Errorf("token replay applied twice: %v", it)
	}
	other := m{"ClientRequestToken": "tok-1", "TransactItems": []any{m{"Put": m{"TableName": "idem", "Item": m{"pk": S("b")}}}}}
	c.fails("TransactWriteItems", other, "IdempotentParameterMismatchException", "")
}
