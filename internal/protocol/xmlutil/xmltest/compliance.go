package xmltest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
)

// Skip lets a codec's test skip a case with a written reason ("" = run).
type Skip func(s protocoltest.Suite, c protocoltest.Case) string

// suitePath places file in the direction's directory; "legacy/query.json"
// names the legacy suites (protocol-tests/legacy/<dir>/query.json).
func suitePath(dir, file string) string {
	if rest, ok := strings.CutPrefix(file, "legacy/"); ok {
		return "legacy/" + dir + "/" + rest
	}
	return dir + "/" + file
}

// RunInput runs every case of protocol-tests/input/<file> (or, for
// "legacy/<file>", protocol-tests/legacy/input/<file>) against codec:
// the client marshals params into serialized, and the server decodes
// serialized back into params.
func RunInput(t *testing.T, file, proto string, codec protocol.Codec, skip Skip) {
	suites := protocoltest.Load(t, suitePath("input", file))
	var pass, skipped int
	for _, s := range suites {
		for _, c := range s.Cases {
			s, c := s, c
			if reason := reasonFor(proto, "input", s, c, skip); reason != "" {
				skipped++
				t.Logf("skip %s: %s", c.Name(), reason)
				continue
			}
			serverSkip := ""
			if skip != nil {
				serverSkip = skip(s, c)
			}
			if strings.HasPrefix(serverSkip, ServerOnly) {
				t.Logf("skip server decode of %s: %s", c.Name(), serverSkip)
			}
			ok := t.Run(c.Name(), func(t *testing.T) { runInputCase(t, s, c, codec, serverSkip != "") })
			if ok {
				pass++
			}
		}
	}
	t.Logf("%s: %d passed, %d skipped", file, pass, skipped)
}

func reasonFor(proto, dir string, s protocoltest.Suite, c protocoltest.Case, skip Skip) string {
	if protocoltest.Ignored(proto, dir, s, c) {
		return "on botocore's protocol-tests ignore list"
	}
	if skip != nil {
		if r := skip(s, c); !strings.HasPrefix(r, ServerOnly) {
			return r
		}
	}
	return ""
}

// ServerOnly prefixes a Skip reason that skips only the server-decode half
// of an input case (the wire cannot carry the value back, e.g. an empty map
// in a query form).
const ServerOnly = "server decode: "

func endpointOf(s protocoltest.Suite) *url.URL {
	ep := s.ClientEndpoint
	if ep == "" {
		ep = "https://example.com"
	}
	u, _ := url.Parse(ep)
	return u
}

