package restxml

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/rest"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil"
)

// S3Namespace is the xmlns of S3's response documents.
const S3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// Codec is the rest-xml protocol. The zero value is ready to use.
type Codec struct{}

// New returns the rest-xml codec.
func New() Codec { return Codec{} }

var _ protocol.Codec = Codec{}

// Name implements protocol.Codec.
func (Codec) Name() string { return "rest-xml" }

func isS3(svc *model.Service) bool {
	if svc == nil {
		return false
	}
	return svc.Metadata.EndpointPrefix == "s3" || svc.Metadata.ServiceID == "S3"
}

// MarshalRequest implements protocol.Codec.
func (Codec) MarshalRequest(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any) (*http.Request, error) {
	if op.Input != nil && op.Input.Shape != nil {
		params = rest.FillIdempotencyTokens(op.Input, params)
	}
	req, err := rest.BuildRequest(ctx, op, endpoint, params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op.Name, err)
	}
	if op.Input == nil || op.Input.Shape == nil {
		return req, nil
	}
	body, stream, err := encodeBody(op.Input, params, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op.Name, err)
	}
	switch {
	case stream != nil:
		rc, ok := stream.(io.ReadCloser)
		if !ok {
			rc = io.NopCloser(stream)
		}
		req.Body = rc
		req.ContentLength = -1
		if l, ok := stream.(interface{ Len() int }); ok {
			req.ContentLength = int64(l.Len())
			if l.Len() == 0 {
				req.Body = http.NoBody
			}
		}
	case body != nil:
		data := body
		req.ContentLength = int64(len(data))
		req.Body = io.NopCloser(bytes.NewReader(data))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		req.Header.Set("Content-Length", strconv.Itoa(len(data)))
		if req.Header.Get("Content-Type") == "" {
			if _, ref := rest.Payload(op.Input.Shape); ref != nil && ref.Shape.Type == "string" {
				req.Header.Set("Content-Type", "text/plain")
			} else if len(data) > 0 && data[0] == '<' {
				req.Header.Set("Content-Type", "application/xml")
			}
		}
	}
	return req, nil
}

// rootName is the document element of a structure: the reference's
// locationName, else the shape's, else the shape name.
func rootName(ref *model.ShapeRef, fallback string) string {
	if ref.LocationName != "" {
		return ref.LocationName
	}
	if ref.Shape.LocationName != "" {
		return ref.Shape.LocationName
	}
	if fallback != "" {
		return fallback
	}
	return ref.Shape.Name
}

// encodeBody renders the body of v (a value of top's shape): XML bytes, raw
// bytes, a stream, or nothing.
func encodeBody(top *model.ShapeRef, v map[string]any, response bool) ([]byte, io.Reader, error) {
	sh := top.Shape
	if name, ref := rest.Payload(sh); ref != nil {
		pv, ok := v[name]
		if !ok || pv == nil {
			return nil, nil, nil
		}
		switch ref.Shape.Type {
		case "blob":
			switch x := pv.(type) {
			case io.Reader:
				return nil, x, nil
			case []byte:
				return x, nil, nil
			}
			return nil, nil, fmt.Errorf("%s: %T is not a blob", name, pv)
		case "string":
			s, ok := pv.(string)
			if !ok {
				return nil, nil, fmt.Errorf("%s: %T is not a string", name, pv)
			}
			return []byte(s), nil, nil
		}
		var buf bytes.Buffer
		if err := xmlutil.NewEncoder(&buf).Element(rootName(ref, name), ref, pv); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		return buf.Bytes(), nil, nil
	}
	members := rest.BodyMembers(sh)
	if len(members) == 0 {
		return nil, nil, nil
	}
	body := map[string]any{}
	for _, m := range members {
		if mv, ok := v[m]; ok && mv != nil {
			body[m] = mv
		}
	}
	if len(body) == 0 && !response {
		return nil, nil, nil
	}
	var buf bytes.Buffer
	if err := xmlutil.NewEncoder(&buf).Element(rootName(top, ""), top, body); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), nil, nil
}

