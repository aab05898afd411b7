package dynamodb_test

import (
	"fmt"
	"reflect"
	"testing"
)

func seedOrders(c *client) {
	c.t.Helper()
	c.must("CreateTable", m{
		"TableName": "orders",
		"AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}, m{"AttributeName": "sk", "AttributeType": "N"},
			m{"AttributeName": "status", "AttributeType": "S"}, m{"AttributeName": "amt", "AttributeType": "N"}},
		"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}, m{"AttributeName": "sk", "KeyType": "RANGE"}},
		"LocalSecondaryIndexes": []any{m{"IndexName": "byAmt", "KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}, m{"AttributeName": "amt", "KeyType": "RANGE"}},
			"Projection": m{"ProjectionType": "KEYS_ONLY"}}},
		"GlobalSecondaryIndexes": []any{m{"IndexName": "byStatus", "KeySchema": []any{m{"AttributeName": "status", "KeyType": "HASH"}, m{"AttributeName": "sk", "KeyType": "RANGE"}},
			"Projection": m{"ProjectionType": "INCLUDE", "NonKeyAttributes": []any{"amt"}}}},
		"BillingMode": "PAY_PER_REQUEST",
	})
	// Sort keys chosen to break lexicographic order: -5 < -1.5 < 0 < 2 < 10 < 100.
	for i, sk := range []string{"10", "-1.5", "100", "0", "2", "-5"} {
		st := "open"
		if i%2 == 1 {
			st = "closed"
		}
		c.must("PutItem", m{"TableName": "orders", "Item": m{"pk": S("cust"), "sk": N(sk), "status": S(st), "amt": N(fmt.Sprint(100 - i)), "note": S("n")}})
	}
	c.must("PutItem", m{"TableName": "orders", "Item": m{"pk": S("other"), "sk": N("1")}})
}

func sks(items []any) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.(map[string]any)["sk"].(map[string]any)["N"].(string))
	}
	return out
}

