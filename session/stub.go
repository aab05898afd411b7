package session

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/google/go-cmp/cmp"
)

// ANY matches any value in a Stubber's expected params, like botocore's
// stub.ANY (5.22): {"Bucket": "b", "Key": session.ANY}.
var ANY any = anyValue{}

type anyValue struct{}

func (anyValue) String() string { return "<ANY>" }

// StubResponseError is botocore's StubResponseError: the queued response is
// for another operation ("Operation mismatch: found response for
// ListTables.").
type StubResponseError struct {
	Operation string
	Reason    string
}

func (e *StubResponseError) Error() string {
	return "Error getting response stub for operation " + e.Operation + ": " + e.Reason
}

// StubAssertionError is botocore's StubAssertionError: the call's params
// differ from the expected ones. Reason holds botocore's "Expected
// parameters: … but received: …" text followed by a go-cmp diff.
type StubAssertionError struct {
	Operation string
	Reason    string
}

func (e *StubAssertionError) Error() string {
	return "Error getting response stub for operation " + e.Operation + ": " + e.Reason
}

// UnStubbedResponseError is botocore's UnStubbedResponseError: a call was
// made while no response was queued.
type UnStubbedResponseError struct {
	Operation string
	Reason    string
}

func (e *UnStubbedResponseError) Error() string {
	return "Error getting response stub for operation " + e.Operation + ": " + e.Reason
}

// Stubber queues canned responses for one client, like botocore's
// stub.Stubber (5.21, 5.22). While active, every call of the client takes
// the next queued response in order instead of going to the network: the
// expected params are checked in a before-parameter-build handler registered
// first, the response is returned from a before-call handler (the events
// short-circuit). Responses are validated against the operation's output
// shape when they are added.
//
// For recorded traffic rather than hand-written responses, see the recorder
// package, which plays placebo's role.
type Stubber struct {
	client *Client

	mu    sync.Mutex
	queue []stubbed
}

type stubbed struct {
	op       string
	out      *Output
	err      *APIError
	expected map[string]any
}

// botocore's unique ids: activating twice registers once.
const (
	stubResponseID       = "boto_stubber"
	stubExpectedParamsID = "boto_stubber_expected_params"
)

// NewStubber returns an inactive Stubber for client.
func NewStubber(client *Client) *Stubber { return &Stubber{client: client} }

// Activate makes the client answer from the queue (botocore activate()).
func (s *Stubber) Activate() {
	ev := s.client.Events()
	// Errors only come from nil handlers or counter mismatches on the
	// unique ids, neither possible here.
	_, _ = ev.RegisterFirst("before-parameter-build.*.*", s.assertExpectedParams, UniqueID(stubExpectedParamsID))
	_, _ = ev.Register("before-call.*.*", s.response, UniqueID(stubResponseID))
}

// Deactivate removes the Stubber's handlers; the client goes to the network
// again. The queue is kept.
func (s *Stubber) Deactivate() {
	ev := s.client.Events()
	ev.Unregister("before-parameter-build.*.*", stubExpectedParamsID)
	ev.Unregister("before-call.*.*", stubResponseID)
}

// AddResponse queues a successful response for operation (model or
// snake_case name). response is validated against the output shape as
// botocore does (a *ParamValidationError; "ResponseMetadata" is left out of
// the check and, when given, fills Output.ResponseMetadata). expectedParams,
// when non-nil, must equal the call's params key for key (ANY matches any
// value).
func (s *Stubber) AddResponse(operation string, response map[string]any, expectedParams map[string]any) error {
	op, err := s.client.operation(operation)
	if err != nil {
		return err
	}
	data := make(map[string]any, len(response))
	var meta ResponseMetadata
	for k, v := range response {
		if k == "ResponseMetadata" {
			meta = stubMetadata(v)
			continue
		}
		data[k] = v
	}
	if err := validateStubResponse(op.Output, data); err != nil {
		return err
	}
	if op.Output != nil && op.Output.Shape != nil {
		n, err := protocol.Normalize(op.Output, data)
		if err != nil {
			return fmt.Errorf("session: stub response for %s: %w", op.Name, err)
		}
		if m, ok := n.(map[string]any); ok {
			data = m
		}
	}
	s.push(stubbed{op: op.Name, out: &Output{Data: data, ResponseMetadata: meta}, expected: expectedParams})
	return nil
}

func validateStubResponse(out *model.ShapeRef, data map[string]any) error {
	if out == nil || out.Shape == nil {
		if len(data) > 0 {
			return &ParamValidationError{Problems: []string{"Service response should only contain ResponseMetadata."}}
		}
		return nil
	}
	return validate(out, data)
}

