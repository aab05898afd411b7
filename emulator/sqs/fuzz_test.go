package sqs

import (
	"testing"
)

// FuzzParseReceipt: receipt handles come from clients; garbage must be
// rejected, never panic.
func FuzzParseReceipt(f *testing.F) {
	f.Add("")
	f.Add("garbage")
	f.Add("cQoxMjM0NTY3ODkwMTIzNDU2Nzg5MAp4")
	f.Fuzz(func(t *testing.T, h string) {
		q, k, ok := parseReceipt(h)
		if ok && len(k) != 20 {
			t.Fatalf("accepted key %q of queue %q", k, q)
		}
	})
}

// FuzzParseAttrs: message attribute maps are client input.
func FuzzParseAttrs(f *testing.F) {
	f.Add("name", "String", "value", []byte(nil))
	f.Add("b", "Binary", "", []byte{1})
	f.Add("AWS.x", "Number.int", "1e3", []byte(nil))
	f.Fuzz(func(t *testing.T, name, dt, s string, b []byte) {
		in := map[string]any{name: map[string]any{"DataType": dt, "StringValue": s, "BinaryValue": b}}
		attrs, _, err := parseAttrs(in, false)
		if err == nil {
			_ = md5OfAttributes(attrs)
		}
		_, _, _ = parseAttrs(in, true)
	})
}
