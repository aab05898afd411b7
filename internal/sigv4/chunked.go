package sigv4

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxChunkSize caps the size one aws-chunked chunk header may claim.
const DefaultMaxChunkSize = 16 << 20

// DefaultMinChunkSize is S3's floor for every aws-chunked chunk but the last
// one carrying data: a smaller chunk followed by another non-empty chunk is
// answered 403 InvalidChunkSizeError. S3 applies it to the signed modes and
// to STREAMING-UNSIGNED-PAYLOAD-TRAILER alike.
const DefaultMinChunkSize = 8 << 10

// maxChunkLine bounds a chunk header or trailer line.
const maxChunkLine = 4096

// ChunkErrorKind classifies a malformed or forged aws-chunked body.
type ChunkErrorKind int

// Kinds of aws-chunked failure.
const (
	ChunkMalformed         ChunkErrorKind = iota + 1 // framing is not aws-chunked
	ChunkSizeInvalid                                 // size not hex, or over the cap
	ChunkTruncated                                   // body ended inside the framing
	ChunkSignatureMismatch                           // a chunk or trailer signature is wrong
	ChunkChecksumMismatch                            // the trailing x-amz-checksum-* differs
	ChunkLengthMismatch                              // decoded length != x-amz-decoded-content-length
	ChunkTrailerMissing                              // a declared trailer did not arrive
	ChunkTooSmall                                    // a chunk under the minimum size was not the last
	ChunkHeaderInvalid                               // x-amz-decoded-content-length is not a length
)

var chunkKindNames = [...]string{"", "Malformed", "SizeInvalid", "Truncated", "SignatureMismatch", "ChecksumMismatch", "LengthMismatch", "TrailerMissing", "TooSmall", "HeaderInvalid"}

func (k ChunkErrorKind) String() string {
	if k > 0 && int(k) < len(chunkKindNames) {
		return chunkKindNames[k]
	}
	return "ChunkErrorKind(" + strconv.Itoa(int(k)) + ")"
}

// ChunkError is the error a ChunkedReader fails with.
type ChunkError struct {
	Kind      ChunkErrorKind
	Detail    string
	Algorithm string // checksum algorithm, for ChunkChecksumMismatch

	// For ChunkTooSmall, as S3 reports them: Chunk is the 1-based number of
	// the chunk whose header revealed that an earlier one was not the last,
	// BadChunkSize the size of that earlier, too small chunk.
	Chunk        int64
	BadChunkSize int64
}

func (e *ChunkError) Error() string {
	return "sigv4: aws-chunked: " + e.Kind.String() + ": " + e.Detail
}

// AWS gives the S3 error code, HTTP status and message for the failure.
func (e *ChunkError) AWS() (code string, status int, message string) {
	switch e.Kind {
	case ChunkTooSmall:
		return "InvalidChunkSizeError", http.StatusForbidden, "Only the last chunk is allowed to have a size less than 8192 bytes"
	case ChunkSizeInvalid, ChunkTruncated, ChunkMalformed:
		// S3 answers every broken framing — a chunk size it cannot parse,
		// a missing CRLF, data longer than its chunk — as a body that
		// "terminated unexpectedly" (versity/versitygw#1666).
		return "IncompleteBody", http.StatusBadRequest, "The request body terminated unexpectedly"
	case ChunkLengthMismatch:
		return "IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header"
	case ChunkSignatureMismatch:
		return "SignatureDoesNotMatch", http.StatusForbidden, msgSigS3
	case ChunkChecksumMismatch:
		return "BadDigest", http.StatusBadRequest, "The " + e.Algorithm + " you specified did not match the calculated checksum."
	case ChunkTrailerMissing:
		return "InvalidRequest", http.StatusBadRequest, "The request did not include the trailing checksum declared in x-amz-trailer."
	}
	return "InvalidArgument", http.StatusBadRequest, "Invalid aws-chunked upload: " + e.Detail
}

