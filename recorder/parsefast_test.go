package recorder

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

// checkFastDecode compares the hand walk with yaml.v3's Node.Decode on
// every interaction of a cassette document: same value, or both refuse.
func checkFastDecode(t *testing.T, data []byte) {
	t.Helper()
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return
	}
	list := child(doc.Content[0], "interactions")
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			continue
		}
		var fast, slow wireInteraction
		ferr := decodeWireInteraction(item, &fast)
		serr := item.Decode(&slow)
		if serr != nil {
			continue // a cassette Decode refuses: the walk may be laxer (duplicate keys), never stricter
		}
		if ferr != nil {
			t.Fatalf("interaction %d: fast decode refused what Decode reads: %v", i, ferr)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("interaction %d: fast decode\n%#v\nDecode\n%#v", i, fast, slow)
		}
	}
}

func TestFastDecodeMatchesYAMLDecode(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "cassettes", "*.yaml"))
	docs := [][]byte{
		[]byte("version: 1\ninteractions:\n  - id: 0x1F\n    service: 12\n    recorded_at: 2024-01-02\n    request: {method: \"POST\", url: 'http://h/?a=b', headers: {X-A: [\"1\", 2], Y: [~]}, body: |\n      {\"a\": 1}\n    , body_encoding: json}\n    response: {status: 2_00, headers: {X: y}, body: /wA=, body_encoding: base64}\n"),
		[]byte("version: 1\ninteractions:\n  - id: 3\n    recorded_at: 2024-01-02T03:04:05.123456789Z\n    duration: 3ms\n    request: {method: GET, url: 'http://h/', headers: {}}\n    response: null\n    error: boom\n"),
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	for _, d := range docs {
		checkFastDecode(t, d)
	}
}

func FuzzFastDecode(f *testing.F) {
	f.Add([]byte("version: 1\ninteractions:\n  - id: 0\n    request: {method: GET, url: 'http://h/', headers: {A: [b]}}\n    response: {status: 200, body: x}\n"))
	f.Add([]byte("version: 1\ninteractions:\n  - id: !!str 7\n    request: {method: !!binary aGk=, url: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		checkFastDecode(t, data)
	})
}
