package recorder

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Decoder identifies the AWS operation a request calls and decodes its
// parameters. ok is false for traffic the decoder does not recognise; such
// requests match by method, URL and body. The protocol codecs plug in here.
type Decoder interface {
	Decode(r *http.Request, body []byte) (service, operation string, params map[string]any, ok bool)
}

// DecoderFunc adapts a function to the Decoder interface.
type DecoderFunc func(r *http.Request, body []byte) (service, operation string, params map[string]any, ok bool)

// Decode calls f.
func (f DecoderFunc) Decode(r *http.Request, body []byte) (string, string, map[string]any, bool) {
	return f(r, body)
}

// Call is a request as the matcher sees it: what the decoder made of it
// after redaction and ignore rules.
type Call struct {
	Service   string
	Operation string
	Region    string
	// Params are the decoded parameters (AWS traffic) or, for traffic the
	// decoder did not recognise, method, host, path, query and body.
	Params map[string]any
	// AWS is true when a decoder recognised the request.
	AWS bool
}

// Matcher decides whether a live request matches a recorded interaction.
// live and recorded are the decoded calls; req and in give access to the raw
// data.
type Matcher func(live, recorded Call, req *Request, in *Interaction) bool

// volatileHeaders never take part in matching.
var volatileHeaders = map[string]bool{
	"authorization": true, "x-amz-date": true, "x-amz-security-token": true,
	"x-amz-content-sha256": true, "amz-sdk-invocation-id": true, "amz-sdk-request": true,
	"user-agent": true, "x-amz-user-agent": true, "x-amz-decoded-content-length": true,
	"x-amz-trailer": true, "x-amz-sdk-checksum-algorithm": true, "content-length": true,
	"x-amzn-trace-id": true, "date": true, "expect": true, "accept-encoding": true,
	"content-md5": true, "x-amz-checksum-crc32": true, "x-amz-checksum-crc32c": true,
	"x-amz-checksum-crc64nvme": true, "x-amz-checksum-sha1": true, "x-amz-checksum-sha256": true,
}

// presignQuery are query parameters of presigned URLs that never match.
var presignQuery = map[string]bool{
	"X-Amz-Algorithm": true, "X-Amz-Credential": true, "X-Amz-Date": true, "X-Amz-Expires": true,
	"X-Amz-Signature": true, "X-Amz-SignedHeaders": true, "X-Amz-Security-Token": true,
	"Signature": true, "AWSAccessKeyId": true, "Expires": true, "SignatureVersion": true,
	"SignatureMethod": true, "Timestamp": true, "x-id": true,
}

// scope returns service and region from the SigV4 credential scope in the
// Authorization header or a presigned query.
func scope(h http.Header, q url.Values) (service, region string) {
	cred := q.Get("X-Amz-Credential")
	if a := h.Get("Authorization"); a != "" {
		if i := strings.Index(a, "Credential="); i >= 0 {
			cred = a[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
		}
	}
	// AKID/date/region/service/aws4_request
	parts := strings.Split(cred, "/")
	if len(parts) == 5 && parts[4] == "aws4_request" {
		return parts[3], parts[2]
	}
	return "", ""
}

// HeuristicDecoder is the built-in Decoder. It needs no service model:
// service and region come from the SigV4 credential scope; operations from
// X-Amz-Target (json protocol) or Action (query and ec2 protocols, form body
// or query string); REST requests are named "METHOD /path" and their
// parameters are the query, the x-amz-* headers and the body. JSON bodies
// are compared as values and form/query parameters as maps, so key and
// parameter order never matter.
var HeuristicDecoder Decoder = DecoderFunc(heuristicDecode)

func heuristicDecode(r *http.Request, body []byte) (string, string, map[string]any, bool) {
	q := r.URL.Query()
	service, _ := scope(r.Header, q)
	ct := r.Header.Get("Content-Type")
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		op := t[strings.LastIndex(t, ".")+1:]
		if service == "" {
			// Without a signature, name the service by the target prefix
			// ("DynamoDB_20120810.PutItem" -> "dynamodb").
			prefix := t[:max(strings.LastIndex(t, "."), 0)]
			service = strings.ToLower(strings.SplitN(prefix, "_", 2)[0])
		}
		params := map[string]any{}
		if len(bytes.TrimSpace(body)) > 0 {
			v, err := decodeJSONValue(body)
			m, isMap := v.(map[string]any)
			if err != nil || !isMap {
				params = map[string]any{"$body": string(body)}
			} else {
				params = m
			}
		}
		return service, op, params, true
	}
	form := url.Values{}
	if strings.HasPrefix(ct, "application/x-www-form-urlencoded") && r.Method == http.MethodPost {
		if f, err := url.ParseQuery(string(body)); err == nil {
			form = f
		}
	}
	action := form.Get("Action")
	if action == "" {
		action = q.Get("Action")
		if action != "" {
			form = q
		}
	}
	if action != "" {
		params := map[string]any{}
		for k, vs := range form {
			if k == "Action" || k == "Version" || presignQuery[k] {
				continue
			}
			params[k] = valuesAny(vs)
		}
		return service, action, params, true
	}
	if service == "" {
		return "", "", nil, false
	}
	// REST protocols without a model: name the call by method and path.
	params := map[string]any{}
	if host := hostOnly(r.URL.Host); host != "" {
		params["$host"] = host
	}
	query := map[string]any{}
	for k, vs := range q {
		if presignQuery[k] {
			continue
		}
		query[k] = valuesAny(vs)
	}
	if len(query) > 0 {
		params["$query"] = query
	}
	headers := map[string]any{}
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-amz-") && !volatileHeaders[lk] {
			headers[lk] = strings.Join(vs, ",")
		}
	}
	if len(headers) > 0 {
		params["$headers"] = headers
	}
	if b := restBody(r.Header, body); len(b) > 0 {
		params["$body"] = bodyValue(b, ct)
	}
	return service, r.Method + " " + r.URL.EscapedPath(), params, true
}

