package protocol

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/fakecloud/fakecloud/internal/model"
)

// DefaultMinCompressionSize is botocore's request_min_compression_size_bytes
// default: bodies smaller than this are sent as they are.
const DefaultMinCompressionSize = 10240

// Compression is the client's request-compression configuration, botocore's
// disable_request_compression and request_min_compression_size_bytes. The
// zero value is botocore's default: enabled, 10240 bytes.
type Compression struct {
	Disabled bool
	MinSize  int64 // 0 means DefaultMinCompressionSize
}

// CompressRequest applies the requestcompression operation trait to a
// marshalled, unsigned request, as botocore's RequestCompressor does: when op
// carries the trait, compression is not disabled and the body is at least
// MinSize bytes (or is a streaming payload whose length is not required
// up front), the body is gzipped and "gzip" is appended to Content-Encoding
// ("custom, gzip" when the caller set one, as the protocol suites'
// PutWithContentEncoding cases want). It reports whether it compressed.
// Call it after MarshalRequest and before signing.
func CompressRequest(op *model.Operation, req *http.Request, c Compression) (bool, error) {
	if c.Disabled || op == nil || op.RequestCompression == nil || req.Body == nil || req.Body == http.NoBody {
		return false, nil
	}
	supported := false
	for _, e := range op.RequestCompression.Encodings {
		if e == "gzip" {
			supported = true
		}
	}
	if !supported {
		return false, nil
	}
	min := c.MinSize
	if min <= 0 {
		min = DefaultMinCompressionSize
	}
	if req.ContentLength < 0 || req.GetBody == nil {
		// A stream of unknown size: botocore compresses streaming input
		// unless the model says the service needs its length.
		if !streamingWithoutLength(op) {
			return false, nil
		}
		pr, pw := io.Pipe()
		src := req.Body
		go func() {
			zw := gzip.NewWriter(pw)
			_, err := io.Copy(zw, src)
			if cerr := zw.Close(); err == nil {
				err = cerr
			}
			src.Close()
			pw.CloseWithError(err)
		}()
		req.Body, req.GetBody, req.ContentLength = pr, nil, -1
		req.Header.Del("Content-Length")
		appendEncoding(req.Header)
		return true, nil
	}
	if req.ContentLength < min && !streamingWithoutLength(op) {
		return false, nil
	}
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return false, fmt.Errorf("compress request: %w", err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return false, fmt.Errorf("compress request: %w", err)
	}
	if err := zw.Close(); err != nil {
		return false, fmt.Errorf("compress request: %w", err)
	}
	out := buf.Bytes()
	req.Body = io.NopCloser(bytes.NewReader(out))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(out)), nil }
	req.ContentLength = int64(len(out))
	if req.Header.Get("Content-Length") != "" {
		req.Header.Set("Content-Length", strconv.Itoa(len(out)))
	}
	appendEncoding(req.Header)
	return true, nil
}

func appendEncoding(h http.Header) {
	if ce := h.Get("Content-Encoding"); ce != "" {
		h.Set("Content-Encoding", ce+", gzip")
		return
	}
	h.Set("Content-Encoding", "gzip")
}

// streamingWithoutLength reports whether op's input has a streaming payload
// the service does not need the length of (no requiresLength trait).
func streamingWithoutLength(op *model.Operation) bool {
	if op.Input == nil || op.Input.Shape == nil || op.Input.Shape.Payload == "" {
		return false
	}
	ref := op.Input.Shape.Members[op.Input.Shape.Payload]
	if ref == nil || ref.Shape == nil || !(ref.Streaming || ref.Shape.Streaming) {
		return false
	}
	return !ref.Shape.RequiresLength
}
