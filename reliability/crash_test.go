package reliability

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/fakecloud/fakecloud/session"
)

var (
	crashCycles = flag.Int("cycles", 20, "TestCrashConsistency: kill/restart cycles")
	crashBudget = flag.Duration("crash-budget", 60*time.Second, "TestCrashConsistency: stop starting new cycles after this long")
	crashSeed   = flag.Uint64("crash-seed", 11, "TestCrashConsistency: seed of kill moments and payloads")
)

// buildFakecloud builds cmd/fakecloud once into dir.
func buildFakecloud(t *testing.T, dir string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("runtime.Caller failed")
	}
	root := filepath.Dir(filepath.Dir(file))
	bin := filepath.Join(dir, "fakecloud")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/fakecloud")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/fakecloud: %v\n%s", err, out)
	}
	return bin
}

type serveProc struct {
	cmd    *exec.Cmd
	url    string
	done   chan struct{}
	stderr *bytes.Buffer
}

var servingRE = regexp.MustCompile(`serving .* at (http://127\.0\.0\.1:\d+)`)

// startServe starts `fakecloud serve` on dbPath at 127.0.0.1 on a free port
// (port 0: the kernel picks one, the banner names it) and waits for it.
func startServe(t *testing.T, bin, dbPath string) *serveProc {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", dbPath, "--addr", "127.0.0.1:0", "--log-level", "error")
	cmd.Env = append(os.Environ(), "FAKECLOUD_SERVICES=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, done: make(chan struct{}), stderr: &bytes.Buffer{}}
	cmd.Stderr = &lockedWriter{w: p.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				urlc <- m[1]
				sent = true
			}
		}
	}()
	go func() { _ = cmd.Wait(); close(p.done) }()
	select {
	case p.url = <-urlc:
	case <-p.done:
		t.Fatalf("fakecloud serve exited before serving: %s", p.stderr)
	case <-time.After(30 * time.Second):
		p.kill()
		t.Fatalf("fakecloud serve did not start in 30s: %s", p.stderr)
	}
	return p
}

func (p *serveProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop is the graceful stop (SIGTERM, as an operator would), bounded.
func (p *serveProc) stop(t *testing.T) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(40 * time.Second):
		p.kill()
		t.Errorf("fakecloud serve did not stop on SIGTERM within 40s")
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w.Len() > 1<<20 {
		return len(b), nil
	}
	return l.w.Write(b)
}

// write is one attempted write: its identity, the hash of what was sent,
// and whether a 2xx answer came back.
type write struct {
	kind  string // object, multipart, item, txn, message
	id    string
	sum   string
	acked bool
}

type ledger struct {
	mu     sync.Mutex
	writes []*write
}

func (l *ledger) begin(kind, id, sum string) *write {
	w := &write{kind: kind, id: id, sum: sum}
	l.mu.Lock()
	l.writes = append(l.writes, w)
	l.mu.Unlock()
	return w
}

func (l *ledger) ack(w *write) {
	l.mu.Lock()
	w.acked = true
	l.mu.Unlock()
}

// take returns the writes recorded so far and empties the ledger.
func (l *ledger) take() []*write {
	l.mu.Lock()
	defer l.mu.Unlock()
	ws := l.writes
	l.writes = nil
	return ws
}

const (
	crashBucket = "crash-bucket"
	crashTable  = "crash-table"
	crashQueue  = "crash-queue"
	txnItems    = 3
)

