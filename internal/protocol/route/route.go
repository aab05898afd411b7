package route

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/query"
)

// MaxFormBody bounds the form body Route reads to find a query Action.
const MaxFormBody = 16 << 20

// Result is an identified request.
type Result struct {
	Service   *model.Service
	Operation *model.Operation
	// Protocol is the wire protocol the request arrived in: usually the
	// service's, but "query" for an old SDK's query request to a service
	// that moved to json (awsQueryCompatible).
	Protocol string
	// Path, when not empty, is the path-style URL path to decode the request
	// with: S3 virtual-host requests get "/bucket" prepended.
	Path  string
	Scope Scope
	// Signed reports whether the request carried a credential scope.
	Signed bool
}

// Error is a request no operation claims.
type Error struct {
	*protocol.APIError
	// Protocol is the protocol to answer in ("json", "query", "ec2",
	// "rest-xml", "rest-json").
	Protocol string
	// Service is the service the request was meant for, when that much is
	// known (its codec can encode the error); nil otherwise.
	Service *model.Service
	// SigningName is the credential scope's service, when signed.
	SigningName string
	// Path, for a request S3 answers (Service is S3), is its path-style URL
	// path when it differs from the request's (a virtual-host request gets
	// "/bucket" prepended), as Result.Path.
	Path string
}

func (e *Error) Unwrap() error { return e.APIError }

// Router routes requests to the operations of a fixed set of services.
// It is safe for concurrent use.
type Router struct {
	services []*entry
	byTarget map[string]*entry
}

type entry struct {
	svc       *model.Service
	protocols map[string]bool
	rest      []*template // sorted most specific first
	s3        bool
}

// New builds a router over services.
func New(services []*model.Service) *Router {
	rt := &Router{byTarget: map[string]*entry{}}
	for _, svc := range services {
		e := &entry{svc: svc, protocols: map[string]bool{svc.Metadata.Protocol: true},
			s3: svc.Metadata.EndpointPrefix == "s3"}
		for _, p := range svc.Metadata.Protocols {
			e.protocols[p] = true
		}
		if svc.Metadata.AWSQueryCompatible != nil {
			e.protocols["query"] = true
		}
		if svc.Metadata.TargetPrefix != "" {
			rt.byTarget[svc.Metadata.TargetPrefix] = e
		}
		if e.protocols["rest-json"] || e.protocols["rest-xml"] {
			for _, name := range svc.OperationNames() {
				op := svc.Operations[name]
				if t := compile(op); t != nil {
					e.rest = append(e.rest, t)
				}
			}
			sortTemplates(e.rest)
		}
		rt.services = append(rt.services, e)
	}
	return rt
}

func (e *entry) restProtocol() string {
	if e.protocols["rest-xml"] {
		return "rest-xml"
	}
	return "rest-json"
}

func (e *entry) queryProtocol() string {
	if e.svc.Metadata.Protocol == "ec2" {
		return "ec2"
	}
	return "query"
}

