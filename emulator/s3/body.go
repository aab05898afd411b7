package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"hash"
	"io"
	"net/http"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// checksumAlgs are the algorithms S3 computes and returns, in the order of
// the model's members.
var checksumAlgs = []string{sigv4.ChecksumCRC32, sigv4.ChecksumCRC32C, sigv4.ChecksumCRC64NVME, sigv4.ChecksumSHA1, sigv4.ChecksumSHA256}

func checksumMember(alg string) string { return "Checksum" + alg }

type trailerer interface{ Trailer() http.Header }

// requestBody returns the object body of req: the decoded streaming Body.
func requestBody(req *emulator.Request) (io.Reader, error) {
	var body io.Reader = http.NoBody
	switch b := req.Input["Body"].(type) {
	case io.Reader:
		body = b
	case []byte:
		body = bytes.NewReader(b)
	case string:
		body = strings.NewReader(b)
	}
	// aws-chunked framing is removed (and its trailing checksum verified)
	// by the emulator core before the codec and handler read the body.
	return body, nil
}

func chunkErr(err error) error {
	var ce *sigv4.ChunkError
	if errors.As(err, &ce) {
		code, status, msg := ce.AWS()
		ae := emulator.Errorf(code, status, "%s", msg)
		ae.Fields = ce.Fields() // Chunk, BadChunkSize of InvalidChunkSizeError
		return ae
	}
	return err
}

// ingest is a body staged as a blob with its digests.
type ingest struct {
	ref       store.BlobRef
	checksums map[string]string // algorithm -> base64 value
}

// stageBody streams body to a staged blob, computing MD5 (the store does)
// and the checksums S3 would: those the client named or sent, else
// CRC64NVME, which S3 now computes for every upload. It verifies
// Content-MD5 and x-amz-checksum-* values (including aws-chunked trailers).
func stageBody(req *emulator.Request, ns *store.NS, body io.Reader, in map[string]any) (*ingest, error) {
	var wantMD5 []byte
	if cm := str(in, "ContentMD5"); cm != "" {
		b, err := base64.StdEncoding.DecodeString(cm)
		if err != nil || len(b) != md5.Size {
			return nil, errInvalidDigest()
		}
		wantMD5 = b
	}
	algs := map[string]bool{}
	if a := sigv4.ChecksumAlgorithm(str(in, "ChecksumAlgorithm")); a != "" {
		algs[a] = true
	}
	for _, a := range checksumAlgs {
		if str(in, checksumMember(a)) != "" {
			algs[a] = true
		}
	}
	if req.HTTP != nil {
		for _, t := range strings.Split(req.HTTP.Header.Get("X-Amz-Trailer"), ",") {
			if a := sigv4.ChecksumAlgorithm(t); a != "" {
				algs[a] = true
			}
		}
	}
	if len(algs) == 0 {
		algs[sigv4.ChecksumCRC64NVME] = true
	}
	hashes := map[string]hash.Hash{}
	var writers []io.Writer
	for a := range algs {
		h, err := sigv4.NewChecksum(a)
		if err != nil {
			return nil, err
		}
		hashes[a] = h
		writers = append(writers, h)
	}
	ref, err := ns.StageBlob(io.TeeReader(body, io.MultiWriter(writers...)))
	if err != nil {
		var ce *sigv4.ChunkError
		if errors.As(err, &ce) {
			return nil, chunkErr(ce)
		}
		return nil, err
	}
	res := &ingest{ref: ref, checksums: map[string]string{}}
	for a, h := range hashes {
		res.checksums[a] = sigv4.ChecksumString(h)
	}
	fail := func(e *protocol.APIError) (*ingest, error) {
		discardBlob(ns, ref)
		return nil, e
	}
	if wantMD5 != nil && base64.StdEncoding.EncodeToString(wantMD5) != md5B64(ref.MD5) {
		return fail(errBadDigest())
	}
	var trailer http.Header
	if t, ok := body.(trailerer); ok {
		trailer = t.Trailer()
	}
	for a := range algs {
		want := str(in, checksumMember(a))
		if want == "" && trailer != nil {
			want = trailer.Get(sigv4.ChecksumHeader(a))
		}
		if want != "" && want != res.checksums[a] {
			return fail(errChecksumMismatch(a))
		}
	}
	if cl, ok := i64(in, "ContentLength"); ok && req.HTTP != nil && req.HTTP.Header.Get("X-Amz-Decoded-Content-Length") == "" && cl != ref.Size && cl >= 0 {
		return fail(emulator.Errorf("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header"))
	}
	return res, nil
}

func md5B64(hexMD5 string) string {
	b := make([]byte, 0, 16)
	for i := 0; i+1 < len(hexMD5); i += 2 {
		b = append(b, unhex(hexMD5[i])<<4|unhex(hexMD5[i+1]))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

// discardBlob removes a staged blob that will not be kept (bad digest,
// failed precondition) now rather than at the next Reset.
func discardBlob(ns *store.NS, ref store.BlobRef) {
	_ = ns.Update(func(tx *store.Tx) error {
		if err := tx.AttachBlob("discard", ref); err != nil {
			return err
		}
		return tx.DeleteBlob(ref)
	})
}

// blobSection is a readable, seekable window of a blob file that closes
// the file: the Body of GetObject.
type blobSection struct {
	*io.SectionReader
	c io.Closer
}

func (b *blobSection) Close() error { return b.c.Close() }

func openSection(ns *store.NS, ref *store.BlobRef, off, n int64) (io.ReadSeeker, error) {
	if ref == nil || ref.ID == "" {
		return bytes.NewReader(nil), nil
	}
	f, err := ns.OpenBlob(*ref)
	if err != nil {
		return nil, err
	}
	ra, ok := f.(io.ReaderAt)
	if !ok {
		_ = f.Close()
		return nil, errors.New("s3: blob is not seekable")
	}
	return &blobSection{SectionReader: io.NewSectionReader(ra, off, n), c: f}, nil
}
