package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator/store"
)

// snapshotWithTree is a snapshot whose database has branch pages, overflow
// pages and inline buckets, and the offset and length of its database image.
func snapshotWithTree(t *testing.T) (snap []byte, imgOff, imgLen int) {
	t.Helper()
	src := open(t)
	for i := range 3 {
		ns := src.Namespace("000000000000", "us-east-1", fmt.Sprintf("svc%d", i))
		_ = ns.Update(func(tx *store.Tx) error {
			b, err := tx.CreateBucketIfNotExists("big")
			if err != nil {
				return err
			}
			for k := range 600 {
				if err := b.Put(fmt.Sprintf("key-%05d", k), []byte(strings.Repeat("v", k%50))); err != nil {
					return err
				}
			}
			if err := b.Put("huge", bytes.Repeat([]byte("h"), 9000)); err != nil {
				return err
			}
			small, err := tx.CreateBucketIfNotExists("small") // stays inline
			if err != nil {
				return err
			}
			return small.Put("k", []byte("v"))
		})
	}
	var buf bytes.Buffer
	if err := src.Snapshot(&buf); err != nil {
		t.Fatal(err)
	}
	snap = buf.Bytes()
	const magic = "fakecloud-snapshot v1\n"
	if !bytes.HasPrefix(snap, []byte(magic)) || snap[len(magic)] != 'D' || snap[len(magic)+1] != 0 {
		t.Fatalf("unexpected snapshot framing % x", snap[:len(magic)+10])
	}
	imgOff = len(magic) + 10
	imgLen = int(binary.BigEndian.Uint64(snap[len(magic)+2:]))
	return snap, imgOff, imgLen
}

