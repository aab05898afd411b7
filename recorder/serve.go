package recorder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/google/go-cmp/cmp"
)

// Handler serves the recorder at an endpoint: each request an SDK sends to
// it (boto3, the AWS CLI, the JS SDK with endpoint_url pointing here) goes
// through RoundTrip, so those clients replay the same cassette as Go
// tests. A miss answers 599 with the mismatch report as the body.
func (r *Recorder) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		out := req.Clone(req.Context())
		out.RequestURI = ""
		u := *req.URL
		u.Scheme, u.Host = "http", req.Host
		out.URL = &u
		resp, err := r.RoundTrip(out)
		if err != nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(599)
			fmt.Fprintln(w, err)
			return
		}
		defer resp.Body.Close()
		for k, vs := range resp.Header {
			w.Header()[k] = append([]string(nil), vs...)
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	})
}

// WithFallback serves a replay miss from rt (for example an emulator's
// Transport) instead of failing: replay-or-emulate. What the fallback
// answers is not recorded.
func WithFallback(rt http.RoundTripper) Option { return func(c *config) { c.fallback = rt } }

// Difference is an interaction whose answer from the target differs from
// the recorded one.
type Difference struct {
	ID        int
	Service   string
	Operation string
	// Diff is the go-cmp diff (-recorded +target) of status, compared
	// headers and decoded body; Err a transport error from the target.
	Diff string
	Err  error
}

func (d Difference) String() string {
	if d.Err != nil {
		return fmt.Sprintf("#%d %s %s: %v", d.ID, d.Service, d.Operation, d.Err)
	}
	return fmt.Sprintf("#%d %s %s (-recorded +target):\n%s", d.ID, d.Service, d.Operation, d.Diff)
}

// VerifyOption tunes Verify.
type VerifyOption func(*verifyConfig)

type verifyConfig struct {
	env           *env // placeholders become this endpoint and region
	ignore        map[string]bool
	headers       map[string]bool // compared besides the default set
	ignoreHeaders map[string]bool // never compared
}

// verifyVolatileHeaders are x-amz-* response headers that differ on every
// call (request ids, trace ids) or only restate the body (its checksum).
var verifyVolatileHeaders = map[string]bool{
	"X-Amz-Request-Id": true, "X-Amz-Id-2": true, "X-Amzn-Requestid": true, "X-Amzn-Trace-Id": true,
	"X-Amz-Cf-Id": true, "X-Amz-Cf-Pop": true, "X-Amz-Date": true, "X-Amz-Crc32": true,
}

// VerifyEnvironment sends Verify's requests with the cassette's
// placeholders (EndpointPlaceholder, RegionPlaceholder) replaced by endpoint
// (scheme://host[:port]; "" keeps the placeholder) and region, and puts the
// same values into the recorded answers before comparing: a target that
// derives URLs or behaviour from them (S3's location constraint, SQS queue
// URLs) is verified as the recording saw it.
func VerifyEnvironment(endpoint, region string) VerifyOption {
	return func(c *verifyConfig) {
		e := env{region: region}
		if u, err := url.Parse(endpoint); err == nil && endpoint != "" && u.Host != "" {
			e.origin, e.host = u.Scheme+"://"+u.Host, u.Host
		}
		c.env = &e
	}
}

// VerifyHeaders adds response headers to Verify's comparison. By default
// it compares ETag, Content-Type and every x-amz-* / x-amzn-* header but
// request ids, trace ids, X-Amz-Date and X-Amz-Crc32 (the body is compared
// itself); a header present on one side only is a difference.
func VerifyHeaders(names ...string) VerifyOption {
	return func(c *verifyConfig) {
		for _, n := range names {
			c.headers[http.CanonicalHeaderKey(n)] = true
			delete(c.ignoreHeaders, http.CanonicalHeaderKey(n))
		}
	}
}

// IgnoreResponseHeaders leaves response headers out of Verify's comparison.
func IgnoreResponseHeaders(names ...string) VerifyOption {
	return func(c *verifyConfig) {
		for _, n := range names {
			c.ignoreHeaders[http.CanonicalHeaderKey(n)] = true
			delete(c.headers, http.CanonicalHeaderKey(n))
		}
	}
}

// comparedHeaders picks the headers Verify compares.
func (c *verifyConfig) comparedHeaders(h http.Header) map[string]any {
	out := map[string]any{}
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		if c.ignoreHeaders[ck] {
			continue
		}
		def := ck == "Etag" || ck == "Content-Type" ||
			((strings.HasPrefix(ck, "X-Amz-") || strings.HasPrefix(ck, "X-Amzn-")) && !verifyVolatileHeaders[ck])
		if def || c.headers[ck] {
			out[ck] = strings.Join(vs, ", ")
		}
	}
	return out
}

