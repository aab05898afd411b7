package sigv4

import (
	"fmt"
	"net/http"
	"time"
)

// Kind classifies an authentication failure.
type Kind int

// The kinds of authentication failure Verify and the chunked reader report.
const (
	// KindMissingAuthentication: no Authorization header and no presigned query.
	KindMissingAuthentication Kind = iota + 1
	// KindIncompleteSignature: the Authorization header or presigned query is
	// malformed or lacks a part (Credential, SignedHeaders, Signature).
	KindIncompleteSignature
	// KindMalformedCredential: Credential is not AKID/date/region/service/aws4_request.
	KindMalformedCredential
	// KindWrongRegion: the scope names another region than ExpectRegion.
	KindWrongRegion
	// KindWrongService: the scope names another service than ExpectService.
	KindWrongService
	// KindUnknownAccessKey: the lookup does not know the access key.
	KindUnknownAccessKey
	// KindSignatureMismatch: the signature does not match.
	KindSignatureMismatch
	// KindRequestTimeTooSkewed: the request time is more than 15 minutes
	// away from the server's clock.
	KindRequestTimeTooSkewed
	// KindExpired: a presigned URL is past X-Amz-Expires.
	KindExpired
	// KindNotYetValid: a presigned URL dated in the future.
	KindNotYetValid
	// KindInvalidPresign: invalid presigned-query parameters (X-Amz-Expires
	// over a week or not a number, wrong algorithm).
	KindInvalidPresign
	// KindMissingDate: neither X-Amz-Date nor Date.
	KindMissingDate
	// KindMissingContentSHA256: an S3 request signed in the header without
	// x-amz-content-sha256.
	KindMissingContentSHA256
	// KindInvalidContentSHA256: x-amz-content-sha256 is neither a hex SHA-256
	// nor one of the special values.
	KindInvalidContentSHA256
	// KindContentSHA256Mismatch: the body does not hash to x-amz-content-sha256.
	KindContentSHA256Mismatch
	// KindUnsupportedAlgorithm: SigV4a or an unknown algorithm.
	KindUnsupportedAlgorithm
)

var kindNames = map[Kind]string{
	KindMissingAuthentication: "MissingAuthentication",
	KindIncompleteSignature:   "IncompleteSignature",
	KindMalformedCredential:   "MalformedCredential",
	KindWrongRegion:           "WrongRegion",
	KindWrongService:          "WrongService",
	KindUnknownAccessKey:      "UnknownAccessKey",
	KindSignatureMismatch:     "SignatureMismatch",
	KindRequestTimeTooSkewed:  "RequestTimeTooSkewed",
	KindExpired:               "Expired",
	KindNotYetValid:           "NotYetValid",
	KindInvalidPresign:        "InvalidPresign",
	KindMissingDate:           "MissingDate",
	KindMissingContentSHA256:  "MissingContentSHA256",
	KindInvalidContentSHA256:  "InvalidContentSHA256",
	KindContentSHA256Mismatch: "ContentSHA256Mismatch",
	KindUnsupportedAlgorithm:  "UnsupportedAlgorithm",
}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Flavor selects how a service spells authentication errors.
type Flavor int

const (
	// FlavorS3: rest-xml S3 style (AccessDenied, InvalidAccessKeyId, ...).
	FlavorS3 Flavor = iota
	// FlavorQuery: query/ec2/rest-xml services (InvalidClientTokenId, 403s).
	FlavorQuery
	// FlavorJSON: json/rest-json services (UnrecognizedClientException,
	// InvalidSignatureException, 400s).
	FlavorJSON
)

// Error is an authentication failure. Fields beyond Kind and Detail are
// filled when they apply; S3 echoes StringToSign and CanonicalRequest in its
// SignatureDoesNotMatch body.
type Error struct {
	Kind   Kind
	Detail string // AWS's wording of the specific problem, when it has one

	AccessKeyID       string
	SignatureProvided string
	StringToSign      string
	CanonicalRequest  string
	RequestTime       time.Time // X-Amz-Date (or Date)
	ServerTime        time.Time
	Expires           time.Time // presigned URLs
	Region            string    // the region the server expected
	Presigned         bool
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return "sigv4: " + e.Kind.String() + ": " + e.Detail
	}
	return "sigv4: " + e.Kind.String()
}

const (
	msgSigS3     = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	msgSigOther  = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgBadToken  = "The security token included in the request is invalid."
	msgMissingTk = "Request is missing Authentication Token"
)

