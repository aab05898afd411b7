package dynamodbstreams_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func events(recs []any) string {
	var names []string
	for _, r := range recs {
		names = append(names, r.(m)["eventName"].(string))
	}
	return strings.Join(names, ",")
}

func seqOf(r any) string { return r.(m)["dynamodb"].(m)["SequenceNumber"].(string) }

// Writes through DynamoDB come back, in order and with DynamoDB's record
// shape, through DynamoDB Streams.
func TestWritesThroughDynamoDBAreReadThroughStreams(t *testing.T) {
	e := newEnv(t)
	arn := e.table("orders", "NEW_AND_OLD_IMAGES")
	e.db("PutItem", m{"TableName": "orders", "Item": m{"pk": S("a"), "n": N("1"), "b": m{"B": []byte{0, 1, 2}}}})
	e.db("UpdateItem", m{"TableName": "orders", "Key": m{"pk": S("a")}, "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": m{":n": N("2")}})
	e.db("BatchWriteItem", m{"RequestItems": m{"orders": []any{m{"PutRequest": m{"Item": m{"pk": S("b")}}}}}})
	e.db("TransactWriteItems", m{"TransactItems": []any{m{"Delete": m{"TableName": "orders", "Key": m{"pk": S("a")}}}}})

	out := e.mustSt("GetRecords", m{"ShardIterator": e.iterator(arn, "TRIM_HORIZON", "")})
	recs := out["Records"].([]any)
	if events(recs) != "INSERT,MODIFY,INSERT,REMOVE" {
		t.Fatalf("events = %s", events(recs))
	}
	first := recs[0].(m)
	if first["eventSource"] != "aws:dynamodb" || first["eventVersion"] != "1.1" || first["awsRegion"] != "us-east-1" || len(first["eventID"].(string)) != 32 {
		t.Errorf("envelope = %v", first)
	}
	d := first["dynamodb"].(m)
	if !d["ApproximateCreationDateTime"].(time.Time).Equal(epoch) || d["StreamViewType"] != "NEW_AND_OLD_IMAGES" || d["SizeBytes"].(int64) <= 0 {
		t.Errorf("dynamodb = %v", d)
	}
	if b := d["NewImage"].(m)["b"].(m)["B"]; !bytes.Equal(b.([]byte), []byte{0, 1, 2}) {
		t.Errorf("binary attribute = %#v", b)
	}
	if d["OldImage"] != nil || d["Keys"].(m)["pk"].(m)["S"] != "a" {
		t.Errorf("INSERT images = %v", d)
	}
	mod := recs[1].(m)["dynamodb"].(m)
	if mod["OldImage"].(m)["n"].(m)["N"] != "1" || mod["NewImage"].(m)["n"].(m)["N"] != "2" {
		t.Errorf("MODIFY = %v", mod)
	}
	prev := ""
	for _, r := range recs {
		s := seqOf(r)
		if len(s) != 21 || s <= prev {
			t.Errorf("sequence %s after %s", s, prev)
		}
		prev = s
	}
	// the next iterator continues after the last record
	next := out["NextShardIterator"].(string)
	e.db("PutItem", m{"TableName": "orders", "Item": m{"pk": S("c")}})
	recs = e.mustSt("GetRecords", m{"ShardIterator": next})["Records"].([]any)
	if events(recs) != "INSERT" || recs[0].(m)["dynamodb"].(m)["Keys"].(m)["pk"].(m)["S"] != "c" {
		t.Fatalf("after next iterator: %v", recs)
	}
}

