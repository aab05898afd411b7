package session

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
)

// WaiterNames lists the service's waiters in boto3's snake_case form,
// sorted (4.46).
func (c *Client) WaiterNames() []string {
	out := make([]string, 0, len(c.svc.Waiters))
	for n := range c.svc.Waiters {
		out = append(out, model.XFormName(n))
	}
	sort.Strings(out)
	return out
}

// Waiter returns a waiter by model ("TableExists") or snake_case name
// ("table_exists"); an unknown name is "Waiter does not exist: <name>" (4.46).
func (c *Client) Waiter(name string) (*Waiter, error) {
	if w, ok := c.svc.Waiters[name]; ok {
		return &Waiter{c: c, name: name, model: w}, nil
	}
	for n, w := range c.svc.Waiters {
		if model.XFormName(n) == name {
			return &Waiter{c: c, name: n, model: w}, nil
		}
	}
	return nil, fmt.Errorf("Waiter does not exist: %s", name)
}

// Waiter polls an operation until an acceptor reaches success or failure
// (4.47–4.51).
type Waiter struct {
	c     *Client
	name  string
	model *model.Waiter
}

// Name is the waiter's model name ("TableExists").
func (w *Waiter) Name() string { return w.name }

// Delay and MaxAttempts are the model's defaults (4.47).
func (w *Waiter) Delay() time.Duration { return time.Duration(w.model.Delay) * time.Second }

// MaxAttempts is the model's default number of attempts.
func (w *Waiter) MaxAttempts() int { return w.model.MaxAttempts }

// WaiterConfig is boto3's WaiterConfig; zero fields keep the model's values.
type WaiterConfig struct {
	Delay       time.Duration
	MaxAttempts int
}

// waiterResponse is what acceptors look at: the parsed output, or the error
// response of a service error.
type waiterResponse struct {
	out    *Output
	err    *APIError
	status int
}

func (r waiterResponse) data() map[string]any {
	if r.out != nil {
		return r.out.Data
	}
	return map[string]any{"Error": map[string]any{"Code": r.err.Code, "Message": r.err.Message}}
}

// Wait polls until success, returning nil; a failure state, a service error
// no acceptor matches, or exhausted attempts give *WaiterError. It sleeps
// the delay between attempts, not before the first (4.48).
func (w *Waiter) Wait(ctx context.Context, params Params, cfg WaiterConfig) error {
	delay, max := w.Delay(), w.model.MaxAttempts
	if cfg.Delay > 0 {
		delay = cfg.Delay
	}
	if cfg.MaxAttempts > 0 {
		max = cfg.MaxAttempts
	}
	var last *model.Acceptor
	for attempt := 1; ; attempt++ {
		out, err := w.c.Call(ctx, w.model.Operation, params)
		var resp waiterResponse
		if err != nil {
			ae, ok := isAPIError(err)
			if !ok {
				return err
			}
			resp = waiterResponse{err: ae, status: ae.HTTPStatus}
		} else {
			resp = waiterResponse{out: out, status: out.ResponseMetadata.HTTPStatusCode}
		}
		state := "waiting"
		var matched *model.Acceptor
		for i := range w.model.Acceptors {
			a := &w.model.Acceptors[i]
			if acceptorMatches(a, resp) {
				matched, last, state = a, a, a.State
				break
			}
		}
		lastOut := resp.out
		if lastOut == nil {
			lastOut = &Output{Data: resp.data(), ResponseMetadata: ResponseMetadata{HTTPStatusCode: resp.status}}
		}
		if matched == nil && resp.err != nil {
			return &WaiterError{Name: w.name, Reason: fmt.Sprintf("An error occurred (%s): %s", resp.err.Code, resp.err.Message), LastResponse: lastOut, Err: resp.err}
		}
		switch state {
		case "success":
			return nil
		case "failure":
			return &WaiterError{Name: w.name, Reason: "Waiter encountered a terminal failure state: " + explanation(matched), LastResponse: lastOut}
		}
		if attempt >= max {
			reason := "Max attempts exceeded"
			if last != nil {
				reason += ". Previously accepted state: " + explanation(last)
			}
			return &WaiterError{Name: w.name, Reason: reason, LastResponse: lastOut}
		}
		if err := w.c.sleep(ctx, delay); err != nil {
			return err
		}
	}
}

func explanation(a *model.Acceptor) string {
	exp := fmt.Sprint(a.Expected)
	switch a.Matcher {
	case "path":
		return fmt.Sprintf("For expression %q we matched expected path: %q", a.Argument, exp)
	case "pathAll":
		return fmt.Sprintf("For expression %q all members matched expected path: %q", a.Argument, exp)
	case "pathAny":
		return fmt.Sprintf("For expression %q we matched expected path: %q at least once", a.Argument, exp)
	case "status":
		return fmt.Sprintf("Matched expected HTTP status code: %v", jsonNumber(a.Expected))
	case "error":
		return fmt.Sprintf("Matched expected service error code: %s", exp)
	}
	return a.Matcher
}

func jsonNumber(v any) any {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return int64(f)
	}
	return v
}

func acceptorMatches(a *model.Acceptor, r waiterResponse) bool {
	switch a.Matcher {
	case "status":
		n, ok := toFloat(a.Expected)
		return ok && float64(r.status) == n
	case "error":
		switch e := a.Expected.(type) {
		case bool:
			return (r.err != nil) == e
		case string:
			return r.err != nil && r.err.Code == e
		}
		return false
	}
	if r.err != nil {
		return false
	}
	v, err := jmesSearch(a.Argument, r.out.Data)
	if err != nil {
		return false
	}
	v = jsonish(v)
	switch a.Matcher {
	case "path":
		return equalJSON(v, a.Expected)
	case "pathAll", "pathAny":
		l, ok := v.([]any)
		if !ok || len(l) == 0 {
			return false
		}
		for _, x := range l {
			eq := equalJSON(x, a.Expected)
			if a.Matcher == "pathAny" && eq {
				return true
			}
			if a.Matcher == "pathAll" && !eq {
				return false
			}
		}
		return a.Matcher == "pathAll"
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func equalJSON(a, b any) bool {
	if x, ok := toFloat(a); ok {
		y, ok := toFloat(b)
		return ok && x == y
	}
	return reflect.DeepEqual(a, b)
}
