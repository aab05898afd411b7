package dynamodb_test

import (
	"strings"
	"testing"
)

// DynamoDB checks the model's constraints before it looks for the table,
// and lists every violation (messages captured from DynamoDB; the order of
// two violations of one value is Coral's, per member shape).
func TestModelConstraintsAnswerDynamoDBValidationMessages(t *testing.T) {
	c := newClient(t)
	const pat = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
	cases := []struct {
		name string
		op   string
		in   m
		msg  string
	}{
		{"table name with path characters", "DescribeTable", m{"TableName": "../../etc/passwd"},
			"1 validation error detected: Value '../../etc/passwd' at 'tableName' failed to satisfy constraint: " + pat},
		{"table name with NUL", "GetItem", m{"TableName": "a\x00b", "Key": m{"pk": S("x")}},
			"1 validation error detected: Value 'a\x00b' at 'tableName' failed to satisfy constraint: " + pat},
		{"empty table name, name-or-ARN member", "DescribeTable", m{"TableName": ""},
			"2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value '' at 'tableName' failed to satisfy constraint: " + pat},
		{"table name too long", "PutItem", m{"TableName": strings.Repeat("t", 256), "Item": m{"pk": S("x")}},
			"1 validation error detected: Value '" + strings.Repeat("t", 256) + "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{"empty start table name, pattern first", "ListTables", m{"ExclusiveStartTableName": ""},
			"2 validation errors detected: Value '' at 'exclusiveStartTableName' failed to satisfy constraint: " + pat + "; Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"limit zero", "ListTables", m{"Limit": int64(0)},
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"limit over 100", "ListTables", m{"Limit": int64(101)},
			"1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"several members", "Scan", m{"TableName": "ok-table", "Segment": int64(-1), "TotalSegments": int64(0), "Limit": int64(0)},
			"3 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"missing required", "GetItem", m{"Key": m{"pk": S("x")}},
			"1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{"nested required members", "UpdateTimeToLive", m{"TableName": "ok-table", "TimeToLiveSpecification": m{}},
			"2 validation errors detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null; Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null"},
		{"nested string length", "UpdateTimeToLive", m{"TableName": "ok-table", "TimeToLiveSpecification": m{"Enabled": true, "AttributeName": ""}},
			"1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"list element path", "CreateTable", m{"TableName": "ok-table", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
			"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}}, "GlobalSecondaryIndexes": []any{m{"IndexName": "x", "KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}}, "Projection": m{"ProjectionType": "ALL"}}}},
			"1 validation error detected: Value 'x' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"create table without key schema", "CreateTable", m{"TableName": "ok-table", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}}},
			"1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null"},
		{"create table without attribute definitions", "CreateTable", m{"TableName": "ok-table", "KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}}},
			"1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null"},
		{"create table with an empty key schema", "CreateTable", m{"TableName": "ok-table", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}}, "KeySchema": []any{}},
			"1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"return values enum in DynamoDB's order", "PutItem", m{"TableName": "ok-table", "Item": m{"pk": S("x")}, "ReturnValues": "BOGUS"},
			"1 validation error detected: Value 'BOGUS' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"},
		{"consumed capacity enum before the table is looked up", "GetItem", m{"TableName": "missing-table", "Key": m{"pk": S("x")}, "ReturnConsumedCapacity": "ALL"},
			"1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"},
		{"item collection metrics enum", "DeleteItem", m{"TableName": "ok-table", "Key": m{"pk": S("x")}, "ReturnItemCollectionMetrics": "COUNT"},
			"1 validation error detected: Value 'COUNT' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]"},
		{"select enum", "Scan", m{"TableName": "ok-table", "Select": "SOME"},
			"1 validation error detected: Value 'SOME' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"},
		{"billing mode enum", "CreateTable", m{"TableName": "ok-table", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
			"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}}, "BillingMode": "ON_DEMAND"},
			"1 validation error detected: Value 'ON_DEMAND' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"},
		{"partiql statement empty", "ExecuteStatement", m{"Statement": ""},
			"1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ae := c.fails(tc.op, tc.in, "ValidationException", tc.msg)
			if ae.StatusCode != 400 {
				t.Errorf("status %d", ae.StatusCode)
			}
		})
	}
}

// A table ARN passes the name-or-ARN members' checks (only its 1..1024
// length applies), so a missing table is ResourceNotFoundException.
func TestTableArnIsNotHeldToTheNamePattern(t *testing.T) {
	c := newClient(t)
	_, err := c.call("DescribeTable", m{"TableName": "arn:aws:dynamodb:us-east-1:000000000000:table/nope"})
	if err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Fatalf("got %v", err)
	}
}

func nested(levels int) map[string]any {
	v := S("leaf")
	for i := 0; i < levels; i++ {
		if i%2 == 0 {
			v = L(v)
		} else {
			v = m{"M": m{"k": v}}
		}
	}
	return v
}

// DynamoDB allows 32 levels: 31 L/M wrappers around a scalar. A 32nd
// wrapper is a ValidationException, in items and expression values alike.
func TestNestingBeyond32LevelsIsValidationException(t *testing.T) {
	c := newClient(t)
	c.createTable("deep", "", "")
	const msg = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	c.must("PutItem", m{"TableName": "deep", "Item": m{"pk": S("ok"), "d": nested(31)}})
	got := c.must("GetItem", m{"TableName": "deep", "Key": m{"pk": S("ok")}})
	if got["Item"] == nil {
		t.Fatal("31 levels not stored")
	}
	c.fails("PutItem", m{"TableName": "deep", "Item": m{"pk": S("no"), "d": nested(32)}}, "ValidationException", msg)
	c.fails("PutItem", m{"TableName": "deep", "Item": m{"pk": S("no"), "d": nested(40)}}, "ValidationException", msg)
	c.fails("UpdateItem", m{"TableName": "deep", "Key": m{"pk": S("ok")}, "UpdateExpression": "SET d = :v",
		"ExpressionAttributeValues": m{":v": nested(32)}}, "ValidationException", msg)
	if out := c.must("GetItem", m{"TableName": "deep", "Key": m{"pk": S("no")}}); out["Item"] != nil {
		t.Fatal("rejected item stored")
	}
}
