package jsonrpc

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/rest"
)

// Codec is the awsJson 1.0 / 1.1 protocol ("json" in botocore). The JSON
// version comes from each operation's service metadata.
type Codec struct{}

// New returns the awsJson codec.
func New() *Codec { return &Codec{} }

var _ protocol.Codec = (*Codec)(nil)

// Name is "json".
func (*Codec) Name() string { return "json" }

// ContentType is the Content-Type of svc's requests and responses:
// application/x-amz-json-1.0 or -1.1 (1.0 when the model names none).
func ContentType(svc *model.Service) string {
	v := "1.0"
	if svc != nil && svc.Metadata.JSONVersion != "" {
		v = svc.Metadata.JSONVersion
	}
	switch v { // the two versions in use, without a concatenation per response
	case "1.0":
		return "application/x-amz-json-1.0"
	case "1.1":
		return "application/x-amz-json-1.1"
	}
	return "application/x-amz-json-" + v
}

// Target is the X-Amz-Target value for op: "<targetPrefix>.<Operation>".
func Target(op *model.Operation) string {
	prefix := ""
	if op.Service != nil {
		prefix = op.Service.Metadata.TargetPrefix
	}
	return prefix + "." + op.Name
}

func queryCompatible(op *model.Operation) bool {
	return op != nil && op.Service != nil && op.Service.Metadata.AWSQueryCompatible != nil
}

// MarshalRequest builds POST <base path>/ with the X-Amz-Target header and
// the JSON input ("{}" when there is none).
func (c *Codec) MarshalRequest(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any) (*http.Request, error) {
	body := []byte("{}")
	if op.Input != nil && op.Input.Shape != nil {
		params = rest.FillIdempotencyTokens(op.Input, params)
		nv, err := protocol.Normalize(op.Input, params)
		if err != nil {
			return nil, fmt.Errorf("%s: invalid parameters: %w", op.Name, err)
		}
		body, err = Marshal(op.Input, nv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op.Name, err)
		}
	}
	u := *endpoint
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath = ""
	if endpoint.RawPath != "" {
		u.RawPath = strings.TrimRight(endpoint.RawPath, "/") + "/"
	}
	u.RawQuery, u.Fragment = "", ""
	prefix, err := rest.HostPrefix(op, params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op.Name, err)
	}
	u.Host = prefix + u.Host
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Amz-Target", Target(op))
	req.Header.Set("Content-Type", ContentType(op.Service))
	if queryCompatible(op) {
		// Tells the service the client understands x-amzn-query-error.
		req.Header.Set("x-amzn-query-mode", "true")
	}
	return req, nil
}

