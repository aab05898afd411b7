package jsonrpc

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
)

// The direct writers must produce byte for byte what the json.Marshal
// calls they replaced did.

var stringSeeds = []string{
	"", "plain", `quote " and \ backslash`, "<html> & 'amp'", "\b\f\n\r\t\x00\x01\x1f\x7f",
	"caf\u00e9 \u65e5\u672c \U0001F600", "line\u2028sep\u2029para", "bad \xff\xfe utf8 \xc3", "\xed\xa0\x80",
}

func TestWriteStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range stringSeeds {
		checkString(t, s)
	}
}

func FuzzWriteString(f *testing.F) {
	for _, s := range stringSeeds {
		f.Add(s)
	}
	f.Fuzz(checkString)
}

func checkString(t *testing.T, s string) {
	var buf bytes.Buffer
	writeString(&buf, s)
	// As before: invalid UTF-8 becomes a literal U+FFFD, then json.Marshal.
	want, _ := json.Marshal(string([]rune(s)))
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("writeString(%q) = %s, json.Marshal = %s", s, buf.Bytes(), want)
	}
}

var floatSeeds = []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789e15,
	math.MaxFloat64, math.SmallestNonzeroFloat64, -2.5e-300, 3.14159, 1e100}

func TestWriteFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range floatSeeds {
		checkFloat(t, f)
	}
	for _, c := range []struct {
		f    float64
		want string
	}{{math.NaN(), `"NaN"`}, {math.Inf(1), `"Infinity"`}, {math.Inf(-1), `"-Infinity"`}} {
		var buf bytes.Buffer
		writeFloat(&buf, c.f)
		if buf.String() != c.want {
			t.Errorf("writeFloat(%v) = %s, want %s", c.f, buf.String(), c.want)
		}
	}
}

func FuzzWriteFloat(f *testing.F) {
	for _, x := range floatSeeds {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		checkFloat(t, x)
	})
}

func checkFloat(t *testing.T, x float64) {
	var buf bytes.Buffer
	writeFloat(&buf, x)
	want, _ := json.Marshal(x)
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("writeFloat(%v) = %s, json.Marshal = %s", x, buf.Bytes(), want)
	}
}

// Error paths are rendered lazily; they must read as before: encode's
// ".Member[i].key", DecodeError's "Member[i].key".
func TestErrorPaths(t *testing.T) {
	svc, err := model.Parse([]byte(`{"metadata":{"protocol":"json","jsonVersion":"1.0"},"operations":{},"shapes":{
		"In":{"type":"structure","members":{"L":{"shape":"L"}}},
		"L":{"type":"list","member":{"shape":"M"}},
		"M":{"type":"map","key":{"shape":"S"},"value":{"shape":"I"}},
		"S":{"type":"string"},"I":{"type":"integer"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	ref := &model.ShapeRef{Shape: svc.Shapes["In"]}
	_, err = Unmarshal(ref, []byte(`{"L":[{"a":1},{"b":"x"}]}`))
	if de, ok := err.(*DecodeError); !ok || de.Path != "L[1].b" {
		t.Errorf("decode error %#v, want Path L[1].b", err)
	}
	_, err = Marshal(ref, map[string]any{"L": []any{map[string]any{"a": int64(1)}, map[string]any{"b": "x"}}})
	if err == nil || !strings.HasPrefix(err.Error(), "I.L[1].b: string is not a valid integer") {
		t.Errorf("encode error %v, want I.L[1].b: string is not a valid integer", err)
	}
	if _, err := Unmarshal(ref, []byte(`{"L":[]} x`)); err == nil || !strings.Contains(err.Error(), "trailing data") {
		t.Errorf("trailing data: %v", err)
	}
	if _, err := Unmarshal(ref, []byte(" {\"L\":[]} \n\t")); err != nil {
		t.Errorf("trailing whitespace: %v", err)
	}
}
