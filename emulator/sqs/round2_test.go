package sqs_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
)

// wireEnv is an emulator on a hand-moved clock with a JSON client.
func wireEnv(t *testing.T) (*wiretest.Client, *wiretest.Clock) {
	t.Helper()
	clk := wiretest.NewClock(time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC))
	emu := wiretest.NewEmulator(t, []string{"sqs"}, emulator.Options{Seed: 7, Clock: clk})
	return wiretest.New(t, emu, "sqs"), clk
}

func queueArn(c *wiretest.Client, url string) string {
	out := c.Call("GetQueueAttributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"QueueArn"}})
	return out["Attributes"].(map[string]any)["QueueArn"].(string)
}

// dlqPair makes a source queue whose messages go to a DLQ after one receive,
// and drives bodies into the DLQ.
func dlqPair(t *testing.T, c *wiretest.Client, name string, bodies ...string) (src, dlq, dlqArn string) {
	t.Helper()
	dlq = c.Call("CreateQueue", map[string]any{"QueueName": name + "-dlq"})["QueueUrl"].(string)
	dlqArn = queueArn(c, dlq)
	src = c.Call("CreateQueue", map[string]any{"QueueName": name, "Attributes": map[string]any{
		"RedrivePolicy": `{"deadLetterTargetArn":"` + dlqArn + `","maxReceiveCount":1}`}})["QueueUrl"].(string)
	for _, b := range bodies {
		c.Call("SendMessage", map[string]any{"QueueUrl": src, "MessageBody": b})
	}
	for range 2 {
		c.Call("ReceiveMessage", map[string]any{"QueueUrl": src, "MaxNumberOfMessages": int64(10), "VisibilityTimeout": int64(0)})
	}
	return src, dlq, dlqArn
}

func bodies(c *wiretest.Client, url string) []string {
	out := c.Call("ReceiveMessage", map[string]any{"QueueUrl": url, "MaxNumberOfMessages": int64(10), "VisibilityTimeout": int64(0)})
	msgs, _ := out["Messages"].([]any)
	var got []string
	for _, m := range msgs {
		got = append(got, m.(map[string]any)["Body"].(string))
	}
	return got
}

func TestStartMessageMoveTaskRedrivesToOriginalSource(t *testing.T) {
	c, _ := wireEnv(t)
	src, dlq, dlqArn := dlqPair(t, c, "orders", "a", "b")
	if got := bodies(c, dlq); len(got) != 2 {
		t.Fatalf("dlq holds %v, want 2 messages", got)
	}
	h := c.Call("StartMessageMoveTask", map[string]any{"SourceArn": dlqArn})["TaskHandle"].(string)
	if h == "" {
		t.Fatal("no TaskHandle")
	}
	if got := bodies(c, src); strings.Join(got, ",") != "a,b" {
		t.Fatalf("source holds %v after redrive", got)
	}
	if got := bodies(c, dlq); len(got) != 0 {
		t.Fatalf("dlq still holds %v", got)
	}
	res := c.Call("ListMessageMoveTasks", map[string]any{"SourceArn": dlqArn})["Results"].([]any)
	task := res[0].(map[string]any)
	if task["Status"] != "COMPLETED" || task["ApproximateNumberOfMessagesMoved"] != int64(2) || task["ApproximateNumberOfMessagesToMove"] != int64(2) {
		t.Fatalf("task %v", task)
	}
	for _, k := range []string{"TaskHandle", "DestinationArn", "MaxNumberOfMessagesPerSecond", "FailureReason"} {
		if _, ok := task[k]; ok {
			t.Errorf("completed task without those options has %s", k)
		}
	}
	// A completed task cannot be cancelled.
	c.WantErr("CancelMessageMoveTask", map[string]any{"TaskHandle": h}, "ResourceNotFoundException", 404)
}

func TestMessageMoveTaskRateFollowsTheClockAndCancels(t *testing.T) {
	c, clk := wireEnv(t)
	_, dlq, dlqArn := dlqPair(t, c, "slow", "1", "2", "3", "4", "5")
	dest := c.Call("CreateQueue", map[string]any{"QueueName": "elsewhere"})["QueueUrl"].(string)
	destArn := queueArn(c, dest)
	h := c.Call("StartMessageMoveTask", map[string]any{"SourceArn": dlqArn, "DestinationArn": destArn,
		"MaxNumberOfMessagesPerSecond": int64(2)})["TaskHandle"].(string)
	c.WantErr("StartMessageMoveTask", map[string]any{"SourceArn": dlqArn}, "InvalidParameterValue", 400)

	clk.Add(time.Second)
	task := c.Call("ListMessageMoveTasks", map[string]any{"SourceArn": dlqArn})["Results"].([]any)[0].(map[string]any)
	if task["Status"] != "RUNNING" || task["TaskHandle"] != h || task["ApproximateNumberOfMessagesMoved"] != int64(2) ||
		task["ApproximateNumberOfMessagesToMove"] != int64(5) || task["MaxNumberOfMessagesPerSecond"] != int64(2) ||
		task["DestinationArn"] != destArn {
		t.Fatalf("after 1s at 2/s: %v", task)
	}
	out := c.Call("CancelMessageMoveTask", map[string]any{"TaskHandle": h})
	if out["ApproximateNumberOfMessagesMoved"] != int64(2) {
		t.Fatalf("cancel: %v", out)
	}
	clk.Add(time.Minute)
	if got := bodies(c, dest); strings.Join(got, ",") != "1,2" {
		t.Fatalf("destination holds %v", got)
	}
	if got := bodies(c, dlq); len(got) != 3 {
		t.Fatalf("dlq holds %v, want the 3 unmoved", got)
	}
	task = c.Call("ListMessageMoveTasks", map[string]any{"SourceArn": dlqArn, "MaxResults": int64(10)})["Results"].([]any)[0].(map[string]any)
	if task["Status"] != "CANCELLED" {
		t.Fatalf("status %v", task["Status"])
	}
}

func TestMessageMoveTaskErrors(t *testing.T) {
	c, _ := wireEnv(t)
	src, dlq, dlqArn := dlqPair(t, c, "err")
	srcArn := queueArn(c, src)
	for _, tc := range []struct {
		op     string
		in     map[string]any
		code   string
		status int
		msg    string
	}{
		{"StartMessageMoveTask", map[string]any{"SourceArn": dlqArn + "x"}, "ResourceNotFoundException", 404, "The resource that you specified for the SourceArn parameter doesn't exist."},
		{"StartMessageMoveTask", map[string]any{"SourceArn": srcArn}, "InvalidParameterValue", 400, "Source queue must be configured as a Dead Letter Queue."},
		{"StartMessageMoveTask", map[string]any{"SourceArn": dlqArn, "DestinationArn": srcArn + "x"}, "ResourceNotFoundException", 404, "The resource that you specified for the DestinationArn parameter doesn't exist."},
		{"StartMessageMoveTask", map[string]any{"SourceArn": dlqArn, "MaxNumberOfMessagesPerSecond": int64(501)}, "InvalidParameterValue", 400, "Value 501 for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500."},
		{"ListMessageMoveTasks", map[string]any{"SourceArn": dlqArn, "MaxResults": int64(11)}, "InvalidParameterValue", 400, "Value 11 for parameter MaxResults is invalid. Reason: Must be between 1 and 10."},
		{"CancelMessageMoveTask", map[string]any{"TaskHandle": "foobared"}, "InvalidParameterValue", 400, "Value for parameter TaskHandle is invalid."},
	} {
		e := c.WantErr(tc.op, tc.in, tc.code, tc.status)
		if e.Message != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.op, e.Message, tc.msg)
		}
	}
	// A message sent straight to the DLQ has no source to go back to.
	c.Call("SendMessage", map[string]any{"QueueUrl": dlq, "MessageBody": "direct"})
	c.Call("StartMessageMoveTask", map[string]any{"SourceArn": dlqArn})
	task := c.Call("ListMessageMoveTasks", map[string]any{"SourceArn": dlqArn})["Results"].([]any)[0].(map[string]any)
	if task["Status"] != "FAILED" || task["FailureReason"] != "CouldNotDetermineMessageSource" {
		t.Fatalf("task %v", task)
	}
}

