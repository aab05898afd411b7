package assertions

import (
	"fmt"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
)

// Params matches an operation's decoded input by subset: every member it
// names must be in the input and equal (go-cmp, with the options given to
// Diff); members it does not name are not looked at, at any depth (a
// nested map in Params matches the members it names of the input's map).
// Lists are compared whole. Go ints and float32s stand for the protocol's
// int64 and float64, so Params{"MaxKeys": 10} matches.
//
// The emulator's journal keeps only top-level scalar members of each
// request (a structure reads "(structure)", a list "(list of 3)", a blob
// "(12 bytes)", secrets "(redacted)"), so journal assertions match those;
// nested Params are for inputs that keep their structure (recorder
// interactions, Emulator.Call inputs).
//
//	assertions.OperationCalled(t, emu, "s3", "PutObject", 1, assertions.Params{"Bucket": "uploads"}.Match)
type Params map[string]any

// Match reports whether input has every member p names, equal.
func (p Params) Match(input map[string]any) bool { return p.Diff(input) == "" }

// Diff returns a go-cmp diff (-want +got) between p and the members of
// input p names, or "" when they match.
func (p Params) Diff(input map[string]any, opts ...cmp.Option) string {
	want := normalize(map[string]any(p)).(map[string]any)
	return cmp.Diff(want, project(want, input), opts...)
}

// normalize turns Go number types a test writes into the protocol's.
func normalize(v any) any {
	switch x := v.(type) {
	case Params:
		return normalize(map[string]any(x))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

// project keeps the members of got that want names, recursively through
// maps, so that cmp sees a subset comparison.
func project(want, got any) any {
	wm, ok := want.(map[string]any)
	if !ok {
		return got
	}
	gm, ok := got.(map[string]any)
	if !ok {
		return got
	}
	out := map[string]any{}
	for k, wv := range wm {
		if gv, ok := gm[k]; ok {
			out[k] = project(wv, gv)
		}
	}
	return out
}

// OperationCalledWith asserts that the emulator served service's operation
// exactly times times (times < 0: at least once) with input matching want
// (Params subset match, tuned by opts), per emu.Journal(). On failure it
// shows each call of that operation with its diff against want.
// Calls made in-process (Emulator.Call, fixtures.Load) are not journaled.
func OperationCalledWith(t assert.TestingT, emu *emulator.Emulator, service, operation string, times int, want Params, opts ...cmp.Option) bool {
	helper(t)
	w, opts := whereOf(opts)
	n := 0
	var diffs []string
	for _, e := range emu.Journal() {
		if e.Service != service || e.Operation != operation || !w.journaled(e) {
			continue
		}
		if d := want.Diff(e.Input, opts...); d != "" {
			diffs = append(diffs, d)
			continue
		}
		n++
	}
	if (times < 0 && n > 0) || n == times {
		return true
	}
	wantN := fmt.Sprint(times)
	if times < 0 {
		wantN = "at least 1"
	}
	msg := fmt.Sprintf("%s.%s called %d times%s with %s; want %s", service, operation, n, w.in(), fmtParams(want), wantN)
	for i, d := range diffs {
		if i == 5 {
			msg += fmt.Sprintf("\n… and %d more non-matching calls", len(diffs)-i)
			break
		}
		msg += fmt.Sprintf("\nnon-matching call %d (-want +got):\n%s", i+1, d)
	}
	return assert.Fail(t, msg)
}

// CallsTo returns the journaled calls to service (every operation when
// operations is empty) whose input matches want (nil: all): the entries
// for a test's own checks.
func CallsTo(emu *emulator.Emulator, service string, want Params, operations ...string) []emulator.JournalEntry {
	var out []emulator.JournalEntry
	for _, e := range emu.Journal() {
		if e.Service != service || len(operations) > 0 && !contains(operations, e.Operation) {
			continue
		}
		if want == nil || want.Match(e.Input) {
			out = append(out, e)
		}
	}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// OperationsCalled asserts that the journal's calls to service are exactly
// the operations want, in order ("CreateQueue", "SendMessage" …).
func OperationsCalled(t assert.TestingT, emu *emulator.Emulator, service string, want ...string) bool {
	helper(t)
	var got []string
	for _, e := range emu.Journal() {
		if e.Service == service {
			got = append(got, e.Operation)
		}
	}
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		return assert.Fail(t, fmt.Sprintf("calls to %s differ (-want +got):\n%s", service, d))
	}
	return true
}
