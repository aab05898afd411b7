package reliability

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
	"github.com/fakecloud/fakecloud/session"
)

var (
	soakDuration = flag.Duration("soak", 15*time.Second, "TestSoak: how long the 64 clients run")
	soakClients  = flag.Int("soak-clients", 64, "TestSoak: concurrent clients")
)

func countFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// settle waits (bounded) until f() <= want, returning the last value.
func settle(want int, f func() int) int {
	deadline := time.Now().Add(10 * time.Second)
	n := f()
	for n > want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		n = f()
	}
	return n
}

// soaker is one client's private world: its keys, items and queue, so any
// error or mismatch is a server fault, never a race between clients.
type soaker struct {
	id      int
	cs      map[string]*session.Client
	queue   string
	objects map[string]string // key -> hash of the last body put
	items   map[string]string // pk -> last value put
}

const (
	soakBucket = "soak-bucket"
	soakTable  = "soak-table"
	soakSecret = "soak-secret"
)

// TestSoak runs many concurrent clients of mixed S3, DynamoDB, SQS, STS, KMS
// and Secrets Manager operations against an in-process emulator for a
// bounded time and checks: no unexpected errors or wrong answers, no
// goroutine or file-descriptor leak once everything is closed, and a heap
// that stays bounded after warm-up (the key space is bounded, so state does
// not grow).
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short")
	}
	runtime.GC()
	g0, fd0 := runtime.NumGoroutine(), countFDs()
	ctx := context.Background()

	ts := emulator.NewTestServer(t)
	tr := &http.Transport{MaxIdleConnsPerHost: *soakClients, MaxIdleConns: 2 * *soakClients}
	hc := &http.Client{Transport: tr}
	sess := newSession(t)
	admin := clients(t, sess, ts.URL, hc, "s3", "dynamodb", "kms", "secretsmanager")
	mustCall(t, admin["s3"], "CreateBucket", session.Params{"Bucket": soakBucket})
	mustCall(t, admin["dynamodb"], "CreateTable", session.Params{
		"TableName":            soakTable,
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}, map[string]any{"AttributeName": "sk", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}, map[string]any{"AttributeName": "sk", "KeyType": "RANGE"}},
		"BillingMode":          "PAY_PER_REQUEST",
	})
	keyID := mustCall(t, admin["kms"], "CreateKey", session.Params{}).String("KeyMetadata.KeyId")
	mustCall(t, admin["secretsmanager"], "CreateSecret", session.Params{"Name": soakSecret, "SecretString": "s3cr3t"})

	soakers := make([]*soaker, *soakClients)
	for i := range soakers {
		cs := clients(t, sess, ts.URL, hc, "s3", "dynamodb", "sqs", "sts", "kms", "secretsmanager")
		q := mustCall(t, cs["sqs"], "CreateQueue", session.Params{"QueueName": fmt.Sprintf("soak-%d", i)}).String("QueueUrl")
		soakers[i] = &soaker{id: i, cs: cs, queue: q, objects: map[string]string{}, items: map[string]string{}}
	}

	var (
		ops, failures atomic.Int64
		warmHeap      atomic.Uint64
		errMu         sync.Mutex
		firstErrs     []string
	)
	report := func(s *soaker, op string, err error) {
		failures.Add(1)
		errMu.Lock()
		if len(firstErrs) < 20 {
			firstErrs = append(firstErrs, fmt.Sprintf("client %d %s: %v", s.id, op, err))
		}
		errMu.Unlock()
	}
	start := time.Now()
	stop := start.Add(*soakDuration)
	warm := start.Add(*soakDuration / 4)
	var wg sync.WaitGroup
	for _, s := range soakers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(s.id), 7))
			for time.Now().Before(stop) {
				op, err := s.step(ctx, r, keyID)
				ops.Add(1)
				if err != nil {
					report(s, op, err)
				}
			}
		}()
	}
	// Sample the heap once, after warm-up, while the load runs.
	go func() {
		time.Sleep(time.Until(warm))
		warmHeap.Store(heapAfterGC())
	}()
	wg.Wait()
	elapsed := time.Since(start)
	endHeap := heapAfterGC()

	for _, s := range soakers {
		for _, c := range s.cs {
			c.Close()
		}
	}
	for _, c := range admin {
		c.Close()
	}
	tr.CloseIdleConnections()
	ts.Close()

	g1 := settle(g0, runtime.NumGoroutine)
	fd1 := settle(fd0, countFDs)
	t.Logf("soak: %d clients, %d operations in %v (%.0f ops/s), %d failures; goroutines %d -> %d; fds %d -> %d; heap after warm-up %.1f MiB, at end %.1f MiB",
		len(soakers), ops.Load(), elapsed.Round(time.Millisecond), float64(ops.Load())/elapsed.Seconds(), failures.Load(),
		g0, g1, fd0, fd1, float64(warmHeap.Load())/(1<<20), float64(endHeap)/(1<<20))
	if n := failures.Load(); n > 0 {
		t.Errorf("%d unexpected errors; first: %q", n, firstErrs)
	}
	if g1 > g0 {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutine leak: %d before, %d after\n%s", g0, g1, buf[:runtime.Stack(buf, true)])
	}
	if fd0 >= 0 && fd1 > fd0 {
		t.Errorf("file descriptor leak: %d before, %d after", fd0, fd1)
	}
	// The key space is bounded, so the live heap must not keep growing:
	// allow generous slack for caches, pools and GC timing.
	if w := warmHeap.Load(); w > 0 && endHeap > 2*w+32<<20 {
		t.Errorf("heap grew after warm-up: %d -> %d bytes", w, endHeap)
	}
	if ops.Load() < int64(len(soakers)) {
		t.Errorf("only %d operations ran", ops.Load())
	}
}

