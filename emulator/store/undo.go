package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The undo log lets several Updates share one bbolt transaction (SyncBatch)
// without bbolt's Batch rule that every function may run again: a function
// that fails has its own writes taken back, in reverse order, and the others
// commit untouched. Each entry names its bucket by path from the database
// root, not by handle, because a handle goes stale when an undo re-creates
// the bucket.

type undoKind byte

const (
	undoValue    undoKind = iota + 1 // restore key to old (or delete it when !had)
	undoCreate                       // delete bucket key under path
	undoDelete                       // re-create bucket key under path from tree
	undoSequence                     // set path's sequence back to seq
)

type undoOp struct {
	kind undoKind
	path [][]byte // the bucket written; the parent for create/delete
	key  []byte
	old  []byte
	had  bool
	seq  uint64
	tree *bucketCopy
}

type undoLog struct{ ops []undoOp }

func (u *undoLog) add(op undoOp) { u.ops = append(u.ops, op) }

func clone(b []byte) []byte { return append(make([]byte, 0, len(b)), b...) }

// bucketCopy is a deleted bucket kept in memory until its transaction ends.
type bucketCopy struct {
	seq  uint64
	keys [][]byte
	vals [][]byte // nil for a nested bucket (in subs, same order)
	subs []*bucketCopy
}

func copyBucket(b *bolt.Bucket) *bucketCopy {
	c := &bucketCopy{seq: b.Sequence()}
	_ = b.ForEach(func(k, v []byte) error {
		c.keys = append(c.keys, clone(k))
		if v == nil {
			c.vals = append(c.vals, nil)
			c.subs = append(c.subs, copyBucket(b.Bucket(k)))
		} else {
			c.vals = append(c.vals, clone(v))
			c.subs = append(c.subs, nil)
		}
		return nil
	})
	return c
}

func (c *bucketCopy) restore(b *bolt.Bucket) error {
	for i, k := range c.keys {
		if c.subs[i] != nil {
			nb, err := b.CreateBucket(k)
			if err != nil {
				return err
			}
			if err := c.subs[i].restore(nb); err != nil {
				return err
			}
			continue
		}
		if err := b.Put(k, c.vals[i]); err != nil {
			return err
		}
	}
	return b.SetSequence(c.seq)
}

// parent is what bucket-level calls act on: a bucket, or the bbolt
// transaction itself for root buckets.
type parent interface {
	Bucket([]byte) *bolt.Bucket
	CreateBucket([]byte) (*bolt.Bucket, error)
	DeleteBucket([]byte) error
}

func (tx *Tx) parentOf(b *bolt.Bucket) parent {
	if b == nil {
		return tx.tx
	}
	return b
}

// resolve finds the bucket at path (nil path: the transaction).
func (tx *Tx) resolve(path [][]byte) (parent, *bolt.Bucket, error) {
	if len(path) == 0 {
		return tx.tx, nil, nil
	}
	b := tx.tx.Bucket(path[0])
	for _, p := range path[1:] {
		if b == nil {
			break
		}
		b = b.Bucket(p)
	}
	if b == nil {
		return nil, nil, fmt.Errorf("store: undo: bucket %q vanished", path)
	}
	return b, b, nil
}

func (tx *Tx) putAt(path [][]byte, b *bolt.Bucket, k, v []byte) error {
	var op undoOp
	if tx.undo != nil {
		old := b.Get(k)
		op = undoOp{kind: undoValue, path: path, key: clone(k), old: clone(old), had: old != nil}
	}
	if err := b.Put(k, v); err != nil {
		return err
	}
	if tx.undo != nil {
		tx.undo.add(op)
	}
	return nil
}

func (tx *Tx) delAt(path [][]byte, b *bolt.Bucket, k []byte) error {
	var old []byte
	if tx.undo != nil {
		old = b.Get(k)
		if old != nil {
			old = clone(old)
		}
	}
	if err := b.Delete(k); err != nil {
		return err
	}
	if old != nil {
		tx.undo.add(undoOp{kind: undoValue, path: path, key: clone(k), old: old, had: true})
	}
	return nil
}

func (tx *Tx) createBucket(path [][]byte, b *bolt.Bucket, name []byte) (*bolt.Bucket, error) {
	nb, err := tx.parentOf(b).CreateBucket(name)
	if err == nil && tx.undo != nil {
		tx.undo.add(undoOp{kind: undoCreate, path: path, key: clone(name)})
	}
	return nb, err
}

func (tx *Tx) createIfMissing(path [][]byte, b *bolt.Bucket, name []byte) (*bolt.Bucket, error) {
	if nb := tx.parentOf(b).Bucket(name); nb != nil {
		return nb, nil
	}
	return tx.createBucket(path, b, name)
}

func (tx *Tx) deleteBucket(path [][]byte, b *bolt.Bucket, name []byte) error {
	p := tx.parentOf(b)
	var tree *bucketCopy
	if tx.undo != nil {
		if old := p.Bucket(name); old != nil {
			tree = copyBucket(old)
		}
	}
	err := p.DeleteBucket(name)
	if errors.Is(err, bolt.ErrBucketNotFound) {
		return nil
	}
	if err == nil && tree != nil {
		tx.undo.add(undoOp{kind: undoDelete, path: path, key: clone(name), tree: tree})
	}
	return err
}

// rollback takes back every write this Tx recorded, newest first.
func (tx *Tx) rollback() error {
	if tx.undo == nil {
		return nil
	}
	for i := len(tx.undo.ops) - 1; i >= 0; i-- {
		op := tx.undo.ops[i]
		p, b, err := tx.resolve(op.path)
		if err != nil {
			return err
		}
		switch op.kind {
		case undoValue:
			if op.had {
				err = b.Put(op.key, op.old)
			} else {
				err = b.Delete(op.key)
			}
		case undoCreate:
			err = p.DeleteBucket(op.key)
		case undoDelete:
			var nb *bolt.Bucket
			if nb, err = p.CreateBucket(op.key); err == nil {
				err = op.tree.restore(nb)
			}
		case undoSequence:
			err = b.SetSequence(op.seq)
		}
		if err != nil {
			return fmt.Errorf("store: undo: %w", err)
		}
	}
	tx.undo.ops = nil
	return nil
}
