package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
)

// summarize with its per-operation redaction cache: a sensitive member, a
// secret-sounding name (known member or not), pagination tokens kept, and
// the same answer on the cached second call.
func TestSummarizeRedactsAndCaches(t *testing.T) {
	svc, err := model.Parse([]byte(`{"metadata":{"protocol":"json"},"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},"shapes":{
		"In":{"type":"structure","members":{"Name":{"shape":"S"},"Pin":{"shape":"Secret"},"SecretString":{"shape":"S"},"NextToken":{"shape":"S"}}},
		"S":{"type":"string"},"Secret":{"type":"string","sensitive":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	op := svc.Operations["Op"]
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	in := map[string]any{
		"Name": "n", "Pin": "1234", "SecretString": "s3cr3t", "NextToken": "tok",
		"ExtraPassword": "p", "Long": strings.Repeat("x", 200), "N": int64(7), "F": 1.5, "B": true, "T": at,
		"Blob": []byte("abc"), "L": []any{1, 2}, "M": map[string]any{}, "R": bytes.NewReader(nil),
	}
	want := map[string]any{
		"Name": "n", "Pin": "(redacted)", "SecretString": "(redacted)", "NextToken": "tok",
		"ExtraPassword": "(redacted)", "Long": strings.Repeat("x", 128) + "…", "N": int64(7), "F": 1.5, "B": true, "T": at,
		"Blob": "(3 bytes)", "L": "(list of 2)", "M": "(structure)", "R": "(stream)",
	}
	var cache sync.Map
	for i := range 2 {
		if got := summarize(&cache, op, in); !reflect.DeepEqual(got, want) {
			t.Fatalf("call %d: summarize = %v\nwant %v", i, got, want)
		}
	}
	if summarize(&cache, op, nil) != nil {
		t.Error("empty input should summarize to nil")
	}
}

// UUID and Base64 build their strings directly; they must give what the
// hex/base64 encoders did over the same PRNG bytes.
func TestIDsMatchEncoders(t *testing.T) {
	a, b := NewIDSource(42), NewIDSource(42)
	for range 50 {
		raw := b.Bytes(16)
		raw[6] = raw[6]&0x0f | 0x40
		raw[8] = raw[8]&0x3f | 0x80
		h := hex.EncodeToString(raw)
		if got, want := a.UUID(), h[0:8]+"-"+h[8:12]+"-"+h[12:16]+"-"+h[16:20]+"-"+h[20:32]; got != want {
			t.Fatalf("UUID = %s, want %s", got, want)
		}
		for _, n := range []int{1, 20, 76} {
			if got, want := a.Base64(n), base64.StdEncoding.EncodeToString(b.Bytes((n*3)/4 + 3))[:n]; got != want {
				t.Fatalf("Base64(%d) = %s, want %s", n, got, want)
			}
		}
	}
}