// DecodeRequest implements protocol.Codec. Malformed XML gives MalformedXML
// (400); a malformed HTTP binding gives InvalidArgument (400).
func (Codec) DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error) {
	out, err := rest.DecodeRequest(op, r)
	if err != nil {
		var ae *protocol.APIError
		if errors.As(err, &ae) && ae.Code == "SerializationException" {
			ne := *ae
			ne.Code = "InvalidArgument"
			return nil, &ne
		}
		return nil, err
	}
	if op.Input == nil || op.Input.Shape == nil {
		return out, nil
	}
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	if err := decodeBody(op.Input, body, out); err != nil {
		if errors.Is(err, errStreaming) {
			return out, nil
		}
		return nil, protocol.NewError("MalformedXML", http.StatusBadRequest,
			"The XML you provided was not well-formed or did not validate against our published schema")
	}
	return out, nil
}

var errStreaming = errors.New("streaming payload")

// decodeBody reads the payload or body members of top's shape into out. A
// streaming payload is body itself (errStreaming tells the caller so).
func decodeBody(top *model.ShapeRef, body io.ReadCloser, out map[string]any) error {
	sh := top.Shape
	name, ref := rest.Payload(sh)
	if ref != nil && rest.IsStreaming(ref) {
		out[name] = body
		return errStreaming
	}
	if ref != nil && (ref.Shape.Type == "blob" || ref.Shape.Type == "string") {
		data, err := io.ReadAll(io.LimitReader(body, xmlutil.MaxBytes+1))
		if err != nil {
			return err
		}
		if len(data) > xmlutil.MaxBytes {
			return fmt.Errorf("body larger than %d bytes", xmlutil.MaxBytes)
		}
		if len(data) == 0 {
			return nil
		}
		if ref.Shape.Type == "blob" {
			out[name] = data
		} else {
			out[name] = string(data)
		}
		return nil
	}
	if ref == nil && len(rest.BodyMembers(sh)) == 0 {
		return nil
	}
	root, err := xmlutil.Parse(body)
	if err != nil {
		return err
	}
	if root == nil {
		return nil
	}
	if ref != nil {
		v, err := xmlutil.Decode(root, ref)
		if err != nil {
			return err
		}
		out[name] = v
		return nil
	}
	m, err := xmlutil.DecodeStruct(root, sh)
	if err != nil {
		return err
	}
	for k, v := range m {
		out[k] = v
	}
	return nil
}

// EncodeResponse implements protocol.Codec.
func (Codec) EncodeResponse(w http.ResponseWriter, op *model.Operation, output map[string]any, meta protocol.ResponseMeta) error {
	status := op.HTTP.ResponseCode
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	meta = s3Meta(op.Service, meta)
	setIDs(h, op.Service, meta)
	if op.Output == nil || op.Output.Shape == nil {
		w.WriteHeader(status)
		return nil
	}
	sh := op.Output.Shape
	st, err := rest.WriteHeaders(h, sh, output)
	if err != nil {
		return fmt.Errorf("%s: encode output: %w", op.Name, err)
	}
	if st != 0 {
		status = st
	}
	// S3 answers a ranged or part GetObject with 206 Partial Content; the
	// model has no status member for it, Content-Range is the signal.
	// HeadObject with Range or partNumber answers 206 too.
	if isS3(op.Service) && (op.Name == "GetObject" || op.Name == "HeadObject") && status == http.StatusOK && output["ContentRange"] != nil {
		status = http.StatusPartialContent
	}
	var (
		body   []byte
		stream io.Reader
	)
	switch {
	case isS3(op.Service) && op.Name == "GetBucketLocation":
		// A bare element; us-east-1 is the empty element.
		var buf bytes.Buffer
		e := xmlutil.NewEncoder(&buf)
		e.StartTag("LocationConstraint", "xmlns", S3Namespace)
		if s, ok := output["LocationConstraint"].(string); ok && s != "us-east-1" {
			e.Text(s)
		}
		e.EndTag("LocationConstraint")
		body = buf.Bytes()
	default:
		out := output
		if isS3(op.Service) && output["EncodingType"] == "url" {
			out = urlCodeKeys(op.Name, output, url.QueryEscape)
		}
		top := op.Output
		if isS3(op.Service) && top.XMLNamespace == nil && sh.XMLNamespace == nil {
			cp := *top
			cp.XMLNamespace = &model.XMLNamespace{URI: S3Namespace}
			top = &cp
		}
		body, stream, err = encodeBody(top, out, true)
		if err != nil {
			return fmt.Errorf("%s: encode output: %w", op.Name, err)
		}
	}
	if stream != nil {
		if l, ok := stream.(interface{ Len() int }); ok && h.Get("Content-Length") == "" {
			h.Set("Content-Length", strconv.Itoa(l.Len()))
		}
		w.WriteHeader(status)
		_, err := io.Copy(w, stream)
		if c, ok := stream.(io.Closer); ok {
			c.Close()
		}
		return err
	}
	if len(body) > 0 && body[0] == '<' {
		body = append([]byte(xmlHeader), body...)
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/xml")
		}
	}
	// A HEAD answer has no body, but its Content-Length is the length the
	// GET would have (S3's HeadObject: the object's size), as the output's
	// Content-Length header member set it; only fill it in when absent.
	if len(body) > 0 || op.HTTP.Method != http.MethodHead || h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	if len(body) == 0 {
		return nil
	}
	_, err = w.Write(body)
	return err
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// S3RequestID returns id in S3's request id format, 16 upper-case hex
// digits ("4442587FB7D0A2F9"): an id already in that format is kept, any
// other (the emulator's UUIDs) becomes its first 16 hex digits upper-cased,
// so the id a client sees still leads to the server's record of the request.
// The S3 responses of this codec (headers and <Error><RequestId>) carry it.
func S3RequestID(id string) string {
	var b [16]byte
	n := 0
	for i := 0; i < len(id) && n < len(b); i++ {
		c := id[i]
		switch {
		case '0' <= c && c <= '9', 'A' <= c && c <= 'F':
			b[n] = c
		case 'a' <= c && c <= 'f':
			b[n] = c - 'a' + 'A'
		case c == '-':
			continue
		default:
			return id // not hex: leave a caller's own id alone
		}
		n++
	}
	if n < len(b) {
		return id
	}
	return string(b[:])
}

