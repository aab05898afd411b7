package sigv4

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

const upperhex = "0123456789ABCDEF"

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// uriEncode appends s encoded as AWS's UriEncode does: every byte except the
// unreserved characters becomes %XX (upper-case hex); '/' is kept when
// keepSlash is set (paths) and encoded otherwise (query keys and values).
func uriEncode(b *strings.Builder, s string, keepSlash bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (keepSlash && c == '/') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperhex[c>>4])
		b.WriteByte(upperhex[c&15])
	}
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// s3CanonicalPath is the canonical URI of an S3 request: the path as sent,
// neither normalised nor double-encoded. Percent escapes are re-spelled the
// way AWS's UriEncode spells them (unreserved characters plain, everything
// else upper-case %XX), so a client that escapes '~' or writes lower-case hex
// still verifies; an escaped '/' (%2F) stays escaped because it is part of a
// key, not a separator.
func s3CanonicalPath(p string) string {
	if p == "" {
		return "/"
	}
	var b strings.Builder
	b.Grow(len(p) + 8)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '%' && i+2 < len(p) {
			h, ok1 := unhex(p[i+1])
			l, ok2 := unhex(p[i+2])
			if ok1 && ok2 {
				d := h<<4 | l
				if isUnreserved(d) {
					b.WriteByte(d)
				} else {
					b.WriteByte('%')
					b.WriteByte(upperhex[d>>4])
					b.WriteByte(upperhex[d&15])
				}
				i += 2
				continue
			}
		}
		if isUnreserved(c) || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperhex[c>>4])
		b.WriteByte(upperhex[c&15])
	}
	return b.String()
}

// normalizePath removes "." and ".." segments and empty segments (RFC 3986
// dot-segment removal plus AWS's collapsing of repeated slashes), keeping a
// trailing slash.
func normalizePath(p string) string {
	if p == "" || p == "/" {
		return "/"
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	r := "/" + strings.Join(out, "/")
	if len(out) > 0 && strings.HasSuffix(p, "/") {
		r += "/"
	}
	return r
}

// canonicalURI applies the service's path rules to the path as sent on the
// wire. Every service but S3 normalises the path and URI-encodes it again,
// so an escape such as %20 becomes %2520 ("double encoding").
func canonicalURI(wire string, s3 bool) string {
	if s3 {
		return s3CanonicalPath(wire)
	}
	n := normalizePath(wire)
	var b strings.Builder
	b.Grow(len(n) + 8)
	uriEncode(&b, n, true)
	return b.String()
}

// wirePath is the request path exactly as it is (or was) sent: URL.Opaque
// when a client uses it to control escaping, the raw request target on a
// server, and the escaped path otherwise.
func wirePath(r *http.Request) string {
	if o := r.URL.Opaque; o != "" {
		// With a scheme, an Opaque of "//host/path" carries the host too
		// (net/url's RequestURI convention).
		if r.URL.Scheme != "" && strings.HasPrefix(o, "//") {
			if i := strings.IndexByte(o[2:], '/'); i >= 0 {
				return o[2+i:]
			}
			return "/"
		}
		return o
	}
	if u := r.RequestURI; u != "" && u[0] == '/' {
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		return u
	}
	if p := r.URL.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

type queryPair struct{ k, v string }

// canonicalQuery sorts and re-encodes a raw query string. Keys and values are
// decoded first ('+' is a space, as in form encoding) and then encoded with
// UriEncode, so %20 and + both sign as %20. skip names a parameter left out
// (X-Amz-Signature when verifying a presigned URL).
func canonicalQuery(raw, skip string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	pairs := make([]queryPair, 0, len(parts))
	for _, p := range parts {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			dk = k
		}
		if skip != "" && dk == skip {
			continue
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			dv = v
		}
		var eb strings.Builder
		uriEncode(&eb, dk, false)
		ek := eb.String()
		eb.Reset()
		uriEncode(&eb, dv, false)
		pairs = append(pairs, queryPair{ek, eb.String()})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// canonicalHeaderValue trims a header value and collapses every run of
// whitespace (including folded continuation lines) into one space.
func canonicalHeaderValue(v string) string {
	return strings.Join(strings.Fields(v), " ")
}

// headerValues returns the values of a header as received, including the
// fields Go keeps outside Request.Header.
func headerValues(r *http.Request, lname string) ([]string, bool) {
	switch lname {
	case "host":
		h := r.Host
		if h == "" && r.URL != nil {
			h = r.URL.Host
		}
		return []string{h}, true
	case "content-length":
		if v, ok := r.Header[http.CanonicalHeaderKey(lname)]; ok {
			return v, true
		}
		if r.ContentLength > 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}, true
		}
		return nil, false
	case "transfer-encoding":
		if v, ok := r.Header["Transfer-Encoding"]; ok {
			return v, true
		}
		if len(r.TransferEncoding) > 0 {
			return []string{strings.Join(r.TransferEncoding, ",")}, true
		}
		return nil, false
	}
	if v, ok := r.Header[http.CanonicalHeaderKey(lname)]; ok {
		return v, true
	}
	// Header maps built by hand may hold non-canonical keys.
	var out []string
	for k, v := range r.Header {
		if strings.EqualFold(k, lname) {
			out = append(out, v...)
		}
	}
	return out, out != nil
}

// ignoredHeaders are never signed: they are rewritten by proxies and
// transports (botocore and the Go SDK leave out the same ones).
var ignoredHeaders = map[string]bool{
	"authorization":       true,
	"user-agent":          true,
	"x-amzn-trace-id":     true,
	"expect":              true,
	"connection":          true,
	"transfer-encoding":   true,
	"keep-alive":          true,
	"te":                  true,
	"upgrade":             true,
	"proxy-connection":    true,
	"proxy-authorization": true,
}

// headersToSign lists, lower-cased and sorted, host and every header present
// on the request that is not in ignoredHeaders.
func headersToSign(r *http.Request) []string {
	names := []string{"host"}
	seen := map[string]bool{"host": true}
	for k := range r.Header {
		l := strings.ToLower(k)
		if seen[l] || ignoredHeaders[l] {
			continue
		}
		seen[l] = true
		names = append(names, l)
	}
	sort.Strings(names)
	return names
}

// writeCanonicalHeaders writes "name:value\n" for each signed header; values
// of a repeated header are joined with ",".
func writeCanonicalHeaders(b *strings.Builder, r *http.Request, signed []string) {
	for _, name := range signed {
		vals, _ := headerValues(r, name)
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(canonicalHeaderValue(v))
		}
		b.WriteByte('\n')
	}
}

// canonicalRequest builds the canonical request string.
func canonicalRequest(r *http.Request, path, query string, signed []string, payloadHash string) string {
	var b strings.Builder
	b.Grow(256 + len(path) + len(query))
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	writeCanonicalHeaders(&b, r, signed)
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}
