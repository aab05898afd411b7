package recorder

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// MismatchError is returned (as the RoundTrip error) when no recorded
// interaction answers a request in replay. It is not retryable: SDK retryers
// that honour RetryableError stop at once.
type MismatchError struct {
	Cassette string
	Request  Call
	Method   string
	URL      string
	// Closest is the recorded interaction most like the request (nil when
	// the cassette is empty), and Diff the go-cmp diff from it
	// (-recorded +live).
	Closest *Interaction
	Diff    string
	// Reason says why nothing matched (used up, out of order, different).
	Reason string
}

func (e *MismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "recorder: no recorded interaction in %s matches %s", e.Cassette, describe(e.Request, e.Method, e.URL))
	if e.Reason != "" {
		fmt.Fprintf(&b, " (%s)", e.Reason)
	}
	if e.Closest != nil {
		fmt.Fprintf(&b, "\nclosest is interaction #%d %s; diff (-recorded +live):\n%s", e.Closest.ID,
			describe(Call{Service: e.Closest.Service, Operation: e.Closest.Operation}, e.Closest.Request.Method, e.Closest.Request.URL), e.Diff)
	}
	return b.String()
}

// RetryableError reports false so aws-sdk-go-v2's retryer gives up at once.
func (e *MismatchError) RetryableError() bool { return false }

func describe(c Call, method, url string) string {
	if c.Service != "" || c.AWS {
		return c.Service + " " + c.Operation
	}
	if c.Operation != "" {
		return c.Operation
	}
	return method + " " + url
}

// comparable returns the value compared by the default matcher.
func (r *Recorder) comparable(c Call) map[string]any {
	params := make(map[string]any, len(c.Params))
	for k, v := range c.Params {
		if !r.cfg.ignore[k] {
			params[k] = v
		}
	}
	return map[string]any{"service": c.Service, "operation": c.Operation, "params": params}
}

// key is the canonical form of comparable(c): encoding/json sorts map keys,
// so equal values give equal keys whatever order they were decoded in.
func (r *Recorder) key(c Call) string {
	b, err := json.Marshal(r.comparable(c))
	if err != nil {
		return fmt.Sprintf("%#v", r.comparable(c)) // not reached for decoded values
	}
	return string(b)
}

func (r *Recorder) matches(live Call, liveKey string, idx int, req *Interaction) bool {
	if !r.decoded[idx] {
		return false // not a candidate (see ensureDecodedLocked)
	}
	rec := r.calls[idx]
	if r.keys[idx] != liveKey {
		return false
	}
	for _, m := range r.cfg.matchers {
		if !m(live, rec, &req.Request, r.cassette.Interactions[idx]) {
			return false
		}
	}
	return true
}

// findLocked picks the interaction that answers live and marks it used.
func (r *Recorder) findLocked(live Call, req *Interaction) (int, bool) {
	liveKey := r.key(live)
	if r.cfg.order == Strict {
		for r.next < len(r.used) && r.used[r.next] {
			r.next++
		}
		if r.next < len(r.used) {
			r.decodeAtLocked(r.next)
		}
		if r.next < len(r.used) && r.matches(live, liveKey, r.next, req) {
			r.used[r.next] = true
			r.next++
			return r.next - 1, true
		}
		return 0, false
	}
	r.ensureDecodedLocked(live)
	if i, ok := r.scanLocked(live, liveKey, req); ok {
		return i, true
	}
	if r.pending > 0 {
		r.decodeAllLocked()
		return r.scanLocked(live, liveKey, req)
	}
	return 0, false
}

// scanLocked is findLocked's PerRequest search over decoded interactions.
func (r *Recorder) scanLocked(live Call, liveKey string, req *Interaction) (int, bool) {
	last, lastPoll := -1, -1
	for i := range r.calls {
		if !r.matches(live, liveKey, i, req) {
			continue
		}
		if !r.used[i] {
			r.used[i] = true
			return i, true
		}
		last = i
		if r.cassette.Interactions[i].Waiter != "" {
			lastPoll = i // the final state of a waiter's polling sequence
		}
	}
	if r.cfg.repeat && last >= 0 {
		return last, true
	}
	if lastPoll >= 0 {
		return lastPoll, true
	}
	return 0, false
}

func (r *Recorder) mismatchLocked(live Call, req *Interaction) error {
	e := &MismatchError{Cassette: r.path, Request: live, Method: req.Request.Method, URL: req.Request.URL}
	r.decodeAllLocked()
	if len(r.calls) == 0 {
		e.Reason = "the cassette is empty"
		return e
	}
	best, bestScore := -1, -1
	for i := range r.calls {
		s := r.similarity(live, r.calls[i])
		if r.used[i] {
			s-- // prefer an unused interaction on a tie
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	if r.cfg.order == Strict {
		if r.next >= len(r.used) {
			e.Reason = "all recorded interactions were replayed"
		} else {
			e.Reason = fmt.Sprintf("strict order expects interaction #%d next", r.cassette.Interactions[r.next].ID)
			best = r.next
		}
	}
	if best >= 0 {
		e.Closest = r.cassette.Interactions[best]
		e.Diff = cmp.Diff(r.comparable(r.calls[best]), r.comparable(live))
		if e.Diff == "" && e.Reason == "" {
			if r.used[best] {
				e.Reason = "every matching interaction was already replayed"
			} else {
				e.Reason = "a custom matcher refused it"
			}
		}
	}
	return e
}

// similarity scores how alike two calls are: same service and operation
// weigh most, then each equal top-level parameter.
func (r *Recorder) similarity(a, b Call) int {
	s := 0
	if a.Service == b.Service {
		s += 1000
	}
	if a.Operation == b.Operation {
		s += 1000
	}
	for k, v := range a.Params {
		if w, ok := b.Params[k]; ok {
			s += 10
			if cmp.Equal(v, w) {
				s += 10
			}
		}
	}
	return s
}
