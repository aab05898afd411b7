package s3_test

import (
	"bytes"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	"github.com/fakecloud/fakecloud/emulator/s3"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// wire drives the emulator over HTTP through the shared model-driven
// client (emulator/internal/wiretest): rest-xml marshal, the emulator's
// in-process transport (or a loopback server) reached at endpoint's Host,
// rest-xml unmarshal, with the raw response kept for header checks.
type wire struct {
	tb       testing.TB
	emu      *emulator.Emulator
	client   *http.Client
	endpoint *url.URL
	// verified signs requests for real (with the 12-digit test account's
	// secret "secret") for emulators that verify signatures.
	verified bool
	at       time.Time // signing time of verified requests (zero: now)

	plainC, signedC *wiretest.Client // made on first use
}

func newWire(tb testing.TB, with ...func(*emulator.Options)) *wire {
	tb.Helper()
	opts := emulator.Options{Services: []string{s3.Name}, Clock: emulator.SteppingClock(epoch, 1e9), Seed: 11}
	for _, f := range with {
		f(&opts)
	}
	emu, err := emulator.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { emu.Close() })
	u, _ := url.Parse("http://localhost:4566")
	return &wire{tb: tb, emu: emu, client: &http.Client{Transport: emu.Transport()}, endpoint: u}
}

// wiretest returns the client of the wire's current signing mode.
func (w *wire) wiretest() *wiretest.Client {
	opts := []wiretest.Option{wiretest.BaseURL(w.endpoint.String()), wiretest.HTTPClient(w.client), wiretest.AccessKey(account)}
	if !w.verified {
		if w.plainC == nil {
			w.plainC = wiretest.New(w.tb, w.emu, "s3", opts...)
		}
		return w.plainC
	}
	if w.signedC == nil {
		now := time.Now
		if at := w.at; !at.IsZero() {
			now = func() time.Time { return at }
		}
		opts = append(opts, wiretest.Signed(sigv4.Credentials{AccessKeyID: account, SecretAccessKey: "secret"}, now),
			wiretest.SignOptions(sigv4.WithUnsignedPayload(), sigv4.ContentSHA256Header()))
		w.signedC = wiretest.New(w.tb, w.emu, "s3", opts...)
	}
	return w.signedC
}

// sign adds an unverified SigV4 header of the test account, for raw
// requests built by hand.
func sign(r *http.Request, region string) {
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+account+"/20240506/"+region+
		"/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
	r.Header.Set("X-Amz-Date", "20240506T070809Z")
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
}

func (w *wire) call(op string, params map[string]any) (map[string]any, *http.Response, error) {
	w.tb.Helper()
	c := w.wiretest()
	resp := c.Raw(op, params)
	out, err := restxml.New().UnmarshalResponse(c.Model().Operations[op], resp)
	return out, resp, err
}

func (w *wire) must(op string, params map[string]any) (map[string]any, *http.Response) {
	w.tb.Helper()
	out, resp, err := w.call(op, params)
	if err != nil {
		w.tb.Fatalf("%s: %v", op, err)
	}
	return out, resp
}

func TestWireRoundTripPathStyle(t *testing.T) {
	w := newWire(t)
	w.must("CreateBucket", map[string]any{"Bucket": "wire"})
	key := "dir/a b+c%d/é"
	w.must("PutObject", map[string]any{"Bucket": "wire", "Key": key, "Body": strings.NewReader("0123456789"),
		"ContentType": "text/plain", "Metadata": map[string]any{"k": "v"}})
	out, resp := w.must("GetObject", map[string]any{"Bucket": "wire", "Key": key, "Range": "bytes=2-4"})
	body, _ := io.ReadAll(out["Body"].(io.Reader))
	if resp.StatusCode != http.StatusPartialContent || string(body) != "234" || out["ContentRange"] != "bytes 2-4/10" {
		t.Fatalf("ranged get: %d %q %v", resp.StatusCode, body, out)
	}
	out, _ = w.must("ListObjectsV2", map[string]any{"Bucket": "wire", "Delimiter": "/", "EncodingType": "url"})
	if prefixesOf(out)[0] != "dir/" {
		t.Fatalf("list = %v", out)
	}
	out, _ = w.must("ListObjectsV2", map[string]any{"Bucket": "wire", "Prefix": "dir/"})
	if keysOf(out)[0] != key {
		t.Fatalf("list = %v", out)
	}
	_, resp, err := w.call("HeadObject", map[string]any{"Bucket": "wire", "Key": "missing"})
	if resp.StatusCode != 404 || err == nil {
		t.Fatalf("head missing: %d %v", resp.StatusCode, err)
	}
	_, resp, err = w.call("GetObject", map[string]any{"Bucket": "wire", "Key": key, "IfNoneMatch": `"` + "781e5e245d69b566979b86e28d23f2c7" + `"`})
	if resp.StatusCode != http.StatusNotModified {
		t.Fatalf("if-none-match: %d %v", resp.StatusCode, err)
	}
	_, resp, err = w.call("GetObject", map[string]any{"Bucket": "wire", "Key": key, "Range": "bytes=20-"})
	var ae *protocol.APIError
	if resp.StatusCode != 416 || !asAPIError(err, &ae) || ae.Code != "InvalidRange" {
		t.Fatalf("invalid range: %d %v", resp.StatusCode, err)
	}
}

