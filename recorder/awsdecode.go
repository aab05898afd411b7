package recorder

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
	"github.com/fakecloud/fakecloud/internal/protocol/route"
)

// ModelDecoder decodes requests the way an AWS endpoint would: it picks the
// candidate services from the SigV4 credential scope, X-Amz-Target or Host
// (botocore's routing index, no model decoded), identifies the operation
// with the emulator's router (targets, Action, REST path templates, S3
// virtual-host buckets) and decodes the input with that service's protocol
// codec. The service is the botocore service name ("s3", "dynamodb") and the
// parameters are the operation's input members, so header order, query
// order, JSON key order and XML layout never matter.
//
// Members with the idempotencyToken trait are left out (SDKs make up a fresh
// one per call), and so are members bound to headers that never match
// (checksums, Content-MD5, Content-Length). Blobs are strings when they are
// UTF-8 text, base64 otherwise; a streaming payload longer than 4 KiB is
// compared by its SHA-256 ("sha256:<hex> (<n> bytes)").
//
// ok is false when the request names no operation of a known service, or
// its input is malformed.
var ModelDecoder Decoder = DecoderFunc(modelDecode)

// DefaultDecoder is the decoder a Recorder uses unless WithDecoder says
// otherwise: ModelDecoder, and HeuristicDecoder for what it cannot place.
var DefaultDecoder Decoder = DecoderFunc(func(r *http.Request, body []byte) (string, string, map[string]any, bool) {
	if svc, op, p, ok := modelDecode(r, body); ok {
		return svc, op, p, true
	}
	return heuristicDecode(r, body)
})

// maxCandidates bounds the models one request may make us load.
const maxCandidates = 8

// maxInlinePayload is the largest streaming payload kept as text.
const maxInlinePayload = 4 << 10

var routers sync.Map // sorted candidate names joined by "," -> *route.Router

// decoded is what modelDecodeFull learns about a request.
type decoded struct {
	svc    *model.Service
	op     *model.Operation
	codec  protocol.Codec
	params map[string]any // raw decoder output (time.Time, []byte, io.Reader)
}

func modelDecode(r *http.Request, body []byte) (string, string, map[string]any, bool) {
	d, ok := modelDecodeFull(r, body)
	if !ok {
		return "", "", nil, false
	}
	var in *model.Shape
	if d.op.Input != nil {
		in = d.op.Input.Shape
	}
	params, _ := plainStruct(in, d.params, 0).(map[string]any)
	if params == nil {
		params = map[string]any{}
	}
	if d.codec.Name() != "rest-json" && d.codec.Name() != "rest-xml" {
		// query, ec2 and json calls post to "/", except old SDKs posting
		// SQS calls to the queue URL: that path says which queue.
		if p := r.URL.EscapedPath(); p != "" && p != "/" {
			if _, has := params["QueueUrl"]; !has {
				params["$path"] = p
			}
		}
	}
	return d.svc.Name, d.op.Name, params, true
}

