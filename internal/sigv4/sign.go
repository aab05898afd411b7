package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Algorithm names and the special x-amz-content-sha256 values.
const (
	Algorithm    = "AWS4-HMAC-SHA256"
	AlgorithmV4a = "AWS4-ECDSA-P256-SHA256"

	UnsignedPayload                 = "UNSIGNED-PAYLOAD"
	StreamingSignedPayload          = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingSignedPayloadTrailer   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"

	// EmptyPayloadHash is the hex SHA-256 of an empty body.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

	// TimeFormat is the ISO 8601 basic format of X-Amz-Date.
	TimeFormat = "20060102T150405Z"
	// DateFormat is the date of a credential scope.
	DateFormat = "20060102"

	// MaxPresignExpires is the longest X-Amz-Expires AWS accepts (7 days).
	MaxPresignExpires = 7 * 24 * time.Hour
	// MaxSkew is how far a request's time may be from the server's.
	MaxSkew = 15 * time.Minute
)

// Credentials are the AWS credentials a request is signed with.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// IsS3Service reports whether a signing name follows S3's signing rules
// (path neither normalised nor double-encoded, x-amz-content-sha256 sent):
// botocore's "s3v4" signature version.
func IsS3Service(service string) bool {
	switch service {
	case "s3", "s3-object-lambda", "s3-outposts", "s3express":
		return true
	}
	return false
}

// Option tunes signing, presigning and verification.
type Option func(*options)

type options struct {
	s3            *bool
	payloadHash   string
	contentHeader bool
	tokenAfter    bool
	skew          time.Duration
	region        string
	service       string
}

func buildOptions(opts []Option) options {
	o := options{skew: MaxSkew}
	for _, f := range opts {
		f(&o)
	}
	return o
}

func (o *options) isS3(service string) bool {
	if o.s3 != nil {
		return *o.s3
	}
	return IsS3Service(service)
}

// S3Rules forces S3's path rules on (or off) whatever the service name;
// without it they follow IsS3Service.
func S3Rules(on bool) Option { return func(o *options) { o.s3 = &on } }

// PayloadHash signs the payload as the given value instead of hashing the
// body: a precomputed hex SHA-256, UnsignedPayload or a STREAMING-* value.
func PayloadHash(h string) Option { return func(o *options) { o.payloadHash = h } }

// WithUnsignedPayload is PayloadHash(UnsignedPayload).
func WithUnsignedPayload() Option { return PayloadHash(UnsignedPayload) }

// ContentSHA256Header sends X-Amz-Content-Sha256 even for services that do
// not require it (S3 always gets it).
func ContentSHA256Header() Option { return func(o *options) { o.contentHeader = true } }

// SecurityTokenAfterSigning adds X-Amz-Security-Token after the signature is
// computed, leaving it unsigned, as a few services expect.
func SecurityTokenAfterSigning() Option { return func(o *options) { o.tokenAfter = true } }

// AllowedSkew changes the 15 minutes a request's time may differ from the
// verifier's clock.
func AllowedSkew(d time.Duration) Option { return func(o *options) { o.skew = d } }

// ExpectRegion makes Verify reject a credential scope naming another region
// (S3's AuthorizationHeaderMalformed "the region 'x' is wrong").
func ExpectRegion(region string) Option { return func(o *options) { o.region = region } }

// ExpectService makes Verify reject a credential scope naming another
// signing service.
func ExpectService(service string) Option { return func(o *options) { o.service = service } }

// Signer signs requests and caches signing keys per secret, day, region and
// service. The zero value is ready to use and safe for concurrent use.
type Signer struct {
	mu   sync.Mutex
	keys map[keyID][]byte
}

type keyID struct{ secret, date, region, service string }

const maxCachedKeys = 512

var defaultSigner Signer

// SigningKey derives (and caches) the SigV4 signing key:
// HMAC chain over "AWS4"+secret, date, region, service, "aws4_request".
func (s *Signer) SigningKey(secret, date, region, service string) []byte {
	id := keyID{secret, date, region, service}
	s.mu.Lock()
	k, ok := s.keys[id]
	s.mu.Unlock()
	if ok {
		return k
	}
	k = deriveKey(secret, date, region, service)
	s.mu.Lock()
	if s.keys == nil || len(s.keys) >= maxCachedKeys {
		s.keys = make(map[keyID][]byte)
	}
	s.keys[id] = k
	s.mu.Unlock()
	return k
}

func deriveKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	io.WriteString(h, data)
	return h.Sum(nil)
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Scope is the credential scope string date/region/service/aws4_request.
func Scope(date, region, service string) string {
	return date + "/" + region + "/" + service + "/aws4_request"
}

// StringToSign builds the SigV4 string to sign of a canonical request.
func StringToSign(t time.Time, scope, canonicalRequest string) string {
	return Algorithm + "\n" + t.UTC().Format(TimeFormat) + "\n" + scope + "\n" + hashHex(canonicalRequest)
}

// Result describes a signature just computed, for tests and for streaming
// uploads, whose chunk signatures chain from the seed Signature.
type Result struct {
	CanonicalRequest string
	StringToSign     string
	Signature        string
	SignedHeaders    []string
	SigningKey       []byte
	Time             time.Time
	Scope            string
}

// ErrExpiresTooLong is returned by Presign for more than seven days.
var ErrExpiresTooLong = errors.New("sigv4: presign expiry must be at most 7 days (604800 seconds)")

// Sign signs req with the package's shared Signer.
func Sign(req *http.Request, creds Credentials, service, region string, t time.Time, opts ...Option) (*Result, error) {
	return defaultSigner.Sign(req, creds, service, region, t, opts...)
}