// UnmarshalResponse parses a JSON response; a status of 300 or more is an
// error (see ParseError).
func (c *Codec) UnmarshalResponse(op *model.Operation, resp *http.Response) (map[string]any, error) {
	body, err := readBody(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: read response: %w", op.Name, err)
	}
	if resp.StatusCode >= 300 {
		return nil, ParseError(op, resp, body)
	}
	if op.Output == nil || op.Output.Shape == nil {
		return map[string]any{}, nil
	}
	v, err := Unmarshal(op.Output, body)
	if err != nil {
		return nil, fmt.Errorf("%s: parse response: %w", op.Name, err)
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// ParseError reads an AWS JSON error response (awsJson and rest-json). The
// code comes from the x-amzn-ErrorType header, else the body's __type, code
// or Code, with any "namespace#" prefix and ":http://..." suffix removed. The
// message is message, Message or errorMessage. For awsQueryCompatible
// services the x-amzn-query-error header ("Code;Sender") supplies the code.
// Modeled members of the error shape land in Fields.
func ParseError(op *model.Operation, resp *http.Response, body []byte) *protocol.APIError {
	e := &protocol.APIError{StatusCode: resp.StatusCode, Header: resp.Header.Clone()}
	e.RequestID = resp.Header.Get("X-Amzn-Requestid")
	var doc map[string]any
	if len(bytes.TrimSpace(body)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		_ = dec.Decode(&doc) // a non-JSON error body still yields the status and header code
	}
	code := resp.Header.Get("X-Amzn-Errortype")
	if code == "" {
		for _, k := range []string{"__type", "code", "Code"} {
			if s, ok := doc[k].(string); ok && s != "" {
				code = s
				break
			}
		}
	}
	e.Code = SanitizeErrorCode(code)
	for _, k := range []string{"message", "Message", "errorMessage"} {
		if s, ok := doc[k].(string); ok {
			e.Message = s
			break
		}
	}
	if e.Code == "" {
		e.Code = http.StatusText(resp.StatusCode)
	}
	if op != nil && op.Service != nil {
		if sh, ok := op.Service.ErrorShape(e.Code); ok && doc != nil {
			if v, err := FromJSON(&model.ShapeRef{ShapeName: sh.Name, Shape: sh}, doc); err == nil {
				if m, ok := v.(map[string]any); ok {
					for k := range m {
						if strings.EqualFold(k, "message") {
							delete(m, k)
						}
					}
					if len(m) > 0 {
						e.Fields = m
					}
				}
			}
			if sh.Fault {
				e.Type = "Receiver"
			} else {
				e.Type = "Sender"
			}
		}
	}
	if qe := resp.Header.Get("X-Amzn-Query-Error"); qe != "" && (op == nil || queryCompatible(op)) {
		qcode, typ, _ := strings.Cut(qe, ";")
		if qcode != "" {
			e.Code, e.QueryCode = qcode, qcode
		}
		if typ != "" {
			e.Type = typ
		}
	}
	return e
}

// SanitizeErrorCode strips "aws.protocoltests#" style namespaces and
// ":http://internal.amazon.com/..." suffixes from an error code.
func SanitizeErrorCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return strings.TrimSpace(code)
}

// OperationFor returns the operation of svc named by r's X-Amz-Target
// header, or UnknownOperationException as the AWS endpoints answer.
func OperationFor(svc *model.Service, r *http.Request) (*model.Operation, error) {
	target := r.Header.Get("X-Amz-Target")
	prefix, name, ok := strings.Cut(target, ".")
	if ok && prefix == svc.Metadata.TargetPrefix {
		if op, ok := svc.Operations[name]; ok {
			return op, nil
		}
	}
	return nil, unknownOperation(target)
}

// unknownOperation is AWS's answer to a missing or unknown X-Amz-Target:
// 400 with a body of only {"__type":"com.amazon.coral.service#UnknownOperationException"},
// no message (captured from DynamoDB and CloudWatch Logs responses, see
// aws/aws-sdk-net#1536 and aws/aws-sdk-go#3689). The target is ignored so
// the answer is the same for every bad target, as AWS's is.
func unknownOperation(target string) *protocol.APIError {
	_ = target
	return protocol.NewError("UnknownOperationException", http.StatusBadRequest, "")
}

func serializationError(msg string) *protocol.APIError {
	return protocol.NewError("SerializationException", http.StatusBadRequest, "%s", msg)
}

// DecodeRequest checks the X-Amz-Target header names op and decodes the JSON
// input. Bodies may be gzip-encoded (requestcompression); at most MaxBodySize
// bytes are read.
func (c *Codec) DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error) {
	if t := r.Header.Get("X-Amz-Target"); t != Target(op) {
		return nil, unknownOperation(t)
	}
	body, err := RequestBody(r)
	if err != nil {
		return nil, err
	}
	if op.Input == nil || op.Input.Shape == nil {
		if err := checkObject(body); err != nil {
			return nil, err
		}
		return map[string]any{}, nil
	}
	return DecodeBody(op.Input, body)
}

// RequestBody reads a request body for a server: gzip Content-Encoding is
// undone, and more than MaxBodySize bytes is a 413.
func RequestBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	var rd io.Reader = r.Body
	if strings.Contains(strings.ToLower(r.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, serializationError("invalid gzip request body")
		}
		defer zr.Close()
		rd = zr
	}
	body, err := readBody(rd)
	if errors.Is(err, ErrBodyTooLarge) {
		return nil, protocol.NewError("RequestEntityTooLargeException", http.StatusRequestEntityTooLarge,
			"Request body exceeds %d bytes", MaxBodySize)
	}
	if err != nil {
		return nil, serializationError("could not read request body")
	}
	return body, nil
}

func checkObject(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return serializationError("Start of structure or map found where not expected")
	}
	return nil
}

// DecodeBody decodes a JSON object body as a value of the structure ref,
// mapping failures to SerializationException. An empty body is {}.
func DecodeBody(ref *model.ShapeRef, body []byte) (map[string]any, error) {
	v, err := Unmarshal(ref, body)
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			return nil, serializationError(de.Error())
		}
		return nil, serializationError(err.Error())
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, serializationError("Start of structure or map found where not expected")
	}
	return m, nil
}

