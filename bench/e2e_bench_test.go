package bench

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

// End-to-end hot paths: our session client (validate, marshal, sign, parse)
// through the emulator (route, decode, handler, bbolt, encode), the same Op a
// `fakecloud bench` workload runs. In-process through emu.Transport() unless
// the name says Loopback (a 127.0.0.1 httptest server).

func benchWorkload(b *testing.B, name string, loopback bool) {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer emu.Close()
	tgt := Target{Name: "inprocess", Endpoint: "http://127.0.0.1:4566", Transport: emu.Transport()}
	if loopback {
		srv := httptest.NewServer(emu)
		defer srv.Close()
		tgt = Target{Name: "loopback", Endpoint: srv.URL}
	}
	w, ok := Lookup(name)
	if !ok {
		b.Fatalf("no workload %s", name)
	}
	r := &Runner{Target: tgt, Options: Options{Concurrency: 1}}
	ctx := context.Background()
	op, cs, err := r.Prepare(ctx, w)
	if err != nil {
		b.Skipf("%s unavailable: %v", name, err)
	}
	if err := op(ctx, cs, 0, 0); err != nil {
		b.Skipf("%s unavailable: warm-up: %v", name, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := op(ctx, cs, 0, int64(i+1)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkS3PutObject4KiB(b *testing.B)         { benchWorkload(b, "s3-put-4k", false) }
func BenchmarkS3GetObject4KiB(b *testing.B)         { benchWorkload(b, "s3-get-4k", false) }
func BenchmarkS3ListObjectsV2Of1000(b *testing.B)   { benchWorkload(b, "s3-list-1000", false) }
func BenchmarkDynamoDBPutItem(b *testing.B)         { benchWorkload(b, "ddb-put", false) }
func BenchmarkDynamoDBGetItem(b *testing.B)         { benchWorkload(b, "ddb-get", false) }
func BenchmarkDynamoDBQuery100(b *testing.B)        { benchWorkload(b, "ddb-query-100", false) }
func BenchmarkSQSSendMessage(b *testing.B)          { benchWorkload(b, "sqs-send", false) }
func BenchmarkSQSSendReceiveDelete(b *testing.B)    { benchWorkload(b, "sqs-roundtrip", false) }
func BenchmarkLoopbackS3GetObject4KiB(b *testing.B) { benchWorkload(b, "s3-get-4k", true) }
func BenchmarkLoopbackDynamoDBGetItem(b *testing.B) { benchWorkload(b, "ddb-get", true) }
func BenchmarkLoopbackSQSSendMessage(b *testing.B)  { benchWorkload(b, "sqs-send", true) }
func BenchmarkHistogramRecord(b *testing.B) {
	var h Histogram
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.Record(time.Duration(i&0xfffff) * time.Microsecond)
	}
}
