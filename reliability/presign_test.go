package reliability

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// manualClock is a clock the test steps forward explicitly.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) step(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestHostilePresigned replays and tampers with signed requests against an
// emulator that verifies signatures, judged by a clock the test steps. A
// presigned URL may be replayed while valid (S3 does not make them single
// use), is refused once expired (403 AccessDenied "Request has expired"), and
// any change to what was signed is 403 SignatureDoesNotMatch; a header-signed
// request replayed 20 minutes later is 403 RequestTimeTooSkewed.
func TestHostilePresigned(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Second)
	clock := &manualClock{now: start}
	creds := sigv4.Credentials{AccessKeyID: "AKIDPRESIGN", SecretAccessKey: "s3cr3t"}
	ts := emulator.NewTestServer(t, emulator.Options{VerifySignatures: true, Clock: clock,
		Credentials: map[string]string{creds.AccessKeyID: creds.SecretAccessKey}})

	signed := func(method, path, body string, at time.Time) *http.Request {
		t.Helper()
		r, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
		if _, err := sigv4.Sign(r, creds, "s3", "us-east-1", at); err != nil {
			t.Fatal(err)
		}
		return r
	}
	do := func(r *http.Request) (int, string) {
		t.Helper()
		resp, err := http.DefaultClient.Do(r.WithContext(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	get := func(u string) (int, string) {
		r, _ := http.NewRequest("GET", u, nil)
		return do(r)
	}
	want := func(name string, status int, body string, wantStatus int, wantCode, wantText string) {
		t.Helper()
		if status != wantStatus || errorCode(nil, body) != wantCode || !strings.Contains(body, wantText) {
			t.Errorf("%s: %d %.300s; want %d %s %q", name, status, body, wantStatus, wantCode, wantText)
		}
	}

	if st, b := do(signed("PUT", "/presign", "", start)); st != 200 {
		t.Fatalf("CreateBucket: %d %s", st, b)
	}
	if st, b := do(signed("PUT", "/presign/obj", "secret body", start)); st != 200 {
		t.Fatalf("PutObject: %d %s", st, b)
	}
	r, _ := http.NewRequest("GET", ts.URL+"/presign/obj", nil)
	u, err := sigv4.Presign(r, creds, "s3", "us-east-1", start, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		st, b := get(u)
		if st != 200 || b != "secret body" {
			t.Errorf("replay %d of a valid presigned URL: %d %s", i, st, b)
		}
	}
	st, b := get(strings.Replace(u, "/presign/obj", "/presign/other", 1))
	want("presigned URL with another key", st, b, 403, "SignatureDoesNotMatch", "")
	st, b = get(strings.Replace(u, "X-Amz-Expires=60", "X-Amz-Expires=604800", 1))
	want("presigned URL with a longer expiry", st, b, 403, "SignatureDoesNotMatch", "")
	st, b = get(strings.Replace(u, "AKIDPRESIGN", "AKIDUNKNOWN", 1))
	want("presigned URL with an unknown key", st, b, 403, "InvalidAccessKeyId", "")

	old := signed("GET", "/presign/obj", "", start)
	clock.step(2 * time.Minute)
	st, b = get(u)
	want("expired presigned URL", st, b, 403, "AccessDenied", "Request has expired")
	clock.step(20 * time.Minute)
	st, b = do(old)
	want("header-signed request replayed 22 minutes later", st, b, 403, "RequestTimeTooSkewed", "")
	checkHealth(t, ts.URL)
}