func mustCall(t *testing.T, c *session.Client, op string, p session.Params) *session.Output {
	t.Helper()
	out, err := c.Call(context.Background(), op, p)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return out
}

// step runs one randomly chosen operation and checks its answer.
func (s *soaker) step(ctx context.Context, r *rand.Rand, keyID string) (string, error) {
	switch n := r.IntN(12); n {
	case 0, 1:
		key := fmt.Sprintf("c%d/k%d", s.id, r.IntN(8))
		body := payload(r, r.IntN(8<<10))
		if _, err := s.cs["s3"].Call(ctx, "PutObject", session.Params{"Bucket": soakBucket, "Key": key, "Body": bytes.NewReader(body)}); err != nil {
			return "PutObject", err
		}
		s.objects[key] = sum(body)
		return "PutObject", nil
	case 2:
		for key, want := range s.objects {
			out, err := s.cs["s3"].Call(ctx, "GetObject", session.Params{"Bucket": soakBucket, "Key": key})
			if err != nil {
				return "GetObject", err
			}
			b, err := readBody(out.Data["Body"])
			if err != nil {
				return "GetObject", err
			}
			if sum(b) != want {
				return "GetObject", fmt.Errorf("%s: body hash mismatch", key)
			}
			break
		}
		return "GetObject", nil
	case 3:
		out, err := s.cs["s3"].Call(ctx, "ListObjectsV2", session.Params{"Bucket": soakBucket, "Prefix": fmt.Sprintf("c%d/", s.id)})
		if err != nil {
			return "ListObjectsV2", err
		}
		if got := len(out.List("Contents")); got != len(s.objects) {
			return "ListObjectsV2", fmt.Errorf("%d keys listed, %d put", got, len(s.objects))
		}
		return "ListObjectsV2", nil
	case 4:
		sk := fmt.Sprintf("s%d", r.IntN(8))
		v := fmt.Sprintf("%x", payload(r, 32))
		if _, err := s.cs["dynamodb"].Call(ctx, "PutItem", session.Params{"TableName": soakTable, "Item": map[string]any{
			"pk": map[string]any{"S": fmt.Sprint(s.id)}, "sk": map[string]any{"S": sk}, "v": map[string]any{"S": v}}}); err != nil {
			return "PutItem", err
		}
		s.items[sk] = v
		return "PutItem", nil
	case 5:
		for sk, want := range s.items {
			out, err := s.cs["dynamodb"].Call(ctx, "GetItem", session.Params{"TableName": soakTable, "ConsistentRead": true,
				"Key": map[string]any{"pk": map[string]any{"S": fmt.Sprint(s.id)}, "sk": map[string]any{"S": sk}}})
			if err != nil {
				return "GetItem", err
			}
			if got := out.String("Item.v.S"); got != want {
				return "GetItem", fmt.Errorf("%s: v=%q, want %q", sk, got, want)
			}
			break
		}
		return "GetItem", nil
	case 6:
		out, err := s.cs["dynamodb"].Call(ctx, "Query", session.Params{"TableName": soakTable, "ConsistentRead": true,
			"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": map[string]any{":p": map[string]any{"S": fmt.Sprint(s.id)}}})
		if err != nil {
			return "Query", err
		}
		if got := out.Int("Count"); got != int64(len(s.items)) {
			return "Query", fmt.Errorf("Count %d, want %d", got, len(s.items))
		}
		return "Query", nil
	case 7:
		body := fmt.Sprintf("m-%d-%x", s.id, payload(r, 16))
		out, err := s.cs["sqs"].Call(ctx, "SendMessage", session.Params{"QueueUrl": s.queue, "MessageBody": body})
		if err != nil {
			return "SendMessage", err
		}
		if out.String("MessageId") == "" {
			return "SendMessage", errors.New("no MessageId")
		}
		return "SendMessage", nil
	case 8:
		out, err := s.cs["sqs"].Call(ctx, "ReceiveMessage", session.Params{"QueueUrl": s.queue, "MaxNumberOfMessages": 10})
		if err != nil {
			return "ReceiveMessage", err
		}
		var del []any
		for i, m := range out.List("Messages") {
			mm, _ := m.(map[string]any)
			del = append(del, map[string]any{"Id": fmt.Sprint(i), "ReceiptHandle": mm["ReceiptHandle"]})
		}
		if len(del) > 0 {
			out, err := s.cs["sqs"].Call(ctx, "DeleteMessageBatch", session.Params{"QueueUrl": s.queue, "Entries": del})
			if err != nil {
				return "DeleteMessageBatch", err
			}
			if f := out.List("Failed"); len(f) > 0 {
				return "DeleteMessageBatch", fmt.Errorf("failed entries %v", f)
			}
		}
		return "ReceiveMessage", nil
	case 9:
		out, err := s.cs["sts"].Call(ctx, "GetCallerIdentity", nil)
		if err != nil {
			return "GetCallerIdentity", err
		}
		if out.String("Account") == "" {
			return "GetCallerIdentity", errors.New("no Account")
		}
		return "GetCallerIdentity", nil
	case 10:
		plain := payload(r, 1+r.IntN(256))
		out, err := s.cs["kms"].Call(ctx, "Encrypt", session.Params{"KeyId": keyID, "Plaintext": plain})
		if err != nil {
			return "Encrypt", err
		}
		blob, _ := out.Get("CiphertextBlob")
		dout, err := s.cs["kms"].Call(ctx, "Decrypt", session.Params{"CiphertextBlob": blob})
		if err != nil {
			return "Decrypt", err
		}
		got, _ := dout.Get("Plaintext")
		if b, _ := got.([]byte); !bytes.Equal(b, plain) {
			return "Decrypt", errors.New("plaintext round trip mismatch")
		}
		return "Encrypt", nil
	default:
		out, err := s.cs["secretsmanager"].Call(ctx, "GetSecretValue", session.Params{"SecretId": soakSecret})
		if err != nil {
			return "GetSecretValue", err
		}
		if out.String("SecretString") != "s3cr3t" {
			return "GetSecretValue", errors.New("wrong SecretString")
		}
		return "GetSecretValue", nil
	}
}