// s3Meta puts meta's request id in S3's format.
func s3Meta(svc *model.Service, meta protocol.ResponseMeta) protocol.ResponseMeta {
	if isS3(svc) {
		meta.RequestID = S3RequestID(meta.RequestID)
	}
	return meta
}

func setIDs(h http.Header, svc *model.Service, meta protocol.ResponseMeta) {
	if meta.RequestID == "" {
		return
	}
	// Canonical keys assigned directly (what h.Set stores), one backing
	// array for both values, capped so an append copies.
	if isS3(svc) {
		if meta.HostID == "" {
			h["X-Amz-Request-Id"] = []string{meta.RequestID}
			return
		}
		vals := []string{meta.RequestID, meta.HostID}
		h["X-Amz-Request-Id"] = vals[0:1:1]
		h["X-Amz-Id-2"] = vals[1:2:2]
		return
	}
	h["X-Amzn-Requestid"] = []string{meta.RequestID}
}

// errorDoc renders the error document: S3's bare <Error> or the wrapped
// <ErrorResponse> of the other rest-xml services.
func errorDoc(op *model.Operation, err *protocol.APIError, meta protocol.ResponseMeta) ([]byte, error) {
	var svc *model.Service
	if op != nil {
		svc = op.Service
	}
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	e := xmlutil.NewEncoder(&buf)
	s3 := isS3(svc)
	if !s3 {
		e.StartTag("ErrorResponse")
	}
	e.StartTag("Error")
	if !s3 {
		typ := err.Type
		if typ == "" {
			typ = "Sender"
			if errStatus(err) >= 500 {
				typ = "Receiver"
			}
		}
		e.TextElement("Type", typ)
	}
	e.TextElement("Code", err.Code)
	e.TextElement("Message", err.Message)
	if s3 {
		if ferr := s3ErrorFields(e, svc, err); ferr != nil {
			return nil, ferr
		}
	} else if svc != nil && len(err.Fields) > 0 {
		if sh, ok := svc.ErrorShape(err.Code); ok {
			fields := map[string]any{}
			for k, v := range err.Fields {
				if r := sh.Members[k]; r != nil && r.Location == "" && !strings.EqualFold(k, "message") {
					fields[k] = v
				}
			}
			if ferr := e.Members(sh, fields); ferr != nil {
				return nil, ferr
			}
		}
	}
	if s3 {
		e.TextElement("RequestId", meta.RequestID)
		e.TextElement("HostId", meta.HostID)
		e.EndTag("Error")
	} else {
		e.EndTag("Error")
		e.TextElement("RequestId", meta.RequestID)
		e.EndTag("ErrorResponse")
	}
	return buf.Bytes(), nil
}

