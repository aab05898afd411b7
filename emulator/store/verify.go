package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// A snapshot's database image is checked before Restore swaps it in,
// because bbolt trusts its file: opening a damaged one read-write makes it
// rebuild the free list by walking every page in a goroutine of its own
// (DB.freepages), where a bad page id or page type is an assertion panic no
// recover can catch, and a page reference past the end of the file is a
// fault on the memory map. verifyImage walks the file's bytes the way that
// walk does, with bounds checks, so none of its assertions can fire later:
// the meta pages (magic, version, page size, checksum), then from the
// root bucket every branch and leaf page (inside the file and below the
// high-water mark, header id matching, branch or leaf, referenced once,
// elements and keys inside the page, keys in bbolt's order) and every
// nested bucket, inline or not, and a synced free list if there is one.
// verifyWithBolt then opens the file read-only and reads every bucket and
// key with cursors in the calling goroutine, under recover, as a second
// line.

// bbolt's on-disk layout (go.etcd.io/bbolt/internal/common), native byte
// order.
const (
	bbPageHeaderSize = 16 // id u64, flags u16, count u16, overflow u32
	bbElemSize       = 16 // branch: pos u32, ksize u32, pgid u64; leaf: flags u32, pos u32, ksize u32, vsize u32
	bbBucketHdrSize  = 16 // root pgid u64, sequence u64
	bbMetaSize       = 64 // magic, version, pageSize, flags u32; root bucket; freelist, pgid, txid, checksum u64
	bbMagic          = 0xED0CDAED
	bbVersion        = 2
	bbBranch         = 0x01
	bbLeaf           = 0x02
	bbMeta           = 0x04
	bbFreelist       = 0x10
	bbBucketLeafFlag = 0x01
	bbNoFreelist     = ^uint64(0)
	bbMaxDepth       = 256 // far deeper than any real tree: guards recursion through inline buckets
)

var ne = binary.NativeEndian

type bbMetaInfo struct {
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64
	txid     uint64
}

func readMeta(data []byte, off int) (bbMetaInfo, error) {
	if off+bbPageHeaderSize+bbMetaSize > len(data) {
		return bbMetaInfo{}, errors.New("meta page truncated")
	}
	p := data[off:]
	if ne.Uint16(p[8:])&bbMeta == 0 {
		return bbMetaInfo{}, errors.New("meta page has no meta flag")
	}
	m := p[bbPageHeaderSize : bbPageHeaderSize+bbMetaSize]
	if ne.Uint32(m[0:]) != bbMagic {
		return bbMetaInfo{}, errors.New("bad magic")
	}
	if ne.Uint32(m[4:]) != bbVersion {
		return bbMetaInfo{}, fmt.Errorf("unsupported bbolt version %d", ne.Uint32(m[4:]))
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:56])
	if h.Sum64() != ne.Uint64(m[56:]) {
		return bbMetaInfo{}, errors.New("meta checksum mismatch")
	}
	return bbMetaInfo{pageSize: ne.Uint32(m[8:]), root: ne.Uint64(m[16:]), freelist: ne.Uint64(m[32:]),
		pgid: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}, nil
}

type imageChecker struct {
	data     []byte
	pageSize uint64
	hwm      uint64
	seen     map[uint64]bool
}

// verifyImage checks a bbolt file image; see the comment above.
func verifyImage(data []byte) error {
	m0, err0 := readMeta(data, 0)
	if err0 != nil {
		return fmt.Errorf("meta page 0: %v", err0)
	}
	if ps := m0.pageSize; ps < 512 || ps > 1<<16 || ps&(ps-1) != 0 {
		return fmt.Errorf("page size %d", ps)
	}
	m1, err1 := readMeta(data, int(m0.pageSize))
	// bbolt uses the valid meta page with the higher txid (page 0 on a tie).
	m := m0
	if err1 == nil && m1.pageSize != m0.pageSize {
		return fmt.Errorf("meta pages disagree on the page size (%d, %d)", m0.pageSize, m1.pageSize)
	}
	if err1 == nil && m1.txid > m0.txid {
		m = m1
	}
	c := &imageChecker{data: data, pageSize: uint64(m.pageSize), hwm: m.pgid, seen: map[uint64]bool{0: true, 1: true}}
	if m.pgid < 2 || m.pgid > uint64(len(data))/c.pageSize {
		return fmt.Errorf("high-water mark %d does not fit a file of %d bytes", m.pgid, len(data))
	}
	if m.freelist != bbNoFreelist {
		if err := c.checkFreelist(m.freelist); err != nil {
			return err
		}
	}
	return c.checkBucket(m.root, nil, 0)
}