// IgnoreResponseFields leaves body members (at any depth, by name: JSON
// members, XML leaf elements) out of Verify's comparison: request ids,
// timestamps, generated ids.
func IgnoreResponseFields(names ...string) VerifyOption {
	return func(c *verifyConfig) {
		for _, n := range names {
			c.ignore[n] = true
		}
	}
}

// Verify replays every interaction of the cassette at path, in order,
// against target (an emulator's Transport, or an http.Client's transport to
// a running fakecloud) and reports where the target's answers differ from
// the recorded ones: status, selected headers (see VerifyHeaders) and
// decoded body (JSON as values, XML and text as text), one go-cmp diff per
// interaction. Placeholders in requests are
// sent as they are: the target sees the endpoint EndpointPlaceholder and
// region RegionPlaceholder.
func Verify(ctx context.Context, path string, target http.RoundTripper, opts ...VerifyOption) ([]Difference, error) {
	c, err := LoadCassette(path)
	if err != nil {
		return nil, err
	}
	vc := verifyConfig{ignore: map[string]bool{}, headers: map[string]bool{}, ignoreHeaders: map[string]bool{}}
	for _, o := range opts {
		o(&vc)
	}
	var out []Difference
	for _, in := range c.Interactions {
		if vc.env != nil {
			in = withEnv(in, *vc.env)
		}
		hr, err := in.Request.toHTTPRequest()
		if err != nil {
			return out, fmt.Errorf("recorder: interaction %d: %w", in.ID, err)
		}
		hr = hr.WithContext(ctx)
		hr.Body = io.NopCloser(strings.NewReader(string(in.Request.Body)))
		hr.ContentLength = int64(len(in.Request.Body))
		hr.Header.Del("Content-Length")
		d := Difference{ID: in.ID, Service: in.Service, Operation: in.Operation}
		resp, err := target.RoundTrip(hr)
		if err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			if in.Error == "" {
				d.Err = err
				out = append(out, d)
			}
			continue
		}
		body, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if rerr != nil {
			d.Err = rerr
			out = append(out, d)
			continue
		}
		want := map[string]any{"error": in.Error}
		if in.Response != nil {
			want = answer(in.Response.Status, in.Response.Body, vc.ignore)
			want["headers"] = vc.comparedHeaders(in.Response.Headers)
		}
		got := answer(resp.StatusCode, body, vc.ignore)
		got["headers"] = vc.comparedHeaders(resp.Header)
		if diff := cmp.Diff(want, got); diff != "" {
			d.Diff = diff
			out = append(out, d)
		}
	}
	return out, nil
}

// withEnv is a copy of in with the placeholders replaced by e.
func withEnv(in *Interaction, e env) *Interaction {
	cp := *in
	cp.Request.Headers = in.Request.Headers.Clone()
	cp.Request.Body = append([]byte(nil), in.Request.Body...)
	if in.Response != nil {
		r := *in.Response
		r.Headers = in.Response.Headers.Clone()
		r.Body = append([]byte(nil), in.Response.Body...)
		cp.Response = &r
	}
	from := env{region: RegionPlaceholder}
	if e.origin != "" {
		from.origin, from.host = EndpointPlaceholder, endpointHost
	}
	if e.region == "" {
		from.region = ""
	}
	rewriteEnv(&cp, from, e)
	return &cp
}

func answer(status int, body []byte, ignore map[string]bool) map[string]any {
	a := map[string]any{"status": int64(status)}
	if len(body) > 0 {
		if v, err := decodeJSONValue(body); err == nil {
			a["body"] = dropKeys(v, ignore)
		} else {
			a["body"] = dropXMLLeaves(string(body), ignore)
		}
	}
	return a
}

// dropXMLLeaves empties the text of ignored leaf elements of an XML body
// (<UserId>x</UserId> -> <UserId/>), so IgnoreResponseFields covers the
// query and rest-xml protocols as well as JSON.
func dropXMLLeaves(body string, ignore map[string]bool) string {
	if len(ignore) == 0 || !strings.HasPrefix(strings.TrimSpace(body), "<") {
		return body
	}
	for name := range ignore {
		q := regexp.QuoteMeta(name)
		re := regexp.MustCompile(`<` + q + `(\s[^>]*)?>[^<]*</` + q + `>`)
		body = re.ReplaceAllString(body, "<"+name+"/>")
	}
	return body
}

func dropKeys(v any, ignore map[string]bool) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if ignore[k] {
				delete(x, k)
			} else {
				x[k] = dropKeys(e, ignore)
			}
		}
	case []any:
		for i := range x {
			x[i] = dropKeys(x[i], ignore)
		}
	}
	return v
}

