package s3_test

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"hash/crc32"
	"net/http"
	"strings"
	"testing"
	"time"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func TestPutGetObjectRoundTripKeepsHeadersAndMetadata(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	body := "hello, world"
	sum := md5.Sum([]byte(body))
	put := h.put("bkt", "dir/file.txt", body, map[string]any{"ContentType": "text/plain", "ContentMD5": b64(sum[:]),
		"Metadata": map[string]any{"color": "blue"}, "CacheControl": "max-age=60", "Tagging": "a=1&b=2"})
	wantETag := `"` + hex.EncodeToString(sum[:]) + `"`
	if put["ETag"] != wantETag {
		t.Fatalf("ETag = %v, want %s", put["ETag"], wantETag)
	}
	if _, ok := put["VersionId"]; ok {
		t.Errorf("unversioned bucket returned a version id: %v", put)
	}
	out, got := h.get("bkt", "dir/file.txt", map[string]any{"ChecksumMode": "ENABLED"})
	if got != body || out["ContentType"] != "text/plain" || out["ETag"] != wantETag || out["ContentLength"] != int64(len(body)) ||
		out["CacheControl"] != "max-age=60" || out["TagCount"] != int64(2) || out["Metadata"].(map[string]any)["color"] != "blue" {
		t.Fatalf("GetObject = %v %q", out, got)
	}
	// S3 computes CRC64NVME for uploads that name no checksum.
	if out["ChecksumCRC64NVME"] == nil || out["ChecksumType"] != "FULL_OBJECT" {
		t.Errorf("want default CRC64NVME checksum, got %v", out)
	}
	head := h.must("HeadObject", map[string]any{"Bucket": "bkt", "Key": "dir/file.txt"})
	if head["Body"] != nil || head["ContentLength"] != int64(len(body)) || head["ChecksumCRC64NVME"] != nil {
		t.Errorf("HeadObject = %v", head)
	}
	// response-* overrides
	out, _ = h.get("bkt", "dir/file.txt", map[string]any{"ResponseContentType": "application/json", "ResponseContentDisposition": "attachment"})
	if out["ContentType"] != "application/json" || out["ContentDisposition"] != "attachment" {
		t.Errorf("overrides = %v", out)
	}
	h.fails("GetObject", map[string]any{"Bucket": "bkt", "Key": "missing"}, "NoSuchKey", 404)
}

func TestPutObjectContentMD5Errors(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	in := func(md5 string) map[string]any {
		return map[string]any{"Bucket": "bkt", "Key": "k", "Body": strings.NewReader("data"), "ContentMD5": md5}
	}
	h.fails("PutObject", in("not-base64!"), "InvalidDigest", 400)
	h.fails("PutObject", in(b64([]byte("short"))), "InvalidDigest", 400)
	other := md5.Sum([]byte("other"))
	h.fails("PutObject", in(b64(other[:])), "BadDigest", 400)
	h.fails("GetObject", map[string]any{"Bucket": "bkt", "Key": "k"}, "NoSuchKey", 404)
}