// page returns page id's bytes (with overflow pages) after checking its
// bounds, header id and that no other reference reached it.
func (c *imageChecker) page(id uint64) ([]byte, error) {
	if id < 2 || id >= c.hwm {
		return nil, fmt.Errorf("page %d out of bounds (high-water mark %d)", id, c.hwm)
	}
	off := id * c.pageSize
	hdr := c.data[off : off+bbPageHeaderSize]
	if got := ne.Uint64(hdr); got != id {
		return nil, fmt.Errorf("page %d identifies as %d", id, got)
	}
	overflow := uint64(ne.Uint32(hdr[12:]))
	if overflow >= c.hwm-id {
		return nil, fmt.Errorf("page %d: overflow %d past the high-water mark", id, overflow)
	}
	for i := id; i <= id+overflow; i++ {
		if c.seen[i] {
			return nil, fmt.Errorf("page %d referenced twice", i)
		}
		c.seen[i] = true
	}
	return c.data[off : off+(overflow+1)*c.pageSize], nil
}

func (c *imageChecker) checkFreelist(id uint64) error {
	p, err := c.page(id)
	if err != nil {
		return fmt.Errorf("free list: %v", err)
	}
	if ne.Uint16(p[8:]) != bbFreelist {
		return fmt.Errorf("free list page %d has type %#x", id, ne.Uint16(p[8:]))
	}
	start, n := uint64(bbPageHeaderSize), uint64(ne.Uint16(p[10:]))
	if n == 0xFFFF {
		if len(p) < bbPageHeaderSize+8 {
			return errors.New("free list truncated")
		}
		n, start = ne.Uint64(p[bbPageHeaderSize:]), start+8
	}
	if n > (uint64(len(p))-start)/8 {
		return fmt.Errorf("free list page %d: %d ids do not fit", id, n)
	}
	for i := uint64(0); i < n; i++ {
		if f := ne.Uint64(p[start+8*i:]); f < 2 || f >= c.hwm {
			return fmt.Errorf("free list page %d: free page %d out of bounds", id, f)
		}
	}
	return nil
}

// checkBucket checks a bucket whose root is page root, or, when root is 0,
// whose inline leaf page is inline.
func (c *imageChecker) checkBucket(root uint64, inline []byte, depth int) error {
	if depth > bbMaxDepth {
		return errors.New("buckets nested too deeply")
	}
	if root == 0 {
		if len(inline) < bbPageHeaderSize {
			return errors.New("inline bucket truncated")
		}
		if ne.Uint16(inline[8:]) != bbLeaf {
			return errors.New("inline bucket page is not a leaf")
		}
		_, err := c.checkLeaf(inline, 0, nil, nil, depth)
		return err
	}
	_, err := c.checkTree(root, nil, nil, depth, 0)
	return err
}

// checkTree mirrors bbolt's recursivelyCheckPageKeyOrderInternal: keys
// within [minKey, maxKey), returning the greatest key of the subtree.
func (c *imageChecker) checkTree(id uint64, minKey, maxKey []byte, depth, height int) ([]byte, error) {
	if height > bbMaxDepth {
		return nil, errors.New("b+tree too deep")
	}
	p, err := c.page(id)
	if err != nil {
		return nil, err
	}
	flags := ne.Uint16(p[8:])
	switch {
	case flags == bbBranch:
		n := int(ne.Uint16(p[10:]))
		if n == 0 || bbPageHeaderSize+n*bbElemSize > len(p) {
			return nil, fmt.Errorf("branch page %d: %d elements do not fit", id, n)
		}
		key := func(i int) ([]byte, uint64, error) {
			e := bbPageHeaderSize + i*bbElemSize
			pos, ks := uint64(ne.Uint32(p[e:])), uint64(ne.Uint32(p[e+4:]))
			if uint64(e)+pos+ks > uint64(len(p)) {
				return nil, 0, fmt.Errorf("branch page %d: key %d outside the page", id, i)
			}
			return p[uint64(e)+pos : uint64(e)+pos+ks], ne.Uint64(p[e+8:]), nil
		}
		running := minKey
		var maxIn []byte
		for i := 0; i < n; i++ {
			k, child, err := key(i)
			if err != nil {
				return nil, err
			}
			if err := keyInOrder(id, i, k, running, maxKey); err != nil {
				return nil, err
			}
			next := maxKey
			if i < n-1 {
				if next, _, err = key(i + 1); err != nil {
					return nil, err
				}
			}
			if maxIn, err = c.checkTree(child, k, next, depth, height+1); err != nil {
				return nil, err
			}
			running = maxIn
		}
		return maxIn, nil
	case flags == bbLeaf:
		return c.checkLeaf(p, id, minKey, maxKey, depth)
	}
	return nil, fmt.Errorf("page %d has type %#x, want branch or leaf", id, flags)
}