// candidates names the services a request may be for, from botocore's
// routing index.
func candidates(r *http.Request) []string {
	set := map[string]bool{}
	add := func(es []model.IndexEntry) {
		for _, e := range es {
			set[e.Name] = true
		}
	}
	if sc, ok := route.ParseScope(r); ok && sc.Service != "" {
		add(model.BySigningName(sc.Service))
		add(model.ByEndpointPrefix(sc.Service))
	}
	if t := r.Header.Get("X-Amz-Target"); t != "" && len(set) == 0 {
		add(model.ByTarget(t))
	}
	if len(set) == 0 {
		host := r.Host
		if host == "" {
			host = r.URL.Host
		}
		h := strings.ToLower(hostOnly(host))
		for _, l := range strings.Split(h, ".") {
			if l == "" || l == "amazonaws" || l == "com" || l == "localhost" {
				continue
			}
			if l == "s3" || strings.HasPrefix(l, "s3-") {
				set["s3"] = true
				break
			}
			add(model.ByEndpointPrefix(l))
			if len(set) > 0 {
				break
			}
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > maxCandidates {
		names = names[:maxCandidates]
	}
	return names
}

func routerFor(names []string) *route.Router {
	key := strings.Join(names, ",")
	if v, ok := routers.Load(key); ok {
		return v.(*route.Router)
	}
	var svcs []*model.Service
	for _, n := range names {
		if s, err := model.Load(n); err == nil {
			svcs = append(svcs, s)
		}
	}
	if len(svcs) == 0 {
		return nil
	}
	v, _ := routers.LoadOrStore(key, route.New(svcs))
	return v.(*route.Router)
}

// codecFor returns the codec for requests to svc in the protocol they
// arrived in (query for old SDKs calling an awsQueryCompatible json service).
func codecFor(svc *model.Service, proto string) (protocol.Codec, error) {
	c, err := codecs.For(svc)
	if err == nil && (proto == "" || c.Name() == proto) {
		return c, nil
	}
	if proto != "" {
		return codecs.ByName(proto)
	}
	return c, err
}

// modelDecodeFull routes and decodes r (whose body is body; r.Body is not
// read). It never panics on client input: a panicking codec counts as a
// failed decode.
func modelDecodeFull(r *http.Request, body []byte) (d decoded, ok bool) {
	defer func() {
		if recover() != nil {
			d, ok = decoded{}, false
		}
	}()
	return modelDecodeRaw(r, body)
}

// modelDecodeRaw is modelDecodeFull without the panic shield (the fuzz
// target calls it, so a codec panic is found rather than hidden).
func modelDecodeRaw(r *http.Request, body []byte) (d decoded, ok bool) {
	if r == nil || r.URL == nil {
		return d, false
	}
	names := candidates(r)
	if len(names) == 0 {
		return d, false
	}
	rt := routerFor(names)
	if rt == nil {
		return d, false
	}
	rr := r.Clone(r.Context())
	if rr.Host == "" {
		rr.Host = r.URL.Host
	}
	b := restBody(r.Header, body)
	if len(b) != len(body) || strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") {
		dropChunkedHeaders(rr, int64(len(b)))
	}
	rr.Body = io.NopCloser(bytes.NewReader(b))
	rr.ContentLength = int64(len(b))
	res, rerr := rt.Route(rr)
	if rerr != nil || res == nil || res.Operation == nil {
		return d, false
	}
	if res.Path != "" {
		u := *rr.URL
		u.RawPath = res.Path
		if p, err := url.PathUnescape(res.Path); err == nil {
			u.Path = p
		} else {
			u.Path = res.Path
		}
		rr.URL = &u
	}
	c, err := codecFor(res.Service, res.Protocol)
	if err != nil {
		return d, false
	}
	rr.Body = io.NopCloser(bytes.NewReader(b))
	params, err := c.DecodeRequest(res.Operation, rr)
	if err != nil {
		return d, false
	}
	if params == nil {
		params = map[string]any{}
	}
	return decoded{svc: res.Service, op: res.Operation, codec: c, params: params}, true
}

// dropChunkedHeaders makes an aws-chunked request look like the plain one
// it encodes, for the codec.
func dropChunkedHeaders(r *http.Request, n int64) {
	r.Header.Del("Content-Length")
	r.ContentLength = n
	var keep []string
	for _, v := range r.Header.Values("Content-Encoding") {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" && !strings.EqualFold(p, "aws-chunked") {
				keep = append(keep, p)
			}
		}
	}
	if len(keep) == 0 {
		r.Header.Del("Content-Encoding")
	} else {
		r.Header.Set("Content-Encoding", strings.Join(keep, ","))
	}
}

// volatileMember reports whether a member never takes part in matching.
func volatileMember(ref *model.ShapeRef) bool {
	if ref == nil {
		return false
	}
	if ref.IdempotencyToken {
		return true
	}
	if ref.Location == "header" && volatileHeaders[strings.ToLower(ref.LocationName)] {
		return true
	}
	return false
}

// plainStruct turns decoder output into plain comparable values, leaving
// volatile members out. shape may be nil (documents, unknown shapes).
func plainStruct(shape *model.Shape, v any, depth int) any {
	if depth > 100 {
		return fmt.Sprint(v)
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var ref *model.ShapeRef
			var sub *model.Shape
			if shape != nil {
				switch shape.Type {
				case "structure":
					ref = shape.Members[k]
				case "map":
					ref = shape.Value
				}
				if ref != nil {
					sub = ref.Shape
				}
			}
			if shape != nil && shape.Type == "structure" && volatileMember(ref) {
				continue
			}
			out[k] = plainStruct(sub, e, depth+1)
		}
		return out
	case []any:
		var sub *model.Shape
		if shape != nil && shape.Member != nil {
			sub = shape.Member.Shape
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainStruct(sub, e, depth+1)
		}
		return out
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return blobText(x)
	case io.Reader:
		b, err := io.ReadAll(io.LimitReader(x, 64<<20))
		if err != nil {
			return "unreadable: " + err.Error()
		}
		if len(b) <= maxInlinePayload && utf8.Valid(b) {
			return string(b)
		}
		sum := sha256.Sum256(b)
		return "sha256:" + hex.EncodeToString(sum[:]) + " (" + strconv.Itoa(len(b)) + " bytes)"
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return x
	case float32:
		return plainStruct(shape, float64(x), depth)
	default:
		return v
	}
}

func blobText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return "base64:" + base64.StdEncoding.EncodeToString(b)
}

// modelFor loads a service model by botocore name.
func modelFor(name string) (*model.Service, error) { return model.Load(name) }
