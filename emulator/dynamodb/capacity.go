package dynamodb

import (
	"math"
	"reflect"

	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// Per-index capacity (ReturnConsumedCapacity=INDEXES) and item collection
// metrics (ReturnItemCollectionMetrics=SIZE), as DynamoDB accounts them:
//
//   - A write consumes write units on the table (the larger of the old and
//     new item, per 1 KB) and on every secondary index it changes: adding
//     or removing an index entry costs its projected size, replacing an
//     entry whose index key changed costs the old and the new entry, an
//     update that leaves an entry's projected attributes alone costs that
//     index nothing. TOTAL and INDEXES report the sum as CapacityUnits;
//     INDEXES breaks it down into Table, GlobalSecondaryIndexes and
//     LocalSecondaryIndexes.
//   - A read of an index (Query or Scan with IndexName) is charged to the
//     index; the table's share is 0.
//   - Tables with local secondary indexes answer single-item writes with
//     ItemCollectionMetrics for SIZE: the written item's partition key and
//     SizeEstimateRangeGB, the whole-gigabyte range [n, n+1] the item
//     collection's size falls in (a small collection is [0, 1]). The size
//     is every item of the partition plus each LSI entry (projected item
//     and 100 bytes of index overhead). Tables without LSIs answer none.

// lsiEntryOverhead is the per-entry index overhead DynamoDB adds to the
// size of an item collection (and of the table) for a local index.
const lsiEntryOverhead = 100

// writeUsage is the write units one item write consumes.
type writeUsage struct {
	table   float64
	indexes map[string]float64 // by index name; absent: not touched
}

func (u writeUsage) total() float64 {
	n := u.table
	for _, v := range u.indexes {
		n += v
	}
	return n
}

// indexWriteUnits computes the usage of writing item over old (either nil).
func indexWriteUnits(t *table, old, item expr.Item) writeUsage {
	u := writeUsage{table: writeUnits(max(expr.ItemSize(old), expr.ItemSize(item)))}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		inOld := old != nil && indexed(ix, old)
		inNew := item != nil && indexed(ix, item)
		var units float64
		switch {
		case inOld && inNew:
			po, pn := projectIndex(t, ix, old), projectIndex(t, ix, item)
			if indexKeyChanged(ix, old, item) {
				units = writeUnits(expr.ItemSize(po)) + writeUnits(expr.ItemSize(pn))
			} else if !reflect.DeepEqual(po, pn) {
				units = writeUnits(max(expr.ItemSize(po), expr.ItemSize(pn)))
			}
		case inOld:
			units = writeUnits(expr.ItemSize(projectIndex(t, ix, old)))
		case inNew:
			units = writeUnits(expr.ItemSize(projectIndex(t, ix, item)))
		}
		if units > 0 {
			if u.indexes == nil {
				u.indexes = map[string]float64{}
			}
			u.indexes[ix.Name] = units
		}
	}
	return u
}

func indexKeyChanged(ix *index, old, item expr.Item) bool {
	for _, k := range ix.Keys {
		if !reflect.DeepEqual(old[k.Name], item[k.Name]) {
			return true
		}
	}
	return false
}

// writeConsumed renders ConsumedCapacity of a single-item write.
func writeConsumed(in map[string]any, t *table, u writeUsage) map[string]any {
	return capacityOut(in, t, u.table, u.indexes, false)
}

// readConsumed renders ConsumedCapacity of a read of the table (ix nil) or
// of one of its indexes.
func readConsumed(in map[string]any, t *table, ix *index, units float64) map[string]any {
	if ix == nil {
		return capacityOut(in, t, units, nil, true)
	}
	return capacityOut(in, t, 0, map[string]float64{ix.Name: units}, true)
}

func capacityOut(in map[string]any, t *table, tableUnits float64, idx map[string]float64, read bool) map[string]any {
	mode := str(in, "ReturnConsumedCapacity")
	if mode != "TOTAL" && mode != "INDEXES" {
		return nil
	}
	total := tableUnits
	for _, v := range idx {
		total += v
	}
	cap := func(units float64) map[string]any {
		c := map[string]any{"CapacityUnits": units}
		if read {
			c["ReadCapacityUnits"] = units
		} else {
			c["WriteCapacityUnits"] = units
		}
		return c
	}
	c := cap(total)
	c["TableName"] = t.Name
	if mode != "INDEXES" {
		return c
	}
	c["Table"] = cap(tableUnits)
	gsi, lsi := map[string]any{}, map[string]any{}
	for _, ix := range t.Indexes {
		v, ok := idx[ix.Name]
		if !ok {
			continue
		}
		if ix.Global {
			gsi[ix.Name] = cap(v)
		} else {
			lsi[ix.Name] = cap(v)
		}
	}
	if len(gsi) > 0 {
		c["GlobalSecondaryIndexes"] = gsi
	}
	if len(lsi) > 0 {
		c["LocalSecondaryIndexes"] = lsi
	}
	return c
}

// hasLSI reports whether the table has a local secondary index, the only
// tables DynamoDB reports item collection metrics for.
func (t *table) hasLSI() bool {
	for _, ix := range t.Indexes {
		if !ix.Global {
			return true
		}
	}
	return false
}

// collectionMetrics computes ItemCollectionMetrics of the collection
// holding item (old or new, by its partition key) after a write, or nil
// when SIZE was not asked for or the table has no LSI.
func collectionMetrics(tx *store.Tx, in map[string]any, t *table, item expr.Item) (map[string]any, error) {
	if str(in, "ReturnItemCollectionMetrics") != "SIZE" || !t.hasLSI() || item == nil {
		return nil, nil
	}
	hk := t.hashKey()
	hv, ok := item[hk]
	if !ok {
		return nil, nil
	}
	size, err := collectionSize(tx, t, hv)
	if err != nil {
		return nil, err
	}
	lo := math.Floor(float64(size) / (1 << 30))
	return map[string]any{
		"ItemCollectionKey":   map[string]any{hk: hv},
		"SizeEstimateRangeGB": []any{lo, lo + 1},
	}, nil
}

// collectionSize sums the items of one partition and their LSI entries.
// Keys encode the partition key first and prefix-free, so the partition is
// one cursor range.
func collectionSize(tx *store.Tx, t *table, hashValue any) (int, error) {
	b := tx.Bucket(itemsBucket(t.Name))
	if b == nil {
		return 0, nil
	}
	prefix := string(encodeKeyPart(hashValue))
	size := 0
	c := b.Cursor()
	for k, v, ok := c.Seek(prefix); ok && len(k) >= len(prefix) && k[:len(prefix)] == prefix; k, v, ok = c.Next() {
		item, err := decodeItem(v)
		if err != nil {
			return 0, err
		}
		size += expr.ItemSize(item)
		for i := range t.Indexes {
			ix := &t.Indexes[i]
			if !ix.Global && indexed(ix, item) {
				size += expr.ItemSize(projectIndex(t, ix, item)) + lsiEntryOverhead
			}
		}
	}
	return size, nil
}
