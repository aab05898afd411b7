package session_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/s3"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
	"github.com/fakecloud/fakecloud/session"
)

func emuSession(t testing.TB) *session.Session {
	t.Helper()
	s, err := session.New(session.Options{Region: "us-east-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret",
		Env: func(string) string { return "" }, ConfigFile: "/nonexistent/config", CredentialsFile: "/nonexistent/credentials"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// End to end through the emulator: S3 bucket, object round trip, paginator,
// waiter and a modeled error.
func TestEndToEndS3ThroughEmulator(t *testing.T) {
	srv := emulator.NewTestServer(t)
	ctx := context.Background()
	c, err := emuSession(t).Client("s3", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "create_bucket", session.Params{"Bucket": "e2e"}); err != nil {
		t.Fatal(err)
	}
	w, _ := c.Waiter("bucket_exists")
	if err := w.Wait(ctx, session.Params{"Bucket": "e2e"}, session.WaiterConfig{MaxAttempts: 2}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := c.Call(ctx, "PutObject", session.Params{"Bucket": "e2e", "Key": fmt.Sprintf("k%d", i), "Body": strings.NewReader("v")}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.Call(ctx, "GetObject", session.Params{"Bucket": "e2e", "Key": "k3"})
	if err != nil {
		t.Fatal(err)
	}
	body := got.Data["Body"].(io.ReadCloser)
	b, _ := io.ReadAll(body)
	body.Close()
	if string(b) != "v" {
		t.Errorf("body = %q", b)
	}
	p, _ := c.Paginator("list_objects_v2")
	var keys []string
	for k, err := range p.Pages(ctx, session.Params{"Bucket": "e2e"}, session.PaginationConfig{PageSize: 2}).Search("Contents[].Key") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
	}
	if strings.Join(keys, ",") != "k0,k1,k2,k3,k4" {
		t.Errorf("keys = %v", keys)
	}
	_, err = c.Call(ctx, "GetObject", session.Params{"Bucket": "e2e", "Key": "missing"})
	var ae *session.APIError
	if !errors.As(err, &ae) || ae.Code != "NoSuchKey" || ae.HTTPStatus != 404 {
		t.Errorf("err = %v", err)
	}
	if code, _ := c.Exceptions().Code("NoSuchKey"); !errors.Is(err, code) {
		t.Error("errors.Is(NoSuchKey) failed")
	}
}

func TestEndToEndSQSThroughEmulator(t *testing.T) {
	srv := emulator.NewTestServer(t)
	ctx := context.Background()
	c, err := emuSession(t).Client("sqs", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	q, err := c.Call(ctx, "create_queue", session.Params{"QueueName": "jobs"})
	if err != nil {
		t.Fatal(err)
	}
	url := q.String("QueueUrl")
	if _, err := c.Call(ctx, "SendMessage", session.Params{"QueueUrl": url, "MessageBody": "hello"}); err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(ctx, "ReceiveMessage", session.Params{"QueueUrl": url})
	if err != nil {
		t.Fatal(err)
	}
	if out.String("Messages[0].Body") != "hello" {
		t.Errorf("out = %#v", out.Data)
	}
	_, err = c.Call(ctx, "GetQueueUrl", session.Params{"QueueName": "nope"})
	var ae *session.APIError
	if !errors.As(err, &ae) || !ae.Modeled {
		t.Errorf("err = %#v", err)
	}
}