// Route identifies r's service and operation. It may read and replace r.Body
// (a form-encoded body, to find the Action); the replacement reads the same
// bytes.
func (rt *Router) Route(r *http.Request) (*Result, *Error) {
	scope, signed := ParseScope(r)
	cands := rt.services
	if signed && scope.Service != "" {
		cands = nil
		for _, e := range rt.services {
			md := e.svc.Metadata
			if md.ResolvedSigningName() == scope.Service || md.EndpointPrefix == scope.Service {
				cands = append(cands, e)
			}
		}
		if len(cands) == 0 {
			return nil, &Error{
				APIError:    protocol.NewError("NotImplemented", http.StatusNotImplemented, "fakecloud does not implement the service %q", scope.Service),
				Protocol:    guessProtocol(r),
				SigningName: scope.Service,
			}
		}
	} else if hinted := rt.byHost(r.Host); len(hinted) > 0 {
		cands = hinted
	}
	res := &Result{Scope: scope, Signed: signed}

	// 2. X-Amz-Target.
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		i := strings.LastIndexByte(target, '.')
		if i > 0 {
			prefix, name := target[:i], target[i+1:]
			if e := rt.byTarget[prefix]; e != nil && contains(cands, e) {
				if op, ok := e.svc.Operations[name]; ok {
					res.Service, res.Operation, res.Protocol = e.svc, op, e.svc.Metadata.Protocol
					return res, nil
				}
				return nil, &Error{APIError: unknownOperation(target), Protocol: e.svc.Metadata.Protocol, Service: e.svc, SigningName: scope.Service}
			}
		}
		return nil, &Error{APIError: unknownOperation(target), Protocol: "json", Service: onlyOne(cands), SigningName: scope.Service}
	}

	// 3. Action.
	action, err := findAction(r)
	if err != nil {
		return nil, &Error{APIError: err, Protocol: "query", Service: onlyOne(cands), SigningName: scope.Service}
	}
	if action != "" {
		var speaking []*entry
		for _, e := range cands {
			if e.protocols["query"] || e.protocols["ec2"] {
				speaking = append(speaking, e)
			}
		}
		var found []*entry
		for _, e := range speaking {
			if _, ok := e.svc.Operations[action]; ok {
				found = append(found, e)
			}
		}
		if len(found) == 1 {
			e := found[0]
			res.Service, res.Operation, res.Protocol = e.svc, e.svc.Operations[action], e.queryProtocol()
			return res, nil
		}
		if len(speaking) > 0 {
			msg := query.InvalidActionMessage(action, "", true)
			if svc := onlyOne(speaking); svc != nil {
				msg = query.InvalidActionMessage(action, svc.Metadata.APIVersion, svc.Metadata.Protocol == "ec2")
			}
			if len(found) > 1 {
				msg = fmt.Sprintf("The action %s is offered by several services; sign the request so its credential scope names one.", action)
			}
			e := &Error{APIError: protocol.NewError("InvalidAction", http.StatusBadRequest, "%s", msg), Protocol: "query", SigningName: scope.Service}
			if svc := onlyOne(speaking); svc != nil {
				e.Service, e.Protocol = svc, entryOf(speaking).queryProtocol()
			}
			return nil, e
		}
	}

	// 4. REST templates.
	var restCands []*entry
	for _, e := range cands {
		if len(e.rest) > 0 {
			restCands = append(restCands, e)
		}
	}
	if len(restCands) > 0 {
		var best *template
		var bestEntry *entry
		var bestPath string
		for _, e := range restCands {
			path := r.URL.EscapedPath()
			if e.s3 {
				if bucket := virtualHostBucket(r.Host); bucket != "" {
					if path == "/" {
						path = ""
					}
					path = "/" + bucket + path
				}
			}
			segs := splitPath(path)
			q := r.URL.Query()
			for _, t := range e.rest {
				if best != nil && !t.moreSpecific(best) {
					break
				}
				if t.match(r.Method, segs, q, r.Header) {
					best, bestEntry, bestPath = t, e, path
					break
				}
			}
		}
		if best != nil {
			res.Service, res.Operation, res.Protocol = bestEntry.svc, best.op, bestEntry.restProtocol()
			if bestPath != r.URL.EscapedPath() {
				res.Path = bestPath
			}
			return res, nil
		}
		e := restCands[0]
		if e.s3 || len(restCands) > 1 && rt.hasS3(restCands) {
			// S3 answers: name it, so its codec writes S3's bare <Error> and a
			// service hook can serve what no operation models (CORS
			// preflight OPTIONS, browser POST uploads).
			s3e := s3Entry(restCands)
			rerr := &Error{APIError: protocol.NewError("MethodNotAllowed", http.StatusMethodNotAllowed,
				"The specified method is not allowed against this resource."), Protocol: "rest-xml", Service: s3e.svc, SigningName: scope.Service}
			if bucket := virtualHostBucket(r.Host); bucket != "" {
				path := r.URL.EscapedPath()
				if path == "/" {
					path = ""
				}
				rerr.Path = "/" + bucket + path
			}
			return nil, rerr
		}
		if len(restCands) == 1 {
			return nil, &Error{APIError: protocol.NewError("UnknownOperationException", http.StatusNotFound,
				"Unknown operation: %s %s", r.Method, r.URL.Path), Protocol: e.restProtocol(), Service: e.svc, SigningName: scope.Service}
		}
	}
	if action != "" {
		return nil, &Error{APIError: protocol.NewError("InvalidAction", http.StatusBadRequest,
			"%s", query.InvalidActionMessage(action, "", true)), Protocol: "query", SigningName: scope.Service}
	}
	p := guessProtocol(r)
	if p == "query" {
		return nil, &Error{APIError: protocol.NewError("MissingAction", http.StatusBadRequest,
			"%s", query.MissingActionMessage), Protocol: p, Service: onlyOne(cands), SigningName: scope.Service}
	}
	return nil, &Error{APIError: unknownOperation(r.Method + " " + r.URL.Path), Protocol: p, Service: onlyOne(cands), SigningName: scope.Service}
}

