package restxml_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

// s3Keys are object keys the generator uses for the greedy {Key+} label:
// spaces, '+', unicode, '/' and characters the path must escape.
var s3Keys = []string{"a", "my photo.jpg", "dir/sub dir/ünï €.txt", "a+b=c&d", "100% real?#frag", "~tilde;semi:colon@at",
	"comma,list, x", "/leading//double/", "dot/./dotdot/../x", "tab\tnew\nline"}

// s3Strings are the generated strings: the shared sample plus commas (in
// scalar headers "max-age=1, public" is one value) and '='/';' pairs.
var s3Strings = []string{"a", "hello world", "ünï €", "x&y<z>\"'", "line\nbreak\ttab", "123", "/path/to key", "  padded  ",
	"max-age=1, public", "a,b,,c", "k=v; k2=v2", "\"quoted\""}

// s3Buckets are non-empty, path-safe bucket names (and other plain labels).
var s3Buckets = []string{"bucket", "my-bucket.example", "b1"}

// s3RoundTripExclusions are members that cannot round-trip through the
// HTTP binding, with the reason. They are left out of generated values; the
// list is explicit so a change in the model or codec shows up here.
// Keys are "StructureShape.Member".
var s3RoundTripExclusions = map[string]string{
	// The deprecated notification configurations model both Event (a single
	// <Event>) and Events (a flattened list, each item also <Event>): a
	// document with <Event> elements is ambiguous, the decoder fills both.
	// botocore has the same overlap; clients use Events.
	"CloudFunctionConfiguration.Event":   "same element name as the flattened Events list",
	"TopicConfigurationDeprecated.Event": "same element name as the flattened Events list",
	"QueueConfigurationDeprecated.Event": "same element name as the flattened Events list",
}

// excludedRefs resolves s3RoundTripExclusions to member references; a name
// the model no longer has fails the test, so the list stays honest.
func excludedRefs(t *testing.T, svc *model.Service) map[*model.ShapeRef]bool {
	refs := map[*model.ShapeRef]bool{}
	for k := range s3RoundTripExclusions {
		sn, mn, _ := strings.Cut(k, ".")
		sh := svc.Shapes[sn]
		if sh == nil || sh.Members[mn] == nil {
			t.Fatalf("exclusion %s: no such member in the S3 model", k)
		}
		refs[sh.Members[mn]] = true
	}
	return refs
}

// s3GenSkip reports whether the generator leaves ref out: excluded members,
// and body members where the response may carry no body.
func s3GenSkip(excl map[*model.ShapeRef]bool, inBody bool) func(ref *model.ShapeRef) bool {
	return func(ref *model.ShapeRef) bool {
		if excl[ref] {
			return true
		}
		// Where the status code forbids a body (204, 304) or the method is
		// HEAD, only header and status members are generated.
		if !inBody && ref.Location == "" {
			return true
		}
		return false
	}
}

// bodyAllowed reports whether op's successful response may have a body.
func bodyAllowed(op *model.Operation) bool {
	if op.HTTP.Method == http.MethodHead {
		return false
	}
	switch op.HTTP.ResponseCode {
	case http.StatusNoContent, http.StatusNotModified:
		return false
	}
	return true
}

