package s3_test

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"testing"
)

func TestMultipartUploadCompletesWithCompositeETag(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	up := h.must("CreateMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "big", "ContentType": "video/mp4"})
	id := up["UploadId"].(string)
	p1 := bytes.Repeat([]byte("a"), 5<<20)
	p2 := []byte("tail")
	var etags []string
	var md5s []byte
	for i, p := range [][]byte{p1, p2} {
		out := h.must("UploadPart", map[string]any{"Bucket": "bkt", "Key": "big", "UploadId": id, "PartNumber": int64(i + 1),
			"Body": bytes.NewReader(p)})
		etags = append(etags, out["ETag"].(string))
		s := md5.Sum(p)
		md5s = append(md5s, s[:]...)
	}
	lp := h.must("ListParts", map[string]any{"Bucket": "bkt", "Key": "big", "UploadId": id, "MaxParts": int64(1)})
	if lp["IsTruncated"] != true || lp["NextPartNumberMarker"] != int64(1) {
		t.Fatalf("ListParts = %v", lp)
	}
	lu := h.must("ListMultipartUploads", map[string]any{"Bucket": "bkt"})
	if u := lu["Uploads"].([]any); len(u) != 1 || u[0].(map[string]any)["UploadId"] != id {
		t.Fatalf("ListMultipartUploads = %v", lu)
	}
	parts := func(ps ...any) map[string]any {
		return map[string]any{"Bucket": "bkt", "Key": "big", "UploadId": id, "MultipartUpload": map[string]any{"Parts": ps}}
	}
	part := func(n int, etag string) any { return map[string]any{"PartNumber": int64(n), "ETag": etag} }
	h.fails("CompleteMultipartUpload", parts(part(2, etags[1]), part(1, etags[0])), "InvalidPartOrder", 400)
	h.fails("CompleteMultipartUpload", parts(part(1, etags[0]), part(2, `"bad"`)), "InvalidPart", 400)
	h.fails("CompleteMultipartUpload", parts(part(1, etags[0]), part(3, etags[1])), "InvalidPart", 400)
	h.fails("CompleteMultipartUpload", parts(), "MalformedXML", 400)
	out := h.must("CompleteMultipartUpload", parts(part(1, etags[0]), part(2, etags[1])))
	want := fmt.Sprintf(`"%x-2"`, md5.Sum(md5s))
	if out["ETag"] != want {
		t.Fatalf("ETag = %v, want %s", out["ETag"], want)
	}
	got, body := h.get("bkt", "big", map[string]any{"PartNumber": int64(2)})
	if body != "tail" || got["PartsCount"] != int64(2) || got["ContentType"] != "video/mp4" {
		t.Fatalf("part 2 = %v %q", got, body)
	}
	head := h.must("HeadObject", map[string]any{"Bucket": "bkt", "Key": "big"})
	if head["ContentLength"] != int64(len(p1)+len(p2)) {
		t.Fatalf("head = %v", head)
	}
	h.fails("CompleteMultipartUpload", parts(part(1, etags[0])), "NoSuchUpload", 404)
}

func TestMultipartSmallPartIsEntityTooSmall(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	id := h.must("CreateMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "k"})["UploadId"].(string)
	var ps []any
	for i := 1; i <= 2; i++ {
		out := h.must("UploadPart", map[string]any{"Bucket": "bkt", "Key": "k", "UploadId": id, "PartNumber": int64(i),
			"Body": bytes.NewReader([]byte("small"))})
		ps = append(ps, map[string]any{"PartNumber": int64(i), "ETag": out["ETag"]})
	}
	h.fails("CompleteMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "k", "UploadId": id,
		"MultipartUpload": map[string]any{"Parts": ps}}, "EntityTooSmall", 400)
	// A single small part is fine: the last part has no minimum.
	h.must("CompleteMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "k", "UploadId": id,
		"MultipartUpload": map[string]any{"Parts": ps[:1]}})
	h.fails("UploadPart", map[string]any{"Bucket": "bkt", "Key": "k", "UploadId": "nope", "PartNumber": int64(1),
		"Body": bytes.NewReader(nil)}, "NoSuchUpload", 404)
	h.fails("AbortMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "k", "UploadId": id}, "NoSuchUpload", 404)
	id2 := h.must("CreateMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "k"})["UploadId"].(string)
	h.fails("UploadPart", map[string]any{"Bucket": "bkt", "Key": "k", "UploadId": id2, "PartNumber": int64(10001),
		"Body": bytes.NewReader(nil)}, "InvalidArgument", 400)
	h.must("AbortMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "k", "UploadId": id2})
	h.fails("ListParts", map[string]any{"Bucket": "bkt", "Key": "k", "UploadId": id2}, "NoSuchUpload", 404)
}

func TestUploadPartCopyRange(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	h.put("bkt", "src", "0123456789")
	id := h.must("CreateMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "dst"})["UploadId"].(string)
	out := h.must("UploadPartCopy", map[string]any{"Bucket": "bkt", "Key": "dst", "UploadId": id, "PartNumber": int64(1),
		"CopySource": "bkt/src", "CopySourceRange": "bytes=2-5"})
	etag := out["CopyPartResult"].(map[string]any)["ETag"]
	h.fails("UploadPartCopy", map[string]any{"Bucket": "bkt", "Key": "dst", "UploadId": id, "PartNumber": int64(2),
		"CopySource": "bkt/src", "CopySourceRange": "bytes=5-10"}, "InvalidArgument", 400)
	h.must("CompleteMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "dst", "UploadId": id,
		"MultipartUpload": map[string]any{"Parts": []any{map[string]any{"PartNumber": int64(1), "ETag": etag}}}})
	if _, body := h.get("bkt", "dst"); body != "2345" {
		t.Fatalf("body = %q", body)
	}
}
