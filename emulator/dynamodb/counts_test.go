package dynamodb_test

import (
	"fmt"
	"testing"
)

func describeCounts(c *client, name string) (count, size int64, idx map[string]int64) {
	c.t.Helper()
	d := c.must("DescribeTable", m{"TableName": name})["Table"].(map[string]any)
	idx = map[string]int64{}
	for _, k := range []string{"GlobalSecondaryIndexes", "LocalSecondaryIndexes"} {
		l, _ := d[k].([]any)
		for _, e := range l {
			ix := e.(map[string]any)
			idx[ix["IndexName"].(string)] = ix["ItemCount"].(int64)
		}
	}
	return d["ItemCount"].(int64), d["TableSizeBytes"].(int64), idx
}

// DescribeTable's ItemCount, TableSizeBytes and index ItemCount follow every
// kind of write: insert, overwrite, update, delete, batch, transaction, and
// an index created later over existing items.
func TestDescribeTableCountsFollowWrites(t *testing.T) {
	c := newClient(t)
	c.createTable("cnt", "", "")
	c.must("PutItem", m{"TableName": "cnt", "Item": m{"pk": S("a"), "v": S("12345")}})
	c.must("PutItem", m{"TableName": "cnt", "Item": m{"pk": S("b"), "g": S("x")}})
	n, size, _ := describeCounts(c, "cnt")
	// a: pk(2)+"a"(1)... sizes: name bytes + value bytes.
	if n != 2 || size != int64(len("pk")+1+len("v")+5+len("pk")+1+len("g")+1) {
		t.Fatalf("after inserts: %d items, %d bytes", n, size)
	}
	c.must("PutItem", m{"TableName": "cnt", "Item": m{"pk": S("a")}}) // overwrite smaller
	c.must("UpdateItem", m{"TableName": "cnt", "Key": m{"pk": S("c")}, "UpdateExpression": "SET g = :g", "ExpressionAttributeValues": m{":g": S("y")}})
	c.must("DeleteItem", m{"TableName": "cnt", "Key": m{"pk": S("b")}})
	c.must("DeleteItem", m{"TableName": "cnt", "Key": m{"pk": S("missing")}})
	var reqs []any
	for i := 0; i < 10; i++ {
		reqs = append(reqs, m{"PutRequest": m{"Item": m{"pk": S(fmt.Sprint("batch", i)), "g": S("z")}}})
	}
	c.must("BatchWriteItem", m{"RequestItems": m{"cnt": reqs}})
	c.must("TransactWriteItems", m{"TransactItems": []any{
		m{"Delete": m{"TableName": "cnt", "Key": m{"pk": S("batch0")}}},
		m{"Put": m{"TableName": "cnt", "Item": m{"pk": S("t1")}}},
	}})
	n, size, _ = describeCounts(c, "cnt")
	// a, c, batch1..batch9, t1
	if n != 12 {
		t.Fatalf("after writes: %d items", n)
	}
	scan := c.must("Scan", m{"TableName": "cnt"})
	if scan["Count"] != n {
		t.Fatalf("scan counts %v, describe %d", scan["Count"], n)
	}
	c.must("UpdateTable", m{"TableName": "cnt", "AttributeDefinitions": []any{m{"AttributeName": "g", "AttributeType": "S"}},
		"GlobalSecondaryIndexUpdates": []any{m{"Create": m{"IndexName": "byG", "KeySchema": []any{m{"AttributeName": "g", "KeyType": "HASH"}}, "Projection": m{"ProjectionType": "ALL"}}}}})
	_, _, idx := describeCounts(c, "cnt")
	if idx["byG"] != 10 { // c and batch1..batch9
		t.Fatalf("index count %d", idx["byG"])
	}
	c.must("PutItem", m{"TableName": "cnt", "Item": m{"pk": S("new"), "g": S("q")}})
	if _, _, idx = describeCounts(c, "cnt"); idx["byG"] != 11 {
		t.Fatalf("index count after put %d", idx["byG"])
	}
	if size <= 0 {
		t.Fatal("size")
	}
}

// A table deleted and re-created, or wiped by an emulator reset and
// re-created with another key schema, starts from zero items and its new
// definition: nothing of the old table is served from a cache.
func TestRecreatedTableStartsAfreshAfterDeleteAndReset(t *testing.T) {
	c := newClient(t)
	c.createTable("rec", "", "")
	c.must("PutItem", m{"TableName": "rec", "Item": m{"pk": S("a")}})
	c.must("GetItem", m{"TableName": "rec", "Key": m{"pk": S("a")}})
	c.must("DeleteTable", m{"TableName": "rec"})
	c.createTable("rec", "", "")
	if n, _, _ := describeCounts(c, "rec"); n != 0 {
		t.Fatalf("re-created table has %d items", n)
	}
	c.must("PutItem", m{"TableName": "rec", "Item": m{"pk": S("a")}})
	if err := c.emu.Reset(); err != nil {
		t.Fatal(err)
	}
	c.fails("GetItem", m{"TableName": "rec", "Key": m{"pk": S("a")}}, "ResourceNotFoundException", "Requested resource not found")
	c.createTable("rec", "sk", "N")
	// The old schema (hash key only) must not be used for this key.
	c.must("PutItem", m{"TableName": "rec", "Item": m{"pk": S("a"), "sk": N("1")}})
	c.fails("GetItem", m{"TableName": "rec", "Key": m{"pk": S("a")}}, "ValidationException", "The provided key element does not match the schema")
	if n, _, _ := describeCounts(c, "rec"); n != 1 {
		t.Fatalf("after reset: %d items", n)
	}
}
