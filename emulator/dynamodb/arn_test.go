package dynamodb_test

import (
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
)

// DynamoDB takes a table ARN wherever TableName has the TableArn shape: the
// caller's own table answers as by name.
func TestTableARNAddressesOwnTable(t *testing.T) {
	c := newClient(t)
	c.createTable("tbl", "", "")
	arn := c.must("DescribeTable", m{"TableName": "tbl"})["Table"].(m)["TableArn"].(string)
	if !strings.HasPrefix(arn, "arn:aws:dynamodb:us-east-1:") {
		t.Fatalf("TableArn %q", arn)
	}
	if got := c.must("DescribeTable", m{"TableName": arn})["Table"].(m)["TableName"]; got != "tbl" {
		t.Fatalf("DescribeTable by ARN: TableName %v", got)
	}
	c.must("PutItem", m{"TableName": arn, "Item": m{"pk": S("a"), "v": N("1")}})
	item := c.must("GetItem", m{"TableName": "tbl", "Key": m{"pk": S("a")}})["Item"].(m)
	if item["v"].(m)["N"] != "1" {
		t.Fatalf("item %v", item)
	}
	c.must("UpdateItem", m{"TableName": arn, "Key": m{"pk": S("a")}, "UpdateExpression": "SET v = v + :one", "ExpressionAttributeValues": m{":one": N("1")}})
	q := c.must("Query", m{"TableName": arn, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": m{":p": S("a")}})
	if q["Count"].(int64) != 1 {
		t.Fatalf("Query by ARN: %v", q)
	}
	// Batch keys and transaction TableNames take ARNs too; the answer is
	// keyed as the request was.
	bg := c.must("BatchGetItem", m{"RequestItems": m{arn: m{"Keys": []any{m{"pk": S("a")}}}}})
	if got := bg["Responses"].(m)[arn].([]any); len(got) != 1 {
		t.Fatalf("BatchGetItem by ARN: %v", bg)
	}
	c.must("BatchWriteItem", m{"RequestItems": m{arn: []any{m{"PutRequest": m{"Item": m{"pk": S("b")}}}}}})
	c.must("TransactWriteItems", m{"TransactItems": []any{m{"Put": m{"TableName": arn, "Item": m{"pk": S("c")}}}}})
	tg := c.must("TransactGetItems", m{"TransactItems": []any{m{"Get": m{"TableName": arn, "Key": m{"pk": S("c")}}}}})
	if len(tg["Responses"].([]any)) != 1 {
		t.Fatalf("TransactGetItems by ARN: %v", tg)
	}
	c.must("UpdateTimeToLive", m{"TableName": arn, "TimeToLiveSpecification": m{"Enabled": true, "AttributeName": "ttl"}})
	c.must("DeleteItem", m{"TableName": arn, "Key": m{"pk": S("a")}})
	if d := c.must("DeleteTable", m{"TableName": arn})["TableDescription"].(m); d["TableName"] != "tbl" {
		t.Fatalf("DeleteTable by ARN: %v", d)
	}
}

// Another account's table is reached only through its resource-based
// policy; the emulator keeps none, so DynamoDB's denial applies.
func TestTableARNOfAnotherAccountIsAccessDenied(t *testing.T) {
	c := newClient(t)
	owner := c.as(wiretest.AccessKey("111122223333"))
	owner.createTable("tbl", "", "")
	arn := "arn:aws:dynamodb:us-east-1:111122223333:table/tbl"
	caller := c.as(wiretest.AccessKey("444455556666"))
	ae := caller.fails("GetItem", m{"TableName": arn, "Key": m{"pk": S("a")}}, "AccessDeniedException",
		"User: arn:aws:iam::444455556666:user/fakecloud is not authorized to perform: dynamodb:GetItem on resource: "+arn+
			" because no resource-based policy allows the dynamodb:GetItem action")
	if ae.StatusCode != 400 {
		t.Fatalf("status %d", ae.StatusCode)
	}
	caller.fails("BatchGetItem", m{"RequestItems": m{arn: m{"Keys": []any{m{"pk": S("a")}}}}}, "AccessDeniedException", "")
	caller.fails("TransactWriteItems", m{"TransactItems": []any{m{"Put": m{"TableName": arn, "Item": m{"pk": S("c")}}}}}, "AccessDeniedException", "")
	// The caller's own same-named table is not touched either way.
	caller.fails("DescribeTable", m{"TableName": "tbl"}, "ResourceNotFoundException", "Requested resource not found: Table: tbl not found")
}

func TestTableARNOfAnotherRegionIsNotFound(t *testing.T) {
	c := newClient(t)
	acct := "123456789012"
	east := c.as(wiretest.AccessKey(acct))
	east.createTable("tbl", "", "")
	west := c.as(wiretest.AccessKey(acct), wiretest.Region("us-west-2"))
	arn := "arn:aws:dynamodb:us-east-1:" + acct + ":table/tbl"
	west.fails("DescribeTable", m{"TableName": arn}, "ResourceNotFoundException", "Requested resource not found: Table: "+arn+" not found")
	west.fails("PutItem", m{"TableName": arn, "Item": m{"pk": S("a")}}, "ResourceNotFoundException", "")
	east.must("DescribeTable", m{"TableName": arn})
}

func TestMalformedTableARNIsValidation(t *testing.T) {
	c := newClient(t)
	c.fails("DescribeTable", m{"TableName": "arn:aws:dynamodb:us-east-1:123456789012:stream/x"}, "ValidationException",
		"Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:123456789012:stream/x")
}
