package protocol_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
	"github.com/fakecloud/fakecloud/internal/protocol/query"
)

func gunzip(t *testing.T, r io.Reader) []byte {
	t.Helper()
	zr, err := gzip.NewReader(r)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return b
}

// The suites' PutWithContentEncoding cases (on botocore's ignore list, run
// here): a body over the threshold is gzipped and says so in Content-Encoding.
func TestRequestCompressionProtocolSuites(t *testing.T) {
	for _, f := range []struct {
		file  string
		codec protocol.Codec
	}{{"input/json.json", jsonrpc.New()}, {"input/query.json", query.New()}} {
		for _, s := range protocoltest.Load(t, f.file) {
			if !strings.Contains(s.Description, "PutWithContentEncoding") {
				continue
			}
			for _, c := range s.Cases {
				t.Run(c.Name(), func(t *testing.T) {
					_, op, err := s.Service(c)
					if err != nil {
						t.Fatal(err)
					}
					req, err := f.codec.MarshalRequest(context.Background(), op, &url.URL{Scheme: "https", Host: "example.com"}, c.Params)
					if err != nil {
						t.Fatal(err)
					}
					plain, _ := io.ReadAll(req.Body)
					req.Body = io.NopCloser(bytes.NewReader(plain))
					req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(plain)), nil }
					done, err := protocol.CompressRequest(op, req, protocol.Compression{})
					if err != nil || !done {
						t.Fatalf("CompressRequest = %v, %v; want compressed (%d bytes)", done, err, len(plain))
					}
					for k, v := range c.Serialized.Headers {
						if got := req.Header.Get(k); got != v {
							t.Errorf("header %s = %q, want %q", k, got, v)
						}
					}
					body, _ := io.ReadAll(req.Body)
					if int64(len(body)) != req.ContentLength {
						t.Errorf("ContentLength %d, body %d bytes", req.ContentLength, len(body))
					}
					if got := gunzip(t, bytes.NewReader(body)); !bytes.Equal(got, plain) {
						t.Errorf("gunzipped body differs from the marshalled one")
					}
				})
			}
		}
	}
}

func compressOp(streaming, requiresLength bool) *model.Operation {
	data := &model.Shape{Name: "Data", Type: "blob", Streaming: streaming, RequiresLength: requiresLength}
	in := &model.Shape{Name: "In", Type: "structure", Payload: "Body",
		Members: map[string]*model.ShapeRef{"Body": {ShapeName: "Data", Shape: data}}, MemberNames: []string{"Body"}}
	return &model.Operation{Name: "Put", Input: &model.ShapeRef{ShapeName: "In", Shape: in},
		RequestCompression: &model.RequestCompression{Encodings: []string{"gzip"}}}
}

func request(body string, known bool) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, "https://example.com/", strings.NewReader(body))
	if !known {
		req.Body = io.NopCloser(strings.NewReader(body))
		req.GetBody, req.ContentLength = nil, -1
	}
	return req
}

func TestRequestCompressionThresholdAndSwitch(t *testing.T) {
	big := strings.Repeat("a", protocol.DefaultMinCompressionSize)
	for _, tc := range []struct {
		name string
		op   *model.Operation
		req  *http.Request
		cfg  protocol.Compression
		want bool
	}{
		{"at the 10240-byte default", compressOp(false, false), request(big, true), protocol.Compression{}, true},
		{"one byte under the default", compressOp(false, false), request(big[1:], true), protocol.Compression{}, false},
		{"disabled", compressOp(false, false), request(big, true), protocol.Compression{Disabled: true}, false},
		{"lower minimum", compressOp(false, false), request("hello", true), protocol.Compression{MinSize: 5}, true},
		{"no trait", &model.Operation{Name: "Put"}, request(big, true), protocol.Compression{}, false},
		{"unsupported encoding only", &model.Operation{Name: "Put", RequestCompression: &model.RequestCompression{Encodings: []string{"br"}}}, request(big, true), protocol.Compression{}, false},
		{"small stream without requiresLength", compressOp(true, false), request("tiny", false), protocol.Compression{}, true},
		{"stream that requires its length", compressOp(true, true), request(big, false), protocol.Compression{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain := tc.req.ContentLength
			got, err := protocol.CompressRequest(tc.op, tc.req, tc.cfg)
			if err != nil || got != tc.want {
				t.Fatalf("CompressRequest = %v, %v; want %v", got, err, tc.want)
			}
			if !got {
				if tc.req.Header.Get("Content-Encoding") != "" || tc.req.ContentLength != plain {
					t.Errorf("an uncompressed request was changed")
				}
				return
			}
			if ce := tc.req.Header.Get("Content-Encoding"); ce != "gzip" {
				t.Errorf("Content-Encoding %q", ce)
			}
			gunzip(t, tc.req.Body)
		})
	}
}

func TestRequestCompressionAppendsToCallerEncoding(t *testing.T) {
	req := request(strings.Repeat("x", 20000), true)
	req.Header.Set("Content-Encoding", "custom")
	if ok, err := protocol.CompressRequest(compressOp(false, false), req, protocol.Compression{}); !ok || err != nil {
		t.Fatalf("CompressRequest = %v, %v", ok, err)
	}
	if ce := req.Header.Get("Content-Encoding"); ce != "custom, gzip" {
		t.Errorf("Content-Encoding %q, want \"custom, gzip\"", ce)
	}
}

func ExampleCompressRequest() {
	op := &model.Operation{Name: "PutMetricData", RequestCompression: &model.RequestCompression{Encodings: []string{"gzip"}}}
	req, _ := http.NewRequest(http.MethodPost, "https://monitoring.us-east-1.amazonaws.com/", strings.NewReader(strings.Repeat("MetricData.member.1.Value=1&", 500)))
	compressed, _ := protocol.CompressRequest(op, req, protocol.Compression{}) // botocore's defaults
	fmt.Println(compressed, req.Header.Get("Content-Encoding"), req.ContentLength < 14000)
	// Output: true gzip true
}
