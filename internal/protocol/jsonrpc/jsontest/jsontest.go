// Package jsontest runs the AWS protocol compliance suites
// (../shared/aws-data/protocol-tests) against a protocol.Codec in both
// directions, and compares protocol values. It serves the JSON codecs' tests;
// BodyEqual is a parameter so an XML codec can reuse the runner.
package jsontest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
	"github.com/fakecloud/fakecloud/internal/protocol/rest"
)

// noBody marks a case whose serialized request names no body to check.
const noBody = "\x00no body"

type exactSuite struct {
	Cases []struct {
		Params     map[string]any `json:"params"`
		Result     map[string]any `json:"result"`
		Error      map[string]any `json:"error"`
		Serialized map[string]any `json:"serialized"`
	} `json:"cases"`
}

// loadExact re-reads a suite file keeping numbers as json.Number.
func loadExact(t *testing.T, rel string) []exactSuite {
	b, err := os.ReadFile(filepath.Join(protocoltest.Dir(), rel))
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []exactSuite
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decode %s: %v", rel, err)
	}
	return out
}

// Token is the idempotency token the suites expect auto-filled.
const Token = "00000000-0000-4000-8000-000000000000"

// Suite describes one compliance file to run.
type Suite struct {
	File     string // "input/json.json" or "output/rest-json.json"
	Protocol string // the ignore list's protocol name: "json", "json_1_0", "rest-json"
	Codec    protocol.Codec
	// Skip returns a reason to skip a case the codec knowingly does not pass
	// beyond botocore's ignore list, or "".
	Skip func(c protocoltest.Case) string
	// ServerSkip returns a reason not to check the server-side decode of an
	// input case (the request cannot carry what params say), or "".
	ServerSkip func(c protocoltest.Case) string
	// BodyEqual compares a produced body with the expected one; JSONBodyEqual when nil.
	BodyEqual func(got, want []byte) string
}

// Run runs every case of s.File, as subtests, and logs pass/skip counts.
func Run(t *testing.T, s Suite) {
	t.Helper()
	direction := strings.SplitN(s.File, "/", 2)[0]
	if strings.HasPrefix(s.File, "legacy/") {
		direction = strings.SplitN(s.File, "/", 3)[1]
	}
	old := rest.NewIdempotencyToken
	rest.NewIdempotencyToken = func() string { return Token }
	t.Cleanup(func() { rest.NewIdempotencyToken = old })
	if s.BodyEqual == nil {
		s.BodyEqual = JSONBodyEqual
	}
	var pass, skipped, failed int
	exact := loadExact(t, s.File)
	for si, suite := range protocoltest.Load(t, s.File) {
		for i, c := range suite.Cases {
			if si < len(exact) && i < len(exact[si].Cases) {
				// Numbers exactly as written (int64 beyond 2^53 survive).
				x := exact[si].Cases[i]
				c.Params, c.Result, c.Error = x.Params, x.Result, x.Error
				if x.Serialized != nil {
					if _, ok := x.Serialized["body"]; !ok {
						c.Serialized.Body = noBody
					}
				}
			}
			name := fmt.Sprintf("%s/%d", c.Name(), i)
			ok := t.Run(name, func(t *testing.T) {
				if protocoltest.Ignored(s.Protocol, direction, suite, c) {
					skipped++
					t.Skip("in botocore's protocol-tests ignore list")
				}
				if s.Skip != nil {
					if why := s.Skip(c); why != "" {
						skipped++
						t.Skip(why)
					}
				}
				svc, op, err := suite.Service(c)
				if err != nil {
					t.Fatal(err)
				}
				_ = svc
				if direction == "input" {
					runInput(t, s, suite, c, op)
				} else {
					runOutput(t, s, c, op)
				}
			})
			if ok {
				pass++
			} else {
				failed++
			}
		}
	}
	t.Logf("%s: %d passed, %d skipped, %d failed", s.File, pass-skipped, skipped, failed)
}