// Fault is an answer injected on replay in place of a recorded one.
type Fault struct {
	// Status and Code make an AWS error response in the request's
	// protocol, written by the service's own codec (protocol.Codec's
	// EncodeError) when the request decodes against a model, by hand
	// (JSON __type, query ErrorResponse, S3 Error) otherwise. The faults
	// ThrottlingFault and ServerFault make leave them empty: the service's
	// own code, status and message are filled in per request.
	Status  int
	Code    string
	Message string
	// Err, when set, is returned as a transport error instead.
	Err error

	kind faultKind
}

type faultKind int

const (
	customFault faultKind = iota
	throttleFault
	serverFault
)

// ThrottlingFault is the service's own throttling answer, picked from the
// operation's modeled errors and the protocol: DynamoDB data calls get 400
// ProvisionedThroughputExceededException, calls modelling
// ThrottlingException, RequestThrottled (SQS), Throttled (SNS 429) and the
// like get that error; otherwise JSON protocols answer 400
// ThrottlingException, query 400 Throttling, EC2 503 RequestLimitExceeded
// and S3 (rest-xml) 503 SlowDown. botocore's standard retryer treats all
// of them as throttling except SNS's 429 Throttled, as it does with SNS
// itself.
func ThrottlingFault() Fault { return Fault{kind: throttleFault} }

// ServerFault is the service's own internal error: the operation's modeled
// server fault (DynamoDB InternalServerError, SNS InternalError, KMS
// KMSInternalException ...) or else 500 InternalFailure (InternalError for
// S3 and EC2).
func ServerFault() Fault { return Fault{kind: serverFault} }

// throttlingCodes are the modeled errors that mean "slow down", most
// specific first (botocore's _retry.json throttling codes, without the
// quota-type LimitExceededException).
var throttlingCodes = []string{
	"ProvisionedThroughputExceededException", "ThrottlingException", "ThrottledException", "Throttled",
	"RequestThrottledException", "RequestThrottled", "TooManyRequestsException", "Throttling",
	"SlowDown", "RequestLimitExceeded", "EC2ThrottledException",
}

const (
	throttleMessage = "Rate exceeded"
	serverMessage   = "We encountered an internal error. Please try again."
)

// resolveFault fills in code, status and message of a throttling or server
// fault for operation op (nil when the request did not decode) in protocol
// proto.
func resolveFault(f Fault, op *model.Operation, proto string) Fault {
	if f.kind == customFault || f.Code != "" {
		if f.Status == 0 {
			f.Status = 500
		}
		return f
	}
	var errs []*model.Shape
	if op != nil {
		for _, e := range op.Errors {
			if e != nil && e.Shape != nil {
				errs = append(errs, e.Shape)
			}
		}
	}
	switch f.kind {
	case throttleFault:
		for _, code := range throttlingCodes {
			for _, sh := range errs {
				if sh.Name == code || sh.ErrorCode() == code {
					f.Code, f.Status = sh.ErrorCode(), sh.ErrorStatus()
					if code == "ProvisionedThroughputExceededException" {
						f.Message = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."
					}
					return withDefaults(f, throttleMessage)
				}
			}
		}
		switch proto {
		case "query":
			f.Code, f.Status = "Throttling", 400
		case "ec2":
			f.Code, f.Status = "RequestLimitExceeded", 503
		case "rest-xml":
			f.Code, f.Status, f.Message = "SlowDown", 503, "Please reduce your request rate."
		default:
			f.Code, f.Status = "ThrottlingException", 400
		}
		return withDefaults(f, throttleMessage)
	default:
		// An "internal" error first (KMS ListKeys models both
		// DependencyTimeoutException and KMSInternalException), then
		// any 500, then any server fault.
		for _, pick := range []func(*model.Shape) bool{
			func(sh *model.Shape) bool { return strings.Contains(sh.Name, "Internal") && sh.ErrorStatus() >= 500 },
			func(sh *model.Shape) bool { return sh.ErrorStatus() == 500 },
			func(sh *model.Shape) bool { return sh.Fault || sh.ErrorStatus() >= 500 },
		} {
			for _, sh := range errs {
				if pick(sh) {
					f.Code, f.Status = sh.ErrorCode(), sh.ErrorStatus()
					return withDefaults(f, serverMessage)
				}
			}
		}
		f.Code, f.Status = "InternalFailure", 500
		if proto == "rest-xml" || proto == "ec2" {
			f.Code = "InternalError"
		}
		return withDefaults(f, serverMessage)
	}
}

func withDefaults(f Fault, msg string) Fault {
	if f.Message == "" {
		f.Message = msg
	}
	if f.Status == 0 {
		f.Status = 400
	}
	return f
}

// TransportFault is a connection-level error (reset, timeout).
func TransportFault(err error) Fault { return Fault{Err: err} }

// FaultMatcher picks the live calls that get a fault; n counts calls of
// the same service and operation, from 1.
type FaultMatcher func(c Call, n int) bool

