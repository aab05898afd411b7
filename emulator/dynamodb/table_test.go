package dynamodb_test

import (
	"testing"
	"time"
)

func TestCreateTableThenDescribeIsActiveWithArnAndCounts(t *testing.T) {
	c := newClient(t)
	out := c.must("CreateTable", m{
		"TableName":            "Music",
		"AttributeDefinitions": []any{m{"AttributeName": "Artist", "AttributeType": "S"}, m{"AttributeName": "Song", "AttributeType": "S"}, m{"AttributeName": "Year", "AttributeType": "N"}},
		"KeySchema":            []any{m{"AttributeName": "Artist", "KeyType": "HASH"}, m{"AttributeName": "Song", "KeyType": "RANGE"}},
		"GlobalSecondaryIndexes": []any{m{"IndexName": "ByYear", "KeySchema": []any{m{"AttributeName": "Year", "KeyType": "HASH"}},
			"Projection": m{"ProjectionType": "KEYS_ONLY"}, "ProvisionedThroughput": m{"ReadCapacityUnits": int64(1), "WriteCapacityUnits": int64(1)}}},
		"ProvisionedThroughput": m{"ReadCapacityUnits": int64(5), "WriteCapacityUnits": int64(5)},
		"Tags":                  []any{m{"Key": "env", "Value": "test"}},
	})
	td := out["TableDescription"].(map[string]any)
	if td["TableArn"] != "arn:aws:dynamodb:us-east-1:000000000000:table/Music" || td["TableStatus"] != "ACTIVE" {
		t.Fatalf("%v", td)
	}
	c.must("PutItem", m{"TableName": "Music", "Item": m{"Artist": S("A"), "Song": S("s1"), "Year": N("1999")}})
	c.must("PutItem", m{"TableName": "Music", "Item": m{"Artist": S("A"), "Song": S("s2")}})
	d := c.must("DescribeTable", m{"TableName": "Music"})["Table"].(map[string]any)
	if d["ItemCount"] != int64(2) || d["TableSizeBytes"].(int64) <= 0 {
		t.Errorf("counts: %v %v", d["ItemCount"], d["TableSizeBytes"])
	}
	gsi := d["GlobalSecondaryIndexes"].([]any)[0].(map[string]any)
	if gsi["IndexStatus"] != "ACTIVE" || gsi["ItemCount"] != int64(1) {
		t.Errorf("gsi: %v", gsi)
	}
	if !d["CreationDateTime"].(time.Time).Equal(epoch) {
		t.Errorf("created %v", d["CreationDateTime"])
	}
	tags := c.must("ListTagsOfResource", m{"ResourceArn": td["TableArn"]})["Tags"].([]any)
	if len(tags) != 1 {
		t.Errorf("tags %v", tags)
	}
}

func TestCreateTableErrors(t *testing.T) {
	c := newClient(t)
	c.createTable("tb1", "", "")
	c.fails("CreateTable", m{"TableName": "tb1", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}}, "BillingMode": "PAY_PER_REQUEST"},
		"ResourceInUseException", "Table already exists: tb1")
	c.fails("CreateTable", m{"TableName": "tb2", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema": []any{m{"AttributeName": "id", "KeyType": "HASH"}}, "BillingMode": "PAY_PER_REQUEST"},
		"ValidationException", "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]")
	c.fails("CreateTable", m{"TableName": "tb2", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}, m{"AttributeName": "x", "AttributeType": "S"}},
		"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}}, "BillingMode": "PAY_PER_REQUEST"},
		"ValidationException", "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
	c.fails("CreateTable", m{"TableName": "tb2", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}}},
		"ValidationException", "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
	c.fails("CreateTable", m{"TableName": "ab", "AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema": []any{m{"AttributeName": "pk", "KeyType": "HASH"}}, "BillingMode": "PAY_PER_REQUEST"},
		"ValidationException", "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3")
	c.fails("DescribeTable", m{"TableName": "nope"}, "ResourceNotFoundException", "Requested resource not found: Table: nope not found")
	c.fails("GetItem", m{"TableName": "nope", "Key": m{"pk": S("a")}}, "ResourceNotFoundException", "Requested resource not found")
}