// EncodeResponse writes a 200 with the JSON output.
func (c *Codec) EncodeResponse(w http.ResponseWriter, op *model.Operation, output map[string]any, meta protocol.ResponseMeta) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer putBuf(buf)
	if op.Output != nil && op.Output.Shape != nil && output != nil {
		if err := AppendValue(buf, op.Output, output); err != nil {
			return fmt.Errorf("%s: encode output: %w", op.Name, err)
		}
	} else {
		buf.WriteString("{}")
	}
	body := buf.Bytes()
	// Canonical keys assigned directly: what h.Set would store, without
	// canonicalising "x-amzn-RequestId" on every response.
	h := w.Header()
	h["Content-Type"] = []string{ContentType(op.Service)}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	if meta.RequestID != "" {
		h["X-Amzn-Requestid"] = []string{meta.RequestID}
	}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}

// bufPool holds response buffers: a body is done with once Write returns
// (net/http copies it; the in-process transport's pipe blocks until read).
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 { // do not pin the odd huge response
		bufPool.Put(b)
	}
}

// EncodeError writes err as {"__type": code, "message": ...} plus its modeled
// fields. For awsQueryCompatible services it adds x-amzn-query-error with the
// query code (err.QueryCode, else the error shape's error trait code) and
// Sender/Receiver.
func (c *Codec) EncodeError(w http.ResponseWriter, op *model.Operation, apiErr *protocol.APIError, meta protocol.ResponseMeta) error {
	var svc *model.Service
	if op != nil {
		svc = op.Service
	}
	body, err := ErrorBody(svc, apiErr)
	if err != nil {
		return err
	}
	h := w.Header()
	for k, v := range apiErr.Header {
		h[k] = v
	}
	h.Set("Content-Type", ContentType(svc))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if meta.RequestID != "" {
		h.Set("x-amzn-RequestId", meta.RequestID)
	}
	if svc != nil && svc.Metadata.AWSQueryCompatible != nil {
		if qc, typ := queryError(svc, apiErr); qc != "" {
			h.Set("x-amzn-query-error", qc+";"+typ)
		}
	}
	w.WriteHeader(errorStatus(apiErr))
	_, err = w.Write(body)
	return err
}

func errorStatus(e *protocol.APIError) int {
	if e.StatusCode >= 300 && e.StatusCode <= 599 {
		return e.StatusCode
	}
	return http.StatusBadRequest
}

func queryError(svc *model.Service, e *protocol.APIError) (string, string) {
	typ := e.Type
	code := e.QueryCode
	if sh, ok := svc.ErrorShape(e.Code); ok {
		if code == "" && sh.Error != nil {
			code = sh.Error.Code
		}
		if typ == "" {
			if sh.Fault {
				typ = "Receiver"
			} else {
				typ = "Sender"
			}
		}
	}
	if typ == "" {
		typ = "Sender"
		if errorStatus(e) >= 500 {
			typ = "Receiver"
		}
	}
	return code, typ
}

// ErrorBody renders the JSON body of an AWS JSON error: __type (namespaced
// where the service does so, see ErrorType), message (as "Message" when the
// error shape models it so) and the modeled fields.
func ErrorBody(svc *model.Service, e *protocol.APIError) ([]byte, error) {
	var sh *model.Shape
	if svc != nil {
		sh, _ = svc.ErrorShape(e.Code)
	}
	msgKey := "message"
	if sh != nil {
		if _, ok := sh.Members["Message"]; ok {
			msgKey = "Message"
		}
	}
	var buf bytes.Buffer
	buf.WriteString(`{"__type":`)
	writeString(&buf, ErrorType(svc, e.Code))
	if e.Message != "" {
		buf.WriteByte(',')
		writeString(&buf, msgKey)
		buf.WriteByte(':')
		writeString(&buf, e.Message)
	}
	if len(e.Fields) > 0 {
		var fields []byte
		var err error
		if sh != nil {
			f := make(map[string]any, len(e.Fields))
			for k, v := range e.Fields {
				if ref, ok := sh.Members[k]; ok && ref.Location == "" && !strings.EqualFold(k, "message") {
					f[k] = v
				}
			}
			fields, err = Marshal(&model.ShapeRef{ShapeName: sh.Name, Shape: sh}, f)
		} else {
			fields, err = json.Marshal(e.Fields)
		}
		if err != nil {
			return nil, fmt.Errorf("encode error fields: %w", err)
		}
		if inner := bytes.TrimSpace(fields[1 : len(fields)-1]); len(inner) > 0 {
			buf.WriteByte(',')
			buf.Write(inner)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
