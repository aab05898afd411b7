package sqs_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
)

// benchEnv serves through the in-process transport (no sockets).
func benchEnv(b *testing.B) *wiretest.Client {
	emu := wiretest.NewEmulator(b, []string{"sqs"}, emulator.Options{Seed: 1})
	return wiretest.New(b, emu, "sqs", wiretest.BaseURL("http://sqs.us-east-1.localhost"), wiretest.Anonymous())
}

func BenchmarkSendMessage(b *testing.B) {
	c := benchEnv(b)
	q := c.Call("CreateQueue", map[string]any{"QueueName": "bench"})["QueueUrl"].(string)
	in := map[string]any{"QueueUrl": q, "MessageBody": "benchmark body",
		"MessageAttributes": map[string]any{"k": map[string]any{"DataType": "String", "StringValue": "v"}}}
	b.ReportAllocs()
	for b.Loop() {
		c.Call("SendMessage", in)
	}
}

func BenchmarkSendReceiveDelete(b *testing.B) {
	c := benchEnv(b)
	q := c.Call("CreateQueue", map[string]any{"QueueName": "bench"})["QueueUrl"].(string)
	b.ReportAllocs()
	for b.Loop() {
		c.Call("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": "x"})
		m := c.Call("ReceiveMessage", map[string]any{"QueueUrl": q})["Messages"].([]any)[0].(map[string]any)
		c.Call("DeleteMessage", map[string]any{"QueueUrl": q, "ReceiptHandle": m["ReceiptHandle"]})
	}
}
