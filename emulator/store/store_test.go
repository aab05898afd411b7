package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator/store"
)

func open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type queue struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

func put(t testing.TB, ns *store.NS, bucket, key string, v any) {
	t.Helper()
	err := ns.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return err
		}
		return b.PutJSON(key, v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func get(t testing.TB, ns *store.NS, bucket, key string) (queue, bool) {
	t.Helper()
	var q queue
	var ok bool
	err := ns.View(func(tx *store.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		var err error
		ok, err = b.GetJSON(key, &q)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return q, ok
}

func TestNamespacesAreIsolated(t *testing.T) {
	db := open(t)
	a := db.Namespace("111111111111", "us-east-1", "sqs")
	b := db.Namespace("222222222222", "us-east-1", "sqs")
	c := db.Namespace("111111111111", "eu-west-1", "sqs")
	put(t, a, "queues", "q", queue{Name: "q", N: 1})
	if _, ok := get(t, b, "queues", "q"); ok {
		t.Error("other account sees the record")
	}
	if _, ok := get(t, c, "queues", "q"); ok {
		t.Error("other region sees the record")
	}
	if q, ok := get(t, a, "queues", "q"); !ok || q.N != 1 {
		t.Errorf("got %+v %v", q, ok)
	}
}

func TestBucketCursorSequenceNested(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	err := ns.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists("objects")
		if err != nil {
			return err
		}
		for _, k := range []string{"c", "a", "b"} {
			if err := b.Put(k, []byte(k+k)); err != nil {
				return err
			}
		}
		n1, _ := b.NextSequence()
		n2, _ := b.NextSequence()
		if n1 != 1 || n2 != 2 {
			return fmt.Errorf("sequence %d %d", n1, n2)
		}
		nb, err := b.CreateBucketIfNotExists("versions")
		if err != nil {
			return err
		}
		return nb.Put("v1", []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = ns.View(func(tx *store.Tx) error {
		b := tx.Bucket("objects")
		var keys []string
		c := b.Cursor()
		for k, _, ok := c.First(); ok; k, _, ok = c.Next() {
			keys = append(keys, k)
		}
		if got := strings.Join(keys, ","); got != "a,b,c,versions" {
			return fmt.Errorf("cursor order %s", got)
		}
		if k, v, ok := c.Seek("b"); !ok || k != "b" || string(v) != "bb" {
			return fmt.Errorf("seek %s %s", k, v)
		}
		if string(b.Bucket("versions").Get("v1")) != "x" {
			return errors.New("nested bucket lost")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Deleting a bucket (present or not) succeeds.
	err = ns.Update(func(tx *store.Tx) error {
		if err := tx.DeleteBucket("objects"); err != nil {
			return err
		}
		return tx.DeleteBucket("never")
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestViewOfEmptyNamespace(t *testing.T) {
	db := open(t)
	err := db.Namespace("1", "r", "s").View(func(tx *store.Tx) error {
		if tx.Bucket("x") != nil {
			return errors.New("bucket in empty namespace")
		}
		_, err := tx.CreateBucketIfNotExists("x")
		if !errors.Is(err, store.ErrNoNamespace) {
			return fmt.Errorf("create in view: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFailedUpdateRollsBackRecordsAndBlobs(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	var ref store.BlobRef
	boom := errors.New("boom")
	err := ns.Update(func(tx *store.Tx) error {
		b, _ := tx.CreateBucketIfNotExists("o")
		_ = b.Put("k", []byte("v"))
		var err error
		ref, err = tx.PutBlob("bucket/k", strings.NewReader("body"))
		if err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if _, err := ns.OpenBlob(ref); err == nil {
		t.Error("blob of a rolled-back transaction still readable")
	}
	if _, ok := get(t, ns, "o", "k"); ok {
		t.Error("record survived rollback")
	}
}

func TestBlobLifecycle(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	var ref store.BlobRef
	err := ns.Update(func(tx *store.Tx) error {
		var err error
		ref, err = tx.PutBlob("../../etc/passwd", strings.NewReader("hello world"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Size != 11 || ref.MD5 != "5eb63bbbe01eeed093cb22bb8f5acdc3" {
		t.Errorf("ref = %+v", ref)
	}
	if strings.Contains(ref.ID, "/") || strings.Contains(ref.ID, ".") {
		t.Errorf("blob id %q derived from client key", ref.ID)
	}
	rc, err := ns.OpenBlob(ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Seek(6, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "world" {
		t.Errorf("read %q", b)
	}
	if _, err := ns.OpenBlob(store.BlobRef{ID: "../state.db"}); !errors.Is(err, store.ErrBadBlobID) {
		t.Errorf("traversal id: %v", err)
	}
	if err := ns.Update(func(tx *store.Tx) error { return tx.DeleteBlob(ref) }); err != nil {
		t.Fatal(err)
	}
	if _, err := ns.OpenBlob(ref); err == nil {
		t.Error("deleted blob still readable")
	}
	staged, err := ns.StageBlob(strings.NewReader("staged"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, err := ns.OpenBlob(staged); err == nil {
		t.Error("unattached blob survived reset")
	}
}

func TestResetEmptiesEverything(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "sqs")
	put(t, ns, "queues", "q", queue{Name: "q"})
	var ref store.BlobRef
	_ = ns.Update(func(tx *store.Tx) (err error) { ref, err = tx.PutBlob("o", strings.NewReader("x")); return })
	if err := db.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, ok := get(t, ns, "queues", "q"); ok {
		t.Error("record survived reset")
	}
	if _, err := ns.OpenBlob(ref); err == nil {
		t.Error("blob survived reset")
	}
	d, _ := db.Dump()
	if len(d) != 0 {
		t.Errorf("dump after reset: %v", d)
	}
}

func TestSnapshotRestoreRoundTrip(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	put(t, ns, "meta", "k", queue{Name: "before", N: 1})
	var ref store.BlobRef
	if err := ns.Update(func(tx *store.Tx) (err error) {
		ref, err = tx.PutBlob("b/k", strings.NewReader("snapshotted body"))
		return
	}); err != nil {
		t.Fatal(err)
	}
	var snap bytes.Buffer
	if err := db.Snapshot(&snap); err != nil {
		t.Fatal(err)
	}
	put(t, ns, "meta", "k", queue{Name: "after", N: 2})
	_ = ns.Update(func(tx *store.Tx) error { return tx.DeleteBlob(ref) })

	if err := db.Restore(bytes.NewReader(snap.Bytes())); err != nil {
		t.Fatal(err)
	}
	if q, _ := get(t, ns, "meta", "k"); q.Name != "before" {
		t.Errorf("restored %+v", q)
	}
	rc, err := ns.OpenBlob(ref)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rc)
	rc.Close()
	if string(body) != "snapshotted body" {
		t.Errorf("blob %q", body)
	}
	// Restore into a second, independent database.
	db2 := open(t)
	if err := db2.Restore(bytes.NewReader(snap.Bytes())); err != nil {
		t.Fatal(err)
	}
	if q, _ := get(t, db2.Namespace("000000000000", "us-east-1", "s3"), "meta", "k"); q.Name != "before" {
		t.Errorf("db2 restored %+v", q)
	}
}

func TestRestoreRejectsGarbageAndKeepsState(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "sqs")
	put(t, ns, "queues", "q", queue{Name: "keep"})
	var snap bytes.Buffer
	_ = db.Snapshot(&snap)
	for name, in := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("hello"),
		"truncated": snap.Bytes()[:snap.Len()/2],
		"bad db":    append([]byte("fakecloud-snapshot v1\nD\x00\x00\x00\x00\x00\x00\x00\x00\x04"), "junkE\x00\x00\x00\x00\x00\x00\x00\x00\x00"...),
	} {
		if err := db.Restore(bytes.NewReader(in)); err == nil {
			t.Errorf("%s: restore succeeded", name)
		}
	}
	if q, ok := get(t, ns, "queues", "q"); !ok || q.Name != "keep" {
		t.Errorf("state lost: %+v", q)
	}
}

func TestPersistenceAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := store.Open(path, &store.Options{Sync: true})
	if err != nil {
		t.Fatal(err)
	}
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	put(t, ns, "b", "k", queue{Name: "persisted"})
	var ref store.BlobRef
	_ = ns.Update(func(tx *store.Tx) (err error) { ref, err = tx.PutBlob("o", strings.NewReader("disk")); return })
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ns = db.Namespace("000000000000", "us-east-1", "s3")
	if q, _ := get(t, ns, "b", "k"); q.Name != "persisted" {
		t.Errorf("got %+v", q)
	}
	if rc, err := ns.OpenBlob(ref); err != nil {
		t.Error(err)
	} else {
		rc.Close()
	}
}

func TestSecondOpenFailsWithErrLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// bbolt's flock is per open file description, so a second Open in the
	// same process contends like a second process would.
	_, err = store.Open(path, &store.Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
}

func TestCorruptFileIsAnErrorAndUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	junk := bytes.Repeat([]byte("not a bbolt file "), 512)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if db, err := store.Open(path, nil); err == nil {
		db.Close()
		t.Fatal("opened a corrupt file")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(after, junk) {
		t.Error("corrupt file was modified")
	}
}

func TestDumpDecodesRecords(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "sqs")
	put(t, ns, "queues", "q", queue{Name: "q", N: 3})
	_ = ns.Update(func(tx *store.Tx) error {
		b, _ := tx.CreateBucketIfNotExists("raw")
		_ = b.Put("text", []byte("plain"))
		return b.Put("bin", []byte{0xff, 0x00})
	})
	d, err := db.Dump()
	if err != nil {
		t.Fatal(err)
	}
	svc := d["000000000000"].(map[string]any)["us-east-1"].(map[string]any)["sqs"].(map[string]any)
	q := svc["queues"].(map[string]any)["q"].(map[string]any)
	if q["name"] != "q" || q["n"] != float64(3) {
		t.Errorf("queue %v", q)
	}
	raw := svc["raw"].(map[string]any)
	if raw["text"] != "plain" || raw["bin"] != "base64:/wA=" {
		t.Errorf("raw %v", raw)
	}
}

func FuzzRestore(f *testing.F) {
	src, err := store.Open("", nil)
	if err != nil {
		f.Fatal(err)
	}
	ns := src.Namespace("000000000000", "us-east-1", "s3")
	_ = ns.Update(func(tx *store.Tx) error {
		b, _ := tx.CreateBucketIfNotExists("b")
		_ = b.Put("k", []byte("v"))
		_, err := tx.PutBlob("o", strings.NewReader("blob"))
		return err
	})
	var snap bytes.Buffer
	_ = src.Snapshot(&snap)
	src.Close()
	f.Add(snap.Bytes())
	f.Add([]byte("fakecloud-snapshot v1\nE\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("fakecloud-snapshot v1\nB\x02..\x00\x00\x00\x00\x00\x00\x00\x01x"))
	db, err := store.Open("", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = db.Restore(bytes.NewReader(data))
		// Whatever happened, the database must still work.
		if err := db.Namespace("1", "r", "s").View(func(*store.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
	})
}
