package sns_test

import (
	"fmt"
	"testing"
)

// BenchmarkFanOutToTenQueues publishes to a topic with ten SQS subscribers
// (in-process transport).
func BenchmarkFanOutToTenQueues(b *testing.B) {
	sns, sqs := newClients(b)
	topic := sns.Call("CreateTopic", map[string]any{"Name": "fan"})["TopicArn"].(string)
	for i := 0; i < 10; i++ {
		_, arn := queue(b, sqs, fmt.Sprint("q", i))
		sns.Call("Subscribe", map[string]any{"TopicArn": topic, "Protocol": "sqs", "Endpoint": arn})
	}
	in := map[string]any{"TopicArn": topic, "Message": "fan-out"}
	b.ReportAllocs()
	for b.Loop() {
		sns.Call("Publish", in)
	}
}
