package sigv4

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

func benchRequest() *http.Request {
	req, _ := http.NewRequest("POST", "https://dynamodb.us-east-1.amazonaws.com/", strings.NewReader(`{"TableName":"t","Key":{"id":{"S":"1"}}}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.GetItem")
	return req
}

func BenchmarkSign(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		req := benchRequest()
		if _, err := Sign(req, testCreds, "dynamodb", "us-east-1", testNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	req := benchRequest()
	Sign(req, testCreds, "dynamodb", "us-east-1", testNow)
	body, _ := io.ReadAll(req.Body)
	b.ReportAllocs()
	for b.Loop() {
		req.Body = io.NopCloser(bytes.NewReader(body))
		if _, err := Verify(req, testLookup, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChunkedDecode(b *testing.B) {
	data := bytes.Repeat([]byte("x"), 4<<20)
	for _, mode := range []string{StreamingSignedPayload, StreamingUnsignedPayloadTrailer} {
		body, req := encodeBody(b, data, mode, ChecksumCRC32C, 64<<10)
		srv := serverRequest(b, req, body)
		a, err := Verify(srv, func(string) (Credentials, bool) { return s3DocCreds, true }, s3DocTime)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				srv.Body = io.NopCloser(bytes.NewReader(body))
				cr, err := NewRequestChunkedReader(srv, a)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, cr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
