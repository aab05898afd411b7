package dynamodb_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator/store"
)

// records reads the stored stream records of arn in sequence order: the
// layout documented in stream.go that dynamodbstreams decodes.
func (c *client) records(account, arn string) []map[string]any {
	c.t.Helper()
	var out []map[string]any
	err := c.emu.Store(account, "us-east-1", "dynamodb").View(func(tx *store.Tx) error {
		b := tx.Bucket("streamrecords/" + arn)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_ string, v []byte) error {
			var r map[string]any
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return out
}

func TestStreamRecordsFollowEveryWriteKind(t *testing.T) {
	c := newClient(t)
	c.must("CreateTable", m{"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{m{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{m{"AttributeName": "pk", "KeyType": "HASH"}},
		"StreamSpecification":  m{"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})
	d := c.must("DescribeTable", m{"TableName": "tbl"})["Table"].(map[string]any)
	arn, _ := d["LatestStreamArn"].(string)
	if !strings.HasPrefix(arn, "arn:aws:dynamodb:us-east-1:") || !strings.HasSuffix(arn, "/stream/"+d["LatestStreamLabel"].(string)) {
		t.Fatalf("LatestStreamArn = %q (%v)", arn, d)
	}
	account := strings.Split(arn, ":")[4]
	c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a"), "v": N("1")}})
	c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a"), "v": N("1")}}) // no change: no record
	c.must("UpdateItem", m{"TableName": "tbl", "Key": m{"pk": S("a")}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": m{":v": N("2")}})
	c.must("DeleteItem", m{"TableName": "tbl", "Key": m{"pk": S("missing")}}) // nothing removed: no record
	c.must("BatchWriteItem", m{"RequestItems": m{"tbl": []any{m{"PutRequest": m{"Item": m{"pk": S("b")}}}}}})
	c.must("TransactWriteItems", m{"TransactItems": []any{m{"Delete": m{"TableName": "tbl", "Key": m{"pk": S("a")}}}}})
	// a cancelled transaction writes nothing, stream included
	c.fails("TransactWriteItems", m{"TransactItems": []any{
		m{"Put": m{"TableName": "tbl", "Item": m{"pk": S("c")}}},
		m{"ConditionCheck": m{"TableName": "tbl", "Key": m{"pk": S("b")}, "ConditionExpression": "attribute_not_exists(pk)"}},
	}}, "TransactionCanceledException", "")
	recs := c.records(account, arn)
	var names []string
	prev := ""
	for _, r := range recs {
		names = append(names, r["eventName"].(string))
		ddb := r["dynamodb"].(map[string]any)
		seq := ddb["SequenceNumber"].(string)
		if len(seq) != 21 || seq <= prev {
			t.Errorf("sequence %q after %q", seq, prev)
		}
		prev = seq
		if r["eventVersion"] != "1.1" || r["eventSource"] != "aws:dynamodb" || r["awsRegion"] != "us-east-1" || len(r["eventID"].(string)) != 32 {
			t.Errorf("record envelope = %v", r)
		}
		if ddb["StreamViewType"] != "NEW_AND_OLD_IMAGES" || ddb["SizeBytes"].(float64) <= 0 || ddb["ApproximateCreationDateTime"].(float64) != float64(epoch.Unix()) {
			t.Errorf("record dynamodb = %v", ddb)
		}
	}
	if strings.Join(names, ",") != "INSERT,MODIFY,INSERT,REMOVE" {
		t.Fatalf("events = %v", names)
	}
	mod := recs[1]["dynamodb"].(map[string]any)
	if mod["OldImage"].(map[string]any)["v"].(map[string]any)["N"] != "1" || mod["NewImage"].(map[string]any)["v"].(map[string]any)["N"] != "2" {
		t.Errorf("MODIFY images = %v", mod)
	}
	if rm := recs[3]["dynamodb"].(map[string]any); rm["NewImage"] != nil || rm["OldImage"] == nil || rm["Keys"].(map[string]any)["pk"].(map[string]any)["S"] != "a" {
		t.Errorf("REMOVE = %v", rm)
	}
}

func TestStreamViewTypeSelectsImages(t *testing.T) {
	for view, want := range map[string][2]bool{"KEYS_ONLY": {false, false}, "NEW_IMAGE": {true, false}, "OLD_IMAGE": {false, true}} {
		t.Run(view, func(t *testing.T) {
			c := newClient(t)
			c.createTable("tbl", "", "")
			c.must("UpdateTable", m{"TableName": "tbl", "StreamSpecification": m{"StreamEnabled": true, "StreamViewType": view}})
			d := c.must("DescribeTable", m{"TableName": "tbl"})["Table"].(map[string]any)
			arn := d["LatestStreamArn"].(string)
			c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a"), "v": N("1")}})
			c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a"), "v": N("2")}})
			recs := c.records(strings.Split(arn, ":")[4], arn)
			if len(recs) != 2 {
				t.Fatalf("records = %v", recs)
			}
			ddb := recs[1]["dynamodb"].(map[string]any)
			if (ddb["NewImage"] != nil) != want[0] || (ddb["OldImage"] != nil) != want[1] || ddb["Keys"] == nil {
				t.Errorf("%s record = %v", view, ddb)
			}
			// disabling keeps the latest stream's name on the table
			c.must("UpdateTable", m{"TableName": "tbl", "StreamSpecification": m{"StreamEnabled": false}})
			d = c.must("DescribeTable", m{"TableName": "tbl"})["Table"].(map[string]any)
			if d["LatestStreamArn"] != arn || d["StreamSpecification"] != nil {
				t.Errorf("after disable: %v", d)
			}
			c.must("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("a"), "v": N("3")}})
			if n := len(c.records(strings.Split(arn, ":")[4], arn)); n != 2 {
				t.Errorf("disabled stream got records: %d", n)
			}
		})
	}
}
