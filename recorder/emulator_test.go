package recorder_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services" // every emulated service
	"github.com/fakecloud/fakecloud/recorder"
	"github.com/fakecloud/fakecloud/session"
)

// capture keeps every response the client sees, as bytes: status, headers
// (sorted) and body.
type capture struct {
	next http.RoundTripper
	seen []string
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err != nil {
		c.seen = append(c.seen, "error: "+err.Error())
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var b strings.Builder
	fmt.Fprintf(&b, "%d\n", resp.StatusCode)
	keys := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(resp.Header[k], ", "))
	}
	b.Write(body)
	c.seen = append(c.seen, b.String())
	return resp, nil
}

// workload drives sqs (json), s3 (rest-xml), sts (query) and dynamodb (json)
// through fakecloud's own session.
func workload(t *testing.T, endpoint string, rt http.RoundTripper) {
	t.Helper()
	ctx := context.Background()
	s, err := session.New(session.Options{Region: "us-east-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret",
		Env: func(string) string { return "" }, ConfigFile: "/nonexistent/config", CredentialsFile: "/nonexistent/credentials"})
	if err != nil {
		t.Fatal(err)
	}
	client := func(name string) *session.Client {
		c, err := s.Client(name, session.ClientOptions{EndpointURL: endpoint, HTTPClient: &http.Client{Transport: rt}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	must := func(out *session.Output, err error) *session.Output {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	sqs, s3, sts, ddb := client("sqs"), client("s3"), client("sts"), client("dynamodb")
	q := must(sqs.Call(ctx, "CreateQueue", session.Params{"QueueName": "orders"}))
	url := q.Data["QueueUrl"]
	must(sqs.Call(ctx, "SendMessage", session.Params{"QueueUrl": url, "MessageBody": "hello"}))
	must(sqs.Call(ctx, "ReceiveMessage", session.Params{"QueueUrl": url, "MaxNumberOfMessages": 1}))
	must(s3.Call(ctx, "CreateBucket", session.Params{"Bucket": "cassettes"}))
	must(s3.Call(ctx, "PutObject", session.Params{"Bucket": "cassettes", "Key": "a/b.txt", "Body": strings.NewReader("payload")}))
	got := must(s3.Call(ctx, "GetObject", session.Params{"Bucket": "cassettes", "Key": "a/b.txt"}))
	if rc, ok := got.Data["Body"].(io.ReadCloser); ok {
		io.Copy(io.Discard, rc)
		rc.Close()
	}
	if _, err := s3.Call(ctx, "GetObject", session.Params{"Bucket": "cassettes", "Key": "missing"}); err == nil {
		t.Fatal("GetObject of a missing key succeeded")
	}
	must(sts.Call(ctx, "GetCallerIdentity", nil))
	must(ddb.Call(ctx, "CreateTable", session.Params{"TableName": "orders", "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "id", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "id", "KeyType": "HASH"}}}))
	must(ddb.Call(ctx, "TransactWriteItems", session.Params{"TransactItems": []any{
		map[string]any{"Put": map[string]any{"TableName": "orders", "Item": map[string]any{"id": map[string]any{"S": "1"}}}}}}))
}

// A cassette recorded against fakecloud replays with fakecloud gone, and
// every response is byte-for-byte what the recording saw.
func TestRecordAgainstEmulatorReplaysByteIdentical(t *testing.T) {
	t.Setenv(recorder.EnvVar, "")
	srv := emulator.NewTestServer(t, emulator.Options{Seed: 42})
	path := filepath.Join(t.TempDir(), "emulator.yaml")
	rec, err := recorder.New(path, recorder.WithMode(recorder.Record))
	if err != nil {
		t.Fatal(err)
	}
	recorded := &capture{next: rec}
	workload(t, srv.URL, recorded)
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	endpoint := srv.URL
	srv.Close()

	play, err := recorder.New(path, recorder.KeepDate())
	if err != nil {
		t.Fatal(err)
	}
	replayed := &capture{next: play}
	workload(t, endpoint, replayed)
	if len(recorded.seen) != len(replayed.seen) || len(recorded.seen) < 10 {
		t.Fatalf("recorded %d responses, replayed %d", len(recorded.seen), len(replayed.seen))
	}
	for i := range recorded.seen {
		if recorded.seen[i] != replayed.seen[i] {
			t.Errorf("response %d differs:\nrecorded:\n%s\nreplayed:\n%s", i, recorded.seen[i], replayed.seen[i])
		}
	}
	if u := play.Unused(); len(u) != 0 {
		t.Errorf("%d interactions never replayed", len(u))
	}
	var ops []string
	for _, in := range play.Interactions() {
		ops = append(ops, in.Service+"."+in.Operation)
	}
	want := "sqs.CreateQueue sqs.SendMessage sqs.ReceiveMessage s3.CreateBucket s3.PutObject s3.GetObject s3.GetObject sts.GetCallerIdentity dynamodb.CreateTable dynamodb.TransactWriteItems"
	if strings.Join(ops, " ") != want {
		t.Errorf("operations:\n got %s\nwant %s", strings.Join(ops, " "), want)
	}
	findings, err := recorder.Check(path)
	if err != nil || len(findings) != 0 {
		t.Errorf("Check: %v %v", findings, err)
	}
}
