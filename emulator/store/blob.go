package store

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// InlineBlobMax is the size up to which a blob is kept inside the database (a
// value in a root bucket, written in the same transaction as the record that
// refers to it) instead of as a file of its own. Creating, fsyncing and
// renaming a file costs far more than a 4 KiB object's bbolt write, so small
// bodies (most S3 objects in tests, SQS-sized payloads) stay inline; larger
// ones stream to files so a 5 GiB upload never sits in memory or in the mmap.
const InlineBlobMax = 64 << 10

// stagedInlineMax bounds the memory held by staged, not yet attached inline
// blobs; StageBlob writes files beyond it, so a caller that stages and never
// attaches cannot grow the heap without bound.
const stagedInlineMax = 64 << 20

const (
	// blobRegistry is the root bucket recording every committed blob; a blob
	// file not listed there is garbage.
	blobRegistry = "\x00blobs"
	// blobData is the root bucket holding the bytes of inline blobs.
	blobData = "\x00blobdata"
)

// BlobRef names a stored blob. Keep it in your record (it marshals to JSON)
// and pass it to NS.OpenBlob and Tx.DeleteBlob. It does not say where the
// bytes live (inline or in a file); the store knows.
type BlobRef struct {
	ID   string `json:"id"`   // random, 32 hex digits
	Size int64  `json:"size"` // bytes
	MD5  string `json:"md5"`  // hex MD5 of the content (S3's ETag for a single-part object)
}

type blobEntry struct {
	NS     string `json:"ns"`
	Owner  string `json:"owner"`
	Size   int64  `json:"size"`
	MD5    string `json:"md5"`
	Inline bool   `json:"inline,omitempty"`
}

// ErrBadBlobID is returned for a BlobRef whose ID is not one this package made.
var ErrBadBlobID = errors.New("store: invalid blob id")

// ErrNoBlob is returned by AttachBlob for a blob that is neither staged nor
// stored (collected by Reset, Restore or a restart): attaching it would make
// a record refer to bytes that do not exist.
var ErrNoBlob = errors.New("store: no such blob")

func validBlobID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (db *DB) blobPath(id string) string { return filepath.Join(db.blobDir, id) }

// lastBlobTime makes blob IDs' time prefixes strictly increasing.
var lastBlobTime atomic.Int64

// newBlobID is 16 hex digits of a strictly increasing nanosecond time and 16
// random ones. The rising prefix makes inline blobs (keyed by ID in
// blobData and the registry) append at the right edge of bbolt's tree: a
// put writes the last leaf and never reads an older one through the mmap.
// With random IDs every put landed in a random old leaf, each holding one
// or two 4 KiB bodies, so puts read (and kept resident) nearly the whole
// file: 20,000 4 KiB objects left 130 MB of the mapped file in RSS.
func newBlobID() (string, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[8:]); err != nil {
		return "", err
	}
	now := time.Now().UnixNano()
	for {
		last := lastBlobTime.Load()
		if now <= last {
			now = last + 1
		}
		if lastBlobTime.CompareAndSwap(last, now) {
			break
		}
	}
	binary.BigEndian.PutUint64(raw[:8], uint64(now))
	return hex.EncodeToString(raw[:]), nil
}

// readSmall reads r up to InlineBlobMax bytes. inline reports that r ended
// within the limit; otherwise data is the prefix already consumed.
func readSmall(r io.Reader) (data []byte, inline bool, err error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, InlineBlobMax+1))
	if err != nil {
		return nil, false, fmt.Errorf("store: blob: %w", err)
	}
	return buf.Bytes(), n <= InlineBlobMax, nil
}

func inlineRef(id string, data []byte) BlobRef {
	sum := md5.Sum(data)
	return BlobRef{ID: id, Size: int64(len(data)), MD5: hex.EncodeToString(sum[:])}
}

// writeBlob streams prefix and then r into a new blob file: temp file,
// fsync (unless the database skips fsync), rename.
func (db *DB) writeBlob(prefix []byte, r io.Reader) (BlobRef, error) {
	id, err := newBlobID()
	if err != nil {
		return BlobRef{}, err
	}
	f, err := os.CreateTemp(db.blobDir, ".tmp-")
	if err != nil {
		return BlobRef{}, fmt.Errorf("store: blob: %w", err)
	}
	h := md5.New()
	w := io.MultiWriter(f, h)
	var n int64
	if len(prefix) > 0 {
		var m int
		m, err = w.Write(prefix)
		n = int64(m)
	}
	if err == nil {
		var m int64
		m, err = io.Copy(w, r)
		n += m
	}
	if err == nil && db.opts.sync() != SyncNone {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), db.blobPath(id))
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return BlobRef{}, fmt.Errorf("store: blob: %w", err)
	}
	return BlobRef{ID: id, Size: n, MD5: hex.EncodeToString(h.Sum(nil))}, nil
}

