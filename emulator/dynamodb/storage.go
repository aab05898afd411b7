package dynamodb

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

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

func saveTable(tx *store.Tx, t *table) error {
	b, err := tx.CreateBucketIfNotExists(bucketTables)
	if err != nil {
		return err
	}
	return b.PutJSON(t.Name, t)
}