// Presign presigns req with the package's shared Signer.
func Presign(req *http.Request, creds Credentials, service, region string, t time.Time, expires time.Duration, opts ...Option) (string, error) {
	return defaultSigner.Presign(req, creds, service, region, t, expires, opts...)
}

// Sign adds X-Amz-Date, X-Amz-Security-Token (when creds has a session
// token), X-Amz-Content-Sha256 (S3 rules, or ContentSHA256Header) and the
// Authorization header to req. The payload is hashed from req.GetBody when
// set, else req.Body is read and replaced, unless PayloadHash says otherwise
// or the request already carries X-Amz-Content-Sha256.
func (s *Signer) Sign(req *http.Request, creds Credentials, service, region string, t time.Time, opts ...Option) (*Result, error) {
	o := buildOptions(opts)
	s3 := o.isS3(service)
	t = t.UTC()
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header.Del("Authorization")
	req.Header.Set("X-Amz-Date", t.Format(TimeFormat))
	req.Header.Del("X-Amz-Security-Token")
	if creds.SessionToken != "" && !o.tokenAfter {
		req.Header.Set("X-Amz-Security-Token", creds.SessionToken)
	}
	payload := o.payloadHash
	if payload == "" {
		payload = req.Header.Get("X-Amz-Content-Sha256")
	}
	if payload == "" {
		var err error
		if payload, err = bodyHash(req); err != nil {
			return nil, err
		}
	}
	if s3 || o.contentHeader {
		req.Header.Set("X-Amz-Content-Sha256", payload)
	}
	res := s.compute(req, creds.SecretAccessKey, service, region, t, canonicalURI(wirePath(req), s3), canonicalQuery(req.URL.RawQuery, ""), headersToSign(req), payload)
	req.Header.Set("Authorization", Algorithm+" Credential="+creds.AccessKeyID+"/"+res.Scope+
		", SignedHeaders="+strings.Join(res.SignedHeaders, ";")+", Signature="+res.Signature)
	if creds.SessionToken != "" && o.tokenAfter {
		req.Header.Set("X-Amz-Security-Token", creds.SessionToken)
	}
	return res, nil
}

func (s *Signer) compute(req *http.Request, secret, service, region string, t time.Time, path, query string, signed []string, payload string) *Result {
	date := t.Format(DateFormat)
	scope := Scope(date, region, service)
	creq := canonicalRequest(req, path, query, signed, payload)
	sts := StringToSign(t, scope, creq)
	key := s.SigningKey(secret, date, region, service)
	sig := hex.EncodeToString(hmacSHA256(key, sts))
	return &Result{CanonicalRequest: creq, StringToSign: sts, Signature: sig, SignedHeaders: signed, SigningKey: key, Time: t, Scope: scope}
}

// Presign adds query-string authentication to req.URL (X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
// X-Amz-Security-Token, X-Amz-Signature) and returns the URL. S3 presigns
// sign UNSIGNED-PAYLOAD; other services the hash of the body (usually empty).
// Headers present on req are signed and must be sent with the URL.
func (s *Signer) Presign(req *http.Request, creds Credentials, service, region string, t time.Time, expires time.Duration, opts ...Option) (string, error) {
	if expires > MaxPresignExpires {
		return "", ErrExpiresTooLong
	}
	if expires < time.Second {
		return "", fmt.Errorf("sigv4: presign expiry must be at least one second, got %v", expires)
	}
	o := buildOptions(opts)
	s3 := o.isS3(service)
	t = t.UTC()
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	payload := o.payloadHash
	if payload == "" {
		if s3 {
			payload = UnsignedPayload
		} else {
			var err error
			if payload, err = bodyHash(req); err != nil {
				return "", err
			}
		}
	}
	signed := headersToSign(req)
	date := t.Format(DateFormat)
	q := req.URL.Query()
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-") && isAuthParam(k) {
			q.Del(k)
		}
	}
	q.Set("X-Amz-Algorithm", Algorithm)
	q.Set("X-Amz-Credential", creds.AccessKeyID+"/"+Scope(date, region, service))
	q.Set("X-Amz-Date", t.Format(TimeFormat))
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10))
	q.Set("X-Amz-SignedHeaders", strings.Join(signed, ";"))
	if creds.SessionToken != "" {
		q.Set("X-Amz-Security-Token", creds.SessionToken)
	}
	raw := strings.ReplaceAll(q.Encode(), "+", "%20")
	req.URL.RawQuery = raw
	res := s.compute(req, creds.SecretAccessKey, service, region, t, canonicalURI(wirePath(req), s3), canonicalQuery(raw, ""), signed, payload)
	req.URL.RawQuery = raw + "&X-Amz-Signature=" + res.Signature
	return req.URL.String(), nil
}

func isAuthParam(k string) bool {
	switch strings.ToLower(k) {
	case "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires",
		"x-amz-signedheaders", "x-amz-signature", "x-amz-security-token":
		return true
	}
	return false
}

// bodyHash hashes the request body without consuming it: through GetBody
// when the request has one, else by reading Body into memory and putting
// it back.
func bodyHash(req *http.Request) (string, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return EmptyPayloadHash, nil
	}
	h := sha256.New()
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return "", fmt.Errorf("sigv4: reading body to hash it: %w", err)
		}
		_, err = io.Copy(h, rc)
		rc.Close()
		if err != nil {
			return "", fmt.Errorf("sigv4: reading body to hash it: %w", err)
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return "", fmt.Errorf("sigv4: reading body to hash it: %w", err)
	}
	h.Write(data)
	req.Body = io.NopCloser(bytes.NewReader(data))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return hex.EncodeToString(h.Sum(nil)), nil
}
