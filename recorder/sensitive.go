package recorder

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
)

// sensitiveValue is one value of a member whose shape carries botocore's
// sensitive trait, and where it sits on the wire.
type sensitiveValue struct {
	location string // "header", "querystring", "uri" or "" (body)
	name     string // header name for location "header"
	value    string
}

// collectSensitive walks a decoded value along its shape and returns the
// scalar values inside sensitive shapes (a sensitive structure, list or map
// makes everything inside it sensitive).
func collectSensitive(ref *model.ShapeRef, v any, inherited bool, depth int, out *[]sensitiveValue) {
	if depth > 100 || v == nil {
		return
	}
	var shape *model.Shape
	if ref != nil {
		shape = ref.Shape
	}
	sens := inherited || (shape != nil && shape.Sensitive)
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			var sub *model.ShapeRef
			if shape != nil {
				switch shape.Type {
				case "structure":
					sub = shape.Members[k]
				case "map":
					sub = shape.Value
					if sens && k != "" {
						*out = append(*out, sensitiveValue{value: k})
					}
				}
			}
			collectSensitive(sub, e, sens, depth+1, out)
		}
	case []any:
		var sub *model.ShapeRef
		if shape != nil {
			sub = shape.Member
		}
		for _, e := range x {
			collectSensitive(sub, e, sens, depth+1, out)
		}
	default:
		if !sens {
			return
		}
		sv := sensitiveValue{}
		if ref != nil {
			sv.location, sv.name = ref.Location, ref.LocationName
		}
		switch s := v.(type) {
		case string:
			sv.value = s
		case []byte:
			sv.value = string(s)
			if b64 := base64.StdEncoding.EncodeToString(s); b64 != "" {
				*out = append(*out, sensitiveValue{value: b64})
			}
		case int64, float64, bool:
			sv.value = strconv.Quote(fmtScalar(s))
			sv.value = sv.value[1 : len(sv.value)-1]
		case time.Time, io.Reader:
			return
		default:
			return
		}
		if sv.value != "" {
			*out = append(*out, sv)
		}
	}
}

func fmtScalar(v any) string {
	switch s := v.(type) {
	case int64:
		return strconv.FormatInt(s, 10)
	case float64:
		return strconv.FormatFloat(s, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(s)
	}
	return ""
}

// redactSensitive blanks, in the stored text, every value the service
// model marks sensitive: request members (body, headers, query) and, for
// successful responses, output members. It works from the models whatever
// decoder matching uses, so it fails closed.
func (r *Recorder) redactSensitive(in *Interaction) {
	hr, err := in.Request.toHTTPRequest()
	if err != nil {
		return
	}
	d, ok := modelDecodeFull(hr, in.Request.Body)
	if !ok {
		return
	}
	var vals []sensitiveValue
	collectSensitive(d.op.Input, d.params, false, 0, &vals)
	closeReaders(d.params, 0)
	if in.Response != nil && in.Response.Status < 300 && d.op.Output != nil {
		resp := &http.Response{StatusCode: in.Response.Status, Header: in.Response.Headers.Clone(),
			Body: io.NopCloser(bytes.NewReader(in.Response.Body)), ContentLength: int64(len(in.Response.Body))}
		if resp.Header == nil {
			resp.Header = http.Header{}
		}
		if out, err := safeUnmarshal(d, resp); err == nil {
			var outVals []sensitiveValue
			collectSensitive(d.op.Output, out, false, 0, &outVals)
			closeReaders(out, 0)
			if len(outVals) > 0 {
				old := len(in.Response.Body)
				set := map[string]bool{}
				for _, v := range outVals {
					r.cfg.rd.addSecret(v.value)
					set[v.value] = true
					redactHeaderValue(in.Response.Headers, v)
				}
				in.Response.Body = redactInBody(in.Response.Body, set)
				if len(in.Response.Body) != old && in.Response.Headers.Get("Content-Length") != "" {
					in.Response.Headers.Set("Content-Length", strconv.Itoa(len(in.Response.Body)))
				}
			}
		}
	}
	set := map[string]bool{}
	for _, v := range vals {
		set[v.value] = true
	}
	in.Request.Body = redactInBody(in.Request.Body, set)
	for _, v := range vals {
		r.cfg.rd.addSecret(v.value)
		redactHeaderValue(in.Request.Headers, v)
		if v.location == "querystring" || v.location == "uri" || v.location == "" {
			in.Request.URL = redactInURL(in.Request.URL, v.value)
		}
	}
}

func safeUnmarshal(d decoded, resp *http.Response) (out map[string]any, err error) {
	defer func() {
		if recover() != nil {
			out, err = nil, io.ErrUnexpectedEOF
		}
	}()
	return d.codec.UnmarshalResponse(d.op, resp)
}

func closeReaders(v any, depth int) {
	if depth > 100 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			closeReaders(e, depth+1)
		}
	case io.Closer:
		x.Close()
	}
}