func (c *imageChecker) checkLeaf(p []byte, id uint64, minKey, maxKey []byte, depth int) ([]byte, error) {
	n := int(ne.Uint16(p[10:]))
	if bbPageHeaderSize+n*bbElemSize > len(p) {
		return nil, fmt.Errorf("leaf page %d: %d elements do not fit", id, n)
	}
	running := minKey
	for i := 0; i < n; i++ {
		e := bbPageHeaderSize + i*bbElemSize
		flags, pos := ne.Uint32(p[e:]), uint64(ne.Uint32(p[e+4:]))
		ks, vs := uint64(ne.Uint32(p[e+8:])), uint64(ne.Uint32(p[e+12:]))
		start := uint64(e) + pos
		if start+ks+vs > uint64(len(p)) {
			return nil, fmt.Errorf("leaf page %d: element %d outside the page", id, i)
		}
		k, v := p[start:start+ks], p[start+ks:start+ks+vs]
		if err := keyInOrder(id, i, k, running, maxKey); err != nil {
			return nil, err
		}
		running = k
		if flags&bbBucketLeafFlag != 0 {
			if len(v) < bbBucketHdrSize {
				return nil, fmt.Errorf("leaf page %d: bucket %q header truncated", id, k)
			}
			if err := c.checkBucket(ne.Uint64(v), v[bbBucketHdrSize:], depth+1); err != nil {
				return nil, fmt.Errorf("bucket %q: %w", k, err)
			}
		}
	}
	if n == 0 {
		return nil, nil
	}
	return running, nil
}

// keyInOrder is bbolt's verifyKeyOrder.
func keyInOrder(id uint64, i int, k, prev, maxKey []byte) error {
	if i == 0 && prev != nil && bytes.Compare(prev, k) > 0 {
		return fmt.Errorf("page %d: first key below its ancestor's", id)
	}
	if i > 0 && bytes.Compare(prev, k) >= 0 {
		return fmt.Errorf("page %d: key %d not above the previous one", id, i)
	}
	if maxKey != nil && bytes.Compare(k, maxKey) >= 0 {
		return fmt.Errorf("page %d: key %d not below the next ancestor key", id, i)
	}
	return nil
}

// verifyWithBolt opens path read-only and reads every bucket and key with
// cursors, in this goroutine, turning bbolt's assertion panics and memory
// faults into an error.
func verifyWithBolt(path string, opts *bolt.Options) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	var bdb *bolt.DB
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bbolt: %v", r)
		}
		if bdb != nil {
			if cerr := bdb.Close(); err == nil && cerr != nil {
				err = cerr
			}
		}
	}()
	o := *opts
	o.ReadOnly = true
	if bdb, err = bolt.Open(path, 0o600, &o); err != nil {
		return err
	}
	return bdb.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walkBucket(b, 0) })
	})
}

func walkBucket(b *bolt.Bucket, depth int) error {
	if depth > bbMaxDepth {
		return errors.New("buckets nested too deeply")
	}
	cur := b.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if v != nil {
			continue
		}
		if nb := b.Bucket(k); nb != nil {
			if err := walkBucket(nb, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// verifySnapshotDB checks the database image written to path: it must be
// a bbolt file that the store can open and walk without bbolt panicking.
func verifySnapshotDB(path string, opts *bolt.Options) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := verifyImage(data); err != nil {
		return fmt.Errorf("%w: damaged database: %v", ErrBadSnapshot, err)
	}
	if err := verifyWithBolt(path, opts); err != nil {
		return fmt.Errorf("%w: damaged database: %v", ErrBadSnapshot, err)
	}
	return nil
}
