package route

import (
	"net/http"
	"strings"
)

// Scope is the SigV4 credential of a request:
// "AKID/20240101/us-east-1/sqs/aws4_request".
type Scope struct {
	AccessKeyID string
	Date        string // yyyymmdd
	Region      string
	Service     string // signing name
	Presigned   bool   // from the X-Amz-Credential query parameter
}

// ParseScope reads the credential scope from the Authorization header
// (SigV4, or SigV4a/S3 v2 access key only) or a presigned URL's
// X-Amz-Credential. ok is false for anonymous requests.
func ParseScope(r *http.Request) (s Scope, ok bool) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		if i := strings.Index(auth, "Credential="); i >= 0 {
			cred := auth[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
			return parseCredential(cred)
		}
		// Legacy "AWS AKID:signature" (S3 SigV2).
		if rest, found := strings.CutPrefix(auth, "AWS "); found {
			if j := strings.IndexByte(rest, ':'); j > 0 {
				return Scope{AccessKeyID: rest[:j]}, true
			}
		}
		return Scope{}, false
	}
	q := r.URL.Query()
	if cred := q.Get("X-Amz-Credential"); cred != "" {
		s, ok := parseCredential(cred)
		s.Presigned = true
		return s, ok
	}
	if ak := q.Get("AWSAccessKeyId"); ak != "" { // S3 SigV2 presigned
		return Scope{AccessKeyID: ak, Presigned: true}, true
	}
	return Scope{}, false
}

func parseCredential(cred string) (Scope, bool) {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[0] == "" || parts[4] != "aws4_request" {
		return Scope{}, false
	}
	return Scope{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}, true
}
