package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestCommittedDataIsCurrent regenerates the embedded models from
// ../shared/aws-data and compares them byte for byte with the committed
// files, so a data update without go generate is caught.
func TestCommittedDataIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates 429 models")
	}
	_, file, _, _ := runtime.Caller(0)
	pkg := filepath.Join(filepath.Dir(file), "..")
	shared := filepath.Join(pkg, "..", "..", "..", "shared", "aws-data")
	if _, err := os.Stat(filepath.Join(shared, "botocore")); err != nil {
		t.Skipf("%s not present: %v", filepath.Join(shared, "botocore"), err)
	}
	out := t.TempDir()
	if err := run(filepath.Join(shared, "botocore"), filepath.Join(shared, "boto3"), out); err != nil {
		t.Fatal(err)
	}
	compare := func(rel string) {
		got, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(pkg, rel))
		if err != nil {
			t.Fatalf("%v (run go generate ./internal/model/...)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/model/...", rel)
		}
	}
	compare("index_gen.go")
	gen, _ := filepath.Glob(filepath.Join(out, "data", "*.json.gz"))
	committed, _ := filepath.Glob(filepath.Join(pkg, "data", "*.json.gz"))
	if len(gen) != len(committed) {
		t.Errorf("generated %d models, %d committed", len(gen), len(committed))
	}
	for _, g := range gen {
		compare(filepath.Join("data", filepath.Base(g)))
	}
}
