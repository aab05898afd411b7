package emulator_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

func wireServer(t *testing.T, o emulator.Options) *emulator.TestServer {
	t.Helper()
	o.ServiceDefs = append(o.ServiceDefs, counterDef(), miniQueueDef(), miniS3Def())
	if o.Services == nil {
		o.Services = []string{}
	}
	o.Codecs = allTestCodecs
	if o.Clock == nil {
		o.Clock = emulator.FixedClock(epoch)
	}
	return emulator.NewTestServer(t, o)
}

// raw sends bytes on a fresh connection and reads one response.
func raw(t *testing.T, url, request string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, string(b)
}

// healthy checks the server still serves the control API and an operation.
func healthy(t *testing.T, ts *emulator.TestServer) {
	t.Helper()
	resp, err := http.Get(ts.URL + "/_fakecloud/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health after bad input: %v %v", resp, err)
	}
	resp.Body.Close()
	if resp, body := call(t, http.DefaultClient, ts.URL, "AKID", "us-east-1", "Incr", `{"Name":"h"}`); resp.StatusCode != 200 {
		t.Fatalf("operation after bad input: %d %s", resp.StatusCode, body)
	}
}

const signedJSON = "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/counter/aws4_request, SignedHeaders=host, Signature=00\r\n" +
	"Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: Counter_20240101.Incr\r\n"

const signedS3 = "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00\r\n"

func TestOversizeHeadersAre431AndServerStaysUp(t *testing.T) {
	ts := wireServer(t, emulator.Options{})
	big := strings.Repeat("a", emulator.MaxHeaderBytes+4096)
	status, _ := raw(t, ts.URL, "POST / HTTP/1.1\r\nHost: x\r\n"+signedJSON+"X-Big: "+big+"\r\nContent-Length: 2\r\n\r\n{}")
	if status != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status %d, want 431", status)
	}
	healthy(t, ts)
}

// A declared Content-Length over the limit is refused before any of the
// body is read: 413 for json services, S3's EntityTooLarge for uploads over
// 5 GiB and MaxMessageLengthExceeded for its other operations.
func TestHugeContentLengthIsRefusedUpFront(t *testing.T) {
	ts := wireServer(t, emulator.Options{})
	cases := []struct {
		name, req string
		status    int
		want      string
	}{
		{"json", "POST / HTTP/1.1\r\nHost: x\r\n" + signedJSON + "Content-Length: 1000000000000\r\n\r\n{}", 413, `"__type":"RequestEntityTooLarge"`},
		{"s3 PutObject", "PUT /bkt/k HTTP/1.1\r\nHost: x\r\n" + signedS3 + "Content-Length: 6000000000\r\n\r\nabc", 400, "<Code>EntityTooLarge</Code>"},
		{"s3 GetObject with a body", "GET /bkt/k HTTP/1.1\r\nHost: x\r\n" + signedS3 + "Content-Length: 100000000\r\n\r\nabc", 400, "<Code>MaxMessageLengthExceeded</Code>"},
		{"negative", "POST / HTTP/1.1\r\nHost: x\r\n" + signedJSON + "Content-Length: -5\r\n\r\n{}", 400, ""},
		{"not a number", "POST / HTTP/1.1\r\nHost: x\r\n" + signedJSON + "Content-Length: 1e9\r\n\r\n{}", 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := raw(t, ts.URL, tc.req)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("%d %s", status, body)
			}
		})
	}
	healthy(t, ts)
}

// A body without Content-Length (chunked transfer) that outgrows the limit
// is cut off with the same 413.
func TestStreamedBodyOverLimitIs413(t *testing.T) {
	ts := wireServer(t, emulator.Options{MaxBodyBytes: 1024})
	body := `{"Name":"` + strings.Repeat("x", 4096) + `"}`
	r, _ := http.NewRequest("POST", ts.URL+"/", io.MultiReader(strings.NewReader(body)))
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "Counter_20240101.Incr")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/counter/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || !bytes.Contains(b, []byte("RequestEntityTooLarge")) {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
	healthy(t, ts)
}

