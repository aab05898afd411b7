package dynamodb

import (
	"fmt"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// Time to Live. DynamoDB deletes expired items in the background, as the
// service itself: the deletion is a REMOVE stream record whose userIdentity
// is {Type: Service, PrincipalId: dynamodb.amazonaws.com}. fakecloud does
// the same by a sweep on access, by the emulator clock: every request that
// resolves a TTL-enabled table (getTable) first deletes its items whose TTL
// attribute is an epoch second before now. Reads also hide an expired item
// a sweep has not reached yet (table.expired).
//
// A TTL-enabled table keeps an expiry index, so a sweep that finds nothing
// costs one cursor seek:
//
//	ttl/<table>  Number.SortKey(expiry) + item key -> item key
//
// Number.SortKey is order-preserving and prefix-free, so every entry below
// SortKey(now) has expired.

func ttlBucket(table string) string { return "ttl/" + table }

// ttlIdentity is the userIdentity of a stream record of a TTL deletion.
var ttlIdentity = map[string]any{"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}

// maxSweep bounds the deletions of one sweep; the next access continues.
const maxSweep = 1000

// ttlKey is an item's expiry index key; "" when the item has no numeric
// TTL attribute.
func (t *table) ttlKey(item expr.Item, key string) string {
	if item == nil || !t.TTLOn || t.TTLAttr == "" {
		return ""
	}
	typ, v, ok := expr.Type(item[t.TTLAttr])
	if !ok || typ != expr.TN {
		return ""
	}
	s, _ := v.(string)
	n, err := expr.ParseNumber(s)
	if err != nil {
		return ""
	}
	return string(n.SortKey()) + key
}

// updateTTLIndex keeps the expiry index in step with one item write.
func (t *table) updateTTLIndex(tx *store.Tx, key string, old, item expr.Item) error {
	if !t.TTLOn || t.TTLAttr == "" {
		return nil
	}
	ok, nk := t.ttlKey(old, key), t.ttlKey(item, key)
	if ok == nk {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(ttlBucket(t.Name))
	if err != nil {
		return err
	}
	if ok != "" {
		if err := b.Delete(ok); err != nil {
			return err
		}
	}
	if nk != "" {
		return b.Put(nk, []byte(key))
	}
	return nil
}

// rebuildTTLIndex builds the expiry index when TTL is enabled (t.TTLOn set)
// and drops it when disabled.
func rebuildTTLIndex(tx *store.Tx, t *table) error {
	if err := tx.DeleteBucket(ttlBucket(t.Name)); err != nil {
		return err
	}
	if !t.TTLOn {
		return nil
	}
	items := tx.Bucket(itemsBucket(t.Name))
	if items == nil {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(ttlBucket(t.Name))
	if err != nil {
		return err
	}
	return items.ForEach(func(k string, v []byte) error {
		item, err := decodeItem(v)
		if err != nil {
			return err
		}
		if tk := t.ttlKey(item, k); tk != "" {
			return b.Put(tk, []byte(k))
		}
		return nil
	})
}

func nowKey(now time.Time) string {
	n, err := expr.ParseNumber(fmt.Sprint(now.Unix()))
	if err != nil {
		return ""
	}
	return string(n.SortKey())
}

// sweepExpired deletes the table's expired items as the DynamoDB service,
// with REMOVE stream records. It writes only when something has expired.
func sweepExpired(req *emulator.Request, t *table) error {
	if !t.TTLOn || t.TTLAttr == "" {
		return nil
	}
	limit := nowKey(req.Clock.Now())
	due := false
	err := req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket(ttlBucket(t.Name))
		if b == nil {
			return nil
		}
		k, _, ok := b.Cursor().First()
		due = ok && k < limit
		return nil
	})
	if err != nil || !due {
		return err
	}
	return req.Store.Update(func(tx *store.Tx) error {
		// Re-read the table in this transaction: it may have changed.
		cur, err := loadTable(tx, t.Name)
		if err != nil || cur == nil || !cur.TTLOn {
			return err
		}
		b := tx.Bucket(ttlBucket(cur.Name))
		items := tx.Bucket(itemsBucket(cur.Name))
		if b == nil {
			return nil
		}
		var due [][2]string
		c := b.Cursor()
		for k, v, ok := c.First(); ok && k < limit && len(due) < maxSweep; k, v, ok = c.Next() {
			due = append(due, [2]string{k, string(v)})
		}
		for _, d := range due {
			var data []byte
			if items != nil {
				data = items.Get(d[1])
			}
			if data == nil {
				if err := b.Delete(d[0]); err != nil {
					return err
				}
				continue
			}
			old, err := decodeItem(data)
			if err != nil {
				return err
			}
			if err := writeItemBy(tx, req, cur, d[1], old, nil, ttlIdentity); err != nil {
				return err
			}
		}
		return nil
	})
}