// UnknownOperationException is what AWS json services answer to an
// X-Amz-Target they do not know or a request with none: 400 and a body of
// only {"__type":"com.amazon.coral.service#UnknownOperationException"}, no
// message (see package jsonrpc).
func unknownOperation(what string) *protocol.APIError {
	_ = what
	return protocol.NewError("UnknownOperationException", http.StatusBadRequest, "")
}

func (rt *Router) hasS3(es []*entry) bool {
	for _, e := range es {
		if e.s3 {
			return true
		}
	}
	return false
}

func s3Entry(es []*entry) *entry {
	for _, e := range es {
		if e.s3 {
			return e
		}
	}
	return es[0]
}

func contains(es []*entry, x *entry) bool {
	for _, e := range es {
		if e == x {
			return true
		}
	}
	return false
}

func onlyOne(es []*entry) *model.Service {
	if len(es) == 1 {
		return es[0].svc
	}
	return nil
}

func entryOf(es []*entry) *entry { return es[0] }

// guessProtocol picks the error dialect for a request nothing claimed.
func guessProtocol(r *http.Request) string {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case r.Header.Get("X-Amz-Target") != "" || strings.HasPrefix(ct, "application/x-amz-json"):
		return "json"
	case ct == "application/x-www-form-urlencoded" || r.URL.Query().Has("Action"):
		return "query"
	case ct == "application/json":
		return "rest-json"
	}
	return "rest-xml"
}

// byHost narrows candidates by the Host's endpoint prefix
// (sqs.us-east-1.amazonaws.com, s3.localhost, bucket.s3.amazonaws.com).
func (rt *Router) byHost(host string) []*entry {
	h := hostname(host)
	if net.ParseIP(h) != nil {
		return nil
	}
	labels := strings.Split(h, ".")
	var out []*entry
	for _, e := range rt.services {
		p := e.svc.Metadata.EndpointPrefix
		if p == "" {
			continue
		}
		for i, l := range labels {
			if l == p || (e.s3 && strings.HasPrefix(l, "s3-")) {
				if i == 0 || e.s3 {
					out = append(out, e)
				}
				break
			}
		}
	}
	if len(out) == 0 && virtualHostBucket(host) != "" {
		for _, e := range rt.services {
			if e.s3 {
				out = append(out, e)
			}
		}
	}
	return out
}

func hostname(host string) string {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

// virtualHostBucket returns the bucket of an S3 virtual-hosted-style Host:
// everything before "s3"/"s3.<region>"/"s3-<region>" on amazonaws.com or
// localhost, or before a bare "localhost".
func virtualHostBucket(host string) string {
	h := hostname(host)
	if net.ParseIP(h) != nil {
		return ""
	}
	labels := strings.Split(h, ".")
	for i, l := range labels {
		if l == "s3" || strings.HasPrefix(l, "s3-") || l == "s3-accelerate" {
			if i == 0 {
				return ""
			}
			return strings.Join(labels[:i], ".")
		}
	}
	if n := len(labels); n >= 2 && labels[n-1] == "localhost" {
		return strings.Join(labels[:n-1], ".")
	}
	return ""
}

// findAction returns the query Action from the query string or a form body,
// restoring the body for the codec.
func findAction(r *http.Request) (string, *protocol.APIError) {
	if a := r.URL.Query().Get("Action"); a != "" {
		return a, nil
	}
	if r.Method != http.MethodPost || r.Body == nil || r.Body == http.NoBody {
		return "", nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		return "", nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxFormBody+1))
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return "", protocol.NewError("IncompleteSignature", http.StatusBadRequest, "reading request body: %v", err)
	}
	if len(body) > MaxFormBody {
		return "", protocol.NewError("RequestEntityTooLarge", http.StatusRequestEntityTooLarge, "request body exceeds %d bytes", MaxFormBody)
	}
	vals, perr := url.ParseQuery(string(body))
	if perr != nil {
		return "", protocol.NewError("MalformedQueryString", http.StatusBadRequest, "malformed form body: %v", perr)
	}
	return vals.Get("Action"), nil
}