// Fields gives the extra members of S3's error body for the failure:
// Chunk and BadChunkSize for InvalidChunkSizeError, nil otherwise.
func (e *ChunkError) Fields() map[string]any {
	if e.Kind != ChunkTooSmall {
		return nil
	}
	return map[string]any{
		"Chunk":        strconv.FormatInt(e.Chunk, 10),
		"BadChunkSize": strconv.FormatInt(e.BadChunkSize, 10),
	}
}

// ChunkedOptions configure a ChunkedReader.
type ChunkedOptions struct {
	// Mode is the x-amz-content-sha256 value: StreamingSignedPayload,
	// StreamingSignedPayloadTrailer or StreamingUnsignedPayloadTrailer.
	Mode string
	// DecodedContentLength is x-amz-decoded-content-length (-1: unknown).
	DecodedContentLength int64
	// Trailer is the x-amz-trailer header: the trailing headers expected.
	// A declared x-amz-checksum-* is computed over the decoded data.
	Trailer string
	// SigningKey, SeedSignature, Time and Scope verify chunk signatures of
	// the signed modes; with a nil SigningKey signatures are parsed but not
	// checked (verification off).
	SigningKey    []byte
	SeedSignature string
	Time          time.Time
	Scope         string
	// MaxChunkSize caps a chunk (default DefaultMaxChunkSize).
	MaxChunkSize int64
	// MinChunkSize is the least size of every chunk but the last non-empty
	// one (0: DefaultMinChunkSize, S3's rule; negative: no minimum).
	MinChunkSize int64
}

// ChunkedReader decodes an aws-chunked body as it is read, verifying chunk
// signatures at the end of each chunk and the trailer and checksum at the
// end of the body. It holds at most one line of framing in memory.
type ChunkedReader struct {
	br      *bufio.Reader
	o       ChunkedOptions
	signed  bool
	trailer bool
	ts      string
	prev    string

	remaining int64 // bytes left in the current chunk
	inChunk   bool
	chunks    int64 // chunk headers read
	lastSize  int64 // size of the previous chunk
	chunkSig  string
	chunkHash hash.Hash

	decoded  int64
	sum      hash.Hash
	sumAlg   string
	trailers http.Header
	err      error
}

// IsChunkedMode reports whether an x-amz-content-sha256 value means an
// aws-chunked body.
func IsChunkedMode(mode string) bool {
	switch mode {
	case StreamingSignedPayload, StreamingSignedPayloadTrailer, StreamingUnsignedPayloadTrailer:
		return true
	}
	return false
}

// NewChunkedReader decodes body framed as o.Mode.
func NewChunkedReader(body io.Reader, o ChunkedOptions) (*ChunkedReader, error) {
	if !IsChunkedMode(o.Mode) {
		return nil, fmt.Errorf("sigv4: %q is not an aws-chunked payload mode", o.Mode)
	}
	if o.MaxChunkSize <= 0 {
		o.MaxChunkSize = DefaultMaxChunkSize
	}
	if o.MinChunkSize == 0 {
		o.MinChunkSize = DefaultMinChunkSize
	}
	r := &ChunkedReader{
		br:      bufio.NewReaderSize(body, 64<<10),
		o:       o,
		signed:  o.Mode != StreamingUnsignedPayloadTrailer,
		trailer: o.Mode != StreamingSignedPayload,
		prev:    o.SeedSignature,
	}
	if r.signed && o.SigningKey != nil {
		r.ts = o.Time.UTC().Format(TimeFormat)
		r.chunkHash = sha256.New()
	}
	for _, name := range strings.Split(o.Trailer, ",") {
		if alg := ChecksumAlgorithm(name); alg != "" {
			h, _ := NewChecksum(alg)
			r.sum, r.sumAlg = h, alg
		}
	}
	return r, nil
}