func TestQueryReturnsPartitionInNumericSortKeyOrder(t *testing.T) {
	c := newClient(t)
	seedOrders(c)
	q := m{"TableName": "orders", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": m{":p": S("cust")}}
	out := c.must("Query", q)
	if got, want := sks(out["Items"].([]any)), []string{"-5", "-1.5", "0", "2", "10", "100"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	q["ScanIndexForward"] = false
	if got, want := sks(c.must("Query", q)["Items"].([]any)), []string{"100", "10", "2", "0", "-1.5", "-5"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("reverse: got %v want %v", got, want)
	}
	for _, tc := range []struct {
		cond string
		vals m
		want []string
	}{
		{"pk = :p AND sk BETWEEN :a AND :b", m{":a": N("-1.5"), ":b": N("10")}, []string{"-1.5", "0", "2", "10"}},
		{"pk = :p AND sk > :a", m{":a": N("2")}, []string{"10", "100"}},
		{"pk = :p AND sk <= :a", m{":a": N("0")}, []string{"-5", "-1.5", "0"}},
		{"(pk = :p) AND (sk = :a)", m{":a": N("2.0")}, []string{"2"}},
	} {
		vals := m{":p": S("cust")}
		for k, v := range tc.vals {
			vals[k] = v
		}
		got := sks(c.must("Query", m{"TableName": "orders", "KeyConditionExpression": tc.cond, "ExpressionAttributeValues": vals})["Items"].([]any))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v want %v", tc.cond, got, tc.want)
		}
	}
}

func TestQueryPaginationWithLimitAndFilterAfterLimit(t *testing.T) {
	c := newClient(t)
	seedOrders(c)
	var all []string
	var esk any
	pages := 0
	for pages < 10 {
		in := m{"TableName": "orders", "KeyConditionExpression": "pk = :p", "FilterExpression": "#s = :o",
			"ExpressionAttributeNames": m{"#s": "status"}, "ExpressionAttributeValues": m{":p": S("cust"), ":o": S("open")}, "Limit": int64(2)}
		if esk != nil {
			in["ExclusiveStartKey"] = esk
		}
		out := c.must("Query", in)
		pages++
		if out["ScannedCount"].(int64) > 2 {
			t.Fatalf("ScannedCount %v over Limit", out["ScannedCount"])
		}
		all = append(all, sks(out["Items"].([]any))...)
		esk = out["LastEvaluatedKey"]
		if esk == nil {
			break
		}
	}
	// 6 items, Limit 2: three full pages, then an empty last page, as DynamoDB.
	if pages != 4 {
		t.Errorf("pages %d", pages)
	}
	if want := []string{"2", "10", "100"}; !reflect.DeepEqual(all, want) {
		t.Errorf("filtered %v want %v", all, want)
	}
}

func TestQueryIndexesProjectAndSelect(t *testing.T) {
	c := newClient(t)
	seedOrders(c)
	out := c.must("Query", m{"TableName": "orders", "IndexName": "byStatus", "KeyConditionExpression": "#s = :o",
		"ExpressionAttributeNames": m{"#s": "status"}, "ExpressionAttributeValues": m{":o": S("closed")}})
	items := out["Items"].([]any)
	if len(items) != 3 {
		t.Fatalf("gsi items %v", items)
	}
	first := items[0].(map[string]any)
	if first["note"] != nil || first["amt"] == nil || first["pk"] == nil {
		t.Errorf("INCLUDE projection %v", first)
	}
	lek := c.must("Query", m{"TableName": "orders", "IndexName": "byStatus", "KeyConditionExpression": "#s = :o", "Limit": int64(1),
		"ExpressionAttributeNames": m{"#s": "status"}, "ExpressionAttributeValues": m{":o": S("closed")}})["LastEvaluatedKey"].(map[string]any)
	if len(lek) != 3 { // table key + index key
		t.Errorf("index LastEvaluatedKey %v", lek)
	}
	cnt := c.must("Query", m{"TableName": "orders", "IndexName": "byAmt", "KeyConditionExpression": "pk = :p AND amt >= :a",
		"ExpressionAttributeValues": m{":p": S("cust"), ":a": N("98")}, "Select": "COUNT"})
	if cnt["Count"] != int64(3) || cnt["Items"] != nil {
		t.Errorf("COUNT %v", cnt)
	}
	full := c.must("Query", m{"TableName": "orders", "IndexName": "byAmt", "KeyConditionExpression": "pk = :p",
		"ExpressionAttributeValues": m{":p": S("cust")}, "Select": "ALL_ATTRIBUTES", "Limit": int64(1)})["Items"].([]any)
	if full[0].(map[string]any)["note"] == nil {
		t.Errorf("LSI ALL_ATTRIBUTES did not fetch from the table: %v", full[0])
	}
	keysOnly := c.must("Query", m{"TableName": "orders", "IndexName": "byAmt", "KeyConditionExpression": "pk = :p",
		"ExpressionAttributeValues": m{":p": S("cust")}, "Limit": int64(1)})["Items"].([]any)
	if len(keysOnly[0].(map[string]any)) != 3 {
		t.Errorf("KEYS_ONLY LSI item %v", keysOnly[0])
	}
	c.fails("Query", m{"TableName": "orders", "IndexName": "nope", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": m{":p": S("cust")}},
		"ValidationException", "The table does not have the specified index: nope")
	c.fails("Query", m{"TableName": "orders", "KeyConditionExpression": "sk = :p", "ExpressionAttributeValues": m{":p": N("1")}},
		"ValidationException", "Query condition missed key schema element: pk")
	c.fails("Query", m{"TableName": "orders", "KeyConditionExpression": "pk = :p OR sk = :s", "ExpressionAttributeValues": m{":p": S("x"), ":s": N("1")}},
		"ValidationException", "Invalid operator used in KeyConditionExpression: OR")
	c.fails("Query", m{"TableName": "orders", "IndexName": "byStatus", "ConsistentRead": true, "KeyConditionExpression": "#s = :o",
		"ExpressionAttributeNames": m{"#s": "status"}, "ExpressionAttributeValues": m{":o": S("closed")}},
		"ValidationException", "Consistent reads are not supported on global secondary indexes")
	// Legacy KeyConditions reach the same evaluator.
	legacy := c.must("Query", m{"TableName": "orders", "KeyConditions": m{
		"pk": m{"ComparisonOperator": "EQ", "AttributeValueList": []any{S("cust")}},
		"sk": m{"ComparisonOperator": "GT", "AttributeValueList": []any{N("2")}}}})
	if got := sks(legacy["Items"].([]any)); !reflect.DeepEqual(got, []string{"10", "100"}) {
		t.Errorf("KeyConditions %v", got)
	}
}

func TestParallelScanSegmentsPartitionTheTable(t *testing.T) {
	c := newClient(t)
	c.createTable("scan", "", "")
	for i := 0; i < 40; i++ {
		c.must("PutItem", m{"TableName": "scan", "Item": m{"pk": S(fmt.Sprintf("k%02d", i)), "n": N(fmt.Sprint(i))}})
	}
	seen := map[string]bool{}
	for seg := int64(0); seg < 4; seg++ {
		out := c.must("Scan", m{"TableName": "scan", "Segment": seg, "TotalSegments": int64(4)})
		for _, it := range out["Items"].([]any) {
			k := it.(map[string]any)["pk"].(map[string]any)["S"].(string)
			if seen[k] {
				t.Fatalf("%s in two segments", k)
			}
			seen[k] = true
		}
	}
	if len(seen) != 40 {
		t.Errorf("segments cover %d of 40", len(seen))
	}
	out := c.must("Scan", m{"TableName": "scan", "FilterExpression": "n >= :a AND NOT (n IN (:x, :y))",
		"ExpressionAttributeValues": m{":a": N("35"), ":x": N("36"), ":y": N("38")}})
	if out["Count"] != int64(3) || out["ScannedCount"] != int64(40) {
		t.Errorf("filter count %v scanned %v", out["Count"], out["ScannedCount"])
	}
	c.fails("Scan", m{"TableName": "scan", "Segment": int64(4), "TotalSegments": int64(4)}, "ValidationException",
		"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4")
}

func TestScanStopsAtOneMegabytePage(t *testing.T) {
	c := newClient(t)
	c.createTable("big", "", "")
	blob := make([]byte, 300*1024)
	for i := 0; i < 5; i++ {
		c.must("PutItem", m{"TableName": "big", "Item": m{"pk": S(fmt.Sprint(i)), "b": B(blob)}})
	}
	out := c.must("Scan", m{"TableName": "big", "Select": "COUNT"})
	if out["ScannedCount"] != int64(4) || out["LastEvaluatedKey"] == nil {
		t.Errorf("first page scanned %v, LEK %v", out["ScannedCount"], out["LastEvaluatedKey"])
	}
}
