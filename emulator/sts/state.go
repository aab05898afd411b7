package sts

import (
	"context"
	"encoding/json"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// state renders STS's namespace for GET /_fakecloud/state: each temporary
// credential STS issued by access key id, with the identity it acts as
// (account, ARN, user id) and its expiration — never its secret access key
// or session token, which a state dump must not hand out (snapshots keep
// them, so restored credentials still sign). Buckets this renderer does
// not know show their record names only, so a record added later cannot
// leak by default.
func state(ctx context.Context, sc *emulator.StateContext) (any, error) {
	out := map[string]any{}
	err := sc.Store.View(func(tx *store.Tx) error {
		return tx.ForEachBucket(func(name string) error {
			b := tx.Bucket(name)
			if name != credBucket {
				var names []string
				err := b.ForEach(func(k string, _ []byte) error { names = append(names, k); return nil })
				out[name] = names
				return err
			}
			creds := map[string]any{}
			err := b.ForEach(func(akid string, v []byte) error {
				if v == nil {
					return nil
				}
				var s session
				if err := json.Unmarshal(v, &s); err != nil {
					return err
				}
				creds[akid] = map[string]any{
					"AccessKeyId": s.AccessKeyID,
					"Account":     s.Account,
					"Arn":         s.Arn,
					"UserId":      s.UserID,
					"Expiration":  s.Expiration.UTC().Format(time.RFC3339),
				}
				return nil
			})
			out[name] = creds
			return err
		})
	})
	return out, err
}
