package bench

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// Durable writes under group commit, as `fakecloud serve --data F
// --sync=batch` runs them: 16 concurrent clients over loopback HTTP to an
// emulator whose state file fsyncs each (shared) commit. Profile with
// -cpuprofile / -blockprofile to see where a durable put waits.
func benchDurableParallel(b *testing.B, name string, policy store.SyncPolicy) {
	const conc = 16
	emu, err := emulator.New(emulator.Options{DataPath: filepath.Join(b.TempDir(), "state.db"), SyncPolicy: policy})
	if err != nil {
		b.Fatal(err)
	}
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	w, ok := Lookup(name)
	if !ok {
		b.Fatalf("no workload %s", name)
	}
	r := &Runner{Target: Target{Name: "loopback", Endpoint: srv.URL}, Options: Options{Concurrency: conc}}
	ctx := context.Background()
	op, cs, err := r.Prepare(ctx, w)
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	var worker, n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism((conc + 1) / 2) // 16 goroutines on this 2-core machine
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		wk := int(worker.Add(1)-1) % conc
		for pb.Next() {
			if err := op(ctx, cs, wk, n.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkDurableBatchS3PutObject4KiB(b *testing.B) {
	benchDurableParallel(b, "s3-put-4k", store.SyncBatch)
}
func BenchmarkDurableBatchDynamoDBPutItem(b *testing.B) {
	benchDurableParallel(b, "ddb-put", store.SyncBatch)
}
func BenchmarkDurableAlwaysS3PutObject4KiB(b *testing.B) {
	benchDurableParallel(b, "s3-put-4k", store.SyncAlways)
}