func TestPutObjectChecksumsAreVerifiedAndReturned(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	c := crc32.ChecksumIEEE([]byte("data"))
	good := b64([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
	put := h.put("bkt", "k", "data", map[string]any{"ChecksumCRC32": good})
	if put["ChecksumCRC32"] != good {
		t.Fatalf("put = %v", put)
	}
	h.fails("PutObject", map[string]any{"Bucket": "bkt", "Key": "k2", "Body": strings.NewReader("data"), "ChecksumCRC32": "AAAAAA=="},
		"BadDigest", 400)
	out, _ := h.get("bkt", "k", map[string]any{"ChecksumMode": "ENABLED"})
	if out["ChecksumCRC32"] != good {
		t.Errorf("get = %v", out)
	}
	put = h.put("bkt", "s", "data", map[string]any{"ChecksumAlgorithm": "SHA256"})
	if put["ChecksumSHA256"] != "Om6weQ85rIfJTzhWst0sXREOaBFgImGpqSPTuyOtyLc=" {
		t.Errorf("sha256 = %v", put["ChecksumSHA256"])
	}
}

func TestPutObjectConditionalWrites(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	h.put("bkt", "k", "one", map[string]any{"IfNoneMatch": "*"})
	h.fails("PutObject", map[string]any{"Bucket": "bkt", "Key": "k", "Body": strings.NewReader("two"), "IfNoneMatch": "*"},
		"PreconditionFailed", 412)
	h.fails("PutObject", map[string]any{"Bucket": "bkt", "Key": "k", "Body": strings.NewReader("two"), "IfMatch": `"abc"`},
		"PreconditionFailed", 412)
	h.fails("PutObject", map[string]any{"Bucket": "bkt", "Key": "new", "Body": strings.NewReader("two"), "IfMatch": `"abc"`},
		"NoSuchKey", 404)
	sum := md5.Sum([]byte("one"))
	h.put("bkt", "k", "two", map[string]any{"IfMatch": `"` + hex.EncodeToString(sum[:]) + `"`})
	if _, got := h.get("bkt", "k"); got != "two" {
		t.Errorf("body = %q", got)
	}
}

func TestGetObjectRanges(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	h.put("bkt", "k", "0123456789")
	h.put("bkt", "empty", "")
	for _, tc := range []struct {
		rng, body, contentRange string
	}{
		{"bytes=0-3", "0123", "bytes 0-3/10"},
		{"bytes=7-", "789", "bytes 7-9/10"},
		{"bytes=-3", "789", "bytes 7-9/10"},
		{"bytes=-30", "0123456789", "bytes 0-9/10"},
		{"bytes=5-100", "56789", "bytes 5-9/10"},
		{"bytes=0-1,3-4", "0123456789", ""}, // several ranges: S3 sends the whole object
		{"chars=0-1", "0123456789", ""},
	} {
		out, body := h.get("bkt", "k", map[string]any{"Range": tc.rng})
		cr, _ := out["ContentRange"].(string)
		if body != tc.body || cr != tc.contentRange || out["ContentLength"] != int64(len(tc.body)) {
			t.Errorf("Range %s: body %q range %q len %v", tc.rng, body, cr, out["ContentLength"])
		}
	}
	for _, rng := range []string{"bytes=10-", "bytes=10-20", "bytes=-0"} {
		e := h.fails("GetObject", map[string]any{"Bucket": "bkt", "Key": "k", "Range": rng}, "InvalidRange", 416)
		if e.Fields["ActualObjectSize"] != "10" {
			t.Errorf("fields = %v", e.Fields)
		}
	}
	h.fails("GetObject", map[string]any{"Bucket": "bkt", "Key": "empty", "Range": "bytes=0-"}, "InvalidRange", 416)
}

func TestGetObjectConditionalPrecedence(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	put := h.put("bkt", "k", "v")
	etag := put["ETag"].(string)
	head := h.must("HeadObject", map[string]any{"Bucket": "bkt", "Key": "k"})
	lm := head["LastModified"].(time.Time)
	before, after := lm.Add(-time.Hour), lm.Add(time.Hour)
	for _, tc := range []struct {
		name   string
		in     map[string]any
		status int // 0: 200
	}{
		{"if-match true", map[string]any{"IfMatch": etag}, 0},
		{"if-match false", map[string]any{"IfMatch": `"nope"`}, 412},
		{"if-none-match true", map[string]any{"IfNoneMatch": etag}, 304},
		{"if-none-match false", map[string]any{"IfNoneMatch": `"nope"`}, 0},
		{"if-modified-since later", map[string]any{"IfModifiedSince": after}, 304},
		{"if-modified-since earlier", map[string]any{"IfModifiedSince": before}, 0},
		{"if-unmodified-since earlier", map[string]any{"IfUnmodifiedSince": before}, 412},
		// If-Match true wins over If-Unmodified-Since false.
		{"if-match true + unmodified false", map[string]any{"IfMatch": etag, "IfUnmodifiedSince": before}, 0},
		// If-None-Match false wins over If-Modified-Since false ... and true over it.
		{"if-none-match false + modified-since false", map[string]any{"IfNoneMatch": `"x"`, "IfModifiedSince": after}, 0},
		{"if-none-match true + modified-since true", map[string]any{"IfNoneMatch": etag, "IfModifiedSince": before}, 304},
		{"if-match false + if-none-match true", map[string]any{"IfMatch": `"x"`, "IfNoneMatch": etag}, 412},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := map[string]any{"Bucket": "bkt", "Key": "k"}
			for k, v := range tc.in {
				in[k] = v
			}
			for _, op := range []string{"GetObject", "HeadObject"} {
				switch tc.status {
				case 0:
					out := h.must(op, in)
					if out["Body"] != nil {
						readBody(t, out)
					}
				case 304:
					h.fails(op, in, "NotModified", http.StatusNotModified)
				case 412:
					h.fails(op, in, "PreconditionFailed", http.StatusPreconditionFailed)
				}
			}
		})
	}
}

