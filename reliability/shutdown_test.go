package reliability

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/session"
)

// slowReader hands out its data in pieces with a pause between them, so an
// upload is still in flight when the server is told to stop.
type slowReader struct {
	data  []byte
	piece int
	pause time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(s.pause)
	n := min(len(p), s.piece, len(s.data))
	copy(p, s.data[:n])
	s.data = s.data[n:]
	return n, nil
}

// outcome classifies one request of TestSIGTERMDuringLoad.
type outcome int

const (
	completed outcome = iota // 2xx and a whole, intact body
	refused                  // the server was no longer accepting connections
	broken                   // anything else: a truncated or failed answer
)

// refusedErr reports whether err, from a request that got no answer at all,
// means the connection was never served: refused at dial, or reset before
// any byte of a response arrived — a connection still in the kernel's accept
// queue when the listener closed is reset, and the client sees that as a
// reset, an EOF, a broken pipe, or (when the reset lands while it is still
// writing the body) its own connection closed under the write.
// TestSIGTERMDuringLoad checks after the restart that such a request left
// nothing half-done.
func refusedErr(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}

// TestSIGTERMDuringLoad starts `fakecloud serve`, runs 16 concurrent
// clients of S3 puts (four of them uploading slowly, so requests are in
// flight), gets and DynamoDB puts, sends SIGTERM mid-way, and checks that
// every request either completed with a 2xx and a whole body or was refused
// a connection — none truncated — that the process exits 0, that the data
// file passes bbolt's consistency check, and that every acknowledged write
// is there, intact, after a restart.
func TestSIGTERMDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals fakecloud serve; skipped in -short")
	}
	tmp := t.TempDir()
	bin := buildFakecloud(t, tmp)
	dbPath := filepath.Join(tmp, "data", "state.db")
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, bin, dbPath)
	defer func() {
		select {
		case <-srv.done:
		default:
			srv.kill()
		}
	}()
	sess := newSession(t)
	cs := clients(t, sess, srv.url, nil, "s3", "dynamodb")
	mustCall(t, cs["s3"], "CreateBucket", session.Params{"Bucket": "sigterm"})
	mustCall(t, cs["dynamodb"], "CreateTable", session.Params{
		"TableName":            "sigterm",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}},
		"BillingMode":          "PAY_PER_REQUEST",
	})
	fixed := payload(rand.New(rand.NewPCG(1, 2)), 256<<10)
	mustCall(t, cs["s3"], "PutObject", session.Params{"Bucket": "sigterm", "Key": "fixed", "Body": bytes.NewReader(fixed)})
	fixedSum := sum(fixed)

	// Raw HTTP, one connection per request, so that each answer is seen
	// exactly as the server sent it and no transport retry hides a failure.
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 60 * time.Second}
	sign := func(req *http.Request, service string) {
		req.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=AKIDRELIABILITY/20260101/us-east-1/%s/aws4_request, SignedHeaders=host, Signature=00", service))
		req.Header.Set("X-Amz-Date", "20260101T000000Z")
		req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	}

	const clientsN = 16
	var (
		counts    [3]atomic.Int64
		started   atomic.Int64
		mu        sync.Mutex
		acked     = map[string]string{} // object key -> sha256 of what was put
		ackedItem = map[string]string{} // item pk -> value
		unacked   = map[string]string{} // object key -> sha256, for puts with no answer
		problems  []string
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	// one runs a request and classifies the result; ok is called with the
	// body of a completed answer.
	one := func(req *http.Request, ok func([]byte) error) outcome {
		started.Add(1)
		resp, err := hc.Do(req)
		if err != nil {
			if refusedErr(err) {
				return refused
			}
			fail("%s %s: %v", req.Method, req.URL.Path, err)
			return broken
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			fail("%s %s: answer %d truncated after %d bytes: %v", req.Method, req.URL.Path, resp.StatusCode, len(body), err)
			return broken
		}
		if resp.StatusCode/100 != 2 {
			fail("%s %s: status %d: %.200s", req.Method, req.URL.Path, resp.StatusCode, body)
			return broken
		}
		if cl := resp.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(body)) {
			fail("%s %s: Content-Length %s, body %d bytes", req.Method, req.URL.Path, cl, len(body))
			return broken
		}
		if err := ok(body); err != nil {
			fail("%s %s: %v", req.Method, req.URL.Path, err)
			return broken
		}
		return completed
	}

	deadline := time.Now().Add(45 * time.Second)
	var wg sync.WaitGroup
	for c := range clientsN {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 3))
			for n := 0; time.Now().Before(deadline); n++ {
				var req *http.Request
				var ok func([]byte) error
				var putSum string
				switch {
				case c < 4: // slow uploads: 64 KiB in 16 pieces, 25 ms apart
					key := fmt.Sprintf("slow-%d-%d", c, n)
					data := payload(r, 64<<10)
					req, _ = http.NewRequest("PUT", srv.url+"/sigterm/"+key, &slowReader{data: data, piece: 4 << 10, pause: 25 * time.Millisecond})
					req.ContentLength = int64(len(data))
					sign(req, "s3")
					putSum = sum(data)
					ok = func([]byte) error { mu.Lock(); acked[key] = sum(data); mu.Unlock(); return nil }
				case c < 8:
					key := fmt.Sprintf("put-%d-%d", c, n)
					data := payload(r, 32<<10+r.IntN(64<<10))
					req, _ = http.NewRequest("PUT", srv.url+"/sigterm/"+key, bytes.NewReader(data))
					sign(req, "s3")
					putSum = sum(data)
					ok = func([]byte) error { mu.Lock(); acked[key] = sum(data); mu.Unlock(); return nil }
				case c < 12:
					req, _ = http.NewRequest("GET", srv.url+"/sigterm/fixed", nil)
					sign(req, "s3")
					ok = func(b []byte) error {
						if sum(b) != fixedSum {
							return fmt.Errorf("body of %d bytes differs from the 256 KiB object", len(b))
						}
						return nil
					}
				default:
					pk := fmt.Sprintf("item-%d-%d", c, n)
					val := fmt.Sprintf("%x", r.Uint64())
					body := fmt.Sprintf(`{"TableName":"sigterm","Item":{"pk":{"S":%q},"v":{"S":%q}}}`, pk, val)
					req, _ = http.NewRequest("POST", srv.url+"/", bytes.NewReader([]byte(body)))
					req.Header.Set("X-Amz-Target", "DynamoDB_20120810.PutItem")
					req.Header.Set("Content-Type", "application/x-amz-json-1.0")
					sign(req, "dynamodb")
					ok = func([]byte) error { mu.Lock(); ackedItem[pk] = val; mu.Unlock(); return nil }
				}
				o := one(req, ok)
				counts[o].Add(1)
				if o != completed && req.Method == "PUT" {
					mu.Lock()
					unacked[req.URL.Path[len("/sigterm/"):]] = putSum
					mu.Unlock()
				}
				if o == refused {
					return // the server has stopped listening
				}
			}
		}()
	}

	// SIGTERM once the load is well under way.
	for started.Load() < 200 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	doneAtTerm := counts[completed].Load()
	inFlight := started.Load() - doneAtTerm - counts[refused].Load() - counts[broken].Load()
	termAt := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.done:
	case <-time.After(40 * time.Second):
		srv.kill()
		t.Fatal("fakecloud serve did not exit within 40 s of SIGTERM")
	}
	exitAfter := time.Since(termAt)
	wg.Wait()
	if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d after SIGTERM; stderr: %s", code, srv.stderr)
	}
	if len(problems) > 0 {
		t.Errorf("%d requests neither completed nor refused: %q", counts[broken].Load(), problems)
	}
	if counts[refused].Load() == 0 {
		t.Errorf("no client saw the server stop (all %d requests completed before the deadline)", counts[completed].Load())
	}

	// The data file opens cleanly, and what was acknowledged is there.
	checkBolt(t, dbPath)
	srv = startServe(t, bin, dbPath)
	cs = clients(t, sess, srv.url, nil, "s3", "dynamodb")
	ctx := context.Background()
	for key, want := range acked {
		out, err := cs["s3"].Call(ctx, "GetObject", session.Params{"Bucket": "sigterm", "Key": key})
		if err != nil {
			t.Errorf("acknowledged object %s: %v", key, err)
			continue
		}
		if b, _ := readBody(out.Data["Body"]); sum(b) != want {
			t.Errorf("acknowledged object %s differs after restart", key)
		}
	}
	// A put that got no answer is absent or whole, never partial.
	present := 0
	for key, want := range unacked {
		out, err := cs["s3"].Call(ctx, "GetObject", session.Params{"Bucket": "sigterm", "Key": key})
		var ae *session.APIError
		if errors.As(err, &ae) && ae.Code == "NoSuchKey" {
			continue
		}
		if err != nil {
			t.Errorf("unanswered put %s: %v", key, err)
			continue
		}
		present++
		if b, _ := readBody(out.Data["Body"]); sum(b) != want {
			t.Errorf("unanswered put %s is visible but not whole", key)
		}
	}
	for pk, want := range ackedItem {
		out, err := cs["dynamodb"].Call(ctx, "GetItem", session.Params{"TableName": "sigterm", "Key": map[string]any{"pk": map[string]any{"S": pk}}, "ConsistentRead": true})
		if err != nil || out.String("Item.v.S") != want {
			t.Errorf("acknowledged item %s: %v %q", pk, err, out.String("Item.v.S"))
		}
	}
	srv.stop(t)
	checkBolt(t, dbPath)
	t.Logf("SIGTERM during load: %d clients, %d requests (%d in flight at SIGTERM, %d completed after it): %d completed 2xx, %d refused, %d broken; exit 0 after %v; %d objects and %d items acknowledged, all intact after restart; %d unanswered puts, %d of them stored whole, none partial",
		clientsN, started.Load(), inFlight, counts[completed].Load()-doneAtTerm, counts[completed].Load(), counts[refused].Load(), counts[broken].Load(),
		exitAfter.Round(time.Millisecond), len(acked), len(ackedItem), len(unacked), present)
}
