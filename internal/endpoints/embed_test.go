package endpoints

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestEmbeddedDataIsSharedBotocoreData checks that the committed data/ files
// are the current ../shared botocore documents, only compacted (rerun
// `go generate` when this fails).
func TestEmbeddedDataIsSharedBotocoreData(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "aws-data", "botocore")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("botocore data directory %s absent: %v", dir, err)
	}
	for name, gz := range map[string][]byte{"endpoints.json": endpointsGz, "partitions.json": partitionsGz} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Compact(&want, raw); err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("embedded %s differs from %s; run go generate", name, dir)
		}
	}
}
