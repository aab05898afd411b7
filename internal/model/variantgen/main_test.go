package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

func TestConvertStripsDocumentationKeepsOrderAndIsReproducible(t *testing.T) {
	in := []byte(`{"version":"2.0","documentation":"d","metadata":{"protocol":"query"},"shapes":{"Z":{"type":"structure","documentation":"x","members":{"documentation":{"shape":"S","documentation":"y"},"B":{"shape":"S"}}},"S":{"type":"string"}}}`)
	a, err := convert(in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := convert(in)
	if !bytes.Equal(a, b) {
		t.Error("two conversions differ")
	}
	zr, err := gzip.NewReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(zr)
	want := `{"version":"2.0","metadata":{"protocol":"query"},"shapes":{"Z":{"type":"structure","members":{"documentation":{"shape":"S"},"B":{"shape":"S"}}},"S":{"type":"string"}}}`
	if string(out) != want {
		t.Errorf("convert =\n%s\nwant\n%s", out, want)
	}
	if _, err := convert([]byte(`[1]`)); err == nil {
		t.Error("a non-object document was accepted")
	}
}
