package route

import (
	"net/http"

	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// Scope is the SigV4 credential of a request:
// "AKID/20240101/us-east-1/sqs/aws4_request".
type Scope struct {
	AccessKeyID string
	Date        string // yyyymmdd
	Region      string
	Service     string // signing name
	Presigned   bool   // from the query string (X-Amz-Credential or AWSAccessKeyId)
	// Auth is the parsed authentication (nil for anonymous or malformed
	// requests); Err is why it could not be parsed (nil when it was, or
	// when the request carries no authentication at all).
	Auth *sigv4.Auth
	Err  error
}

// ParseScope reads the credential scope of a request with
// sigv4.ParseAuthorization: SigV4 Authorization header or presigned query,
// S3's legacy SigV2 header or query (access key only). ok is false for
// anonymous requests and for malformed authentication (Scope.Err says why).
func ParseScope(r *http.Request) (s Scope, ok bool) {
	a, err := sigv4.ParseAuthorization(r)
	if err != nil {
		if se, isSig := err.(*sigv4.Error); isSig && se.Kind == sigv4.KindMissingAuthentication {
			return Scope{}, false
		}
		return Scope{Err: err}, false
	}
	return Scope{AccessKeyID: a.AccessKeyID, Date: a.Date, Region: a.Region, Service: a.Service,
		Presigned: a.Presigned(), Auth: a}, true
}
