package emulator

import (
	"context"
	"net/http"
	"net/url"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// variantCodec speaks a protocol with the shapes of the service's older
// model for that protocol (model.LoadProtocolVariant): SQS requests in query
// form come from clients built on the pre-JSON SQS model, whose flattened
// lists and maps ("SendMessageBatchRequestEntry.1.Id", <Message>,
// <Attribute><Name/><Value/></Attribute>) the current model no longer
// describes. Handlers still see the current model's operation: the member
// names are the same (internal/model pins that), only the wire form differs.
// Operations the old model lacks use the current one.
type variantCodec struct {
	protocol.Codec
	variant *model.Service
}

// withVariant wraps c when svc has a variant model for the protocol c speaks
// and c is not svc's own protocol.
func withVariant(svc *model.Service, c protocol.Codec) protocol.Codec {
	if svc == nil || c.Name() == svc.Metadata.Protocol {
		return c
	}
	name := svc.Name
	if name == "" { // parsed from FAKECLOUD_BOTOCORE_DATA, not model.Load
		name = svc.Metadata.EndpointPrefix
	}
	v, err := model.LoadProtocolVariant(name, c.Name())
	if err != nil || v.Metadata.ServiceID != svc.Metadata.ServiceID {
		return c
	}
	return variantCodec{Codec: c, variant: v}
}

func (c variantCodec) op(op *model.Operation) *model.Operation {
	if op == nil {
		return nil
	}
	if v, ok := c.variant.Operations[op.Name]; ok {
		return v
	}
	return op
}

func (c variantCodec) MarshalRequest(ctx context.Context, op *model.Operation, endpoint *url.URL, params map[string]any) (*http.Request, error) {
	return c.Codec.MarshalRequest(ctx, c.op(op), endpoint, params)
}

func (c variantCodec) UnmarshalResponse(op *model.Operation, resp *http.Response) (map[string]any, error) {
	return c.Codec.UnmarshalResponse(c.op(op), resp)
}

func (c variantCodec) DecodeRequest(op *model.Operation, r *http.Request) (map[string]any, error) {
	return c.Codec.DecodeRequest(c.op(op), r)
}

func (c variantCodec) EncodeResponse(w http.ResponseWriter, op *model.Operation, output map[string]any, meta protocol.ResponseMeta) error {
	return c.Codec.EncodeResponse(w, c.op(op), output, meta)
}

func (c variantCodec) EncodeError(w http.ResponseWriter, op *model.Operation, err *protocol.APIError, meta protocol.ResponseMeta) error {
	if op == nil {
		// No operation named (a bad Action): the variant's namespace still
		// belongs on <ErrorResponse>, as SQS sends it.
		return c.Codec.EncodeError(w, &model.Operation{Service: c.variant}, err, meta)
	}
	return c.Codec.EncodeError(w, c.op(op), err, meta)
}
