package recorder

import (
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// checkFastCassette: when the fast reader answers, yaml.v3 reads the same.
func checkFastCassette(t *testing.T, data []byte) bool {
	t.Helper()
	fast, ok := fastParseCassette(data, "")
	if !ok {
		return false
	}
	slow, err := parseCassetteYAML(data, "")
	if err != nil {
		t.Fatalf("fast reader accepted what yaml.v3 refuses (%v):\n%.2000q", err, data)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast reader differs from yaml.v3:\n%.3000s\n%.2000q", cmp.Diff(slow, fast), data)
	}
	return true
}

// fastSample is a cassette exercising the encoder's scalar styles.
func fastSample() *Cassette {
	bodies := []string{"", "plain", `{"a":1,"b":[true,null,"x"]}`, "two\nlines\n", "trailing spaces  \n\n", "  leading", "'q' \"dq\" \\ #x: y",
		"tab\there", "\x00\x01bin", "ünïcödé ☃", "-dash", "123", "true", "null", "a: b", "- item", "line\n\n\nmore\n\n", "\n", "x\r\ny",
		strings.Repeat("long words ", 20), "<?xml version=\"1.0\"?>\n<A><B>c</B></A>"}
	c := &Cassette{Version: CassetteVersion, RecordedAt: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), Seed: -42}
	for i, b := range bodies {
		c.Interactions = append(c.Interactions, &Interaction{ID: i, Service: "svc", Operation: "Op" + b[:min(len(b), 3)], Region: "us-east-1",
			Params:     map[string]any{"P": b, "N": int64(i), "L": []any{"x", map[string]any{"k": 1.5}}},
			RecordedAt: c.RecordedAt.Add(time.Duration(i) * time.Second), Duration: time.Millisecond * time.Duration(i+1),
			Request: Request{Method: "POST", URL: "https://h/?q=" + b, Body: []byte(b),
				Headers: http.Header{"X-Amz-Target": {"T." + b}, "Empty": {""}, "Multi": {"a", "b"}}},
			Response: &Response{Status: 200 + i, Headers: http.Header{"Content-Type": {"text/plain"}, "Odd": {b}}, Body: []byte(b + b)}})
	}
	c.Interactions = append(c.Interactions, &Interaction{ID: len(bodies), Request: Request{Method: "GET", URL: "http://h/"}, Error: "dial: refused"})
	return c
}

func TestFastCassetteMatchesYAML(t *testing.T) {
	data, _, err := marshalCassette(fastSample(), storeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !checkFastCassette(t, data) {
		t.Fatalf("fast reader gave up on the encoder's own output:\n%s", data)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "cassettes", "*.yaml"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		checkFastCassette(t, b)
	}
}

func FuzzFastCassette(f *testing.F) {
	data, _, _ := marshalCassette(fastSample(), storeOptions{})
	f.Add(data)
	f.Add([]byte("version: 2\ninteractions: []\ncount: 0\n"))
	f.Add([]byte("version: 1\ninteractions:\n  - id: 0\n    request:\n      method: GET\n      url: 2024-01-01\n    response:\n      status: 200\n      body: 2024-01-012024\n"))
	f.Add([]byte("version: 1\ninteractions:\n  - id: 0\n    request:\n      method: GET\n      url: http://h/\n      body: |+\n        a\n\n    error: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		checkFastCassette(t, data)
	})
}
