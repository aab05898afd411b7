package store

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// blobRegistry is the root bucket recording every committed blob; a blob file
// not listed there is garbage.
const blobRegistry = "\x00blobs"

// BlobRef names a stored blob. Keep it in your record (it marshals to JSON)
// and pass it to NS.OpenBlob and Tx.DeleteBlob.
type BlobRef struct {
	ID   string `json:"id"`   // random, 32 hex digits
	Size int64  `json:"size"` // bytes
	MD5  string `json:"md5"`  // hex MD5 of the content (S3's ETag for a single-part object)
}

type blobEntry struct {
	NS    string `json:"ns"`
	Owner string `json:"owner"`
	Size  int64  `json:"size"`
	MD5   string `json:"md5"`
}

// ErrBadBlobID is returned for a BlobRef whose ID is not one this package made.
var ErrBadBlobID = errors.New("store: invalid blob id")

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

// writeBlob streams r into a new blob file: temp file, fsync, rename.
func (db *DB) writeBlob(r io.Reader) (BlobRef, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return BlobRef{}, err
	}
	id := hex.EncodeToString(raw[:])
	f, err := os.CreateTemp(db.blobDir, ".tmp-")
	if err != nil {
		return BlobRef{}, fmt.Errorf("store: blob: %w", err)
	}
	h := md5.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil && db.opts.Sync {
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

// PutBlob streams r to a new blob file, durable before this transaction
// commits, and registers it under owner (a label such as "bucket/key" shown
// in Dump; the blob ID is random, never derived from it). If the transaction
// does not commit, the file is removed.
//
// The bbolt write lock is held while r is read; for very large bodies prefer
// StageBlob outside the transaction and AttachBlob inside it.
func (tx *Tx) PutBlob(owner string, r io.Reader) (BlobRef, error) {
	if !tx.Writable() {
		return BlobRef{}, bolt.ErrTxNotWritable
	}
	ref, err := tx.ns.db.writeBlob(r)
	if err != nil {
		return BlobRef{}, err
	}
	tx.created = append(tx.created, ref.ID)
	if err := tx.AttachBlob(owner, ref); err != nil {
		return BlobRef{}, err
	}
	return ref, nil
}

// StageBlob writes r to a blob file outside any transaction. The blob is
// garbage until a transaction calls AttachBlob with it (Reset and the next
// Open collect it otherwise).
func (ns *NS) StageBlob(r io.Reader) (BlobRef, error) {
	ns.db.mu.RLock()
	defer ns.db.mu.RUnlock()
	if ns.db.closed {
		return BlobRef{}, ErrClosed
	}
	return ns.db.writeBlob(r)
}

// AttachBlob registers a staged blob under owner in this transaction.
func (tx *Tx) AttachBlob(owner string, ref BlobRef) error {
	if !validBlobID(ref.ID) {
		return ErrBadBlobID
	}
	reg, err := tx.tx.CreateBucketIfNotExists([]byte(blobRegistry))
	if err != nil {
		return err
	}
	data, _ := json.Marshal(blobEntry{NS: tx.ns.name, Owner: owner, Size: ref.Size, MD5: ref.MD5})
	return reg.Put([]byte(ref.ID), data)
}

// DeleteBlob unregisters a blob; its file is removed once the transaction
// commits. Deleting an unknown blob is not an error.
func (tx *Tx) DeleteBlob(ref BlobRef) error {
	if !validBlobID(ref.ID) {
		return ErrBadBlobID
	}
	reg := tx.tx.Bucket([]byte(blobRegistry))
	if reg == nil {
		return nil
	}
	if err := reg.Delete([]byte(ref.ID)); err != nil {
		return err
	}
	tx.deleted = append(tx.deleted, ref.ID)
	return nil
}

// OpenBlob opens a committed blob for reading.
func (ns *NS) OpenBlob(ref BlobRef) (io.ReadSeekCloser, error) {
	if !validBlobID(ref.ID) {
		return nil, ErrBadBlobID
	}
	ns.db.mu.RLock()
	defer ns.db.mu.RUnlock()
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
