package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("store: database is locked by another process")

// Options tune Open. The zero value is usable.
type Options struct {
	// Sync makes every commit fsync the database (bbolt's default). Without
	// it commits skip fsync (bbolt NoSync): right for throw-away test state,
	// wrong for a --data file that must survive a crash. Open with an empty
	// path ignores Sync. SyncPolicy, when set, overrides it.
	Sync bool
	// SyncPolicy says when commits reach the disk; the zero value
	// (SyncDefault) lets Sync decide. An explicit policy is honoured for a
	// temporary database too.
	SyncPolicy SyncPolicy
	// LockTimeout bounds the wait for the file lock held by another process
	// (default 1s); Open then fails with ErrLocked instead of hanging.
	LockTimeout time.Duration
}

// SyncPolicy says when a commit reaches the disk.
type SyncPolicy int

const (
	// SyncDefault defers to Options.Sync: SyncAlways when set, else SyncNone.
	SyncDefault SyncPolicy = iota
	// SyncAlways fsyncs every commit before Update returns.
	SyncAlways
	// SyncBatch is group commit: Updates that arrive while a commit is
	// being written share the next commit and its fsync, and each returns
	// only after that fsync (acknowledged still means on disk).
	SyncBatch
	// SyncNone never fsyncs (bbolt NoSync): a process crash loses nothing
	// the kernel has, a machine crash may lose or corrupt the file.
	SyncNone
)

// String is the policy's flag spelling: "always", "batch", "none" ("" for
// SyncDefault).
func (p SyncPolicy) String() string {
	switch p {
	case SyncAlways:
		return "always"
	case SyncBatch:
		return "batch"
	case SyncNone:
		return "none"
	}
	return ""
}

// ParseSyncPolicy reads "always", "batch" or "none"; "" is SyncDefault.
func ParseSyncPolicy(s string) (SyncPolicy, error) {
	switch s {
	case "":
		return SyncDefault, nil
	case "always":
		return SyncAlways, nil
	case "batch":
		return SyncBatch, nil
	case "none":
		return SyncNone, nil
	}
	return SyncDefault, fmt.Errorf("store: sync policy %q: want always, batch or none", s)
}

// sync is the effective policy.
func (o Options) sync() SyncPolicy {
	if o.SyncPolicy != SyncDefault {
		return o.SyncPolicy
	}
	if o.Sync {
		return SyncAlways
	}
	return SyncNone
}

// DB is an open state database.
type DB struct {
	// mu guards bolt against Reset/Restore swapping the file; transactions
	// hold it shared.
	mu      sync.RWMutex
	bolt    *bolt.DB
	path    string
	blobDir string
	tempDir string // set when Open was given "": removed on Close
	opts    Options
	closed  bool

	// staged holds small blobs StageBlob took in and no transaction has
	// attached yet (see InlineBlobMax).
	stagedMu    sync.Mutex
	staged      map[string][]byte
	stagedBytes int

	group groupCommit // SyncBatch's queue

	nsCache sync.Map // nsKey -> *NS
	nsCount atomic.Int64
}

// Open opens (creating if needed) the database at path. An empty path makes a
// temporary database removed by Close. A file that is not a bbolt database is
// reported as an error and left untouched.
func Open(path string, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = time.Second
	}
	db := &DB{opts: o}
	if path == "" {
		dir, err := os.MkdirTemp("", "fakecloud-state-")
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		db.tempDir = dir
		path = filepath.Join(dir, "state.db")
		db.opts.Sync = false // an explicit SyncPolicy still applies
	}
	db.path = path
	db.blobDir = path + ".blobs"
	if err := os.MkdirAll(db.blobDir, 0o755); err != nil {
		db.cleanupTemp()
		return nil, fmt.Errorf("store: blob directory: %w", err)
	}
	if err := db.openBolt(); err != nil {
		db.cleanupTemp()
		return nil, err
	}
	if err := db.collectBlobs(); err != nil {
		_ = db.bolt.Close()
		db.cleanupTemp()
		return nil, err
	}
	return db, nil
}

func (db *DB) openBolt() error {
	b, err := bolt.Open(db.path, 0o600, &bolt.Options{
		Timeout:        db.opts.LockTimeout,
		NoSync:         db.opts.sync() == SyncNone,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return fmt.Errorf("%w: %s (is another fakecloud serving it?)", ErrLocked, db.path)
		}
		return fmt.Errorf("store: open %s: %w", db.path, err)
	}
	db.bolt = b
	return nil
}

func (db *DB) cleanupTemp() {
	if db.tempDir != "" {
		_ = os.RemoveAll(db.tempDir)
	}
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes the database; a temporary database is removed.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return nil
	}
	db.closed = true
	err := db.bolt.Close()
	db.cleanupTemp()
	return err
}

// ErrClosed is returned by operations on a closed DB.
var ErrClosed = errors.New("store: database closed")