// s3ErrorElements are the <Error> children the codec writes itself.
var s3ErrorElements = map[string]bool{"Code": true, "Message": true, "RequestId": true, "HostId": true, "Type": true}

// s3ErrorFields writes err.Fields into S3's <Error>: the members the error
// shape models (in model order, those bound to headers excepted), then every
// other field as a text element, sorted by name. S3 always sends these
// (<BucketName>, <Key>, <ActualObjectSize>, <Condition>, <ArgumentName> ...)
// though the model declares few of them.
func s3ErrorFields(e *xmlutil.Encoder, svc *model.Service, err *protocol.APIError) error {
	if len(err.Fields) == 0 {
		return nil
	}
	var sh *model.Shape
	if svc != nil {
		sh, _ = svc.ErrorShape(err.Code)
	}
	done := map[string]bool{}
	if sh != nil {
		modeled := map[string]any{}
		for k, v := range err.Fields {
			if r := sh.Members[k]; r != nil && !strings.EqualFold(k, "message") && !s3ErrorElements[k] {
				done[k] = true
				if r.Location == "" {
					modeled[k] = v
				}
			}
		}
		if len(modeled) > 0 {
			if ferr := e.Members(sh, modeled); ferr != nil {
				return ferr
			}
		}
	}
	rest := make([]string, 0, len(err.Fields))
	for k := range err.Fields {
		if !done[k] && !s3ErrorElements[k] && !strings.EqualFold(k, "message") && validName(k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		e.TextElement(k, fieldText(err.Fields[k]))
	}
	return nil
}

// validName reports whether k can be an XML element name as S3 uses them
// (letters, digits, '-', '_', '.', not starting with a digit, '-' or '.').
func validName(k string) bool {
	if k == "" {
		return false
	}
	for i, c := range k {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == '_':
		case (c >= '0' && c <= '9' || c == '-' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

// fieldText renders an unmodeled error field value.
func fieldText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case time.Time:
		return protocol.FormatTimestamp(x, protocol.ISO8601)
	case float64:
		return xmlutil.FormatFloat(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func errStatus(err *protocol.APIError) int {
	if err.StatusCode >= 300 && err.StatusCode <= 599 {
		return err.StatusCode
	}
	if err.Type == "Receiver" {
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// EncodeError implements protocol.Codec. Errors to HEAD requests carry no
// body, as S3 answers them.
func (Codec) EncodeError(w http.ResponseWriter, op *model.Operation, err *protocol.APIError, meta protocol.ResponseMeta) error {
	if err.RequestID != "" {
		meta.RequestID = err.RequestID
	}
	if err.HostID != "" {
		meta.HostID = err.HostID
	}
	var svc *model.Service
	if op != nil {
		svc = op.Service
	}
	h := w.Header()
	for k, v := range err.Header {
		h[k] = v
	}
	meta = s3Meta(svc, meta)
	setIDs(h, svc, meta)
	if svc != nil && len(err.Fields) > 0 {
		if sh, ok := svc.ErrorShape(err.Code); ok {
			if _, herr := rest.WriteHeaders(h, sh, err.Fields); herr != nil {
				return fmt.Errorf("encode error headers: %w", herr)
			}
		}
	}
	// An error a handler gives status 200 is one met after S3 started its
	// 200 answer (a long CopyObject, UploadPartCopy or
	// CompleteMultipartUpload): the <Error> document is the 200's body.
	if err.StatusCode == http.StatusOK && op != nil && isS3(svc) && errorsIn200[op.Name] {
		return EncodeErrorIn200(w, op, err, meta)
	}
	status := errStatus(err)
	// HEAD answers and 304 Not Modified carry no body.
	if op != nil && op.HTTP.Method == http.MethodHead || status == http.StatusNotModified {
		w.WriteHeader(status)
		return nil
	}
	body, berr := errorDoc(op, err, meta)
	if berr != nil {
		return berr
	}
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, werr := w.Write(body)
	return werr
}

// EncodeErrorIn200 writes err as S3 does when CopyObject, UploadPartCopy or
// CompleteMultipartUpload fails after the 200 status has been sent: status
// 200 with an <Error> document as the body.
func EncodeErrorIn200(w http.ResponseWriter, op *model.Operation, err *protocol.APIError, meta protocol.ResponseMeta) error {
	var svc *model.Service
	if op != nil {
		svc = op.Service
	}
	if err.RequestID != "" {
		meta.RequestID = err.RequestID
	}
	if err.HostID != "" {
		meta.HostID = err.HostID
	}
	meta = s3Meta(svc, meta)
	body, berr := errorDoc(op, err, meta)
	if berr != nil {
		return berr
	}
	h := w.Header()
	setIDs(h, svc, meta)
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, werr := w.Write(body)
	return werr
}

type listKeysCtxKey struct{}

// WithListKeyDecoding marks ctx for the S3 list calls (ListObjects,
// ListObjectsV2, ListObjectVersions, ListMultipartUploads) made under it:
// whether UnmarshalResponse URL-decodes the keys and prefixes of an
// EncodingType=url answer. boto3 decodes only when it added
// encoding-type=url itself (context encoding_type_auto_set); when the caller
// set EncodingType=url explicitly, the keys come back as S3 sent them,
// percent-encoded. So a boto3-like client passes decode=true when it filled
// EncodingType in and decode=false when the caller did.
//
// UnmarshalResponse reads the mark from resp.Request's context: the caller
// builds the request with the marked ctx (MarshalRequest(ctx, ...)) and
// makes sure resp.Request is that request (net/http's Transport does; a
// custom RoundTripper may leave it nil). Unmarked calls decode, as before.
func WithListKeyDecoding(ctx context.Context, decode bool) context.Context {
	return context.WithValue(ctx, listKeysCtxKey{}, decode)
}

// decodeListKeys reports whether resp's request asked for decoded list keys
// (default true).
func decodeListKeys(resp *http.Response) bool {
	if resp == nil || resp.Request == nil {
		return true
	}
	if d, ok := resp.Request.Context().Value(listKeysCtxKey{}).(bool); ok {
		return d
	}
	return true
}

// errorsIn200 are the S3 operations that can report an error in a 200 body.
var errorsIn200 = map[string]bool{"CopyObject": true, "UploadPartCopy": true, "CompleteMultipartUpload": true}

// UnmarshalResponse implements protocol.Codec.
func (Codec) UnmarshalResponse(op *model.Operation, resp *http.Response) (map[string]any, error) {
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		return nil, unmarshalError(op, resp, nil)
	}
	if op.Output == nil || op.Output.Shape == nil {
		resp.Body.Close()
		return map[string]any{}, nil
	}
	sh := op.Output.Shape
	out, err := rest.DecodeHeaders(sh, resp.Header, resp.StatusCode, nil)
	if err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("%s: parse response: %w", op.Name, err)
	}
	if name, ref := rest.Payload(sh); ref != nil && rest.IsStreaming(ref) {
		out[name] = resp.Body // left open for the caller
		return out, nil
	}
	defer resp.Body.Close()
	s3 := isS3(op.Service)
	if s3 && (errorsIn200[op.Name] || op.Name == "GetBucketLocation") {
		data, err := io.ReadAll(io.LimitReader(resp.Body, xmlutil.MaxBytes+1))
		if err != nil {
			return nil, fmt.Errorf("%s: read response: %w", op.Name, err)
		}
		root, err := xmlutil.ParseBytes(data)
		if err != nil {
			return nil, fmt.Errorf("%s: parse response: %w", op.Name, err)
		}
		if root != nil && root.Name.Local == "Error" && errorsIn200[op.Name] {
			ae := unmarshalError(op, resp, root)
			// As botocore does: an error inside a 200 is a server error
			// (500), so retry logic treats it as one.
			ae.StatusCode = http.StatusInternalServerError
			return nil, ae
		}
		if op.Name == "GetBucketLocation" {
			if root != nil && strings.TrimSpace(root.Text) != "" {
				out["LocationConstraint"] = strings.TrimSpace(root.Text)
			}
			return out, nil
		}
		resp.Body = io.NopCloser(bytes.NewReader(data))
	}
	if err := decodeBody(op.Output, resp.Body, out); err != nil {
		return nil, fmt.Errorf("%s: parse response: %w", op.Name, err)
	}
	if s3 && out["EncodingType"] == "url" && decodeListKeys(resp) {
		out = urlCodeKeys(op.Name, out, func(s string) string {
			if u, err := url.QueryUnescape(s); err == nil {
				return u
			}
			return s
		})
	}
	return out, nil
}

// unmarshalError reads an error response; root is the parsed body when the
// caller already has it.
func unmarshalError(op *model.Operation, resp *http.Response, root *xmlutil.Node) *protocol.APIError {
	e := &protocol.APIError{StatusCode: resp.StatusCode, Header: resp.Header.Clone()}
	e.RequestID = resp.Header.Get("x-amz-request-id")
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("x-amzn-RequestId")
	}
	e.HostID = resp.Header.Get("x-amz-id-2")
	if root == nil {
		var err error
		root, err = xmlutil.Parse(resp.Body)
		if err != nil {
			root = nil
		}
	}
	en := root.Find("Error")
	if en == nil {
		// HEAD responses and proxies: no document. botocore reports the
		// status code as the error code.
		e.Code = strconv.Itoa(resp.StatusCode)
		e.Message = http.StatusText(resp.StatusCode)
		return e
	}
	e.Code, _ = en.ChildText("Code")
	e.Message, _ = en.ChildText("Message")
	e.Type, _ = en.ChildText("Type")
	if r := root.Find("RequestId"); r != nil {
		e.RequestID = r.Text
	}
	if h, ok := en.ChildText("HostId"); ok {
		e.HostID = h
	}
	if op != nil && isS3(op.Service) {
		// S3 puts more in <Error> than its error shapes model
		// (<BucketName>, <Key>, <Condition> ...): keep every other child as
		// a string field, as botocore does.
		for _, c := range en.Children {
			name := c.Name.Local
			if s3ErrorElements[name] || len(c.Children) > 0 {
				continue
			}
			if e.Fields == nil {
				e.Fields = map[string]any{}
			}
			e.Fields[name] = c.Text
		}
	}
	if op != nil && op.Service != nil {
		if sh, ok := op.Service.ErrorShape(e.Code); ok {
			f, err := xmlutil.DecodeStruct(en, sh)
			if err == nil {
				if hv, herr := rest.DecodeHeaders(sh, resp.Header, resp.StatusCode, nil); herr == nil {
					for k, v := range hv {
						f[k] = v
					}
				}
				for k := range f {
					if strings.EqualFold(k, "message") {
						delete(f, k)
					}
				}
				if len(f) > 0 && e.Fields == nil {
					e.Fields = f
				} else {
					for k, v := range f {
						e.Fields[k] = v
					}
				}
			}
		}
	}
	return e
}

// urlCodeKeys returns a copy of a List* output with the members S3
// URL-encodes under EncodingType=url passed through code.
func urlCodeKeys(opName string, out map[string]any, code func(string) string) map[string]any {
	top := []string{"Delimiter", "Marker", "NextMarker", "Prefix", "StartAfter", "KeyMarker", "NextKeyMarker"}
	lists := map[string]string{"Contents": "Key", "CommonPrefixes": "Prefix", "Versions": "Key", "DeleteMarkers": "Key", "Uploads": "Key"}
	switch opName {
	case "ListObjects", "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads":
	default:
		return out
	}
	cp := make(map[string]any, len(out))
	for k, v := range out {
		cp[k] = v
	}
	for _, k := range top {
		if s, ok := cp[k].(string); ok {
			cp[k] = code(s)
		}
	}
	for k, field := range lists {
		items, ok := cp[k].([]any)
		if !ok {
			continue
		}
		ni := make([]any, len(items))
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				ni[i] = it
				continue
			}
			nm := make(map[string]any, len(m))
			for mk, mv := range m {
				nm[mk] = mv
			}
			if s, ok := nm[field].(string); ok {
				nm[field] = code(s)
			}
			ni[i] = nm
		}
		cp[k] = ni
	}
	return cp
}
