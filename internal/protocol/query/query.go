package query

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil"
)

// MaxFormBytes caps a query request body a server reads (SQS's largest
// message is 256 KiB, base64 and escaping add under 4x).
const MaxFormBytes = 10 << 20

// Codec is the awsQuery protocol. The zero value is ready to use.
type Codec struct{}

// New returns the query codec.
func New() Codec { return Codec{} }

var _ protocol.Codec = Codec{}

// Name implements protocol.Codec.
func (Codec) Name() string { return "query" }

// MarshalRequest implements protocol.Codec.
func (Codec) MarshalRequest(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any) (*http.Request, error) {
	return MarshalForm(ctx, op, endpoint, params, Query)
}

// MarshalForm builds a query-family request in style. The ec2 codec uses it.
func MarshalForm(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any, style Style) (*http.Request, error) {
	var p Params
	p.Add("Action", op.Name)
	p.Add("Version", op.Service.Metadata.APIVersion)
	var in *model.Shape
	if op.Input != nil {
		in = op.Input.Shape
		params = FillIdempotencyTokens(in, params)
		if err := EncodeParams(&p, in, params, style); err != nil {
			return nil, fmt.Errorf("%s: marshal %s: %w", style, op.Name, err)
		}
	}
	u := *endpoint
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath = ""
	if op.Endpoint != nil && op.Endpoint.HostPrefix != "" {
		prefix, err := HostPrefix(op.Endpoint.HostPrefix, in, params)
		if err != nil {
			return nil, err
		}
		u.Host = prefix + u.Host
	}
	body := p.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	// botocore names the charset (the legacy suites pin it; the newer ones
	// write the bare type, which servers treat the same).
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return req, nil
}

// HostPrefix expands an endpoint hostPrefix template ("{Label}.data.") with
// the hostLabel members of params.
func HostPrefix(tmpl string, in *model.Shape, params map[string]any) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String(), nil
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("bad hostPrefix %q", tmpl)
		}
		name := tmpl[i+1 : i+j]
		s, _ := params[name].(string)
		if s == "" {
			return "", fmt.Errorf("hostPrefix member %s is empty", name)
		}
		b.WriteString(tmpl[:i])
		b.WriteString(s)
		tmpl = tmpl[i+j+1:]
	}
}

func (s Style) String() string {
	if s == EC2 {
		return "ec2"
	}
	return "query"
}

// Form returns the request's parameters: the query string merged with a
// form body, which is read once (up to MaxFormBytes) and cached in
// r.PostForm so Action and DecodeRequest can both look at it. A body that is
// not a valid form gives MalformedQueryString.
func Form(r *http.Request) (url.Values, *protocol.APIError) {
	if r.Form != nil && r.PostForm != nil {
		return r.Form, nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, malformed(err)
	}
	post := url.Values{}
	if r.Body != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "" || ct == "application/x-www-form-urlencoded" {
			data, err := io.ReadAll(io.LimitReader(r.Body, MaxFormBytes+1))
			if err != nil {
				return nil, malformed(err)
			}
			if len(data) > MaxFormBytes {
				return nil, protocol.NewError("RequestEntityTooLarge", http.StatusRequestEntityTooLarge, "Request body must be at most %d bytes", MaxFormBytes)
			}
			r.Body = io.NopCloser(bytes.NewReader(data))
			post, err = url.ParseQuery(string(data))
			if err != nil {
				return nil, malformed(err)
			}
		}
	}
	all := url.Values{}
	for k, v := range post {
		all[k] = append(all[k], v...)
	}
	for k, v := range q {
		all[k] = append(all[k], v...)
	}
	r.PostForm, r.Form = post, all
	return all, nil
}

func malformed(err error) *protocol.APIError {
	e := protocol.NewError("MalformedQueryString", http.StatusBadRequest, "%v", err)
	e.Type = "Sender"
	return e
}

// MissingActionMessage is the message of MissingAction (400), the answer
// of a query-family endpoint to a request without Action (as STS answers).
const MissingActionMessage = "Missing Action"

// InvalidActionMessage is the message of InvalidAction (400) for an Action
// the service does not have. Query services (STS, IAM, SNS) answer "Could
// not find operation X for version V"; EC2 answers "The action X is not
// valid for this web service." (captured in cognitect-labs/aws-api#6). With
// version "" (the service is not known) the EC2 wording is used.
func InvalidActionMessage(action, version string, ec2 bool) string {
	if ec2 || version == "" {
		return "The action " + action + " is not valid for this web service."
	}
	return "Could not find operation " + action + " for version " + version
}

