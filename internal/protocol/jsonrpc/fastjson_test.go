package jsonrpc

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
)

var jsonSeeds = []string{
	`{}`, `[]`, `{"TableName":"t","Key":{"id":{"S":"k1"}},"ConsistentRead":true}`,
	`{"a":[1,-2.5e+3,0,0.0,1E9,-0],"b":null,"c":false,"d":"\u00e9\n\"x\"\ud83d\ude00","e":{"":""}}`,
	`{"dup":1,"dup":2}`, `"str"`, `12`, `true`, `null`, `{"s":"caf` + "\u00e9" + `"}`,
	"{\"bad\":\"\xff\xfe\"}", `{"lone":"\ud800"}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`,
	`{"a":1,}`, `[1,]`, `{"a" 1}`, `{"a":tru}`, `{"a":"x` + "\x01" + `"}`, `{"a":"unterminated`, `{} {}`, `{}x`,
	`[[[[[[[[[[]]]]]]]]]]`, strings.Repeat("[", 300) + strings.Repeat("]", 300), `{"a":"\x"}`, `  {"a" : [ 1 , 2 ] }  `,
}

// stdJSON is what Unmarshal did before the fast parser: encoding/json with
// UseNumber, nothing but white space after the value.
func stdJSON(data []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

func checkParse(t *testing.T, data []byte) {
	data = bytes.TrimSpace(data)
	got, ok := parseJSON(data)
	want, wok := stdJSON(data)
	if !ok {
		// Declining is always safe (the caller falls back), but valid,
		// shallow documents must take the fast path.
		if wok && !bytes.Contains(data, []byte(strings.Repeat("[", fastMaxDepth))) && len(data) < 1000 && bytes.Count(data, []byte("{"))+bytes.Count(data, []byte("[")) < fastMaxDepth {
			t.Fatalf("parseJSON(%q) declined a valid document", data)
		}
		return
	}
	if !wok {
		t.Fatalf("parseJSON(%q) = %#v, encoding/json rejects it", data, got)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parseJSON(%q) = %#v, encoding/json = %#v", data, got, want)
	}
}

func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonSeeds {
		checkParse(t, []byte(s))
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data) })
}