func TestAddPermissionWritesQueuePolicy(t *testing.T) {
	c, _ := wireEnv(t)
	q := c.Call("CreateQueue", map[string]any{"QueueName": "shared"})["QueueUrl"].(string)
	arn := queueArn(c, q)
	c.Call("AddPermission", map[string]any{"QueueUrl": q, "Label": "send", "AWSAccountIds": []any{"111122223333"}, "Actions": []any{"SendMessage"}})
	c.Call("AddPermission", map[string]any{"QueueUrl": q, "Label": "both", "AWSAccountIds": []any{"111122223333", "444455556666"},
		"Actions": []any{"ReceiveMessage", "DeleteMessage"}})
	e := c.WantErr("AddPermission", map[string]any{"QueueUrl": q, "Label": "send", "AWSAccountIds": []any{"1"}, "Actions": []any{"SendMessage"}}, "InvalidParameterValue", 400)
	if e.Message != "Value send for parameter Label is invalid. Reason: Already exists." {
		t.Errorf("duplicate label message %q", e.Message)
	}
	c.WantErr("AddPermission", map[string]any{"QueueUrl": q, "Label": "x", "AWSAccountIds": []any{"1"}, "Actions": []any{"CreateQueue"}}, "InvalidParameterValue", 400)

	attrs := c.Call("GetQueueAttributes", map[string]any{"QueueUrl": q, "AttributeNames": []any{"Policy"}})["Attributes"].(map[string]any)
	var pol struct {
		Version, Id string
		Statement   []struct {
			Sid, Effect, Resource string
			Principal             struct{ AWS any }
			Action                any
		}
	}
	if err := json.Unmarshal([]byte(attrs["Policy"].(string)), &pol); err != nil {
		t.Fatal(err)
	}
	if pol.Version != "2012-10-17" || pol.Id != arn+"/SQSDefaultPolicy" || len(pol.Statement) != 2 {
		t.Fatalf("policy %+v", pol)
	}
	s0, s1 := pol.Statement[0], pol.Statement[1]
	if s0.Sid != "send" || s0.Effect != "Allow" || s0.Resource != arn || s0.Principal.AWS != "arn:aws:iam::111122223333:root" || s0.Action != "SQS:SendMessage" {
		t.Errorf("statement 0 %+v", s0)
	}
	if l, _ := s1.Principal.AWS.([]any); len(l) != 2 {
		t.Errorf("statement 1 principals %v", s1.Principal.AWS)
	}
	if l, _ := s1.Action.([]any); len(l) != 2 || l[0] != "SQS:DeleteMessage" {
		t.Errorf("statement 1 actions %v", s1.Action)
	}

	c.Call("RemovePermission", map[string]any{"QueueUrl": q, "Label": "send"})
	c.Call("RemovePermission", map[string]any{"QueueUrl": q, "Label": "both"})
	e = c.WantErr("RemovePermission", map[string]any{"QueueUrl": q, "Label": "both"}, "InvalidParameterValue", 400)
	if !strings.Contains(e.Message, "can't find label") {
		t.Errorf("message %q", e.Message)
	}
	out := c.Call("GetQueueAttributes", map[string]any{"QueueUrl": q, "AttributeNames": []any{"Policy"}})
	if _, ok := out["Attributes"]; ok {
		t.Errorf("a policy without statements is dropped; got %v", out)
	}
}

