package ec2

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/query"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil"
)

// Codec is the ec2 protocol. The zero value is ready to use.
type Codec struct{}

// New returns the ec2 codec.
func New() Codec { return Codec{} }

var _ protocol.Codec = Codec{}

// Name implements protocol.Codec.
func (Codec) Name() string { return "ec2" }

// MarshalRequest implements protocol.Codec.
func (Codec) MarshalRequest(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any) (*http.Request, error) {
	return query.MarshalForm(ctx, op, endpoint, params, query.EC2)
}

// Action returns the operation an ec2 request names (see query.Action:
// MissingAction / InvalidAction, 400).
func Action(svc *model.Service, r *http.Request) (*model.Operation, *protocol.APIError) {
	return query.Action(svc, r)
}

// DecodeRequest implements protocol.Codec. A value that does not fit its
// shape gives InvalidParameterValue (400), as EC2 answers.
func (Codec) DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error) {
	return query.DecodeForm(op, r, query.EC2)
}

// Namespace is the xmlns of EC2 responses: the model's xmlNamespace, else
// http://ec2.amazonaws.com/doc/<apiVersion>/.
func Namespace(svc *model.Service) string {
	if svc.Metadata.XMLNamespace != "" {
		return svc.Metadata.XMLNamespace
	}
	return "http://ec2.amazonaws.com/doc/" + svc.Metadata.APIVersion + "/"
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

func write(w http.ResponseWriter, status int, meta protocol.ResponseMeta, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", "text/xml;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if meta.RequestID != "" {
		h.Set("x-amzn-RequestId", meta.RequestID)
	}
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// EncodeResponse implements protocol.Codec.
func (Codec) EncodeResponse(w http.ResponseWriter, op *model.Operation, output map[string]any, meta protocol.ResponseMeta) error {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	e := xmlutil.NewEncoder(&buf)
	root := op.Name + "Response"
	e.StartTag(root, "xmlns", Namespace(op.Service))
	e.TextElement("requestId", meta.RequestID)
	if op.Output != nil {
		if err := e.Members(op.Output.Shape, output); err != nil {
			return fmt.Errorf("ec2: encode %s: %w", op.Name, err)
		}
	}
	e.EndTag(root)
	return write(w, http.StatusOK, meta, buf.Bytes())
}

// EncodeError implements protocol.Codec.
func (Codec) EncodeError(w http.ResponseWriter, op *model.Operation, err *protocol.APIError, meta protocol.ResponseMeta) error {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	e := xmlutil.NewEncoder(&buf)
	e.StartTag("Response")
	e.StartTag("Errors")
	e.StartTag("Error")
	e.TextElement("Code", err.Code)
	e.TextElement("Message", err.Message)
	if ferr := query.EncodeErrorFields(e, op, err); ferr != nil {
		return fmt.Errorf("ec2: encode error %s: %w", err.Code, ferr)
	}
	e.EndTag("Error")
	e.EndTag("Errors")
	if err.RequestID != "" {
		meta.RequestID = err.RequestID
	}
	e.TextElement("RequestID", meta.RequestID)
	e.EndTag("Response")
	return write(w, query.ErrorStatus(err), meta, buf.Bytes())
}

// UnmarshalResponse implements protocol.Codec.
func (Codec) UnmarshalResponse(op *model.Operation, resp *http.Response) (map[string]any, error) {
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return nil, query.UnmarshalError(op, resp)
	}
	root, err := xmlutil.Parse(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("ec2: %s response: %w", op.Name, err)
	}
	if op.Output == nil || root == nil {
		return map[string]any{}, nil
	}
	out, err := xmlutil.DecodeStruct(root, op.Output.Shape)
	if err != nil {
		return nil, fmt.Errorf("ec2: %s response: %w", op.Name, err)
	}
	return out, nil
}
