package sigv4

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// s3SubResources are the query parameters S3's legacy (SigV2) signing puts
// in the CanonicalizedResource.
var s3SubResources = map[string]bool{
	"acl": true, "accelerate": true, "analytics": true, "cors": true, "delete": true, "encryption": true,
	"inventory": true, "lifecycle": true, "location": true, "logging": true, "metrics": true,
	"notification": true, "partNumber": true, "policy": true, "publicAccessBlock": true,
	"replication": true, "requestPayment": true, "restore": true, "select": true, "select-type": true,
	"tagging": true, "torrent": true, "uploadId": true, "uploads": true, "versionId": true,
	"versioning": true, "versions": true, "website": true, "object-lock": true, "retention": true,
	"legal-hold": true, "ownershipControls": true, "intelligent-tiering": true, "attributes": true,
	"response-cache-control": true, "response-content-disposition": true, "response-content-encoding": true,
	"response-content-language": true, "response-content-type": true, "response-expires": true,
}

// StringToSignV2 builds the S3 legacy (SigV2) string to sign of a request
// addressed path-style (bucket in the path). For a presigned URL, dateOrExpires
// is the Expires parameter; for a header-signed request it is the Date header
// (empty when x-amz-date is sent, which is then part of the amz headers).
func StringToSignV2(req *http.Request, dateOrExpires string) string {
	var b strings.Builder
	b.WriteString(req.Method)
	b.WriteByte('\n')
	b.WriteString(req.Header.Get("Content-MD5"))
	b.WriteByte('\n')
	b.WriteString(req.Header.Get("Content-Type"))
	b.WriteByte('\n')
	b.WriteString(dateOrExpires)
	b.WriteByte('\n')
	var amz []string
	for k := range req.Header {
		if l := strings.ToLower(k); strings.HasPrefix(l, "x-amz-") {
			amz = append(amz, l)
		}
	}
	sort.Strings(amz)
	for _, k := range amz {
		vals, _ := headerValues(req, k)
		b.WriteString(k)
		b.WriteByte(':')
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.TrimSpace(v))
		}
		b.WriteByte('\n')
	}
	b.WriteString(wirePath(req))
	var subs []string
	for _, p := range strings.Split(req.URL.RawQuery, "&") {
		k, v, hasV := strings.Cut(p, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil || !s3SubResources[dk] {
			continue
		}
		if hasV {
			dv, err := url.QueryUnescape(v)
			if err != nil {
				dv = v
			}
			subs = append(subs, dk+"="+dv)
		} else {
			subs = append(subs, dk)
		}
	}
	sort.Strings(subs)
	if len(subs) > 0 {
		b.WriteByte('?')
		b.WriteString(strings.Join(subs, "&"))
	}
	return b.String()
}

// SignatureV2 is base64(HMAC-SHA1(secret, stringToSign)).
func SignatureV2(secret, stringToSign string) string {
	h := hmac.New(sha1.New, []byte(secret))
	h.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

func verifyV2(req *http.Request, a *Auth, lookup func(string) (Credentials, bool), now time.Time, o options) error {
	presigned := a.Scheme == SchemeV2Query
	creds, ok := lookup(a.AccessKeyID)
	if !ok {
		return &Error{Kind: KindUnknownAccessKey, Presigned: presigned, AccessKeyID: a.AccessKeyID}
	}
	var dateLine string
	if presigned {
		if now.After(a.Expires) {
			return &Error{Kind: KindExpired, Presigned: true, AccessKeyID: a.AccessKeyID, ServerTime: now, Expires: a.Expires}
		}
		dateLine = strconv.FormatInt(a.Expires.Unix(), 10)
	} else {
		if a.Time.IsZero() {
			return &Error{Kind: KindMissingDate, AccessKeyID: a.AccessKeyID}
		}
		if d := now.Sub(a.Time); d > o.skew || d < -o.skew {
			return &Error{Kind: KindRequestTimeTooSkewed, AccessKeyID: a.AccessKeyID, RequestTime: a.Time, ServerTime: now}
		}
		if req.Header.Get("X-Amz-Date") == "" {
			dateLine = req.Header.Get("Date")
		}
	}
	sts := StringToSignV2(req, dateLine)
	want := SignatureV2(creds.SecretAccessKey, sts)
	if !hmac.Equal([]byte(want), []byte(a.Signature)) {
		return &Error{Kind: KindSignatureMismatch, Presigned: presigned, AccessKeyID: a.AccessKeyID, SignatureProvided: a.Signature, StringToSign: sts, ServerTime: now}
	}
	return nil
}
