package kms

import (
	"context"
	"encoding/json"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// state renders KMS's namespace for GET /_fakecloud/state: each key's
// metadata (as DescribeKey shows it) with its tags, rotation settings and
// policy, and each alias with its target. Key material — symmetric and HMAC
// bytes, EC scalars, RSA private keys — is never shown, and buckets this
// renderer does not know show their record names only, so a record added
// later cannot leak by default.
func state(ctx context.Context, sc *emulator.StateContext) (any, error) {
	out := map[string]any{}
	err := sc.Store.View(func(tx *store.Tx) error {
		return tx.ForEachBucket(func(name string) error {
			b := tx.Bucket(name)
			switch name {
			case keysBucket:
				keys := map[string]any{}
				err := b.ForEach(func(id string, v []byte) error {
					if v == nil {
						return nil
					}
					var k key
					if err := json.Unmarshal(v, &k); err != nil {
						return err
					}
					md := k.metadata()
					if len(k.Tags) > 0 {
						md["Tags"] = k.Tags
					}
					md["KeyRotationEnabled"] = k.Rotation
					if k.RotationDays != 0 {
						md["RotationPeriodInDays"] = k.RotationDays
					}
					md["Policy"] = k.Policy
					keys[id] = md
					return nil
				})
				out[name] = keys
				return err
			case aliasesBucket:
				aliases := map[string]any{}
				err := b.ForEach(func(n string, v []byte) error {
					if v == nil {
						return nil
					}
					var a alias_
					if err := json.Unmarshal(v, &a); err != nil {
						return err
					}
					aliases[n] = map[string]any{"AliasName": a.Name, "TargetKeyId": a.TargetKeyID,
						"CreationDate": a.Created, "LastUpdatedDate": a.Updated}
					return nil
				})
				out[name] = aliases
				return err
			}
			return namesOnly(out, name, b)
		})
	})
	return out, err
}

// namesOnly renders a bucket as the list of its record names.
func namesOnly(out map[string]any, name string, b *store.Bucket) error {
	var names []string
	err := b.ForEach(func(k string, _ []byte) error { names = append(names, k); return nil })
	out[name] = names
	return err
}
