package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const replayCassette = `version: 2
recorded_at: 2026-01-02T03:04:05Z
seed: 7
interactions:
  - id: 0
    service: sqs
    operation: GetQueueUrl
    region: region-1
    request:
      method: POST
      url: http://endpoint.fakecloud.invalid/
      headers:
        Authorization:
          - AWS4-HMAC-SHA256 Credential=FAKECLOUDKEY1XXXXXXX/20260102/region-1/sqs/aws4_request, SignedHeaders=host, Signature=REDACTED
        Content-Type:
          - application/x-amz-json-1.0
        X-Amz-Target:
          - AmazonSQS.GetQueueUrl
      body: '{"QueueName":"orders"}'
    response:
      status: 200
      headers:
        Content-Type:
          - application/x-amz-json-1.0
        Date:
          - Fri, 02 Jan 2026 03:04:05 GMT
      body: '{"QueueUrl":"http://endpoint.fakecloud.invalid/000000000001/orders"}'
count: 1
`

// fakecloud replay serves a cassette at an endpoint: a plain HTTP client
// (as boto3 or the CLI would send it) gets the recorded answer with the
// endpoint it used, and a request the cassette lacks gets 599 and the report.
func TestReplayCommandServesCassette(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(replayCassette), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"replay", path, "--addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := line[strings.LastIndex(line, " ")+1 : len(line)-1]
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("no URL in %q", line)
	}
	send := func(body string) (int, string) {
		req, _ := http.NewRequest("POST", url+"/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AmazonSQS.GetQueueUrl")
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=abc")
		c := &http.Client{Timeout: 10 * time.Second}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if s, b := send(`{"QueueName": "orders"}`); s != 200 || b != `{"QueueUrl":"`+url+`/000000000001/orders"}` {
		t.Errorf("replayed %d %s", s, b)
	}
	if s, b := send(`{"QueueName":"other"}`); s != 599 || !strings.Contains(b, "QueueName") {
		t.Errorf("miss answered %d %s", s, b)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("replay did not stop")
	}
}
