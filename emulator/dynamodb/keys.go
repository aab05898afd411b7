package dynamodb

import (
	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
)

const maxItemSize = 400 * 1024

// keyOf validates a Key parameter (exactly the key attributes, right types)
// and returns its storage key.
func (t *table) keyOf(key map[string]any) (string, error) {
	if len(key) != len(t.Keys) {
		return "", validationf("The provided key element does not match the schema")
	}
	var out []byte
	for _, k := range t.Keys {
		av, ok := key[k.Name]
		if !ok {
			return "", validationf("The provided key element does not match the schema")
		}
		if err := expr.Validate(av); err != nil {
			return "", apiError(err)
		}
		typ, v, _ := expr.Type(av)
		if typ != t.AttrDefs[k.Name] {
			return "", validationf("The provided key element does not match the schema")
		}
		if err := checkKeyValue(k, typ, v); err != nil {
			return "", err
		}
		out = append(out, encodeKeyPart(av)...)
	}
	return string(out), nil
}

func checkKeyValue(k keyElem, typ string, v any) error {
	n := 0
	switch x := v.(type) {
	case string:
		n = len(x)
	case []byte:
		n = len(x)
	}
	if typ != expr.TN && n == 0 {
		return validationf("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s", map[string]string{"S": "string", "B": "binary"}[typ], k.Name)
	}
	if k.Type == "HASH" && n > 2048 {
		return validationf("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes")
	}
	if k.Type == "RANGE" && n > 1024 {
		return validationf("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
	}
	return nil
}

// itemKey validates a full item for writing and returns its storage key.
func (t *table) itemKey(item expr.Item) (string, error) {
	if err := expr.ValidateItem(item); err != nil {
		return "", apiError(err)
	}
	var out []byte
	for _, k := range t.Keys {
		av, ok := item[k.Name]
		if !ok {
			return "", validationf("One or more parameter values were invalid: Missing the key %s in the item", k.Name)
		}
		typ, v, _ := expr.Type(av)
		if want := t.AttrDefs[k.Name]; typ != want {
			return "", validationf("One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s", k.Name, want, typ)
		}
		if err := checkKeyValue(k, typ, v); err != nil {
			return "", err
		}
		out = append(out, encodeKeyPart(av)...)
	}
	for _, ix := range t.Indexes {
		for _, k := range ix.Keys {
			av, ok := item[k.Name]
			if !ok {
				continue
			}
			typ, v, _ := expr.Type(av)
			if want := t.AttrDefs[k.Name]; typ != want {
				return "", validationf("One or more parameter values were invalid: Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s", k.Name, want, typ, ix.Name)
			}
			if s, ok := v.(string); ok && s == "" || typ == expr.TB && len(v.([]byte)) == 0 {
				return "", validationf("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: %s, IndexKey: %s", ix.Name, k.Name)
			}
		}
	}
	if expr.ItemSize(item) > maxItemSize {
		return "", validationf("Item size has exceeded the maximum allowed size")
	}
	return string(out), nil
}

// keyAttrs extracts the table's key attributes of an item.
func (t *table) keyAttrs(item expr.Item) expr.Item {
	out := expr.Item{}
	for _, k := range t.Keys {
		if v, ok := item[k.Name]; ok {
			out[k.Name] = v
		}
	}
	return out
}

// indexed reports whether an item appears in an index (sparse indexes skip
// items without the index key attributes).
func indexed(ix *index, item expr.Item) bool {
	for _, k := range ix.Keys {
		if _, ok := item[k.Name]; !ok {
			return false
		}
	}
	return true
}

func indexKey(ix *index, item expr.Item, baseKey string) string {
	var out []byte
	for _, k := range ix.Keys {
		out = append(out, encodeKeyPart(item[k.Name])...)
	}
	return string(out) + baseKey
}

// readItem loads the item at key; nil when absent or expired.
func readItem(tx *store.Tx, t *table, key string, now nowFunc) (expr.Item, error) {
	b := tx.Bucket(itemsBucket(t.Name))
	if b == nil {
		return nil, nil
	}
	data := b.Get(key)
	if data == nil {
		return nil, nil
	}
	item, err := decodeItem(data)
	if err != nil {
		return nil, err
	}
	if t.expired(item, now()) {
		return nil, nil
	}
	return item, nil
}

// writeItem replaces old with item at key (item nil: delete), keeping the
// index buckets in step and appending the table's stream record (see
// stream.go), all in tx.
func writeItem(tx *store.Tx, req *emulator.Request, t *table, key string, old, item expr.Item) error {
	return writeItemBy(tx, req, t, key, old, item, nil)
}

// writeItemBy is writeItem with the stream record's userIdentity (nil for a
// caller's write; ttlIdentity for TTL deletions).
func writeItemBy(tx *store.Tx, req *emulator.Request, t *table, key string, old, item expr.Item, identity map[string]any) error {
	if err := appendStreamRecord(tx, req, t, old, item, identity); err != nil {
		return err
	}
	b, err := tx.CreateBucketIfNotExists(itemsBucket(t.Name))
	if err != nil {
		return err
	}
	if old == nil {
		// An expired item still occupies the key and its index entries.
		if data := b.Get(key); data != nil {
			if old, err = decodeItem(data); err != nil {
				return err
			}
		}
	}
	if old != nil || item != nil {
		c, err := loadCounts(tx, t)
		if err != nil {
			return err
		}
		c.add(t, old, -1)
		c.add(t, item, 1)
		if err := saveCounts(tx, t.Name, c); err != nil {
			return err
		}
	}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		ib, err := tx.CreateBucketIfNotExists(indexBucket(t.Name, ix.Name))
		if err != nil {
			return err
		}
		if old != nil && indexed(ix, old) {
			if err := ib.Delete(indexKey(ix, old, key)); err != nil {
				return err
			}
		}
		if item != nil && indexed(ix, item) {
			if err := ib.Put(indexKey(ix, item, key), []byte(key)); err != nil {
				return err
			}
		}
	}
	if err := t.updateTTLIndex(tx, key, old, item); err != nil {
		return err
	}
	if item == nil {
		return b.Delete(key)
	}
	data, err := encodeItem(item)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func backfillIndex(tx *store.Tx, t *table, ix *index) error {
	b := tx.Bucket(itemsBucket(t.Name))
	if b == nil {
		return nil
	}
	ib, err := tx.CreateBucketIfNotExists(indexBucket(t.Name, ix.Name))
	if err != nil {
		return err
	}
	return b.ForEach(func(k string, v []byte) error {
		item, err := decodeItem(v)
		if err != nil {
			return err
		}
		if indexed(ix, item) {
			return ib.Put(indexKey(ix, item, k), []byte(k))
		}
		return nil
	})
}