// OnCall matches the nth call (from 1) of one operation: OnCall("dynamodb",
// "PutItem", 3) is the third PutItem.
func OnCall(service, operation string, n int) FaultMatcher {
	return func(c Call, k int) bool { return c.Service == service && c.Operation == operation && k == n }
}

// InjectFault answers the calls when matches with fault instead of the
// cassette (or the network), e.g. "throttle the 3rd PutItem":
//
//	recorder.InjectFault(recorder.OnCall("dynamodb", "PutItem", 3), recorder.ThrottlingFault())
//
// The recorded interaction is not used up, so the SDK's retry replays it.
func InjectFault(when FaultMatcher, fault Fault) Option {
	return func(c *config) { c.faults = append(c.faults, faultRule{when, fault}) }
}

type faultRule struct {
	when  FaultMatcher
	fault Fault
}

type faultState struct {
	mu     sync.Mutex
	counts map[string]int
}

// faultFor counts the call and returns the fault to inject, if any.
func (r *Recorder) faultFor(c Call) (Fault, bool) {
	if len(r.cfg.faults) == 0 {
		return Fault{}, false
	}
	r.faults.mu.Lock()
	defer r.faults.mu.Unlock()
	if r.faults.counts == nil {
		r.faults.counts = map[string]int{}
	}
	k := c.Service + "\x00" + c.Operation
	r.faults.counts[k]++
	n := r.faults.counts[k]
	for _, f := range r.cfg.faults {
		if f.when(c, n) {
			return f.fault, true
		}
	}
	return Fault{}, false
}

// faultRequestID is the request id injected faults carry.
const faultRequestID = "fakecloud-injected-fault"

// faultResponse renders f for req (whose body is body): through the
// service's codec when the request decodes against a model, by hand in
// the protocol the request looks like otherwise.
func faultResponse(req *http.Request, body []byte, f Fault) (*http.Response, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	if d, ok := modelDecodeFull(req, body); ok {
		f = resolveFault(f, d.op, d.codec.Name())
		typ := "Sender"
		if f.Status >= 500 {
			typ = "Receiver"
		}
		w := newFaultWriter()
		apiErr := &protocol.APIError{Code: f.Code, Message: f.Message, StatusCode: f.Status, Type: typ, RequestID: faultRequestID}
		if err := encodeErrorSafe(d.codec, w, d.op, apiErr); err == nil {
			return w.response(req), nil
		}
	}
	proto := "rest-xml"
	switch {
	case req.Header.Get("X-Amz-Target") != "" || strings.Contains(req.Header.Get("Content-Type"), "json"):
		proto = "json"
	case strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || req.URL.Query().Get("Action") != "":
		proto = "query"
	}
	f = resolveFault(f, nil, proto)
	status := f.Status
	h := http.Header{"X-Amzn-Requestid": {faultRequestID}}
	var text string
	switch proto {
	case "json":
		h.Set("Content-Type", "application/x-amz-json-1.0")
		h.Set("X-Amzn-Errortype", f.Code)
		text = fmt.Sprintf(`{"__type":%q,"message":%q}`, f.Code, f.Message)
	case "query":
		h.Set("Content-Type", "text/xml")
		text = fmt.Sprintf("<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>",
			map[bool]string{true: "Receiver", false: "Sender"}[status >= 500], xmlEscape(f.Code), xmlEscape(f.Message), faultRequestID)
	default:
		h.Set("Content-Type", "application/xml")
		text = fmt.Sprintf("<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>", xmlEscape(f.Code), xmlEscape(f.Message), faultRequestID)
	}
	h.Set("Content-Length", fmt.Sprint(len(text)))
	return &http.Response{Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Request: req,
		Body: io.NopCloser(strings.NewReader(text)), ContentLength: int64(len(text))}, nil
}

// encodeErrorSafe shields fault injection from a panicking codec.
func encodeErrorSafe(c protocol.Codec, w http.ResponseWriter, op *model.Operation, e *protocol.APIError) (err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("recorder: codec panicked encoding a fault")
		}
	}()
	return c.EncodeError(w, op, e, protocol.ResponseMeta{RequestID: faultRequestID})
}

// faultWriter is the http.ResponseWriter a codec encodes a fault into.
type faultWriter struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func newFaultWriter() *faultWriter { return &faultWriter{h: http.Header{}} }

func (w *faultWriter) Header() http.Header { return w.h }

func (w *faultWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *faultWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

func (w *faultWriter) response(req *http.Request) *http.Response {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	b := w.body.Bytes()
	w.h.Set("Content-Length", strconv.Itoa(len(b)))
	return &http.Response{Status: fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)), StatusCode: w.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: w.h, Request: req,
		Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b))}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
