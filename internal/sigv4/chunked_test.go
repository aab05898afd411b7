package sigv4

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The S3 documentation's chunked-upload example ("Example: PUT Object",
// sigv4-streaming.html): 66560 bytes of 'a' in 64 KiB chunks.
var (
	s3DocCreds = Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	s3DocTime  = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
)

func s3DocRequest(t testing.TB) *http.Request {
	req, err := http.NewRequest("PUT", "https://s3.amazonaws.com/examplebucket/chunkObject.txt", bytes.NewReader(bytes.Repeat([]byte("a"), 66560)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	return req
}

var chunkSigRE = regexp.MustCompile(`chunk-signature=([0-9a-f]{64})`)

func TestS3DocChunkedPutObjectExample(t *testing.T) {
	req := s3DocRequest(t)
	res, err := SignChunked(req, s3DocCreds, "s3", "us-east-1", s3DocTime, StreamingSignedPayload, "", 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	if want := "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"; res.Signature != want {
		t.Fatalf("seed signature %s, want %s\n%s", res.Signature, want, res.CanonicalRequest)
	}
	if got := req.Header.Get("Content-Length"); got != "66824" {
		t.Errorf("Content-Length = %s, want 66824", got)
	}
	if got := strings.Join(res.SignedHeaders, ";"); got != "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class" {
		t.Errorf("signed headers = %s", got)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) != 66824 {
		t.Errorf("encoded body is %d bytes, want 66824", len(body))
	}
	var sigs []string
	for _, m := range chunkSigRE.FindAllStringSubmatch(string(body), -1) {
		sigs = append(sigs, m[1])
	}
	want := []string{
		"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
		"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
	}
	if strings.Join(sigs, " ") != strings.Join(want, " ") {
		t.Errorf("chunk signatures\n%v\nwant\n%v", sigs, want)
	}

	// The server side: verify the headers, then decode and verify the chunks.
	srv := serverRequest(t, req, body)
	a, err := Verify(srv, func(string) (Credentials, bool) { return s3DocCreds, true }, s3DocTime)
	if err != nil {
		t.Fatal(err)
	}
	cr, err := NewRequestChunkedReader(srv, a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(cr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, bytes.Repeat([]byte("a"), 66560)) {
		t.Errorf("decoded %d bytes, not the 66560 'a's", len(got))
	}
}

// serverRequest is req as an http.Server would hand it over.
func serverRequest(t testing.TB, req *http.Request, body []byte) *http.Request {
	t.Helper()
	srv, err := http.NewRequest(req.Method, req.URL.String(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	srv.Header = req.Header.Clone()
	srv.RequestURI = req.URL.RequestURI()
	return srv
}

func TestChecksumKnownVectors(t *testing.T) {
	check := []byte("123456789")
	for _, c := range []struct {
		alg  string
		want string // hex of the big-endian digest
	}{
		{ChecksumCRC32, "cbf43926"},
		{ChecksumCRC32C, "e3069283"},
		{ChecksumCRC64NVME, "ae8b14860a799888"},
		{ChecksumSHA1, "f7c3bc1d808e04732adf679965ccc34ca7ae3441"},
		{ChecksumSHA256, "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"},
	} {
		h, err := NewChecksum("x-amz-checksum-" + strings.ToLower(c.alg))
		if err != nil {
			t.Fatal(err)
		}
		h.Write(check)
		if got := hex.EncodeToString(h.Sum(nil)); got != c.want {
			t.Errorf("%s(123456789) = %s, want %s", c.alg, got, c.want)
		}
	}
	// S3 sends base64 of the big-endian digest: CRC32 of "" is AAAAAA==.
	h, _ := NewChecksum("crc32")
	if got := ChecksumString(h); got != "AAAAAA==" {
		t.Errorf("CRC32 of empty = %s", got)
	}
	var be [4]byte
	binary.BigEndian.PutUint32(be[:], 0xcbf43926)
	h.Write(check)
	if !bytes.Equal(h.Sum(nil), be[:]) {
		t.Error("CRC32 digest is not big-endian")
	}
}

func encodeBody(t testing.TB, data []byte, mode, checksum string, chunk int) ([]byte, *http.Request) {
	t.Helper()
	req, _ := http.NewRequest("PUT", "https://bucket.s3.amazonaws.com/key", bytes.NewReader(data))
	if _, err := SignChunked(req, s3DocCreds, "s3", "us-east-1", s3DocTime, mode, checksum, chunk); err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(body)) != req.ContentLength {
		t.Fatalf("encoded %d bytes, Content-Length says %d", len(body), req.ContentLength)
	}
	return body, req
}

func decodeBody(t testing.TB, req *http.Request, body []byte, verify bool) ([]byte, http.Header, error) {
	t.Helper()
	srv := serverRequest(t, req, body)
	var a *Auth
	if verify {
		var err error
		if a, err = Verify(srv, func(string) (Credentials, bool) { return s3DocCreds, true }, s3DocTime); err != nil {
			t.Fatal(err)
		}
	}
	cr, err := NewRequestChunkedReader(srv, a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(cr)
	return got, cr.Trailer(), err
}

func TestChunkedRoundTripAllModesAndChecksums(t *testing.T) {
	data := make([]byte, 100_000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, mode := range []string{StreamingSignedPayload, StreamingSignedPayloadTrailer, StreamingUnsignedPayloadTrailer} {
		for _, alg := range []string{"", ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256} {
			for _, size := range []int{0, 1, 8192, 65536, len(data)} {
				name := mode + "/" + alg
				body, req := encodeBody(t, data[:size], mode, alg, 8192)
				got, tr, err := decodeBody(t, req, body, true)
				if err != nil {
					t.Fatalf("%s size %d: %v", name, size, err)
				}
				if !bytes.Equal(got, data[:size]) {
					t.Fatalf("%s size %d: round trip differs", name, size)
				}
				if alg != "" && mode != StreamingSignedPayload {
					h, _ := NewChecksum(alg)
					h.Write(data[:size])
					if tr.Get(ChecksumHeader(alg)) != ChecksumString(h) {
						t.Errorf("%s: trailer %v", name, tr)
					}
				}
			}
		}
	}
}

func wantChunkKind(t *testing.T, err error, k ChunkErrorKind) {
	t.Helper()
	var ce *ChunkError
	if !errors.As(err, &ce) || ce.Kind != k {
		t.Fatalf("error = %v, want ChunkError %v", err, k)
	}
}

func TestChunkedTamperedDataFailsChunkSignature(t *testing.T) {
	body, req := encodeBody(t, bytes.Repeat([]byte("a"), 20000), StreamingSignedPayload, "", 8192)
	i := bytes.IndexByte(body, 'a')
	body[i+100] = 'b'
	_, _, err := decodeBody(t, req, body, true)
	wantChunkKind(t, err, ChunkSignatureMismatch)
	code, status, _ := err.(*ChunkError).AWS()
	if code != "SignatureDoesNotMatch" || status != 403 {
		t.Errorf("AWS() = %s %d", code, status)
	}
	// Without verification the same body decodes.
	if _, _, err := decodeBody(t, req, body, false); err != nil {
		t.Errorf("unverified decode: %v", err)
	}
}

func TestChunkedTamperedTrailerFailsTrailerSignature(t *testing.T) {
	body, req := encodeBody(t, []byte("hello world"), StreamingSignedPayloadTrailer, ChecksumCRC32, 8192)
	h, _ := NewChecksum("crc32")
	io.WriteString(h, "hello worle")
	body = bytes.Replace(body, []byte(checksumOf("crc32", "hello world")), []byte(ChecksumString(h)), 1)
	_, _, err := decodeBody(t, req, body, true)
	wantChunkKind(t, err, ChunkSignatureMismatch)
}

func checksumOf(alg, s string) string {
	h, _ := NewChecksum(alg)
	io.WriteString(h, s)
	return ChecksumString(h)
}

func TestChunkedUnsignedTrailerChecksumMismatchIsBadDigest(t *testing.T) {
	body, req := encodeBody(t, []byte("hello world"), StreamingUnsignedPayloadTrailer, ChecksumCRC64NVME, 8192)
	body = bytes.Replace(body, []byte("hello world"), []byte("hello worle"), 1)
	_, _, err := decodeBody(t, req, body, true)
	wantChunkKind(t, err, ChunkChecksumMismatch)
	code, status, msg := err.(*ChunkError).AWS()
	if code != "BadDigest" || status != 400 || msg != "The CRC64NVME you specified did not match the calculated checksum." {
		t.Errorf("AWS() = %s %d %q", code, status, msg)
	}
}

func TestChunkedMalformedBodies(t *testing.T) {
	opts := ChunkedOptions{Mode: StreamingUnsignedPayloadTrailer, DecodedContentLength: -1}
	for _, c := range []struct {
		name, body string
		kind       ChunkErrorKind
		dlen       int64
	}{
		{"bad hex", "zz\r\nabc\r\n0\r\n\r\n", ChunkSizeInvalid, -1},
		{"too large", "1000001\r\n", ChunkSizeInvalid, -1},
		{"huge hex", "ffffffffffffffffff\r\n", ChunkSizeInvalid, -1},
		{"truncated data", "5\r\nab", ChunkTruncated, -1},
		{"truncated header", "5", ChunkTruncated, -1},
		{"no final chunk", "3\r\nabc\r\n", ChunkTruncated, -1},
		{"no crlf after data", "3\r\nabcd\r\n0\r\n\r\n", ChunkMalformed, -1},
		{"lf only", "3\nabc\n0\n\n", ChunkMalformed, -1},
		{"decoded too long", "3\r\nabc\r\n0\r\n\r\n", ChunkLengthMismatch, 2},
		{"decoded too short", "3\r\nabc\r\n0\r\n\r\n", ChunkLengthMismatch, 4},
		{"missing declared checksum", "3\r\nabc\r\n0\r\n\r\n", ChunkTrailerMissing, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := opts
			o.DecodedContentLength = c.dlen
			if c.kind == ChunkTrailerMissing {
				o.Trailer = "x-amz-checksum-crc32"
			}
			r, err := NewChunkedReader(strings.NewReader(c.body), o)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(r)
			wantChunkKind(t, err, c.kind)
		})
	}
	// Signed mode requires the chunk-signature extension.
	r, _ := NewChunkedReader(strings.NewReader("3\r\nabc\r\n0\r\n\r\n"), ChunkedOptions{Mode: StreamingSignedPayload, DecodedContentLength: -1})
	_, err := io.ReadAll(r)
	wantChunkKind(t, err, ChunkMalformed)
}

// The decoder streams: a 64 MiB body never sits in memory.
func TestChunkedReaderStreams(t *testing.T) {
	const total = 64 << 20
	src := io.LimitReader(zeroReader{}, total)
	enc, err := NewChunkedEncoder(src, EncoderOptions{Mode: StreamingUnsignedPayloadTrailer, Checksum: "crc32c", ChunkSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := NewChunkedReader(enc, ChunkedOptions{Mode: StreamingUnsignedPayloadTrailer, DecodedContentLength: total, Trailer: "x-amz-checksum-crc32c"})
	n, err := io.Copy(io.Discard, dec)
	if err != nil || n != total {
		t.Fatalf("copied %d, %v", n, err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// S3 answers 403 InvalidChunkSizeError when a chunk under 8 KiB is followed
// by another non-empty chunk, in the signed and unsigned streaming modes
// alike; Chunk is the number of the chunk that proved it, BadChunkSize the
// small one's size (S3's answers recorded in versity/versitygw#1665 and #1683).
func TestChunkedSmallNonFinalChunkIsInvalidChunkSizeError(t *testing.T) {
	for _, mode := range []string{StreamingSignedPayload, StreamingSignedPayloadTrailer, StreamingUnsignedPayloadTrailer} {
		t.Run(mode, func(t *testing.T) {
			body, req := encodeBody(t, []byte("hello"), mode, ChecksumCRC32, 3) // chunks of 3, 2, 0
			for _, verify := range []bool{true, false} {
				_, _, err := decodeBody(t, req, body, verify)
				wantChunkKind(t, err, ChunkTooSmall)
				ce := err.(*ChunkError)
				code, status, msg := ce.AWS()
				if code != "InvalidChunkSizeError" || status != 403 || msg != "Only the last chunk is allowed to have a size less than 8192 bytes" {
					t.Errorf("AWS() = %s %d %q", code, status, msg)
				}
				f := ce.Fields()
				if f["Chunk"] != "2" || f["BadChunkSize"] != "3" {
					t.Errorf("Fields() = %v, want Chunk 2, BadChunkSize 3", f)
				}
			}
		})
	}
	// The rule is checked at the header, before the decoded length: a
	// second chunk of 1 byte after "hello" is InvalidChunkSizeError even
	// though it also overruns x-amz-decoded-content-length.
	r, _ := NewChunkedReader(strings.NewReader("5\r\nhello\r\n1\r\nx\r\n0\r\n\r\n"), ChunkedOptions{Mode: StreamingUnsignedPayloadTrailer, DecodedContentLength: 5})
	_, err := io.ReadAll(r)
	wantChunkKind(t, err, ChunkTooSmall)
	if f := err.(*ChunkError).Fields(); f["Chunk"] != "2" || f["BadChunkSize"] != "5" {
		t.Errorf("Fields() = %v, want Chunk 2, BadChunkSize 5", f)
	}
}

func TestChunkedMinimumSizeAllowsLastDataChunk(t *testing.T) {
	big := strings.Repeat("a", DefaultMinChunkSize)
	for _, c := range []struct {
		name, body string
		min        int64
	}{
		{"one small chunk", "3\r\nabc\r\n0\r\n\r\n", 0},
		{"full chunk then small", fmt.Sprintf("%x\r\n%s\r\n3\r\nabc\r\n0\r\n\r\n", len(big), big), 0},
		{"two full chunks", fmt.Sprintf("%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", len(big), big, len(big), big), 0},
		{"no minimum", "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", -1},
		{"custom minimum", "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, _ := NewChunkedReader(strings.NewReader(c.body), ChunkedOptions{Mode: StreamingUnsignedPayloadTrailer, DecodedContentLength: -1, MinChunkSize: c.min})
			if _, err := io.ReadAll(r); err != nil {
				t.Fatal(err)
			}
		})
	}
	// A chunk one byte short of the minimum, followed by data, is refused.
	short := strings.Repeat("a", DefaultMinChunkSize-1)
	r, _ := NewChunkedReader(strings.NewReader(fmt.Sprintf("%x\r\n%s\r\n1\r\nb\r\n0\r\n\r\n", len(short), short)), ChunkedOptions{Mode: StreamingUnsignedPayloadTrailer, DecodedContentLength: -1})
	_, err := io.ReadAll(r)
	wantChunkKind(t, err, ChunkTooSmall)
	if f := err.(*ChunkError).Fields(); f["BadChunkSize"] != "8191" {
		t.Errorf("Fields() = %v", f)
	}
}

// A chunk size that is not hexadecimal is broken framing, which S3 answers
// 400 IncompleteBody (versity/versitygw#1666), not InvalidChunkSizeError.
func TestChunkedUnparseableSizeIsIncompleteBody(t *testing.T) {
	r, _ := NewChunkedReader(strings.NewReader("zz\r\nabc\r\n0\r\n\r\n"), ChunkedOptions{Mode: StreamingUnsignedPayloadTrailer, DecodedContentLength: -1})
	_, err := io.ReadAll(r)
	wantChunkKind(t, err, ChunkSizeInvalid)
	ce := err.(*ChunkError)
	if code, status, _ := ce.AWS(); code != "IncompleteBody" || status != 400 {
		t.Errorf("AWS() = %s %d", code, status)
	}
	if ce.Fields() != nil {
		t.Errorf("Fields() = %v", ce.Fields())
	}
}

// Broken framing of every kind is one answer from S3: 400 IncompleteBody,
// "The request body terminated unexpectedly" (versity/versitygw#1666).
func TestChunkedBrokenFramingIsIncompleteBody(t *testing.T) {
	for name, body := range map[string]string{
		"no crlf after data":    "3\r\nabcd\r\n0\r\n\r\n",
		"lf only":               "3\nabc\n0\n\n",
		"truncated data":        "5\r\nab",
		"bad hex":               "zz\r\nabc\r\n0\r\n\r\n",
		"no final crlf":         "3\r\nabc\r\n0\r\n",
		"garbage after trailer": "3\r\nabc\r\n0\r\nnot a header\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			r, _ := NewChunkedReader(strings.NewReader(body), ChunkedOptions{Mode: StreamingUnsignedPayloadTrailer, DecodedContentLength: -1})
			_, err := io.ReadAll(r)
			var ce *ChunkError
			if !errors.As(err, &ce) {
				t.Fatalf("error = %v", err)
			}
			if code, status, msg := ce.AWS(); code != "IncompleteBody" || status != 400 || msg != "The request body terminated unexpectedly" {
				t.Errorf("AWS() = %s %d %q", code, status, msg)
			}
		})
	}
	req, _ := http.NewRequest("PUT", "http://b.s3.amazonaws.com/k", strings.NewReader("0\r\n\r\n"))
	req.Header.Set("X-Amz-Content-Sha256", StreamingUnsignedPayloadTrailer)
	req.Header.Set("X-Amz-Decoded-Content-Length", "five")
	_, err := NewRequestChunkedReader(req, nil)
	wantChunkKind(t, err, ChunkHeaderInvalid)
	if code, status, _ := err.(*ChunkError).AWS(); code != "InvalidArgument" || status != 400 {
		t.Errorf("AWS() = %s %d", code, status)
	}
}