func redactHeaderValue(h http.Header, v sensitiveValue) {
	if h == nil {
		return
	}
	if v.location == "header" && v.name != "" && h.Get(v.name) != "" {
		h.Set(v.name, sameLength(h.Get(v.name)))
		return
	}
	for k, vs := range h {
		for i, s := range vs {
			if s == v.value {
				vs[i] = sameLength(s)
			}
		}
		h[k] = vs
	}
}

// redactInBody replaces the sensitive values where they stand as a whole
// JSON string, XML text or attribute, or form value, however the protocol
// escaped them: each candidate token is decoded and compared. Short values
// are therefore replaced only in those positions, never as bare text.
func redactInBody(b []byte, values map[string]bool) []byte {
	if len(b) == 0 || len(values) == 0 {
		return b
	}
	b = replaceTokens(b, values, jsonStrings)
	b = replaceTokens(b, values, xmlTexts)
	b = replaceTokens(b, values, formValues)
	return b
}

// token is a span of b holding an encoded value; quoted spans include
// their quotes.
type token struct {
	start, end int
	value      string
	quoted     bool
}

func replaceTokens(b []byte, values map[string]bool, scan func([]byte) []token) []byte {
	var out []byte
	last := 0
	for _, t := range scan(b) {
		if !values[t.value] || t.start < last {
			continue
		}
		rep := sameLength(t.value)
		if t.quoted {
			rep = `"` + rep + `"`
		}
		out = append(out, b[last:t.start]...)
		out = append(out, rep...)
		last = t.end
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// jsonStrings finds the JSON string literals of b.
func jsonStrings(b []byte) []token {
	var out []token
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(b) {
			break
		}
		var s string
		if json.Unmarshal(b[i:j+1], &s) == nil {
			out = append(out, token{start: i, end: j + 1, value: s, quoted: true})
		}
		i = j
	}
	return out
}

// xmlTexts finds text between tags and attribute values.
func xmlTexts(b []byte) []token {
	var out []token
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '>':
			j := bytes.IndexByte(b[i+1:], '<')
			if j < 0 {
				return out
			}
			if j > 0 {
				out = append(out, token{start: i + 1, end: i + 1 + j, value: html.UnescapeString(string(b[i+1 : i+1+j]))})
			}
			i += j
		case '=':
			if i+1 < len(b) && (b[i+1] == '"' || b[i+1] == '\'') {
				q := b[i+1]
				j := bytes.IndexByte(b[i+2:], q)
				if j < 0 {
					continue
				}
				out = append(out, token{start: i + 2, end: i + 2 + j, value: html.UnescapeString(string(b[i+2 : i+2+j]))})
				i += 1 + j
			}
		}
	}
	return out
}

// formValues finds the values of an application/x-www-form-urlencoded body.
func formValues(b []byte) []token {
	if bytes.ContainsAny(b, " \n<>{}\"") {
		return nil
	}
	var out []token
	for start := 0; start < len(b); {
		end := bytes.IndexByte(b[start:], '&')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		if eq := bytes.IndexByte(b[start:end], '='); eq >= 0 {
			vs := start + eq + 1
			if v, err := url.QueryUnescape(string(b[vs:end])); err == nil && vs < end {
				out = append(out, token{start: vs, end: end, value: v})
			}
		}
		start = end + 1
	}
	return out
}

// redactInURL blanks a sensitive query parameter value or path segment.
func redactInURL(raw, value string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	changed := false
	if u.RawQuery != "" {
		vals := u.Query()
		for k, vs := range vals {
			for i, s := range vs {
				if s == value {
					vs[i] = sameLength(s)
					changed = true
				}
			}
			vals[k] = vs
		}
		if changed {
			u.RawQuery = encodeQueryKeepOrder(u.RawQuery, vals)
		}
	}
	segs := strings.Split(u.EscapedPath(), "/")
	pathChanged := false
	for i, s := range segs {
		if d, err := url.PathUnescape(s); err == nil && d == value && s != "" {
			segs[i] = sameLength(value)
			pathChanged = true
		}
	}
	if pathChanged {
		p := strings.Join(segs, "/")
		u.RawPath = p
		u.Path, _ = url.PathUnescape(p)
		changed = true
	}
	if !changed {
		return raw
	}
	return u.String()
}

func dedupe(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if s != "" && (i == 0 || s != ss[i-1]) {
			out = append(out, s)
		}
	}
	return out
}
