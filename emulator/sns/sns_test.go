package sns_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	_ "github.com/fakecloud/fakecloud/emulator/sns"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// newClients serves sns and sqs through the in-process transport.
func newClients(t testing.TB) (sns, sqs *wiretest.Client) {
	emu := wiretest.NewEmulator(t, []string{"sns", "sqs"}, emulator.Options{Seed: 3})
	return wiretest.New(t, emu, "sns"), wiretest.New(t, emu, "sqs")
}

func queue(t testing.TB, sqs *wiretest.Client, name string) (url, arn string) {
	url = sqs.Call("CreateQueue", map[string]any{"QueueName": name})["QueueUrl"].(string)
	arn = sqs.Call("GetQueueAttributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"QueueArn"}})["Attributes"].(map[string]any)["QueueArn"].(string)
	return url, arn
}

func receiveBody(t testing.TB, sqs *wiretest.Client, url string) (string, map[string]any) {
	t.Helper()
	out := sqs.Call("ReceiveMessage", map[string]any{"QueueUrl": url, "MessageAttributeNames": []any{"All"}})
	msgs, _ := out["Messages"].([]any)
	if len(msgs) != 1 {
		t.Fatalf("queue %s: %v", url, out)
	}
	m := msgs[0].(map[string]any)
	attrs, _ := m["MessageAttributes"].(map[string]any)
	return m["Body"].(string), attrs
}

func TestPublishDeliversToSQSRawAndEnveloped(t *testing.T) {
	sns, sqs := newClients(t)
	topic := sns.Call("CreateTopic", map[string]any{"Name": "events"})["TopicArn"].(string)
	if again := sns.Call("CreateTopic", map[string]any{"Name": "events"})["TopicArn"]; again != topic {
		t.Fatalf("CreateTopic not idempotent: %v", again)
	}
	rawURL, rawArn := queue(t, sqs, "raw")
	envURL, envArn := queue(t, sqs, "enveloped")
	sub := sns.Call("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": rawArn,
		"Attributes": map[string]any{"RawMessageDelivery": "true"}})["SubscriptionArn"].(string)
	sns.Call("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": envArn})
	pub := sns.Call("Publish", map[string]any{"TopicArn": topic, "Message": "<hello & bye>", "Subject": "greeting",
		"MessageAttributes": map[string]any{"kind": map[string]any{"DataType": "String", "StringValue": "greet"}}})

	body, attrs := receiveBody(t, sqs, rawURL)
	if body != "<hello & bye>" || attrs["kind"].(map[string]any)["StringValue"] != "greet" {
		t.Errorf("raw delivery = %q %v", body, attrs)
	}
	body, _ = receiveBody(t, sqs, envURL)
	var env map[string]any
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("envelope %q: %v", body, err)
	}
	for k, v := range map[string]any{"Type": "Notification", "MessageId": pub["MessageId"], "TopicArn": topic,
		"Subject": "greeting", "Message": "<hello & bye>", "SignatureVersion": "1"} {
		if env[k] != v {
			t.Errorf("envelope %s = %v, want %v", k, env[k], v)
		}
	}
	for _, k := range []string{"Timestamp", "Signature", "SigningCertURL", "UnsubscribeURL"} {
		if env[k] == "" || env[k] == nil {
			t.Errorf("envelope lacks %s", k)
		}
	}
	if a := env["MessageAttributes"].(map[string]any)["kind"].(map[string]any); a["Type"] != "String" || a["Value"] != "greet" {
		t.Errorf("envelope attributes = %v", a)
	}
	got := sns.Call("GetSubscriptionAttributes", map[string]any{"SubscriptionArn": sub})["Attributes"].(map[string]any)
	if got["RawMessageDelivery"] != "true" || got["Endpoint"] != rawArn || got["PendingConfirmation"] != "false" {
		t.Errorf("subscription attributes = %v", got)
	}
	sns.Call("Unsubscribe", map[string]any{"SubscriptionArn": sub})
	subs := sns.Call("ListSubscriptionsByTopic", map[string]any{"TopicArn": topic})["Subscriptions"].([]any)
	if len(subs) != 1 {
		t.Errorf("after unsubscribe: %v", subs)
	}
	if _, err := sns.Try("Publish", map[string]any{"TopicArn": topic + "-missing", "Message": "x"}); err == nil || err.(*protocol.APIError).Code != "NotFound" {
		t.Errorf("publish to missing topic: %v", err)
	}
}