// Action returns the operation a query-family request names. A request
// without Action gives MissingAction; an Action the service does not have
// gives InvalidAction, both 400 as AWS's query endpoints answer.
func Action(svc *model.Service, r *http.Request) (*model.Operation, *protocol.APIError) {
	form, aerr := Form(r)
	if aerr != nil {
		return nil, aerr
	}
	name := form.Get("Action")
	if name == "" {
		e := protocol.NewError("MissingAction", http.StatusBadRequest, "%s", MissingActionMessage)
		e.Type = "Sender"
		return nil, e
	}
	op, ok := svc.Operations[name]
	if !ok {
		e := protocol.NewError("InvalidAction", http.StatusBadRequest, "%s", InvalidActionMessage(name, svc.Metadata.APIVersion, svc.Metadata.Protocol == "ec2"))
		e.Type = "Sender"
		return nil, e
	}
	return op, nil
}

// DecodeRequest implements protocol.Codec.
func (Codec) DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error) {
	return DecodeForm(op, r, Query)
}

// DecodeForm decodes a query-family request in style. A value that does not
// fit its shape gives ValidationError (query) or InvalidParameterValue (ec2).
func DecodeForm(op *model.Operation, r *http.Request, style Style) (map[string]any, error) {
	form, aerr := Form(r)
	if aerr != nil {
		return nil, aerr
	}
	if a := form.Get("Action"); a != op.Name {
		e := protocol.NewError("InvalidAction", http.StatusBadRequest, "%s", InvalidActionMessage(a, op.Service.Metadata.APIVersion, style == EC2))
		if a == "" {
			e = protocol.NewError("MissingAction", http.StatusBadRequest, "%s", MissingActionMessage)
		}
		e.Type = "Sender"
		return nil, e
	}
	if op.Input == nil {
		return map[string]any{}, nil
	}
	in, err := DecodeParams(form, op.Input.Shape, style)
	if err != nil {
		var pe *ParamError
		code := "ValidationError"
		if style == EC2 {
			code = "InvalidParameterValue"
		}
		if errors.As(err, &pe) {
			e := protocol.NewError(code, http.StatusBadRequest, "Value (%s) for parameter %s is invalid. %v", pe.Value, pe.Param, pe.Err)
			e.Type = "Sender"
			return nil, e
		}
		return nil, err
	}
	return in, nil
}

// Namespace is the xmlns of a service's responses: the model's
// xmlNamespace, else https://<endpointPrefix>.amazonaws.com/doc/<apiVersion>/.
func Namespace(svc *model.Service) string {
	if svc.Metadata.XMLNamespace != "" {
		return svc.Metadata.XMLNamespace
	}
	return "https://" + svc.Metadata.EndpointPrefix + ".amazonaws.com/doc/" + svc.Metadata.APIVersion + "/"
}

// ResultWrapper is the element holding the output members: the output
// reference's resultWrapper, else OpResult.
func ResultWrapper(op *model.Operation) string {
	if op.Output != nil && op.Output.ResultWrapper != "" {
		return op.Output.ResultWrapper
	}
	return op.Name + "Result"
}

