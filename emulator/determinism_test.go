package emulator_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// session runs one fixed sequence of calls across the json, query and
// rest-xml test services (successes, modeled errors, an unimplemented
// operation, an aws-chunked upload, a signature failure) against a fresh
// emulator behind a loopback server, and returns every response as bytes.
func deterministicSession(t *testing.T, seed uint64, verify bool) []byte {
	emu := newWireEmu(t, emulator.Options{
		Seed: seed, Clock: emulator.SteppingClock(epoch, 1500*time.Millisecond),
		VerifySignatures: verify, Credentials: map[string]string{"AKIDGOOD": "s3cr3t"},
	})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	base := srv.URL
	var reqs []*http.Request
	add := func(r *http.Request) { reqs = append(reqs, r) }
	// Requests are signed at epoch: the stepping clock stays within the
	// 15-minute skew for these few calls.
	sign := func(r *http.Request, service string) *http.Request {
		if _, err := sigv4.Sign(r, goodCreds, service, "us-east-1", epoch); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, body := range []string{`{"Name":"a","By":2}`, `{"Name":"a"}`, `{"Name":"b"}`} {
		r, _ := http.NewRequest("POST", base+"/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", "Counter_20240101.Incr")
		add(sign(r, "counter"))
	}
	for _, op := range []string{"Get", "Boom"} {
		r, _ := http.NewRequest("POST", base+"/", strings.NewReader(`{"Name":"missing"}`))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", "Counter_20240101."+op)
		add(sign(r, "counter"))
	}
	for i := range 3 {
		r, _ := http.NewRequest("POST", base+"/000000000000/q", strings.NewReader("Action=SendMessage&MessageBody=m"+string(rune('0'+i))))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		add(sign(r, "miniq"))
	}
	put, _ := http.NewRequest("PUT", base+"/bkt/obj", strings.NewReader(strings.Repeat("d", 9000)))
	if _, err := sigv4.SignChunked(put, goodCreds, "s3", "us-east-1", epoch, sigv4.StreamingSignedPayloadTrailer, "crc32c", 8<<10); err != nil {
		t.Fatal(err)
	}
	add(put)
	get, _ := http.NewRequest("GET", base+"/bkt/obj", nil)
	add(sign(get, "s3"))
	missing, _ := http.NewRequest("GET", base+"/bkt/none", nil)
	add(sign(missing, "s3"))
	bad, _ := http.NewRequest("GET", base+"/bkt/obj", nil)
	if _, err := sigv4.Sign(bad, wrongCreds, "s3", "us-east-1", epoch); err != nil {
		t.Fatal(err)
	}
	add(bad)

	var all bytes.Buffer
	for _, r := range reqs {
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		dump, err := httputil.DumpResponse(resp, true)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		all.Write(dump)
		all.WriteString("\n----\n")
	}
	// The loopback port is the one thing that differs between two servers.
	return bytes.ReplaceAll(all.Bytes(), []byte(strings.TrimPrefix(base, "http://")), []byte("127.0.0.1:PORT"))
}

// The same seed, clock and calls give byte-identical responses: request
// ids, S3 host ids, generated ids, Date headers and timestamps included.
func TestSameSeedAndClockGiveIdenticalResponseBytes(t *testing.T) {
	for _, verify := range []bool{false, true} {
		a := deterministicSession(t, 7, verify)
		b := deterministicSession(t, 7, verify)
		if !bytes.Equal(a, b) {
			t.Errorf("verify=%v: two runs differ: %s", verify, firstDiff(a, b))
		}
		if c := deterministicSession(t, 8, verify); bytes.Equal(a, c) {
			t.Errorf("verify=%v: seeds 7 and 8 gave the same bytes", verify)
		}
	}
	out := string(deterministicSession(t, 7, true))
	for _, want := range []string{"HTTP/1.1 200", "HTTP/1.1 404", "HTTP/1.1 501", "HTTP/1.1 403", "SignatureDoesNotMatch", "X-Amzn-Requestid", "Date: Tue, 02 Jan 2024 03:04:"} {
		if !strings.Contains(out, want) {
			t.Errorf("session output lacks %q", want)
		}
	}
}

// firstDiff shows the first differing line of two outputs.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n%.300s\n%.300s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}
