package session

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
)

// Flexible checksums as botocore ≥ 1.36 applies them (3.23, 4.98; botocore
// httpchecksum.py): operations with the httpChecksum trait get a CRC32 of the
// body by default (request_checksum_calculation=when_supported), or only when
// the model requires one (when_required); an explicit algorithm member
// (ChecksumAlgorithm="SHA256") picks the algorithm. Over HTTPS a streaming
// upload carries the checksum in an aws-chunked trailer, otherwise in an
// x-amz-checksum-<alg> header. Responses of operations with a validation
// mode member (GetObject's ChecksumMode) ask for checksums by default
// (response_checksum_validation=when_supported) and are verified as read.

// FlexibleChecksumError is botocore's FlexibleChecksumError: an unsupported
// algorithm was requested, or a response body did not match its checksum.
type FlexibleChecksumError struct {
	Msg string
}

func (e *FlexibleChecksumError) Error() string { return e.Msg }

// checksumPlan is the checksum one request carries.
type checksumPlan struct {
	algorithm string // lower case: crc32, crc32c, sha1, sha256, sha512
	header    string // x-amz-checksum-<algorithm>
}

// newChecksum returns the hash for a lower-case algorithm name, nil when
// this client cannot compute it (botocore without awscrt: crc32, sha1,
// sha256, sha512; crc32c is in Go's standard library, so we offer it too).
func newChecksum(alg string) hash.Hash {
	switch alg {
	case "crc32":
		return crc32.NewIEEE()
	case "crc32c":
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// responseAlgorithmPriority is botocore's _ALGORITHMS_PRIORITY_LIST.
var responseAlgorithmPriority = []string{"xxhash128", "xxhash3", "crc64nvme", "xxhash64", "crc32c", "crc32", "sha1", "sha256", "sha512"}

// prepareChecksums resolves the request checksum before serialisation. It
// may set the request algorithm member (so the codec sends
// x-amz-sdk-checksum-algorithm) and the validation mode member
// (x-amz-checksum-mode: ENABLED), as botocore's handlers do.
func (c *Client) prepareChecksums(op *model.Operation, p map[string]any) (*checksumPlan, error) {
	hc := op.HTTPChecksum
	if hc == nil && !op.HTTPChecksumRequired {
		return nil, nil
	}
	cfg := c.meta.Config
	if hc != nil && hc.RequestValidationModeMember != "" && cfg.ResponseChecksumValidation != "when_required" {
		if _, ok := p[hc.RequestValidationModeMember]; !ok && op.Input != nil && op.Input.Shape != nil &&
			op.Input.Shape.Members[hc.RequestValidationModeMember] != nil {
			p[hc.RequestValidationModeMember] = "ENABLED"
		}
	}
	for k := range p {
		// A checksum the caller computed (ChecksumCRC32=...) is sent as is.
		if strings.HasPrefix(k, "Checksum") && k != "ChecksumAlgorithm" && k != "ChecksumMode" && k != "ChecksumType" {
			if ref := memberRef(op, k); ref != nil && ref.Location == "header" {
				return nil, nil
			}
		}
	}
	member := ""
	required := op.HTTPChecksumRequired
	if hc != nil {
		member = hc.RequestAlgorithmMember
		required = required || hc.RequestChecksumRequired
	}
	var alg string
	if v, ok := p[member].(string); member != "" && ok && v != "" {
		alg = strings.ToLower(v)
		if newChecksum(alg) == nil {
			return nil, &FlexibleChecksumError{Msg: "Unsupported checksum algorithm: " + alg}
		}
	} else if required || (member != "" && cfg.RequestChecksumCalculation != "when_required") {
		alg = "crc32"
		if memberRef(op, member) != nil {
			p[member] = "CRC32"
		}
	} else {
		return nil, nil
	}
	return &checksumPlan{algorithm: alg, header: "x-amz-checksum-" + alg}, nil
}

func memberRef(op *model.Operation, name string) *model.ShapeRef {
	if name == "" || op.Input == nil || op.Input.Shape == nil {
		return nil
	}
	return op.Input.Shape.Members[name]
}

// applyChecksum adds the planned checksum to a serialised request. It
// returns the body to send and whether it became an aws-chunked stream
// with a trailer (then signed as STREAMING-UNSIGNED-PAYLOAD-TRAILER).
func applyChecksum(plan *checksumPlan, op *model.Operation, req *http.Request, body []byte) ([]byte, bool) {
	if plan == nil || req.Header.Get(plan.header) != "" {
		return body, false
	}
	h := newChecksum(plan.algorithm)
	h.Write(body)
	digest := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if !(hasStreamingInput(op) && req.URL.Scheme == "https") {
		req.Header.Set(plan.header, digest)
		return body, false
	}
	if ce := req.Header.Get("Content-Encoding"); ce != "" {
		req.Header.Set("Content-Encoding", ce+",aws-chunked")
	} else {
		req.Header.Set("Content-Encoding", "aws-chunked")
	}
	req.Header.Set("X-Amz-Trailer", plan.header)
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(body)))
	req.Header.Del("Content-Length")
	return awsChunked(body, plan.header, digest), true
}

