package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fakecloud/fakecloud/emulator/store"
)

func openBatch(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "state.db"), &store.Options{SyncPolicy: store.SyncBatch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Under SyncBatch concurrent Updates share commits, yet each function runs
// exactly once and one that fails leaves no trace while its neighbours in
// the same commit keep their writes.
func TestGroupCommitRunsEachUpdateOnceAndIsolatesFailures(t *testing.T) {
	db := openBatch(t)
	ns := db.Namespace("000000000000", "us-east-1", "dynamodb")
	const workers, per = 16, 40
	var calls atomic.Int64
	boom := errors.New("conditional check failed")
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				key := fmt.Sprintf("w%02d-%03d", w, i)
				fail := i%3 == 0
				err := ns.Update(func(tx *store.Tx) error {
					calls.Add(1)
					b, err := tx.CreateBucketIfNotExists("items")
					if err != nil {
						return err
					}
					if err := b.Put(key, []byte(key)); err != nil {
						return err
					}
					if _, err := b.NextSequence(); err != nil {
						return err
					}
					if fail {
						return boom
					}
					return nil
				})
				if fail != errors.Is(err, boom) || (!fail && err != nil) {
					t.Errorf("%s: err %v", key, err)
				}
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != workers*per {
		t.Errorf("functions ran %d times for %d updates", n, workers*per)
	}
	err := ns.View(func(tx *store.Tx) error {
		b := tx.Bucket("items")
		for w := range workers {
			for i := range per {
				key := fmt.Sprintf("w%02d-%03d", w, i)
				if got, want := b.Get(key) != nil, i%3 != 0; got != want {
					t.Errorf("%s present=%v, want %v", key, got, want)
				}
			}
		}
		if want := workers * (per - per/3 - 1); b.Len() != want {
			t.Errorf("%d items, want %d", b.Len(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var seq uint64
	_ = ns.Update(func(tx *store.Tx) (err error) { seq, err = tx.Bucket("items").NextSequence(); return })
	if want := uint64(workers*(per-per/3-1) + 1); seq != want {
		t.Errorf("sequence %d, want %d (failed updates' increments taken back)", seq, want)
	}
}

// Every kind of write a failed Update made is taken back: values, deletes,
// created and deleted buckets (with nested content), sequences, cursor
// deletes and blobs of both kinds.
func TestGroupCommitUndoesEveryKindOfWrite(t *testing.T) {
	db := openBatch(t)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	var keep store.BlobRef
	err := ns.Update(func(tx *store.Tx) error {
		b, _ := tx.CreateBucketIfNotExists("objects")
		for _, k := range []string{"a", "b", "c"} {
			if err := b.Put(k, []byte(`{"v":"`+k+`"}`)); err != nil {
				return err
			}
		}
		nb, _ := b.CreateBucketIfNotExists("versions")
		_ = nb.Put("v1", []byte("one"))
		_, _ = nb.NextSequence()
		old, _ := tx.CreateBucketIfNotExists("doomed")
		_ = old.Put("x", []byte("y"))
		sub, _ := old.CreateBucketIfNotExists("deep")
		_ = sub.Put("z", []byte("w"))
		var err error
		keep, err = tx.PutBlob("objects/a", bytes.NewReader([]byte("kept body")))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.Dump()
	staged, err := ns.StageBlob(bytes.NewReader([]byte("staged small")))
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	var small, large store.BlobRef
	err = ns.Update(func(tx *store.Tx) error {
		b := tx.Bucket("objects")
		_ = b.Put("a", []byte("overwritten"))
		_ = b.Put("new", []byte("new"))
		_ = b.Delete("b")
		c := b.Cursor()
		if k, _, _ := c.Seek("c"); k == "c" {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		_, _ = b.Bucket("versions").NextSequence()
		if err := b.DeleteBucket("versions"); err != nil {
			return err
		}
		if err := tx.DeleteBucket("doomed"); err != nil {
			return err
		}
		nb, _ := tx.CreateBucket("fresh")
		_ = nb.Put("k", []byte("v"))
		var err error
		if small, err = tx.PutBlob("o/small", bytes.NewReader([]byte("small"))); err != nil {
			return err
		}
		if large, err = tx.PutBlob("o/large", bytes.NewReader(make([]byte, store.InlineBlobMax+5))); err != nil {
			return err
		}
		if err := tx.AttachBlob("o/staged", staged); err != nil {
			return err
		}
		if err := tx.DeleteBlob(keep); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	after, _ := db.Dump()
	if !reflect.DeepEqual(before, after) {
		t.Errorf("state changed by a failed update:\nbefore %v\nafter  %v", before, after)
	}
	var seq uint64
	_ = ns.Update(func(tx *store.Tx) (err error) {
		seq, err = tx.Bucket("objects").Bucket("versions").NextSequence()
		return
	})
	if seq != 2 {
		t.Errorf("nested sequence %d, want 2", seq)
	}
	if got := readBlob(t, ns, keep); string(got) != "kept body" {
		t.Errorf("kept blob %q", got)
	}
	for _, ref := range []store.BlobRef{small, large} {
		if _, err := ns.OpenBlob(ref); err == nil {
			t.Errorf("blob of size %d written by a failed update is readable", ref.Size)
		}
	}
	if files := blobFiles(t, db); files != 0 {
		t.Errorf("%d blob files left by a failed update", files)
	}
	// The staged blob is still staged: a later transaction may attach it.
	if err := ns.Update(func(tx *store.Tx) error { return tx.AttachBlob("o/staged", staged) }); err != nil {
		t.Fatal(err)
	}
	if got := readBlob(t, ns, staged); string(got) != "staged small" {
		t.Errorf("staged blob %q", got)
	}
}

// A panic in one Update reaches its own caller, not the goroutine that
// happened to lead the commit, and takes back only its own writes.
func TestGroupCommitPanicStaysWithItsCaller(t *testing.T) {
	db := openBatch(t)
	ns := db.Namespace("000000000000", "us-east-1", "sqs")
	func() {
		defer func() {
			if p := recover(); p != "handler bug" {
				t.Errorf("recovered %v", p)
			}
		}()
		_ = ns.Update(func(tx *store.Tx) error {
			b, _ := tx.CreateBucketIfNotExists("queues")
			_ = b.Put("q", []byte("half-written"))
			panic("handler bug")
		})
	}()
	put(t, ns, "queues", "ok", queue{Name: "ok"})
	if _, ok := get(t, ns, "queues", "q"); ok {
		t.Error("write of a panicking update committed")
	}
	if q, ok := get(t, ns, "queues", "ok"); !ok || q.Name != "ok" {
		t.Error("update after a panic lost")
	}
}
