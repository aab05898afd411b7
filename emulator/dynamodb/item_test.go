package dynamodb_test

import (
	"reflect"
	"strings"
	"testing"
)

func TestPutItemValidationMessages(t *testing.T) {
	c := newClient(t)
	c.createTable("items", "sk", "N")
	cases := []struct {
		name string
		item m
		msg  string
	}{
		{"missing key", m{"pk": S("a")}, "One or more parameter values were invalid: Missing the key sk in the item"},
		{"type mismatch", m{"pk": S("a"), "sk": S("x")}, "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"},
		{"empty string key", m{"pk": S(""), "sk": N("1")}, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"empty set", m{"pk": S("a"), "sk": N("1"), "s": SS()}, "One or more parameter values were invalid: An string set  may not be empty"},
		{"duplicate set", m{"pk": S("a"), "sk": N("1"), "s": SS("x", "x")}, "One or more parameter values were invalid: Input collection [x, x] contains duplicates."},
		{"39 digits", m{"pk": S("a"), "sk": N("1"), "n": N("123456789012345678901234567890123456789")}, "Attempting to store more than 38 significant digits in a Number"},
		{"overflow", m{"pk": S("a"), "sk": N("1E+126")}, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"underflow", m{"pk": S("a"), "sk": N("1E-131")}, "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
		{"not a number", m{"pk": S("a"), "sk": N("12a")}, "A value provided cannot be converted into a number"},
		{"too big", m{"pk": S("a"), "sk": N("1"), "big": S(strings.Repeat("x", 400*1024))}, "Item size has exceeded the maximum allowed size"},
		{"hash key too long", m{"pk": S(strings.Repeat("x", 2049)), "sk": N("1")}, "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.fails("PutItem", m{"TableName": "items", "Item": tc.item}, "ValidationException", tc.msg)
		})
	}
	c.fails("GetItem", m{"TableName": "items", "Key": m{"pk": S("a")}}, "ValidationException", "The provided key element does not match the schema")
	c.fails("GetItem", m{"TableName": "items", "Key": m{"pk": S("a"), "sk": S("1")}}, "ValidationException", "The provided key element does not match the schema")
}

func TestNumbersAreExactAndNormalised(t *testing.T) {
	c := newClient(t)
	c.createTable("nums", "", "")
	big := "12345678901234567890123456789012345678"
	c.must("PutItem", m{"TableName": "nums", "Item": m{"pk": S("a"), "n": N(big), "f": N("1.50"), "e": N("1E2")}})
	c.must("UpdateItem", m{"TableName": "nums", "Key": m{"pk": S("a")}, "UpdateExpression": "SET n = n - :one ADD f :f",
		"ExpressionAttributeValues": m{":one": N("1"), ":f": N("0.25")}})
	it := c.must("GetItem", m{"TableName": "nums", "Key": m{"pk": S("a")}})["Item"].(map[string]any)
	if it["n"].(map[string]any)["N"] != "12345678901234567890123456789012345677" {
		t.Errorf("n = %v", it["n"])
	}
	if it["f"].(map[string]any)["N"] != "1.75" || it["e"].(map[string]any)["N"] != "100" {
		t.Errorf("f = %v e = %v", it["f"], it["e"])
	}
}

