package emulator

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/route"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// isChunked reports whether r's body is aws-chunked framed.
func isChunked(r *http.Request) bool {
	if sigv4.IsChunkedMode(r.Header.Get("X-Amz-Content-Sha256")) {
		return true
	}
	for _, v := range r.Header.Values("Content-Encoding") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "aws-chunked") {
				return true
			}
		}
	}
	return false
}

// unchunk replaces an aws-chunked body with sigv4's streaming decoder, so
// the codec and the handler read the payload itself: chunk signatures are
// checked when auth is a verified authentication, the trailing checksum
// always. Content-Length becomes x-amz-decoded-content-length and
// aws-chunked leaves Content-Encoding, as S3 stores them.
func unchunk(r *http.Request, auth *sigv4.Auth) (*sigv4.ChunkedReader, error) {
	if !sigv4.IsChunkedMode(r.Header.Get("X-Amz-Content-Sha256")) {
		// Content-Encoding: aws-chunked without a STREAMING-* hash is how an
		// unsigned upload with a trailing checksum arrives from some SDKs.
		r = r.Clone(r.Context())
		r.Header.Set("X-Amz-Content-Sha256", sigv4.StreamingUnsignedPayloadTrailer)
	}
	cr, err := sigv4.NewRequestChunkedReader(r, auth)
	if err != nil {
		return nil, err
	}
	return cr, nil
}

func fixChunkedHeaders(r *http.Request) {
	r.ContentLength = -1
	r.Header.Del("Content-Length")
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			r.ContentLength = n
			r.Header.Set("Content-Length", v)
		}
	}
	var keep []string
	for _, v := range r.Header.Values("Content-Encoding") {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" && !strings.EqualFold(p, "aws-chunked") {
				keep = append(keep, p)
			}
		}
	}
	if len(keep) == 0 {
		r.Header.Del("Content-Encoding")
	} else {
		r.Header.Set("Content-Encoding", strings.Join(keep, ","))
	}
}

// bodyReader is the request body the codec and handler read. It remembers
// the first read failure, so that an authentication failure discovered at
// the end of the body (a content hash or chunk signature that does not
// match, a bad trailing checksum) is answered with the code sigv4 gives
// even when the handler or codec wrapped the error in its own.
type bodyReader struct {
	r      io.Reader
	closer io.Closer

	mu  sync.Mutex
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.mu.Lock()
		if b.err == nil {
			b.err = err
		}
		b.mu.Unlock()
	}
	return n, err
}

func (b *bodyReader) Close() error { return b.closer.Close() }

func (b *bodyReader) failure() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// isAuthFailure reports whether err is a sigv4 payload failure.
func isAuthFailure(err error) bool {
	var se *sigv4.Error
	var ce *sigv4.ChunkError
	return errors.As(err, &se) || errors.As(err, &ce)
}

// queueURLFromPath gives an SQS-style query request posted to the queue's
// URL (/<account>/<queue>, as old SDKs send ReceiveMessage and friends)
// its QueueUrl input member when the body did not carry one.
func queueURLFromPath(r *http.Request, res *route.Result, input map[string]any) {
	if res.Protocol != "query" || res.Operation.Input == nil || res.Operation.Input.Shape == nil {
		return
	}
	if _, ok := res.Operation.Input.Shape.Members["QueueUrl"]; !ok {
		return
	}
	if v, _ := input["QueueUrl"].(string); v != "" {
		return
	}
	p := strings.Trim(r.URL.Path, "/")
	account, queue, ok := strings.Cut(p, "/")
	if !ok || account == "" || queue == "" || strings.Contains(queue, "/") {
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	input["QueueUrl"] = scheme + "://" + host + "/" + account + "/" + queue
}

// DefaultMaxBodyBytes is Options.MaxBodyBytes's default.
const DefaultMaxBodyBytes = 64 << 20

// MaxS3ObjectSize is the largest single S3 upload (PutObject, UploadPart).
const MaxS3ObjectSize = 5 << 30

// hasStreamingPayload reports whether op's input payload is a streaming
// blob (S3 PutObject's Body), which is read by the handler as it arrives.
func hasStreamingPayload(op *model.Operation) bool {
	if op.Input == nil || op.Input.Shape == nil || op.Input.Shape.Payload == "" {
		return false
	}
	ref := op.Input.Shape.Members[op.Input.Shape.Payload]
	return ref != nil && (ref.Streaming || ref.Shape != nil && ref.Shape.Streaming)
}

// checkLength refuses a declared Content-Length over the limit before
// anything (signature verification included) reads the body.
func (e *Emulator) checkLength(r *http.Request, streaming bool, flavor sigv4.Flavor) *protocol.APIError {
	n := r.ContentLength
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		if d, err := strconv.ParseInt(v, 10, 64); err == nil && d > n {
			n = d
		}
	}
	if streaming {
		if n > MaxS3ObjectSize {
			return protocol.NewError("EntityTooLarge", http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed size")
		}
		return nil
	}
	if n > e.opts.MaxBodyBytes {
		return e.tooLarge(flavor)
	}
	return nil
}

func (e *Emulator) tooLarge(flavor sigv4.Flavor) *protocol.APIError {
	if flavor == sigv4.FlavorS3 {
		return protocol.NewError("MaxMessageLengthExceeded", http.StatusBadRequest, "Your request was too big.")
	}
	return protocol.NewError("RequestEntityTooLarge", http.StatusRequestEntityTooLarge,
		"Request body of %d bytes or more is too large", e.opts.MaxBodyBytes)
}

func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
