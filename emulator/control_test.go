package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

func ctl(t testing.TB, c *http.Client, base, method, path string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestControlSnapshotRestoreResetStateJournal(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Services: []string{}, ServiceDefs: []emulator.ServiceDef{counterDef()},
		Codecs: testCodecs, Clock: emulator.FixedClock(epoch)})
	c := http.DefaultClient
	call(t, c, ts.URL, "AKID", "us-east-1", "Incr", `{"Name":"a","By":7,"Password":"hunter2"}`)
	st, snap := ctl(t, c, ts.URL, "POST", "/_fakecloud/snapshot", nil)
	if st != 200 {
		t.Fatalf("snapshot %d %s", st, snap)
	}
	call(t, c, ts.URL, "AKID", "us-east-1", "Incr", `{"Name":"a"}`)
	if st, b := ctl(t, c, ts.URL, "POST", "/_fakecloud/restore", snap); st != 200 {
		t.Fatalf("restore %d %s", st, b)
	}
	_, body := call(t, c, ts.URL, "AKID", "us-east-1", "Get", `{"Name":"a"}`)
	if !strings.Contains(string(body), `"Value":7`) {
		t.Errorf("after restore: %s", body)
	}
	_, state := ctl(t, c, ts.URL, "GET", "/_fakecloud/state", nil)
	if !strings.Contains(string(state), `"counters"`) {
		t.Errorf("state %s", state)
	}
	_, j := ctl(t, c, ts.URL, "GET", "/_fakecloud/journal", nil)
	if !strings.Contains(string(j), `"operation": "Get"`) || strings.Contains(string(j), "hunter2") {
		t.Errorf("journal %s", j)
	}
	if st, _ := ctl(t, c, ts.URL, "POST", "/_fakecloud/restore", []byte("garbage")); st != 400 {
		t.Errorf("garbage restore: %d", st)
	}
	if st, _ := ctl(t, c, ts.URL, "POST", "/moto-api/reset", nil); st != 200 {
		t.Errorf("moto reset %d", st)
	}
	if resp, _ := call(t, c, ts.URL, "AKID", "us-east-1", "Get", `{"Name":"a"}`); resp.StatusCode != 404 {
		t.Errorf("counter survived reset: %d", resp.StatusCode)
	}
	if st, _ := ctl(t, c, ts.URL, "GET", "/_fakecloud/nope", nil); st != 404 {
		t.Errorf("unknown control path %d", st)
	}
}

func TestFaults(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Services: []string{}, ServiceDefs: []emulator.ServiceDef{counterDef()}, Codecs: testCodecs})
	c := &http.Client{Timeout: 10 * time.Second}
	f := `{"service":"counter","operation":"Incr","errorCode":"ThrottlingException","status":400,"count":1}`
	if st, b := ctl(t, c, ts.URL, "POST", "/_fakecloud/faults", []byte(f)); st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	resp, body := call(t, c, ts.URL, "AKID", "us-east-1", "Incr", `{"Name":"a"}`)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "ThrottlingException") {
		t.Errorf("fault not applied: %d %s", resp.StatusCode, body)
	}
	if resp, _ := call(t, c, ts.URL, "AKID", "us-east-1", "Incr", `{"Name":"a"}`); resp.StatusCode != 200 {
		t.Errorf("count=1 fault applied twice: %d", resp.StatusCode)
	}
	// Dropped connection: the client sees a transport error, loopback and in-process.
	ctl(t, c, ts.URL, "POST", "/_fakecloud/faults", []byte(`{"operation":"Get","drop":true}`))
	req, _ := http.NewRequest("POST", ts.URL+"/", strings.NewReader(`{"Name":"a"}`))
	req.Header.Set("X-Amz-Target", "Counter_20240101.Get")
	if _, err := c.Do(req); err == nil {
		t.Error("dropped connection gave a response")
	}
	req, _ = http.NewRequest("POST", endpoint+"/", strings.NewReader(`{"Name":"a"}`))
	req.Header.Set("X-Amz-Target", "Counter_20240101.Get")
	if _, err := inproc(ts.Emulator).Do(req); !errors.Is(err, emulator.ErrConnectionDropped) {
		t.Errorf("in-process drop: %v", err)
	}
	if st, _ := ctl(t, c, ts.URL, "DELETE", "/_fakecloud/faults", nil); st != 200 {
		t.Error("delete faults")
	}
	if st, _ := ctl(t, c, ts.URL, "POST", "/_fakecloud/faults", []byte(`{"service":"x"}`)); st != 400 {
		t.Error("fault without effect accepted")
	}
	j := ts.Emulator.Journal()
	if j[0].Fault != "error" || j[0].ErrorCode != "ThrottlingException" {
		t.Errorf("journal %+v", j[0])
	}
}

func TestTransportHonoursContextCancellation(t *testing.T) {
	emu := newEmu(t, emulator.Options{})
	emu.AddFault(emulator.Fault{LatencyMS: 5000})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", endpoint+"/", strings.NewReader(`{"Name":"a"}`))
	req.Header.Set("X-Amz-Target", "Counter_20240101.Incr")
	start := time.Now()
	_, err := inproc(emu).Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	if time.Since(start) > 4*time.Second {
		t.Error("cancellation not honoured")
	}
}

func ExampleNew() {
	emu, err := emulator.New(emulator.Options{Services: []string{}, Seed: 1})
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	fmt.Println(emu.ServiceNames())
	// Output: []
}

func ExampleNewTestServer() {
	t := &testing.T{} // in a real test, the test's own t
	ts := emulator.NewTestServer(t, emulator.Options{Services: []string{}})
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/_fakecloud/health")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var h struct{ Status string }
	_ = json.NewDecoder(resp.Body).Decode(&h)
	fmt.Println(h.Status)
	// Output: ok
}

func ExampleEmulator_Transport() {
	emu, _ := emulator.New(emulator.Options{Services: []string{}})
	defer emu.Close()
	client := &http.Client{Transport: emu.Transport()} // no sockets
	resp, err := client.Post("http://localhost:4566/_fakecloud/reset", "", nil)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output: 200
}

func BenchmarkInProcessTransport(b *testing.B) {
	emu := newEmu(b, emulator.Options{})
	c := inproc(emu)
	b.ReportAllocs()
	for b.Loop() {
		call(b, c, endpoint, "AKID", "us-east-1", "Incr", `{"Name":"a"}`)
	}
}

func BenchmarkLoopback(b *testing.B) {
	ts := emulator.NewTestServer(b, emulator.Options{Services: []string{}, ServiceDefs: []emulator.ServiceDef{counterDef()}, Codecs: testCodecs})
	b.ReportAllocs()
	for b.Loop() {
		call(b, http.DefaultClient, ts.URL, "AKID", "us-east-1", "Incr", `{"Name":"a"}`)
	}
}
