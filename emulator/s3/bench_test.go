package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Benchmarks go over the wire: rest-xml codec and the in-process transport.

func BenchmarkPutObject4KiB(b *testing.B) {
	w := newWire(b)
	w.must("CreateBucket", map[string]any{"Bucket": "bench"})
	data := bytes.Repeat([]byte("x"), 4<<10)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.must("PutObject", map[string]any{"Bucket": "bench", "Key": "k", "Body": bytes.NewReader(data)})
	}
}

func BenchmarkGetObject4KiB(b *testing.B) {
	w := newWire(b)
	w.must("CreateBucket", map[string]any{"Bucket": "bench"})
	data := bytes.Repeat([]byte("x"), 4<<10)
	w.must("PutObject", map[string]any{"Bucket": "bench", "Key": "k", "Body": bytes.NewReader(data)})
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://localhost:4566/bench/k", nil)
		sign(req, "us-east-1")
		resp, err := w.client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n != int64(len(data)) {
			b.Fatalf("read %d bytes", n)
		}
	}
}

func BenchmarkListObjectsV2Over1000Keys(b *testing.B) {
	w := newWire(b)
	w.must("CreateBucket", map[string]any{"Bucket": "bench"})
	for i := 0; i < 1000; i++ {
		w.must("PutObject", map[string]any{"Bucket": "bench", "Key": fmt.Sprintf("dir%d/key-%04d", i%10, i), "Body": strings.NewReader("v")})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, _ := w.must("ListObjectsV2", map[string]any{"Bucket": "bench"})
		if out["KeyCount"] != int64(1000) {
			b.Fatalf("KeyCount = %v", out["KeyCount"])
		}
	}
}

// BenchmarkListObjectsV2HandlerOver1000Keys is the handler alone (no
// codec, no client): the store scan and the output values.
func BenchmarkListObjectsV2HandlerOver1000Keys(b *testing.B) {
	h := newHarness(b)
	h.bucket("bench")
	for i := 0; i < 1000; i++ {
		h.put("bench", fmt.Sprintf("dir%d/key-%04d", i%10, i), "v", map[string]any{"ContentType": "text/plain",
			"Metadata": map[string]any{"owner": "someone", "purpose": "benchmark"}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := h.must("ListObjectsV2", map[string]any{"Bucket": "bench"})
		if out["KeyCount"] != int64(1000) {
			b.Fatalf("KeyCount = %v", out["KeyCount"])
		}
	}
}
