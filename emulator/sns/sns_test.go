package sns_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/sns"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

type client struct {
	t     testing.TB
	hc    *http.Client
	u     *url.URL
	codec protocol.Codec
	svc   *model.Service
}

func loadModel(t testing.TB, name, version string) *model.Service {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "aws-data", "botocore", name, version)
	data, err := os.ReadFile(filepath.Join(dir, "service-2.json"))
	if err != nil {
		t.Skipf("botocore models not found in %s: %v", dir, err)
	}
	svc, err := model.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func (c *client) call(op string, p map[string]any) (map[string]any, error) {
	req, err := c.codec.MarshalRequest(context.Background(), c.svc.Operations[op], c.u, p)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	return c.codec.UnmarshalResponse(c.svc.Operations[op], resp)
}

func (c *client) must(op string, p map[string]any) map[string]any {
	c.t.Helper()
	out, err := c.call(op, p)
	if err != nil {
		c.t.Fatalf("%s: %v", op, err)
	}
	return out
}

// newClients serves sns and sqs through the in-process transport.
func newClients(t testing.TB) (sns, sqs *client) {
	snsModel, sqsModel := loadModel(t, "sns", "2010-03-31"), loadModel(t, "sqs", "2012-11-05")
	emu, err := emulator.New(emulator.Options{Seed: 3, Services: []string{"sns", "sqs"},
		Codecs: func(s *model.Service, p string) (protocol.Codec, error) { return codecs.ByName(p) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	hc := &http.Client{Transport: emu.Transport()}
	u, _ := url.Parse("http://localhost")
	q, _ := codecs.ByName("query")
	j, _ := codecs.ByName("json")
	return &client{t, hc, u, q, snsModel}, &client{t, hc, u, j, sqsModel}
}

func queue(t testing.TB, sqs *client, name string) (url, arn string) {
	url = sqs.must("CreateQueue", map[string]any{"QueueName": name})["QueueUrl"].(string)
	arn = sqs.must("GetQueueAttributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"QueueArn"}})["Attributes"].(map[string]any)["QueueArn"].(string)
	return url, arn
}

func receiveBody(t testing.TB, sqs *client, url string) (string, map[string]any) {
	t.Helper()
	out := sqs.must("ReceiveMessage", map[string]any{"QueueUrl": url, "MessageAttributeNames": []any{"All"}})
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
	topic := sns.must("CreateTopic", map[string]any{"Name": "events"})["TopicArn"].(string)
	if again := sns.must("CreateTopic", map[string]any{"Name": "events"})["TopicArn"]; again != topic {
		t.Fatalf("CreateTopic not idempotent: %v", again)
	}
	rawURL, rawArn := queue(t, sqs, "raw")
	envURL, envArn := queue(t, sqs, "enveloped")
	sub := sns.must("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": rawArn,
		"Attributes": map[string]any{"RawMessageDelivery": "true"}})["SubscriptionArn"].(string)
	sns.must("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": envArn})
	pub := sns.must("Publish", map[string]any{"TopicArn": topic, "Message": "<hello & bye>", "Subject": "greeting",
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
	got := sns.must("GetSubscriptionAttributes", map[string]any{"SubscriptionArn": sub})["Attributes"].(map[string]any)
	if got["RawMessageDelivery"] != "true" || got["Endpoint"] != rawArn || got["PendingConfirmation"] != "false" {
		t.Errorf("subscription attributes = %v", got)
	}
	sns.must("Unsubscribe", map[string]any{"SubscriptionArn": sub})
	subs := sns.must("ListSubscriptionsByTopic", map[string]any{"TopicArn": topic})["Subscriptions"].([]any)
	if len(subs) != 1 {
		t.Errorf("after unsubscribe: %v", subs)
	}
	if _, err := sns.call("Publish", map[string]any{"TopicArn": topic + "-missing", "Message": "x"}); err == nil || err.(*protocol.APIError).Code != "NotFound" {
		t.Errorf("publish to missing topic: %v", err)
	}
}

func TestFilterPolicySelectsSubscribers(t *testing.T) {
	sns, sqs := newClients(t)
	topic := sns.must("CreateTopic", map[string]any{"Name": "filtered"})["TopicArn"].(string)
	url, arn := queue(t, sqs, "f")
	sub := sns.must("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": arn,
		"Attributes": map[string]any{"RawMessageDelivery": "true", "FilterPolicy": `{"size":[{"numeric":[">",10]}]}`}})["SubscriptionArn"].(string)
	for i, n := range []string{"5", "50"} {
		sns.must("Publish", map[string]any{"TopicArn": topic, "Message": fmt.Sprint("m", i),
			"MessageAttributes": map[string]any{"size": map[string]any{"DataType": "Number", "StringValue": n}}})
	}
	if body, _ := receiveBody(t, sqs, url); body != "m1" {
		t.Errorf("filtered delivery = %q", body)
	}
	sns.must("SetSubscriptionAttributes", map[string]any{"SubscriptionArn": sub, "AttributeName": "FilterPolicyScope", "AttributeValue": "MessageBody"})
	sns.must("SetSubscriptionAttributes", map[string]any{"SubscriptionArn": sub, "AttributeName": "FilterPolicy", "AttributeValue": `{"order":{"total":[{"numeric":[">=",100]}]}}`})
	sns.must("Publish", map[string]any{"TopicArn": topic, "Message": `{"order":{"total":20}}`})
	sns.must("Publish", map[string]any{"TopicArn": topic, "Message": `{"order":{"total":200}}`})
	if body, _ := receiveBody(t, sqs, url); body != `{"order":{"total":200}}` {
		t.Errorf("body-scope delivery = %q", body)
	}
	if _, err := sns.call("SetSubscriptionAttributes", map[string]any{"SubscriptionArn": sub, "AttributeName": "FilterPolicy", "AttributeValue": `{"a":"notalist"}`}); err == nil {
		t.Error("invalid filter policy accepted")
	}
}

func Example() {
	sns, sqs := newClients(&testing.T{})
	topic := sns.must("CreateTopic", map[string]any{"Name": "demo"})["TopicArn"].(string)
	url, arn := queue(&testing.T{}, sqs, "demo")
	sns.must("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": arn, "Attributes": map[string]any{"RawMessageDelivery": "true"}})
	sns.must("Publish", map[string]any{"TopicArn": topic, "Message": "hi"})
	body, _ := receiveBody(&testing.T{}, sqs, url)
	fmt.Println(body)
	// Output: hi
}