// TestCrashConsistency SIGKILLs `fakecloud serve` at seeded random moments
// while concurrent writers run, restarts it on the same data file and checks
// that every acknowledged write is there and intact, that nothing
// unacknowledged is half-visible, and that bbolt's consistency check passes
// after every kill and after the final stop.
func TestCrashConsistency(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills fakecloud serve; skipped in -short")
	}
	tmp := t.TempDir()
	bin := buildFakecloud(t, tmp)
	dbPath := filepath.Join(tmp, "data", "state.db")
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(*crashSeed, 0x11))
	sess := newSession(t)

	srv := startServe(t, bin, dbPath)
	defer func() {
		select {
		case <-srv.done:
		default:
			srv.kill()
		}
	}()
	ctx := context.Background()
	cs := clients(t, sess, srv.url, nil, "s3", "dynamodb", "sqs")
	setupCrashResources(t, ctx, cs)

	var (
		led                     ledger
		checked, acked, unacked int
		seq                     atomic.Int64
		start                   = time.Now()
		done                    int
	)
	for cycle := 0; cycle < *crashCycles; cycle++ {
		if time.Since(start) > *crashBudget {
			t.Logf("budget %v spent after %d cycles", *crashBudget, cycle)
			break
		}
		var killed atomic.Bool
		wctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		seed := rng.Uint64()
		for i, fn := range []func(context.Context, map[string]*session.Client, *ledger, *atomic.Int64, *rand.Rand) error{
			writeObjects, writeObjects, writeMultipart, writeItems, writeTxns, writeMessages, writeMessages,
		} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, uint64(i)))
				if err := fn(wctx, cs, &led, &seq, r); err != nil && !killed.Load() && wctx.Err() == nil {
					t.Errorf("cycle %d: writer %d failed before the kill: %v", cycle, i, err)
				}
			}()
		}
		time.Sleep(time.Duration(20+rng.IntN(400)) * time.Millisecond)
		killed.Store(true)
		srv.kill()
		cancel()
		wg.Wait()

		checkBolt(t, dbPath)
		srv = startServe(t, bin, dbPath)
		cs = clients(t, sess, srv.url, nil, "s3", "dynamodb", "sqs")
		ws := led.take()
		n, a, u := verifyCrash(t, ctx, cs, ws)
		checked += n
		acked += a
		unacked += u
		done++
		if t.Failed() {
			t.Logf("stopping after cycle %d: %s", cycle, srv.stderr)
			break
		}
	}
	srv.stop(t)
	checkBolt(t, dbPath)
	t.Logf("crash consistency: %d kill/restart cycles in %v, %d writes attempted (%d acknowledged, all checked intact; %d unacknowledged, none half-visible), %d reads checked",
		done, time.Since(start).Round(time.Millisecond), acked+unacked, acked, unacked, checked)
	if done == 0 {
		t.Fatal("no cycle ran")
	}
}

