package recorder

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

type exchange struct {
	status int
	body   []byte
}

// scenario runs the same calls against whatever transport it gets; the
// second (replay) run reorders JSON keys and query parameters, as a
// different SDK or version would.
func scenario(t *testing.T, rt http.RoundTripper, base string, replayVariant bool) []exchange {
	t.Helper()
	sqs := signedClient(rt, "sqs")
	sts := signedClient(rt, "sts")
	s3 := signedClient(rt, "s3")
	var out []exchange
	add := func(s int, b []byte, _ http.Header) { out = append(out, exchange{s, b}) }

	send := `{"QueueUrl":"https://sqs/q","MessageBody":"hello","DelaySeconds":0}`
	form := "Action=GetCallerIdentity&Version=2011-06-15"
	if replayVariant {
		send = `{ "DelaySeconds": 0, "MessageBody": "hello",  "QueueUrl": "https://sqs/q" }`
		form = "Version=2011-06-15&Action=GetCallerIdentity"
	}
	add(call(t, sqs, "POST", base+"/", jsonTarget("AmazonSQS.SendMessage"), send))
	add(call(t, sqs, "POST", base+"/", jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"missing"}`))
	add(call(t, sts, "POST", base+"/", formHeader, form))
	add(call(t, s3, "PUT", base+"/bucket/key.bin?x-id=PutObject", map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}, "\x00\x01binary\xff"))
	add(call(t, s3, "GET", base+"/bucket/key.bin?x-id=GetObject", nil, ""))
	add(call(t, s3, "GET", base+"/bucket/nokey", nil, ""))
	return out
}

func TestRecordThenReplayWithServerShutDown(t *testing.T) {
	t.Setenv(EnvVar, "")
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")

	rec, err := New(path, WithMode(Record))
	if err != nil {
		t.Fatal(err)
	}
	recorded := scenario(t, rec, aws.URL, false)
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	base := aws.URL
	aws.Close() // replay must not need "AWS"

	play, err := New(path) // Replay is the default
	if err != nil {
		t.Fatal(err)
	}
	if play.Mode() != Replay {
		t.Fatalf("mode = %v", play.Mode())
	}
	replayed := scenario(t, play, base, true)
	for i := range recorded {
		// Access key ids are replaced by same-length placeholders before
		// anything is kept, so that is what replay returns.
		recorded[i].body = bytes.ReplaceAll(recorded[i].body, []byte(testAKID), []byte("FAKECLOUDKEY1XXXXXXX"))
		// So are account ids, by 12-digit placeholders.
		recorded[i].body = bytes.ReplaceAll(recorded[i].body, []byte("123456789012"), []byte("000000000001"))
		if recorded[i].status != replayed[i].status || !bytes.Equal(recorded[i].body, replayed[i].body) {
			t.Errorf("call %d: recorded %d %q, replayed %d %q", i, recorded[i].status, recorded[i].body, replayed[i].status, replayed[i].body)
		}
	}
	if u := play.Unused(); len(u) != 0 {
		t.Errorf("unused interactions: %d", len(u))
	}
	c, err := LoadCassette(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ svc, op string }{{"sqs", "SendMessage"}, {"sqs", "GetQueueUrl"}, {"sts", "GetCallerIdentity"},
		{"s3", "PutObject"}, {"s3", "GetObject"}, {"s3", "GetObject"}}
	for i, w := range want {
		in := c.Interactions[i]
		if in.Service != w.svc || in.Operation != w.op || in.Region != "us-east-1" {
			t.Errorf("interaction %d: %s %s %s, want %s %s us-east-1", i, in.Service, in.Operation, in.Region, w.svc, w.op)
		}
	}
	if got := c.Interactions[0].Params["MessageBody"]; got != "hello" {
		t.Errorf("params not stored: %v", c.Interactions[0].Params)
	}
}

func TestIdenticalRequestsReplayInRecordedOrder(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	c := signedClient(rec, "sqs")
	body := `{"QueueUrl":"q","MessageBody":"same"}`
	var want []string
	for i := 0; i < 3; i++ {
		_, b, _ := call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), body)
		want = append(want, string(b))
	}
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	c = signedClient(play, "sqs")
	for i := 0; i < 3; i++ {
		_, b, _ := call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), body)
		if string(b) != want[i] {
			t.Errorf("replay %d = %s, want %s", i, b, want[i])
		}
	}
	// A fourth identical request has nothing left to replay...
	req, _ := http.NewRequest("POST", aws.URL, strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "AmazonSQS.SendMessage")
	_, err = c.Do(req)
	var me *MismatchError
	if !errors.As(err, &me) || !strings.Contains(me.Reason, "already replayed") {
		t.Fatalf("4th call: %v", err)
	}
	// ...unless repeats are allowed: then the last one answers again.
	again, _ := New(path, IgnoreEnv(), AllowRepeats())
	c = signedClient(again, "sqs")
	for i := 0; i < 4; i++ {
		_, b, _ := call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), body)
		if w := want[min(i, 2)]; string(b) != w {
			t.Errorf("repeat replay %d = %s, want %s", i, b, w)
		}
	}
}

func recordTwoOps(t *testing.T) (string, string) {
	t.Helper()
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	c := signedClient(rec, "sqs")
	call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"a"}`)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	return path, aws.URL
}

