package sqs_test

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// md5Attrs is an independent implementation of SQS's MD5OfMessageAttributes
// (sorted names; 4-byte big-endian length-prefixed name, type, then a
// transport byte 1=string 2=binary and the length-prefixed value).
func md5Attrs(attrs map[string]map[string]any) string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	lp := func(b []byte) {
		_ = binary.Write(&buf, binary.BigEndian, uint32(len(b)))
		buf.Write(b)
	}
	for _, n := range names {
		a := attrs[n]
		lp([]byte(n))
		lp([]byte(a["DataType"].(string)))
		if b, ok := a["BinaryValue"].([]byte); ok {
			buf.WriteByte(2)
			lp(b)
		} else {
			buf.WriteByte(1)
			lp([]byte(a["StringValue"].(string)))
		}
	}
	sum := md5.Sum(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

func md5Body(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestMD5OfMessageAttributesKnownVector(t *testing.T) {
	// Published digest for {General: String "Kenobi", Hello: String "There"}.
	got := md5Attrs(map[string]map[string]any{
		"Hello":   {"DataType": "String", "StringValue": "There"},
		"General": {"DataType": "String", "StringValue": "Kenobi"},
	})
	if got != "fca026605781cb4126a1e9044df24232" {
		t.Fatalf("reference implementation gives %s", got)
	}
	e := newEnv(t, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "md5"})["QueueUrl"].(string)
	out := e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "hello",
		"MessageAttributes": map[string]any{
			"Hello":   map[string]any{"DataType": "String", "StringValue": "There"},
			"General": map[string]any{"DataType": "String", "StringValue": "Kenobi"},
		}})
	if out["MD5OfMessageAttributes"] != "fca026605781cb4126a1e9044df24232" {
		t.Errorf("MD5OfMessageAttributes = %v", out["MD5OfMessageAttributes"])
	}
	if out["MD5OfMessageBody"] != "5d41402abc4b2a76b9719d911017c592" { // md5("hello")
		t.Errorf("MD5OfMessageBody = %v", out["MD5OfMessageBody"])
	}
}

func TestBothProtocolsShareQueues(t *testing.T) {
	e := newEnv(t, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "shared"})["QueueUrl"].(string)
	if !strings.HasSuffix(url, "/000000000000/shared") || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("QueueUrl = %s", url)
	}
	// Re-creating through query with no attributes is idempotent.
	if got := e.query.Call("CreateQueue", map[string]any{"QueueName": "shared"})["QueueUrl"]; got != url {
		t.Fatalf("query CreateQueue = %v, want %s", got, url)
	}
	attrs := map[string]any{
		"Num": map[string]any{"DataType": "Number", "StringValue": "42"},
		"Bin": map[string]any{"DataType": "Binary", "BinaryValue": []byte{0, 1, 2, 255}},
		"Str": map[string]any{"DataType": "String.custom", "StringValue": "héllo"},
	}
	want := md5Attrs(map[string]map[string]any{
		"Num": {"DataType": "Number", "StringValue": "42"},
		"Bin": {"DataType": "Binary", "BinaryValue": []byte{0, 1, 2, 255}},
		"Str": {"DataType": "String.custom", "StringValue": "héllo"},
	})
	sent := e.query.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "from query", "MessageAttributes": attrs})
	if sent["MD5OfMessageBody"] != md5Body("from query") || sent["MD5OfMessageAttributes"] != want {
		t.Fatalf("query SendMessage = %v, want attrs md5 %s", sent, want)
	}
	got := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url, "MessageAttributeNames": []any{"All"},
		"MessageSystemAttributeNames": []any{"All"}})
	msgs, _ := got["Messages"].([]any)
	if len(msgs) != 1 {
		t.Fatalf("json ReceiveMessage = %v", got)
	}
	m := msgs[0].(map[string]any)
	if m["Body"] != "from query" || m["MessageId"] != sent["MessageId"] || m["MD5OfMessageAttributes"] != want || m["MD5OfBody"] != md5Body("from query") {
		t.Fatalf("message = %v", m)
	}
	sys := m["Attributes"].(map[string]any)
	if sys["ApproximateReceiveCount"] != "1" || sys["SentTimestamp"] != fmt.Sprint(e.clock.Now().UnixMilli()) || sys["ApproximateFirstReceiveTimestamp"] == nil {
		t.Fatalf("system attributes = %v", sys)
	}
	if b := m["MessageAttributes"].(map[string]any)["Bin"].(map[string]any)["BinaryValue"]; !bytes.Equal(b.([]byte), []byte{0, 1, 2, 255}) {
		t.Fatalf("binary attribute = %v", b)
	}
	e.query.Call("DeleteMessage", map[string]any{"QueueUrl": url, "ReceiptHandle": m["ReceiptHandle"]})
	e.clock.Add(time.Hour)
	if got := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url}); got["Messages"] != nil {
		t.Fatalf("deleted message came back: %v", got)
	}
}