// awsChunkSize is botocore's AwsChunkedWrapper default chunk size.
const awsChunkSize = 1 << 20

// awsChunked frames body as botocore's AwsChunkedWrapper does: hex-length
// chunks of up to 1 MiB, then a zero chunk carrying the checksum trailer.
func awsChunked(body []byte, header, digest string) []byte {
	var b bytes.Buffer
	for len(body) > 0 {
		n := min(len(body), awsChunkSize)
		fmt.Fprintf(&b, "%x\r\n", n)
		b.Write(body[:n])
		b.WriteString("\r\n")
		body = body[n:]
	}
	fmt.Fprintf(&b, "0\r\n%s:%s\r\n\r\n", header, digest)
	return b.Bytes()
}

// validateResponseChecksum wraps a streaming output body so that reading
// it to the end checks the first checksum header botocore would check.
func validateResponseChecksum(op *model.Operation, params map[string]any, resp *http.Response, out *Output) {
	hc := op.HTTPChecksum
	if hc == nil || hc.RequestValidationModeMember == "" || !hasStreamingOutput(op) {
		return
	}
	if v, _ := params[hc.RequestValidationModeMember].(string); v == "" {
		return
	}
	offered := map[string]bool{}
	for _, a := range hc.ResponseAlgorithms {
		offered[strings.ToLower(a)] = true
	}
	for _, alg := range responseAlgorithmPriority {
		want := resp.Header.Get("x-amz-checksum-" + alg)
		h := newChecksum(alg)
		if !offered[alg] || h == nil || want == "" {
			continue
		}
		if strings.Contains(want, "-") {
			// A composite checksum of parts ("...-3") cannot be checked
			// against the whole body; botocore skips it.
			continue
		}
		name := op.Output.Shape.Payload
		if rc, ok := out.Data[name].(io.ReadCloser); ok {
			out.Data[name] = &checksumReader{rc: rc, h: h, want: want}
		}
		return
	}
}

// checksumReader is botocore's StreamingChecksumBody.
type checksumReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	want string
	err  error
}

func (r *checksumReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.rc.Read(p)
	r.h.Write(p[:n])
	if err == io.EOF {
		if got := base64.StdEncoding.EncodeToString(r.h.Sum(nil)); got != r.want {
			r.err = &FlexibleChecksumError{Msg: fmt.Sprintf("Expected checksum %s did not match calculated checksum: %s", r.want, got)}
			return n, r.err
		}
	}
	return n, err
}

func (r *checksumReader) Close() error { return r.rc.Close() }

// s3ListEncoding is botocore's set_list_objects_encoding_type_url: S3 list
// operations ask for url-encoded keys unless the caller chose an encoding,
// so keys with characters XML 1.0 cannot carry survive the trip. The
// rest-xml codec decodes the answer (botocore's decode_list_object*).
//
// It returns ctx marked for the rest-xml codec (restxml.WithListKeyDecoding):
// keys are URL-decoded only when EncodingType was filled in here, as
// botocore's decode_list_object runs only with encoding_type_auto_set; a
// caller who asked for EncodingType=url gets the keys as S3 sent them.
func (c *Client) s3ListEncoding(ctx context.Context, op *model.Operation, p map[string]any) context.Context {
	if c.svc.Name != "s3" || (op.Name != "ListObjects" && op.Name != "ListObjectsV2" && op.Name != "ListObjectVersions") {
		return ctx
	}
	_, given := p["EncodingType"]
	if !given {
		p["EncodingType"] = "url"
	}
	return restxml.WithListKeyDecoding(ctx, !given)
}
