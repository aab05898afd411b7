package s3_test

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// wireWithDisk is a wire whose state lives in dir, so a test can break the
// blob files under a running emulator (an internal failure mid-copy).
func wireWithDisk(t *testing.T) (*wire, string) {
	dir := t.TempDir()
	db := filepath.Join(dir, "state.db")
	return newWire(t, func(o *emulator.Options) { o.DataPath = db; o.NoSync = true }), db + ".blobs"
}

func removeBlobs(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// rawBody re-reads the answer of op as bytes (the wire helper's client
// consumed it): the same request through the http.Client.
func (w *wire) raw(op string, params map[string]any) (*http.Response, string) {
	w.tb.Helper()
	resp := w.wiretest().Raw(op, params)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func wantIn200(t *testing.T, w *wire, op string, params map[string]any) {
	t.Helper()
	resp, body := w.raw(op, params)
	if resp.StatusCode != 200 || !strings.Contains(body, "<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message>") ||
		resp.Header.Get("Content-Type") != "application/xml" {
		t.Fatalf("%s: %d %q", op, resp.StatusCode, body)
	}
	_, _, err := w.call(op, params)
	var ae *protocol.APIError
	if !errors.As(err, &ae) || ae.Code != "InternalError" || ae.StatusCode != 500 || ae.RequestID == "" {
		t.Fatalf("%s: client sees %#v", op, err)
	}
}

// TestCopyFailingMidwayIsErrorInside200: S3 answers 200 as soon as a copy
// starts, so a failure while copying (here: the source's bytes vanished from
// disk) arrives as an <Error> document inside that 200; SDKs detect it.
// The bodies are larger than store.InlineBlobMax so they are files.
func TestCopyFailingMidwayIsErrorInside200(t *testing.T) {
	w, blobs := wireWithDisk(t)
	big := strings.Repeat("x", store.InlineBlobMax+1)
	w.must("CreateBucket", map[string]any{"Bucket": "src"})
	w.must("PutObject", map[string]any{"Bucket": "src", "Key": "a", "Body": strings.NewReader("payload" + big)})
	up, _ := w.must("CreateMultipartUpload", map[string]any{"Bucket": "src", "Key": "mp"})
	id := up["UploadId"]
	p1, _ := w.must("UploadPart", map[string]any{"Bucket": "src", "Key": "mp", "UploadId": id, "PartNumber": int64(1), "Body": strings.NewReader("part one" + big)})
	removeBlobs(t, blobs)

	wantIn200(t, w, "CopyObject", map[string]any{"Bucket": "src", "Key": "b", "CopySource": "src/a"})
	wantIn200(t, w, "UploadPartCopy", map[string]any{"Bucket": "src", "Key": "mp", "UploadId": id, "PartNumber": int64(2), "CopySource": "src/a"})
	wantIn200(t, w, "CompleteMultipartUpload", map[string]any{"Bucket": "src", "Key": "mp", "UploadId": id,
		"MultipartUpload": map[string]any{"Parts": []any{map[string]any{"PartNumber": int64(1), "ETag": p1["ETag"]}}}})
	if _, _, err := w.call("HeadObject", map[string]any{"Bucket": "src", "Key": "b"}); err == nil {
		t.Error("a failed copy stored its target")
	}
}

// TestCopyValidationErrorsAreRealStatuses: what S3 checks before it starts
// (missing source, bad part, bad range, preconditions) is an ordinary error
// status, never an error inside a 200.
func TestCopyValidationErrorsAreRealStatuses(t *testing.T) {
	w := newWire(t)
	w.must("CreateBucket", map[string]any{"Bucket": "valid"})
	w.must("PutObject", map[string]any{"Bucket": "valid", "Key": "a", "Body": strings.NewReader("payload")})
	up, _ := w.must("CreateMultipartUpload", map[string]any{"Bucket": "valid", "Key": "mp"})
	id := up["UploadId"]
	p1, _ := w.must("UploadPart", map[string]any{"Bucket": "valid", "Key": "mp", "UploadId": id, "PartNumber": int64(1), "Body": strings.NewReader("x")})
	for _, tc := range []struct {
		op     string
		params map[string]any
		code   string
		status int
	}{
		{"CopyObject", map[string]any{"Bucket": "valid", "Key": "b", "CopySource": "valid/missing"}, "NoSuchKey", 404},
		{"CopyObject", map[string]any{"Bucket": "valid", "Key": "b", "CopySource": "valid/a", "CopySourceIfMatch": `"nope"`}, "PreconditionFailed", 412},
		{"UploadPartCopy", map[string]any{"Bucket": "valid", "Key": "mp", "UploadId": id, "PartNumber": int64(2), "CopySource": "valid/a", "CopySourceRange": "bytes=0-99"}, "InvalidArgument", 400},
		{"UploadPartCopy", map[string]any{"Bucket": "valid", "Key": "mp", "UploadId": "nope", "PartNumber": int64(2), "CopySource": "valid/a"}, "NoSuchUpload", 404},
		{"CompleteMultipartUpload", map[string]any{"Bucket": "valid", "Key": "mp", "UploadId": id,
			"MultipartUpload": map[string]any{"Parts": []any{map[string]any{"PartNumber": int64(1), "ETag": `"0000"`}}}}, "InvalidPart", 400},
		{"CompleteMultipartUpload", map[string]any{"Bucket": "valid", "Key": "mp", "UploadId": id,
			"MultipartUpload": map[string]any{"Parts": []any{map[string]any{"PartNumber": int64(1), "ETag": p1["ETag"]}, map[string]any{"PartNumber": int64(1), "ETag": p1["ETag"]}}}}, "InvalidPartOrder", 400},
	} {
		_, resp, err := w.call(tc.op, tc.params)
		var ae *protocol.APIError
		if resp.StatusCode != tc.status || !errors.As(err, &ae) || ae.Code != tc.code || ae.StatusCode != tc.status {
			t.Errorf("%s: status %d, err %v; want %s (%d)", tc.op, resp.StatusCode, err, tc.code, tc.status)
		}
	}
}
