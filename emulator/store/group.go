package store

import (
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Group commit (SyncBatch). An Update that finds no commit under way leads:
// it takes every queued Update, runs them one after another in one bbolt
// transaction and commits it with one fsync; Updates that arrive meanwhile
// queue for the next commit, whose leader is the first of them. Nothing
// waits on a timer, so a lone writer pays no delay and concurrent writers
// share an fsync. Unlike bbolt's DB.Batch, no function runs twice: one that
// fails (or panics) has its writes taken back by its undo log and the rest
// of the group commits. Every Update returns only after the fsync of the
// commit that holds its writes: acknowledged still means on disk.

type groupCommit struct {
	mu      sync.Mutex
	queue   []*commitReq
	leading bool
}

type commitReq struct {
	ns       *NS
	fn       func(*Tx) error
	err      error
	panicked bool
	pval     any
	done     chan bool // false: finished; true: lead the next group
}

// groupUpdate runs fn in the next group commit. The caller holds db.mu
// shared, so Reset and Restore wait for the whole queue.
func (db *DB) groupUpdate(ns *NS, fn func(*Tx) error) error {
	r := &commitReq{ns: ns, fn: fn, done: make(chan bool, 1)}
	g := &db.group
	g.mu.Lock()
	g.queue = append(g.queue, r)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead {
		lead = <-r.done
	}
	if lead {
		g.mu.Lock()
		reqs := g.queue
		g.queue = nil
		g.mu.Unlock()
		db.runGroup(reqs, r)
		g.mu.Lock()
		if len(g.queue) > 0 {
			g.queue[0].done <- true
		} else {
			g.leading = false
		}
		g.mu.Unlock()
	}
	if r.panicked {
		panic(r.pval)
	}
	return r.err
}

// runGroup commits reqs together and tells every request but self that it
// is finished.
func (db *DB) runGroup(reqs []*commitReq, self *commitReq) {
	ok := make([]*Tx, len(reqs))
	err := db.bolt.Update(func(btx *bolt.Tx) error {
		for i, r := range reqs {
			tx := &Tx{tx: btx, ns: r.ns, undo: &undoLog{}}
			if r.run(tx) {
				tx.undo = nil
				ok[i] = tx
				continue
			}
			if uerr := tx.rollback(); uerr != nil {
				// The shared transaction is in an unknown state: give it up.
				return fmt.Errorf("store: group commit: %w", uerr)
			}
			db.removeBlobFiles(tx.created)
		}
		for _, tx := range ok {
			if tx == nil {
				continue
			}
			if len(tx.deleted) > 0 {
				dead := tx.deleted
				btx.OnCommit(func() { db.removeBlobFiles(dead) })
			}
			for _, f := range tx.onCommit {
				btx.OnCommit(f)
			}
		}
		return nil
	})
	if err != nil {
		for i, r := range reqs {
			if ok[i] != nil || (r.err == nil && !r.panicked) {
				r.err = err
			}
			if ok[i] != nil {
				db.removeBlobFiles(ok[i].created)
			}
		}
	}
	for _, r := range reqs {
		if r != self {
			r.done <- false
		}
	}
}

// run calls the request's function on tx; false when it failed or panicked.
func (r *commitReq) run(tx *Tx) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			r.panicked, r.pval, ok = true, p, false
		}
	}()
	root, err := r.ns.createIn(tx)
	if err != nil {
		r.err = err
		return false
	}
	tx.root = root
	if err := r.fn(tx); err != nil {
		r.err = err
		return false
	}
	return true
}