func TestListTablesPages(t *testing.T) {
	c := newClient(t)
	for _, n := range []string{"ccc", "aaa", "bbb"} {
		c.createTable(n, "", "")
	}
	out := c.must("ListTables", m{"Limit": int64(2)})
	if got := out["TableNames"].([]any); len(got) != 2 || got[0] != "aaa" || out["LastEvaluatedTableName"] != "bbb" {
		t.Fatalf("%v", out)
	}
	out = c.must("ListTables", m{"ExclusiveStartTableName": "bbb"})
	if got := out["TableNames"].([]any); len(got) != 1 || got[0] != "ccc" || out["LastEvaluatedTableName"] != nil {
		t.Fatalf("%v", out)
	}
}

func TestDeleteTableRemovesItems(t *testing.T) {
	c := newClient(t)
	c.createTable("tbl", "", "")
	c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a")}})
	if st := c.must("DeleteTable", m{"TableName": "tbl"})["TableDescription"].(map[string]any)["TableStatus"]; st != "DELETING" {
		t.Errorf("status %v", st)
	}
	c.fails("DeleteTable", m{"TableName": "tbl"}, "ResourceNotFoundException", "Requested resource not found: Table: tbl not found")
	c.createTable("tbl", "", "")
	if out := c.must("GetItem", m{"TableName": "tbl", "Key": m{"pk": S("a")}}); out["Item"] != nil {
		t.Errorf("item survived: %v", out)
	}
}

func TestTTLHidesExpiredItemsByEmulatorClock(t *testing.T) {
	now := epoch
	c := newClientClock(t, clockVar{&now})
	c.createTable("tbl", "", "")
	c.must("UpdateTimeToLive", m{"TableName": "tbl", "TimeToLiveSpecification": m{"Enabled": true, "AttributeName": "exp"}})
	d := c.must("DescribeTimeToLive", m{"TableName": "tbl"})["TimeToLiveDescription"].(map[string]any)
	if d["TimeToLiveStatus"] != "ENABLED" || d["AttributeName"] != "exp" {
		t.Fatalf("%v", d)
	}
	exp := epoch.Add(time.Hour).Unix()
	c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a"), "exp": N(itoa(exp))}})
	if c.must("GetItem", m{"TableName": "tbl", "Key": m{"pk": S("a")}})["Item"] == nil {
		t.Fatal("item gone before expiry")
	}
	now = epoch.Add(2 * time.Hour)
	if c.must("GetItem", m{"TableName": "tbl", "Key": m{"pk": S("a")}})["Item"] != nil {
		t.Fatal("expired item still visible")
	}
	c.fails("UpdateTimeToLive", m{"TableName": "tbl", "TimeToLiveSpecification": m{"Enabled": true, "AttributeName": "exp"}}, "ValidationException", "TimeToLive is already enabled")
}

func TestUpdateTableAddsAndDropsGSI(t *testing.T) {
	c := newClient(t)
	c.createTable("tbl", "", "")
	c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a"), "g": S("x")}})
	c.must("UpdateTable", m{"TableName": "tbl", "AttributeDefinitions": []any{m{"AttributeName": "g", "AttributeType": "S"}},
		"GlobalSecondaryIndexUpdates": []any{m{"Create": m{"IndexName": "byG", "KeySchema": []any{m{"AttributeName": "g", "KeyType": "HASH"}}, "Projection": m{"ProjectionType": "ALL"}}}}})
	d := c.must("DescribeTable", m{"TableName": "tbl"})["Table"].(map[string]any)
	if g := d["GlobalSecondaryIndexes"].([]any)[0].(map[string]any); g["ItemCount"] != int64(1) {
		t.Fatalf("backfill: %v", g)
	}
	c.must("UpdateTable", m{"TableName": "tbl", "GlobalSecondaryIndexUpdates": []any{m{"Delete": m{"IndexName": "byG"}}}})
	d = c.must("DescribeTable", m{"TableName": "tbl"})["Table"].(map[string]any)
	if d["GlobalSecondaryIndexes"] != nil {
		t.Fatalf("gsi still there: %v", d["GlobalSecondaryIndexes"])
	}
}

func itoa(n int64) string {
	s := ""
	if n == 0 {
		return "0"
	}
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
