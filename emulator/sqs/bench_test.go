package sqs_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

// benchEnv serves through the in-process transport (no sockets).
func benchEnv(b *testing.B) *client {
	svc := loadModel(b, "sqs", "2012-11-05")
	emu, err := emulator.New(emulator.Options{Seed: 1, Services: []string{"sqs"},
		Codecs: func(s *model.Service, p string) (protocol.Codec, error) { return codecs.ByName(p) }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = emu.Close() })
	jc, _ := codecs.ByName("json")
	u, _ := url.Parse("http://sqs.us-east-1.localhost")
	return &client{t: b, hc: &http.Client{Transport: emu.Transport()}, url: u, codec: jc, svc: svc}
}

func BenchmarkSendMessage(b *testing.B) {
	c := benchEnv(b)
	q := c.must("CreateQueue", map[string]any{"QueueName": "bench"})["QueueUrl"].(string)
	in := map[string]any{"QueueUrl": q, "MessageBody": "benchmark body",
		"MessageAttributes": map[string]any{"k": map[string]any{"DataType": "String", "StringValue": "v"}}}
	b.ReportAllocs()
	for b.Loop() {
		c.must("SendMessage", in)
	}
}

func BenchmarkSendReceiveDelete(b *testing.B) {
	c := benchEnv(b)
	q := c.must("CreateQueue", map[string]any{"QueueName": "bench"})["QueueUrl"].(string)
	b.ReportAllocs()
	for b.Loop() {
		c.must("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": "x"})
		m := c.must("ReceiveMessage", map[string]any{"QueueUrl": q})["Messages"].([]any)[0].(map[string]any)
		c.must("DeleteMessage", map[string]any{"QueueUrl": q, "ReceiptHandle": m["ReceiptHandle"]})
	}
}
