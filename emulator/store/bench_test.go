package store_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/fakecloud/fakecloud/emulator/store"
)

func smallState(b *testing.B, db *store.DB) {
	for i := range 5 {
		ns := db.Namespace("000000000000", "us-east-1", fmt.Sprintf("svc%d", i))
		for j := range 20 {
			put(b, ns, "records", fmt.Sprintf("k%03d", j), queue{Name: "q", N: j})
		}
	}
}

func BenchmarkReset(b *testing.B) {
	db := open(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		smallState(b, db)
		b.StartTimer()
		if err := db.Reset(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSnapshotRestore(b *testing.B) {
	db := open(b)
	smallState(b, db)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := db.Snapshot(&buf); err != nil {
			b.Fatal(err)
		}
		if err := db.Restore(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpdate(b *testing.B) {
	db := open(b)
	ns := db.Namespace("000000000000", "us-east-1", "sqs")
	b.ReportAllocs()
	for b.Loop() {
		put(b, ns, "queues", "q", queue{Name: "q", N: 1})
	}
}

func BenchmarkView(b *testing.B) {
	db := open(b)
	ns := db.Namespace("000000000000", "us-east-1", "sqs")
	put(b, ns, "queues", "q", queue{Name: "q", N: 1})
	b.ReportAllocs()
	for b.Loop() {
		get(b, ns, "queues", "q")
	}
}

// BenchmarkUpdateParallel is concurrent durable writers under each sync
// policy: SyncBatch shares one fsync among the writers of a commit.
func BenchmarkUpdateParallel(b *testing.B) {
	for _, p := range []store.SyncPolicy{store.SyncAlways, store.SyncBatch, store.SyncNone} {
		b.Run(p.String(), func(b *testing.B) {
			db, err := store.Open(filepath.Join(b.TempDir(), "state.db"), &store.Options{SyncPolicy: p})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ns := db.Namespace("000000000000", "us-east-1", "dynamodb")
			var n atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					put(b, ns, "items", fmt.Sprintf("k%d", n.Add(1)), queue{Name: "q"})
				}
			})
		})
	}
}

// BenchmarkPutBlob4KiB is one small S3 body: staged, then attached.
func BenchmarkPutBlob4KiB(b *testing.B) {
	db := open(b)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	body := bytes.Repeat([]byte("x"), 4096)
	b.ReportAllocs()
	for b.Loop() {
		ref, err := ns.StageBlob(bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		if err := ns.Update(func(tx *store.Tx) error { return tx.AttachBlob("b/k", ref) }); err != nil {
			b.Fatal(err)
		}
	}
}