// stage keeps a small staged blob in memory until a transaction attaches it;
// false when the staging budget is spent.
func (db *DB) stage(id string, data []byte) bool {
	db.stagedMu.Lock()
	defer db.stagedMu.Unlock()
	if db.stagedBytes+len(data) > stagedInlineMax {
		return false
	}
	if db.staged == nil {
		db.staged = map[string][]byte{}
	}
	db.staged[id] = data
	db.stagedBytes += len(data)
	return true
}

func (db *DB) stagedData(id string) ([]byte, bool) {
	db.stagedMu.Lock()
	defer db.stagedMu.Unlock()
	data, ok := db.staged[id]
	return data, ok
}

func (db *DB) unstage(id string) {
	db.stagedMu.Lock()
	defer db.stagedMu.Unlock()
	if data, ok := db.staged[id]; ok {
		db.stagedBytes -= len(data)
		delete(db.staged, id)
	}
}

func (db *DB) clearStaged() {
	db.stagedMu.Lock()
	defer db.stagedMu.Unlock()
	db.staged, db.stagedBytes = nil, 0
}

// PutBlob stores r as a new blob, durable when this transaction commits, and
// registers it under owner (a label such as "bucket/key" shown in Dump; the
// blob ID is random, never derived from it). A blob of up to InlineBlobMax
// bytes is written into the database in this transaction; a larger one
// streams to a file that is fsynced before the commit and removed if the
// transaction does not commit.
//
// The bbolt write lock is held while r is read; for very large bodies prefer
// StageBlob outside the transaction and AttachBlob inside it.
func (tx *Tx) PutBlob(owner string, r io.Reader) (BlobRef, error) {
	if !tx.Writable() {
		return BlobRef{}, bolt.ErrTxNotWritable
	}
	data, inline, err := readSmall(r)
	if err != nil {
		return BlobRef{}, err
	}
	if inline {
		id, err := newBlobID()
		if err != nil {
			return BlobRef{}, err
		}
		ref := inlineRef(id, data)
		if err := tx.registerBlob(owner, ref, data); err != nil {
			return BlobRef{}, err
		}
		return ref, nil
	}
	ref, err := tx.ns.db.writeBlob(data, r)
	if err != nil {
		return BlobRef{}, err
	}
	tx.created = append(tx.created, ref.ID)
	if err := tx.registerBlob(owner, ref, nil); err != nil {
		return BlobRef{}, err
	}
	return ref, nil
}

// StageBlob stores r as a blob outside any transaction. The blob is garbage
// until a transaction calls AttachBlob with it (Reset, Restore and the next
// Open collect it otherwise). A small blob is held in memory until then, so
// staging costs no file; a large one is written to a file.
func (ns *NS) StageBlob(r io.Reader) (BlobRef, error) {
	ns.db.mu.RLock()
	defer ns.db.mu.RUnlock()
	if ns.db.closed {
		return BlobRef{}, ErrClosed
	}
	data, inline, err := readSmall(r)
	if err != nil {
		return BlobRef{}, err
	}
	if inline {
		id, err := newBlobID()
		if err != nil {
			return BlobRef{}, err
		}
		if ns.db.stage(id, data) {
			return inlineRef(id, data), nil
		}
	}
	return ns.db.writeBlob(data, r)
}

// AttachBlob registers a staged (or already stored) blob under owner in this
// transaction. A staged small blob is written into the database here, so the
// record referring to it and its bytes commit together. A blob that is not
// there any more is ErrNoBlob.
func (tx *Tx) AttachBlob(owner string, ref BlobRef) error {
	if !validBlobID(ref.ID) {
		return ErrBadBlobID
	}
	if !tx.Writable() {
		return bolt.ErrTxNotWritable
	}
	db := tx.ns.db
	if data, ok := db.stagedData(ref.ID); ok {
		if err := tx.registerBlob(owner, ref, data); err != nil {
			return err
		}
		id := ref.ID
		tx.onCommit = append(tx.onCommit, func() { db.unstage(id) })
		return nil
	}
	if d := tx.tx.Bucket([]byte(blobData)); d != nil && d.Get([]byte(ref.ID)) != nil {
		return tx.registerEntry(owner, ref, true)
	}
	if _, err := os.Stat(db.blobPath(ref.ID)); err != nil {
		return fmt.Errorf("%w: %s", ErrNoBlob, ref.ID)
	}
	return tx.registerEntry(owner, ref, false)
}