func runInput(t *testing.T, s Suite, suite protocoltest.Suite, c protocoltest.Case, op *model.Operation) {
	ep := suite.ClientEndpoint
	if ep == "" {
		ep = "https://example.com"
	}
	endpoint, err := url.Parse(ep)
	if err != nil {
		t.Fatal(err)
	}
	params := c.Params
	if params == nil {
		params = map[string]any{}
	}
	want := map[string]any{}
	if op.Input != nil {
		nv, err := protocol.Normalize(op.Input, params)
		if err != nil {
			t.Fatalf("normalize params: %v", err)
		}
		want, _ = nv.(map[string]any)
	}
	req, err := s.Codec.MarshalRequest(context.Background(), op, endpoint, params)
	if err != nil {
		t.Fatalf("MarshalRequest: %v", err)
	}
	ser := c.Serialized
	if ser.Method != "" && req.Method != ser.Method {
		t.Errorf("method = %s, want %s", req.Method, ser.Method)
	}
	if got := req.URL.RequestURI(); !uriEqual(got, ser.URI) {
		t.Errorf("uri = %s, want %s", got, ser.URI)
	}
	if ser.Host != "" && !strings.HasPrefix(req.URL.Host+req.URL.EscapedPath(), ser.Host) {
		t.Errorf("host = %s%s, want %s", req.URL.Host, req.URL.EscapedPath(), ser.Host)
	}
	for k, v := range ser.Headers {
		got := req.Header.Get(k)
		if strings.EqualFold(k, "Content-Length") {
			got = strconv.FormatInt(req.ContentLength, 10)
		}
		if !protocoltest.HeaderEqual(k, got, v) {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	for _, k := range ser.RequireHeaders {
		if strings.EqualFold(k, "Content-Length") && req.ContentLength > 0 {
			continue
		}
		if req.Header.Get(k) == "" {
			t.Errorf("header %s missing", k)
		}
	}
	for _, k := range ser.ForbidHeaders {
		if _, ok := req.Header[http.CanonicalHeaderKey(k)]; ok {
			t.Errorf("header %s present, forbidden", k)
		}
	}
	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(req.Body)
		if err != nil {
			t.Fatal(err)
		}
	}
	if ser.Body == noBody {
		ser.Body = string(body) // nothing to check; the server decodes what we sent
	} else if d := s.BodyEqual(body, []byte(ser.Body)); d != "" {
		t.Errorf("body: %s\n got: %s\nwant: %s", d, body, ser.Body)
	}

	if s.ServerSkip != nil {
		if why := s.ServerSkip(c); why != "" {
			t.Logf("server decode not checked: %s", why)
			return
		}
	}
	// Server side: decode AWS's own bytes (our headers fill what the case omits).
	sreq := httptest.NewRequest(ser.Method, "http://"+req.URL.Host+ser.URI, bytes.NewReader([]byte(ser.Body)))
	if ser.Method == "" {
		sreq.Method = req.Method
	}
	sreq.URL.Path, sreq.URL.RawPath = req.URL.Path, req.URL.RawPath // keep the base path off routing
	if u, err := url.Parse(ser.URI); err == nil {
		sreq.URL.RawQuery = u.RawQuery
		sreq.URL.Path, sreq.URL.RawPath = u.Path, u.RawPath
	}
	if base := strings.TrimRight(endpoint.Path, "/"); base != "" {
		// Servers are mounted at the root: strip the client's base path.
		sreq.URL.Path = strings.TrimPrefix(sreq.URL.Path, base)
		sreq.URL.RawPath = strings.TrimPrefix(sreq.URL.RawPath, base)
	}
	for k, v := range req.Header {
		sreq.Header[k] = v
	}
	for k, v := range ser.Headers {
		sreq.Header.Set(k, v)
	}
	got, err := s.Codec.DecodeRequest(op, sreq)
	if err != nil {
		t.Fatalf("DecodeRequest: %v", err)
	}
	if d := Diff(got, want); d != "" {
		t.Errorf("server decode: %s", d)
	}
}

func uriEqual(got, want string) bool {
	if got == want {
		return true
	}
	gp, gq, _ := strings.Cut(got, "?")
	wp, wq, _ := strings.Cut(want, "?")
	if gp != wp {
		return false
	}
	// Query parameter order is not significant to AWS.
	split := func(q string) []string {
		if q == "" {
			return nil
		}
		p := strings.Split(q, "&")
		sort.Strings(p)
		return p
	}
	return reflect.DeepEqual(split(gq), split(wq))
}

func runOutput(t *testing.T, s Suite, c protocoltest.Case, op *model.Operation) {
	resp := c.Response
	mk := func() *http.Response {
		h := http.Header{}
		for k, v := range resp.Headers {
			h.Set(k, v)
		}
		status := resp.StatusCode
		if status == 0 {
			status = 200
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(resp.Body))}
	}
	out, err := s.Codec.UnmarshalResponse(op, mk())
	if c.ErrorCode != "" || c.Error != nil {
		var ae *protocol.APIError
		if !errors.As(err, &ae) {
			t.Fatalf("UnmarshalResponse: got %v, %v; want APIError %s", out, err, c.ErrorCode)
		}
		checkError(t, c, ae)
		// Round trip: the server encodes the error, the client reads it back.
		rec := httptest.NewRecorder()
		if err := s.Codec.EncodeError(rec, op, ae, protocol.ResponseMeta{RequestID: "req-1"}); err != nil {
			t.Fatalf("EncodeError: %v", err)
		}
		_, err2 := s.Codec.UnmarshalResponse(op, rec.Result())
		var ae2 *protocol.APIError
		if !errors.As(err2, &ae2) {
			t.Fatalf("round trip: %v, want APIError", err2)
		}
		if ae2.Code != ae.Code || ae2.Message != ae.Message || ae2.StatusCode != ae.StatusCode || ae2.RequestID != "req-1" {
			t.Errorf("round trip error = %+v, want %+v", ae2, ae)
		}
		if d := Diff(ae2.Fields, ae.Fields); d != "" {
			t.Errorf("round trip error fields: %s", d)
		}
		return
	}
	if err != nil {
		t.Fatalf("UnmarshalResponse: %v", err)
	}
	want := map[string]any{}
	if op.Output != nil && c.Result != nil {
		nv, err := protocol.Normalize(op.Output, c.Result)
		if err != nil {
			t.Fatalf("normalize result: %v", err)
		}
		want = nv.(map[string]any)
	}
	if d := Diff(out, want); d != "" {
		t.Errorf("client unmarshal: %s", d)
	}
	rec := httptest.NewRecorder()
	if err := s.Codec.EncodeResponse(rec, op, want, protocol.ResponseMeta{}); err != nil {
		t.Fatalf("EncodeResponse: %v", err)
	}
	back, err := s.Codec.UnmarshalResponse(op, rec.Result())
	if err != nil {
		t.Fatalf("round trip UnmarshalResponse: %v", err)
	}
	if d := Diff(back, want); d != "" {
		t.Errorf("server encode -> client unmarshal: %s", d)
	}
}

