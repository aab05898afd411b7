package sigv4

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func FuzzChunkedReader(f *testing.F) {
	f.Add([]byte("3\r\nabc\r\n0\r\n\r\n"), uint8(2), "", int64(-1))
	f.Add([]byte("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n"), uint8(2), "x-amz-checksum-crc32", int64(3))
	f.Add([]byte("3;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\nabc\r\n0;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n\r\n"), uint8(0), "", int64(3))
	f.Add([]byte("ffffffffffffffff\r\n"), uint8(1), "", int64(-1))
	f.Add([]byte("0;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\nx-amz-checksum-crc64nvme:AAAAAAAAAAA=\r\nx-amz-trailer-signature:00\r\n\r\n"), uint8(1), "x-amz-checksum-crc64nvme", int64(0))
	body, req := encodeBody(f, []byte("hello, fuzz"), StreamingSignedPayloadTrailer, ChecksumSHA256, 4)
	f.Add(body, uint8(1), req.Header.Get("X-Amz-Trailer"), int64(11))
	f.Add(body, uint8(0x81), req.Header.Get("X-Amz-Trailer"), int64(11))
	f.Add([]byte("3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"), uint8(2), "", int64(5))
	modes := []string{StreamingSignedPayload, StreamingSignedPayloadTrailer, StreamingUnsignedPayloadTrailer}
	key := deriveKey(s3DocCreds.SecretAccessKey, "20130524", "us-east-1", "s3")
	f.Fuzz(func(t *testing.T, data []byte, mode uint8, trailer string, dlen int64) {
		for _, signed := range []bool{false, true} {
			o := ChunkedOptions{Mode: modes[int(mode)%len(modes)], Trailer: trailer, DecodedContentLength: dlen, MaxChunkSize: 1 << 16}
			if mode&0x80 != 0 {
				o.MinChunkSize = -1 // reach the framing beyond S3's small-chunk rule
			}
			if signed {
				o.SigningKey, o.SeedSignature, o.Time, o.Scope = key, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", s3DocTime, Scope("20130524", "us-east-1", "s3")
			}
			r, err := NewChunkedReader(bytes.NewReader(data), o)
			if err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(r)
			if int64(len(out)) > int64(len(data)) {
				t.Fatalf("decoded %d bytes from %d", len(out), len(data))
			}
			if err == nil && dlen >= 0 && int64(len(out)) != dlen {
				t.Fatalf("decoded %d bytes, decoded length %d accepted", len(out), dlen)
			}
			if ce, ok := err.(*ChunkError); ok {
				ce.AWS()
			}
		}
	})
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", "", "20150830T123600Z")
	f.Add("AWS AKID:c2ln", "", "")
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240301%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240301T100000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=00", "")
	f.Add("", "AWSAccessKeyId=A&Expires=17&Signature=x", "")
	f.Add("AWS4-ECDSA-P256-SHA256 Credential=A/20240301/s3/aws4_request", "", "")
	f.Add("AWS4-HMAC-SHA256 Credential=/x//, SignedHeaders=b;a, Signature=", "a=%zz&&=", "bad")
	f.Fuzz(func(t *testing.T, authz, rawQuery, date string) {
		req := &http.Request{Method: "GET", URL: &url.URL{Path: "/", RawQuery: rawQuery}, Header: http.Header{}, Host: "example.amazonaws.com"}
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		if date != "" {
			req.Header.Set("X-Amz-Date", date)
		}
		a, err := ParseAuthorization(req)
		if err == nil && a.AccessKeyID == "" && a.Scheme != SchemeV2Query {
			t.Fatalf("parsed without an access key: %+v", a)
		}
		_, err = Verify(req, func(string) (Credentials, bool) { return suiteCreds, true }, time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC))
		if e, ok := err.(*Error); ok {
			for _, fl := range []Flavor{FlavorS3, FlavorQuery, FlavorJSON} {
				e.AWS(fl)
			}
		}
	})
}