// AWS returns the error code, HTTP status and message a service of the
// given flavour answers this failure with.
func (e *Error) AWS(f Flavor) (code string, status int, message string) {
	if f == FlavorS3 {
		return e.s3()
	}
	json := f == FlavorJSON
	pick := func(query, js string) string {
		if json {
			return js
		}
		return query
	}
	st := func(query, js int) int {
		if json {
			return js
		}
		return query
	}
	switch e.Kind {
	case KindMissingAuthentication:
		return pick("MissingAuthenticationToken", "MissingAuthenticationTokenException"), st(http.StatusForbidden, http.StatusBadRequest), msgMissingTk
	case KindUnknownAccessKey:
		return pick("InvalidClientTokenId", "UnrecognizedClientException"), st(http.StatusForbidden, http.StatusBadRequest), msgBadToken
	case KindSignatureMismatch, KindContentSHA256Mismatch:
		return pick("SignatureDoesNotMatch", "InvalidSignatureException"), st(http.StatusForbidden, http.StatusBadRequest), e.orDetail(msgSigOther)
	case KindRequestTimeTooSkewed, KindExpired, KindNotYetValid:
		// Non-S3 services answer a stale signature with "Signature expired".
		return pick("SignatureDoesNotMatch", "InvalidSignatureException"), st(http.StatusForbidden, http.StatusBadRequest), e.signatureExpired()
	case KindWrongRegion, KindWrongService:
		return pick("SignatureDoesNotMatch", "InvalidSignatureException"), st(http.StatusForbidden, http.StatusBadRequest), e.Detail
	default:
		return pick("IncompleteSignature", "IncompleteSignatureException"), http.StatusBadRequest, e.Detail
	}
}

func (e *Error) orDetail(def string) string {
	if e.Detail != "" {
		return e.Detail
	}
	return def
}

func (e *Error) signatureExpired() string {
	if e.Kind == KindExpired && !e.Expires.IsZero() {
		return fmt.Sprintf("Signature expired: %s is now earlier than %s.", e.Expires.UTC().Format(TimeFormat), e.ServerTime.UTC().Format(TimeFormat))
	}
	if e.RequestTime.IsZero() {
		return "Signature expired."
	}
	if e.RequestTime.After(e.ServerTime) {
		return fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)",
			e.RequestTime.UTC().Format(TimeFormat), e.ServerTime.Add(MaxSkew).UTC().Format(TimeFormat), e.ServerTime.UTC().Format(TimeFormat))
	}
	return fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
		e.RequestTime.UTC().Format(TimeFormat), e.ServerTime.Add(-MaxSkew).UTC().Format(TimeFormat), e.ServerTime.UTC().Format(TimeFormat))
}

func (e *Error) s3() (string, int, string) {
	switch e.Kind {
	case KindMissingAuthentication:
		return "AccessDenied", http.StatusForbidden, "Access Denied"
	case KindUnknownAccessKey:
		return "InvalidAccessKeyId", http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records."
	case KindSignatureMismatch:
		return "SignatureDoesNotMatch", http.StatusForbidden, msgSigS3
	case KindRequestTimeTooSkewed:
		return "RequestTimeTooSkewed", http.StatusForbidden, "The difference between the request time and the current time is too large."
	case KindExpired:
		return "AccessDenied", http.StatusForbidden, "Request has expired"
	case KindNotYetValid:
		return "AccessDenied", http.StatusForbidden, "Request is not valid yet"
	case KindMissingDate:
		return "AccessDenied", http.StatusForbidden, "AWS authentication requires a valid Date or x-amz-date header"
	case KindMissingContentSHA256:
		return "InvalidRequest", http.StatusBadRequest, "Missing required header for this request: x-amz-content-sha256"
	case KindInvalidContentSHA256:
		return "InvalidArgument", http.StatusBadRequest, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value."
	case KindContentSHA256Mismatch:
		return "XAmzContentSHA256Mismatch", http.StatusBadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed."
	case KindInvalidPresign:
		return "AuthorizationQueryParametersError", http.StatusBadRequest, e.Detail
	}
	// Malformed header, credential, region, service or algorithm.
	if e.Presigned {
		return "AuthorizationQueryParametersError", http.StatusBadRequest, e.Detail
	}
	return "AuthorizationHeaderMalformed", http.StatusBadRequest, "The authorization header is malformed; " + e.Detail
}
