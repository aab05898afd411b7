package dynamodb_test

import (
	"reflect"
	"testing"
)

// indexedTable has hash pk, range sk, an LSI on lsk (KEYS_ONLY) and a GSI
// on g (ALL).
func (c *client) indexedTable(name string) {
	c.t.Helper()
	c.must("CreateTable", m{"TableName": name, "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{
			m{"AttributeName": "pk", "AttributeType": "S"}, m{"AttributeName": "sk", "AttributeType": "S"},
			m{"AttributeName": "lsk", "AttributeType": "S"}, m{"AttributeName": "g", "AttributeType": "S"}},
		"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}, m{"AttributeName": "sk", "KeyType": "RANGE"}},
		"LocalSecondaryIndexes": []any{m{"IndexName": "by-lsk", "Projection": m{"ProjectionType": "KEYS_ONLY"},
			"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}, m{"AttributeName": "lsk", "KeyType": "RANGE"}}}},
		"GlobalSecondaryIndexes": []any{m{"IndexName": "by-g", "Projection": m{"ProjectionType": "ALL"},
			"KeySchema": []any{m{"AttributeName": "g", "KeyType": "HASH"}}}},
	})
}

// A table with an LSI answers SIZE with the partition key and the
// whole-gigabyte range of its item collection: [0, 1] for a small one.
func TestItemCollectionMetricsForTablesWithLSI(t *testing.T) {
	c := newClient(t)
	c.indexedTable("icm")
	want := m{"ItemCollectionKey": m{"pk": S("p")}, "SizeEstimateRangeGB": []any{0.0, 1.0}}
	out := c.must("PutItem", m{"TableName": "icm", "Item": m{"pk": S("p"), "sk": S("a"), "lsk": S("l")}, "ReturnItemCollectionMetrics": "SIZE"})
	if !reflect.DeepEqual(out["ItemCollectionMetrics"], want) {
		t.Fatalf("PutItem: %v", out["ItemCollectionMetrics"])
	}
	out = c.must("UpdateItem", m{"TableName": "icm", "Key": m{"pk": S("p"), "sk": S("a")}, "UpdateExpression": "SET v = :v",
		"ExpressionAttributeValues": m{":v": N("1")}, "ReturnItemCollectionMetrics": "SIZE"})
	if !reflect.DeepEqual(out["ItemCollectionMetrics"], want) {
		t.Fatalf("UpdateItem: %v", out["ItemCollectionMetrics"])
	}
	out = c.must("DeleteItem", m{"TableName": "icm", "Key": m{"pk": S("p"), "sk": S("a")}, "ReturnItemCollectionMetrics": "SIZE"})
	if !reflect.DeepEqual(out["ItemCollectionMetrics"], want) {
		t.Fatalf("DeleteItem: %v", out["ItemCollectionMetrics"])
	}
	out = c.must("PutItem", m{"TableName": "icm", "Item": m{"pk": S("p"), "sk": S("b")}, "ReturnItemCollectionMetrics": "NONE"})
	if out["ItemCollectionMetrics"] != nil {
		t.Fatalf("NONE: %v", out)
	}
	// No LSI, no metrics.
	c.createTable("plain", "sk", "S")
	out = c.must("PutItem", m{"TableName": "plain", "Item": m{"pk": S("p"), "sk": S("a")}, "ReturnItemCollectionMetrics": "SIZE"})
	if out["ItemCollectionMetrics"] != nil {
		t.Fatalf("table without LSI: %v", out)
	}
}

// INDEXES breaks the consumed capacity down per table and index; an index
// the write does not touch (sparse, or projected attributes unchanged) is
// not charged.
func TestConsumedCapacityIndexesPerIndex(t *testing.T) {
	c := newClient(t)
	c.indexedTable("cap")
	wcu := func(u float64) m { return m{"CapacityUnits": u, "WriteCapacityUnits": u} }
	out := c.must("PutItem", m{"TableName": "cap", "Item": m{"pk": S("p"), "sk": S("a"), "lsk": S("l"), "g": S("x")}, "ReturnConsumedCapacity": "INDEXES"})
	want := m{"TableName": "cap", "CapacityUnits": 3.0, "WriteCapacityUnits": 3.0, "Table": wcu(1),
		"GlobalSecondaryIndexes": m{"by-g": wcu(1)}, "LocalSecondaryIndexes": m{"by-lsk": wcu(1)}}
	if !reflect.DeepEqual(out["ConsumedCapacity"], want) {
		t.Fatalf("put in both indexes:\n got %v\nwant %v", out["ConsumedCapacity"], want)
	}
	// A non-key attribute: the GSI (ALL) rewrites its entry, the KEYS_ONLY
	// LSI does not.
	out = c.must("UpdateItem", m{"TableName": "cap", "Key": m{"pk": S("p"), "sk": S("a")}, "UpdateExpression": "SET v = :v",
		"ExpressionAttributeValues": m{":v": N("1")}, "ReturnConsumedCapacity": "INDEXES"})
	want = m{"TableName": "cap", "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0, "Table": wcu(1), "GlobalSecondaryIndexes": m{"by-g": wcu(1)}}
	if !reflect.DeepEqual(out["ConsumedCapacity"], want) {
		t.Fatalf("update of a non-key attribute:\n got %v\nwant %v", out["ConsumedCapacity"], want)
	}
	// Changing the GSI key deletes the old entry and puts the new one.
	out = c.must("UpdateItem", m{"TableName": "cap", "Key": m{"pk": S("p"), "sk": S("a")}, "UpdateExpression": "SET g = :g",
		"ExpressionAttributeValues": m{":g": S("y")}, "ReturnConsumedCapacity": "TOTAL"})
	if want := (m{"TableName": "cap", "CapacityUnits": 3.0, "WriteCapacityUnits": 3.0}); !reflect.DeepEqual(out["ConsumedCapacity"], want) {
		t.Fatalf("GSI key change, TOTAL:\n got %v\nwant %v", out["ConsumedCapacity"], want)
	}
	// An item outside both sparse indexes costs the table only.
	out = c.must("PutItem", m{"TableName": "cap", "Item": m{"pk": S("p"), "sk": S("b")}, "ReturnConsumedCapacity": "INDEXES"})
	if want := (m{"TableName": "cap", "CapacityUnits": 1.0, "WriteCapacityUnits": 1.0, "Table": wcu(1)}); !reflect.DeepEqual(out["ConsumedCapacity"], want) {
		t.Fatalf("sparse:\n got %v\nwant %v", out["ConsumedCapacity"], want)
	}
	// A query of the GSI is charged to the index; the table's share is 0.
	out = c.must("Query", m{"TableName": "cap", "IndexName": "by-g", "KeyConditionExpression": "g = :g",
		"ExpressionAttributeValues": m{":g": S("y")}, "ReturnConsumedCapacity": "INDEXES"})
	rcu := func(u float64) m { return m{"CapacityUnits": u, "ReadCapacityUnits": u} }
	want = m{"TableName": "cap", "CapacityUnits": 0.5, "ReadCapacityUnits": 0.5, "Table": rcu(0), "GlobalSecondaryIndexes": m{"by-g": rcu(0.5)}}
	if !reflect.DeepEqual(out["ConsumedCapacity"], want) {
		t.Fatalf("GSI query:\n got %v\nwant %v", out["ConsumedCapacity"], want)
	}
}
