package s3_test

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"reflect"
	"testing"
)

// TestGetObjectAttributesOfCompositeMultipartObjectListsParts: for an
// object uploaded in parts with a COMPOSITE additional checksum, S3's
// ObjectParts lists the parts like ListParts (paged by MaxParts and
// PartNumberMarker, each with its checksum), the ETag comes without quotes,
// and Checksum is the composite "<checksum-of-checksums>-N".
func TestGetObjectAttributesOfCompositeMultipartObjectListsParts(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	id := h.must("CreateMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "mp", "ChecksumAlgorithm": "SHA256",
		"StorageClass": "STANDARD_IA"})["UploadId"].(string)
	bodies := [][]byte{bytes.Repeat([]byte("a"), 5<<20), bytes.Repeat([]byte("b"), 5<<20), []byte("tail")}
	var done []any
	var md5s, sums []byte
	var partSums []string
	for i, p := range bodies {
		s := sha256.Sum256(p)
		sum := base64.StdEncoding.EncodeToString(s[:])
		out := h.must("UploadPart", map[string]any{"Bucket": "bkt", "Key": "mp", "UploadId": id, "PartNumber": int64(i + 1),
			"Body": bytes.NewReader(p), "ChecksumAlgorithm": "SHA256"})
		if out["ChecksumSHA256"] != sum {
			t.Fatalf("UploadPart %d = %v", i+1, out)
		}
		done = append(done, map[string]any{"PartNumber": int64(i + 1), "ETag": out["ETag"], "ChecksumSHA256": sum})
		m := md5.Sum(p)
		md5s, sums, partSums = append(md5s, m[:]...), append(sums, s[:]...), append(partSums, sum)
	}
	h.must("CompleteMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "mp", "UploadId": id,
		"MultipartUpload": map[string]any{"Parts": done}})
	all := []any{"ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"}
	attrs := h.must("GetObjectAttributes", map[string]any{"Bucket": "bkt", "Key": "mp", "ObjectAttributes": all, "MaxParts": int64(2)})
	composite := sha256.Sum256(sums)
	if want := fmt.Sprintf("%x-3", md5.Sum(md5s)); attrs["ETag"] != want {
		t.Errorf("ETag = %v, want %s (no quotes)", attrs["ETag"], want)
	}
	if want := map[string]any{"ChecksumSHA256": base64.StdEncoding.EncodeToString(composite[:]) + "-3", "ChecksumType": "COMPOSITE"}; !reflect.DeepEqual(attrs["Checksum"], want) {
		t.Errorf("Checksum = %v, want %v", attrs["Checksum"], want)
	}
	if attrs["ObjectSize"] != int64(10<<20+4) || attrs["StorageClass"] != "STANDARD_IA" {
		t.Errorf("size/class = %v %v", attrs["ObjectSize"], attrs["StorageClass"])
	}
	part := func(n int) any {
		return map[string]any{"PartNumber": int64(n), "Size": int64(len(bodies[n-1])), "ChecksumSHA256": partSums[n-1]}
	}
	want := map[string]any{"TotalPartsCount": int64(3), "PartNumberMarker": int64(0), "NextPartNumberMarker": int64(2),
		"MaxParts": int64(2), "IsTruncated": true, "Parts": []any{part(1), part(2)}}
	if !reflect.DeepEqual(attrs["ObjectParts"], want) {
		t.Errorf("ObjectParts page 1\n got %v\nwant %v", attrs["ObjectParts"], want)
	}
	attrs = h.must("GetObjectAttributes", map[string]any{"Bucket": "bkt", "Key": "mp", "ObjectAttributes": []any{"ObjectParts"},
		"MaxParts": int64(2), "PartNumberMarker": int64(2)})
	want = map[string]any{"TotalPartsCount": int64(3), "PartNumberMarker": int64(2), "NextPartNumberMarker": int64(3),
		"MaxParts": int64(2), "IsTruncated": false, "Parts": []any{part(3)}}
	if !reflect.DeepEqual(attrs["ObjectParts"], want) {
		t.Errorf("ObjectParts page 2\n got %v\nwant %v", attrs["ObjectParts"], want)
	}
	if _, ok := attrs["ETag"]; ok {
		t.Errorf("unrequested ETag returned: %v", attrs)
	}
}

// TestGetObjectAttributesPartsOnlyForCompositeChecksums: a multipart object
// without a COMPOSITE checksum reports only its parts count; a single-PUT
// object has no ObjectParts at all; no attribute named is InvalidArgument.
func TestGetObjectAttributesPartsOnlyForCompositeChecksums(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	id := h.must("CreateMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "mp"})["UploadId"].(string)
	var done []any
	for i, p := range [][]byte{bytes.Repeat([]byte("a"), 5<<20), []byte("end")} {
		out := h.must("UploadPart", map[string]any{"Bucket": "bkt", "Key": "mp", "UploadId": id, "PartNumber": int64(i + 1), "Body": bytes.NewReader(p)})
		done = append(done, map[string]any{"PartNumber": int64(i + 1), "ETag": out["ETag"]})
	}
	h.must("CompleteMultipartUpload", map[string]any{"Bucket": "bkt", "Key": "mp", "UploadId": id, "MultipartUpload": map[string]any{"Parts": done}})
	attrs := h.must("GetObjectAttributes", map[string]any{"Bucket": "bkt", "Key": "mp", "ObjectAttributes": []any{"ObjectParts", "Checksum"}})
	if want := map[string]any{"TotalPartsCount": int64(2)}; !reflect.DeepEqual(attrs["ObjectParts"], want) {
		t.Errorf("ObjectParts = %v, want %v", attrs["ObjectParts"], want)
	}
	if cs, _ := attrs["Checksum"].(map[string]any); cs["ChecksumType"] != "FULL_OBJECT" || cs["ChecksumCRC64NVME"] == nil {
		t.Errorf("Checksum = %v", attrs["Checksum"])
	}
	h.put("bkt", "single", "x")
	attrs = h.must("GetObjectAttributes", map[string]any{"Bucket": "bkt", "Key": "single", "ObjectAttributes": []any{"ObjectParts", "ObjectSize"}})
	if _, ok := attrs["ObjectParts"]; ok || attrs["ObjectSize"] != int64(1) {
		t.Errorf("single PUT attributes = %v", attrs)
	}
	h.fails("GetObjectAttributes", map[string]any{"Bucket": "bkt", "Key": "single", "ObjectAttributes": []any{}}, "InvalidArgument", 400)
	h.fails("GetObjectAttributes", map[string]any{"Bucket": "bkt", "Key": "nope", "ObjectAttributes": []any{"ETag"}}, "NoSuchKey", 404)
}
