package recorder

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A cassette recorded against an endpoint on one port, in one region,
// replays against another port and region: the response carries the live
// endpoint (SQS QueueUrl) and Content-Length stays true.
func TestCassetteReplaysOnAnotherEndpointAndRegion(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "env.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	c := &http.Client{Transport: signer{next: rec, service: "sqs", region: "us-east-1"}}
	_, b, _ := call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	var got struct{ QueueUrl string }
	json.Unmarshal(b, &got)
	call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"`+got.QueueUrl+`","MessageBody":"a"}`)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	host := strings.TrimPrefix(aws.URL, "http://")
	if strings.Contains(string(data), host) || strings.Contains(string(data), "us-east-1/sqs") {
		t.Fatalf("cassette keeps the recording endpoint or region:\n%s", data)
	}
	if !strings.Contains(string(data), EndpointPlaceholder+"/000000000001/q") {
		t.Fatalf("QueueUrl not normalised:\n%s", data)
	}
	aws.Close()

	other := "http://127.0.0.1:9"
	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	pc := &http.Client{Transport: signer{next: play, service: "sqs", region: "eu-west-1"}}
	_, b, h := call(t, pc, "POST", other, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	json.Unmarshal(b, &got)
	if got.QueueUrl != other+"/000000000001/q" {
		t.Errorf("replayed QueueUrl %q, want the live endpoint %s", got.QueueUrl, other)
	}
	if cl := h.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(b)) {
		t.Errorf("Content-Length %s for %d bytes", cl, len(b))
	}
	if s, _, _ := call(t, pc, "POST", other, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"`+got.QueueUrl+`","MessageBody":"a"}`); s != 200 {
		t.Errorf("SendMessage with the live QueueUrl: %d", s)
	}
}

// Replayed Date headers read the replay clock (near now, in recorded
// order), so aws-sdk-go-v2's clock-skew correction stays near zero;
// KeepDate replays the recorded header.
func TestReplayedDateFollowsReplayClock(t *testing.T) {
	path, base := recordTwoOps(t)
	recorded := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Format(http.TimeFormat)
	for _, keep := range []bool{false, true} {
		opts := []Option{IgnoreEnv()}
		if keep {
			opts = append(opts, KeepDate())
		}
		play, _ := New(path, opts...)
		_, _, h := call(t, signedClient(play, "sqs"), "POST", base, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
		d, err := http.ParseTime(h.Get("Date"))
		if err != nil {
			t.Fatal(err)
		}
		if keep && h.Get("Date") != recorded {
			t.Errorf("KeepDate: Date %q, want %q", h.Get("Date"), recorded)
		}
		if !keep && (time.Since(d) > time.Minute || time.Until(d) > time.Minute) {
			t.Errorf("Date %v is not near now", d)
		}
		if rc := play.ReplayClock()(); !keep && rc.Sub(d) > time.Second {
			t.Errorf("ReplayClock %v after the replayed Date %v", rc, d)
		}
	}
	cas, _ := LoadCassette(path)
	if cas.Seed == 0 || cas.RecordedAt.IsZero() {
		t.Errorf("header lacks seed or start time: %+v", cas)
	}
	rec, _ := New(filepath.Join(t.TempDir(), "s.yaml"), WithMode(Record), IgnoreEnv(), WithSeed(42))
	if rec.Seed() != 42 {
		t.Errorf("Seed() = %d", rec.Seed())
	}
}

// A DynamoDB TableExists waiter's DescribeTable polls are recognised from
// the model's waiters; CompactWaiters keeps the first and last, and replay
// answers any number of polls without sleeping.
func TestWaiterPollsAreRecognisedAndCompacted(t *testing.T) {
	srv := okServer(t)
	path := filepath.Join(t.TempDir(), "w.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv(), CompactWaiters())
	c := signedClient(rec, "dynamodb")
	ddb := map[string]string{"X-Amz-Target": "DynamoDB_20120810.DescribeTable", "Content-Type": "application/x-amz-json-1.0"}
	call(t, c, "POST", srv.URL, jsonTarget("DynamoDB_20120810.CreateTable"), `{"TableName":"t"}`)
	for i := 0; i < 5; i++ {
		call(t, c, "POST", srv.URL, ddb, `{"TableName":"t"}`)
	}
	call(t, c, "POST", srv.URL, jsonTarget("DynamoDB_20120810.PutItem"), `{"TableName":"t","Item":{}}`)
	call(t, c, "POST", srv.URL, ddb, `{"TableName":"t"}`) // a lone describe is no polling sequence
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	cas, err := LoadCassette(path)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, in := range cas.Interactions {
		ops = append(ops, in.Operation+"["+in.Waiter+"]")
	}
	want := "CreateTable[] DescribeTable[TableExists,TableNotExists] DescribeTable[TableExists,TableNotExists] PutItem[] DescribeTable[]"
	if strings.Join(ops, " ") != want {
		t.Fatalf("cassette:\n got %s\nwant %s", strings.Join(ops, " "), want)
	}
	play, _ := New(path, IgnoreEnv())
	pc := signedClient(play, "dynamodb")
	call(t, pc, "POST", srv.URL, jsonTarget("DynamoDB_20120810.CreateTable"), `{"TableName":"t"}`)
	start := time.Now()
	var answers []string
	for i := 0; i < 8; i++ {
		s, b, _ := call(t, pc, "POST", srv.URL, ddb, `{"TableName":"t"}`)
		if s != 200 {
			t.Fatalf("poll %d: %d", i, s)
		}
		answers = append(answers, string(b))
	}
	if answers[0] != `{"n":2}` || answers[1] != `{"n":6}` || answers[2] != `{"n":8}` || answers[7] != `{"n":6}` {
		t.Errorf("polls answered %v, want the first poll, the last, the lone describe, then the last poll again", answers)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("8 replayed polls took %v", d)
	}
}
