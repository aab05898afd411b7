package dynamodb

import (
	"context"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
	"github.com/fakecloud/fakecloud/emulator/store"
)

type batchWrite struct {
	t    *table
	key  string
	item expr.Item // nil: delete
}

func batchWriteItem(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	reqs := obj(in, "RequestItems")
	if len(reqs) == 0 {
		return nil, validationf("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	var writes []batchWrite
	total := 0
	units := map[string]float64{}
	for _, name := range sortedNames(reqs) {
		t, err := getTable(req, name)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, r := range list(reqs, name) {
			total++
			wr, _ := r.(map[string]any)
			var w batchWrite
			w.t = t
			switch {
			case obj(wr, "PutRequest") != nil:
				item := obj(obj(wr, "PutRequest"), "Item")
				if w.key, err = t.itemKey(item); err != nil {
					return nil, err
				}
				w.item = expr.CanonicalItem(item)
				units[name] += writeUnits(expr.ItemSize(item))
			case obj(wr, "DeleteRequest") != nil:
				if w.key, err = t.keyOf(obj(obj(wr, "DeleteRequest"), "Key")); err != nil {
					return nil, err
				}
				units[name]++
			default:
				return nil, validationf("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
			}
			if seen[w.key] {
				return nil, validationf("Provided list of item keys contains duplicates")
			}
			seen[w.key] = true
			writes = append(writes, w)
		}
	}
	if total > 25 {
		return nil, validationf("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
	}
	err := req.Store.Update(func(tx *store.Tx) error {
		for _, w := range writes {
			old, err := readItem(tx, w.t, w.key, req.Clock.Now)
			if err != nil {
				return err
			}
			if err := writeItem(tx, req, w.t, w.key, old, w.item); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"UnprocessedItems": map[string]any{}}
	if cc := batchCapacity(in, units, false); cc != nil {
		out["ConsumedCapacity"] = cc
	}
	return out, nil
}

func batchCapacity(in map[string]any, units map[string]float64, read bool) []any {
	var out []any
	for _, name := range sortedNames(anyMap(units)) {
		if c := consumed(in, name, units[name], read); c != nil {
			out = append(out, c)
		}
	}
	return out
}

func anyMap(m map[string]float64) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func batchGetItem(_ context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	reqs := obj(in, "RequestItems")
	if len(reqs) == 0 {
		return nil, validationf("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	type get struct {
		key string
		x   *exprs
	}
	tables := map[string]*table{}
	gets := map[string][]get{}
	total := 0
	for _, name := range sortedNames(reqs) {
		t, err := getTable(req, name)
		if err != nil {
			return nil, err
		}
		tables[name] = t
		ka := obj(reqs, name)
		x, err := parseExprs(ka, exprSpec{projection: true})
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, k := range list(ka, "Keys") {
			total++
			km, _ := k.(map[string]any)
			key, err := t.keyOf(km)
			if err != nil {
				return nil, err
			}
			if seen[key] {
				return nil, validationf("Provided list of item keys contains duplicates")
			}
			seen[key] = true
			gets[name] = append(gets[name], get{key, x})
		}
	}
	if total > 100 {
		return nil, validationf("Too many items requested for the BatchGetItem call")
	}
	responses := map[string]any{}
	units := map[string]float64{}
	// Responses are capped at 16 MB like DynamoDB's; the remainder goes to
	// UnprocessedKeys in the request's shape.
	const maxResponse = 16 << 20
	size := 0
	unprocessed := map[string]any{}
	err := req.Store.View(func(tx *store.Tx) error {
		for _, name := range sortedNames(reqs) {
			t := tables[name]
			items := []any{}
			var left []any
			ka := obj(reqs, name)
			consistent, _ := ka["ConsistentRead"].(bool)
			for i, g := range gets[name] {
				if size >= maxResponse {
					left = append(left, list(ka, "Keys")[i])
					continue
				}
				item, err := readItem(tx, t, g.key, req.Clock.Now)
				if err != nil {
					return err
				}
				units[name] += readUnits(expr.ItemSize(item), consistent)
				if item != nil {
					size += expr.ItemSize(item)
					items = append(items, g.x.project(item))
				}
			}
			responses[name] = items
			if left != nil {
				u := map[string]any{}
				for k, v := range ka {
					u[k] = v
				}
				u["Keys"] = left
				unprocessed[name] = u
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Responses": responses, "UnprocessedKeys": unprocessed}
	if cc := batchCapacity(in, units, true); cc != nil {
		out["ConsumedCapacity"] = cc
	}
	return out, nil
}
