package assertions_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/assertions"
	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/kms"
	_ "github.com/fakecloud/fakecloud/emulator/secretsmanager"
	_ "github.com/fakecloud/fakecloud/emulator/sns"
	_ "github.com/fakecloud/fakecloud/emulator/ssm"
	"github.com/fakecloud/fakecloud/fixtures"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const seed = `version: 1
kms: {keys: [{aliases: [alias/app]}]}
sqs: {queues: [{name: inbox}]}
sns: {topics: [{name: orders, subscriptions: [{queue: inbox}]}, {name: audit}]}
secretsmanager: {secrets: [{name: db/password, string: hunter2, kms_key_id: alias/app}, {name: tls/key, binary: AAECAw==}]}
ssm: {parameters: [{name: /app/flag, value: "on", labels: [prod]}, {name: /app/token, type: SecureString, value: s3cr3t, key_id: alias/app}]}
`

// newServer seeds a test server and returns it with a caller that speaks
// to it over HTTP, as the code under test would.
func newServer(t *testing.T) (*emulator.Emulator, fixtures.Caller) {
	t.Helper()
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 1, Services: []string{"sqs", "sns", "kms", "secretsmanager", "ssm"}})
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte(seed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fixtures.Load(ts.Emulator, path); err != nil {
		t.Fatal(err)
	}
	target := fixtures.Target{EndpointURL: ts.URL, Credentials: fixtures.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "x"}}
	return ts.Emulator, target.Caller()
}

func httpCall(t *testing.T, c fixtures.Caller, svc, op string, in map[string]any) map[string]any {
	t.Helper()
	out, err := c.Call(context.Background(), "", "", svc, op, in)
	if err != nil {
		t.Fatalf("%s %s: %v", svc, op, err)
	}
	return out
}

func topicARN(name string) string { return "arn:aws:sns:us-east-1:000000000000:" + name }

func TestSNSPublished(t *testing.T) {
	emu, c := newServer(t)
	httpCall(t, c, "sns", "Publish", map[string]any{"TopicArn": topicARN("orders"), "Message": "order 1", "Subject": "new",
		"MessageAttributes": map[string]any{"kind": map[string]any{"DataType": "String", "StringValue": "retail"}}})
	httpCall(t, c, "sns", "PublishBatch", map[string]any{"TopicArn": topicARN("audit"), "PublishBatchRequestEntries": []any{
		map[string]any{"Id": "a", "Message": "audit 1"}, map[string]any{"Id": "b", "Message": "audit 2"}}})

	t.Run("passes", func(t *testing.T) {
		if !assertions.SNSPublished(t, emu, "orders", assertions.SNSMessage{Message: "order 1"}) ||
			!assertions.SNSPublished(t, emu, topicARN("orders"), assertions.SNSMessage{Message: "order 1", Subject: "new"}) {
			t.Error("SNSPublished failed")
		}
	})
	fails := []struct {
		name, topic string
		want        assertions.SNSMessage
		msgs        []string
	}{
		{"wrong message", "orders", assertions.SNSMessage{Message: "order 2"},
			[]string{"no message published to topic orders matches", `-`, `"order 2"`, `+`, `"order 1"`}},
		{"wrong subject", "orders", assertions.SNSMessage{Message: "order 1", Subject: "old"}, []string{`"old"`, `"new"`}},
		{"attributes are not journaled", "orders", assertions.SNSMessage{Message: "order 1", Attributes: map[string]string{}}, []string{"use SNSDelivered"}},
		{"batch entries are not journaled", "audit", assertions.SNSMessage{Message: "audit 1"}, []string{"1 PublishBatch calls to it are not looked into"}},
		{"nothing published", "quiet", assertions.SNSMessage{Message: "x"}, []string{"nothing was published to topic quiet"}},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			ft := &fakeT{}
			if assertions.SNSPublished(ft, emu, tc.topic, tc.want) {
				t.Fatal("passed")
			}
			for _, w := range tc.msgs {
				if !strings.Contains(ft.text(), w) {
					t.Errorf("message lacks %q:\n%s", w, ft.text())
				}
			}
		})
	}
	// Looking did not receive: the subscribed queue still holds the message.
	assertions.SQSQueueDepth(t, emu, "inbox", 1)
}

