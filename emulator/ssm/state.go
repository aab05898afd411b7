package ssm

import (
	"context"
	"encoding/json"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// redacted stands for a SecureString's value in GET /_fakecloud/state.
const redacted = "<redacted>"

// state renders Parameter Store's namespace for GET /_fakecloud/state: each
// parameter's versions with type, tier, data type, labels, KMS key and
// value — the value only for String and StringList; a SecureString's
// shows as "<redacted>" (its ciphertext would say nothing useful and its
// plaintext must not leave the emulator this way). Buckets this renderer
// does not know show their record names only.
func state(ctx context.Context, sc *emulator.StateContext) (any, error) {
	out := map[string]any{}
	err := sc.Store.View(func(tx *store.Tx) error {
		return tx.ForEachBucket(func(name string) error {
			b := tx.Bucket(name)
			if name != paramsBucket {
				var names []string
				err := b.ForEach(func(k string, _ []byte) error { names = append(names, k); return nil })
				out[name] = names
				return err
			}
			params := map[string]any{}
			err := b.ForEach(func(n string, v []byte) error {
				if v == nil {
					return nil
				}
				var p param
				if err := json.Unmarshal(v, &p); err != nil {
					return err
				}
				versions := make([]any, 0, len(p.Versions))
				for _, pv := range p.Versions {
					m := map[string]any{"Version": pv.Version, "Type": pv.Type, "Tier": pv.Tier,
						"DataType": pv.DataType, "LastModifiedDate": pv.Modified, "LastModifiedUser": pv.User}
					if pv.Type == typeSecure {
						m["Value"] = redacted
						m["KeyId"] = pv.KeyID
					} else {
						m["Value"] = pv.Value
					}
					if pv.Description != "" {
						m["Description"] = pv.Description
					}
					if pv.AllowedPattern != "" {
						m["AllowedPattern"] = pv.AllowedPattern
					}
					if len(pv.Labels) > 0 {
						m["Labels"] = pv.Labels
					}
					if len(pv.Policies) > 0 {
						m["Policies"] = policiesOut(pv.Policies)
					}
					versions = append(versions, m)
				}
				r := map[string]any{"Name": p.Name, "Versions": versions}
				if len(p.Tags) > 0 {
					tags := make([]any, len(p.Tags))
					for i, t := range p.Tags {
						tags[i] = map[string]any{"Key": t.Key, "Value": t.Value}
					}
					r["Tags"] = tags
				}
				params[n] = r
				return nil
			})
			out[name] = params
			return err
		})
	})
	return out, err
}
