package session

import (
	"crypto/md5"
	"encoding/base64"
	"strings"

	"github.com/fakecloud/fakecloud/internal/model"
)

// s3Params applies botocore's S3 parameter handlers that run at
// before-parameter-build (botocore/handlers.py): sse_md5 / copy_source_sse_md5
// base64-encode an SSE-C key given raw and add its MD5 (4.93), and
// handle_copy_source_param turns a CopySource {Bucket, Key, VersionId} map
// into the percent-encoded "bucket/key?versionId=v" header value and quotes a
// string one. p is the call's own copy of the params.
func (c *Client) s3Params(op *model.Operation, p map[string]any) {
	if c.svc.Name != "s3" {
		return
	}
	for _, pre := range []string{"", "CopySource"} {
		keyName, md5Name := pre+"SSECustomerKey", pre+"SSECustomerKeyMD5"
		if _, ok := op.Input.Shape.Members[keyName]; !ok {
			continue
		}
		if _, ok := p[md5Name]; ok {
			// botocore's _needs_s3_sse_customization: a caller who gives
			// the MD5 gives the key encoded too.
			continue
		}
		var raw []byte
		switch k := p[keyName].(type) {
		case string:
			raw = []byte(k)
		case []byte:
			raw = k
		default:
			continue
		}
		sum := md5.Sum(raw)
		p[keyName] = base64.StdEncoding.EncodeToString(raw)
		p[md5Name] = base64.StdEncoding.EncodeToString(sum[:])
	}
	if op.Name != "CopyObject" && op.Name != "UploadPartCopy" {
		return
	}
	switch src := p["CopySource"].(type) {
	case map[string]any:
		bucket, _ := src["Bucket"].(string)
		key, _ := src["Key"].(string)
		v := bucket + "/" + quoteS3(key)
		if ver, ok := src["VersionId"].(string); ok && ver != "" {
			v += "?versionId=" + ver
		}
		p["CopySource"] = v
	case string:
		if path, ver, ok := strings.Cut(src, "?versionId="); ok {
			p["CopySource"] = quoteS3(path) + "?versionId=" + ver
		} else {
			p["CopySource"] = quoteS3(src)
		}
	}
}

// quoteS3 is urllib.parse.quote(s, safe="-._~/"): every other byte of the
// UTF-8 string percent-encoded.
func quoteS3(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("-._~/", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[ch>>4])
		b.WriteByte(hexDigits[ch&15])
	}
	return b.String()
}
