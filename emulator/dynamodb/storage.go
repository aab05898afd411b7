package dynamodb

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// Storage layout in the namespace:
//
//	tables               table name -> table (JSON)
//	items/<table>        encodeKey(hash)+encodeKey(range) -> item (JSON)
//	index/<table>/<idx>  index key + base key -> base key
//	tokens               ClientRequestToken -> transaction record
//
// Keys are order-preserving, so a Query is a cursor range scan over one
// partition in sort-key order.
const (
	bucketTables = "tables"
	bucketTokens = "tokens"
)

func itemsBucket(table string) string      { return "items/" + table }
func indexBucket(table, idx string) string { return "index/" + table + "/" + idx }

// encodeKeyPart encodes one key attribute value, prefix-free and
// order-preserving: numbers by expr.Number.SortKey, strings and binary
// bytewise with 0x00 escaped as 0x00 0xFF and a 0x00 0x01 terminator.
func encodeKeyPart(av any) []byte {
	typ, v, _ := expr.Type(av)
	switch typ {
	case expr.TN:
		s, _ := v.(string)
		n, err := expr.ParseNumber(s)
		if err != nil {
			return nil
		}
		return n.SortKey()
	case expr.TS:
		s, _ := v.(string)
		return escapeBytes([]byte(s))
	case expr.TB:
		b, _ := v.([]byte)
		return escapeBytes(b)
	}
	return nil
}

func escapeBytes(b []byte) []byte {
	out := make([]byte, 0, len(b)+2)
	for _, c := range b {
		if c == 0 {
			out = append(out, 0, 0xff)
		} else {
			out = append(out, c)
		}
	}
	return append(out, 0, 1)
}

// encodeItem stores an item as JSON; []byte becomes base64 (encoding/json's
// rule) and decodeItem turns B and BS members back into bytes.
func encodeItem(item expr.Item) ([]byte, error) { return json.Marshal(item) }

func decodeItem(data []byte) (expr.Item, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("dynamodb: decode item: %w", err)
	}
	for k, v := range m {
		m[k] = restoreBytes(v)
	}
	return m, nil
}

func restoreBytes(av any) any {
	m, ok := av.(map[string]any)
	if !ok {
		return av
	}
	for k, v := range m {
		switch k {
		case "B":
			if s, ok := v.(string); ok {
				b, _ := base64.StdEncoding.DecodeString(s)
				m[k] = b
			}
		case "BS":
			if l, ok := v.([]any); ok {
				for i, e := range l {
					if s, ok := e.(string); ok {
						l[i], _ = base64.StdEncoding.DecodeString(s)
					}
				}
			}
		case "L":
			if l, ok := v.([]any); ok {
				for i, e := range l {
					l[i] = restoreBytes(e)
				}
			}
		case "M":
			if mm, ok := v.(map[string]any); ok {
				for kk, e := range mm {
					mm[kk] = restoreBytes(e)
				}
			}
		}
	}
	return m
}

// loadTable reads a table's metadata; nil when it does not exist.
func loadTable(tx *store.Tx, name string) (*table, error) {
	b := tx.Bucket(bucketTables)
	if b == nil {
		return nil, nil
	}
	var t table
	ok, err := b.GetJSON(name, &t)
	if err != nil || !ok {
		return nil, err
	}
	return &t, nil
}

// tableCache keeps decoded tables for the read path (getTable), keyed by
// namespace and table name and validated against the stored bytes on every
// use: an UpdateTable, DeleteTable, emulator reset or snapshot restore changes
// (or removes) the record, so a stale entry is never served, whatever swaps
// the store underneath. One bbolt Get and a bytes.Equal replace a JSON
// decode of the table per request. Cached tables are shared: callers of
// getTable must not modify them (writers load their own copy with
// loadTable inside their transaction).
var tableCache = struct {
	sync.Mutex
	m map[string]cachedTable
}{m: map[string]cachedTable{}}

type cachedTable struct {
	raw []byte
	t   *table
}

// maxCachedTables bounds the cache; past it the cache starts over.
const maxCachedTables = 4096

