package store_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator/store"
)

// blobSizes straddle InlineBlobMax, the line between blobs kept inside the
// database and blobs kept as files.
var blobSizes = []int{0, 1, 4096, store.InlineBlobMax - 1, store.InlineBlobMax, store.InlineBlobMax + 1, 3*store.InlineBlobMax + 17}

func body(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// blobFiles counts the blob files beside the database.
func blobFiles(t *testing.T, db *store.DB) int {
	t.Helper()
	entries, err := os.ReadDir(db.Path() + ".blobs")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Name()[0] != '.' {
			n++
		}
	}
	return n
}

func readBlob(t *testing.T, ns *store.NS, ref store.BlobRef) []byte {
	t.Helper()
	rc, err := ns.OpenBlob(ref)
	if err != nil {
		t.Fatalf("open %s (size %d): %v", ref.ID, ref.Size, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkRef(t *testing.T, ref store.BlobRef, want []byte) {
	t.Helper()
	sum := md5.Sum(want)
	if ref.Size != int64(len(want)) || ref.MD5 != hex.EncodeToString(sum[:]) {
		t.Errorf("ref %+v, want size %d md5 %x", ref, len(want), sum)
	}
}

func TestBlobAnySizeRoundTripsInlineOrFile(t *testing.T) {
	for _, staged := range []bool{false, true} {
		for _, n := range blobSizes {
			name := "put"
			if staged {
				name = "stage"
			}
			t.Run(name+"/"+strconv.Itoa(n), func(t *testing.T) {
				db := open(t)
				ns := db.Namespace("000000000000", "us-east-1", "s3")
				want := body(1, n)
				var ref store.BlobRef
				var err error
				if staged {
					ref, err = ns.StageBlob(bytes.NewReader(want))
					if err == nil {
						// A staged blob reads back before it is attached.
						if got := readBlob(t, ns, ref); !bytes.Equal(got, want) {
							t.Fatal("staged blob differs")
						}
						err = ns.Update(func(tx *store.Tx) error { return tx.AttachBlob("b/k", ref) })
					}
				} else {
					err = ns.Update(func(tx *store.Tx) (err error) { ref, err = tx.PutBlob("b/k", bytes.NewReader(want)); return })
				}
				if err != nil {
					t.Fatal(err)
				}
				checkRef(t, ref, want)
				files := blobFiles(t, db)
				if wantFiles := map[bool]int{true: 0, false: 1}[n <= store.InlineBlobMax]; files != wantFiles {
					t.Errorf("%d blob files for a %d-byte blob, want %d", files, n, wantFiles)
				}
				if got := readBlob(t, ns, ref); !bytes.Equal(got, want) {
					t.Fatal("blob differs")
				}
				// Seek and ReadAt work on either kind (S3 ranged GET).
				rc, _ := ns.OpenBlob(ref)
				if ra, ok := rc.(io.ReaderAt); !ok {
					t.Error("blob reader is not an io.ReaderAt")
				} else if n > 10 {
					p := make([]byte, 5)
					if _, err := ra.ReadAt(p, 5); err != nil || !bytes.Equal(p, want[5:10]) {
						t.Errorf("ReadAt: %v %x", err, p)
					}
				}
				rc.Close()
				if err := ns.Update(func(tx *store.Tx) error { return tx.DeleteBlob(ref) }); err != nil {
					t.Fatal(err)
				}
				if _, err := ns.OpenBlob(ref); err == nil {
					t.Error("deleted blob still readable")
				}
				if files := blobFiles(t, db); files != 0 {
					t.Errorf("%d blob files after delete", files)
				}
			})
		}
	}
}

func TestBlobRandomSizesRoundTrip(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	r := rand.New(rand.NewPCG(7, 7))
	refs := map[store.BlobRef][]byte{}
	for i := range 60 {
		n := r.IntN(2 * store.InlineBlobMax)
		want := body(uint64(i), n)
		var ref store.BlobRef
		var err error
		if i%2 == 0 {
			ref, err = ns.StageBlob(bytes.NewReader(want))
			if err == nil {
				err = ns.Update(func(tx *store.Tx) error { return tx.AttachBlob("o", ref) })
			}
		} else {
			err = ns.Update(func(tx *store.Tx) (err error) { ref, err = tx.PutBlob("o", bytes.NewReader(want)); return })
		}
		if err != nil {
			t.Fatal(err)
		}
		checkRef(t, ref, want)
		refs[ref] = want
	}
	var snap bytes.Buffer
	if err := db.Snapshot(&snap); err != nil {
		t.Fatal(err)
	}
	db2 := open(t)
	if err := db2.Restore(&snap); err != nil {
		t.Fatal(err)
	}
	ns2 := db2.Namespace("000000000000", "us-east-1", "s3")
	for ref, want := range refs {
		if !bytes.Equal(readBlob(t, ns, ref), want) || !bytes.Equal(readBlob(t, ns2, ref), want) {
			t.Fatalf("blob of size %d differs", ref.Size)
		}
	}
}

// A record is committed with its blob or not at all: after a failed
// transaction neither the inline bytes nor the file remain, and a staged blob
// that outlived a Reset cannot be attached (no record may point at nothing).
func TestBlobNeverReferencedWhenMissing(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	boom := errors.New("boom")
	for _, n := range []int{10, store.InlineBlobMax + 1} {
		var ref store.BlobRef
		err := ns.Update(func(tx *store.Tx) (err error) {
			ref, err = tx.PutBlob("o", bytes.NewReader(body(3, n)))
			if err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if _, err := ns.OpenBlob(ref); err == nil {
			t.Errorf("%d-byte blob of a rolled-back transaction readable", n)
		}
	}
	if files := blobFiles(t, db); files != 0 {
		t.Errorf("%d orphan files", files)
	}
	for _, n := range []int{10, store.InlineBlobMax + 1} {
		ref, err := ns.StageBlob(bytes.NewReader(body(4, n)))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Reset(); err != nil {
			t.Fatal(err)
		}
		err = ns.Update(func(tx *store.Tx) error { return tx.AttachBlob("o", ref) })
		if !errors.Is(err, store.ErrNoBlob) {
			t.Errorf("attach of a %d-byte blob collected by Reset: %v, want ErrNoBlob", n, err)
		}
	}
}

// Blobs of both kinds survive a close and reopen of a durable database, and
// the reopen collects staged files nobody attached.
func TestBlobsPersistAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	for _, p := range []store.SyncPolicy{store.SyncAlways, store.SyncBatch} {
		db, err := store.Open(path, &store.Options{SyncPolicy: p})
		if err != nil {
			t.Fatal(err)
		}
		ns := db.Namespace("000000000000", "us-east-1", "s3")
		refs := map[store.BlobRef][]byte{}
		for _, n := range blobSizes {
			want := body(5, n)
			var ref store.BlobRef
			if err := ns.Update(func(tx *store.Tx) (err error) { ref, err = tx.PutBlob("o", bytes.NewReader(want)); return }); err != nil {
				t.Fatal(err)
			}
			refs[ref] = want
		}
		if _, err := ns.StageBlob(bytes.NewReader(body(6, 2*store.InlineBlobMax))); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db, err = store.Open(path, &store.Options{SyncPolicy: p})
		if err != nil {
			t.Fatal(err)
		}
		ns = db.Namespace("000000000000", "us-east-1", "s3")
		for ref, want := range refs {
			if got := readBlob(t, ns, ref); !bytes.Equal(got, want) {
				t.Errorf("%v: blob of size %d differs after reopen", p, ref.Size)
			}
		}
		if err := db.Reset(); err != nil {
			t.Fatal(err)
		}
		if files := blobFiles(t, db); files != 0 {
			t.Errorf("%v: %d blob files after reset", p, files)
		}
		db.Close()
	}
}

func TestDumpHidesBlobBytes(t *testing.T) {
	db := open(t)
	ns := db.Namespace("000000000000", "us-east-1", "s3")
	if err := ns.Update(func(tx *store.Tx) error {
		_, err := tx.PutBlob("b/k", bytes.NewReader([]byte("secret-ish body")))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	d, err := db.Dump()
	if err != nil {
		t.Fatal(err)
	}
	for k := range d {
		if k != "000000000000" {
			t.Errorf("dump shows internal bucket %q", k)
		}
	}
	if s := fmt.Sprint(d); strings.Contains(s, "secret-ish") {
		t.Errorf("dump shows blob bytes: %s", s)
	}
}

func TestParseSyncPolicy(t *testing.T) {
	for _, s := range []string{"always", "batch", "none", ""} {
		p, err := store.ParseSyncPolicy(s)
		if err != nil || p.String() != s {
			t.Errorf("%q: %v %v", s, p, err)
		}
	}
	if _, err := store.ParseSyncPolicy("sometimes"); err == nil {
		t.Error("accepted an unknown policy")
	}
}