func TestShardIteratorTypesAndLimit(t *testing.T) {
	e := newEnv(t)
	arn := e.table("tbl", "KEYS_ONLY")
	for _, k := range []string{"a", "b", "c"} {
		e.db("PutItem", m{"TableName": "tbl", "Item": m{"pk": S(k), "x": N("1")}})
	}
	all := e.mustSt("GetRecords", m{"ShardIterator": e.iterator(arn, "TRIM_HORIZON", "")})["Records"].([]any)
	if len(all) != 3 || all[0].(m)["dynamodb"].(m)["NewImage"] != nil {
		t.Fatalf("KEYS_ONLY records = %v", all)
	}
	second := seqOf(all[1])
	at := e.mustSt("GetRecords", m{"ShardIterator": e.iterator(arn, "AT_SEQUENCE_NUMBER", second)})["Records"].([]any)
	after := e.mustSt("GetRecords", m{"ShardIterator": e.iterator(arn, "AFTER_SEQUENCE_NUMBER", second)})["Records"].([]any)
	if len(at) != 2 || seqOf(at[0]) != second || len(after) != 1 || seqOf(after[0]) != seqOf(all[2]) {
		t.Fatalf("AT %v / AFTER %v", at, after)
	}
	latest := e.iterator(arn, "LATEST", "")
	if r := e.mustSt("GetRecords", m{"ShardIterator": latest})["Records"].([]any); len(r) != 0 {
		t.Fatalf("LATEST saw old records: %v", r)
	}
	e.db("DeleteItem", m{"TableName": "tbl", "Key": m{"pk": S("a")}})
	if r := e.mustSt("GetRecords", m{"ShardIterator": latest})["Records"].([]any); events(r) != "REMOVE" {
		t.Fatalf("LATEST then delete: %v", r)
	}
	// Limit pages through the shard
	it, got := e.iterator(arn, "TRIM_HORIZON", ""), 0
	for i := 0; i < 10 && it != ""; i++ {
		out := e.mustSt("GetRecords", m{"ShardIterator": it, "Limit": int64(1)})
		recs := out["Records"].([]any)
		if len(recs) == 0 {
			break
		}
		got += len(recs)
		it, _ = out["NextShardIterator"].(string)
	}
	if got != 4 {
		t.Fatalf("paged %d records, want 4", got)
	}
	e.failsSt("GetRecords", m{"ShardIterator": it, "Limit": int64(1001)}, "ValidationException")
	e.failsSt("GetShardIterator", m{"StreamArn": arn, "ShardId": "shardId-nope", "ShardIteratorType": "LATEST"}, "ResourceNotFoundException")
	e.failsSt("GetShardIterator", m{"StreamArn": arn, "ShardId": "x", "ShardIteratorType": "AT_SEQUENCE_NUMBER"}, "ValidationException")
	e.failsSt("GetShardIterator", m{"StreamArn": arn, "ShardId": "x", "ShardIteratorType": "SIDEWAYS"}, "ValidationException")
	e.failsSt("GetRecords", m{"ShardIterator": "garbage"}, "ValidationException")
}

