package rest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// Member locations, as the location trait names them.
const (
	LocURI         = "uri"
	LocQuery       = "querystring"
	LocHeader      = "header"
	LocHeaders     = "headers"
	LocStatusCode  = "statusCode"
	defaultHeader  = protocol.RFC822
	defaultURI     = protocol.ISO8601
	defaultQueryTS = protocol.ISO8601
)

// Payload returns the payload member of a structure (the "payload" trait),
// or "" and nil when the body is the structure's unbound members.
func Payload(sh *model.Shape) (string, *model.ShapeRef) {
	if sh == nil || sh.Payload == "" {
		return "", nil
	}
	ref, ok := sh.Members[sh.Payload]
	if !ok {
		return "", nil
	}
	return sh.Payload, ref
}

// BodyMembers returns, in model order, the members of sh that are not bound
// to the URI, query string, headers or status code.
func BodyMembers(sh *model.Shape) []string {
	if sh == nil {
		return nil
	}
	var out []string
	for _, n := range sh.MemberNames {
		if sh.Members[n].Location == "" {
			out = append(out, n)
		}
	}
	return out
}

// IsStreaming reports whether ref is a streaming blob payload.
func IsStreaming(ref *model.ShapeRef) bool {
	return ref != nil && ref.Shape != nil && (ref.Streaming || ref.Shape.Streaming)
}

// HostPrefix expands op's endpoint trait hostPrefix ("{Bucket}.", "data.")
// with the hostLabel members of params. It returns "" when op has none.
func HostPrefix(op *model.Operation, params map[string]any) (string, error) {
	if op.Endpoint == nil || op.Endpoint.HostPrefix == "" {
		return "", nil
	}
	p := op.Endpoint.HostPrefix
	var b strings.Builder
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			b.WriteString(p)
			break
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("hostPrefix %q: unterminated label", op.Endpoint.HostPrefix)
		}
		b.WriteString(p[:i])
		name := p[i+1 : i+j]
		v, _ := params[name].(string)
		if v == "" || !validHostLabel(v) {
			return "", fmt.Errorf("host label %s: %q is not a valid host label", name, v)
		}
		b.WriteString(v)
		p = p[i+j+1:]
	}
	return b.String(), nil
}

func validHostLabel(s string) bool {
	if len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return s[0] != '-' && s[len(s)-1] != '-'
}

// BuildRequest builds the request for op without its body: method, URL
// (endpoint base path + expanded requestUri + query), header members and
// host prefix. params must be canonical values (see protocol.Normalize).
func BuildRequest(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any) (*http.Request, error) {
	method := op.HTTP.Method
	if method == "" {
		method = http.MethodPost
	}
	tmpl := op.HTTP.RequestURI
	if tmpl == "" {
		tmpl = "/"
	}
	tpath, tquery, _ := strings.Cut(tmpl, "?")
	var sh *model.Shape
	if op.Input != nil {
		sh = op.Input.Shape
	}
	labels := map[string]string{}
	var q queryBuilder
	if tquery != "" {
		for _, kv := range strings.Split(tquery, "&") {
			k, v, hasEq := strings.Cut(kv, "=")
			q.add(k, v, hasEq)
		}
	}
	hdr := http.Header{}
	if sh != nil {
		var mapMembers []string
		for _, name := range sh.MemberNames {
			ref := sh.Members[name]
			v, ok := params[name]
			if !ok || v == nil {
				continue
			}
			loc := locName(ref, name)
			switch ref.Location {
			case LocURI:
				s, err := FormatScalar(ref, v, defaultURI)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				labels[loc] = s
			case LocQuery:
				if ref.Shape.Type == "map" {
					mapMembers = append(mapMembers, name)
					continue
				}
				if err := q.member(ref, loc, v); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
			case LocHeader:
				if l, ok := v.([]any); ok && len(l) == 0 {
					continue // botocore sends no header for an empty list
				}
				s, err := formatHeader(ref, v)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				hdr.Set(loc, s)
			case LocHeaders:
				m, ok := v.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("%s: %T is not a map", name, v)
				}
				for _, k := range sortedKeys(m) {
					s, err := FormatScalar(ref.Shape.Value, m[k], defaultHeader)
					if err != nil {
						return nil, fmt.Errorf("%s.%s: %w", name, k, err)
					}
					hdr.Set(ref.LocationName+k, s)
				}
			}
		}
		// Named parameters win over free-form map keys of the same name.
		for _, name := range mapMembers {
			ref := sh.Members[name]
			m, ok := params[name].(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s: %T is not a map", name, params[name])
			}
			for _, k := range sortedKeys(m) {
				if q.has(k) {
					continue
				}
				if err := q.member(ref.Shape.Value, k, m[k]); err != nil {
					return nil, fmt.Errorf("%s.%s: %w", name, k, err)
				}
			}
		}
	}
	path, err := expandPath(tpath, labels)
	if err != nil {
		return nil, err
	}
	u := *endpoint
	base := strings.TrimRight(u.EscapedPath(), "/")
	raw := base + path
	u.Path, err = url.PathUnescape(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint path: %w", err)
	}
	u.RawPath = raw
	u.RawQuery = q.encode()
	u.Fragment, u.RawFragment = "", ""
	prefix, err := HostPrefix(op, params)
	if err != nil {
		return nil, err
	}
	u.Host = prefix + u.Host
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	return req, nil
}