func asAPIError(err error, target **protocol.APIError) bool {
	ae, ok := err.(*protocol.APIError)
	if ok {
		*target = ae
	}
	return ok
}

func TestWireVirtualHostStyle(t *testing.T) {
	w := newWire(t)
	w.must("CreateBucket", map[string]any{"Bucket": "vhost"})
	for _, host := range []string{"vhost.s3.amazonaws.com", "vhost.s3.us-east-1.amazonaws.com", "vhost.localhost:4566"} {
		req, _ := http.NewRequest(http.MethodPut, "http://"+host+"/some/key.txt", strings.NewReader("virtual"))
		sign(req, "us-east-1")
		resp, err := w.client.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s put: %v %v", host, err, resp)
		}
		resp.Body.Close()
		req, _ = http.NewRequest(http.MethodGet, "http://"+host+"/some/key.txt", nil)
		sign(req, "us-east-1")
		resp, err = w.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != "virtual" {
			t.Fatalf("%s get: %d %q", host, resp.StatusCode, b)
		}
	}
}

// TestWireErrorDocumentsGolden pins the XML of each error shape S3 sends.
func TestWireErrorDocumentsGolden(t *testing.T) {
	w := newWire(t)
	w.must("CreateBucket", map[string]any{"Bucket": "gold"})
	w.must("PutObject", map[string]any{"Bucket": "gold", "Key": "k", "Body": strings.NewReader("v")})
	cases := []struct {
		name, method, path string
		header             map[string]string
		body               string
		status             int
	}{
		{"NoSuchBucket", "GET", "/missing/k", nil, "", 404},
		{"NoSuchKey", "GET", "/gold/nope", nil, "", 404},
		{"InvalidRange", "GET", "/gold/k", map[string]string{"Range": "bytes=5-"}, "", 416},
		{"PreconditionFailed", "GET", "/gold/k", map[string]string{"If-Match": `"x"`}, "", 412},
		{"BucketNotEmpty", "DELETE", "/gold", nil, "", 409},
		{"InvalidBucketName", "PUT", "/Bad_Name", nil, "", 400},
		{"BadDigest", "PUT", "/gold/d", map[string]string{"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}, "data", 400},
		{"NoSuchUpload", "GET", "/gold/k?uploadId=nope", nil, "", 404},
		{"NoSuchCORSConfiguration", "GET", "/gold?cors", nil, "", 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader = http.NoBody
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req, _ := http.NewRequest(tc.method, "http://localhost:4566"+tc.path, body)
			sign(req, "us-east-1")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := w.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, got)
			}
			golden := filepath.Join("testdata", "errors", tc.name+".xml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("error document differs from %s:\n got %s\nwant %s", golden, got, want)
			}
		})
	}
}

// newLoopbackWire is newWire over a real socket: emulator.NewTestServer on
// 127.0.0.1, so Go's HTTP server (and its HEAD handling) is in the path.
func newLoopbackWire(tb testing.TB) *wire {
	tb.Helper()
	ts := emulator.NewTestServer(tb, emulator.Options{Services: []string{s3.Name},
		Clock: emulator.SteppingClock(epoch, 1e9), Seed: 11})
	u, _ := url.Parse(ts.URL)
	tr := &http.Transport{}
	tb.Cleanup(tr.CloseIdleConnections)
	return &wire{tb: tb, emu: ts.Emulator, client: &http.Client{Transport: tr}, endpoint: u}
}