// Iterators expire 15 minutes after they are issued; records are trimmed
// after 24 hours.
func TestIteratorsExpireAndRecordsAreTrimmed(t *testing.T) {
	e := newEnv(t)
	arn := e.table("tbl", "NEW_IMAGE")
	e.db("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("old")}})
	it := e.iterator(arn, "TRIM_HORIZON", "")
	e.clock.now = epoch.Add(14 * time.Minute)
	e.mustSt("GetRecords", m{"ShardIterator": it})
	e.clock.now = epoch.Add(16 * time.Minute)
	e.failsSt("GetRecords", m{"ShardIterator": it}, "ExpiredIteratorException")
	old := seqOf(e.mustSt("GetRecords", m{"ShardIterator": e.iterator(arn, "TRIM_HORIZON", "")})["Records"].([]any)[0])

	e.clock.now = epoch.Add(25 * time.Hour)
	e.db("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("new")}})
	recs := e.mustSt("GetRecords", m{"ShardIterator": e.iterator(arn, "TRIM_HORIZON", "")})["Records"].([]any)
	if len(recs) != 1 || recs[0].(m)["dynamodb"].(m)["Keys"].(m)["pk"].(m)["S"] != "new" {
		t.Fatalf("after 25h: %v", recs)
	}
	d := e.mustSt("DescribeStream", m{"StreamArn": arn})["StreamDescription"].(m)
	shard := d["Shards"].([]any)[0].(m)["ShardId"].(string)
	e.failsSt("GetShardIterator", m{"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": old}, "TrimmedDataAccessException")
}

func TestListAndDescribeStreams(t *testing.T) {
	e := newEnv(t)
	a := e.table("alpha", "NEW_IMAGE")
	b := e.table("beta", "OLD_IMAGE")
	e.table("gamma", "") // no stream
	all := e.mustSt("ListStreams", m{})["Streams"].([]any)
	if len(all) != 2 {
		t.Fatalf("ListStreams = %v", all)
	}
	only := e.mustSt("ListStreams", m{"TableName": "beta"})["Streams"].([]any)
	if len(only) != 1 || only[0].(m)["StreamArn"] != b || only[0].(m)["TableName"] != "beta" || only[0].(m)["StreamLabel"] == "" {
		t.Fatalf("ListStreams beta = %v", only)
	}
	page := e.mustSt("ListStreams", m{"Limit": int64(1)})
	if len(page["Streams"].([]any)) != 1 || page["LastEvaluatedStreamArn"] == nil {
		t.Fatalf("page 1 = %v", page)
	}
	page = e.mustSt("ListStreams", m{"Limit": int64(1), "ExclusiveStartStreamArn": page["LastEvaluatedStreamArn"]})
	if len(page["Streams"].([]any)) != 1 || page["LastEvaluatedStreamArn"] != nil {
		t.Fatalf("page 2 = %v", page)
	}

	d := e.mustSt("DescribeStream", m{"StreamArn": a})["StreamDescription"].(m)
	shards := d["Shards"].([]any)
	if d["StreamStatus"] != "ENABLED" || d["StreamViewType"] != "NEW_IMAGE" || d["TableName"] != "alpha" || len(shards) != 1 ||
		d["KeySchema"].([]any)[0].(m)["AttributeName"] != "pk" || !d["CreationRequestDateTime"].(time.Time).Equal(epoch) {
		t.Fatalf("DescribeStream = %v", d)
	}
	rng := shards[0].(m)["SequenceNumberRange"].(m)
	if !strings.HasPrefix(shards[0].(m)["ShardId"].(string), "shardId-") || len(rng["StartingSequenceNumber"].(string)) != 21 || rng["EndingSequenceNumber"] != nil {
		t.Fatalf("shard = %v", shards[0])
	}
	e.failsSt("DescribeStream", m{"StreamArn": a + "x"}, "ResourceNotFoundException")

	// Deleting the table disables the stream; its records stay readable
	// and the shard closes: no next iterator at its end.
	e.db("PutItem", m{"TableName": "alpha", "Item": m{"pk": S("k")}})
	e.db("DeleteTable", m{"TableName": "alpha"})
	d = e.mustSt("DescribeStream", m{"StreamArn": a})["StreamDescription"].(m)
	if d["StreamStatus"] != "DISABLED" || d["Shards"].([]any)[0].(m)["SequenceNumberRange"].(m)["EndingSequenceNumber"] == nil {
		t.Fatalf("after DeleteTable: %v", d)
	}
	out := e.mustSt("GetRecords", m{"ShardIterator": e.iterator(a, "TRIM_HORIZON", "")})
	if events(out["Records"].([]any)) != "INSERT" || out["NextShardIterator"] != nil {
		t.Fatalf("closed shard read = %v", out)
	}
}

// Streams errors carry DynamoDB's namespace on the wire, as AWS sends them.
func TestErrorTypeIsDynamoDBNamespaced(t *testing.T) {
	e := newEnv(t)
	ae := e.failsSt("DescribeStream", m{"StreamArn": "arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2024"}, "ResourceNotFoundException")
	if ae.StatusCode != 400 || ae.Message != "Requested resource not found: Stream: arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2024 not found" {
		t.Fatalf("error = %#v", ae)
	}
}

// A table deleted and re-created gets a new stream; the old one stays
// listed, DISABLED, with its own records.
func TestRecreatedTableGetsANewStream(t *testing.T) {
	e := newEnv(t)
	first := e.table("tbl", "NEW_IMAGE")
	e.db("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("one")}})
	e.db("DeleteTable", m{"TableName": "tbl"})
	second := e.table("tbl", "NEW_IMAGE") // same emulator-clock instant
	if first == second {
		t.Fatalf("both streams are %s", first)
	}
	e.db("PutItem", m{"TableName": "tbl", "Item": m{"pk": S("two")}})
	if l := e.mustSt("ListStreams", m{"TableName": "tbl"})["Streams"].([]any); len(l) != 2 {
		t.Fatalf("ListStreams = %v", l)
	}
	for arn, want := range map[string]string{first: "one", second: "two"} {
		recs := e.mustSt("GetRecords", m{"ShardIterator": e.iterator(arn, "TRIM_HORIZON", "")})["Records"].([]any)
		if len(recs) != 1 || recs[0].(m)["dynamodb"].(m)["Keys"].(m)["pk"].(m)["S"] != want {
			t.Errorf("%s records = %v", arn, recs)
		}
	}
}