// EncodeResponse implements protocol.Codec.
func (Codec) EncodeResponse(w http.ResponseWriter, op *model.Operation, output map[string]any, meta protocol.ResponseMeta) error {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	e := xmlutil.NewEncoder(&buf)
	root := op.Name + "Response"
	e.StartTag(root, "xmlns", Namespace(op.Service))
	if op.Output != nil {
		wrapper := ResultWrapper(op)
		e.StartTag(wrapper)
		if err := e.Members(op.Output.Shape, output); err != nil {
			return fmt.Errorf("query: encode %s: %w", op.Name, err)
		}
		e.EndTag(wrapper)
	}
	e.StartTag("ResponseMetadata")
	e.TextElement("RequestId", meta.RequestID)
	e.EndTag("ResponseMetadata")
	e.EndTag(root)
	return writeXML(w, http.StatusOK, meta, buf.Bytes())
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

func writeXML(w http.ResponseWriter, status int, meta protocol.ResponseMeta, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if meta.RequestID != "" {
		h.Set("x-amzn-RequestId", meta.RequestID)
	}
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// ErrorStatus is the HTTP status for err: its own, else 400 for senders and
// 500 for receivers.
func ErrorStatus(err *protocol.APIError) int {
	if err.StatusCode != 0 {
		return err.StatusCode
	}
	if err.Type == "Receiver" {
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// EncodeErrorFields writes the modeled members of err (other than Code and
// Message) using the service's exception shape when op names one.
func EncodeErrorFields(e *xmlutil.Encoder, op *model.Operation, err *protocol.APIError) error {
	if op == nil || op.Service == nil || len(err.Fields) == 0 {
		return nil
	}
	sh, ok := op.Service.ErrorShape(err.Code)
	if !ok {
		return nil
	}
	fields := make(map[string]any, len(err.Fields))
	for k, v := range err.Fields {
		if k == "Code" || strings.EqualFold(k, "message") {
			continue
		}
		fields[k] = v
	}
	return e.Members(sh, fields)
}

// EncodeError implements protocol.Codec.
func (Codec) EncodeError(w http.ResponseWriter, op *model.Operation, err *protocol.APIError, meta protocol.ResponseMeta) error {
	status := ErrorStatus(err)
	typ := err.Type
	if typ == "" {
		typ = "Sender"
		if status >= 500 {
			typ = "Receiver"
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	e := xmlutil.NewEncoder(&buf)
	if op != nil {
		e.StartTag("ErrorResponse", "xmlns", Namespace(op.Service))
	} else {
		e.StartTag("ErrorResponse")
	}
	e.StartTag("Error")
	e.TextElement("Type", typ)
	// awsQueryCompatible services (SQS) name errors differently in JSON;
	// query clients get the legacy code.
	code := err.Code
	if err.QueryCode != "" {
		code = err.QueryCode
	}
	e.TextElement("Code", code)
	e.TextElement("Message", err.Message)
	if ferr := EncodeErrorFields(e, op, err); ferr != nil {
		return fmt.Errorf("query: encode error %s: %w", err.Code, ferr)
	}
	e.EndTag("Error")
	rid := err.RequestID
	if rid == "" {
		rid = meta.RequestID
	}
	e.TextElement("RequestId", rid)
	e.EndTag("ErrorResponse")
	if rid != meta.RequestID {
		meta.RequestID = rid
	}
	return writeXML(w, status, meta, buf.Bytes())
}

// UnmarshalResponse implements protocol.Codec.
func (Codec) UnmarshalResponse(op *model.Operation, resp *http.Response) (map[string]any, error) {
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return nil, UnmarshalError(op, resp)
	}
	root, err := xmlutil.Parse(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("query: %s response: %w", op.Name, err)
	}
	if op.Output == nil || root == nil {
		return map[string]any{}, nil
	}
	start := root.Child(ResultWrapper(op))
	if start == nil {
		start = root
	}
	out, err := xmlutil.DecodeStruct(start, op.Output.Shape)
	if err != nil {
		return nil, fmt.Errorf("query: %s response: %w", op.Name, err)
	}
	return out, nil
}

// UnmarshalError reads a query or ec2 error response (the first <Error>
// element, wherever it sits). The body is not closed.
func UnmarshalError(op *model.Operation, resp *http.Response) *protocol.APIError {
	e := &protocol.APIError{StatusCode: resp.StatusCode, Header: resp.Header.Clone()}
	e.RequestID = resp.Header.Get("x-amzn-RequestId")
	root, err := xmlutil.Parse(resp.Body)
	if err != nil || root == nil {
		e.Code = strings.ReplaceAll(http.StatusText(resp.StatusCode), " ", "")
		if e.Code == "" {
			e.Code = strconv.Itoa(resp.StatusCode)
		}
		return e
	}
	en := root.Find("Error")
	if en == nil {
		en = root
	}
	e.Code, _ = en.ChildText("Code")
	e.Message, _ = en.ChildText("Message")
	e.Type, _ = en.ChildText("Type")
	for _, n := range []string{"RequestId", "RequestID"} {
		if r := root.Find(n); r != nil {
			e.RequestID = r.Text
			break
		}
	}
	if op != nil && op.Service != nil {
		if sh, ok := op.Service.ErrorShape(e.Code); ok {
			if f, err := xmlutil.DecodeStruct(en, sh); err == nil {
				for k := range f {
					if strings.EqualFold(k, "message") {
						delete(f, k)
					}
				}
				if len(f) > 0 {
					e.Fields = f
				}
			}
		}
	}
	return e
}