func TestPerRequestOrderAcceptsDistinctRequestsInAnyOrder(t *testing.T) {
	path, base := recordTwoOps(t)
	play, _ := New(path, IgnoreEnv())
	c := signedClient(play, "sqs")
	if s, _, _ := call(t, c, "POST", base, jsonTarget("AmazonSQS.SendMessage"), `{"MessageBody":"a","QueueUrl":"q"}`); s != 200 {
		t.Fatal(s)
	}
	if s, _, _ := call(t, c, "POST", base, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`); s != 200 {
		t.Fatal(s)
	}
}

func TestStrictOrderRejectsOutOfOrderRequest(t *testing.T) {
	path, base := recordTwoOps(t)
	play, _ := New(path, IgnoreEnv(), WithOrder(Strict))
	req, _ := http.NewRequest("POST", base, strings.NewReader(`{"QueueUrl":"q","MessageBody":"a"}`))
	req.Header.Set("X-Amz-Target", "AmazonSQS.SendMessage")
	_, err := signedClient(play, "sqs").Do(req)
	var me *MismatchError
	if !errors.As(err, &me) || !strings.Contains(me.Reason, "strict order expects interaction #0") {
		t.Fatalf("err = %v", err)
	}
}

func TestMismatchShowsClosestInteractionWithParamDiff(t *testing.T) {
	path, base := recordTwoOps(t)
	ft := &fakeTB{name: "TestX"}
	t.Chdir(t.TempDir())
	// ForTest works relative to the package directory; copy the cassette there.
	data, _ := os.ReadFile(path)
	os.MkdirAll(filepath.Join("testdata", "cassettes"), 0o755)
	os.WriteFile(filepath.Join("testdata", "cassettes", "two.yaml"), data, 0o644)
	t.Setenv(EnvVar, "none")
	rec := ForTest(ft, "two")
	c := signedClient(rec, "sqs")
	req, _ := http.NewRequest("POST", base, strings.NewReader(`{"QueueName":"invoices"}`))
	for k, v := range jsonTarget("AmazonSQS.GetQueueUrl") {
		req.Header.Set(k, v)
	}
	_, err := c.Do(req)
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v", err)
	}
	if me.Closest == nil || me.Closest.Operation != "GetQueueUrl" {
		t.Fatalf("closest = %+v", me.Closest)
	}
	msg := err.Error()
	for _, want := range []string{"sqs GetQueueUrl", `-`, `"orders"`, `+`, `"invoices"`, "QueueName"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if me.RetryableError() {
		t.Error("a miss must not be retryable")
	}
	if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], "invoices") {
		t.Errorf("ForTest did not report the miss through Errorf: %q", ft.errors)
	}
	ft.cleanup()
}

func TestIgnoreParamsAndCustomMatcher(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	call(t, signedClient(rec, "sqs"), "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"a","MessageDeduplicationId":"tok-1"}`)
	rec.Save()

	play, _ := New(path, IgnoreEnv(), IgnoreParams("MessageDeduplicationId"))
	if s, _, _ := call(t, signedClient(play, "sqs"), "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"a","MessageDeduplicationId":"tok-2"}`); s != 200 {
		t.Fatal(s)
	}
	strict, _ := New(path, IgnoreEnv())
	req, _ := http.NewRequest("POST", aws.URL, strings.NewReader(`{"QueueUrl":"q","MessageBody":"a","MessageDeduplicationId":"tok-2"}`))
	req.Header.Set("X-Amz-Target", "AmazonSQS.SendMessage")
	if _, err := strict.RoundTrip(req); err == nil {
		t.Fatal("token difference matched without IgnoreParams")
	}
	refuse, _ := New(path, IgnoreEnv(), IgnoreParams("MessageDeduplicationId"),
		WithMatcher(func(live, rec Call, _ *Request, _ *Interaction) bool { return live.Region == "eu-west-1" }))
	req, _ = http.NewRequest("POST", aws.URL, strings.NewReader(`{"QueueUrl":"q","MessageBody":"a"}`))
	req.Header.Set("X-Amz-Target", "AmazonSQS.SendMessage")
	_, err := signedClient(refuse, "sqs").Do(req)
	var me *MismatchError
	if !errors.As(err, &me) || me.Reason != "a custom matcher refused it" {
		t.Fatalf("err = %v", err)
	}
}

