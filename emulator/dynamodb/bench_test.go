package dynamodb_test

import (
	"fmt"
	"testing"
)

func BenchmarkPutItem(b *testing.B) {
	c := newClient(b)
	c.createTable("bench", "", "")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.must("PutItem", m{"TableName": "bench", "Item": m{"pk": S(fmt.Sprint(i % 1000)), "v": N("1"), "s": S("payload")}})
	}
}

func BenchmarkGetItem(b *testing.B) {
	c := newClient(b)
	c.createTable("bench", "", "")
	c.must("PutItem", m{"TableName": "bench", "Item": m{"pk": S("a"), "v": N("1"), "s": S("payload")}})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.must("GetItem", m{"TableName": "bench", "Key": m{"pk": S("a")}})
	}
}

func BenchmarkQuery100(b *testing.B) {
	c := newClient(b)
	c.createTable("bench", "sk", "N")
	var reqs []any
	for i := 0; i < 100; i++ {
		reqs = append(reqs, m{"PutRequest": m{"Item": m{"pk": S("p"), "sk": N(fmt.Sprint(i)), "v": S("payload")}}})
		if len(reqs) == 25 {
			c.must("BatchWriteItem", m{"RequestItems": m{"bench": reqs}})
			reqs = nil
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := c.must("Query", m{"TableName": "bench", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": m{":p": S("p")}})
		if out["Count"] != int64(100) {
			b.Fatal(out["Count"])
		}
	}
}

func BenchmarkScanFilter10k(b *testing.B) {
	c := newClient(b)
	c.createTable("bench", "", "")
	var reqs []any
	for i := 0; i < 10000; i++ {
		reqs = append(reqs, m{"PutRequest": m{"Item": m{"pk": S(fmt.Sprint(i)), "n": N(fmt.Sprint(i))}}})
		if len(reqs) == 25 {
			c.must("BatchWriteItem", m{"RequestItems": m{"bench": reqs}})
			reqs = nil
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := c.must("Scan", m{"TableName": "bench", "FilterExpression": "n < :x", "ExpressionAttributeValues": m{":x": N("100")}})
		if out["ScannedCount"] != int64(10000) || out["Count"] != int64(100) {
			b.Fatal(out["ScannedCount"], out["Count"])
		}
	}
}

// BenchmarkDescribeTable10k: item counts come from counters, so describing
// a table costs the same with 10,000 items as with none.
func BenchmarkDescribeTable10k(b *testing.B) {
	c := newClient(b)
	c.createTable("bench", "", "")
	var reqs []any
	for i := 0; i < 10000; i++ {
		reqs = append(reqs, m{"PutRequest": m{"Item": m{"pk": S(fmt.Sprint(i)), "n": N(fmt.Sprint(i))}}})
		if len(reqs) == 25 {
			c.must("BatchWriteItem", m{"RequestItems": m{"bench": reqs}})
			reqs = nil
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := c.must("DescribeTable", m{"TableName": "bench"})["Table"].(map[string]any)
		if d["ItemCount"] != int64(10000) {
			b.Fatal(d["ItemCount"])
		}
	}
}
