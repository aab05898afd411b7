// Command variantgen writes a protocol variant of a service model for
// package model: a botocore service-2.json from an older botocore release,
// documentation stripped (key order kept), gzip-compressed. See
// model.LoadProtocolVariant for why these exist.
//
//	go run ./variantgen -in .../botocore/data/sqs/2012-11-05/service-2.json -out variants/sqs.query.json.gz
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/fakecloud/fakecloud/internal/model/internal/ojson"
)

func main() {
	in := flag.String("in", "", "botocore service-2.json to read")
	out := flag.String("out", "", "gzip file to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "variantgen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if in == "" || out == "" {
		return errors.New("-in and -out are required")
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	gz, err := convert(data)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, gz, 0o644)
}

// convert strips documentation from a service-2 document and compresses it.
// The gzip header carries no name or time, so output is reproducible.
func convert(data []byte) ([]byte, error) {
	v, err := ojson.Decode(data)
	if err != nil {
		return nil, err
	}
	if _, ok := v.(*ojson.Object); !ok {
		return nil, errors.New("model document is not a JSON object")
	}
	ojson.StripDocs(v)
	var js bytes.Buffer
	if err := ojson.Encode(&js, v); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(js.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