func TestFilterPolicySelectsSubscribers(t *testing.T) {
	sns, sqs := newClients(t)
	topic := sns.Call("CreateTopic", map[string]any{"Name": "filtered"})["TopicArn"].(string)
	url, arn := queue(t, sqs, "f")
	sub := sns.Call("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": arn,
		"Attributes": map[string]any{"RawMessageDelivery": "true", "FilterPolicy": `{"size":[{"numeric":[">",10]}]}`}})["SubscriptionArn"].(string)
	for i, n := range []string{"5", "50"} {
		sns.Call("Publish", map[string]any{"TopicArn": topic, "Message": fmt.Sprint("m", i),
			"MessageAttributes": map[string]any{"size": map[string]any{"DataType": "Number", "StringValue": n}}})
	}
	if body, _ := receiveBody(t, sqs, url); body != "m1" {
		t.Errorf("filtered delivery = %q", body)
	}
	sns.Call("SetSubscriptionAttributes", map[string]any{"SubscriptionArn": sub, "AttributeName": "FilterPolicyScope", "AttributeValue": "MessageBody"})
	sns.Call("SetSubscriptionAttributes", map[string]any{"SubscriptionArn": sub, "AttributeName": "FilterPolicy", "AttributeValue": `{"order":{"total":[{"numeric":[">=",100]}]}}`})
	sns.Call("Publish", map[string]any{"TopicArn": topic, "Message": `{"order":{"total":20}}`})
	sns.Call("Publish", map[string]any{"TopicArn": topic, "Message": `{"order":{"total":200}}`})
	if body, _ := receiveBody(t, sqs, url); body != `{"order":{"total":200}}` {
		t.Errorf("body-scope delivery = %q", body)
	}
	if _, err := sns.Try("SetSubscriptionAttributes", map[string]any{"SubscriptionArn": sub, "AttributeName": "FilterPolicy", "AttributeValue": `{"a":"notalist"}`}); err == nil {
		t.Error("invalid filter policy accepted")
	}
}

func Example() {
	sns, sqs := newClients(&testing.T{})
	topic := sns.Call("CreateTopic", map[string]any{"Name": "demo"})["TopicArn"].(string)
	url, arn := queue(&testing.T{}, sqs, "demo")
	sns.Call("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": arn, "Attributes": map[string]any{"RawMessageDelivery": "true"}})
	sns.Call("Publish", map[string]any{"TopicArn": topic, "Message": "hi"})
	body, _ := receiveBody(&testing.T{}, sqs, url)
	fmt.Println(body)
	// Output: hi
}

