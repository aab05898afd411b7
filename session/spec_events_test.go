package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// 5.01: event names use the hyphenated service id and the CamelCase operation.
func TestEventNamesUseServiceID_5_01(t *testing.T) {
	s := testSession(t)
	for svc, want := range map[string]string{"sqs": "sqs", "dynamodb": "dynamodb", "s3": "s3",
		"elbv2": "elastic-load-balancing-v2", "logs": "cloudwatch-logs"} {
		c, err := s.Client(svc, ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if c.evName != want {
			t.Errorf("%s event name = %q, want %q", svc, c.evName, want)
		}
	}
	var got string
	c, _ := s.Client("dynamodb", ClientOptions{})
	c.Events().Register("before-call", func(_ context.Context, e *Event) (any, error) {
		got = e.Name // 5.04: every handler receives the full event name.
		return &Output{Data: map[string]any{}}, nil
	})
	if _, err := c.Call(context.Background(), "list_tables", nil); err != nil {
		t.Fatal(err)
	}
	if got != "before-call.dynamodb.ListTables" {
		t.Errorf("emitted %q", got)
	}
}

// 5.02: handlers on a prefix receive every event below it; "*" matches one
// segment; another service's prefix does not fire.
func TestEventPrefixesAndWildcards_5_02(t *testing.T) {
	c, _ := testSession(t).Client("dynamodb", ClientOptions{})
	var fired []string
	for _, name := range []string{"before-call", "before-call.dynamodb", "before-call.dynamodb.ListTables",
		"before-call.*.ListTables", "before-call.sqs", "before-call.dynamodb.PutItem", "before-call.*"} {
		name := name
		c.Events().Register(name, func(context.Context, *Event) (any, error) { fired = append(fired, name); return nil, nil })
	}
	c.Events().Register("before-send", func(context.Context, *Event) (any, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`))}, nil
	})
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"before-call": true, "before-call.dynamodb": true, "before-call.dynamodb.ListTables": true,
		"before-call.*.ListTables": true, "before-call.*": true}
	if len(fired) != len(want) {
		t.Errorf("fired %v", fired)
	}
	for _, f := range fired {
		if !want[f] {
			t.Errorf("%s fired for a ListTables call", f)
		}
	}
}

// 5.06: Emit returns every handler's non-nil response in order;
// EmitUntilResponse stops at the first.
func TestEmitAndEmitUntilResponse_5_06(t *testing.T) {
	e := NewEvents()
	var calls []int
	for i := 1; i <= 3; i++ {
		i := i
		e.Register("my-event", func(context.Context, *Event) (any, error) {
			calls = append(calls, i)
			if i == 1 {
				return nil, nil
			}
			return i, nil
		})
	}
	rs, err := e.Emit(context.Background(), &Event{Name: "my-event.x"})
	if err != nil || !reflect.DeepEqual(rs, []any{2, 3}) || len(calls) != 3 {
		t.Errorf("Emit = %v %v calls %v", rs, err, calls)
	}
	calls = nil
	r, _ := e.EmitUntilResponse(context.Background(), &Event{Name: "my-event.x"})
	if r != 2 || !reflect.DeepEqual(calls, []int{1, 2}) {
		t.Errorf("EmitUntilResponse = %v, calls %v", r, calls)
	}
}

var errMine = errors.New("handler says no")

// 5.07: an error from a handler reaches the caller unchanged, and nothing is sent.
func TestHandlerErrorPropagates_5_07(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	c.Events().Register("before-parameter-build.dynamodb", func(context.Context, *Event) (any, error) { return nil, errMine })
	_, err := c.Call(context.Background(), "ListTables", nil)
	if err != errMine {
		t.Errorf("err = %v, want the handler's own error value", err)
	}
	if len(srv.requests()) != 0 {
		t.Error("request sent despite the handler error")
	}
}

// 5.08: legacy names are aliased to service event names at registration.
func TestEventAliases_5_08(t *testing.T) {
	s := testSession(t)
	elbv2, _ := s.Client("elbv2", ClientOptions{})
	elb, _ := s.Client("elb", ClientOptions{})
	fired := map[string]int{}
	for _, name := range []string{"before-call.elasticloadbalancing", "before-call.elbv2", "before-call.elb"} {
		name := name
		h := func(context.Context, *Event) (any, error) { fired[name]++; return &Output{Data: map[string]any{}}, nil }
		elbv2.Events().Register(name, h)
		elb.Events().Register(name, h)
	}
	if _, err := elbv2.Call(context.Background(), "DescribeLoadBalancers", nil); err != nil {
		t.Fatal(err)
	}
	if fired["before-call.elasticloadbalancing"] != 0 || fired["before-call.elbv2"] != 1 {
		t.Errorf("elbv2 call fired %v", fired)
	}
	if _, err := elb.Call(context.Background(), "DescribeLoadBalancers", nil); err != nil {
		t.Fatal(err)
	}
	if fired["before-call.elasticloadbalancing"]+fired["before-call.elb"] != 1 {
		// the first handler short-circuits; either legacy name reached the elb client.
		t.Errorf("elb call fired %v", fired)
	}
	for in, want := range map[string]string{
		"before-call.elbv2.DescribeLoadBalancers": "before-call.elastic-load-balancing-v2.DescribeLoadBalancers",
		"after-call.logs":                         "after-call.cloudwatch-logs",
		"before-call.runtime.sagemaker.Invoke":    "before-call.sagemaker-runtime.Invoke",
		"before-call.email":                       "before-call.ses",
		"before-call.s3":                          "before-call.s3",
	} {
		if got := aliasEventName(in); got != want {
			t.Errorf("alias(%s) = %s, want %s", in, got, want)
		}
	}
}

// 5.12: provide-client-params and before-parameter-build may change the
// params before validation and serialisation.
func TestParamEventsMutateParams_5_12(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	c.Events().Register("provide-client-params.dynamodb.ListTables", func(_ context.Context, e *Event) (any, error) {
		e.Params["Limit"] = 3
		return nil, nil
	})
	c.Events().Register("before-parameter-build.dynamodb.ListTables", func(_ context.Context, e *Event) (any, error) {
		if e.Model == nil || e.Model.Name != "ListTables" {
			t.Errorf("model = %v", e.Model)
		}
		e.Params["ExclusiveStartTableName"] = "t005"
		return nil, nil
	})
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	if b := srv.requests()[0].Body; !strings.Contains(b, `"Limit":3`) || !strings.Contains(b, `"ExclusiveStartTableName":"t005"`) {
		t.Errorf("body = %s", b)
	}
}

// 5.13: a before-call response skips the network; an error response
// (status >= 300) is raised as the modeled error.
func TestBeforeCallShortCircuit_5_13(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	id, _ := c.Events().Register("before-call.dynamodb.ListTables", func(_ context.Context, e *Event) (any, error) {
		if e.Request == nil || e.Params == nil {
			t.Error("before-call without the serialised request")
		}
		return &Output{Data: map[string]any{"TableNames": []any{"stub"}}}, nil
	})
	out, err := c.Call(context.Background(), "ListTables", nil)
	if err != nil || out.String("TableNames[0]") != "stub" {
		t.Fatalf("out %v err %v", out, err)
	}
	c.Events().Unregister("before-call.dynamodb.ListTables", id)
	c.Events().Register("before-call.dynamodb.ListTables", func(_ context.Context, e *Event) (any, error) {
		return &http.Response{StatusCode: 400, Header: http.Header{"X-Amzn-Requestid": {"RQ"}},
			Body: io.NopCloser(strings.NewReader(`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"gone"}`))}, nil
	})
	_, err = c.Call(context.Background(), "ListTables", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "ResourceNotFoundException" || ae.RequestID != "RQ" || !ae.Modeled {
		t.Errorf("err = %v", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests reached the network", n)
	}
}

// 5.14, 5.16: request-created may add headers (sent and signed);
// before-sign sees the final request with signing name and region.
func TestRequestCreatedAndBeforeSign_5_14(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	c.Events().Register("request-created.dynamodb", func(_ context.Context, e *Event) (any, error) {
		e.Request.Header.Set("X-Amz-Custom", "v1")
		return nil, nil
	})
	var signing, region, custom string
	c.Events().Register("before-sign.dynamodb.ListTables", func(_ context.Context, e *Event) (any, error) {
		signing, region, custom = e.SigningName, e.RegionName, e.Request.Header.Get("X-Amz-Custom")
		if e.Request.Header.Get("Authorization") != "" {
			t.Error("before-sign after signing")
		}
		return nil, nil
	})
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.Header.Get("X-Amz-Custom") != "v1" || !strings.Contains(r.Header.Get("Authorization"), "x-amz-custom") {
		t.Errorf("5.14 header not sent/signed: %v", r.Header)
	}
	if signing != "dynamodb" || region != "us-east-1" || custom != "v1" {
		t.Errorf("5.16 before-sign saw %q %q %q", signing, region, custom)
	}
}

// 5.15: choose-signer may return UNSIGNED: no Authorization header.
func TestChooseSignerUnsigned_5_15(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	var sv string
	c.Events().Register("choose-signer.dynamodb", func(_ context.Context, e *Event) (any, error) {
		sv = e.SignatureVersion
		return Unsigned, nil
	})
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	if sv != "v4" {
		t.Errorf("choose-signer saw %q", sv)
	}
	if a := srv.requests()[0].Header.Get("Authorization"); a != "" {
		t.Errorf("Authorization = %q", a)
	}
}

// 5.19: after-call fires for successes and for service errors; changes to
// the parsed output reach the caller.
func TestAfterCall_5_19(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{"TableNames":["a"]}`},
		cannedResponse{400, nil, `{"__type":"ValidationException","message":"bad"}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	var seen []error
	c.Events().Register("after-call.dynamodb", func(_ context.Context, e *Event) (any, error) {
		seen = append(seen, e.Err)
		if e.Parsed != nil {
			e.Parsed["Injected"] = true
		}
		return nil, nil
	})
	out, err := c.Call(context.Background(), "ListTables", nil)
	if err != nil || out.Data["Injected"] != true {
		t.Errorf("mutation lost: %v %v", out, err)
	}
	if _, err := c.Call(context.Background(), "ListTables", nil); err == nil {
		t.Fatal("want the ValidationException")
	}
	if len(seen) != 2 || seen[0] != nil || seen[1] == nil {
		t.Errorf("after-call saw %v", seen)
	}
}