func TestNonAWSTrafficMatchesByMethodURLAndBody(t *testing.T) {
	srv := newFakeAWS(t) // unsigned requests: plain HTTP
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	c := rec.Client()
	call(t, c, "PUT", srv.URL+"/x/y?b=2&a=1", nil, `{"k":1,"j":2}`)
	_, want, _ := call(t, c, "GET", srv.URL+"/x/y?b=2&a=1", nil, "")
	rec.Save()
	play, _ := New(path, IgnoreEnv())
	c = play.Client()
	call(t, c, "PUT", srv.URL+"/x/y?a=1&b=2", nil, `{"j":2,"k":1}`)
	if _, got, _ := call(t, c, "GET", srv.URL+"/x/y?a=1&b=2", nil, ""); !bytes.Equal(got, want) {
		t.Errorf("got %q want %q", got, want)
	}
	if _, err := play.Client().Get(srv.URL + "/x/z"); err == nil {
		t.Error("different path matched")
	}
}

func TestReplayOrRecordAppendsNewEpisodes(t *testing.T) {
	path, base := recordTwoOps(t)
	aws := newFakeAWS(t)
	_ = base
	rec, _ := New(path, WithMode(ReplayOrRecord), IgnoreEnv())
	c := signedClient(rec, "sqs")
	call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`) // replayed
	call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"new"}`)    // recorded
	if n := aws.n.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	cas, _ := LoadCassette(path)
	if len(cas.Interactions) != 3 || cas.Interactions[2].Params["QueueName"] != "new" || cas.Interactions[2].ID != 2 {
		t.Fatalf("cassette: %d interactions", len(cas.Interactions))
	}
}

