package recorder

import (
	"sort"
	"strings"
	"sync"

	"github.com/fakecloud/fakecloud/internal/model"
)

// Waiter polling. An SDK waiter (DynamoDB TableExists, S3 ObjectExists, ...)
// calls one operation with the same input until an acceptor matches. Such a
// polling sequence is recognised from the service's waiters-2.json: two or
// more interactions with the same operation and parameters, the operation
// being some waiter's, with no other call to that service between them.
// Every poll is marked with the waiter names (Interaction.Waiter); on replay
// the polls answer in recorded order and the last one answers any further
// polls, so a waiter that polls more often than the recording did still
// finishes. CompactWaiters keeps only the first and last poll of each
// sequence in the written cassette.

// CompactWaiters drops the middle polls of each recognised waiter polling
// sequence when the cassette is written (first and last are kept, which is
// all a replayed waiter needs: one "not yet", then the final state).
func CompactWaiters() Option { return func(c *config) { c.compact = true } }

var waiterOps sync.Map // service -> map[operation][]waiter name

// waitersFor returns the waiter names per operation of a service's model.
func waitersFor(service string) map[string][]string {
	if v, ok := waiterOps.Load(service); ok {
		return v.(map[string][]string)
	}
	m := map[string][]string{}
	if svc, err := model.Load(service); err == nil {
		for name, w := range svc.Waiters {
			m[w.Operation] = append(m[w.Operation], name)
		}
		for _, names := range m {
			sort.Strings(names)
		}
	}
	waiterOps.Store(service, m)
	return m
}

// waiterRunsLocked returns the polling sequences (indexes into the cassette)
// and marks their interactions.
func (r *Recorder) waiterRunsLocked() [][]int {
	var runs [][]int
	open := map[string][]int{} // service -> current run (same key)
	flush := func(svc string) {
		if run := open[svc]; len(run) >= 2 {
			runs = append(runs, run)
		}
		delete(open, svc)
	}
	for i, in := range r.cassette.Interactions {
		if in.Service == "" || i >= len(r.keys) {
			continue
		}
		names := waitersFor(in.Service)[in.Operation]
		run := open[in.Service]
		if len(run) > 0 && (len(names) == 0 || r.keys[run[0]] != r.keys[i]) {
			flush(in.Service)
			run = nil
		}
		if len(names) > 0 {
			open[in.Service] = append(run, i)
		}
	}
	svcs := make([]string, 0, len(open))
	for s := range open {
		svcs = append(svcs, s)
	}
	sort.Strings(svcs)
	for _, s := range svcs {
		flush(s)
	}
	sort.Slice(runs, func(a, b int) bool { return runs[a][0] < runs[b][0] })
	for _, run := range runs {
		in := r.cassette.Interactions[run[0]]
		label := strings.Join(waitersFor(in.Service)[in.Operation], ",")
		for _, i := range run {
			r.cassette.Interactions[i].Waiter = label
		}
	}
	return runs
}

// compactWaitersLocked removes the middle polls and renumbers.
func (r *Recorder) compactWaitersLocked(runs [][]int) {
	drop := map[int]bool{}
	for _, run := range runs {
		for _, i := range run[1 : len(run)-1] {
			drop[i] = true
		}
	}
	if len(drop) == 0 {
		return
	}
	var ins []*Interaction
	var calls []Call
	var keys []string
	var used, decoded []bool
	for i, in := range r.cassette.Interactions {
		if drop[i] {
			continue
		}
		in.ID = len(ins)
		ins = append(ins, in)
		calls = append(calls, r.calls[i])
		keys = append(keys, r.keys[i])
		used = append(used, r.used[i])
		decoded = append(decoded, r.decoded[i])
	}
	r.cassette.Interactions, r.calls, r.keys, r.used, r.decoded = ins, calls, keys, used, decoded
	if r.next > len(ins) {
		r.next = len(ins)
	}
}
