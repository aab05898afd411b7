package sqs_test

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestLongPollReturnsWhenMessageArrives(t *testing.T) {
	e := newEnv(t, true)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "lp"})["QueueUrl"].(string)
	type result struct {
		out map[string]any
		err error
		at  time.Time
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		out, err := e.json.Try("ReceiveMessage", map[string]any{"QueueUrl": url, "WaitTimeSeconds": int64(10)})
		done <- result{out, err, time.Now()}
	}()
	time.Sleep(200 * time.Millisecond) // let the receiver start waiting
	e.query.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "wake up"})
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		msgs, _ := r.out["Messages"].([]any)
		if len(msgs) != 1 {
			t.Fatalf("long poll returned %v", r.out)
		}
		if r.at.Sub(start) >= 10*time.Second {
			t.Fatalf("returned only when the wait expired")
		}
	case <-time.After(15 * time.Second):
		t.Fatal("long poll did not return")
	}
}

func TestLongPollHonoursCancellation(t *testing.T) {
	e := newEnv(t, true)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "lpc"})["QueueUrl"].(string)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.json.TryCtx(ctx, "ReceiveMessage", map[string]any{"QueueUrl": url, "WaitTimeSeconds": int64(20)})
	if err == nil {
		t.Fatal("cancelled receive succeeded")
	}
	if time.Since(start) >= 20*time.Second {
		t.Fatal("cancellation ignored")
	}
}

func Example() {
	// In a test: emulator.NewTestServer(t) gives the endpoint; here the
	// package's own helpers stand in for an SDK client.
	e := newEnv(&testing.T{}, false)
	url := e.json.Call("CreateQueue", map[string]any{"QueueName": "orders"})["QueueUrl"].(string)
	sent := e.json.Call("SendMessage", map[string]any{"QueueUrl": url, "MessageBody": "hello"})
	got := e.query.Call("ReceiveMessage", map[string]any{"QueueUrl": url})
	fmt.Println(sent["MD5OfMessageBody"])
	fmt.Println(got["Messages"].([]any)[0].(map[string]any)["Body"])
	// Output:
	// 5d41402abc4b2a76b9719d911017c592
	// hello
}