func TestS3RoundTrip(t *testing.T) {
	svc := s3(t)
	codec := restxml.New()
	ep, _ := url.Parse("https://s3.us-east-1.amazonaws.com")
	const rounds = 4
	excl := excludedRefs(t, svc)
	var ops, ins, outs int
	for oi, name := range svc.OperationNames() {
		op := svc.Operations[name]
		ops++
		gen := xmltest.NewGen(int64(1000 + oi))
		gen.MaxDepth = 6
		gen.Strings = s3Strings
		for i := 0; i < rounds; i++ {
			if op.Input != nil && op.Input.Shape != nil {
				gen.Skip = s3GenSkip(excl, true)
				in, _ := gen.Value(op.Input, 0).(map[string]any)
				if in == nil {
					in = map[string]any{}
				}
				var payload []byte
				for _, mn := range op.Input.Shape.MemberNames {
					ref := op.Input.Shape.Members[mn]
					if ref.HostLabel {
						// S3 Object Lambda's RequestRoute becomes the
						// host's first label: a valid DNS label.
						in[mn] = fmt.Sprintf("route-%d", i)
					} else if ref.Location == "uri" {
						if mn == "Key" {
							in[mn] = s3Keys[(i+oi)%len(s3Keys)]
						} else if ref.Shape.Type == "string" && len(ref.Shape.Enum) == 0 {
							in[mn] = s3Buckets[(i+oi)%len(s3Buckets)]
						}
					}
					if ref.Streaming || ref.Shape.Streaming {
						payload = []byte("payload of " + name)
						if i%2 == 1 {
							payload = []byte{}
						}
					}
				}
				headerSafe(op.Input.Shape, in)
				wholeSecondDates(op.Input.Shape, in)
				fixContentLength(op.Input.Shape, in, payload, true)
				want, err := protocol.Normalize(op.Input, in)
				if err != nil {
					t.Fatalf("%s: normalize input: %v", name, err)
				}
				sent := copyTop(in)
				if payload != nil {
					pn, _ := restPayloadName(op.Input.Shape)
					sent[pn] = bytes.NewReader(payload)
					wm := want.(map[string]any)
					if len(payload) > 0 {
						wm[pn] = payload
					}
				}
				req, err := codec.MarshalRequest(context.Background(), op, ep, sent)
				if err != nil {
					t.Errorf("%s: marshal: %v (input %#v)", name, err, in)
					continue
				}
				// Through HTTP/1.1 wire bytes, as a server would read it.
				var wire bytes.Buffer
				if err := req.Write(&wire); err != nil {
					t.Errorf("%s: write request: %v", name, err)
					continue
				}
				sreq, err := http.ReadRequest(bufio.NewReader(&wire))
				if err != nil {
					t.Errorf("%s: read request: %v\n%s", name, err, wire.String())
					continue
				}
				got, err := codec.DecodeRequest(op, sreq)
				if err != nil {
					t.Errorf("%s: server decode: %v (url %s)", name, err, req.URL)
					continue
				}
				gotN := readEmptyAsAbsent(got)
				dropExcluded(excl, op.Input, gotN)
				wantN := stripIdemTokens(op, want.(map[string]any))
				if d := xmltest.Diff(wantN, stripIdemTokens(op, gotN)); d != "" {
					t.Errorf("%s: request round trip: %s\nurl %s", name, d, req.URL)
				}
				ins++
			}
			if op.Output != nil && op.Output.Shape != nil {
				gen.Skip = s3GenSkip(excl, bodyAllowed(op))
				out, _ := gen.Value(op.Output, 0).(map[string]any)
				if out == nil {
					out = map[string]any{}
				}
				var payload []byte
				pn, pref := restPayloadName(op.Output.Shape)
				if pref != nil && (pref.Streaming || pref.Shape.Streaming) && bodyAllowed(op) {
					payload = []byte("object body of " + name)
				}
				headerSafe(op.Output.Shape, out)
				wholeSecondDates(op.Output.Shape, out)
				fixContentLength(op.Output.Shape, out, payload, bodyAllowed(op))
				want, err := protocol.Normalize(op.Output, out)
				if err != nil {
					t.Fatalf("%s: normalize output: %v", name, err)
				}
				sent := copyTop(out)
				if payload != nil {
					sent[pn] = bytes.NewReader(payload)
					want.(map[string]any)[pn] = payload
				}
				rec := httptest.NewRecorder()
				if err := codec.EncodeResponse(rec, op, sent, protocol.ResponseMeta{RequestID: "rid"}); err != nil {
					t.Errorf("%s: encode: %v", name, err)
					continue
				}
				if !bodyAllowed(op) && rec.Body.Len() != 0 {
					t.Errorf("%s: %d response has a body %q", name, rec.Code, rec.Body.String())
				}
				var wire bytes.Buffer
				res := rec.Result()
				res.Request = &http.Request{Method: op.HTTP.Method} // a HEAD answer keeps its Content-Length
				if err := res.Write(&wire); err != nil {
					t.Errorf("%s: write response: %v", name, err)
					continue
				}
				resp, err := http.ReadResponse(bufio.NewReader(&wire), &http.Request{Method: op.HTTP.Method})
				if err != nil {
					t.Errorf("%s: read response: %v\n%s", name, err, wire.String())
					continue
				}
				got, err := codec.UnmarshalResponse(op, resp)
				if err != nil {
					t.Errorf("%s: unmarshal: %v\n%s", name, err, rec.Body.String())
					continue
				}
				got = readEmptyAsAbsent(got)
				dropExcluded(excl, op.Output, got)
				prefixMapsPresent(op.Output.Shape, want.(map[string]any))
				if d := xmltest.Diff(want, got); d != "" {
					t.Errorf("%s: response round trip: %s\n%s", name, d, rec.Body.String())
				}
				outs++
			}
		}
	}
	t.Logf("S3: %d operations, %d inputs and %d outputs round-tripped", ops, ins, outs)
}

// prefixMapsPresent sets every absent headers-prefix map (Metadata) of a
// response value to {}: the client decodes an absent prefix map as {}, as
// botocore does (head_object always answers Metadata {}), so for these
// members only, absent and {} are the same answer.
func prefixMapsPresent(sh *model.Shape, want map[string]any) {
	for name, ref := range sh.Members {
		if ref.Location != "headers" {
			continue
		}
		if _, ok := want[name]; !ok {
			want[name] = map[string]any{}
		}
	}
}

func restPayloadName(sh *model.Shape) (string, *model.ShapeRef) {
	if sh.Payload == "" {
		return "", nil
	}
	return sh.Payload, sh.Members[sh.Payload]
}