func TestSNSDelivered(t *testing.T) {
	emu, c := newServer(t)
	httpCall(t, c, "sns", "Publish", map[string]any{"TopicArn": topicARN("orders"), "Message": "order 1", "Subject": "new",
		"MessageAttributes": map[string]any{"kind": map[string]any{"DataType": "String", "StringValue": "retail"}}})
	httpCall(t, c, "sns", "PublishBatch", map[string]any{"TopicArn": topicARN("orders"), "PublishBatchRequestEntries": []any{
		map[string]any{"Id": "a", "Message": "order 2"}}})
	if !assertions.SNSDelivered(t, emu, "inbox", assertions.SNSMessage{Message: "order 1", Subject: "new", Attributes: map[string]string{"kind": "retail"}}) ||
		!assertions.SNSDelivered(t, emu, "inbox", assertions.SNSMessage{Message: "order 2"}) {
		t.Error("SNSDelivered failed")
	}
	ft := &fakeT{}
	if assertions.SNSDelivered(ft, emu, "inbox", assertions.SNSMessage{Message: "order 1", Attributes: map[string]string{"kind": "wholesale"}}) {
		t.Fatal("passed")
	}
	if !strings.Contains(ft.text(), "no SNS message in queue inbox matches") || !strings.Contains(ft.text(), `"wholesale"`) || !strings.Contains(ft.text(), `"retail"`) {
		t.Errorf("message:\n%s", ft.text())
	}
	// The queue is as it was: both messages visible, never received.
	url := httpCall(t, c, "sqs", "GetQueueUrl", map[string]any{"QueueName": "inbox"})["QueueUrl"]
	got := httpCall(t, c, "sqs", "ReceiveMessage", map[string]any{"QueueUrl": url, "MaxNumberOfMessages": int64(10),
		"MessageSystemAttributeNames": []any{"ApproximateReceiveCount"}})
	msgs, _ := got["Messages"].([]any)
	if len(msgs) != 2 {
		t.Fatalf("queue holds %d messages; want 2", len(msgs))
	}
	for _, m := range msgs {
		if n := m.(map[string]any)["Attributes"].(map[string]any)["ApproximateReceiveCount"]; n != "1" {
			t.Errorf("ApproximateReceiveCount = %v; want 1", n)
		}
	}
}

func TestSecretEquals(t *testing.T) {
	emu, _ := newServer(t)
	if !assertions.SecretEquals(t, emu, "db/password", "hunter2") || !assertions.SecretEquals(t, emu, "tls/key", "\x00\x01\x02\x03") {
		t.Error("SecretEquals failed on seeded values")
	}
	ft := &fakeT{}
	if assertions.SecretEquals(ft, emu, "db/password", "letmein") {
		t.Fatal("passed")
	}
	if !strings.Contains(ft.text(), "secret db/password differs (-want +got)") || !strings.Contains(ft.text(), `"letmein"`) {
		t.Errorf("message:\n%s", ft.text())
	}
	ft = &fakeT{}
	if assertions.SecretEquals(ft, emu, "nope", "x") || !strings.Contains(ft.text(), "ResourceNotFoundException") {
		t.Errorf("missing secret: %s", ft.text())
	}
}

func TestParameterEquals(t *testing.T) {
	emu, _ := newServer(t)
	for name, want := range map[string]string{"/app/flag": "on", "/app/flag:prod": "on", "/app/flag:1": "on", "/app/token": "s3cr3t"} {
		if !assertions.ParameterEquals(t, emu, name, want) {
			t.Errorf("ParameterEquals(%s) failed", name)
		}
	}
	ft := &fakeT{}
	if assertions.ParameterEquals(ft, emu, "/app/token", "plain") {
		t.Fatal("passed")
	}
	if !strings.Contains(ft.text(), "parameter /app/token differs") || !strings.Contains(ft.text(), `"s3cr3t"`) {
		t.Errorf("message:\n%s", ft.text())
	}
	ft = &fakeT{}
	if assertions.ParameterEquals(ft, emu, "/app/missing", "x") || !strings.Contains(ft.text(), "ParameterNotFound") {
		t.Errorf("missing parameter: %s", ft.text())
	}
}

