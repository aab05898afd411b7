package recorder

import (
	"testing"
)

// Loading decodes nothing; the first request decodes only the interactions
// filed under its operation (and those filed under none).
func TestStoredRequestsDecodeLazilyPerOperation(t *testing.T) {
	path, base := recordTwoOps(t)
	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	if play.pending != 2 {
		t.Fatalf("%d pending after load, want 2", play.pending)
	}
	c := signedClient(play, "sqs")
	if s, _, _ := call(t, c, "POST", base, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`); s != 200 {
		t.Fatal(s)
	}
	if play.pending != 1 || !play.decoded[0] || play.decoded[1] {
		t.Fatalf("after GetQueueUrl: pending %d decoded %v", play.pending, play.decoded)
	}
}

// A cassette whose service/operation labels disagree with its requests
// (hand-edited, or written with another decoder) still matches: a miss
// decodes everything and looks again.
func TestLazyDecodeSurvivesWrongLabels(t *testing.T) {
	path, base := recordTwoOps(t)
	cas, err := LoadCassette(path)
	if err != nil {
		t.Fatal(err)
	}
	cas.Interactions[1].Operation = "SomethingElse"
	cas.Interactions[0].Service = ""
	if err := WriteCassette(path, cas); err != nil {
		t.Fatal(err)
	}
	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	c := signedClient(play, "sqs")
	if s, b, _ := call(t, c, "POST", base, jsonTarget("AmazonSQS.SendMessage"), `{"MessageBody":"a","QueueUrl":"q"}`); s != 200 {
		t.Fatalf("SendMessage under a wrong label: %d %s", s, b)
	}
	if s, b, _ := call(t, c, "POST", base, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`); s != 200 {
		t.Fatalf("GetQueueUrl without a service label: %d %s", s, b)
	}
	if u := play.Unused(); len(u) != 0 {
		t.Errorf("%d unused", len(u))
	}
}