// Namespace returns the namespace of one account, region and service. It is
// cheap; nothing is created until a write.
func (db *DB) Namespace(account, region, service string) *NS {
	k := nsKey{account, region, service}
	if ns, ok := db.nsCache.Load(k); ok {
		return ns.(*NS)
	}
	ns := &NS{db: db, path: [3][]byte{[]byte(account), []byte(region), []byte(service)},
		name: account + "/" + region + "/" + service}
	// Every request asks for its namespace: keep the few a test suite uses
	// (an NS is immutable, so one value serves all callers), bounded
	// because account and region come from the client.
	if db.nsCount.Load() < maxCachedNS {
		if _, loaded := db.nsCache.LoadOrStore(k, ns); !loaded {
			db.nsCount.Add(1)
		}
	}
	return ns
}

type nsKey struct{ account, region, service string }

const maxCachedNS = 4096

// NS is one account/region/service namespace.
type NS struct {
	db   *DB
	path [3][]byte
	name string
}

// String is "account/region/service".
func (ns *NS) String() string { return ns.name }

// View runs fn in a read-only transaction.
func (ns *NS) View(fn func(tx *Tx) error) error {
	ns.db.mu.RLock()
	defer ns.db.mu.RUnlock()
	if ns.db.closed {
		return ErrClosed
	}
	return ns.db.bolt.View(func(btx *bolt.Tx) error {
		tx := &Tx{tx: btx, ns: ns}
		tx.root = ns.lookup(btx)
		return fn(tx)
	})
}

// Update runs fn in a read-write transaction, committed when fn returns nil.
func (ns *NS) Update(fn func(tx *Tx) error) error {
	return ns.update(fn, false)
}

// Batch is Update through bolt's Batch: concurrent callers share one commit.
// fn may run more than once, so it must be idempotent, and must not stage
// blobs. Under SyncBatch it is Update (which already shares commits, and
// runs fn once).
func (ns *NS) Batch(fn func(tx *Tx) error) error {
	return ns.update(fn, true)
}

func (ns *NS) update(fn func(tx *Tx) error, batch bool) error {
	ns.db.mu.RLock()
	defer ns.db.mu.RUnlock()
	if ns.db.closed {
		return ErrClosed
	}
	if ns.db.opts.sync() == SyncBatch {
		return ns.db.groupUpdate(ns, fn)
	}
	var created []string
	run := func(btx *bolt.Tx) error {
		tx := &Tx{tx: btx, ns: ns}
		root, err := ns.create(btx)
		if err != nil {
			return err
		}
		tx.root = root
		err = fn(tx)
		created = append(created, tx.created...)
		if err != nil {
			return err
		}
		if len(tx.deleted) > 0 {
			dead := tx.deleted
			btx.OnCommit(func() { ns.db.removeBlobFiles(dead) })
		}
		for _, f := range tx.onCommit {
			btx.OnCommit(f)
		}
		return nil
	}
	var err error
	if batch {
		err = ns.db.bolt.Batch(run)
	} else {
		err = ns.db.bolt.Update(run)
	}
	if err != nil {
		// Blobs written for a transaction that did not commit are orphans.
		ns.db.removeBlobFiles(created)
	}
	return err
}

func (ns *NS) lookup(btx *bolt.Tx) *bolt.Bucket {
	b := btx.Bucket(ns.path[0])
	for _, p := range ns.path[1:] {
		if b == nil {
			return nil
		}
		b = b.Bucket(p)
	}
	return b
}

func (ns *NS) check() error {
	if len(ns.path[0]) == 0 || len(ns.path[1]) == 0 || len(ns.path[2]) == 0 {
		return fmt.Errorf("store: namespace %q has an empty part", ns.name)
	}
	if a := string(ns.path[0]); a == blobRegistry || a == blobData {
		return fmt.Errorf("store: reserved account name %q", ns.path[0])
	}
	return nil
}

// createIn creates the namespace's buckets through tx (recorded in its undo
// log when it has one).
func (ns *NS) createIn(tx *Tx) (*bolt.Bucket, error) {
	if err := ns.check(); err != nil {
		return nil, err
	}
	var b *bolt.Bucket
	for i := range ns.path {
		nb, err := tx.createIfMissing(ns.path[:i], b, ns.path[i])
		if err != nil {
			return nil, err
		}
		b = nb
	}
	return b, nil
}

func (ns *NS) create(btx *bolt.Tx) (*bolt.Bucket, error) {
	if err := ns.check(); err != nil {
		return nil, err
	}
	b, err := btx.CreateBucketIfNotExists(ns.path[0])
	if err != nil {
		return nil, err
	}
	for _, p := range ns.path[1:] {
		if b, err = b.CreateBucketIfNotExists(p); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Reset empties the database: every namespace and every blob.
func (db *DB) Reset() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return ErrClosed
	}
	err := db.bolt.Update(func(btx *bolt.Tx) error {
		var names [][]byte
		if err := btx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, append([]byte(nil), name...))
			return nil
		}); err != nil {
			return err
		}
		for _, n := range names {
			if err := btx.DeleteBucket(n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: reset: %w", err)
	}
	db.clearStaged()
	return db.collectBlobsLocked()
}