func checkError(t *testing.T, c protocoltest.Case, ae *protocol.APIError) {
	t.Helper()
	if c.ErrorCode != "" && ae.Code != c.ErrorCode {
		t.Errorf("error code = %q, want %q", ae.Code, c.ErrorCode)
	}
	if c.ErrorMessage != "" && ae.Message != c.ErrorMessage {
		t.Errorf("error message = %q, want %q", ae.Message, c.ErrorMessage)
	}
	if c.Response.StatusCode != 0 && ae.StatusCode != c.Response.StatusCode {
		t.Errorf("status = %d, want %d", ae.StatusCode, c.Response.StatusCode)
	}
	for k, v := range c.Error {
		if strings.EqualFold(k, "message") {
			continue
		}
		got, ok := ae.Fields[k]
		if !ok {
			t.Errorf("error field %s missing (fields %v)", k, ae.Fields)
			continue
		}
		if d := Diff(looseJSON(got), looseJSON(v)); d != "" {
			t.Errorf("error field %s: %s", k, d)
		}
	}
}

// looseJSON turns a value into its JSON-decoded form for comparison with the
// suite's literal error fields.
func looseJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// JSONBodyEqual compares JSON bodies semantically (and other bodies byte for
// byte); it returns "" when equal.
func JSONBodyEqual(got, want []byte) string {
	gt, wt := bytes.TrimSpace(got), bytes.TrimSpace(want)
	if bytes.Equal(gt, wt) {
		return ""
	}
	var g, w any
	if json.Unmarshal(wt, &w) == nil && len(wt) > 0 {
		if err := json.Unmarshal(gt, &g); err != nil {
			return "not JSON: " + err.Error()
		}
		return Diff(g, w)
	}
	return "bodies differ"
}

