package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Scheme is how a request carries its authentication.
type Scheme int

// Authentication schemes ParseAuthorization recognises.
const (
	SchemeV4Header Scheme = iota + 1 // Authorization: AWS4-HMAC-SHA256 ...
	SchemeV4Query                    // X-Amz-Algorithm=AWS4-HMAC-SHA256&...
	SchemeV2Header                   // Authorization: AWS AKID:signature (S3 legacy)
	SchemeV2Query                    // AWSAccessKeyId=...&Signature=...&Expires=... (S3 legacy)
)

// Auth is the authentication a request carries: its credential scope and
// signature parts, as ParseAuthorization reads them.
type Auth struct {
	Scheme        Scheme
	AccessKeyID   string
	Date          string // scope date, YYYYMMDD (SigV4)
	Region        string // scope region (SigV4)
	Service       string // scope service (SigV4)
	SignedHeaders []string
	Signature     string
	Time          time.Time // X-Amz-Date (or Date); zero when absent or unparsable
	Expires       time.Time // presigned URLs: when they stop being valid
	SecurityToken string
	// PayloadHash is the value signed for the payload, set by Verify
	// (x-amz-content-sha256 or the body's hash).
	PayloadHash string

	signingKey []byte
}

// Presigned reports whether authentication came in the query string.
func (a *Auth) Presigned() bool { return a.Scheme == SchemeV4Query || a.Scheme == SchemeV2Query }

// SigningKey is the derived SigV4 key of a verified request (nil before
// Verify succeeds); chunk signatures of a streaming upload use it.
func (a *Auth) SigningKey() []byte { return a.signingKey }

// ParseAuthorization reads a request's authentication without verifying
// it. A request with none gives an *Error of KindMissingAuthentication.
func ParseAuthorization(req *http.Request) (*Auth, error) {
	if h := req.Header.Get("Authorization"); h != "" {
		return parseHeader(req, h)
	}
	q := req.URL.Query()
	if q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature") {
		return parseQueryV4(q)
	}
	if q.Has("AWSAccessKeyId") {
		a := &Auth{Scheme: SchemeV2Query, AccessKeyID: q.Get("AWSAccessKeyId"), Signature: q.Get("Signature"), SecurityToken: q.Get("x-amz-security-token")}
		if a.AccessKeyID == "" || a.Signature == "" || !q.Has("Expires") {
			return nil, &Error{Kind: KindInvalidPresign, Presigned: true, Detail: "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"}
		}
		secs, err := strconv.ParseInt(q.Get("Expires"), 10, 64)
		if err != nil {
			return nil, &Error{Kind: KindInvalidPresign, Presigned: true, Detail: "Invalid date (should be seconds since epoch): " + q.Get("Expires")}
		}
		a.Expires = time.Unix(secs, 0).UTC()
		return a, nil
	}
	return nil, &Error{Kind: KindMissingAuthentication}
}

func requestTime(req *http.Request) time.Time {
	if v := req.Header.Get("X-Amz-Date"); v != "" {
		if t, err := time.Parse(TimeFormat, v); err == nil {
			return t
		}
		return time.Time{}
	}
	if v := req.Header.Get("Date"); v != "" {
		if t, err := http.ParseTime(v); err == nil {
			return t.UTC()
		}
		for _, layout := range []string{time.RFC1123Z, time.RFC1123} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC()
			}
		}
	}
	return time.Time{}
}