func TestMessageSizeLimitIsOneMiB(t *testing.T) {
	c, _ := wireEnv(t)
	q := c.Call("CreateQueue", map[string]any{"QueueName": "big"})["QueueUrl"].(string)
	attrs := c.Call("GetQueueAttributes", map[string]any{"QueueUrl": q, "AttributeNames": []any{"MaximumMessageSize"}})["Attributes"].(map[string]any)
	if attrs["MaximumMessageSize"] != "1048576" {
		t.Fatalf("default MaximumMessageSize %v", attrs["MaximumMessageSize"])
	}
	c.Call("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": strings.Repeat("x", 1<<20)})
	c.WantErr("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": strings.Repeat("x", 1<<20+1)}, "InvalidParameterValue", 400)
	c.WantErr("SetQueueAttributes", map[string]any{"QueueUrl": q, "Attributes": map[string]any{"MaximumMessageSize": "1048577"}}, "InvalidAttributeValue", 400)
	c.Call("SetQueueAttributes", map[string]any{"QueueUrl": q, "Attributes": map[string]any{"MaximumMessageSize": "1024"}})
	c.WantErr("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": strings.Repeat("x", 1025)}, "InvalidParameterValue", 400)
	c.WantErr("SendMessageBatch", map[string]any{"QueueUrl": q, "Entries": []any{
		map[string]any{"Id": "a", "MessageBody": strings.Repeat("x", 600<<10)},
		map[string]any{"Id": "b", "MessageBody": strings.Repeat("x", 600<<10)},
	}}, "AWS.SimpleQueueService.BatchRequestTooLong", 400) // SDKs read the query code of an awsQueryCompatible error
}