func TestParamsMatchBySubset(t *testing.T) {
	input := map[string]any{"QueueUrl": "u", "MaxNumberOfMessages": int64(10),
		"MessageAttributes": map[string]any{"a": map[string]any{"DataType": "String", "StringValue": "x"}},
		"AttributeNames":    []any{"All"}}
	for _, tc := range []struct {
		name string
		p    assertions.Params
		want bool
	}{
		{"empty matches all", assertions.Params{}, true},
		{"one member", assertions.Params{"QueueUrl": "u"}, true},
		{"go int", assertions.Params{"MaxNumberOfMessages": 10}, true},
		{"nested subset", assertions.Params{"MessageAttributes": map[string]any{"a": map[string]any{"StringValue": "x"}}}, true},
		{"list whole", assertions.Params{"AttributeNames": []string{"All"}}, true},
		{"wrong value", assertions.Params{"QueueUrl": "v"}, false},
		{"missing member", assertions.Params{"WaitTimeSeconds": 0}, false},
		{"nested wrong", assertions.Params{"MessageAttributes": map[string]any{"b": map[string]any{}}}, false},
	} {
		if got := tc.p.Match(input); got != tc.want {
			t.Errorf("%s: Match = %v; diff:\n%s", tc.name, got, tc.p.Diff(input))
		}
	}
	// Options tune the comparison.
	p := assertions.Params{"QueueUrl": "U"}
	if d := p.Diff(input, cmpopts.AcyclicTransformer("lower", strings.ToLower)); d != "" {
		t.Errorf("with a transformer: %s", d)
	}
}

func TestOperationCalledWith(t *testing.T) {
	emu, c := newServer(t)
	url := httpCall(t, c, "sqs", "GetQueueUrl", map[string]any{"QueueName": "inbox"})["QueueUrl"]
	httpCall(t, c, "sqs", "SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "one", "DelaySeconds": int64(0)})
	httpCall(t, c, "sqs", "SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "two"})
	if !assertions.OperationCalledWith(t, emu, "sqs", "SendMessage", 1, assertions.Params{"MessageBody": "two"}) ||
		!assertions.OperationCalledWith(t, emu, "sqs", "SendMessage", -1, assertions.Params{"QueueUrl": url}) ||
		!assertions.OperationCalled(t, emu, "sqs", "SendMessage", 2, assertions.Params{"QueueUrl": url}.Match) ||
		!assertions.OperationsCalled(t, emu, "sqs", "GetQueueUrl", "SendMessage", "SendMessage") {
		t.Error("journal assertions failed")
	}
	if got := assertions.CallsTo(emu, "sqs", assertions.Params{"MessageBody": "one"}, "SendMessage"); len(got) != 1 || got[0].Input["DelaySeconds"] != int64(0) {
		t.Errorf("CallsTo = %+v", got)
	}
	ft := &fakeT{}
	if assertions.OperationCalledWith(ft, emu, "sqs", "SendMessage", 1, assertions.Params{"MessageBody": "three"}) {
		t.Fatal("passed")
	}
	for _, w := range []string{"sqs.SendMessage called 0 times with {MessageBody=three}; want 1", "non-matching call 1 (-want +got)", `"one"`, `"two"`} {
		if !strings.Contains(ft.text(), w) {
			t.Errorf("message lacks %q:\n%s", w, ft.text())
		}
	}
	ft = &fakeT{}
	if assertions.OperationsCalled(ft, emu, "sqs", "SendMessage") || !strings.Contains(ft.text(), "calls to sqs differ (-want +got)") {
		t.Errorf("OperationsCalled: %s", ft.text())
	}
}