// Diff compares two protocol values (maps, lists, scalars, time.Time,
// []byte, io.Reader read to the end, NaN equal to NaN) and describes the
// first difference, or returns "".
func Diff(got, want any) string {
	return diff(got, want, "$")
}

func diff(got, want any, path string) string {
	if r, ok := got.(io.Reader); ok {
		if _, isBytes := got.([]byte); !isBytes {
			b, _ := io.ReadAll(r)
			got = b
		}
	}
	if r, ok := want.(io.Reader); ok {
		b, _ := io.ReadAll(r)
		want = b
	}
	switch w := want.(type) {
	case nil:
		if got != nil {
			if m, ok := got.(map[string]any); ok && len(m) == 0 {
				return ""
			}
			return fmt.Sprintf("%s: got %#v, want nil", path, got)
		}
		return ""
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if got == nil && len(w) == 0 {
				return ""
			}
			return fmt.Sprintf("%s: got %T, want map", path, got)
		}
		keys := map[string]bool{}
		for k := range g {
			keys[k] = true
		}
		for k := range w {
			keys[k] = true
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			gv, gok := g[k]
			wv, wok := w[k]
			// A nil member is an absent member.
			gok = gok && gv != nil
			wok = wok && wv != nil
			if gok != wok {
				return fmt.Sprintf("%s.%s: present in got=%v (%#v), want=%v (%#v)", path, k, gok, gv, wok, wv)
			}
			if d := diff(gv, wv, path+"."+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok {
			return fmt.Sprintf("%s: got %T, want list", path, got)
		}
		if len(g) != len(w) {
			return fmt.Sprintf("%s: got %d items, want %d", path, len(g), len(w))
		}
		for i := range w {
			if d := diff(g[i], w[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case time.Time:
		g, ok := got.(time.Time)
		if !ok || !g.Equal(w) {
			return fmt.Sprintf("%s: got %v, want %v", path, got, w)
		}
		return ""
	case []byte:
		g, ok := got.([]byte)
		if !ok || !bytes.Equal(g, w) {
			return fmt.Sprintf("%s: got %q, want %q", path, got, w)
		}
		return ""
	case json.Number:
		if g, ok := got.(float64); ok {
			f, _ := w.Float64()
			return diff(g, f, path)
		}
		if g, ok := got.(json.Number); ok && g == w {
			return ""
		}
		return fmt.Sprintf("%s: got %#v, want %v", path, got, w)
	case float64:
		g, ok := got.(float64)
		if !ok || !(g == w || math.IsNaN(g) && math.IsNaN(w)) {
			return fmt.Sprintf("%s: got %#v, want %v", path, got, w)
		}
		return ""
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("%s: got %#v, want %#v", path, got, want)
	}
	return ""
}