// loadTableCached is loadTable through tableCache; ns names the namespace.
func loadTableCached(tx *store.Tx, ns, name string) (*table, error) {
	b := tx.Bucket(bucketTables)
	if b == nil {
		return nil, nil
	}
	raw := b.Get(name)
	if raw == nil {
		return nil, nil
	}
	key := ns + "\x00" + name
	tableCache.Lock()
	c, ok := tableCache.m[key]
	tableCache.Unlock()
	if ok && bytes.Equal(c.raw, raw) {
		return c.t, nil
	}
	var t table
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("dynamodb: decode table %s: %w", name, err)
	}
	c = cachedTable{raw: bytes.Clone(raw), t: &t}
	tableCache.Lock()
	if len(tableCache.m) >= maxCachedTables {
		clear(tableCache.m)
	}
	tableCache.m[key] = c
	tableCache.Unlock()
	return &t, nil
}

func saveTable(tx *store.Tx, t *table) error {
	b, err := tx.CreateBucketIfNotExists(bucketTables)
	if err != nil {
		return err
	}
	return b.PutJSON(t.Name, t)
}

// bucketCounts holds each table's item count and size, kept in step by
// writeItem so DescribeTable needs no scan:
//
//	counts  table name -> tableCounts (varints, below)
const bucketCounts = "counts"

type countSize struct{ N, Size int64 }

// tableCounts is stored as varints (N, Size, then per index: name length,
// name, N, Size): it is rewritten on every item write, so it is kept cheaper
// than JSON.
type tableCounts struct {
	countSize
	Indexes map[string]countSize
}

func (c tableCounts) encode() []byte {
	out := binary.AppendVarint(nil, c.N)
	out = binary.AppendVarint(out, c.Size)
	for name, cs := range c.Indexes {
		out = binary.AppendUvarint(out, uint64(len(name)))
		out = append(out, name...)
		out = binary.AppendVarint(out, cs.N)
		out = binary.AppendVarint(out, cs.Size)
	}
	return out
}

var errBadCounts = errors.New("dynamodb: corrupt table counters")

func decodeCounts(b []byte) (tableCounts, error) {
	var c tableCounts
	next := func() (int64, bool) {
		v, n := binary.Varint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	var ok1, ok2 bool
	c.N, ok1 = next()
	c.Size, ok2 = next()
	if !ok1 || !ok2 {
		return c, errBadCounts
	}
	for len(b) > 0 {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return c, errBadCounts
		}
		name := string(b[n : n+int(l)])
		b = b[n+int(l):]
		var cs countSize
		cs.N, ok1 = next()
		cs.Size, ok2 = next()
		if !ok1 || !ok2 {
			return c, errBadCounts
		}
		if c.Indexes == nil {
			c.Indexes = map[string]countSize{}
		}
		c.Indexes[name] = cs
	}
	return c, nil
}

func (c *tableCounts) add(t *table, item expr.Item, sign int64) {
	if item == nil {
		return
	}
	sz := int64(expr.ItemSize(item))
	c.N += sign
	c.Size += sign * sz
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if indexed(ix, item) {
			if c.Indexes == nil {
				c.Indexes = map[string]countSize{}
			}
			cs := c.Indexes[ix.Name]
			cs.N += sign
			cs.Size += sign * sz
			c.Indexes[ix.Name] = cs
		}
	}
}

// loadCounts returns a table's counters; a table stored before counters
// existed (a persistent state file of an older fakecloud) is counted once.
func loadCounts(tx *store.Tx, t *table) (tableCounts, error) {
	if b := tx.Bucket(bucketCounts); b != nil {
		if v := b.Get(t.Name); v != nil {
			if c, err := decodeCounts(v); err == nil {
				return c, nil
			}
			// A damaged record is recounted rather than trusted.
		}
	}
	return recount(tx, t)
}

// recount counts a table's items by a scan.
func recount(tx *store.Tx, t *table) (tableCounts, error) {
	var c tableCounts
	b := tx.Bucket(itemsBucket(t.Name))
	if b == nil {
		return c, nil
	}
	err := b.ForEach(func(_ string, v []byte) error {
		item, err := decodeItem(v)
		if err != nil {
			return err
		}
		c.add(t, item, 1)
		return nil
	})
	return c, err
}

func saveCounts(tx *store.Tx, name string, c tableCounts) error {
	b, err := tx.CreateBucketIfNotExists(bucketCounts)
	if err != nil {
		return err
	}
	return b.Put(name, c.encode())
}

// deleteCounts drops a table's counters (table deleted or re-created).
func deleteCounts(tx *store.Tx, name string) error {
	b := tx.Bucket(bucketCounts)
	if b == nil {
		return nil
	}
	return b.Delete(name)
}
