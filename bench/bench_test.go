package bench

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
)

// Exact below 256 ns: the percentiles of 1..100 ns are the nearest-rank ones.
func TestHistogramIsExactForSmallValues(t *testing.T) {
	var h Histogram
	for v := 100; v >= 1; v-- {
		h.Record(time.Duration(v))
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0, 1}, {0.01, 1}, {0.5, 50}, {0.99, 99}, {0.999, 100}, {1, 100}} {
		if got := h.Quantile(c.q); got != c.want {
			t.Errorf("Quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if h.Count() != 100 || h.Min() != 1 || h.Max() != 100 || h.Mean() != 50 {
		t.Errorf("count %d min %v max %v mean %v", h.Count(), h.Min(), h.Max(), h.Mean())
	}
}

// On synthetic latencies (shuffled 1 µs .. 10 ms, plus a slow tail) every
// percentile is within 1/128 of the exact nearest-rank sample, never below it.
func TestHistogramPercentilesOfSyntheticLatencies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var samples []time.Duration
	for i := 1; i <= 10000; i++ {
		samples = append(samples, time.Duration(i)*time.Microsecond)
	}
	for i := 0; i < 20; i++ {
		samples = append(samples, time.Duration(50+r.IntN(1000))*time.Millisecond)
	}
	r.Shuffle(len(samples), func(i, j int) { samples[i], samples[j] = samples[j], samples[i] })
	var h Histogram
	for _, s := range samples {
		h.Record(s)
	}
	sorted := append([]time.Duration(nil), samples...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	if h.Count() != uint64(len(samples)) {
		t.Fatalf("count %d, want %d", h.Count(), len(samples))
	}
	for _, q := range []float64{0.001, 0.25, 0.5, 0.9, 0.99, 0.995, 0.999, 1} {
		exact := sorted[int(math.Ceil(q*float64(len(sorted))))-1]
		got := h.Quantile(q)
		if got < exact || float64(got-exact) > float64(exact)/128 {
			t.Errorf("Quantile(%v) = %v, exact %v", q, got, exact)
		}
	}
	var sum time.Duration
	for _, s := range sorted {
		sum += s
	}
	if want := sum / time.Duration(len(sorted)); absDur(h.Mean()-want) > time.Microsecond {
		t.Errorf("Mean = %v, want %v", h.Mean(), want)
	}
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func TestHistogramBucketsCoverEveryValue(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	prev := -1
	for _, v := range []int64{0, 1, 255, 256, 257, 511, 512, 1 << 20, 1<<40 + 12345, math.MaxInt64} {
		i := bucketOf(v)
		if i < prev || i >= numBuckets {
			t.Fatalf("bucketOf(%d) = %d (previous %d, %d buckets)", v, i, prev, numBuckets)
		}
		prev = i
		if hi := bucketHigh(i); hi < v || (v > 0 && float64(hi-v) > float64(v)/128) {
			t.Errorf("value %d: bucket %d high %d", v, i, hi)
		}
	}
	for k := 0; k < 10000; k++ {
		v := r.Int64N(1 << uint(1+r.IntN(62)))
		i := bucketOf(v)
		if hi := bucketHigh(i); hi < v || (i > 0 && bucketHigh(i-1) >= v) {
			t.Fatalf("value %d: bucket %d [%d, %d]", v, i, bucketHigh(i-1)+1, hi)
		}
	}
}

func TestHistogramMergeEqualsOneHistogram(t *testing.T) {
	var a, b, all Histogram
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i*i) * time.Nanosecond
		all.Record(d)
		if i%3 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	var m Histogram
	m.Merge(&a)
	m.Merge(&b)
	m.Merge(&Histogram{})
	for _, q := range []float64{0, 0.5, 0.99, 0.999, 1} {
		if m.Quantile(q) != all.Quantile(q) {
			t.Errorf("Quantile(%v): merged %v, single %v", q, m.Quantile(q), all.Quantile(q))
		}
	}
	if m.Count() != all.Count() || m.Min() != all.Min() || m.Max() != all.Max() {
		t.Errorf("merged %d/%v/%v, single %d/%v/%v", m.Count(), m.Min(), m.Max(), all.Count(), all.Min(), all.Max())
	}
	var empty Histogram
	if empty.Quantile(0.5) != 0 || empty.Mean() != 0 {
		t.Error("empty histogram is not zero")
	}
}

// Run counts every operation and every error, with MaxOps bounding the work.
func TestRunCountsOperationsAndErrors(t *testing.T) {
	boom := errors.New("boom")
	op := func(ctx context.Context, c Clients, w int, n int64) error {
		if n%10 == 9 {
			return boom
		}
		return nil
	}
	var progress strings.Builder
	res := Run(context.Background(), Options{Concurrency: 1, Duration: time.Minute, MaxOps: 100, Progress: &progress}, "t", clientSet{}, op)
	if res.Ops != 100 || res.Errors != 10 || res.FirstError != "boom" {
		t.Errorf("ops %d errors %d first %q, want 100, 10, boom", res.Ops, res.Errors, res.FirstError)
	}
	if res.Hist.Count() != 100 {
		t.Errorf("histogram holds %d samples", res.Hist.Count())
	}
	res = Run(context.Background(), Options{Concurrency: 4, Duration: time.Minute, MaxOps: 1000}, "t", clientSet{}, op)
	if res.Ops != 1000 || res.Concurrency != 4 {
		t.Errorf("ops %d concurrency %d, want 1000, 4", res.Ops, res.Concurrency)
	}
	// A cancelled run stops and does not count the cancelled calls as errors.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res = Run(ctx, Options{Concurrency: 2, Duration: time.Minute}, "t", clientSet{}, func(ctx context.Context, _ Clients, _ int, _ int64) error { return ctx.Err() })
	if res.Errors != 0 {
		t.Errorf("cancelled run counted %d errors", res.Errors)
	}
}

func TestResultLinesCarryTheFigures(t *testing.T) {
	h := &Histogram{}
	for i := 1; i <= 1000; i++ {
		h.Record(time.Duration(i) * time.Microsecond)
	}
	r := &Result{Workload: "ddb-get", Target: "endpoint", Concurrency: 16, Elapsed: 2 * time.Second, Ops: 1000, Errors: 3, Hist: h, FloorRatio: 0.875}
	// Percentiles are the upper bounds of their buckets (within 1/128 above
	// the exact 500, 990 and 999 µs); max and mean are exact.
	line := r.String()
	for _, want := range []string{"ddb-get", "endpoint", "c=16", "500.0 ops/s", "p50=502µs", "p99=991µs", "p99.9=999µs", "max=1.00ms", "errors=3", "floor=88%"} {
		if !strings.Contains(line, want) {
			t.Errorf("human line %q lacks %q", line, want)
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]any
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"workload": "ddb-get", "ops": 1000.0, "errors": 3.0, "ops_per_sec": 500.0, "p50_us": 501.76, "p99_us": 991.23, "p999_us": 999.42, "max_us": 1000.0, "mean_us": 500.5, "floor_ratio": 0.875} {
		if j[k] != want {
			t.Errorf("JSON %s = %v, want %v (%s)", k, j[k], want, b)
		}
	}
	u := &Result{Workload: "sns-fanout-10", Target: "endpoint", Unavailable: "service sns is not served"}
	if s := u.String(); !strings.Contains(s, "unavailable: service sns") {
		t.Errorf("unavailable line %q", s)
	}
	b, _ = json.Marshal(u)
	if strings.Contains(string(b), "p50_us") || !strings.Contains(string(b), `"unavailable"`) {
		t.Errorf("unavailable JSON %s", b)
	}
}

func TestRequestKeyNamesTheKindOfRequest(t *testing.T) {
	mk := func(method, target string) *http.Request {
		r := httptest.NewRequest(method, target, nil)
		return r
	}
	ddb := mk("POST", "/")
	ddb.Header.Set("X-Amz-Target", "DynamoDB_20120810.GetItem")
	cases := []struct {
		name string
		r    *http.Request
		form url.Values
		want string
	}{
		{"json target", ddb, nil, "POST DynamoDB_20120810.GetItem  0 "},
		{"s3 object", mk("GET", "/bucket/a/b/c"), nil, "GET   2 "},
		{"s3 list", mk("GET", "/bucket?list-type=2&prefix=x"), nil, "GET   1 list-type&prefix"},
		{"s3 upload part", mk("PUT", "/b/k?partNumber=1&uploadId=x&X-Amz-Signature=s"), nil, "PUT   2 partNumber&uploadId"},
		{"query form", mk("POST", "/"), url.Values{"Action": {"Publish"}}, "POST  Publish 0 "},
	}
	for _, c := range cases {
		if got := RequestKey(c.r, c.form); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestFloorReplaysCannedResponsesAndRefusesUnknownKinds(t *testing.T) {
	get := httptest.NewRequest("GET", "/b/k", nil)
	canned := NewCanned(map[string]*Canned{RequestKey(get, nil): {Status: 200, Header: http.Header{"Etag": {`"x"`}, "Date": {"old"}}, Body: []byte("hello")}})
	srv, err := StartFloor(canned)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/b/k")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello" || resp.Header.Get("Etag") != `"x"` || resp.Header.Get("Date") == "old" {
		t.Errorf("floor answered %d %q %v", resp.StatusCode, body, resp.Header)
	}
	resp, err = http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader("Action=Nope"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Errorf("unknown kind answered %d, want 500", resp.StatusCode)
	}
}

func newInProcess(t testing.TB) Target {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	return Target{Name: "inprocess", Endpoint: "http://127.0.0.1:4566", Transport: emu.Transport(), Services: emu.ServiceNames()}
}

// The whole engine on a tiny run: set-up, warm-up, the measured run and the
// floor run against canned copies of the emulator's answers.
func TestRunnerMeasuresWorkloadAndItsFloor(t *testing.T) {
	r := &Runner{Target: newInProcess(t), Options: Options{Concurrency: 2, Duration: 5 * time.Second, MaxOps: 40}, Floor: true}
	for _, name := range []string{"s3-get-4k", "ddb-get", "sqs-roundtrip"} {
		w, _ := Lookup(name)
		res, floor, err := r.Run(context.Background(), w)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Ran() || res.Ops != 40 || res.Errors != 0 || res.Hist.Count() != 40 {
			t.Errorf("%s: %s", name, res)
		}
		if floor == nil || floor.Ops != 40 || floor.Errors != 0 || floor.Target != "floor" {
			t.Errorf("%s floor: %v", name, floor)
		}
		if res.FloorRatio <= 0 {
			t.Errorf("%s: no floor ratio", name)
		}
	}
}

func TestWorkloadsWithoutTheirServiceAreNotRun(t *testing.T) {
	tgt := newInProcess(t)
	tgt.Services = []string{"s3"}
	r := &Runner{Target: tgt, Options: Options{MaxOps: 1}}
	w, _ := Lookup("sqs-send")
	res, floor, err := r.Run(context.Background(), w)
	if err != nil || res.Ran() || floor != nil || res.Ops != 0 || !strings.Contains(res.Unavailable, "sqs") {
		t.Errorf("got %v, %v, %v", res, floor, err)
	}
	// A target that answers errors (nothing listens here) makes the set-up fail.
	r = &Runner{Target: Target{Name: "endpoint", Endpoint: "http://127.0.0.1:1"}, Options: Options{MaxOps: 1}}
	res, _, _ = r.Run(context.Background(), w)
	if res.Ran() || !strings.HasPrefix(res.Unavailable, "set-up:") {
		t.Errorf("unreachable endpoint: %v", res)
	}
}

func TestEveryWorkloadIsListedOnce(t *testing.T) {
	want := []string{"s3-put-4k", "s3-get-4k", "s3-list-1000", "s3-put-64m-multipart", "ddb-put", "ddb-get", "ddb-query-100",
		"ddb-scan-filter-10k", "sqs-send", "sqs-roundtrip", "sns-fanout-10"}
	var got []string
	for _, w := range Workloads() {
		got = append(got, w.Name)
		if w.Setup == nil || len(w.Services) == 0 || w.Describe == "" {
			t.Errorf("%s is incomplete", w.Name)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("workloads %v", got)
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup found an unknown workload")
	}
}

// The lighter workloads run end to end against the in-process emulator
// (the heavy ones, 10 000-item scan and 64 MiB uploads, are left to
// `fakecloud bench`).
func TestLightWorkloadsRunInProcess(t *testing.T) {
	r := &Runner{Target: newInProcess(t), Options: Options{Concurrency: 2, Duration: 5 * time.Second, MaxOps: 6}}
	for _, name := range []string{"s3-put-4k", "ddb-put", "ddb-query-100", "sqs-send"} {
		w, _ := Lookup(name)
		res, _, err := r.Run(context.Background(), w)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Ran() {
			t.Logf("%s: %s", name, res.Unavailable) // an operation main lacks
			continue
		}
		if res.Ops != 6 || res.Errors != 0 {
			t.Errorf("%s: %s", name, res)
		}
	}
}