// restBody strips aws-chunked framing (chunk signatures differ on every run).
func restBody(h http.Header, body []byte) []byte {
	if strings.Contains(h.Get("Content-Encoding"), "aws-chunked") ||
		strings.HasPrefix(h.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		if d, ok := unchunk(body); ok {
			return d
		}
	}
	return body
}

// unchunk decodes an aws-chunked body: "<hex>[;chunk-signature=..]\r\n<data>\r\n" ... "0..."
func unchunk(b []byte) ([]byte, bool) {
	var out []byte
	for i := 0; i < 1<<20; i++ {
		nl := bytes.Index(b, []byte("\r\n"))
		if nl < 0 {
			return nil, false
		}
		head := string(b[:nl])
		if j := strings.IndexByte(head, ';'); j >= 0 {
			head = head[:j]
		}
		n, err := strconv.ParseInt(strings.TrimSpace(head), 16, 64)
		if err != nil || n < 0 || n > int64(len(b)) {
			return nil, false
		}
		b = b[nl+2:]
		if n == 0 {
			return out, true // trailers follow; they hold checksums only
		}
		if int64(len(b)) < n+2 {
			return nil, false
		}
		out = append(out, b[:n]...)
		b = b[n+2:]
	}
	return nil, false
}

func bodyValue(b []byte, ct string) any {
	if strings.Contains(ct, "json") || (len(b) > 0 && (b[0] == '{' || b[0] == '[')) {
		if v, err := decodeJSONValue(b); err == nil {
			return v
		}
	}
	return string(b)
}

func valuesAny(vs []string) any {
	if len(vs) == 1 {
		return vs[0]
	}
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	sort.Slice(out, func(i, j int) bool { return out[i].(string) < out[j].(string) })
	return out
}

func hostOnly(h string) string {
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		return h[:i]
	}
	return h
}

// decodeJSONValue decodes JSON with numbers normalised (int64 when integral).
func decodeJSONValue(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return normalize(v, 0), nil
}

func normalizeMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out, _ := normalize(m, 0).(map[string]any)
	return out
}

// normalize makes decoded values comparable whichever way they were read
// (JSON numbers, YAML ints, maps with any keys).
func normalize(v any, depth int) any {
	if depth > 200 {
		return fmt.Sprint(v)
	}
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if f, err := x.Float64(); err == nil && !math.IsInf(f, 0) {
			return f
		}
		return x.String()
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return float64(x)
	case float32:
		return float64(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e, depth+1)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = normalize(e, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e, depth+1)
		}
		return out
	default:
		return v
	}
}

// rawCall describes traffic no decoder recognised: matched by method, host
// (without port), path, query and body.
func rawCall(r *http.Request, body []byte) Call {
	q := map[string]any{}
	for k, vs := range r.URL.Query() {
		q[k] = valuesAny(vs)
	}
	p := map[string]any{"$method": r.Method, "$host": hostOnly(r.URL.Host), "$path": r.URL.EscapedPath()}
	if len(q) > 0 {
		p["$query"] = q
	}
	if len(body) > 0 {
		p["$body"] = bodyValue(body, r.Header.Get("Content-Type"))
	}
	return Call{Operation: r.Method + " " + r.URL.EscapedPath(), Params: p}
}

// toHTTPRequest rebuilds an http.Request (without body reader) from a stored
// request for the decoder.
func (q *Request) toHTTPRequest() (*http.Request, error) {
	u, err := url.Parse(q.URL)
	if err != nil {
		return nil, err
	}
	h := q.Headers.Clone()
	if h == nil {
		h = http.Header{}
	}
	return &http.Request{Method: q.Method, URL: u, Header: h, Host: u.Host}, nil
}