func checkBolt(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("bbolt open after kill: %v", err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		var errs []string
		for e := range tx.Check() {
			errs = append(errs, e.Error())
			if len(errs) > 10 {
				break
			}
		}
		if len(errs) > 0 {
			return errors.New(strings.Join(errs, "; "))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("bbolt consistency check: %v", err)
	}
}

func setupCrashResources(t *testing.T, ctx context.Context, cs map[string]*session.Client) {
	t.Helper()
	if _, err := cs["s3"].Call(ctx, "CreateBucket", session.Params{"Bucket": crashBucket}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs["dynamodb"].Call(ctx, "CreateTable", session.Params{
		"TableName":            crashTable,
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}},
		"BillingMode":          "PAY_PER_REQUEST",
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs["sqs"].Call(ctx, "CreateQueue", session.Params{"QueueName": crashQueue}); err != nil {
		t.Fatal(err)
	}
}

func queueURL(ctx context.Context, c *session.Client) (string, error) {
	out, err := c.Call(ctx, "GetQueueUrl", session.Params{"QueueName": crashQueue})
	if err != nil {
		return "", err
	}
	return out.String("QueueUrl"), nil
}

func payload(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func writeObjects(ctx context.Context, cs map[string]*session.Client, l *ledger, seq *atomic.Int64, r *rand.Rand) error {
	for ctx.Err() == nil {
		body := payload(r, 1+r.IntN(64<<10))
		key := fmt.Sprintf("obj/%06d", seq.Add(1))
		w := l.begin("object", key, sum(body))
		if _, err := cs["s3"].Call(ctx, "PutObject", session.Params{"Bucket": crashBucket, "Key": key, "Body": bytes.NewReader(body)}); err != nil {
			return err
		}
		l.ack(w)
	}
	return nil
}

// writeMultipart does small multipart uploads: one or two parts (a first
// part of S3's 5 MiB minimum is too heavy here, so two-part uploads use
// UploadPart twice for the same part number; the last write wins).
func writeMultipart(ctx context.Context, cs map[string]*session.Client, l *ledger, seq *atomic.Int64, r *rand.Rand) error {
	c := cs["s3"]
	for ctx.Err() == nil {
		key := fmt.Sprintf("mpu/%06d", seq.Add(1))
		out, err := c.Call(ctx, "CreateMultipartUpload", session.Params{"Bucket": crashBucket, "Key": key})
		if err != nil {
			return err
		}
		id := out.String("UploadId")
		var body []byte
		var etag string
		for range 1 + r.IntN(2) {
			body = payload(r, 1+r.IntN(48<<10))
			po, err := c.Call(ctx, "UploadPart", session.Params{"Bucket": crashBucket, "Key": key, "UploadId": id, "PartNumber": 1, "Body": bytes.NewReader(body)})
			if err != nil {
				return err
			}
			etag = po.String("ETag")
		}
		w := l.begin("multipart", key, sum(body))
		if _, err := c.Call(ctx, "CompleteMultipartUpload", session.Params{"Bucket": crashBucket, "Key": key, "UploadId": id,
			"MultipartUpload": map[string]any{"Parts": []any{map[string]any{"PartNumber": 1, "ETag": etag}}}}); err != nil {
			return err
		}
		l.ack(w)
	}
	return nil
}

func writeItems(ctx context.Context, cs map[string]*session.Client, l *ledger, seq *atomic.Int64, r *rand.Rand) error {
	for ctx.Err() == nil {
		v := fmt.Sprintf("%x", payload(r, 1+r.IntN(512)))
		pk := fmt.Sprintf("item-%06d", seq.Add(1))
		w := l.begin("item", pk, sum([]byte(v)))
		if _, err := cs["dynamodb"].Call(ctx, "PutItem", session.Params{"TableName": crashTable,
			"Item": map[string]any{"pk": map[string]any{"S": pk}, "v": map[string]any{"S": v}}}); err != nil {
			return err
		}
		l.ack(w)
	}
	return nil
}

func writeTxns(ctx context.Context, cs map[string]*session.Client, l *ledger, seq *atomic.Int64, r *rand.Rand) error {
	for ctx.Err() == nil {
		id := fmt.Sprintf("txn-%06d", seq.Add(1))
		v := fmt.Sprintf("%x", payload(r, 16))
		var items []any
		for i := range txnItems {
			items = append(items, map[string]any{"Put": map[string]any{"TableName": crashTable,
				"Item": map[string]any{"pk": map[string]any{"S": fmt.Sprintf("%s/%d", id, i)}, "v": map[string]any{"S": v}}}})
		}
		w := l.begin("txn", id, sum([]byte(v)))
		if _, err := cs["dynamodb"].Call(ctx, "TransactWriteItems", session.Params{"TransactItems": items}); err != nil {
			return err
		}
		l.ack(w)
	}
	return nil
}

func writeMessages(ctx context.Context, cs map[string]*session.Client, l *ledger, seq *atomic.Int64, r *rand.Rand) error {
	u, err := queueURL(ctx, cs["sqs"])
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		id := fmt.Sprintf("msg-%06d", seq.Add(1))
		body := id + ":" + fmt.Sprintf("%x", payload(r, 1+r.IntN(2048)))
		w := l.begin("message", id, sum([]byte(body)))
		if _, err := cs["sqs"].Call(ctx, "SendMessage", session.Params{"QueueUrl": u, "MessageBody": body}); err != nil {
			return err
		}
		l.ack(w)
	}
	return nil
}

// verifyCrash checks every write of the last cycle against the restarted
// server and drains the queue. It returns reads checked, acknowledged and
// unacknowledged writes.
func verifyCrash(t *testing.T, ctx context.Context, cs map[string]*session.Client, ws []*write) (checked, acked, unacked int) {
	t.Helper()
	msgs := map[string]*write{}
	for _, w := range ws {
		if w.acked {
			acked++
		} else {
			unacked++
		}
		switch w.kind {
		case "object", "multipart":
			out, err := cs["s3"].Call(ctx, "GetObject", session.Params{"Bucket": crashBucket, "Key": w.id})
			checked++
			var ae *session.APIError
			if errors.As(err, &ae) && ae.Code == "NoSuchKey" {
				if w.acked {
					t.Errorf("acknowledged %s %s lost after kill", w.kind, w.id)
				}
				continue
			}
			if err != nil {
				t.Errorf("GetObject %s: %v", w.id, err)
				continue
			}
			b, err := readBody(out.Data["Body"])
			if err != nil {
				t.Errorf("GetObject %s body: %v", w.id, err)
			} else if sum(b) != w.sum {
				t.Errorf("%s %s (acked=%v) body hash %s, sent %s (%d bytes read)", w.kind, w.id, w.acked, sum(b), w.sum, len(b))
			}
		case "item":
			out, err := cs["dynamodb"].Call(ctx, "GetItem", session.Params{"TableName": crashTable, "ConsistentRead": true,
				"Key": map[string]any{"pk": map[string]any{"S": w.id}}})
			checked++
			if err != nil {
				t.Errorf("GetItem %s: %v", w.id, err)
				continue
			}
			if _, ok := out.Get("Item"); !ok {
				if w.acked {
					t.Errorf("acknowledged item %s lost after kill", w.id)
				}
				continue
			}
			if got := out.String("Item.v.S"); sum([]byte(got)) != w.sum {
				t.Errorf("item %s (acked=%v) value %q does not hash to what was sent", w.id, w.acked, got)
			}
		case "txn":
			present := 0
			for i := range txnItems {
				out, err := cs["dynamodb"].Call(ctx, "GetItem", session.Params{"TableName": crashTable, "ConsistentRead": true,
					"Key": map[string]any{"pk": map[string]any{"S": fmt.Sprintf("%s/%d", w.id, i)}}})
				checked++
				if err != nil {
					t.Errorf("GetItem %s/%d: %v", w.id, i, err)
					continue
				}
				if _, ok := out.Get("Item"); ok {
					present++
					if got := out.String("Item.v.S"); sum([]byte(got)) != w.sum {
						t.Errorf("txn %s item %d value %q not what was sent", w.id, i, got)
					}
				}
			}
			switch {
			case present != 0 && present != txnItems:
				t.Errorf("transaction %s (acked=%v) half-visible: %d of %d items", w.id, w.acked, present, txnItems)
			case w.acked && present == 0:
				t.Errorf("acknowledged transaction %s lost after kill", w.id)
			}
		case "message":
			msgs[w.id] = w
		}
	}
	// Drain the queue: every message must be one we sent, intact; every
	// acknowledged one must come back.
	u, err := queueURL(ctx, cs["sqs"])
	if err != nil {
		t.Errorf("GetQueueUrl after restart: %v", err)
		return
	}
	seen := map[string]bool{}
	for empty := 0; empty < 2; {
		out, err := cs["sqs"].Call(ctx, "ReceiveMessage", session.Params{"QueueUrl": u, "MaxNumberOfMessages": 10, "VisibilityTimeout": 60})
		if err != nil {
			t.Errorf("ReceiveMessage: %v", err)
			return
		}
		list := out.List("Messages")
		if len(list) == 0 {
			empty++
			continue
		}
		var del []any
		for i, m := range list {
			mm, _ := m.(map[string]any)
			body, _ := mm["Body"].(string)
			id, _, _ := strings.Cut(body, ":")
			checked++
			w, ok := msgs[id]
			switch {
			case !ok:
				t.Errorf("message %q was never sent in this cycle (or was delivered twice)", id)
			case sum([]byte(body)) != w.sum:
				t.Errorf("message %s body corrupted", id)
			}
			seen[id] = true
			del = append(del, map[string]any{"Id": fmt.Sprint(i), "ReceiptHandle": mm["ReceiptHandle"]})
			delete(msgs, id)
		}
		if _, err := cs["sqs"].Call(ctx, "DeleteMessageBatch", session.Params{"QueueUrl": u, "Entries": del}); err != nil {
			t.Errorf("DeleteMessageBatch: %v", err)
			return
		}
	}
	for id, w := range msgs {
		if w.acked {
			t.Errorf("acknowledged message %s lost after kill", id)
		}
	}
	return checked, acked, unacked
}