// AddClientError queues an error response for operation: the call fails with
// an *APIError carrying code, message and httpStatus (botocore defaults 400
// when httpStatus is 0), Modeled when the service models code, and
// serviceErrorMeta's entries in Fields (botocore merges them into the
// Error dict). expectedParams, at most one, is checked as in AddResponse.
func (s *Stubber) AddClientError(operation, code, message string, httpStatus int, serviceErrorMeta map[string]any, expectedParams ...map[string]any) error {
	op, err := s.client.operation(operation)
	if err != nil {
		return err
	}
	if len(expectedParams) > 1 {
		return fmt.Errorf("session: AddClientError takes at most one expectedParams, got %d", len(expectedParams))
	}
	if httpStatus == 0 {
		httpStatus = 400
	}
	ae := &APIError{Code: code, Message: message, HTTPStatus: httpStatus, Operation: op.Name}
	_, ae.Modeled = s.client.exceptions.shapeFor(code)
	if len(serviceErrorMeta) > 0 {
		ae.Fields = make(map[string]any, len(serviceErrorMeta))
		for k, v := range serviceErrorMeta {
			ae.Fields[k] = v
		}
	}
	st := stubbed{op: op.Name, err: ae}
	if len(expectedParams) == 1 {
		st.expected = expectedParams[0]
	}
	s.push(st)
	return nil
}

// AssertNoPendingResponses fails when responses remain queued: "1 responses
// remaining in queue." as botocore's AssertionError.
func (s *Stubber) AssertNoPendingResponses() error {
	s.mu.Lock()
	n := len(s.queue)
	s.mu.Unlock()
	if n != 0 {
		return fmt.Errorf("%d responses remaining in queue.", n)
	}
	return nil
}

func (s *Stubber) push(st stubbed) {
	s.mu.Lock()
	s.queue = append(s.queue, st)
	s.mu.Unlock()
}

// head checks the call order (botocore _assert_expected_call_order) and
// returns the next queued response without removing it.
func (s *Stubber) head(op string) (stubbed, error) {
	if len(s.queue) == 0 {
		return stubbed{}, &UnStubbedResponseError{Operation: op, Reason: "Unexpected API Call: A call was made but no additional calls expected. " +
			"Either the API Call was not stubbed or it was called multiple times."}
	}
	if h := s.queue[0]; h.op != op {
		return stubbed{}, &StubResponseError{Operation: op, Reason: "Operation mismatch: found response for " + h.op + "."}
	}
	return s.queue[0], nil
}

func (s *Stubber) assertExpectedParams(_ context.Context, e *Event) (any, error) {
	s.mu.Lock()
	h, err := s.head(e.Operation)
	s.mu.Unlock()
	if err != nil || h.expected == nil {
		return nil, err
	}
	ok := len(h.expected) == len(e.Params)
	for k, want := range h.expected {
		got, present := e.Params[k]
		if !ok || !present || !stubEqual(want, got) {
			ok = false
			break
		}
	}
	if ok {
		return nil, nil
	}
	return nil, &StubAssertionError{Operation: e.Operation, Reason: fmt.Sprintf("Expected parameters:\n%s,\nbut received:\n%s\ndiff (-expected +received):\n%s",
		formatParams(h.expected), formatParams(e.Params), cmp.Diff(h.expected, e.Params, stubCmp))}
}

func (s *Stubber) response(_ context.Context, e *Event) (any, error) {
	s.mu.Lock()
	h, err := s.head(e.Operation)
	if err == nil {
		s.queue = s.queue[1:]
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if h.err != nil {
		ae := *h.err
		return nil, &ae
	}
	return &Output{Data: h.out.Data, ResponseMetadata: h.out.ResponseMetadata}, nil
}

// stubCmp makes the diff agree with stubEqual: ANY and numbers of different
// Go types compare as in Python.
var stubCmp = cmp.FilterValues(func(a, b any) bool {
	_, aa := a.(anyValue)
	_, bb := b.(anyValue)
	_, an := stubNumber(a)
	_, bn := stubNumber(b)
	return aa || bb || (an && bn)
}, cmp.Comparer(func(a, b any) bool { return stubEqual(a, b) }))

// stubEqual is Python's == as botocore applies it to params: ANY on the
// expected side matches anything, also nested; numbers compare by value.
func stubEqual(want, got any) bool {
	if _, ok := want.(anyValue); ok {
		return true
	}
	if fw, ok := stubNumber(want); ok {
		fg, ok := stubNumber(got)
		return ok && fw == fg
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if p, isP := got.(Params); isP {
				g, ok = map[string]any(p), true
			}
		}
		if !ok || len(g) != len(w) {
			return false
		}
		for k, v := range w {
			gv, ok := g[k]
			if !ok || !stubEqual(v, gv) {
				return false
			}
		}
		return true
	case Params:
		return stubEqual(map[string]any(w), got)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !stubEqual(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(want, got)
}

func stubNumber(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		return f, !math.IsNaN(f)
	}
	return 0, false
}

// formatParams prints params with sorted keys, pformat-like.
func formatParams(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q: %v", k, m[k])
	}
	b.WriteByte('}')
	return b.String()
}

func stubMetadata(v any) ResponseMetadata {
	var meta ResponseMetadata
	m, _ := v.(map[string]any)
	if s, ok := m["RequestId"].(string); ok {
		meta.RequestID = s
	}
	if s, ok := m["HostId"].(string); ok {
		meta.HostID = s
	}
	if f, ok := stubNumber(m["HTTPStatusCode"]); ok {
		meta.HTTPStatusCode = int(f)
	}
	if f, ok := stubNumber(m["RetryAttempts"]); ok {
		meta.RetryAttempts = int(f)
	}
	return meta
}