func parseHeader(req *http.Request, h string) (*Auth, error) {
	if rest, ok := strings.CutPrefix(h, "AWS "); ok {
		akid, sig, ok := strings.Cut(rest, ":")
		// Trim before the emptiness check: "AWS  :sig" has no access key.
		akid, sig = strings.TrimSpace(akid), strings.TrimSpace(sig)
		if !ok || akid == "" || sig == "" {
			return nil, &Error{Kind: KindIncompleteSignature, Detail: "the legacy authorization header must be \"AWS AccessKeyId:Signature\""}
		}
		return &Auth{Scheme: SchemeV2Header, AccessKeyID: akid, Signature: sig,
			Time: requestTime(req), SecurityToken: req.Header.Get("X-Amz-Security-Token")}, nil
	}
	alg, rest, _ := strings.Cut(h, " ")
	if alg != Algorithm {
		if alg == AlgorithmV4a {
			return nil, &Error{Kind: KindUnsupportedAlgorithm, Detail: "the authorization mechanism " + alg + " (SigV4a) is not supported"}
		}
		return nil, &Error{Kind: KindUnsupportedAlgorithm, Detail: "the authorization mechanism you have provided is not supported. Please use " + Algorithm + "."}
	}
	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			cred, haveCred = v, true
		case "SignedHeaders":
			signed, haveSigned = v, true
		case "Signature":
			sig, haveSig = v, true
		}
	}
	var missing []string
	if !haveCred {
		missing = append(missing, "Authorization header requires 'Credential' parameter.")
	}
	if !haveSig {
		missing = append(missing, "Authorization header requires 'Signature' parameter.")
	}
	if !haveSigned {
		missing = append(missing, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if len(missing) > 0 {
		return nil, &Error{Kind: KindIncompleteSignature, Detail: strings.Join(missing, " ") + " Authorization=" + h}
	}
	a := &Auth{Scheme: SchemeV4Header, Signature: sig, Time: requestTime(req), SecurityToken: req.Header.Get("X-Amz-Security-Token")}
	if err := a.parseCredential(cred, false); err != nil {
		return nil, err
	}
	if err := a.parseSignedHeaders(signed, false); err != nil {
		return nil, err
	}
	return a, nil
}

func parseQueryV4(q map[string][]string) (*Auth, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if alg := get("X-Amz-Algorithm"); alg != Algorithm {
		return nil, &Error{Kind: KindInvalidPresign, Presigned: true, Detail: "X-Amz-Algorithm only supports \"" + Algorithm + "\""}
	}
	var missing []string
	for _, k := range []string{"X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, &Error{Kind: KindIncompleteSignature, Presigned: true,
			Detail: "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters. Missing: " + strings.Join(missing, ", ")}
	}
	a := &Auth{Scheme: SchemeV4Query, Signature: get("X-Amz-Signature"), SecurityToken: get("X-Amz-Security-Token")}
	if err := a.parseCredential(get("X-Amz-Credential"), true); err != nil {
		return nil, err
	}
	if err := a.parseSignedHeaders(get("X-Amz-SignedHeaders"), true); err != nil {
		return nil, err
	}
	t, err := time.Parse(TimeFormat, get("X-Amz-Date"))
	if err != nil {
		return nil, &Error{Kind: KindInvalidPresign, Presigned: true, Detail: "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""}
	}
	a.Time = t
	if e := get("X-Amz-Expires"); e != "" {
		secs, err := strconv.ParseInt(e, 10, 64)
		switch {
		case err != nil:
			return nil, &Error{Kind: KindInvalidPresign, Presigned: true, Detail: "X-Amz-Expires should be a number"}
		case secs < 0:
			return nil, &Error{Kind: KindInvalidPresign, Presigned: true, Detail: "X-Amz-Expires must be non-negative"}
		case secs > int64(MaxPresignExpires/time.Second):
			return nil, &Error{Kind: KindInvalidPresign, Presigned: true, Detail: "X-Amz-Expires must be less than a week (in seconds) that is 604800"}
		}
		a.Expires = t.Add(time.Duration(secs) * time.Second)
	} else {
		a.Expires = t.Add(MaxPresignExpires)
	}
	return a, nil
}

const credentialShape = `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`

func (a *Auth) parseCredential(cred string, presigned bool) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[2] == "" || parts[3] == "" {
		return &Error{Kind: KindMalformedCredential, Presigned: presigned, Detail: credentialShape}
	}
	if parts[0] == "" {
		return &Error{Kind: KindMalformedCredential, Presigned: presigned, Detail: "a non-empty Access Key (AKID) must be provided in the credential."}
	}
	if _, err := time.Parse(DateFormat, parts[1]); err != nil {
		return &Error{Kind: KindMalformedCredential, Presigned: presigned, AccessKeyID: parts[0],
			Detail: "incorrect date format \"" + parts[1] + "\". This date in the credential must be in the format \"yyyyMMdd\"."}
	}
	a.AccessKeyID, a.Date, a.Region, a.Service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

func (a *Auth) parseSignedHeaders(s string, presigned bool) error {
	if s == "" {
		return &Error{Kind: KindIncompleteSignature, Presigned: presigned, Detail: "SignedHeaders must not be empty."}
	}
	hs := strings.Split(s, ";")
	for i, h := range hs {
		if h == "" || h != strings.ToLower(h) || (i > 0 && hs[i-1] >= h) {
			return &Error{Kind: KindIncompleteSignature, Presigned: presigned,
				Detail: "SignedHeaders must be a sorted, semicolon-separated list of lower-case header names."}
		}
	}
	a.SignedHeaders = hs
	return nil
}

// Verify checks the request's signature (SigV4 header or presigned query,
// and legacy S3 SigV2) with the credentials lookup returns for its access
// key, at the server time now. It returns the parsed authentication, or an
// *Error whose AWS method gives the service's answer.
//
// For a payload signed as a hex SHA-256 in x-amz-content-sha256, req.Body is
// wrapped so that reading it to the end fails with KindContentSHA256Mismatch
// when the body differs; a body is never read ahead. Services without S3
// rules that send no x-amz-content-sha256 have their (small) body read into
// memory to hash it, and put back.
func Verify(req *http.Request, lookup func(accessKeyID string) (Credentials, bool), now time.Time, opts ...Option) (*Auth, error) {
	return defaultSigner.Verify(req, lookup, now, opts...)
}

// Verify is the package-level Verify using this Signer's key cache.
func (s *Signer) Verify(req *http.Request, lookup func(accessKeyID string) (Credentials, bool), now time.Time, opts ...Option) (*Auth, error) {
	o := buildOptions(opts)
	now = now.UTC()
	a, err := ParseAuthorization(req)
	if err != nil {
		return nil, err
	}
	if a.Scheme == SchemeV2Header || a.Scheme == SchemeV2Query {
		return a, verifyV2(req, a, lookup, now, o)
	}
	presigned := a.Scheme == SchemeV4Query
	if o.region != "" && a.Region != o.region {
		return a, &Error{Kind: KindWrongRegion, Presigned: presigned, AccessKeyID: a.AccessKeyID, Region: o.region,
			Detail: fmt.Sprintf("the region '%s' is wrong; expecting '%s'", a.Region, o.region)}
	}
	if o.service != "" && a.Service != o.service {
		return a, &Error{Kind: KindWrongService, Presigned: presigned, AccessKeyID: a.AccessKeyID,
			Detail: fmt.Sprintf("incorrect service \"%s\". This endpoint belongs to \"%s\".", a.Service, o.service)}
	}
	creds, ok := lookup(a.AccessKeyID)
	if !ok {
		return a, &Error{Kind: KindUnknownAccessKey, Presigned: presigned, AccessKeyID: a.AccessKeyID}
	}
	if a.Time.IsZero() {
		return a, &Error{Kind: KindMissingDate, Presigned: presigned, AccessKeyID: a.AccessKeyID,
			Detail: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."}
	}
	if d := a.Time.Format(DateFormat); d != a.Date {
		return a, &Error{Kind: KindSignatureMismatch, Presigned: presigned, AccessKeyID: a.AccessKeyID, RequestTime: a.Time, ServerTime: now,
			Detail: fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.Date, d, a.Time.Format(TimeFormat))}
	}
	if presigned {
		if a.Time.After(now.Add(o.skew)) {
			return a, &Error{Kind: KindNotYetValid, Presigned: true, AccessKeyID: a.AccessKeyID, RequestTime: a.Time, ServerTime: now}
		}
		if now.After(a.Expires) {
			return a, &Error{Kind: KindExpired, Presigned: true, AccessKeyID: a.AccessKeyID, RequestTime: a.Time, ServerTime: now, Expires: a.Expires}
		}
	} else if d := now.Sub(a.Time); d > o.skew || d < -o.skew {
		return a, &Error{Kind: KindRequestTimeTooSkewed, AccessKeyID: a.AccessKeyID, RequestTime: a.Time, ServerTime: now}
	}

	s3 := o.isS3(a.Service)
	var payload string
	var bodyCheck bool
	switch {
	case presigned && s3:
		payload = UnsignedPayload
		if v := req.URL.Query().Get("X-Amz-Content-Sha256"); v != "" {
			payload = v
		}
	case req.Header.Get("X-Amz-Content-Sha256") != "":
		payload = req.Header.Get("X-Amz-Content-Sha256")
		if !validContentSHA256(payload) {
			return a, &Error{Kind: KindInvalidContentSHA256, AccessKeyID: a.AccessKeyID}
		}
		bodyCheck = isHexSHA256(payload)
	case s3:
		return a, &Error{Kind: KindMissingContentSHA256, AccessKeyID: a.AccessKeyID}
	default:
		if payload, err = bodyHash(req); err != nil {
			return a, err
		}
	}
	a.PayloadHash = payload

	query := req.URL.RawQuery
	skip := ""
	if presigned {
		skip = "X-Amz-Signature"
	}
	res := s.compute(req, creds.SecretAccessKey, a.Service, a.Region, a.Time, canonicalURI(wirePath(req), s3), canonicalQuery(query, skip), a.SignedHeaders, payload)
	if !hmac.Equal([]byte(res.Signature), []byte(strings.ToLower(a.Signature))) {
		return a, &Error{Kind: KindSignatureMismatch, Presigned: presigned, AccessKeyID: a.AccessKeyID, SignatureProvided: a.Signature,
			StringToSign: res.StringToSign, CanonicalRequest: res.CanonicalRequest, RequestTime: a.Time, ServerTime: now}
	}
	a.signingKey = res.SigningKey
	if bodyCheck && req.Body != nil && req.Body != http.NoBody {
		req.Body = &hashCheckReader{rc: req.Body, h: sha256.New(), want: payload}
	} else if bodyCheck && payload != EmptyPayloadHash {
		return a, &Error{Kind: KindContentSHA256Mismatch, AccessKeyID: a.AccessKeyID}
	}
	return a, nil
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if _, ok := unhex(s[i]); !ok {
			return false
		}
	}
	return true
}

func validContentSHA256(s string) bool {
	switch s {
	case UnsignedPayload, StreamingSignedPayload, StreamingSignedPayloadTrailer, StreamingUnsignedPayloadTrailer:
		return true
	}
	return isHexSHA256(s)
}

// hashCheckReader passes a body through and, at EOF, fails when it did not
// hash to the signed x-amz-content-sha256.
type hashCheckReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	want string
	err  error
}

func (r *hashCheckReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.rc.Read(p)
	r.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(r.h.Sum(nil)); !strings.EqualFold(got, r.want) {
			r.err = &Error{Kind: KindContentSHA256Mismatch, Detail: "computed " + got + ", header says " + r.want}
			return n, r.err
		}
	}
	return n, err
}

func (r *hashCheckReader) Close() error { return r.rc.Close() }