// bothWires runs f over the in-process transport and over a loopback server.
func bothWires(t *testing.T, f func(t *testing.T, w *wire)) {
	t.Run("transport", func(t *testing.T) { f(t, newWire(t)) })
	t.Run("loopback", func(t *testing.T) { f(t, newLoopbackWire(t)) })
}

// TestHeadObjectContentLengthIsObjectSize: HEAD carries no body, yet S3's
// Content-Length is the object's size (SDKs read ContentLength from it).
func TestHeadObjectContentLengthIsObjectSize(t *testing.T) {
	bothWires(t, func(t *testing.T, w *wire) {
		w.must("CreateBucket", map[string]any{"Bucket": "sizes"})
		w.must("PutObject", map[string]any{"Bucket": "sizes", "Key": "k", "Body": strings.NewReader("0123456789abc")})
		w.must("PutObject", map[string]any{"Bucket": "sizes", "Key": "empty", "Body": strings.NewReader("")})
		for _, tc := range []struct {
			op, key string
			extra   map[string]any
			want    int64
		}{
			{"HeadObject", "k", nil, 13},
			{"HeadObject", "k", map[string]any{"Range": "bytes=2-5"}, 4},
			{"HeadObject", "empty", nil, 0},
			{"GetObject", "k", nil, 13},
			{"GetObject", "k", map[string]any{"Range": "bytes=10-"}, 3},
			{"GetObject", "empty", nil, 0},
		} {
			in := map[string]any{"Bucket": "sizes", "Key": tc.key}
			for k, v := range tc.extra {
				in[k] = v
			}
			out, resp := w.must(tc.op, in)
			if wantStatus := map[bool]int{false: 200, true: 206}[tc.extra["Range"] != nil]; resp.StatusCode != wantStatus {
				t.Errorf("%s %s %v: status %d, want %d", tc.op, tc.key, tc.extra, resp.StatusCode, wantStatus)
			}
			if got := resp.Header.Get("Content-Length"); got != itoaTest(tc.want) {
				t.Errorf("%s %s %v: Content-Length header %q, want %d", tc.op, tc.key, tc.extra, got, tc.want)
			}
			if resp.ContentLength != tc.want || out["ContentLength"] != tc.want {
				t.Errorf("%s %s %v: resp.ContentLength %d, output %v, want %d", tc.op, tc.key, tc.extra, resp.ContentLength, out["ContentLength"], tc.want)
			}
			if b, ok := out["Body"].(io.ReadCloser); ok {
				data, err := io.ReadAll(b)
				b.Close()
				if err != nil || int64(len(data)) != tc.want {
					t.Errorf("%s %s: body %d bytes (%v), want %d", tc.op, tc.key, len(data), err, tc.want)
				}
			}
		}
	})
}

func itoaTest(n int64) string { return strconv.FormatInt(n, 10) }

var (
	s3RequestIDRe = regexp.MustCompile(`^[0-9A-F]{16}$`)
	s3HostIDRe    = regexp.MustCompile(`^[A-Za-z0-9+/=]{56,}$`)
)

// TestRequestIDsAreInS3Format: x-amz-request-id is 16 upper-case hex digits
// and x-amz-id-2 a long base64 string, on answers and errors alike, and the
// error document repeats them.
func TestRequestIDsAreInS3Format(t *testing.T) {
	bothWires(t, func(t *testing.T, w *wire) {
		_, resp := w.must("CreateBucket", map[string]any{"Bucket": "ids"})
		if id := resp.Header.Get("x-amz-request-id"); !s3RequestIDRe.MatchString(id) || !s3HostIDRe.MatchString(resp.Header.Get("x-amz-id-2")) {
			t.Errorf("ids %q %q", id, resp.Header.Get("x-amz-id-2"))
		}
		_, resp, err := w.call("GetObject", map[string]any{"Bucket": "ids", "Key": "none"})
		var ae *protocol.APIError
		if !asAPIError(err, &ae) || !s3RequestIDRe.MatchString(ae.RequestID) || ae.RequestID != resp.Header.Get("x-amz-request-id") ||
			ae.HostID != resp.Header.Get("x-amz-id-2") || !s3HostIDRe.MatchString(ae.HostID) {
			t.Errorf("error ids: %#v / %v", err, resp.Header)
		}
		if ae != nil && (ae.Fields["Key"] != "none") {
			t.Errorf("NoSuchKey fields %v", ae.Fields)
		}
	})
}
