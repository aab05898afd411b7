package sqs_test

import (
	"sort"
	"testing"
)

// TestQueueURLWithoutAccountIsNonExistentQueue pins the fuzz finding
// QueueUrl=0//00 (FuzzLegacyQueryForm): a queue URL whose account segment is
// empty, or not an account the store can hold, names no queue. Every
// operation that takes a QueueUrl answers 400 QueueDoesNotExist (query code
// AWS.SimpleQueueService.NonExistentQueue), as for any unknown queue; before
// the fix SendMessage and SendMessageBatch answered 500 InternalFailure.
func TestQueueURLWithoutAccountIsNonExistentQueue(t *testing.T) {
	e := newEnv(t, false)
	good := e.json.Call("CreateQueue", map[string]any{"QueueName": "q1"})["QueueUrl"]
	e.json.Call("SendMessage", map[string]any{"QueueUrl": good, "MessageBody": "x"})
	msgs, _ := e.json.Call("ReceiveMessage", map[string]any{"QueueUrl": good})["Messages"].([]any)
	if len(msgs) != 1 {
		t.Fatalf("received %v", msgs)
	}
	handle := msgs[0].(map[string]any)["ReceiptHandle"]

	params := map[string]map[string]any{
		"AddPermission":                {"Label": "l", "AWSAccountIds": []any{"111122223333"}, "Actions": []any{"SendMessage"}},
		"ChangeMessageVisibility":      {"ReceiptHandle": handle, "VisibilityTimeout": int64(5)},
		"ChangeMessageVisibilityBatch": {"Entries": []any{map[string]any{"Id": "a", "ReceiptHandle": handle, "VisibilityTimeout": int64(5)}}},
		"DeleteMessage":                {"ReceiptHandle": handle},
		"DeleteMessageBatch":           {"Entries": []any{map[string]any{"Id": "a", "ReceiptHandle": handle}}},
		"DeleteQueue":                  {},
		"GetQueueAttributes":           {"AttributeNames": []any{"All"}},
		"ListDeadLetterSourceQueues":   {},
		"ListQueueTags":                {},
		"PurgeQueue":                   {},
		"ReceiveMessage":               {},
		"RemovePermission":             {"Label": "l"},
		"SendMessage":                  {"MessageBody": "x"},
		"SendMessageBatch":             {"Entries": []any{map[string]any{"Id": "0", "MessageBody": "x"}}},
		"SetQueueAttributes":           {"Attributes": map[string]any{"VisibilityTimeout": "10"}},
		"TagQueue":                     {"Tags": map[string]any{"k": "v"}},
		"UntagQueue":                   {"TagKeys": []any{"k"}},
	}
	// Every operation of the model with a QueueUrl member is covered.
	var withURL []string
	for name, op := range e.json.Model().Operations {
		if op.Input != nil && op.Input.Shape != nil && op.Input.Shape.Members["QueueUrl"] != nil {
			withURL = append(withURL, name)
		}
	}
	sort.Strings(withURL)
	for _, name := range withURL {
		if _, ok := params[name]; !ok {
			t.Errorf("operation %s takes a QueueUrl but is not covered", name)
		}
	}

	bad := []string{"0//00", "http://h//q", "http://sqs.us-east-1.localhost//q", "http://h/%00blobs/q", "http://sqs..x//q"}
	for _, name := range withURL {
		for _, u := range bad {
			in := map[string]any{"QueueUrl": u}
			for k, v := range params[name] {
				in[k] = v
			}
			_, err := e.json.Try(name, in)
			if err == nil {
				t.Errorf("json %s QueueUrl=%q succeeded", name, u)
				continue
			}
			je := apiErr(t, err)
			if je.StatusCode != 400 || je.Code != "QueueDoesNotExist" && je.QueryCode != "AWS.SimpleQueueService.NonExistentQueue" {
				t.Errorf("json %s QueueUrl=%q: %d %s (%s) %s", name, u, je.StatusCode, je.Code, je.QueryCode, je.Message)
			}
			_, err = e.query.Try(name, in)
			if err == nil {
				t.Errorf("query %s QueueUrl=%q succeeded", name, u)
				continue
			}
			qe := apiErr(t, err)
			if qe.StatusCode != 400 || qe.Code != "AWS.SimpleQueueService.NonExistentQueue" {
				t.Errorf("query %s QueueUrl=%q: %d %s %s", name, u, qe.StatusCode, qe.Code, qe.Message)
			}
		}
	}

	// GetQueueUrl with an owner account the store cannot hold.
	for _, owner := range []string{"\x00blobs", "a\nb"} {
		_, err := e.json.Try("GetQueueUrl", map[string]any{"QueueName": "q1", "QueueOwnerAWSAccountId": owner})
		if je := apiErr(t, err); je.StatusCode != 400 || je.QueryCode != "AWS.SimpleQueueService.NonExistentQueue" {
			t.Errorf("GetQueueUrl owner %q: %d %s %s", owner, je.StatusCode, je.Code, je.Message)
		}
	}
	// The good queue is untouched and still works.
	e.json.Call("GetQueueAttributes", map[string]any{"QueueUrl": good})
}