// registerBlob writes data (when not nil) as an inline blob and its registry
// entry.
func (tx *Tx) registerBlob(owner string, ref BlobRef, data []byte) error {
	if data != nil {
		d, err := tx.createRoot(blobData)
		if err != nil {
			return err
		}
		if err := tx.put(blobData, d, []byte(ref.ID), data); err != nil {
			return err
		}
	}
	return tx.registerEntry(owner, ref, data != nil)
}

func (tx *Tx) registerEntry(owner string, ref BlobRef, inline bool) error {
	reg, err := tx.createRoot(blobRegistry)
	if err != nil {
		return err
	}
	data, _ := json.Marshal(blobEntry{NS: tx.ns.name, Owner: owner, Size: ref.Size, MD5: ref.MD5, Inline: inline})
	return tx.put(blobRegistry, reg, []byte(ref.ID), data)
}

// DeleteBlob unregisters a blob; an inline blob's bytes go in this
// transaction, a file is removed once the transaction commits. Deleting an
// unknown blob is not an error.
func (tx *Tx) DeleteBlob(ref BlobRef) error {
	if !validBlobID(ref.ID) {
		return ErrBadBlobID
	}
	if !tx.Writable() {
		return bolt.ErrTxNotWritable
	}
	db := tx.ns.db
	if _, ok := db.stagedData(ref.ID); ok {
		id := ref.ID
		tx.onCommit = append(tx.onCommit, func() { db.unstage(id) })
	}
	if d := tx.tx.Bucket([]byte(blobData)); d != nil && d.Get([]byte(ref.ID)) != nil {
		if err := tx.del(blobData, d, []byte(ref.ID)); err != nil {
			return err
		}
	}
	reg := tx.tx.Bucket([]byte(blobRegistry))
	if reg == nil {
		return nil
	}
	if err := tx.del(blobRegistry, reg, []byte(ref.ID)); err != nil {
		return err
	}
	tx.deleted = append(tx.deleted, ref.ID)
	return nil
}

// memBlob is an inline blob opened for reading: a copy of its bytes, so it
// outlives the transaction that read it.
type memBlob struct{ *bytes.Reader }

func (memBlob) Close() error { return nil }

// OpenBlob opens a committed (or staged) blob for reading. The reader also
// implements io.ReaderAt.
func (ns *NS) OpenBlob(ref BlobRef) (io.ReadSeekCloser, error) {
	if !validBlobID(ref.ID) {
		return nil, ErrBadBlobID
	}
	ns.db.mu.RLock()
	defer ns.db.mu.RUnlock()
	if ns.db.closed {
		return nil, ErrClosed
	}
	if data, ok := ns.db.stagedData(ref.ID); ok {
		return memBlob{bytes.NewReader(data)}, nil
	}
	var data []byte
	err := ns.db.bolt.View(func(btx *bolt.Tx) error {
		if d := btx.Bucket([]byte(blobData)); d != nil {
			if v := d.Get([]byte(ref.ID)); v != nil {
				data = append(make([]byte, 0, len(v)), v...)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: open blob: %w", err)
	}
	if data != nil {
		return memBlob{bytes.NewReader(data)}, nil
	}
	f, err := os.Open(ns.db.blobPath(ref.ID))
	if err != nil {
		return nil, fmt.Errorf("store: open blob: %w", err)
	}
	return f, nil
}

func (db *DB) removeBlobFiles(ids []string) {
	for _, id := range ids {
		if validBlobID(id) {
			_ = os.Remove(db.blobPath(id))
		}
	}
}

func (db *DB) collectBlobs() error { return db.collectBlobsLocked() }

// collectBlobsLocked removes blob files the registry does not list.
func (db *DB) collectBlobsLocked() error {
	entries, err := os.ReadDir(db.blobDir)
	if err != nil {
		return fmt.Errorf("store: blobs: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	live := map[string]bool{}
	err = db.bolt.View(func(btx *bolt.Tx) error {
		reg := btx.Bucket([]byte(blobRegistry))
		if reg == nil {
			return nil
		}
		return reg.ForEach(func(k, _ []byte) error { live[string(k)] = true; return nil })
	})
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !live[e.Name()] {
			_ = os.RemoveAll(filepath.Join(db.blobDir, e.Name()))
		}
	}
	return nil
}
