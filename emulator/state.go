package emulator

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/fakecloud/fakecloud/emulator/store"
)

// State returns every record as account -> region -> service -> ..., with
// services that define ServiceDef.State rendered by it.
func (e *Emulator) State(ctx context.Context) (map[string]any, error) {
	dump, err := e.db.Dump()
	if err != nil {
		return nil, err
	}
	for account, av := range dump {
		regions, _ := av.(map[string]any)
		for region, rv := range regions {
			services, _ := rv.(map[string]any)
			for name := range services {
				svc := e.services[name]
				if svc == nil || svc.def.State == nil {
					continue
				}
				v, err := svc.def.State(ctx, &StateContext{Account: account, Region: region, Store: e.db.Namespace(account, region, name)})
				if err != nil {
					return nil, fmt.Errorf("state of %s: %w", name, err)
				}
				services[name] = v
			}
		}
	}
	return dump, nil
}

// StateView renders one record of a bucket for GET /_fakecloud/state.
type StateView func(key string, value []byte) (any, error)

// JSONView is a StateView for records stored as JSON: each is decoded into
// a T and rendered by fn.
func JSONView[T any](fn func(key string, v *T) any) StateView {
	return func(key string, value []byte) (any, error) {
		v := new(T)
		if err := json.Unmarshal(value, v); err != nil {
			return nil, fmt.Errorf("record %q: %w", key, err)
		}
		return fn(key, v), nil
	}
}

// RenderState is the body of a typical ServiceDef.State: every record of a
// bucket named in views is rendered by its view (nested buckets skipped),
// and any other bucket shows only its record names, so a record a renderer
// does not know — a secret added later, say — never leaks by default.
func RenderState(sc *StateContext, views map[string]StateView) (map[string]any, error) {
	out := map[string]any{}
	err := sc.Store.View(func(tx *store.Tx) error {
		return tx.ForEachBucket(func(name string) error {
			b := tx.Bucket(name)
			view, ok := views[name]
			if !ok {
				var names []string
				err := b.ForEach(func(k string, _ []byte) error { names = append(names, k); return nil })
				out[name] = names
				return err
			}
			recs := map[string]any{}
			err := b.ForEach(func(k string, v []byte) error {
				if v == nil {
					return nil
				}
				r, err := view(k, v)
				if err != nil {
					return err
				}
				recs[k] = r
				return nil
			})
			out[name] = recs
			return err
		})
	})
	return out, err
}