// NewRequestChunkedReader makes the ChunkedReader for a request's body from
// its headers (x-amz-content-sha256, x-amz-decoded-content-length,
// x-amz-trailer) and, when auth comes from a successful Verify, checks the
// chunk signatures against its seed signature. With auth nil signatures are
// not checked.
func NewRequestChunkedReader(req *http.Request, auth *Auth) (*ChunkedReader, error) {
	o := ChunkedOptions{
		Mode:                 req.Header.Get("X-Amz-Content-Sha256"),
		DecodedContentLength: -1,
		Trailer:              req.Header.Get("X-Amz-Trailer"),
	}
	if v := req.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, &ChunkError{Kind: ChunkHeaderInvalid, Detail: "x-amz-decoded-content-length is not a number: " + v}
		}
		o.DecodedContentLength = n
	}
	if auth != nil && auth.signingKey != nil {
		o.SigningKey, o.SeedSignature, o.Time = auth.signingKey, auth.Signature, auth.Time
		o.Scope = Scope(auth.Date, auth.Region, auth.Service)
	}
	return NewChunkedReader(req.Body, o)
}

// Trailer returns the trailing headers (valid after Read returned io.EOF).
func (r *ChunkedReader) Trailer() http.Header { return r.trailers }

func (r *ChunkedReader) fail(k ChunkErrorKind, format string, args ...any) error {
	r.err = &ChunkError{Kind: k, Detail: fmt.Sprintf(format, args...), Algorithm: r.sumAlg}
	return r.err
}

// readLine reads one CRLF-terminated line (without the CRLF).
func (r *ChunkedReader) readLine() (string, error) {
	line, err := r.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) || len(line) >= maxChunkLine {
			return "", r.fail(ChunkMalformed, "chunk line longer than %d bytes", maxChunkLine)
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return "", r.fail(ChunkTruncated, "body ended inside chunk framing")
		}
		r.err = err
		return "", err
	}
	if len(line) > maxChunkLine {
		return "", r.fail(ChunkMalformed, "chunk line longer than %d bytes", maxChunkLine)
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return "", r.fail(ChunkMalformed, "chunk line not terminated by CRLF")
	}
	return string(line[:len(line)-2]), nil
}

func (r *ChunkedReader) chunkStringToSign(dataHash string) string {
	return "AWS4-HMAC-SHA256-PAYLOAD\n" + r.ts + "\n" + r.o.Scope + "\n" + r.prev + "\n" + EmptyPayloadHash + "\n" + dataHash
}

func (r *ChunkedReader) checkChunkSig(dataHash string) error {
	if r.chunkHash == nil {
		r.prev = r.chunkSig
		return nil
	}
	want := hex.EncodeToString(hmacSHA256(r.o.SigningKey, r.chunkStringToSign(dataHash)))
	if !hmac.Equal([]byte(want), []byte(r.chunkSig)) {
		return r.fail(ChunkSignatureMismatch, "chunk signature %s, computed %s", r.chunkSig, want)
	}
	r.prev = want
	return nil
}

// nextChunk reads a chunk header; it returns false at the final chunk.
func (r *ChunkedReader) nextChunk() (bool, error) {
	line, err := r.readLine()
	if err != nil {
		return false, err
	}
	sizeStr, ext, hasExt := strings.Cut(line, ";")
	if sizeStr == "" || len(sizeStr) > 16 {
		return false, r.fail(ChunkSizeInvalid, "bad chunk size %q", sizeStr)
	}
	size, err := strconv.ParseUint(sizeStr, 16, 64)
	if err != nil {
		return false, r.fail(ChunkSizeInvalid, "chunk size %q is not hexadecimal", sizeStr)
	}
	r.chunks++
	// S3 checks the size rule as each header arrives, before the chunk's
	// signature or the decoded length: a non-empty chunk after a small one
	// proves the small one was not the last.
	if size > 0 && r.chunks > 1 && r.o.MinChunkSize > 0 && r.lastSize < r.o.MinChunkSize {
		r.err = &ChunkError{Kind: ChunkTooSmall, Chunk: r.chunks, BadChunkSize: r.lastSize,
			Detail: fmt.Sprintf("chunk %d follows chunk %d of %d bytes, under the %d-byte minimum", r.chunks, r.chunks-1, r.lastSize, r.o.MinChunkSize)}
		return false, r.err
	}
	r.lastSize = int64(size)
	if size > uint64(r.o.MaxChunkSize) {
		return false, r.fail(ChunkSizeInvalid, "chunk of %d bytes exceeds the %d-byte limit", size, r.o.MaxChunkSize)
	}
	if r.signed {
		sig, ok := strings.CutPrefix(ext, "chunk-signature=")
		if !hasExt || !ok || !isHexSHA256(sig) {
			return false, r.fail(ChunkMalformed, "chunk header %q lacks a chunk-signature", line)
		}
		r.chunkSig = strings.ToLower(sig)
	}
	if r.o.DecodedContentLength >= 0 && r.decoded+int64(size) > r.o.DecodedContentLength {
		return false, r.fail(ChunkLengthMismatch, "chunks carry more than x-amz-decoded-content-length %d", r.o.DecodedContentLength)
	}
	if size == 0 {
		return false, nil
	}
	r.remaining, r.inChunk = int64(size), true
	if r.chunkHash != nil {
		r.chunkHash.Reset()
	}
	return true, nil
}

