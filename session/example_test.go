package session_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/session"
)

// noEnv keeps examples independent of the machine's AWS settings.
func noEnv(string) string { return "" }

func ExampleNew() {
	s, err := session.New(session.Options{Region: "eu-west-1", Env: noEnv,
		ConfigFile: "/nonexistent", CredentialsFile: "/nonexistent"})
	if err != nil {
		panic(err)
	}
	fmt.Println(s)
	fmt.Println(s.ProfileName())
	p, _ := s.PartitionForRegion("cn-north-1")
	fmt.Println(p)
	fmt.Println(s.AvailableRegions("dynamodb", "aws-cn", false))
	// Output:
	// Session(region_name='eu-west-1')
	// default
	// aws-cn
	// [cn-north-1 cn-northwest-1]
}

// exampleServer runs the emulator for an Example (which has no *testing.T).
func exampleServer() (*emulator.TestServer, func()) {
	tb := &exampleTB{}
	srv := emulator.NewTestServer(tb)
	return srv, tb.cleanup
}

type exampleTB struct {
	testing.TB
	fns []func()
}

func (t *exampleTB) Cleanup(f func()) { t.fns = append(t.fns, f) }
func (t *exampleTB) Helper()          {}
func (t *exampleTB) Fatalf(f string, a ...any) {
	panic(fmt.Sprintf(f, a...))
}
func (t *exampleTB) Fatal(a ...any) { panic(fmt.Sprint(a...)) }
func (t *exampleTB) Errorf(f string, a ...any) {
	panic(fmt.Sprintf(f, a...))
}
func (t *exampleTB) TempDir() string { return "" }
func (t *exampleTB) Name() string    { return "example" }
func (t *exampleTB) cleanup() {
	for i := len(t.fns) - 1; i >= 0; i-- {
		t.fns[i]()
	}
}

func exampleSession() *session.Session {
	s, err := session.New(session.Options{Region: "us-east-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret",
		Env: noEnv, ConfigFile: "/nonexistent", CredentialsFile: "/nonexistent"})
	if err != nil {
		panic(err)
	}
	return s
}

func ExampleSession_Client() {
	srv, stop := exampleServer()
	defer stop()
	ctx := context.Background()
	sqs, err := exampleSession().Client("sqs", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		panic(err)
	}
	q, _ := sqs.Call(ctx, "create_queue", session.Params{"QueueName": "jobs"})
	sqs.Call(ctx, "SendMessage", session.Params{"QueueUrl": q.String("QueueUrl"), "MessageBody": "hello"})
	out, err := sqs.Call(ctx, "ReceiveMessage", session.Params{"QueueUrl": q.String("QueueUrl")})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.String("Messages[0].Body"))
	// Output: hello
}

func ExamplePaginator() {
	srv, stop := exampleServer()
	defer stop()
	ctx := context.Background()
	s3, _ := exampleSession().Client("s3", session.ClientOptions{EndpointURL: srv.URL})
	s3.Call(ctx, "CreateBucket", session.Params{"Bucket": "photos"})
	for _, k := range []string{"a.jpg", "b.jpg", "c.jpg"} {
		s3.Call(ctx, "PutObject", session.Params{"Bucket": "photos", "Key": k, "Body": strings.NewReader("x")})
	}
	p, _ := s3.Paginator("list_objects_v2")
	for key, err := range p.Pages(ctx, session.Params{"Bucket": "photos"}, session.PaginationConfig{PageSize: 2}).Search("Contents[].Key") {
		if err != nil {
			panic(err)
		}
		fmt.Println(key)
	}
	// Output:
	// a.jpg
	// b.jpg
	// c.jpg
}

func ExampleWaiter() {
	srv, stop := exampleServer()
	defer stop()
	ctx := context.Background()
	s3, _ := exampleSession().Client("s3", session.ClientOptions{EndpointURL: srv.URL})
	s3.Call(ctx, "CreateBucket", session.Params{"Bucket": "logs"})
	w, _ := s3.Waiter("bucket_exists")
	fmt.Println(w.Name(), w.Wait(ctx, session.Params{"Bucket": "logs"}, session.WaiterConfig{}))
	// Output: BucketExists <nil>
}

// A before-send handler that returns a response skips the network: the
// natural hook for canned responses.
func ExampleEvents() {
	s := exampleSession()
	s.Events().Register("before-send.dynamodb.ListTables", func(ctx context.Context, e *session.Event) (any, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"X-Amzn-Requestid": {"canned"}},
			Body: io.NopCloser(strings.NewReader(`{"TableNames":["users"]}`))}, nil
	})
	ddb, _ := s.Client("dynamodb", session.ClientOptions{})
	out, err := ddb.Call(context.Background(), "list_tables", nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(out.List("TableNames"), out.ResponseMetadata.RequestID)
	// Output: [users] canned
}
