package s3_test

import (
	"testing"
)

func TestVersioningKeepsVersionsAndDeleteMarkers(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	if out := h.must("GetBucketVersioning", map[string]any{"Bucket": "bkt"}); out["Status"] != nil {
		t.Fatalf("new bucket versioning = %v", out)
	}
	h.must("PutBucketVersioning", map[string]any{"Bucket": "bkt", "VersioningConfiguration": map[string]any{"Status": "Enabled"}})
	v1 := h.put("bkt", "k", "one")["VersionId"].(string)
	v2 := h.put("bkt", "k", "two")["VersionId"].(string)
	if v1 == v2 || len(v1) != 32 {
		t.Fatalf("version ids %q %q", v1, v2)
	}
	if _, body := h.get("bkt", "k", map[string]any{"VersionId": v1}); body != "one" {
		t.Fatalf("v1 body = %q", body)
	}
	del := h.must("DeleteObject", map[string]any{"Bucket": "bkt", "Key": "k"})
	dm, _ := del["VersionId"].(string)
	if del["DeleteMarker"] != true || dm == "" {
		t.Fatalf("delete = %v", del)
	}
	e := h.fails("GetObject", map[string]any{"Bucket": "bkt", "Key": "k"}, "NoSuchKey", 404)
	if e.Header.Get("X-Amz-Delete-Marker") != "true" {
		t.Errorf("headers = %v", e.Header)
	}
	e = h.fails("GetObject", map[string]any{"Bucket": "bkt", "Key": "k", "VersionId": dm}, "MethodNotAllowed", 405)
	if e.Header.Get("X-Amz-Delete-Marker") != "true" {
		t.Errorf("headers = %v", e.Header)
	}
	h.fails("HeadObject", map[string]any{"Bucket": "bkt", "Key": "k", "VersionId": dm}, "MethodNotAllowed", 405)
	lv := h.must("ListObjectVersions", map[string]any{"Bucket": "bkt"})
	if len(lv["Versions"].([]any)) != 2 || len(lv["DeleteMarkers"].([]any)) != 1 {
		t.Fatalf("versions = %v", lv)
	}
	if lv["DeleteMarkers"].([]any)[0].(map[string]any)["IsLatest"] != true {
		t.Errorf("marker not latest: %v", lv)
	}
	// Paging by key and version-id markers.
	page := h.must("ListObjectVersions", map[string]any{"Bucket": "bkt", "MaxKeys": int64(2)})
	if page["IsTruncated"] != true || page["NextKeyMarker"] != "k" {
		t.Fatalf("page = %v", page)
	}
	rest := h.must("ListObjectVersions", map[string]any{"Bucket": "bkt", "KeyMarker": "k", "VersionIdMarker": page["NextVersionIdMarker"]})
	if vs := rest["Versions"].([]any); len(vs) != 1 || vs[0].(map[string]any)["VersionId"] != v1 {
		t.Fatalf("rest = %v", rest)
	}
	// Removing the marker restores the object.
	h.must("DeleteObject", map[string]any{"Bucket": "bkt", "Key": "k", "VersionId": dm})
	if _, body := h.get("bkt", "k"); body != "two" {
		t.Fatalf("after removing marker = %q", body)
	}
	if out := h.must("ListObjectsV2", map[string]any{"Bucket": "bkt"}); out["KeyCount"] != int64(1) {
		t.Errorf("list = %v", out)
	}
	h.fails("GetObject", map[string]any{"Bucket": "bkt", "Key": "k", "VersionId": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, "NoSuchVersion", 404)
	h.fails("GetObject", map[string]any{"Bucket": "bkt", "Key": "k", "VersionId": "short"}, "InvalidArgument", 400)
	h.fails("DeleteBucket", map[string]any{"Bucket": "bkt"}, "BucketNotEmpty", 409)
}

func TestSuspendedVersioningWritesNullVersion(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	h.must("PutBucketVersioning", map[string]any{"Bucket": "bkt", "VersioningConfiguration": map[string]any{"Status": "Enabled"}})
	v1 := h.put("bkt", "k", "one")["VersionId"].(string)
	h.must("PutBucketVersioning", map[string]any{"Bucket": "bkt", "VersioningConfiguration": map[string]any{"Status": "Suspended"}})
	h.put("bkt", "k", "two")
	h.put("bkt", "k", "three") // replaces the null version
	out, body := h.get("bkt", "k")
	if body != "three" || out["VersionId"] != "null" {
		t.Fatalf("get = %v %q", out, body)
	}
	lv := h.must("ListObjectVersions", map[string]any{"Bucket": "bkt"})
	vs := lv["Versions"].([]any)
	if len(vs) != 2 || vs[0].(map[string]any)["VersionId"] != "null" || vs[1].(map[string]any)["VersionId"] != v1 {
		t.Fatalf("versions = %v", lv)
	}
	if out := h.must("GetBucketVersioning", map[string]any{"Bucket": "bkt"}); out["Status"] != "Suspended" {
		t.Fatalf("status = %v", out)
	}
	h.fails("PutBucketVersioning", map[string]any{"Bucket": "bkt", "VersioningConfiguration": map[string]any{"Status": "On"}}, "MalformedXML", 400)
}