func TestConditionalPutAndReturnValuesOnConditionCheckFailure(t *testing.T) {
	c := newClient(t)
	c.createTable("cond", "", "")
	put := m{"TableName": "cond", "Item": m{"pk": S("a"), "v": N("1")}, "ConditionExpression": "attribute_not_exists(pk)"}
	c.must("PutItem", put)
	c.fails("PutItem", put, "ConditionalCheckFailedException", "The conditional request failed")
	put["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
	ae := c.fails("PutItem", put, "ConditionalCheckFailedException", "The conditional request failed")
	if ae.Fields["Item"] == nil {
		t.Errorf("no Item in error: %+v", ae)
	}
	out := c.must("PutItem", m{"TableName": "cond", "Item": m{"pk": S("a"), "v": N("2")}, "ReturnValues": "ALL_OLD",
		"ConditionExpression": "v = :one", "ExpressionAttributeValues": m{":one": N("1.0")}, "ReturnConsumedCapacity": "TOTAL"})
	if !reflect.DeepEqual(out["Attributes"], map[string]any{"pk": S("a"), "v": N("1")}) {
		t.Errorf("ALL_OLD %v", out["Attributes"])
	}
	if cc := out["ConsumedCapacity"].(map[string]any); cc["CapacityUnits"] != 1.0 || cc["TableName"] != "cond" {
		t.Errorf("capacity %v", cc)
	}
	c.fails("PutItem", m{"TableName": "cond", "Item": m{"pk": S("a")}, "ReturnValues": "ALL_NEW"}, "ValidationException", "ReturnValues can only be ALL_OLD or NONE")
	del := c.must("DeleteItem", m{"TableName": "cond", "Key": m{"pk": S("a")}, "ReturnValues": "ALL_OLD"})
	if del["Attributes"] == nil {
		t.Error("DeleteItem ALL_OLD empty")
	}
}

func TestUpdateItemExpressionsAndReturnValues(t *testing.T) {
	c := newClient(t)
	c.createTable("upd", "", "")
	c.must("PutItem", m{"TableName": "upd", "Item": m{"pk": S("a"), "count": N("1"), "tags": SS("x", "y"),
		"list": L(S("0"), S("1"), S("2")), "l2": L(S("0"), S("1"), S("2")), "m": m{"M": m{"inr": N("5")}}}})
	out := c.must("UpdateItem", m{
		"TableName":                 "upd",
		"Key":                       m{"pk": S("a")},
		"UpdateExpression":          "SET #c = #c + :inc, m.inr = if_not_exists(m.oth, :z), #l = list_append(#l, :more), newattr = :z REMOVE l2[0], l2[2] ADD tags :t DELETE nope :t",
		"ExpressionAttributeNames":  m{"#c": "count", "#l": "list"},
		"ExpressionAttributeValues": m{":inc": N("2"), ":z": N("0"), ":more": L(S("3")), ":t": SS("z")},
		"ReturnValues":              "UPDATED_NEW",
	})
	got := out["Attributes"].(map[string]any)
	if got["count"].(map[string]any)["N"] != "3" || got["newattr"] == nil || got["pk"] != nil {
		t.Fatalf("UPDATED_NEW %v", got)
	}
	it := c.must("GetItem", m{"TableName": "upd", "Key": m{"pk": S("a")}, "ConsistentRead": true})["Item"].(map[string]any)
	if l := it["list"].(map[string]any)["L"].([]any); len(l) != 4 || l[3].(map[string]any)["S"] != "3" {
		t.Errorf("list %v", l)
	}
	if l := it["l2"].(map[string]any)["L"].([]any); len(l) != 1 || l[0].(map[string]any)["S"] != "1" {
		t.Errorf("l2 %v", l)
	}
	if s := it["tags"].(map[string]any)["SS"].([]any); len(s) != 3 {
		t.Errorf("tags %v", s)
	}
	if n := it["m"].(map[string]any)["M"].(map[string]any)["inr"]; !reflect.DeepEqual(n, N("0")) {
		t.Errorf("m.inr %v", n)
	}
	// Errors DynamoDB answers for bad updates.
	for _, tc := range []struct{ expr, msg string }{
		{"SET pk = :v", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{"SET a = :v, a = :v", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"SET a = :v SET b = :v", `Invalid UpdateExpression: The "SET" section can only be used once in an update expression;`},
		{"SET a = absent + :v", "Invalid UpdateExpression: The provided expression refers to an attribute that does not exist in the item"},
		{"SET a = tags + :v", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: SS"},
		{"SET name = :v", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"SET nope.deeper = :v", "The document path provided in the update expression is invalid for update"},
	} {
		c.fails("UpdateItem", m{"TableName": "upd", "Key": m{"pk": S("a")}, "UpdateExpression": tc.expr,
			"ExpressionAttributeValues": m{":v": N("1")}}, "ValidationException", tc.msg)
	}
	c.fails("UpdateItem", m{"TableName": "upd", "Key": m{"pk": S("a")}, "UpdateExpression": "SET a = :v",
		"ExpressionAttributeValues": m{":v": N("1"), ":unused": N("2")}}, "ValidationException",
		"Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}")
	// An update of a missing item creates it from the key.
	out = c.must("UpdateItem", m{"TableName": "upd", "Key": m{"pk": S("new")}, "UpdateExpression": "ADD hits :one",
		"ExpressionAttributeValues": m{":one": N("1")}, "ReturnValues": "ALL_NEW"})
	if !reflect.DeepEqual(out["Attributes"], map[string]any{"pk": S("new"), "hits": N("1")}) {
		t.Errorf("ALL_NEW %v", out["Attributes"])
	}
}

func TestProjectionExpressionNestedPaths(t *testing.T) {
	c := newClient(t)
	c.createTable("proj", "", "")
	c.must("PutItem", m{"TableName": "proj", "Item": m{"pk": S("a"), "l": L(S("0"), S("1"), S("2"), S("3")),
		"m": m{"M": m{"x": N("1"), "y": N("2")}}, "z": S("z")}})
	it := c.must("GetItem", m{"TableName": "proj", "Key": m{"pk": S("a")}, "ProjectionExpression": "l[3], l[1], m.y, #z",
		"ExpressionAttributeNames": m{"#z": "z"}})["Item"]
	want := map[string]any{"l": L(S("1"), S("3")), "m": m{"M": m{"y": N("2")}}, "z": S("z")}
	if !reflect.DeepEqual(it, want) {
		t.Errorf("got %v\nwant %v", it, want)
	}
	c.fails("GetItem", m{"TableName": "proj", "Key": m{"pk": S("a")}, "ProjectionExpression": "#nope"},
		"ValidationException", "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #nope")
	// Legacy AttributesToGet goes through the same projection.
	it = c.must("GetItem", m{"TableName": "proj", "Key": m{"pk": S("a")}, "AttributesToGet": []any{"z"}})["Item"]
	if !reflect.DeepEqual(it, map[string]any{"z": S("z")}) {
		t.Errorf("AttributesToGet %v", it)
	}
}

func TestLegacyExpectedAndAttributeUpdates(t *testing.T) {
	c := newClient(t)
	c.createTable("leg", "", "")
	c.must("PutItem", m{"TableName": "leg", "Item": m{"pk": S("a"), "v": N("1")}, "Expected": m{"pk": m{"Exists": false}}})
	c.fails("PutItem", m{"TableName": "leg", "Item": m{"pk": S("a")}, "Expected": m{"pk": m{"Exists": false}}},
		"ConditionalCheckFailedException", "The conditional request failed")
	c.must("UpdateItem", m{"TableName": "leg", "Key": m{"pk": S("a")},
		"AttributeUpdates": m{"v": m{"Action": "ADD", "Value": N("4")}, "w": m{"Value": S("x")}},
		"Expected":         m{"v": m{"ComparisonOperator": "BETWEEN", "AttributeValueList": []any{N("0"), N("2")}}}})
	it := c.must("GetItem", m{"TableName": "leg", "Key": m{"pk": S("a")}})["Item"]
	if !reflect.DeepEqual(it, map[string]any{"pk": S("a"), "v": N("5"), "w": S("x")}) {
		t.Errorf("%v", it)
	}
	c.fails("PutItem", m{"TableName": "leg", "Item": m{"pk": S("a")}, "Expected": m{"pk": m{"Exists": false}}, "ConditionExpression": "attribute_exists(pk)"},
		"ValidationException", "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}")
}
