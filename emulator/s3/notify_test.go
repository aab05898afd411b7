package s3_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/s3"
	_ "github.com/fakecloud/fakecloud/emulator/sns"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

func receive(t *testing.T, emu *emulator.Emulator, queue string) []map[string]any {
	t.Helper()
	out, err := emu.Call(context.Background(), account, "us-east-1", "sqs", "ReceiveMessage", map[string]any{
		"QueueUrl": "http://sqs.us-east-1.localhost/" + account + "/" + queue, "MaxNumberOfMessages": int64(10)})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []map[string]any
	for _, m := range out["Messages"].([]any) {
		mm := m.(map[string]any)
		var body map[string]any
		if err := json.Unmarshal([]byte(mm["Body"].(string)), &body); err != nil {
			t.Fatalf("body %q: %v", mm["Body"], err)
		}
		msgs = append(msgs, body)
		_, _ = emu.Call(context.Background(), account, "us-east-1", "sqs", "DeleteMessage", map[string]any{
			"QueueUrl": "http://sqs.us-east-1.localhost/" + account + "/" + queue, "ReceiptHandle": mm["ReceiptHandle"]})
	}
	return msgs
}

// TestEventNotificationsToSQS: S3 sends s3:TestEvent when the configuration
// is put, then an eventVersion 2.1 record for each matching create and
// remove, with the key URL-encoded and the ETag unquoted.
func TestEventNotificationsToSQS(t *testing.T) {
	w := newWire(t, func(o *emulator.Options) { o.Services = []string{s3.Name, "sqs", "sns"} })
	ctx := context.Background()
	if _, err := w.emu.Call(ctx, account, "us-east-1", "sqs", "CreateQueue", map[string]any{"QueueName": "events"}); err != nil {
		t.Fatal(err)
	}
	w.must("CreateBucket", map[string]any{"Bucket": "notes"})
	arn := "arn:aws:sqs:us-east-1:" + account + ":events"
	w.must("PutBucketNotificationConfiguration", map[string]any{"Bucket": "notes", "NotificationConfiguration": map[string]any{
		"QueueConfigurations": []any{map[string]any{"Id": "cfg1", "QueueArn": arn, "Events": []any{"s3:ObjectCreated:*", "s3:ObjectRemoved:*"},
			"Filter": map[string]any{"Key": map[string]any{"FilterRules": []any{map[string]any{"Name": "prefix", "Value": "in/"}}}}}}}})
	msgs := receive(t, w.emu, "events")
	if len(msgs) != 1 || msgs[0]["Event"] != "s3:TestEvent" || msgs[0]["Bucket"] != "notes" || msgs[0]["Service"] != "Amazon S3" {
		t.Fatalf("test event: %v", msgs)
	}
	put, _ := w.must("PutObject", map[string]any{"Bucket": "notes", "Key": "in/a b.txt", "Body": strings.NewReader("hello")})
	w.must("PutObject", map[string]any{"Bucket": "notes", "Key": "out/skipped", "Body": strings.NewReader("x")})
	w.must("DeleteObject", map[string]any{"Bucket": "notes", "Key": "in/a b.txt"})
	msgs = receive(t, w.emu, "events")
	if len(msgs) != 2 {
		t.Fatalf("want 2 events, got %v", msgs)
	}
	byName := map[string]map[string]any{}
	for _, m := range msgs {
		r := m["Records"].([]any)[0].(map[string]any)
		byName[r["eventName"].(string)] = r
	}
	c := byName["ObjectCreated:Put"]
	if c == nil || c["eventVersion"] != "2.1" || c["eventSource"] != "aws:s3" || c["awsRegion"] != "us-east-1" {
		t.Fatalf("created record: %v", msgs)
	}
	s3v := c["s3"].(map[string]any)
	obj := s3v["object"].(map[string]any)
	if s3v["bucket"].(map[string]any)["name"] != "notes" || s3v["configurationId"] != "cfg1" || obj["key"] != "in%2Fa+b.txt" ||
		obj["size"] != float64(5) || obj["eTag"] != strings.Trim(put["ETag"].(string), `"`) || obj["sequencer"] == "" {
		t.Errorf("created object: %v", s3v)
	}
	if r := byName["ObjectRemoved:Delete"]; r == nil || r["s3"].(map[string]any)["object"].(map[string]any)["size"] != nil {
		t.Errorf("removed record: %v", msgs)
	}
}

// TestNotificationToMissingQueueIsInvalidArgument: S3 validates the
// destinations of a configuration (by sending the test event).
func TestNotificationToMissingQueueIsInvalidArgument(t *testing.T) {
	w := newWire(t, func(o *emulator.Options) { o.Services = []string{s3.Name, "sqs", "sns"} })
	w.must("CreateBucket", map[string]any{"Bucket": "notes"})
	_, resp, err := w.call("PutBucketNotificationConfiguration", map[string]any{"Bucket": "notes", "NotificationConfiguration": map[string]any{
		"TopicConfigurations": []any{map[string]any{"TopicArn": "arn:aws:sns:us-east-1:" + account + ":nope", "Events": []any{"s3:ObjectCreated:*"}}}}})
	var ae *protocol.APIError
	if resp.StatusCode != 400 || !asAPIError(err, &ae) || ae.Code != "InvalidArgument" || ae.Fields["ArgumentName"] == nil {
		t.Fatalf("%d %#v", resp.StatusCode, err)
	}
}
