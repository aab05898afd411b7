package sqs

import (
	"sync"

	"github.com/fakecloud/fakecloud/emulator/store"
)

// Long polling: each queue has a channel that is closed (and replaced) when
// something may have become receivable. A receiver takes the channel before
// looking at the store, so a send that lands after its look still wakes it.
// Keys are namespace/queue names; two emulators in one process sharing a key
// only cause a spurious wake-up, which re-checks the store.
var waiters struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

func waitKey(ns *store.NS, name string) string { return ns.String() + "/" + name }

func waitChan(ns *store.NS, name string) <-chan struct{} {
	k := waitKey(ns, name)
	waiters.mu.Lock()
	defer waiters.mu.Unlock()
	if waiters.m == nil {
		waiters.m = map[string]chan struct{}{}
	}
	ch := waiters.m[k]
	if ch == nil {
		ch = make(chan struct{})
		waiters.m[k] = ch
	}
	return ch
}

func notify(ns *store.NS, name string) {
	k := waitKey(ns, name)
	waiters.mu.Lock()
	ch := waiters.m[k]
	delete(waiters.m, k)
	waiters.mu.Unlock()
	if ch != nil {
		close(ch)
	}
}