func TestFIFOReceiveRequestAttemptIdReturnsTheSameMessages(t *testing.T) {
	c, clk := wireEnv(t)
	q := c.Call("CreateQueue", map[string]any{"QueueName": "jobs.fifo", "Attributes": map[string]any{
		"FifoQueue": "true", "ContentBasedDeduplication": "true"}})["QueueUrl"].(string)
	for _, b := range []string{"a", "b", "c"} {
		c.Call("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": b, "MessageGroupId": b})
	}
	recv := func(attempt string) []any {
		in := map[string]any{"QueueUrl": q, "MaxNumberOfMessages": int64(2), "AttributeNames": []any{"ApproximateReceiveCount"}}
		if attempt != "" {
			in["ReceiveRequestAttemptId"] = attempt
		}
		m, _ := c.Call("ReceiveMessage", in)["Messages"].([]any)
		return m
	}
	first := recv("try-1")
	retry := recv("try-1")
	if len(first) != 2 || len(retry) != 2 {
		t.Fatalf("got %d then %d messages", len(first), len(retry))
	}
	for i := range first {
		a, b := first[i].(map[string]any), retry[i].(map[string]any)
		if a["MessageId"] != b["MessageId"] || a["ReceiptHandle"] != b["ReceiptHandle"] {
			t.Errorf("retry %d differs: %v vs %v", i, a, b)
		}
		if b["Attributes"].(map[string]any)["ApproximateReceiveCount"] != "1" {
			t.Errorf("a retry is not another receive: %v", b["Attributes"])
		}
	}
	// Another attempt id gets the remaining message.
	if got := recv("try-2"); len(got) != 1 || got[0].(map[string]any)["Body"] != "c" {
		t.Fatalf("try-2 got %v", got)
	}
	// Once a message is deleted, the attempt is spent.
	c.Call("DeleteMessage", map[string]any{"QueueUrl": q, "ReceiptHandle": first[0].(map[string]any)["ReceiptHandle"]})
	if got := recv("try-1"); len(got) != 0 {
		t.Fatalf("spent attempt returned %v", got)
	}
	// After five minutes an attempt id is forgotten.
	clk.Add(31 * time.Second) // visibility timeout over: b and c are back
	recv("try-3")
	clk.Add(5*time.Minute + time.Second)
	if got := recv("try-3"); len(got) != 2 || got[0].(map[string]any)["Attributes"].(map[string]any)["ApproximateReceiveCount"] != "3" {
		t.Fatalf("expired attempt: %v", got)
	}
	c.WantErr("ReceiveMessage", map[string]any{"QueueUrl": q, "ReceiveRequestAttemptId": strings.Repeat("x", 129)}, "InvalidParameterValue", 400)
}
