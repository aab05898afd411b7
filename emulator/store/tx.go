package store

import (
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ErrNoNamespace is returned by Tx bucket writes in a read-only transaction
// of a namespace that has never been written.
var ErrNoNamespace = errors.New("store: namespace has no data")

// Tx is a transaction scoped to one namespace. Byte slices returned by Get and
// the cursor are valid only until the transaction ends (bbolt's rule); copy
// what you keep.
type Tx struct {
	tx       *bolt.Tx
	ns       *NS
	root     *bolt.Bucket // nil in a View of an empty namespace
	created  []string     // blob IDs written by this transaction
	deleted  []string     // blob IDs to remove after commit
	onCommit []func()     // run after a successful commit
	// undo, under SyncBatch, records how to take back this Tx's writes:
	// several Txs share one bbolt transaction, and one that fails must not
	// take the others down with it (see group.go).
	undo *undoLog
}

// Writable reports whether the transaction is read-write.
func (tx *Tx) Writable() bool { return tx.tx.Writable() }

func (tx *Tx) rootPath() [][]byte { return tx.ns.path[:] }

// Bucket returns the named top-level bucket of the namespace, or nil.
func (tx *Tx) Bucket(name string) *Bucket {
	if tx.root == nil {
		return nil
	}
	return wrap(tx, tx.rootPath(), name, tx.root.Bucket([]byte(name)))
}

// CreateBucketIfNotExists returns the named bucket, creating it.
func (tx *Tx) CreateBucketIfNotExists(name string) (*Bucket, error) {
	if tx.root == nil {
		return nil, ErrNoNamespace
	}
	b, err := tx.createIfMissing(tx.rootPath(), tx.root, []byte(name))
	if err != nil {
		return nil, fmt.Errorf("store: bucket %q: %w", name, err)
	}
	return wrap(tx, tx.rootPath(), name, b), nil
}

// CreateBucket creates the named bucket; it fails with bbolt's
// ErrBucketExists when it is there already.
func (tx *Tx) CreateBucket(name string) (*Bucket, error) {
	if tx.root == nil {
		return nil, ErrNoNamespace
	}
	b, err := tx.createBucket(tx.rootPath(), tx.root, []byte(name))
	if err != nil {
		return nil, err
	}
	return wrap(tx, tx.rootPath(), name, b), nil
}

// DeleteBucket deletes the named bucket and everything in it. Deleting a
// bucket that does not exist is not an error.
func (tx *Tx) DeleteBucket(name string) error {
	if tx.root == nil {
		return ErrNoNamespace
	}
	return tx.deleteBucket(tx.rootPath(), tx.root, []byte(name))
}

// ForEachBucket calls fn for each top-level bucket name of the namespace.
func (tx *Tx) ForEachBucket(fn func(name string) error) error {
	if tx.root == nil {
		return nil
	}
	return tx.root.ForEachBucket(func(k []byte) error { return fn(string(k)) })
}

// Bucket is a bbolt bucket inside a namespace.
type Bucket struct {
	tx   *Tx
	b    *bolt.Bucket
	path [][]byte // names from the database root, for the undo log
}

func wrap(tx *Tx, parent [][]byte, name string, b *bolt.Bucket) *Bucket {
	if b == nil {
		return nil
	}
	var path [][]byte
	if tx.undo != nil {
		path = append(append(make([][]byte, 0, len(parent)+1), parent...), []byte(name))
	}
	return &Bucket{tx: tx, b: b, path: path}
}

// Get returns the value of key, or nil.
func (b *Bucket) Get(key string) []byte { return b.b.Get([]byte(key)) }

// Put sets key to value.
func (b *Bucket) Put(key string, value []byte) error {
	return b.tx.putAt(b.path, b.b, []byte(key), value)
}

// Delete removes key; a missing key is not an error.
func (b *Bucket) Delete(key string) error { return b.tx.delAt(b.path, b.b, []byte(key)) }

// NextSequence returns the bucket's next auto-increment integer.
func (b *Bucket) NextSequence() (uint64, error) {
	old := b.b.Sequence()
	n, err := b.b.NextSequence()
	if err == nil && b.tx.undo != nil {
		b.tx.undo.add(undoOp{kind: undoSequence, path: b.path, seq: old})
	}
	return n, err
}

// ForEach calls fn for each key/value in key order; nested buckets have a nil
// value.
func (b *Bucket) ForEach(fn func(k string, v []byte) error) error {
	return b.b.ForEach(func(k, v []byte) error { return fn(string(k), v) })
}

// Bucket returns a nested bucket, or nil.
func (b *Bucket) Bucket(name string) *Bucket {
	return wrap(b.tx, b.path, name, b.b.Bucket([]byte(name)))
}

// CreateBucketIfNotExists returns a nested bucket, creating it.
func (b *Bucket) CreateBucketIfNotExists(name string) (*Bucket, error) {
	nb, err := b.tx.createIfMissing(b.path, b.b, []byte(name))
	if err != nil {
		return nil, fmt.Errorf("store: bucket %q: %w", name, err)
	}
	return wrap(b.tx, b.path, name, nb), nil
}

// DeleteBucket deletes a nested bucket; a missing one is not an error.
func (b *Bucket) DeleteBucket(name string) error {
	return b.tx.deleteBucket(b.path, b.b, []byte(name))
}

// Len is the number of keys in the bucket (nested buckets included).
func (b *Bucket) Len() int { return b.b.Stats().KeyN }

// GetJSON decodes the JSON record at key into v. It reports whether the key
// exists.
func (b *Bucket) GetJSON(key string, v any) (bool, error) {
	data := b.b.Get([]byte(key))
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("store: decode %q: %w", key, err)
	}
	return true, nil
}

