package jsontest

import (
	"context"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/rest"
)

// RoundTrip checks, for every operation of svc and rounds seeds each, that
// client marshal -> server decode and server encode -> client unmarshal
// give back the generated value. It returns the number of values checked.
func RoundTrip(t *testing.T, svc *model.Service, codec protocol.Codec, rounds int) int {
	t.Helper()
	endpoint, _ := url.Parse("https://example.com")
	checked := 0
	for _, name := range svc.OperationNames() {
		op := svc.Operations[name]
		for seed := int64(0); seed < int64(rounds); seed++ {
			g := NewGenerator(seed)
			if op.Input != nil {
				in, _ := g.Value(op.Input, 0).(map[string]any)
				in = rest.FillIdempotencyTokens(op.Input, in) // the client fills them; fix them first
				req, err := codec.MarshalRequest(context.Background(), op, endpoint, in)
				if err != nil {
					t.Errorf("%s seed %d: MarshalRequest: %v", name, seed, err)
					continue
				}
				got, err := codec.DecodeRequest(op, req)
				if err != nil {
					t.Errorf("%s seed %d: DecodeRequest: %v", name, seed, err)
					continue
				}
				if d := Diff(got, in); d != "" {
					t.Errorf("%s seed %d: request round trip: %s", name, seed, d)
				}
				checked++
			}
			if op.Output != nil {
				out, _ := g.Value(op.Output, 0).(map[string]any)
				rec := httptest.NewRecorder()
				if err := codec.EncodeResponse(rec, op, out, protocol.ResponseMeta{}); err != nil {
					t.Errorf("%s seed %d: EncodeResponse: %v", name, seed, err)
					continue
				}
				got, err := codec.UnmarshalResponse(op, rec.Result())
				if err != nil {
					t.Errorf("%s seed %d: UnmarshalResponse: %v", name, seed, err)
					continue
				}
				if d := Diff(got, out); d != "" {
					t.Errorf("%s seed %d: response round trip: %s", name, seed, d)
				}
				checked++
			}
		}
	}
	return checked
}