func TestMissingQueueErrorCodesPerProtocol(t *testing.T) {
	e := newEnv(t, false)
	_, err := e.json.Try("GetQueueUrl", map[string]any{"QueueName": "nope"})
	je := apiErr(t, err)
	// JSON: __type QueueDoesNotExist, x-amzn-query-error gives the legacy
	// code, which our client (like the SDKs) surfaces as Code.
	if je.StatusCode != 400 || je.QueryCode != "AWS.SimpleQueueService.NonExistentQueue" || je.Type != "Sender" {
		t.Errorf("json error = %#v", je)
	}
	_, err = e.query.Try("GetQueueUrl", map[string]any{"QueueName": "nope"})
	qe := apiErr(t, err)
	if qe.StatusCode != 400 || qe.Code != "AWS.SimpleQueueService.NonExistentQueue" {
		t.Errorf("query error = %#v", qe)
	}
}

func TestCreateQueueValidation(t *testing.T) {
	e := newEnv(t, false)
	e.json.Call("CreateQueue", map[string]any{"QueueName": "q1", "Attributes": map[string]any{"VisibilityTimeout": "10"}})
	cases := []struct {
		name  string
		input map[string]any
		code  string
	}{
		{"different attributes", map[string]any{"QueueName": "q1", "Attributes": map[string]any{"VisibilityTimeout": "11"}}, "QueueAlreadyExists"},
		{"bad value", map[string]any{"QueueName": "q2", "Attributes": map[string]any{"DelaySeconds": "901"}}, "InvalidAttributeValue"},
		{"unknown attribute", map[string]any{"QueueName": "q2", "Attributes": map[string]any{"Colour": "red"}}, "InvalidAttributeName"},
		{"fifo name without attribute", map[string]any{"QueueName": "q2.fifo"}, "InvalidParameterValue"},
		{"fifo attribute without suffix", map[string]any{"QueueName": "q2", "Attributes": map[string]any{"FifoQueue": "true"}}, "InvalidParameterValue"},
		{"bad name", map[string]any{"QueueName": "a b"}, "InvalidParameterValue"},
		{"missing dlq", map[string]any{"QueueName": "q3", "Attributes": map[string]any{"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:none","maxReceiveCount":3}`}}, "InvalidParameterValue"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.query.Try("CreateQueue", tc.input)
			if got := apiErr(t, err).Code; got != tc.code {
				t.Errorf("code = %s, want %s (%v)", got, tc.code, err)
			}
		})
	}
	if _, err := e.json.Try("CreateQueue", map[string]any{"QueueName": "q1", "Attributes": map[string]any{"VisibilityTimeout": "10"}}); err != nil {
		t.Errorf("idempotent create: %v", err)
	}
}

func TestQueueAttributesListTagsPurgeDelete(t *testing.T) {
	e := newEnv(t, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "attrs", "tags": map[string]any{"team": "a"}})["QueueUrl"].(string)
	for i := 0; i < 3; i++ {
		e.json.Call("CreateQueue", map[string]any{"QueueName": fmt.Sprintf("other-%d", i)})
	}
	e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "a"})
	e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "b", "DelaySeconds": int64(60)})
	e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "c"})
	e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url})
	got := e.json.Call("GetQueueAttributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"All"}})["Attributes"].(map[string]any)
	want := map[string]string{"ApproximateNumberOfMessages": "1", "ApproximateNumberOfMessagesNotVisible": "1",
		"ApproximateNumberOfMessagesDelayed": "1", "VisibilityTimeout": "30", "QueueArn": "arn:aws:sqs:us-east-1:000000000000:attrs",
		"CreatedTimestamp": fmt.Sprint(e.clock.Now().Unix()), "MaximumMessageSize": "1048576"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %s", k, got[k], v)
		}
	}
	e.clock.Add(61 * time.Second) // delay and visibility timeout both over
	got = e.query.Call("GetQueueAttributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"ApproximateNumberOfMessages"}})["Attributes"].(map[string]any)
	if got["ApproximateNumberOfMessages"] != "3" || len(got) != 1 {
		t.Errorf("after 61s: %v", got)
	}
	e.json.Call("SetQueueAttributes", map[string]any{"QueueUrl": url, "Attributes": map[string]any{"DelaySeconds": "5"}})
	if _, err := e.json.Try("SetQueueAttributes", map[string]any{"QueueUrl": url, "Attributes": map[string]any{"FifoQueue": "true"}}); apiErr(t, err).QueryCode != "InvalidAttributeName" {
		t.Errorf("changing FifoQueue: %v", err)
	}

	list := e.json.Call("ListQueues", map[string]any{"QueueNamePrefix": "other", "MaxResults": int64(2)})
	if urls := list["QueueUrls"].([]any); len(urls) != 2 || list["NextToken"] == nil {
		t.Fatalf("page 1 = %v", list)
	}
	list = e.query.Call("ListQueues", map[string]any{"QueueNamePrefix": "other", "MaxResults": int64(2), "NextToken": list["NextToken"]})
	if urls := list["QueueUrls"].([]any); len(urls) != 1 || !strings.HasSuffix(urls[0].(string), "/other-2") || list["NextToken"] != nil {
		t.Fatalf("page 2 = %v", list)
	}

	e.json.Call("TagQueue", map[string]any{"QueueUrl": url, "Tags": map[string]any{"env": "test"}})
	e.json.Call("UntagQueue", map[string]any{"QueueUrl": url, "TagKeys": []any{"team"}})
	if tags := e.query.Call("ListQueueTags", map[string]any{"QueueUrl": url})["Tags"].(map[string]any); len(tags) != 1 || tags["env"] != "test" {
		t.Errorf("tags = %v", tags)
	}

	e.json.Call("PurgeQueue", map[string]any{"QueueUrl": url})
	_, err := e.query.Try("PurgeQueue", map[string]any{"QueueUrl": url})
	if qe := apiErr(t, err); qe.Code != "AWS.SimpleQueueService.PurgeQueueInProgress" || qe.StatusCode != 403 {
		t.Errorf("second purge = %#v", qe)
	}
	e.clock.Add(61 * time.Second)
	e.json.Call("PurgeQueue", map[string]any{"QueueUrl": url})

	e.json.Call("DeleteQueue", map[string]any{"QueueUrl": url})
	if _, err := e.json.Try("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "x"}); apiErr(t, err).QueryCode != "AWS.SimpleQueueService.NonExistentQueue" {
		t.Errorf("send to deleted queue: %v", err)
	}
	if _, err := e.json.Try("CreateQueue", map[string]any{"QueueName": "attrs"}); apiErr(t, err).QueryCode != "AWS.SimpleQueueService.QueueDeletedRecently" {
		t.Errorf("re-create within 60s: %v", err)
	}
}

func TestVisibilityTimeoutFollowsClock(t *testing.T) {
	e := newEnv(t, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "vis"})["QueueUrl"].(string)
	e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "m"})
	first := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url, "VisibilityTimeout": int64(10)})["Messages"].([]any)[0].(map[string]any)
	if got := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url}); got["Messages"] != nil {
		t.Fatal("in-flight message received again")
	}
	e.clock.Add(10 * time.Second)
	second := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url, "AttributeNames": []any{"ApproximateReceiveCount"}})["Messages"].([]any)[0].(map[string]any)
	if second["Attributes"].(map[string]any)["ApproximateReceiveCount"] != "2" {
		t.Errorf("receive count = %v", second["Attributes"])
	}
	// The first receipt handle is stale: deleting with it succeeds and
	// leaves the message; changing its visibility is MessageNotInflight.
	e.json.Call("DeleteMessage", map[string]any{"QueueUrl": url, "ReceiptHandle": first["ReceiptHandle"]})
	_, err := e.json.Try("ChangeMessageVisibility", map[string]any{"QueueUrl": url, "ReceiptHandle": first["ReceiptHandle"], "VisibilityTimeout": int64(0)})
	if apiErr(t, err).QueryCode != "AWS.SimpleQueueService.MessageNotInflight" {
		t.Errorf("stale handle visibility change: %v", err)
	}
	e.json.Call("ChangeMessageVisibility", map[string]any{"QueueUrl": url, "ReceiptHandle": second["ReceiptHandle"], "VisibilityTimeout": int64(0)})
	third := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url})["Messages"].([]any)[0].(map[string]any)
	e.json.Call("DeleteMessage", map[string]any{"QueueUrl": url, "ReceiptHandle": third["ReceiptHandle"]})
	_, err = e.query.Try("DeleteMessage", map[string]any{"QueueUrl": url, "ReceiptHandle": "garbage"})
	if qe := apiErr(t, err); qe.Code != "ReceiptHandleIsInvalid" || qe.StatusCode != 404 {
		t.Errorf("garbage handle: %#v", qe)
	}
}

func TestRetentionExpiresMessages(t *testing.T) {
	e := newEnv(t, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "ret", "Attributes": map[string]any{"MessageRetentionPeriod": "60"}})["QueueUrl"].(string)
	e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "m"})
	e.clock.Add(60 * time.Second)
	if got := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url}); got["Messages"] != nil {
		t.Fatalf("expired message received: %v", got)
	}
}

func TestSendValidation(t *testing.T) {
	e := newEnv(t, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "v"})["QueueUrl"].(string)
	cases := []struct {
		name string
		in   map[string]any
		code string
	}{
		{"too large", map[string]any{"MessageBody": strings.Repeat("x", 1<<20+1)}, "InvalidParameterValue"},
		{"bad characters", map[string]any{"MessageBody": "a\x00b"}, "InvalidMessageContents"},
		{"delay too long", map[string]any{"MessageBody": "a", "DelaySeconds": int64(901)}, "InvalidParameterValue"},
		{"attribute without value", map[string]any{"MessageBody": "a", "MessageAttributes": map[string]any{"x": map[string]any{"DataType": "String"}}}, "InvalidParameterValue"},
		{"attribute bad type", map[string]any{"MessageBody": "a", "MessageAttributes": map[string]any{"x": map[string]any{"DataType": "Blob", "StringValue": "v"}}}, "InvalidParameterValue"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in["QueueUrl"] = url
			_, err := e.json.Try("SendMessage", tc.in)
			if got := apiErr(t, err).QueryCode; got != tc.code {
				t.Errorf("code = %s, want %s", got, tc.code)
			}
		})
	}
	if _, err := e.json.Try("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": strings.Repeat("x", 1<<20)}); err != nil {
		t.Errorf("256 KiB body refused: %v", err)
	}
}

func TestBatchErrors(t *testing.T) {
	e := newEnv(t, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "b"})["QueueUrl"].(string)
	entries := func(ids ...string) []any {
		var l []any
		for _, id := range ids {
			l = append(l, map[string]any{"Id": id, "MessageBody": "body " + id})
		}
		return l
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = fmt.Sprint("e", i)
	}
	cases := []struct {
		name    string
		entries []any
		code    string
	}{
		{"empty", []any{}, "AWS.SimpleQueueService.EmptyBatchRequest"},
		{"too many", entries(eleven...), "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"},
		{"duplicate ids", entries("a", "a"), "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"},
		{"bad id", entries("a.b"), "AWS.SimpleQueueService.InvalidBatchEntryId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.query.Try("SendMessageBatch", map[string]any{"QueueUrl": url, "Entries": tc.entries})
			if got := apiErr(t, err).Code; got != tc.code {
				t.Errorf("code = %s, want %s", got, tc.code)
			}
		})
	}
	l := entries("ok1", "ok2")
	l = append(l, map[string]any{"Id": "bad", "MessageBody": "x", "DelaySeconds": int64(1000)})
	out := e.json.Call("SendMessageBatch", map[string]any{"QueueUrl": url, "Entries": l})
	ok, bad := out["Successful"].([]any), out["Failed"].([]any)
	if len(ok) != 2 || len(bad) != 1 || bad[0].(map[string]any)["Id"] != "bad" || bad[0].(map[string]any)["SenderFault"] != true {
		t.Fatalf("batch = %v", out)
	}
	if ok[0].(map[string]any)["MD5OfMessageBody"] != md5Body("body ok1") {
		t.Errorf("entry md5 = %v", ok[0])
	}
	recv := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url, "MaxNumberOfMessages": int64(10)})["Messages"].([]any)
	var del []any
	for i, m := range recv {
		del = append(del, map[string]any{"Id": fmt.Sprint("d", i), "ReceiptHandle": m.(map[string]any)["ReceiptHandle"]})
	}
	del = append(del, map[string]any{"Id": "junk", "ReceiptHandle": "junk"})
	out = e.query.Call("DeleteMessageBatch", map[string]any{"QueueUrl": url, "Entries": del})
	if len(out["Successful"].([]any)) != 2 || out["Failed"].([]any)[0].(map[string]any)["Code"] != "ReceiptHandleIsInvalid" {
		t.Fatalf("delete batch = %v", out)
	}
	if _, err := e.json.Try("ReceiveMessage", map[string]any{"QueueUrl": url, "MaxNumberOfMessages": int64(11)}); apiErr(t, err).QueryCode != "InvalidParameterValue" {
		t.Errorf("MaxNumberOfMessages 11: %v", err)
	}
}

func TestFIFOOrderingGroupsAndDeduplication(t *testing.T) {
	e := newEnv(t, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "f.fifo", "Attributes": map[string]any{"FifoQueue": "true", "ContentBasedDeduplication": "true"}})["QueueUrl"].(string)
	if _, err := e.json.Try("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "x"}); apiErr(t, err).QueryCode != "MissingParameter" {
		t.Fatalf("no group id: %v", err)
	}
	var seqs []string
	for i, g := range []string{"A", "A", "B", "A"} {
		out := e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": fmt.Sprint(g, i), "MessageGroupId": g})
		seqs = append(seqs, out["SequenceNumber"].(string))
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("sequence numbers not increasing: %v", seqs)
		}
	}
	// Content-based duplicate within five minutes: same id, not enqueued.
	dup := e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "A0", "MessageGroupId": "A"})
	if dup["SequenceNumber"] != seqs[0] {
		t.Errorf("duplicate answered %v", dup)
	}
	recv := func(max int64) []string {
		out := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": url, "MaxNumberOfMessages": max, "AttributeNames": []any{"All"}})
		var bodies []string
		for _, m := range out["Messages"].([]any) {
			bodies = append(bodies, m.(map[string]any)["Body"].(string))
		}
		return bodies
	}
	if got := recv(2); fmt.Sprint(got) != "[A0 A1]" {
		t.Fatalf("first receive = %v", got)
	}
	// Group A is in flight: only B is receivable.
	if got := recv(10); fmt.Sprint(got) != "[B2]" {
		t.Fatalf("second receive = %v", got)
	}
	e.clock.Add(31 * time.Second)
	// Order holds within a group; groups interleave by send order.
	if got := recv(10); fmt.Sprint(got) != "[A0 A1 B2 A3]" {
		t.Fatalf("after visibility timeout = %v", got)
	}
	e.clock.Add(5 * time.Minute)
	again := e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "A0", "MessageGroupId": "A"})
	if again["MessageId"] == dup["MessageId"] {
		t.Errorf("deduplication outlived five minutes")
	}
}

func TestRedrivePolicyMovesToDeadLetterQueue(t *testing.T) {
	e := newEnv(t, false)
	dlqURL := e.json.Call("CreateQueue", map[string]any{"QueueName": "dlq"})["QueueUrl"].(string)
	policy := `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"2"}`
	src := e.query.Call("CreateQueue", map[string]any{"QueueName": "src", "Attributes": map[string]any{"RedrivePolicy": policy, "VisibilityTimeout": "5"}})["QueueUrl"].(string)
	sent := e.json.Call("SendMessage", map[string]any{"QueueUrl": src, "MessageBody": "poison"})
	for i := 0; i < 2; i++ {
		if got := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": src}); got["Messages"] == nil {
			t.Fatalf("receive %d got nothing", i+1)
		}
		e.clock.Add(5 * time.Second)
	}
	if got := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": src}); got["Messages"] != nil {
		t.Fatalf("third receive from source: %v", got)
	}
	out := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": dlqURL, "AttributeNames": []any{"All"}})
	m := out["Messages"].([]any)[0].(map[string]any)
	if m["MessageId"] != sent["MessageId"] || m["Attributes"].(map[string]any)["DeadLetterQueueSourceArn"] != "arn:aws:sqs:us-east-1:000000000000:src" {
		t.Fatalf("dead-lettered message = %v", m)
	}
	srcs := e.json.Call("ListDeadLetterSourceQueues", map[string]any{"QueueUrl": dlqURL})["queueUrls"].([]any)
	if len(srcs) != 1 || srcs[0] != src {
		t.Errorf("ListDeadLetterSourceQueues = %v", srcs)
	}
}
