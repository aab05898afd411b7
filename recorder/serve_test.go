package recorder

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// "Throttle the 1st SendMessage": the injected answer is SQS's own
// throttling error (RequestThrottled, modeled for SendMessage) in the
// request's protocol, and the recorded interaction stays for the retry.
func TestInjectFaultThrottlesTheNthCall(t *testing.T) {
	path, base := recordTwoOps(t)
	play, _ := New(path, IgnoreEnv(), InjectFault(OnCall("sqs", "SendMessage", 1), ThrottlingFault()))
	c := signedClient(play, "sqs")
	s, b, h := call(t, c, "POST", base, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"a"}`)
	if s != 400 || !strings.Contains(string(b), `#RequestThrottled"`) || h.Get("X-Amzn-Requestid") != faultRequestID {
		t.Fatalf("1st SendMessage: %d %s", s, b)
	}
	if s, b, _ := call(t, c, "POST", base, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"a"}`); s != 200 || !strings.Contains(string(b), "MessageId") {
		t.Fatalf("retry: %d %s", s, b)
	}
	reset := errors.New("connection reset by peer")
	play2, _ := New(path, IgnoreEnv(), InjectFault(OnCall("sqs", "GetQueueUrl", 1), TransportFault(reset)))
	req, _ := http.NewRequest("POST", base, strings.NewReader(`{"QueueName":"orders"}`))
	for k, v := range jsonTarget("AmazonSQS.GetQueueUrl") {
		req.Header.Set(k, v)
	}
	if _, err := signedClient(play2, "sqs").Do(req); !errors.Is(err, reset) {
		t.Errorf("transport fault: %v", err)
	}
	// Query protocol faults are ErrorResponse XML.
	r := httptestReq("POST", "http://x/", "Action=GetCallerIdentity")
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ := faultResponse(r, []byte("Action=GetCallerIdentity"), ServerFault())
	if resp.StatusCode != 500 {
		t.Errorf("server fault %d", resp.StatusCode)
	}
}

func httptestReq(method, url, body string) *http.Request {
	r, _ := http.NewRequest(method, url, strings.NewReader(body))
	return r
}

// Recorded transport errors and 5xx answers are interactions like any other.
func TestRecordedTransportErrorReplays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.yaml")
	failing := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, syscall.ECONNRESET })
	rec, _ := New(path, WithMode(Record), IgnoreEnv(), WithTransport(failing))
	req, _ := http.NewRequest("POST", "http://127.0.0.1:1/", strings.NewReader(`{"QueueName":"orders"}`))
	req.Header.Set("X-Amz-Target", "AmazonSQS.GetQueueUrl")
	if _, err := signedClient(rec, "sqs").Do(req); err == nil {
		t.Fatal("no error recorded")
	}
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	play, _ := New(path, IgnoreEnv())
	req, _ = http.NewRequest("POST", "http://127.0.0.1:2/", strings.NewReader(`{"QueueName":"orders"}`))
	req.Header.Set("X-Amz-Target", "AmazonSQS.GetQueueUrl")
	_, err := signedClient(play, "sqs").Do(req)
	var re *ReplayedError
	if !errors.As(err, &re) || !strings.Contains(re.Msg, "connection reset") {
		t.Errorf("replayed error %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Replay-or-emulate: a miss goes to the fallback instead of failing.
func TestFallbackServesMisses(t *testing.T) {
	path, base := recordTwoOps(t)
	srv := okServer(t)
	play, _ := New(path, IgnoreEnv(), WithFallback(srv.Client().Transport))
	c := signedClient(play, "sqs")
	if s, b, _ := call(t, c, "POST", srv.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"unrecorded"}`); s != 200 || string(b) != `{"n":1}` {
		t.Errorf("fallback answered %d %s", s, b)
	}
	if s, b, _ := call(t, c, "POST", base, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`); s != 200 || !strings.Contains(string(b), "QueueUrl") {
		t.Errorf("recorded call answered %d %s", s, b)
	}
}

// Verify reports exactly the interactions whose answers differ.
func TestVerifyReportsDifferingAnswers(t *testing.T) {
	path, _ := recordTwoOps(t)
	cas, _ := LoadCassette(path)
	target := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		in := cas.Interactions[0]
		if strings.Contains(r.Header.Get("X-Amz-Target"), "SendMessage") {
			in = cas.Interactions[1]
		}
		body := string(in.Response.Body)
		if in.Operation == "SendMessage" {
			body = strings.Replace(body, "msg-", "other-", 1)
		}
		return &http.Response{StatusCode: 200, Header: in.Response.Headers.Clone(), Body: ioNop(body)}, nil
	})
	diffs, err := Verify(t.Context(), path, target)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 1 || diffs[0].Operation != "SendMessage" || !strings.Contains(diffs[0].Diff, "other-") {
		t.Fatalf("diffs = %v", diffs)
	}
	if diffs, _ := Verify(t.Context(), path, target, IgnoreResponseFields("MessageId")); len(diffs) != 0 {
		t.Errorf("ignored field still differs: %v", diffs)
	}
}

// 32 goroutines replay one cassette at once (run with -race): each gets
// its own answer.
func TestConcurrentReplay32Goroutines(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "conc.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	c := signedClient(rec, "sqs")
	want := map[string]string{}
	for i := 0; i < 32; i++ {
		body := fmt.Sprintf(`{"QueueUrl":"q","MessageBody":"m%d"}`, i)
		_, b, _ := call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), body)
		want[body] = string(b)
	}
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	play, _ := New(path, IgnoreEnv())
	pc := signedClient(play, "sqs")
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := fmt.Sprintf(`{"MessageBody":"m%d","QueueUrl":"q"}`, i)
			req, _ := http.NewRequest("POST", aws.URL, strings.NewReader(body))
			for k, v := range jsonTarget("AmazonSQS.SendMessage") {
				req.Header.Set(k, v)
			}
			resp, err := pc.Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			b := readAll(resp)
			if b != want[fmt.Sprintf(`{"QueueUrl":"q","MessageBody":"m%d"}`, i)] {
				errs <- fmt.Sprintf("goroutine %d got %s", i, b)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if u := play.Unused(); len(u) != 0 {
		t.Errorf("%d unused", len(u))
	}
}

func ioNop(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