func dump(t *testing.T, db *store.DB) map[string]any {
	t.Helper()
	d, err := db.Dump()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRestoreRejectsDamagedDatabase: a snapshot whose database image has a
// damaged page must be refused with ErrBadSnapshot and leave the state as
// it was; before verify.go some killed the process (bbolt's free-list
// rebuild asserts in a goroutine of its own: FUZZING.md finding 4). A
// damage that lands on a page no tree reaches (a free page) may restore,
// and then the restored state must be the original one, fully readable.
func TestRestoreRejectsDamagedDatabase(t *testing.T) {
	snap, off, n := snapshotWithTree(t)
	pageSize := int(binary.NativeEndian.Uint32(snap[off+16+8:]))
	pages := n / pageSize
	if pages < 20 {
		t.Fatalf("only %d pages", pages)
	}
	db := open(t)
	put(t, db.Namespace("000000000000", "us-east-1", "sqs"), "queues", "q", queue{Name: "keep"})

	ref := open(t)
	if err := ref.Restore(bytes.NewReader(snap)); err != nil {
		t.Fatalf("intact snapshot: %v", err)
	}
	want := dump(t, ref)

	type damage struct {
		name string
		fn   func(page []byte)
	}
	damages := []damage{
		{"id", func(p []byte) { binary.NativeEndian.PutUint64(p, binary.NativeEndian.Uint64(p)+1) }},
		{"flags", func(p []byte) { binary.NativeEndian.PutUint16(p[8:], 0) }},
		{"count", func(p []byte) { binary.NativeEndian.PutUint16(p[10:], 0xFFFF) }},
		{"overflow", func(p []byte) { binary.NativeEndian.PutUint32(p[12:], 1<<30) }},
		{"pos", func(p []byte) { binary.NativeEndian.PutUint32(p[16+4:], 1<<31) }},
		{"child", func(p []byte) { binary.NativeEndian.PutUint64(p[16+8:], 1<<40) }},
	}
	rejected := 0
	for _, d := range damages {
		for pg := 2; pg < pages; pg++ {
			bad := bytes.Clone(snap)
			d.fn(bad[off+pg*pageSize : off+(pg+1)*pageSize])
			err := db.Restore(bytes.NewReader(bad))
			if err == nil {
				// Overflow pages of the 9000-byte value hold its bytes, no
				// header: damage there changes that value and nothing else.
				if got := dump(t, db); !reflect.DeepEqual(withoutHuge(got), withoutHuge(want)) {
					t.Fatalf("%s damage on page %d restored a different state", d.name, pg)
				}
				if err := db.Restore(bytes.NewReader(bad[:0])); err == nil {
					t.Fatal("empty restore succeeded")
				}
				continue
			}
			if !errors.Is(err, store.ErrBadSnapshot) {
				t.Errorf("%s damage on page %d: %v, want ErrBadSnapshot", d.name, pg, err)
			}
			rejected++
		}
	}
	// Reset the state the successful restores replaced and check it holds.
	db2 := open(t)
	put(t, db2.Namespace("000000000000", "us-east-1", "sqs"), "queues", "q", queue{Name: "keep"})
	before := dump(t, db2)
	if rejected < pages {
		t.Errorf("only %d of %d damaged snapshots rejected", rejected, len(damages)*(pages-2))
	}
	t.Logf("%d of %d damaged snapshots rejected (%d pages of %d bytes)", rejected, len(damages)*(pages-2), pages, pageSize)

	// Truncations: of the stream (framing), and of the image with the
	// record length fixed up (the file then ends before its high-water mark).
	for _, cut := range []int{1, 10, off, off + 100, off + pageSize, off + 2*pageSize, off + n/2, off + n - 1, len(snap) - 1} {
		if err := db2.Restore(bytes.NewReader(snap[:cut])); !errors.Is(err, store.ErrBadSnapshot) {
			t.Errorf("stream cut at %d: %v", cut, err)
		}
	}
	for _, keep := range []int{0, 100, pageSize, 2 * pageSize, 3 * pageSize, n / 2, n - pageSize} {
		var b bytes.Buffer
		b.Write(snap[:off-8])
		_ = binary.Write(&b, binary.BigEndian, uint64(keep))
		b.Write(snap[off : off+keep])
		b.WriteString("E\x00\x00\x00\x00\x00\x00\x00\x00\x00")
		if err := db2.Restore(&b); !errors.Is(err, store.ErrBadSnapshot) {
			t.Errorf("image cut to %d bytes: %v", keep, err)
		}
	}
	// Meta page damage (checksum, magic, page size).
	for _, at := range []int{16, 16 + 8, 16 + 16, 16 + 56} {
		bad := bytes.Clone(snap)
		bad[off+at] ^= 0x55
		if err := db2.Restore(bytes.NewReader(bad)); !errors.Is(err, store.ErrBadSnapshot) {
			t.Errorf("meta byte %d flipped: %v", at, err)
		}
	}
	if got := dump(t, db2); !reflect.DeepEqual(got, before) {
		t.Errorf("state changed by rejected restores")
	}
}

// withoutHuge drops the "huge" value of every big bucket in a Dump.
func withoutHuge(d map[string]any) map[string]any {
	for _, regions := range d {
		for _, services := range regions.(map[string]any) {
			for _, buckets := range services.(map[string]any) {
				if big, ok := buckets.(map[string]any)["big"].(map[string]any); ok {
					delete(big, "huge")
				}
			}
		}
	}
	return d
}

// TestRestoreFuzzFinding restores the input FuzzRestore found (committed
// as its seed): it must be refused, not kill the process.
func TestRestoreFuzzFinding(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzRestore", "41bf7666e4f2d286"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(raw), "\n", 2)
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		t.Fatalf("not a fuzz corpus file")
	}
	s := strings.TrimSpace(lines[1])
	s = strings.TrimSuffix(strings.TrimPrefix(s, "[]byte("), ")")
	data, err := strconv.Unquote(s)
	if err != nil {
		t.Fatal(err)
	}
	db := open(t)
	put(t, db.Namespace("000000000000", "us-east-1", "sqs"), "queues", "q", queue{Name: "keep"})
	err = db.Restore(strings.NewReader(data))
	if !errors.Is(err, store.ErrBadSnapshot) {
		t.Fatalf("Restore = %v, want ErrBadSnapshot", err)
	}
	t.Log(err)
	if q, ok := get(t, db.Namespace("000000000000", "us-east-1", "sqs"), "queues", "q"); !ok || q.Name != "keep" {
		t.Errorf("state lost: %+v", q)
	}
}