// TestFIFOTopicDeliversToFIFOQueueInGroupOrderOnce: a FIFO topic passes
// MessageGroupId and the deduplication id to a FIFO queue, keeps each
// group's publish order, gives
// strictly growing SequenceNumbers, and delivers a duplicate deduplication
// id (explicit or content-based) once, answering the first MessageId.
func TestFIFOTopicDeliversToFIFOQueueInGroupOrderOnce(t *testing.T) {
	sns, sqs := newClients(t)
	topic := sns.Call("CreateTopic", map[string]any{"Name": "orders.fifo",
		"Attributes": map[string]any{"FifoTopic": "true", "ContentBasedDeduplication": "true"}})["TopicArn"].(string)
	rawURL := sqs.Call("CreateQueue", map[string]any{"QueueName": "raw.fifo", "Attributes": map[string]any{"FifoQueue": "true"}})["QueueUrl"].(string)
	envURL := sqs.Call("CreateQueue", map[string]any{"QueueName": "env.fifo", "Attributes": map[string]any{"FifoQueue": "true"}})["QueueUrl"].(string)
	arnOf := func(u string) string {
		return sqs.Call("GetQueueAttributes", map[string]any{"QueueUrl": u, "AttributeNames": []any{"QueueArn"}})["Attributes"].(map[string]any)["QueueArn"].(string)
	}
	sns.Call("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": arnOf(rawURL), "Attributes": map[string]any{"RawMessageDelivery": "true"}})
	sns.Call("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": arnOf(envURL)})

	sns.WantErr("Publish", map[string]any{"TopicArn": topic, "Message": "no group"}, "InvalidParameter", 400)
	type pub struct{ group, body, dedup string }
	pubs := []pub{{"a", "a1", ""}, {"b", "b1", ""}, {"a", "a2", "d-a2"}, {"b", "b2", ""}, {"a", "a3", ""},
		{"a", "a2 again", "d-a2"}, // same explicit dedup id: not delivered
		{"b", "b1", ""},           // same body, content-based: not delivered
	}
	var last string
	ids := map[string]string{}
	for _, p := range pubs {
		in := map[string]any{"TopicArn": topic, "Message": p.body, "MessageGroupId": p.group}
		if p.dedup != "" {
			in["MessageDeduplicationId"] = p.dedup
		}
		out := sns.Call("Publish", in)
		seq, id := out["SequenceNumber"].(string), out["MessageId"].(string)
		key := p.dedup
		if key == "" {
			key = p.body
		}
		if first, ok := ids[key]; ok {
			if id != first {
				t.Errorf("duplicate %q: MessageId %s, want the first's %s", p.body, id, first)
			}
			continue
		}
		ids[key] = id
		if len(seq) != 20 || seq <= last {
			t.Errorf("%s: SequenceNumber %q after %q", p.body, seq, last)
		}
		last = seq
	}

	// Receive and delete until empty: each group arrives in publish order.
	receive := func(u string) (bodies []string, groups []string, envs []map[string]any) {
		for range 10 {
			out := sqs.Call("ReceiveMessage", map[string]any{"QueueUrl": u, "MaxNumberOfMessages": int64(10),
				"MessageSystemAttributeNames": []any{"MessageGroupId", "MessageDeduplicationId"}})
			msgs, _ := out["Messages"].([]any)
			if len(msgs) == 0 {
				break
			}
			for _, raw := range msgs {
				m := raw.(map[string]any)
				body := m["Body"].(string)
				if u == envURL {
					var env map[string]any
					if err := json.Unmarshal([]byte(body), &env); err != nil {
						t.Fatal(err)
					}
					envs = append(envs, env)
					body = env["Message"].(string)
				}
				bodies = append(bodies, body)
				groups = append(groups, m["Attributes"].(map[string]any)["MessageGroupId"].(string))
				sqs.Call("DeleteMessage", map[string]any{"QueueUrl": u, "ReceiptHandle": m["ReceiptHandle"]})
			}
		}
		return
	}
	for _, u := range []string{rawURL, envURL} {
		bodies, groups, envs := receive(u)
		if len(bodies) != 5 {
			t.Fatalf("%s: %d messages %v, want 5 (duplicates dropped)", u, len(bodies), bodies)
		}
		byGroup := map[string][]string{}
		for i, b := range bodies {
			if string(b[0]) != groups[i] {
				t.Errorf("%s: %q in group %q", u, b, groups[i])
			}
			byGroup[groups[i]] = append(byGroup[groups[i]], b)
		}
		if fmt.Sprint(byGroup["a"]) != "[a1 a2 a3]" || fmt.Sprint(byGroup["b"]) != "[b1 b2]" {
			t.Errorf("%s: group order %v", u, byGroup)
		}
		for _, env := range envs {
			if s, _ := env["SequenceNumber"].(string); len(s) != 20 {
				t.Errorf("envelope SequenceNumber %v", env["SequenceNumber"])
			}
		}
	}
}