// template is a compiled requestUri.
type template struct {
	op      *model.Operation
	method  string
	segs    []segment
	query   []queryLit
	literal int // literal path segments, for specificity
	greedy  bool
	// headers are required header members (S3's CopyObject is PutObject's
	// path plus a required x-amz-copy-source).
	headers []string
}

type segment struct {
	lit    string
	label  bool
	greedy bool
}

type queryLit struct {
	key, value string
	hasValue   bool
}

func compile(op *model.Operation) *template {
	uri := op.HTTP.RequestURI
	if uri == "" || op.HTTP.Method == "" {
		return nil
	}
	t := &template{op: op, method: op.HTTP.Method}
	path, rawq, _ := strings.Cut(uri, "?")
	for _, s := range splitPath(path) {
		switch {
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "+}"):
			t.segs = append(t.segs, segment{label: true, greedy: true})
			t.greedy = true
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
			t.segs = append(t.segs, segment{label: true})
		default:
			t.segs = append(t.segs, segment{lit: s})
			t.literal++
		}
	}
	if op.Input != nil && op.Input.Shape != nil {
		in := op.Input.Shape
		for _, name := range in.MemberNames {
			if m := in.Members[name]; m.Location == "header" && in.IsRequired(name) && m.LocationName != "" {
				t.headers = append(t.headers, m.LocationName)
			}
			if m := in.Members[name]; m.Location == "querystring" && in.IsRequired(name) && m.LocationName != "" {
				t.query = append(t.query, queryLit{key: m.LocationName})
			}
		}
	}
	for _, kv := range strings.Split(rawq, "&") {
		if kv == "" {
			continue
		}
		k, v, has := strings.Cut(kv, "=")
		if k == "x-id" { // informational: not every SDK sends it
			continue
		}
		t.query = append(t.query, queryLit{key: k, value: v, hasValue: has})
	}
	return t
}

func sortTemplates(ts []*template) {
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].moreSpecific(ts[j]) })
}

// moreSpecific orders templates: more literal path segments first, then more
// query literals, then longer paths, then non-greedy before greedy.
func (t *template) moreSpecific(o *template) bool {
	if t.literal != o.literal {
		return t.literal > o.literal
	}
	if len(t.query) != len(o.query) {
		return len(t.query) > len(o.query)
	}
	if len(t.headers) != len(o.headers) {
		return len(t.headers) > len(o.headers)
	}
	if len(t.segs) != len(o.segs) {
		return len(t.segs) > len(o.segs)
	}
	if t.greedy != o.greedy {
		return !t.greedy
	}
	// The same request shape: the current operation wins over a deprecated
	// one (S3's PutBucketNotificationConfiguration over PutBucketNotification).
	return t.op != nil && o.op != nil && !t.op.Deprecated && o.op.Deprecated
}

func (t *template) match(method string, segs []string, q url.Values, h http.Header) bool {
	if t.method != method {
		return false
	}
	for _, name := range t.headers {
		if h.Get(name) == "" {
			return false
		}
	}
	for _, ql := range t.query {
		vs, ok := q[ql.key]
		if !ok {
			return false
		}
		if ql.hasValue && (len(vs) == 0 || vs[0] != ql.value) {
			return false
		}
	}
	i := 0
	for si, s := range t.segs {
		if s.greedy {
			// The rest of the path, at least one non-empty segment.
			rest := segs[i:]
			if si != len(t.segs)-1 || len(rest) == 0 || strings.Join(rest, "") == "" {
				return false
			}
			return true
		}
		if i >= len(segs) {
			return false
		}
		if s.label {
			if segs[i] == "" {
				return false
			}
		} else if segs[i] != s.lit {
			return false
		}
		i++
	}
	// Allow one trailing empty segment ("/bucket/" for "/{Bucket}").
	return i == len(segs) || (i == len(segs)-1 && segs[i] == "")
}

// splitPath splits "/a/b" into ["a","b"]; "/" gives [].
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