// headerKeys caches each header member's canonical header key
// (*model.ShapeRef -> string): http.CanonicalHeaderKey allocates for every
// location name not already canonical ("x-amz-meta-..." , "ETag").
var headerKeys sync.Map

// headerKey is http.CanonicalHeaderKey(locName(ref, name)), cached per ref.
func headerKey(ref *model.ShapeRef, name string) string {
	if k, ok := headerKeys.Load(ref); ok {
		if e := k.(headerKeyEntry); e.name == name {
			return e.key
		}
	}
	k := http.CanonicalHeaderKey(locName(ref, name))
	headerKeys.Store(ref, headerKeyEntry{name: name, key: k})
	return k
}

type headerKeyEntry struct{ name, key string }

// mayHavePrefix is a cheap filter before strings.ToLower(k) for a
// lower-case prefix: false only when k is ASCII and its first bytes differ
// from prefix other than by case (then ToLower(k) cannot start with prefix).
func mayHavePrefix(k, prefix string) bool {
	for i := 0; i < len(k); i++ {
		if k[i] >= 0x80 {
			return true // non-ASCII: let strings.ToLower decide
		}
	}
	if len(k) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := k[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

func locName(ref *model.ShapeRef, name string) string {
	if ref.LocationName != "" {
		return ref.LocationName
	}
	return name
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// expandPath fills the labels of a requestUri path template.
func expandPath(tpath string, labels map[string]string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(tpath, '{')
		if i < 0 {
			b.WriteString(tpath)
			return b.String(), nil
		}
		j := strings.IndexByte(tpath[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("requestUri: unterminated label in %q", tpath)
		}
		b.WriteString(tpath[:i])
		name := tpath[i+1 : i+j]
		greedy := strings.HasSuffix(name, "+")
		name = strings.TrimSuffix(name, "+")
		v, ok := labels[name]
		if !ok || v == "" {
			return "", fmt.Errorf("missing required URI label %s", name)
		}
		b.WriteString(EscapeLabel(v, greedy))
		tpath = tpath[i+j+1:]
	}
}

// EscapeLabel percent-encodes a URI label value: every byte but the RFC 3986
// unreserved characters, and for a greedy label also "/".
func EscapeLabel(s string, greedy bool) string {
	return escape(s, greedy)
}

// EscapeQuery percent-encodes a query string key or value (RFC 3986).
func EscapeQuery(s string) string { return escape(s, false) }

func escape(s string, keepSlash bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || keepSlash && c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

type queryBuilder struct {
	parts []string
	keys  map[string]bool
}

func (q *queryBuilder) add(k, v string, withEq bool) {
	if q.keys == nil {
		q.keys = map[string]bool{}
	}
	q.keys[k] = true
	if withEq {
		q.parts = append(q.parts, EscapeQuery(k)+"="+EscapeQuery(v))
	} else {
		q.parts = append(q.parts, EscapeQuery(k))
	}
}

func (q *queryBuilder) has(k string) bool { return q.keys[k] }

func (q *queryBuilder) member(ref *model.ShapeRef, key string, v any) error {
	if ref.Shape.Type == "list" {
		items, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%T is not a list", v)
		}
		for _, it := range items {
			s, err := FormatScalar(ref.Shape.Member, it, defaultQueryTS)
			if err != nil {
				return err
			}
			q.add(key, s, true)
		}
		return nil
	}
	s, err := FormatScalar(ref, v, defaultQueryTS)
	if err != nil {
		return err
	}
	q.add(key, s, true)
	return nil
}

func (q *queryBuilder) encode() string { return strings.Join(q.parts, "&") }

func formatHeader(ref *model.ShapeRef, v any) (string, error) {
	if ref.Shape.Type != "list" {
		return FormatScalar(ref, v, defaultHeader)
	}
	items, ok := v.([]any)
	if !ok {
		return "", fmt.Errorf("%T is not a list", v)
	}
	parts := make([]string, 0, len(items))
	for _, it := range items {
		s, err := FormatScalar(ref.Shape.Member, it, defaultHeader)
		if err != nil {
			return "", err
		}
		if ref.Shape.Member.Shape.Type == "string" && strings.ContainsAny(s, ",\"") {
			s = `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
		}
		parts = append(parts, s)
	}
	// botocore joins with a bare comma ("one,two,three", as the legacy
	// suite pins); the newer suite writes "a, b". Both are one list to
	// every parser (SplitHeaderList trims), so the client sends botocore's.
	return strings.Join(parts, ","), nil
}

// SplitHeaderList splits a comma-joined header list, honouring quoted items.
// httpDates re-pairs "Mon, 16 Dec 2019 23:48:18 GMT" items split at their comma.
func SplitHeaderList(s string, httpDates bool) []string {
	var out []string
	if httpDates {
		parts := strings.Split(s, ",")
		for i := 0; i < len(parts); i++ {
			p := strings.TrimSpace(parts[i])
			if len(p) == 3 && i+1 < len(parts) {
				p = p + ", " + strings.TrimSpace(parts[i+1])
				i++
			}
			out = append(out, p)
		}
		return out
	}
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i < len(s) && s[i] == '"' {
			var b strings.Builder
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			i++ // closing quote
			for i < len(s) && s[i] != ',' {
				i++
			}
			out = append(out, b.String())
			i++
			continue
		}
		j := strings.IndexByte(s[i:], ',')
		if j < 0 {
			out = append(out, strings.TrimSpace(s[i:]))
			break
		}
		out = append(out, strings.TrimSpace(s[i:i+j]))
		i += j + 1
	}
	return out
}

func parseHeader(ref *model.ShapeRef, s string) (any, error) {
	if ref.Shape.Type != "list" {
		return ParseScalar(ref, s, defaultHeader)
	}
	mem := ref.Shape.Member
	dates := mem.Shape.Type == "timestamp" && protocol.TimestampFormat(mem, defaultHeader) == protocol.RFC822
	items := SplitHeaderList(s, dates)
	out := make([]any, 0, len(items))
	for _, it := range items {
		v, err := ParseScalar(mem, it, defaultHeader)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// DecodeHeaders reads the header, headers-prefix and statusCode members of sh
// from h and status, into out (created when nil), and returns it.
//
// A non-zero status means h belongs to a response (or an error response):
// then a headers-prefix map (S3's x-amz-meta- Metadata) is always set, {}
// when no header carries the prefix, as botocore's response parsers do
// (head_object answers Metadata {}). On the request side (status 0) an
// absent map stays absent, so a server sees exactly what the client sent.
func DecodeHeaders(sh *model.Shape, h http.Header, status int, out map[string]any) (map[string]any, error) {
	if out == nil {
		out = map[string]any{}
	}
	if sh == nil {
		return out, nil
	}
	for _, name := range sh.MemberNames {
		ref := sh.Members[name]
		switch ref.Location {
		case LocHeader:
			vals, ok := h[headerKey(ref, name)]
			if !ok || len(vals) == 0 {
				continue
			}
			s := strings.Join(vals, ", ")
			if s == "" && ref.Shape.Type != "string" {
				continue
			}
			v, err := parseHeader(ref, s)
			if err != nil {
				return nil, fmt.Errorf("header %s: %w", locName(ref, name), err)
			}
			out[name] = v
		case LocHeaders:
			prefix := strings.ToLower(ref.LocationName)
			m := map[string]any{}
			for k, vals := range h {
				if len(vals) == 0 || !mayHavePrefix(k, prefix) {
					continue
				}
				lk := strings.ToLower(k)
				if !strings.HasPrefix(lk, prefix) {
					continue
				}
				v, err := ParseScalar(ref.Shape.Value, strings.Join(vals, ", "), defaultHeader)
				if err != nil {
					return nil, fmt.Errorf("header %s: %w", k, err)
				}
				m[lk[len(prefix):]] = v
			}
			if len(m) > 0 || status != 0 {
				out[name] = m
			}
		case LocStatusCode:
			if status != 0 {
				out[name] = int64(status)
			}
		}
	}
	return out, nil
}

// WriteHeaders sets the header and headers-prefix members of v (a value of
// sh) on h. It returns the statusCode member's value, or 0 when unset.
func WriteHeaders(h http.Header, sh *model.Shape, v map[string]any) (int, error) {
	status := 0
	if sh == nil {
		return 0, nil
	}
	var slab []string // backs the one-value slices below, 8 at a time
	one := func(s string) []string {
		if len(slab) == cap(slab) {
			slab = make([]string, 0, 8)
		}
		slab = append(slab, s)
		n := len(slab)
		return slab[n-1 : n : n] // capped: an append copies
	}
	for _, name := range sh.MemberNames {
		ref := sh.Members[name]
		val, ok := v[name]
		if !ok || val == nil {
			continue
		}
		switch ref.Location {
		case LocHeader:
			if l, ok := val.([]any); ok && len(l) == 0 {
				continue // botocore sends no header for an empty list
			}
			s, err := formatHeader(ref, val)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", name, err)
			}
			h[headerKey(ref, name)] = one(s) // h.Set without canonicalising per call
		case LocHeaders:
			m, ok := val.(map[string]any)
			if !ok {
				return 0, fmt.Errorf("%s: %T is not a map", name, val)
			}
			for _, k := range sortedKeys(m) {
				s, err := FormatScalar(ref.Shape.Value, m[k], defaultHeader)
				if err != nil {
					return 0, fmt.Errorf("%s.%s: %w", name, k, err)
				}
				// AWS answers prefix headers in lower case (x-amz-meta-who), and
				// clients such as boto3 keep the suffix's case as sent, so the
				// key is stored as is rather than canonicalised by Set.
				h[strings.ToLower(ref.LocationName+k)] = one(s)
			}
		case LocStatusCode:
			n, ok := val.(int64)
			if !ok || n < 100 || n > 999 {
				return 0, fmt.Errorf("%s: invalid status code %v", name, val)
			}
			status = int(n)
		}
	}
	return status, nil
}

// DecodeRequest reads the URI labels, query string and header members of
// op's input from r. The body is left to the codec. Errors are *protocol.APIError
// (SerializationException, 400), as a JSON REST service answers malformed
// HTTP bindings; rest-xml codecs may re-map the code.
func DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error) {
	out := map[string]any{}
	if op.Input == nil || op.Input.Shape == nil {
		return out, nil
	}
	sh := op.Input.Shape
	bad := func(format string, args ...any) error {
		return protocol.NewError("SerializationException", http.StatusBadRequest, format, args...)
	}
	tpath, tquery, _ := strings.Cut(op.HTTP.RequestURI, "?")
	labels, ok := MatchPath(tpath, r.URL.EscapedPath())
	if !ok {
		return nil, bad("request path %q does not match %s", r.URL.EscapedPath(), tpath)
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, bad("malformed query string")
	}
	consumed := map[string]bool{}
	if tquery != "" {
		for _, kv := range strings.Split(tquery, "&") {
			k, _, _ := strings.Cut(kv, "=")
			consumed[k] = true
		}
	}
	for _, name := range sh.MemberNames {
		ref := sh.Members[name]
		if ref.Location == LocQuery && ref.Shape.Type != "map" {
			consumed[locName(ref, name)] = true
		}
	}
	for _, name := range sh.MemberNames {
		ref := sh.Members[name]
		loc := locName(ref, name)
		switch ref.Location {
		case LocURI:
			s, ok := labels[loc]
			if !ok {
				continue
			}
			v, err := ParseScalar(ref, s, defaultURI)
			if err != nil {
				return nil, bad("URI label %s: %v", loc, err)
			}
			out[name] = v
		case LocQuery:
			if ref.Shape.Type == "map" {
				m := map[string]any{}
				for k, vals := range query {
					if consumed[k] {
						continue
					}
					v, err := queryValue(ref.Shape.Value, vals)
					if err != nil {
						return nil, bad("query %s: %v", k, err)
					}
					m[k] = v
				}
				if len(m) > 0 {
					out[name] = m
				}
				continue
			}
			vals, ok := query[loc]
			if !ok {
				continue
			}
			v, err := queryValue(ref, vals)
			if err != nil {
				return nil, bad("query %s: %v", loc, err)
			}
			out[name] = v
		}
	}
	if _, err := DecodeHeaders(sh, r.Header, 0, out); err != nil {
		return nil, bad("%v", err)
	}
	return out, nil
}

func queryValue(ref *model.ShapeRef, vals []string) (any, error) {
	if ref.Shape.Type == "list" {
		out := make([]any, 0, len(vals))
		for _, s := range vals {
			v, err := ParseScalar(ref.Shape.Member, s, defaultQueryTS)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	if len(vals) == 0 {
		return nil, fmt.Errorf("no value")
	}
	return ParseScalar(ref, vals[0], defaultQueryTS)
}

var pathRegexps sync.Map // template path -> *pathMatcher

type pathMatcher struct {
	re    *regexp.Regexp
	names []string
}

func compilePath(tpath string) *pathMatcher {
	if m, ok := pathRegexps.Load(tpath); ok {
		return m.(*pathMatcher)
	}
	var b strings.Builder
	var names []string
	b.WriteString("^")
	rest := tpath
	for {
		i := strings.IndexByte(rest, '{')
		j := -1
		if i >= 0 {
			j = strings.IndexByte(rest[i:], '}')
		}
		if i < 0 || j < 0 {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		name := rest[i+1 : i+j]
		if strings.HasSuffix(name, "+") {
			b.WriteString("(.+)")
		} else {
			b.WriteString("([^/]+)")
		}
		names = append(names, strings.TrimSuffix(name, "+"))
		rest = rest[i+j+1:]
	}
	b.WriteString("/?$")
	m := &pathMatcher{re: regexp.MustCompile(b.String()), names: names}
	pathRegexps.Store(tpath, m)
	return m
}

// MatchPath matches an escaped request path against a requestUri path
// template ("/{Bucket}/{Key+}"), returning the unescaped label values.
func MatchPath(tpath, escapedPath string) (map[string]string, bool) {
	m := compilePath(tpath)
	sub := m.re.FindStringSubmatch(escapedPath)
	if sub == nil {
		return nil, false
	}
	out := make(map[string]string, len(m.names))
	for i, n := range m.names {
		v, err := url.PathUnescape(sub[i+1])
		if err != nil {
			return nil, false
		}
		out[n] = v
	}
	return out, true
}

// HTTPDate formats t as an rfc822 HTTP date.
func HTTPDate(t time.Time) string { return protocol.FormatTimestamp(t, protocol.RFC822) }
