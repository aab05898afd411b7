package recorder

import (
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkReplay measures one replayed JSON-protocol call against a
// 200-interaction cassette (matching decodes and compares parameters).
func BenchmarkReplay(b *testing.B) {
	c := &Cassette{Version: 1}
	for i := 0; i < 200; i++ {
		body := `{"TableName":"t","Key":{"id":{"S":"` + strings.Repeat("k", i%7) + `"}}}`
		c.Interactions = append(c.Interactions, &Interaction{ID: i,
			Request: Request{Method: "POST", URL: "https://dynamodb.us-east-1.amazonaws.com/", Body: []byte(body),
				Headers: http.Header{"X-Amz-Target": {"DynamoDB_20120810.GetItem"}}},
			Response: &Response{Status: 200, Body: []byte(`{"Item":{}}`)}})
	}
	data, _, err := marshalCassette(c, storeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "bench.yaml")
	if err := writeCassette(path, data, nil, false); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%200 == 0 {
			b.StopTimer()
			rec, err := New(path, IgnoreEnv(), AllowRepeats())
			if err != nil {
				b.Fatal(err)
			}
			c := rec.Client()
			b.StartTimer()
			_ = c
			benchRec = rec
		}
		req, _ := http.NewRequest("POST", "https://dynamodb.us-east-1.amazonaws.com/", strings.NewReader(`{"Key":{"id":{"S":"kkk"}},"TableName":"t"}`))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.GetItem")
		resp, err := benchRec.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
	}
}

var benchRec *Recorder

// BenchmarkLoad10000 measures New on a 10,000-interaction cassette: YAML
// parse, body decoding, and decoding every stored request for matching.
func BenchmarkLoad10000(b *testing.B) {
	c := &Cassette{Version: CassetteVersion}
	for i := 0; i < 10000; i++ {
		body := `{"TableName":"t","Item":{"id":{"S":"` + strconv.Itoa(i) + `"}}}`
		c.Interactions = append(c.Interactions, &Interaction{ID: i, Service: "dynamodb", Operation: "PutItem",
			Request: Request{Method: "POST", URL: "https://dynamodb.us-east-1.amazonaws.com/", Body: []byte(body),
				Headers: http.Header{"X-Amz-Target": {"DynamoDB_20120810.PutItem"}, "Content-Type": {"application/x-amz-json-1.0"}}},
			Response: &Response{Status: 200, Body: []byte(`{}`), Headers: http.Header{"Content-Type": {"application/x-amz-json-1.0"}}}})
	}
	data, _, err := marshalCassette(c, storeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "10k.yaml")
	if err := writeCassette(path, data, nil, false); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := New(path, IgnoreEnv(), WithoutJournal())
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Interactions()) != 10000 {
			b.Fatal("short")
		}
	}
}