// PutJSON stores v as a JSON record at key.
func (b *Bucket) PutJSON(key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %q: %w", key, err)
	}
	return b.Put(key, data)
}

// Cursor iterates over a bucket in key order.
type Cursor struct {
	c    *bolt.Cursor
	b    *Bucket
	k, v []byte // where the cursor is, for Delete's undo record
}

// Cursor returns a cursor over the bucket.
func (b *Bucket) Cursor() *Cursor { return &Cursor{c: b.b.Cursor(), b: b} }

func (c *Cursor) at(k, v []byte) (string, []byte, bool) {
	c.k, c.v = k, v
	if k == nil {
		return "", nil, false
	}
	return string(k), v, true
}

// First moves to the first key; ok is false when the bucket is empty.
func (c *Cursor) First() (key string, value []byte, ok bool) { return c.at(c.c.First()) }

// Last moves to the last key.
func (c *Cursor) Last() (key string, value []byte, ok bool) { return c.at(c.c.Last()) }

// Next moves to the next key.
func (c *Cursor) Next() (key string, value []byte, ok bool) { return c.at(c.c.Next()) }

// Prev moves to the previous key.
func (c *Cursor) Prev() (key string, value []byte, ok bool) { return c.at(c.c.Prev()) }

// Seek moves to key, or the first key after it.
func (c *Cursor) Seek(key string) (string, []byte, bool) { return c.at(c.c.Seek([]byte(key))) }

// Delete removes the key under the cursor.
func (c *Cursor) Delete() error {
	var op undoOp
	if c.b.tx.undo != nil && c.k != nil && c.v != nil {
		op = undoOp{kind: undoValue, path: c.b.path, key: clone(c.k), old: clone(c.v), had: true}
	}
	if err := c.c.Delete(); err != nil {
		return err
	}
	if op.kind != 0 {
		c.b.tx.undo.add(op)
	}
	return nil
}

// createRoot returns a root bucket of the database (outside every
// namespace: the blob registry and inline blob bytes), creating it.
func (tx *Tx) createRoot(name string) (*bolt.Bucket, error) {
	return tx.createIfMissing(nil, nil, []byte(name))
}

// put and del are the store's own writes to its root buckets.
func (tx *Tx) put(root string, b *bolt.Bucket, k, v []byte) error {
	return tx.putAt([][]byte{[]byte(root)}, b, k, v)
}

func (tx *Tx) del(root string, b *bolt.Bucket, k []byte) error {
	return tx.delAt([][]byte{[]byte(root)}, b, k)
}
