//go:build ignore

// gen.go copies botocore's endpoints.json and partitions.json into data/ as
// gzip-compressed, whitespace-compacted JSON. Run it with `go generate` from
// this directory; the input defaults to ../../../shared/aws-data/botocore and
// can be changed with -src. Nothing but insignificant whitespace is removed,
// so the embedded documents are byte-for-byte equivalent JSON values.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

func main() {
	src := flag.String("src", filepath.Join("..", "..", "..", "shared", "aws-data", "botocore"), "botocore data directory")
	out := flag.String("out", "data", "output directory")
	flag.Parse()
	for _, name := range []string{"endpoints.json", "partitions.json"} {
		if err := convert(filepath.Join(*src, name), filepath.Join(*out, name+".gz")); err != nil {
			log.Fatal(err)
		}
	}
}

func convert(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	var buf bytes.Buffer
	// A zero gzip header (no name, no mtime) keeps the output reproducible.
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(compact.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s -> %s (%d -> %d bytes)\n", in, out, len(raw), buf.Len())
	return nil
}
