package restxml

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil"
)

// WriteS3Raw writes an S3 answer that no model operation describes (a CORS
// preflight, a browser POST upload): S3's request-id headers (x-amz-request-id
// in S3's format, x-amz-id-2), the headers already set on w, status, and
// body (nil for none; a body is sent as application/xml).
func WriteS3Raw(w http.ResponseWriter, status int, meta protocol.ResponseMeta, body []byte) error {
	h := w.Header()
	if meta.RequestID != "" {
		h.Set("x-amz-request-id", S3RequestID(meta.RequestID))
	}
	if meta.HostID != "" {
		h.Set("x-amz-id-2", meta.HostID)
	}
	if body != nil {
		h.Set("Content-Type", "application/xml")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if len(body) == 0 {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// PostResponse renders the document S3 answers a browser POST upload with
// when the form asks for success_action_status 201:
// <PostResponse><Location/><Bucket/><Key/><ETag/></PostResponse>.
func PostResponse(location, bucket, key, etag string) []byte {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	e := xmlutil.NewEncoder(&buf)
	e.StartTag("PostResponse")
	e.TextElement("Location", location)
	e.TextElement("Bucket", bucket)
	e.TextElement("Key", key)
	e.TextElement("ETag", etag)
	e.EndTag("PostResponse")
	return buf.Bytes()
}