// Paths with dot segments are AWS paths like any other: S3 keys may
// contain "..", nothing is resolved against a file system, and the control
// API is not reachable by climbing out of a bucket.
func TestPathTraversalIsAnsweredAWSStyle(t *testing.T) {
	ts := wireServer(t, emulator.Options{})
	for _, path := range []string{
		"/bkt/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/bkt/..%2f..%2f_fakecloud%2freset",
		"/bkt/../_fakecloud/reset", "/..", "/bkt/%00", "/bkt/%zz", "//", "/bkt/" + strings.Repeat("../", 500),
	} {
		status, body := raw(t, ts.URL, "GET "+path+" HTTP/1.1\r\nHost: x\r\n"+signedS3+"\r\n")
		if status >= 500 || (status != 400 && !strings.Contains(body, "<Error>")) {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	// Control paths are matched literally; dot segments do not reach reset.
	call(t, http.DefaultClient, ts.URL, "AKID", "us-east-1", "Incr", `{"Name":"kept"}`)
	for _, path := range []string{"/_fakecloud/../_fakecloud/reset", "/_fakecloud/%2e%2e/_fakecloud/reset"} {
		status, _ := raw(t, ts.URL, "POST "+path+" HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
		if status == 200 {
			t.Errorf("POST %s reset the emulator", path)
		}
	}
	if resp, body := call(t, http.DefaultClient, ts.URL, "AKID", "us-east-1", "Get", `{"Name":"kept"}`); resp.StatusCode != 200 {
		t.Errorf("state lost: %d %s", resp.StatusCode, body)
	}
	healthy(t, ts)
}

// Garbage bodies in each protocol are client errors in that protocol's
// dialect, never 500s.
func TestGarbageBodiesPerProtocol(t *testing.T) {
	ts := wireServer(t, emulator.Options{})
	garbage := []string{"\x00\xff\xfe", "{", "<a><b>", "%%%", strings.Repeat("[", 10000)}
	for _, g := range garbage {
		for _, req := range []struct{ head, dialect string }{
			{"POST / HTTP/1.1\r\nHost: x\r\n" + signedJSON, `"__type"`},
			{"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/miniq/aws4_request, SignedHeaders=host, Signature=00\r\n", "<ErrorResponse>"},
		} {
			status, body := raw(t, ts.URL, req.head+"Content-Length: "+itoa(int64(len(g)))+"\r\n\r\n"+g)
			if status < 400 || status >= 500 || !strings.Contains(body, req.dialect) {
				t.Errorf("%q: %d %s", g, status, body)
			}
		}
	}
	healthy(t, ts)
}

// FuzzServeHTTP: no request makes the emulator panic or answer 500 (the
// test services have no 500 paths of their own but Panic).
func FuzzServeHTTP(f *testing.F) {
	f.Add("POST", "/", "Counter_20240101.Incr", "application/x-amz-json-1.0", "", `{"Name":"a"}`)
	f.Add("POST", "/000000000000/q", "", "application/x-www-form-urlencoded", "", "Action=SendMessage&MessageBody=x")
	f.Add("PUT", "/bkt/k", "", "", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n")
	f.Add("PUT", "/bkt/k", "", "", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "zz;chunk-signature=00\r\n")
	f.Add("GET", "/%zz/../x", ".", "text/xml", "UNSIGNED-PAYLOAD", "\x00")
	f.Add("POST", "/_fakecloud/faults", "", "application/json", "", `{"errorCode":"X","status":999}`)
	emu := newWireEmu(f, emulator.Options{})
	f.Fuzz(func(t *testing.T, method, path, target, ctype, sha, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n#?") || method == "" || strings.ContainsAny(method, " \r\n/") {
			return
		}
		r := httptest.NewRequest("GET", "http://localhost:4566/", strings.NewReader(body))
		r.Method = method
		r.URL.Path, r.URL.RawPath = path, path
		r.Header.Set("X-Amz-Target", target)
		r.Header.Set("Content-Type", ctype)
		r.Header.Set("X-Amz-Content-Sha256", sha)
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")
		if target != "" {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/counter/aws4_request, SignedHeaders=host, Signature=00")
		}
		w := httptest.NewRecorder()
		emu.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != 501 && !strings.HasSuffix(target, ".Panic") {
			t.Errorf("%s %s target=%q sha=%q: %d %s", method, path, target, sha, w.Code, w.Body)
		}
	})
}