func copyTop(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// readEmptyAsAbsent reads streaming members; an empty stream is the same as
// no payload.
func readEmptyAsAbsent(m map[string]any) map[string]any {
	for k, v := range m {
		if r, ok := v.(interface{ Read([]byte) (int, error) }); ok {
			var buf bytes.Buffer
			buf.ReadFrom(r)
			if buf.Len() == 0 {
				delete(m, k)
			} else {
				m[k] = buf.Bytes()
			}
		}
	}
	return m
}

func stripIdemTokens(op *model.Operation, m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if r := op.Input.Shape.Members[k]; r != nil && r.IdempotencyToken {
			continue
		}
		out[k] = v
	}
	return out
}

// wholeSecondDates truncates timestamps written in HTTP-date form (RFC
// 822: the header default, and members whose shape says rfc822, such as
// DeleteObjects' LastModifiedTime in the body): that format has no fraction
// of a second, so a generated .123 cannot survive the wire.
func wholeSecondDates(sh *model.Shape, v map[string]any) {
	for mn, mv := range v {
		if ref := sh.Members[mn]; ref != nil {
			v[mn] = truncDates(ref, mv, ref.Location == "header")
		}
	}
}

func truncDates(ref *model.ShapeRef, v any, header bool) any {
	switch x := v.(type) {
	case time.Time:
		f := ref.TimestampFormat
		if f == "" {
			f = ref.Shape.TimestampFormat
		}
		if f == "rfc822" || f == "" && header {
			return x.Truncate(time.Second)
		}
	case map[string]any:
		if ref.Shape.Type == "map" {
			for k, mv := range x {
				x[k] = truncDates(ref.Shape.Value, mv, header)
			}
			return x
		}
		for k, mv := range x {
			if mref := ref.Shape.Members[k]; mref != nil {
				x[k] = truncDates(mref, mv, false)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = truncDates(ref.Shape.Member, e, header)
		}
	}
	return v
}

// dropExcluded removes excluded members at any depth of v (a value of ref).
func dropExcluded(excl map[*model.ShapeRef]bool, ref *model.ShapeRef, v any) {
	switch x := v.(type) {
	case map[string]any:
		if ref.Shape.Type == "map" {
			for _, mv := range x {
				dropExcluded(excl, ref.Shape.Value, mv)
			}
			return
		}
		for k, mv := range x {
			mref := ref.Shape.Members[k]
			if mref == nil {
				continue
			}
			if excl[mref] {
				delete(x, k)
				continue
			}
			dropExcluded(excl, mref, mv)
		}
	case []any:
		for _, e := range x {
			dropExcluded(excl, ref.Shape.Member, e)
		}
	}
}

// fixContentLength sets the Content-Length member to what HTTP will carry:
// the body's length where there is a body (the client reads it from the
// header the transport writes), a non-negative size on a HEAD answer (the
// object's size; 0 when absent, as net/http reports it).
func fixContentLength(sh *model.Shape, v map[string]any, payload []byte, body bool) {
	for _, mn := range sh.MemberNames {
		ref := sh.Members[mn]
		if ref.Location != "header" || !strings.EqualFold(ref.LocationName, "Content-Length") {
			continue
		}
		switch n, _ := v[mn].(int64); {
		case body && payload != nil:
			v[mn] = int64(len(payload))
		case n < 0:
			v[mn] = -n
		case v[mn] == nil:
			v[mn] = int64(0)
		}
	}
}

// headerSafe replaces the generated values that HTTP/1.1 cannot carry in a
// header: a field value loses leading and trailing whitespace (RFC 9110
// 5.5, optional whitespace) and cannot hold CR, LF or other controls (Go
// writes a newline as a space), and a prefix-header map key (x-amz-meta-*)
// must be a token and arrives lower-cased. These are limits of HTTP, not of
// the codec: S3 rejects or strips such values too. Commas, quotes, '=' ';'
// and non-ASCII text are kept.
func headerSafe(sh *model.Shape, v map[string]any) {
	for mn, mv := range v {
		ref := sh.Members[mn]
		if ref == nil {
			continue
		}
		switch ref.Location {
		case "header":
			if s, ok := mv.(string); ok && !headerValueOK(s) {
				v[mn] = "hello world"
			}
		case "headers":
			m, ok := mv.(map[string]any)
			if !ok {
				continue
			}
			nm := map[string]any{}
			for k, e := range m {
				if s, ok := e.(string); ok && !headerValueOK(s) {
					e = "hello world"
				}
				nm[headerToken(k)] = e
			}
			v[mn] = nm
		}
	}
}

func headerValueOK(s string) bool {
	if strings.TrimSpace(s) != s {
		return false
	}
	for _, c := range s {
		if c < 0x20 && c != '\t' || c == 0x7f || c == '\t' {
			return false
		}
	}
	return true
}

// headerToken makes k a lower-case header-name token.
func headerToken(k string) string {
	b := []byte(strings.ToLower(k))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "k"
	}
	return string(b)
}