func TestRecordOnceRecordsOnlyWhenCassetteIsMissing(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	for run := 0; run < 2; run++ {
		rec, err := New(path, WithMode(RecordOnce), IgnoreEnv())
		if err != nil {
			t.Fatal(err)
		}
		want := []Mode{Record, Replay}[run]
		if rec.Mode() != want {
			t.Fatalf("run %d: mode %v want %v", run, rec.Mode(), want)
		}
		call(t, signedClient(rec, "sqs"), "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"a"}`)
		rec.Stop()
	}
	if n := aws.n.Load(); n != 1 {
		t.Errorf("server saw %d requests", n)
	}
}

func TestReplayWithoutCassetteIsAnError(t *testing.T) {
	_, err := New(filepath.Join(t.TempDir(), "none.yaml"), IgnoreEnv())
	if !errors.Is(err, ErrCassetteNotFound) || !strings.Contains(err.Error(), "FAKECLOUD_RECORD=all") {
		t.Fatalf("err = %v", err)
	}
}

func TestEnvironmentSelectsMode(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c.yaml"), []byte("version: 1\ninteractions: []\n"), 0o644)
	for env, want := range map[string]Mode{"all": Record, "missing": ReplayOrRecord, "none": Replay, "passthrough": Passthrough, "": Replay} {
		t.Setenv(EnvVar, env)
		r, err := New(filepath.Join(dir, "c.yaml"), WithMode(Replay))
		if err != nil {
			t.Fatal(err)
		}
		if r.Mode() != want {
			t.Errorf("%s=%q: mode %v, want %v", EnvVar, env, r.Mode(), want)
		}
	}
	t.Setenv(EnvVar, "sometimes")
	if _, err := New(filepath.Join(dir, "c.yaml")); err == nil {
		t.Error("bad value accepted")
	}
}

func TestPassthroughKeepsNothing(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	r, _ := New(path, WithMode(Passthrough), IgnoreEnv())
	call(t, signedClient(r, "sqs"), "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"a"}`)
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("passthrough wrote a cassette")
	}
}

func TestClockReadsRecordedTime(t *testing.T) {
	path, base := recordTwoOps(t)
	cas, _ := LoadCassette(path)
	play, _ := New(path, IgnoreEnv())
	if got := play.Clock()(); !got.Equal(cas.RecordedAt) {
		t.Errorf("clock before replay = %v, want cassette start %v", got, cas.RecordedAt)
	}
	call(t, signedClient(play, "sqs"), "POST", base, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	if got := play.Clock()(); !got.Equal(cas.Interactions[0].RecordedAt) {
		t.Errorf("clock = %v, want %v", got, cas.Interactions[0].RecordedAt)
	}
}

func TestLatencyReplayIsOptIn(t *testing.T) {
	path, base := recordTwoOps(t)
	data, _ := os.ReadFile(path)
	data = regexp.MustCompile(`duration: \S+`).ReplaceAll(data, []byte("duration: 50ms"))
	cas, err := ParseCassette(data, "")
	if err != nil {
		t.Fatal(err)
	}
	if cas.Interactions[0].Duration != 50*time.Millisecond {
		t.Fatalf("duration %v", cas.Interactions[0].Duration)
	}
	os.WriteFile(path, data, 0o644)
	play, _ := New(path, IgnoreEnv(), WithLatency())
	start := time.Now()
	call(t, signedClient(play, "sqs"), "POST", base, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	if time.Since(start) < 50*time.Millisecond {
		t.Error("WithLatency did not wait the recorded duration")
	}
}

func TestConcurrentReplay(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	c := signedClient(rec, "sqs")
	const n = 20
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"x"}`)
		}()
	}
	wg.Wait()
	rec.Save()
	play, _ := New(path, IgnoreEnv())
	c = signedClient(play, "sqs")
	seen := sync.Map{}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, b, _ := call(t, c, "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"x"}`)
			if _, dup := seen.LoadOrStore(string(b), true); dup {
				t.Errorf("response replayed twice: %s", b)
			}
		}()
	}
	wg.Wait()
}

func TestTransportErrorsAreRecordedAndReplayed(t *testing.T) {
	aws := newFakeAWS(t)
	url := aws.URL
	aws.Close()
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	if _, err := rec.Client().Get(url + "/down"); err == nil {
		t.Fatal("no error from a closed server")
	}
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	play, _ := New(path, IgnoreEnv())
	_, err := play.Client().Get(url + "/down")
	var re *ReplayedError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
}

// fakeTB is a testing.TB stand-in for ForTest.
type fakeTB struct {
	name     string
	errors   []string
	fatals   []string
	cleanups []func()
	mu       sync.Mutex
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Name() string      { return f.name }
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, sprintf(format, args...))
}
func (f *fakeTB) cleanup() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}