func TestCopyObject(t *testing.T) {
	h := newHarness(t)
	h.bucket("src")
	h.bucket("dst")
	put := h.put("src", "a b+c%d", "payload", map[string]any{"ContentType": "text/x", "Metadata": map[string]any{"m": "1"}, "Tagging": "t=1"})
	out := h.must("CopyObject", map[string]any{"Bucket": "dst", "Key": "copy", "CopySource": "src/a%20b%2Bc%25d"})
	if out["CopyObjectResult"].(map[string]any)["ETag"] != put["ETag"] {
		t.Fatalf("copy = %v", out)
	}
	got, body := h.get("dst", "copy")
	if body != "payload" || got["ContentType"] != "text/x" || got["Metadata"].(map[string]any)["m"] != "1" || got["TagCount"] != int64(1) {
		t.Fatalf("copied = %v %q", got, body)
	}
	h.must("CopyObject", map[string]any{"Bucket": "dst", "Key": "replaced", "CopySource": "/src/a%20b%2Bc%25d",
		"MetadataDirective": "REPLACE", "ContentType": "text/y", "TaggingDirective": "REPLACE", "Tagging": "x=1&y=2"})
	got, _ = h.get("dst", "replaced")
	if got["ContentType"] != "text/y" || got["Metadata"] != nil || got["TagCount"] != int64(2) {
		t.Fatalf("replaced = %v", got)
	}
	h.fails("CopyObject", map[string]any{"Bucket": "dst", "Key": "copy", "CopySource": "dst/copy"}, "InvalidRequest", 400)
	h.must("CopyObject", map[string]any{"Bucket": "dst", "Key": "copy", "CopySource": "dst/copy", "MetadataDirective": "REPLACE"})
	h.fails("CopyObject", map[string]any{"Bucket": "dst", "Key": "x", "CopySource": "src/missing"}, "NoSuchKey", 404)
	h.fails("CopyObject", map[string]any{"Bucket": "dst", "Key": "x", "CopySource": "nobucket/k"}, "NoSuchBucket", 404)
	h.fails("CopyObject", map[string]any{"Bucket": "dst", "Key": "x", "CopySource": "dst/copy", "CopySourceIfMatch": `"nope"`},
		"PreconditionFailed", 412)
	h.fails("CopyObject", map[string]any{"Bucket": "dst", "Key": "x", "CopySource": "dst/copy", "CopySourceIfNoneMatch": put["ETag"]},
		"PreconditionFailed", 412)
}

func TestDeleteObjectsReportsPerKey(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	h.put("bkt", "a", "1")
	h.put("bkt", "b", "2")
	out := h.must("DeleteObjects", map[string]any{"Bucket": "bkt", "Delete": map[string]any{"Objects": []any{
		map[string]any{"Key": "a"}, map[string]any{"Key": "missing"}, map[string]any{"Key": "b", "VersionId": "bad"}}}})
	del, errs := out["Deleted"].([]any), out["Errors"].([]any)
	if len(del) != 2 || len(errs) != 1 || errs[0].(map[string]any)["Code"] != "InvalidArgument" {
		t.Fatalf("DeleteObjects = %v", out)
	}
	out = h.must("DeleteObjects", map[string]any{"Bucket": "bkt", "Delete": map[string]any{"Quiet": true,
		"Objects": []any{map[string]any{"Key": "b"}}}})
	if out["Deleted"] != nil {
		t.Errorf("quiet = %v", out)
	}
	h.fails("DeleteObjects", map[string]any{"Bucket": "bkt", "Delete": map[string]any{}}, "MalformedXML", 400)
}

func TestObjectTaggingAclAndAttributes(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	h.put("bkt", "k", "12345")
	h.must("PutObjectTagging", map[string]any{"Bucket": "bkt", "Key": "k", "Tagging": map[string]any{"TagSet": []any{
		map[string]any{"Key": "env", "Value": "prod"}}}})
	out := h.must("GetObjectTagging", map[string]any{"Bucket": "bkt", "Key": "k"})
	if ts := out["TagSet"].([]any); len(ts) != 1 || ts[0].(map[string]any)["Value"] != "prod" {
		t.Fatalf("tags = %v", out)
	}
	h.must("DeleteObjectTagging", map[string]any{"Bucket": "bkt", "Key": "k"})
	if out := h.must("GetObjectTagging", map[string]any{"Bucket": "bkt", "Key": "k"}); len(out["TagSet"].([]any)) != 0 {
		t.Fatalf("after delete = %v", out)
	}
	var many []any
	for i := 0; i < 11; i++ {
		many = append(many, map[string]any{"Key": string(rune('a' + i)), "Value": "v"})
	}
	h.fails("PutObjectTagging", map[string]any{"Bucket": "bkt", "Key": "k", "Tagging": map[string]any{"TagSet": many}}, "InvalidTag", 400)
	h.must("PutObjectAcl", map[string]any{"Bucket": "bkt", "Key": "k", "ACL": "public-read"})
	acl := h.must("GetObjectAcl", map[string]any{"Bucket": "bkt", "Key": "k"})
	if g := acl["Grants"].([]any); len(g) != 2 {
		t.Fatalf("acl = %v", acl)
	}
	h.must("PutBucketAcl", map[string]any{"Bucket": "bkt", "ACL": "private"})
	if g := h.must("GetBucketAcl", map[string]any{"Bucket": "bkt"})["Grants"].([]any); len(g) != 1 {
		t.Fatalf("bucket acl = %v", g)
	}
	attrs := h.must("GetObjectAttributes", map[string]any{"Bucket": "bkt", "Key": "k", "ObjectAttributes": []any{"ETag", "ObjectSize", "StorageClass"}})
	if attrs["ObjectSize"] != int64(5) || attrs["StorageClass"] != "STANDARD" || strings.HasPrefix(attrs["ETag"].(string), `"`) {
		t.Fatalf("attributes = %v", attrs)
	}
}
