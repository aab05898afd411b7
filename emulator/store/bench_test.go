package store_test

import (
	"bytes"
	"fmt"
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
