package store

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Snapshot format: a magic line, then records of
//
//	kind (1 byte: 'D' database, 'B' blob, 'E' end)
//	name length (1 byte) and name (the blob ID; empty for 'D' and 'E')
//	size (8 bytes, big endian) and that many bytes
//
// The database record is bbolt's own tx.WriteTo image.
const snapshotMagic = "fakecloud-snapshot v1\n"

// ErrBadSnapshot is returned by Restore for input that is not a snapshot.
var ErrBadSnapshot = errors.New("store: not a fakecloud snapshot")

// Snapshot writes the whole state (database and blobs) to w.
func (db *DB) Snapshot(w io.Writer) error {
	db.mu.Lock() // exclusive: no blob file may vanish while we copy
	defer db.mu.Unlock()
	if db.closed {
		return ErrClosed
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(snapshotMagic); err != nil {
		return err
	}
	err := db.bolt.View(func(btx *bolt.Tx) error {
		if err := writeHeader(bw, 'D', "", btx.Size()); err != nil {
			return err
		}
		if _, err := btx.WriteTo(bw); err != nil {
			return err
		}
		reg := btx.Bucket([]byte(blobRegistry))
		if reg == nil {
			return nil
		}
		inline := btx.Bucket([]byte(blobData))
		return reg.ForEach(func(k, _ []byte) error {
			if inline != nil && inline.Get(k) != nil {
				return nil // its bytes are in the database image
			}
			id := string(k)
			f, err := os.Open(db.blobPath(id))
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			if err := writeHeader(bw, 'B', id, st.Size()); err != nil {
				return err
			}
			n, err := io.Copy(bw, f)
			if err == nil && n != st.Size() {
				err = fmt.Errorf("blob %s changed size while copying", id)
			}
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	if err := writeHeader(bw, 'E', "", 0); err != nil {
		return err
	}
	return bw.Flush()
}

func writeHeader(w io.Writer, kind byte, name string, size int64) error {
	var hdr [10 + 255]byte
	hdr[0] = kind
	hdr[1] = byte(len(name))
	copy(hdr[2:], name)
	binary.BigEndian.PutUint64(hdr[2+len(name):], uint64(size))
	_, err := w.Write(hdr[:10+len(name)])
	return err
}

func readHeader(r io.Reader) (kind byte, name string, size int64, err error) {
	var hdr [2]byte
	if _, err = io.ReadFull(r, hdr[:]); err != nil {
		return 0, "", 0, fmt.Errorf("%w: truncated", ErrBadSnapshot)
	}
	nb := make([]byte, int(hdr[1])+8)
	if _, err = io.ReadFull(r, nb); err != nil {
		return 0, "", 0, fmt.Errorf("%w: truncated", ErrBadSnapshot)
	}
	u := binary.BigEndian.Uint64(nb[hdr[1]:])
	if u > 1<<50 {
		return 0, "", 0, fmt.Errorf("%w: record too large", ErrBadSnapshot)
	}
	return hdr[0], string(nb[:hdr[1]]), int64(u), nil
}

// Restore replaces the whole state with a snapshot read from r. On any error
// the current state is left as it was.
func (db *DB) Restore(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	magic := make([]byte, len(snapshotMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != snapshotMagic {
		return ErrBadSnapshot
	}
	dir := filepath.Dir(db.path)
	tmpDB, err := os.CreateTemp(dir, ".restore-*.db")
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	tmpDBName := tmpDB.Name()
	tmpBlobs, err := os.MkdirTemp(dir, ".restore-blobs-")
	if err != nil {
		tmpDB.Close()
		os.Remove(tmpDBName)
		return fmt.Errorf("store: restore: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			os.Remove(tmpDBName)
			os.RemoveAll(tmpBlobs)
		}
	}()
	haveDB := false
	for done := false; !done; {
		kind, name, size, err := readHeader(br)
		if err != nil {
			tmpDB.Close()
			return err
		}
		switch kind {
		case 'D':
			if haveDB || name != "" {
				tmpDB.Close()
				return fmt.Errorf("%w: unexpected database record", ErrBadSnapshot)
			}
			haveDB = true
			if _, err := io.CopyN(tmpDB, br, size); err != nil {
				tmpDB.Close()
				return fmt.Errorf("%w: truncated database", ErrBadSnapshot)
			}
		case 'B':
			if !validBlobID(name) {
				tmpDB.Close()
				return fmt.Errorf("%w: bad blob id", ErrBadSnapshot)
			}
			if err := copyFile(filepath.Join(tmpBlobs, name), br, size); err != nil {
				tmpDB.Close()
				return err
			}
		case 'E':
			done = true
		default:
			tmpDB.Close()
			return fmt.Errorf("%w: unknown record %q", ErrBadSnapshot, kind)
		}
	}
	if db.opts.sync() != SyncNone {
		if err := tmpDB.Sync(); err != nil {
			tmpDB.Close()
			return err
		}
	}
	if err := tmpDB.Close(); err != nil {
		return err
	}
	if !haveDB {
		return fmt.Errorf("%w: no database record", ErrBadSnapshot)
	}
	// Validate the image before it replaces anything (verify.go): bbolt
	// panics in a goroutine of its own on some damaged files.
	if err := verifySnapshotDB(tmpDBName, &bolt.Options{Timeout: db.opts.LockTimeout}); err != nil {
		return err
	}

	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return ErrClosed
	}
	if err := db.bolt.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmpDBName, db.path); err != nil {
		if oerr := db.openBolt(); oerr != nil {
			return errors.Join(err, oerr)
		}
		return fmt.Errorf("store: restore: %w", err)
	}
	committed = true
	db.clearStaged()
	old := db.blobDir + ".old"
	_ = os.RemoveAll(old)
	_ = os.Rename(db.blobDir, old)
	if err := os.Rename(tmpBlobs, db.blobDir); err != nil {
		_ = os.Rename(old, db.blobDir)
	}
	_ = os.RemoveAll(old)
	if err := db.openBolt(); err != nil {
		return err
	}
	return db.collectBlobsLocked()
}

func copyFile(path string, r io.Reader, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.CopyN(f, r, size); err != nil {
		f.Close()
		return fmt.Errorf("%w: truncated blob", ErrBadSnapshot)
	}
	return f.Close()
}

// Dump returns every record as account -> region -> service -> bucket ->
// key -> value, for GET /_fakecloud/state. Values that are JSON appear
// decoded, other UTF-8 text as a string, binary as "base64:...".
func (db *DB) Dump() (map[string]any, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.closed {
		return nil, ErrClosed
	}
	out := map[string]any{}
	err := db.bolt.View(func(btx *bolt.Tx) error {
		return btx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if n := string(name); n == blobRegistry || n == blobData {
				return nil
			}
			out[string(name)] = dumpBucket(b)
			return nil
		})
	})
	return out, err
}

func dumpBucket(b *bolt.Bucket) map[string]any {
	m := map[string]any{}
	_ = b.ForEach(func(k, v []byte) error {
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				m[string(k)] = dumpBucket(nb)
			}
			return nil
		}
		m[string(k)] = dumpValue(v)
		return nil
	})
	return m
}

func dumpValue(v []byte) any {
	if json.Valid(v) {
		var x any
		if json.Unmarshal(v, &x) == nil {
			return x
		}
	}
	if utf8.Valid(v) {
		return string(v)
	}
	return "base64:" + base64.StdEncoding.EncodeToString(v)
}
