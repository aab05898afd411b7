package dynamodb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator/store"
)

// Expired items are deleted by DynamoDB itself: DescribeTable no longer
// counts them, the item is physically gone from storage, and a stream
// record REMOVE carries userIdentity {Type: Service, PrincipalId:
// dynamodb.amazonaws.com} and the old image. Items without a numeric TTL
// attribute, or expiring later, stay.
func TestTTLExpiryDeletesItemsWithServiceRemoveRecords(t *testing.T) {
	now := epoch
	c := newClientClock(t, clockVar{&now})
	c.must("CreateTable", m{"TableName": "ttl", "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{m{"AttributeName": "pk", "KeyType": "HASH"}},
		"StreamSpecification":  m{"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})
	// One item is there before TTL is enabled: enabling indexes it.
	c.must("PutItem", m{"TableName": "ttl", "Item": m{"pk": S("early"), "exp": N(fmt.Sprint(epoch.Add(time.Minute).Unix()))}})
	c.must("UpdateTimeToLive", m{"TableName": "ttl", "TimeToLiveSpecification": m{"Enabled": true, "AttributeName": "exp"}})
	c.must("PutItem", m{"TableName": "ttl", "Item": m{"pk": S("soon"), "exp": N(fmt.Sprint(epoch.Add(2 * time.Minute).Unix()))}})
	c.must("PutItem", m{"TableName": "ttl", "Item": m{"pk": S("later"), "exp": N(fmt.Sprint(epoch.Add(time.Hour).Unix()))}})
	c.must("PutItem", m{"TableName": "ttl", "Item": m{"pk": S("never")}})
	c.must("PutItem", m{"TableName": "ttl", "Item": m{"pk": S("text"), "exp": S("1")}})
	// Moving the expiry forward re-indexes the item.
	c.must("UpdateItem", m{"TableName": "ttl", "Key": m{"pk": S("soon")}, "UpdateExpression": "SET exp = :e",
		"ExpressionAttributeValues": m{":e": N(fmt.Sprint(epoch.Add(2 * time.Hour).Unix()))}})
	d := c.must("DescribeTable", m{"TableName": "ttl"})["Table"].(map[string]any)
	if d["ItemCount"] != int64(5) {
		t.Fatalf("before expiry: %v items", d["ItemCount"])
	}
	arn := d["LatestStreamArn"].(string)
	account := strings.Split(arn, ":")[4]
	before := len(c.records(account, arn))

	now = epoch.Add(10 * time.Minute)
	d = c.must("DescribeTable", m{"TableName": "ttl"})["Table"].(map[string]any)
	if d["ItemCount"] != int64(4) {
		t.Fatalf("after expiry: %v items", d["ItemCount"])
	}
	recs := c.records(account, arn)
	if len(recs) != before+1 {
		t.Fatalf("%d new records, want 1", len(recs)-before)
	}
	r := recs[len(recs)-1]
	id, _ := r["userIdentity"].(map[string]any)
	if r["eventName"] != "REMOVE" || id["Type"] != "Service" || id["PrincipalId"] != "dynamodb.amazonaws.com" {
		t.Fatalf("record %v", r)
	}
	ddb := r["dynamodb"].(map[string]any)
	if ddb["Keys"].(map[string]any)["pk"].(map[string]any)["S"] != "early" || ddb["OldImage"] == nil || ddb["NewImage"] != nil {
		t.Fatalf("record images %v", ddb)
	}
	// Physically deleted, not only hidden.
	err := c.emu.Store(account, "us-east-1", "dynamodb").View(func(tx *store.Tx) error {
		if n := tx.Bucket("items/ttl").Len(); n != 4 {
			t.Errorf("%d items stored", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A caller's own delete carries no userIdentity.
	c.must("DeleteItem", m{"TableName": "ttl", "Key": m{"pk": S("never")}})
	recs = c.records(account, arn)
	if _, ok := recs[len(recs)-1]["userIdentity"]; ok {
		t.Fatalf("user delete has userIdentity: %v", recs[len(recs)-1])
	}

	// Past every expiry, a plain GetItem sweeps the rest.
	now = epoch.Add(3 * time.Hour)
	if out := c.must("GetItem", m{"TableName": "ttl", "Key": m{"pk": S("text")}}); out["Item"] == nil {
		t.Fatal("item with a string TTL attribute expired")
	}
	scan := c.must("Scan", m{"TableName": "ttl"})
	if scan["Count"] != int64(1) {
		t.Fatalf("scan after expiry: %v", scan["Items"])
	}
	recs = c.records(account, arn)
	removes := 0
	for _, r := range recs {
		if _, ok := r["userIdentity"]; ok && r["eventName"] == "REMOVE" {
			removes++
		}
	}
	if removes != 3 {
		t.Fatalf("%d TTL removes, want 3 (early, soon, later)", removes)
	}
}

// Disabling TTL stops deletions: items past their expiry stay.
func TestTTLDisabledKeepsExpiredItems(t *testing.T) {
	now := epoch
	c := newClientClock(t, clockVar{&now})
	c.createTable("ttl2", "", "")
	c.must("UpdateTimeToLive", m{"TableName": "ttl2", "TimeToLiveSpecification": m{"Enabled": true, "AttributeName": "exp"}})
	c.must("PutItem", m{"TableName": "ttl2", "Item": m{"pk": S("a"), "exp": N(fmt.Sprint(epoch.Add(time.Minute).Unix()))}})
	c.must("UpdateTimeToLive", m{"TableName": "ttl2", "TimeToLiveSpecification": m{"Enabled": false, "AttributeName": "exp"}})
	now = epoch.Add(time.Hour)
	if c.must("GetItem", m{"TableName": "ttl2", "Key": m{"pk": S("a")}})["Item"] == nil {
		t.Fatal("item deleted with TTL disabled")
	}
}