// finish verifies the final chunk, reads the trailer and checks lengths and
// the checksum.
func (r *ChunkedReader) finish() error {
	if r.signed {
		if err := r.checkChunkSig(EmptyPayloadHash); err != nil {
			return err
		}
	}
	r.trailers = http.Header{}
	var canon strings.Builder
	var trailerSig string
	for n := 0; ; n++ {
		line, err := r.readLine()
		if err != nil {
			return err
		}
		if line == "" {
			break
		}
		if !r.trailer || n >= 16 {
			return r.fail(ChunkMalformed, "unexpected trailer line %q", line)
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.ToLower(strings.TrimSpace(name))
		value = strings.TrimSpace(value)
		if !ok || name == "" {
			return r.fail(ChunkMalformed, "bad trailer line %q", line)
		}
		if name == "x-amz-trailer-signature" {
			trailerSig = value
			continue
		}
		if trailerSig != "" {
			return r.fail(ChunkMalformed, "trailer %q after x-amz-trailer-signature", name)
		}
		r.trailers.Add(name, value)
		canon.WriteString(name + ":" + value + "\n")
	}
	if r.signed && r.trailer {
		if trailerSig == "" {
			return r.fail(ChunkMalformed, "signed trailer without x-amz-trailer-signature")
		}
		if r.chunkHash != nil {
			sts := "AWS4-HMAC-SHA256-TRAILER\n" + r.ts + "\n" + r.o.Scope + "\n" + r.prev + "\n" + hashHex(canon.String())
			want := hex.EncodeToString(hmacSHA256(r.o.SigningKey, sts))
			if !hmac.Equal([]byte(want), []byte(strings.ToLower(trailerSig))) {
				return r.fail(ChunkSignatureMismatch, "trailer signature %s, computed %s", trailerSig, want)
			}
		}
	}
	if r.o.DecodedContentLength >= 0 && r.decoded != r.o.DecodedContentLength {
		return r.fail(ChunkLengthMismatch, "decoded %d bytes, x-amz-decoded-content-length says %d", r.decoded, r.o.DecodedContentLength)
	}
	if r.sum != nil {
		got := r.trailers.Get(ChecksumHeader(r.sumAlg))
		if got == "" {
			return r.fail(ChunkTrailerMissing, "declared trailer %s missing", ChecksumHeader(r.sumAlg))
		}
		if want := ChecksumString(r.sum); got != want {
			return r.fail(ChunkChecksumMismatch, "%s is %s, data hashes to %s", ChecksumHeader(r.sumAlg), got, want)
		}
	}
	r.err = io.EOF
	return io.EOF
}

// Read returns decoded payload bytes.
func (r *ChunkedReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !r.inChunk {
		more, err := r.nextChunk()
		if err != nil {
			return 0, err
		}
		if !more {
			return 0, r.finish()
		}
	}
	if int64(len(p)) > r.remaining {
		p = p[:r.remaining]
	}
	n, err := r.br.Read(p)
	r.remaining -= int64(n)
	r.decoded += int64(n)
	if r.chunkHash != nil {
		r.chunkHash.Write(p[:n])
	}
	if r.sum != nil {
		r.sum.Write(p[:n])
	}
	if err != nil && err != io.EOF {
		r.err = err
		return n, err
	}
	if r.remaining == 0 {
		r.inChunk = false
		line, lerr := r.readLine()
		if lerr != nil {
			return n, lerr
		}
		if line != "" {
			return n, r.fail(ChunkMalformed, "chunk data longer than its declared size")
		}
		if r.signed {
			var dh string
			if r.chunkHash != nil {
				dh = hex.EncodeToString(r.chunkHash.Sum(nil))
			}
			if err := r.checkChunkSig(dh); err != nil {
				return n, err
			}
		}
		return n, nil
	}
	if err == io.EOF {
		return n, r.fail(ChunkTruncated, "body ended %d bytes before the end of a chunk", r.remaining)
	}
	return n, nil
}

// EncoderOptions configure a ChunkedEncoder.
type EncoderOptions struct {
	Mode string // a STREAMING-* value
	// ChunkSize is the data per chunk (default 64 KiB; S3 wants at least 8 KiB
	// for every chunk but the last).
	ChunkSize int
	// Checksum names the algorithm sent as a trailer in the -TRAILER modes.
	Checksum string
	// SigningKey, SeedSignature, Time and Scope sign chunks in the signed modes.
	SigningKey    []byte
	SeedSignature string
	Time          time.Time
	Scope         string
}

// ChunkedEncoder frames a body as aws-chunked (the client side).
type ChunkedEncoder struct {
	src    io.Reader
	o      EncoderOptions
	ts     string
	prev   string
	sum    hash.Hash
	buf    []byte
	out    bytes.Buffer
	done   bool
	signed bool
}

// NewChunkedEncoder frames body per o.
func NewChunkedEncoder(body io.Reader, o EncoderOptions) (*ChunkedEncoder, error) {
	if !IsChunkedMode(o.Mode) {
		return nil, fmt.Errorf("sigv4: %q is not an aws-chunked payload mode", o.Mode)
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = 64 << 10
	}
	e := &ChunkedEncoder{src: body, o: o, prev: o.SeedSignature, buf: make([]byte, o.ChunkSize), signed: o.Mode != StreamingUnsignedPayloadTrailer}
	if e.signed && o.SigningKey == nil {
		return nil, errors.New("sigv4: signed aws-chunked encoding needs a signing key")
	}
	e.ts = o.Time.UTC().Format(TimeFormat)
	if o.Mode != StreamingSignedPayload && o.Checksum != "" {
		h, err := NewChecksum(o.Checksum)
		if err != nil {
			return nil, err
		}
		e.sum = h
	}
	return e, nil
}

func (e *ChunkedEncoder) writeChunk(data []byte) {
	e.out.WriteString(strconv.FormatInt(int64(len(data)), 16))
	if e.signed {
		sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + e.ts + "\n" + e.o.Scope + "\n" + e.prev + "\n" + EmptyPayloadHash + "\n" + hashHex(string(data))
		e.prev = hex.EncodeToString(hmacSHA256(e.o.SigningKey, sts))
		e.out.WriteString(";chunk-signature=" + e.prev)
	}
	e.out.WriteString("\r\n")
	if len(data) > 0 {
		e.out.Write(data)
		e.out.WriteString("\r\n")
	}
}

func (e *ChunkedEncoder) fill() error {
	n, err := io.ReadFull(e.src, e.buf)
	if n > 0 {
		if e.sum != nil {
			e.sum.Write(e.buf[:n])
		}
		e.writeChunk(e.buf[:n])
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		e.writeChunk(nil)
		if e.o.Mode != StreamingSignedPayload {
			var canon string
			if e.sum != nil {
				canon = ChecksumHeader(e.o.Checksum) + ":" + ChecksumString(e.sum) + "\n"
				e.out.WriteString(strings.TrimSuffix(canon, "\n") + "\r\n")
			}
			if e.signed {
				sts := "AWS4-HMAC-SHA256-TRAILER\n" + e.ts + "\n" + e.o.Scope + "\n" + e.prev + "\n" + hashHex(canon)
				e.out.WriteString("x-amz-trailer-signature:" + hex.EncodeToString(hmacSHA256(e.o.SigningKey, sts)) + "\r\n")
			}
		}
		e.out.WriteString("\r\n")
		e.done = true
		return nil
	}
	return err
}

// Read returns framed bytes.
func (e *ChunkedEncoder) Read(p []byte) (int, error) {
	for e.out.Len() == 0 {
		if e.done {
			return 0, io.EOF
		}
		if err := e.fill(); err != nil {
			return 0, err
		}
	}
	return e.out.Read(p)
}

// EncodedLength is the framed length of a decoded body of n bytes, the
// Content-Length of a chunked upload.
func EncodedLength(n int64, o EncoderOptions) int64 {
	if o.ChunkSize <= 0 {
		o.ChunkSize = 64 << 10
	}
	signed := o.Mode != StreamingUnsignedPayloadTrailer
	chunk := func(size int64) int64 {
		l := int64(len(strconv.FormatInt(size, 16))) + 2
		if signed {
			l += int64(len(";chunk-signature=")) + 64
		}
		if size > 0 {
			l += size + 2
		}
		return l
	}
	cs := int64(o.ChunkSize)
	total := (n / cs) * chunk(cs)
	if r := n % cs; r > 0 {
		total += chunk(r)
	}
	total += chunk(0)
	if o.Mode != StreamingSignedPayload {
		if alg := ChecksumAlgorithm(o.Checksum); alg != "" {
			h, _ := NewChecksum(alg)
			total += int64(len(ChecksumHeader(alg))+1+len(ChecksumString(h))) + 2
		}
		if signed {
			total += int64(len("x-amz-trailer-signature:")) + 64 + 2
		}
	}
	return total + 2
}

// SignChunked prepares and signs a streaming upload: it sets
// Content-Encoding: aws-chunked, X-Amz-Decoded-Content-Length,
// X-Amz-Trailer (for a checksum trailer), Content-Length, signs the headers
// with X-Amz-Content-Sha256 = mode, and replaces req.Body with the framed
// body whose chunk signatures chain from the seed signature. req.ContentLength
// must be the decoded length.
func (s *Signer) SignChunked(req *http.Request, creds Credentials, service, region string, t time.Time, mode, checksum string, chunkSize int, opts ...Option) (*Result, error) {
	if req.ContentLength < 0 || (req.ContentLength > 0 && req.Body == nil) {
		return nil, errors.New("sigv4: a chunked upload needs the decoded length in req.ContentLength")
	}
	if !IsChunkedMode(mode) {
		return nil, fmt.Errorf("sigv4: %q is not an aws-chunked payload mode", mode)
	}
	eo := EncoderOptions{Mode: mode, ChunkSize: chunkSize}
	if mode != StreamingSignedPayload && checksum != "" {
		eo.Checksum = ChecksumAlgorithm(checksum)
		if eo.Checksum == "" {
			return nil, fmt.Errorf("sigv4: unknown checksum algorithm %q", checksum)
		}
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	decoded := req.ContentLength
	encoded := EncodedLength(decoded, eo)
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.FormatInt(decoded, 10))
	if eo.Checksum != "" {
		req.Header.Set("X-Amz-Trailer", ChecksumHeader(eo.Checksum))
	}
	req.Header.Set("Content-Length", strconv.FormatInt(encoded, 10))
	req.ContentLength = encoded
	res, err := s.Sign(req, creds, service, region, t, append(opts, PayloadHash(mode), ContentSHA256Header())...)
	if err != nil {
		return nil, err
	}
	eo.SigningKey, eo.SeedSignature, eo.Time, eo.Scope = res.SigningKey, res.Signature, res.Time, res.Scope
	body := req.Body
	if body == nil {
		body = http.NoBody
	}
	enc, err := NewChunkedEncoder(body, eo)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(enc)
	req.GetBody = nil
	return res, nil
}

// SignChunked is Signer.SignChunked with the package's shared Signer.
func SignChunked(req *http.Request, creds Credentials, service, region string, t time.Time, mode, checksum string, chunkSize int, opts ...Option) (*Result, error) {
	return defaultSigner.SignChunked(req, creds, service, region, t, mode, checksum, chunkSize, opts...)
}