func runInputCase(t *testing.T, s protocoltest.Suite, c protocoltest.Case, codec protocol.Codec, noServer bool) {
	_, op, err := s.Service(c)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if op.Input != nil {
		v, err := protocol.Normalize(op.Input, nonNil(c.Params))
		if err != nil {
			t.Fatalf("normalize params: %v", err)
		}
		want = v.(map[string]any)
	}
	params := map[string]any{}
	for k, v := range want {
		params[k] = v
	}
	req, err := codec.MarshalRequest(context.Background(), op, endpointOf(s), params)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	ser := c.Serialized
	if ser.Method != "" && req.Method != ser.Method {
		t.Errorf("method %s, want %s", req.Method, ser.Method)
	}
	if ser.URI != "" {
		if d := uriDiff(ser.URI, req.URL.RequestURI()); d != "" {
			t.Errorf("uri: %s", d)
		}
	}
	if ser.Host != "" && req.URL.Host != ser.Host {
		t.Errorf("host %s, want %s", req.URL.Host, ser.Host)
	}
	for k, v := range ser.Headers {
		if got := req.Header.Get(k); !protocoltest.HeaderEqual(k, got, v) {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	for _, k := range ser.ForbidHeaders {
		if _, ok := req.Header[http.CanonicalHeaderKey(k)]; ok {
			t.Errorf("header %s must not be sent", k)
		}
	}
	for _, k := range ser.RequireHeaders {
		if _, ok := req.Header[http.CanonicalHeaderKey(k)]; !ok {
			t.Errorf("header %s is required", k)
		}
	}
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	ct := ser.Headers["Content-Type"]
	switch {
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		if d := FormDiff(ser.Body, string(body)); d != "" {
			t.Errorf("body: %s\nwant %s\n got %s", d, ser.Body, body)
		}
	case strings.Contains(ct, "xml") || (ct == "" && strings.HasPrefix(strings.TrimSpace(ser.Body), "<")):
		if d := XMLDiff(ser.Body, string(body)); d != "" {
			t.Errorf("body: %s", d)
		}
	default:
		if ser.Body != string(body) {
			t.Errorf("body %q, want %q", body, ser.Body)
		}
	}

	if noServer {
		return
	}
	// Server side: decode the serialized request back to params.
	host := ser.Host
	if host == "" {
		host = endpointOf(s).Host
	}
	method := ser.Method
	if method == "" {
		method = http.MethodPost
	}
	sreq := httptest.NewRequest(method, "http://"+host+ser.URI, strings.NewReader(ser.Body))
	for k, v := range ser.Headers {
		sreq.Header.Set(k, v)
	}
	got, err := codec.DecodeRequest(op, sreq)
	if err != nil {
		t.Fatalf("server decode: %v", err)
	}
	if want == nil {
		want = map[string]any{}
	}
	if d := Diff(stripIdem(op, want), stripIdem(op, got)); d != "" {
		t.Errorf("server decode: %s", d)
	}
}

func stripIdem(op *model.Operation, m map[string]any) map[string]any {
	if op.Input == nil {
		return m
	}
	out := map[string]any{}
	for k, v := range m {
		if r := op.Input.Shape.Members[k]; r != nil && r.IdempotencyToken {
			continue
		}
		out[k] = v
	}
	return out
}

func uriDiff(want, got string) string {
	wp, wq, _ := strings.Cut(want, "?")
	gp, gq, _ := strings.Cut(got, "?")
	if wp != gp {
		return "path " + gp + ", want " + wp
	}
	return FormDiff(wq, gq)
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// RunOutput runs every case of protocol-tests/output/<file>: the client
// unmarshals response into result (or the error), and a server encoding of
// that result unmarshals to it again.
func RunOutput(t *testing.T, file, proto string, codec protocol.Codec, skip Skip) {
	suites := protocoltest.Load(t, suitePath("output", file))
	var pass, skipped int
	for _, s := range suites {
		for _, c := range s.Cases {
			s, c := s, c
			if reason := reasonFor(proto, "output", s, c, skip); reason != "" {
				skipped++
				t.Logf("skip %s: %s", c.Name(), reason)
				continue
			}
			if t.Run(c.Name(), func(t *testing.T) { runOutputCase(t, s, c, codec) }) {
				pass++
			}
		}
	}
	t.Logf("%s: %d passed, %d skipped", file, pass, skipped)
}

func response(r *protocoltest.Response) *http.Response {
	h := http.Header{}
	for k, v := range r.Headers {
		h.Set(k, v)
	}
	status := r.StatusCode
	if status == 0 {
		status = 200
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(r.Body))}
}

func runOutputCase(t *testing.T, s protocoltest.Suite, c protocoltest.Case, codec protocol.Codec) {
	_, op, err := s.Service(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := codec.UnmarshalResponse(op, response(c.Response))
	if c.ErrorCode != "" {
		var ae *protocol.APIError
		if !errors.As(err, &ae) {
			t.Fatalf("want error %s, got %v / %v", c.ErrorCode, got, err)
		}
		checkError(t, "client", c, ae)
		// Server round trip of the error.
		fields := map[string]any{}
		for k, v := range c.Error {
			if !strings.EqualFold(k, "message") {
				fields[k] = v
			}
		}
		if sh, ok := op.Service.ErrorShape(c.ErrorCode); ok && len(fields) > 0 {
			nf, err := protocol.Normalize(&model.ShapeRef{Shape: sh}, fields)
			if err != nil {
				t.Fatalf("normalize error fields: %v", err)
			}
			fields = nf.(map[string]any)
		}
		in := &protocol.APIError{Code: c.ErrorCode, Message: c.ErrorMessage, StatusCode: c.Response.StatusCode, Fields: fields}
		rec := httptest.NewRecorder()
		if err := codec.EncodeError(rec, op, in, protocol.ResponseMeta{RequestID: "req-1", HostID: "host-1"}); err != nil {
			t.Fatalf("server encode error: %v", err)
		}
		_, err = codec.UnmarshalResponse(op, rec.Result())
		if !errors.As(err, &ae) {
			t.Fatalf("round trip: want error, got %v", err)
		}
		checkError(t, "round trip", c, ae)
		if ae.RequestID != "req-1" {
			t.Errorf("round trip request id %q", ae.RequestID)
		}
		return
	}
	if err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	want := map[string]any{}
	if op.Output != nil {
		v, err := protocol.Normalize(op.Output, nonNil(c.Result))
		if err != nil {
			t.Fatalf("normalize result: %v", err)
		}
		want = v.(map[string]any)
	}
	if d := Diff(want, readAll(got)); d != "" {
		t.Errorf("client unmarshal: %s", d)
	}
	// Server encode then client unmarshal.
	rec := httptest.NewRecorder()
	enc := map[string]any{}
	for k, v := range want {
		if r, ok := v.(io.Reader); ok {
			data, _ := io.ReadAll(r)
			v = bytes.NewReader(data)
			want[k] = data
		}
		enc[k] = v
	}
	if err := codec.EncodeResponse(rec, op, enc, protocol.ResponseMeta{RequestID: "req-1"}); err != nil {
		t.Fatalf("server encode: %v", err)
	}
	back, err := codec.UnmarshalResponse(op, rec.Result())
	if err != nil {
		t.Fatalf("round trip unmarshal: %v\n%s", err, rec.Body.String())
	}
	if d := Diff(want, readAll(back)); d != "" {
		t.Errorf("round trip: %s\n%s", d, rec.Body.String())
	}
}

func readAll(m map[string]any) map[string]any {
	for k, v := range m {
		if r, ok := v.(io.Reader); ok {
			data, _ := io.ReadAll(r)
			if c, ok := v.(io.Closer); ok {
				c.Close()
			}
			m[k] = data
		}
	}
	return m
}

func checkError(t *testing.T, where string, c protocoltest.Case, ae *protocol.APIError) {
	t.Helper()
	if ae.Code != c.ErrorCode {
		t.Errorf("%s: code %q, want %q", where, ae.Code, c.ErrorCode)
	}
	if c.ErrorMessage != "" && ae.Message != c.ErrorMessage {
		t.Errorf("%s: message %q, want %q", where, ae.Message, c.ErrorMessage)
	}
	for k, v := range c.Error {
		if strings.EqualFold(k, "message") {
			continue
		}
		got, ok := ae.Fields[k]
		if !ok {
			t.Errorf("%s: field %s missing (fields %v)", where, k, ae.Fields)
			continue
		}
		if d := Diff(normalizeJSON(v), normalizeJSON(got)); d != "" {
			t.Errorf("%s: field %s: %s", where, k, d)
		}
	}
}

// normalizeJSON maps JSON test values and decoded values to comparable form
// for error fields: JSON numbers arrive as float64, decoded integers (a
// statusCode member, an integer header) as int64, so both become float64.
func normalizeJSON(v any) any {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = normalizeJSON(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = normalizeJSON(e)
		}
		return l
	}
	return v
}
