package session

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := &responseRecorder{header: http.Header{}, code: 200}
	t.h.ServeHTTP(rec, r)
	return &http.Response{StatusCode: rec.code, Header: rec.header, Body: io.NopCloser(strings.NewReader(rec.body.String())), Request: r}, nil
}

type responseRecorder struct {
	header http.Header
	code   int
	body   strings.Builder
}

func (r *responseRecorder) Header() http.Header         { return r.header }
func (r *responseRecorder) WriteHeader(c int)           { r.code = c }
func (r *responseRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// BenchmarkCallOverhead measures a client call (validate, marshal, sign,
// unmarshal) against an in-process handler, no sockets.
func BenchmarkCallOverhead(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("x-amzn-RequestId", "r")
		io.WriteString(w, `{"Item":{"id":{"S":"1"},"n":{"N":"2"}}}`)
	})
	s, _ := New(Options{Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "b", Env: func(string) string { return "" }, ConfigFile: "/nonexistent", CredentialsFile: "/nonexistent"})
	c, err := s.Client("dynamodb", ClientOptions{EndpointURL: "http://127.0.0.1:1", HTTPClient: &http.Client{Transport: handlerTransport{h}}})
	if err != nil {
		b.Fatal(err)
	}
	params := Params{"TableName": "users", "Key": map[string]any{"id": map[string]any{"S": "1"}}}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Call(ctx, "GetItem", params); err != nil {
			b.Fatal(err)
		}
	}
}
