package recorder_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/fakecloud/fakecloud/recorder"
)

// fakeT stands in for *testing.T so the example can run; in a test pass t.
type fakeT struct{ cleanups []func() }

func (f *fakeT) Helper()                        {}
func (f *fakeT) Name() string                   { return "ExampleForTest" }
func (f *fakeT) Cleanup(fn func())              { f.cleanups = append(f.cleanups, fn) }
func (f *fakeT) Errorf(format string, a ...any) { fmt.Printf("error: "+format+"\n", a...) }
func (f *fakeT) Fatalf(format string, a ...any) { fmt.Printf("fatal: "+format+"\n", a...) }
func (f *fakeT) done() {
	for _, fn := range f.cleanups {
		fn()
	}
}

func sqsCall(c *http.Client, op, body string) string {
	req, _ := http.NewRequest("POST", "https://sqs.us-east-1.amazonaws.com/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AmazonSQS."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0123")
	resp, err := c.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// ForTest replays testdata/cassettes/example-sqs.yaml. The requests differ
// from the recorded ones in signature, date and JSON key order; they match
// because the recorder compares service, operation and parameters.
func ExampleForTest() {
	t := &fakeT{}
	defer t.done()
	// IgnoreEnv keeps this example in replay even under FAKECLOUD_RECORD=all;
	// a real test leaves it out.
	rec := recorder.ForTest(t, "example-sqs", recorder.IgnoreEnv())
	client := rec.Client()

	fmt.Println(sqsCall(client, "GetQueueUrl", `{"QueueName":"orders"}`))
	fmt.Println(sqsCall(client, "SendMessage", `{"MessageBody":"hello","QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/orders"}`))
	fmt.Println(rec.Clock()().Format("2006-01-02 15:04:05"))
	// Output:
	// {"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/orders"}
	// {"MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592","MessageId":"5fea7756-0ea4-451a-a703-a558b933e274"}
	// 2026-01-02 03:04:06
}

// New records against a real endpoint (here an httptest server) and
// replays once the endpoint is gone.
func ExampleNew() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"Table":{"TableName":"users","ItemCount":3}}`)
	}))
	dir, _ := os.MkdirTemp("", "cassette")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "dynamodb.yaml")

	describe := func(c *http.Client) string {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(`{"TableName":"users"}`))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.DescribeTable")
		resp, err := c.Do(req)
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	rec, _ := recorder.New(path, recorder.WithMode(recorder.Record), recorder.IgnoreEnv())
	fmt.Println("recorded:", describe(rec.Client()))
	_ = rec.Stop()
	srv.Close()

	play, _ := recorder.New(path, recorder.IgnoreEnv())
	fmt.Println("replayed:", describe(play.Client()))
	// Output:
	// recorded: {"Table":{"TableName":"users","ItemCount":3}}
	// replayed: {"Table":{"TableName":"users","ItemCount":3}}
}

func ExampleShow() {
	_ = recorder.Show(os.Stdout, filepath.Join("testdata", "cassettes", "example-sqs.yaml"))
	// Output:
	// #  SERVICE  OPERATION    PARAMS                                                               STATUS
	// 0  sqs      GetQueueUrl  QueueName=orders                                                     200
	// 1  sqs      SendMessage  MessageBody=hello QueueUrl=https://sqs.us-east-1.amazonaws.com/1...  200
}

func ExampleCheck() {
	findings, err := recorder.Check(filepath.Join("testdata", "cassettes"))
	fmt.Println(len(findings), err)
	// Output:
	// 0 <nil>
}
