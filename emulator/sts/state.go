package sts

import (
	"context"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

// state renders STS's namespace for GET /_fakecloud/state: each temporary
// credential STS issued by access key id, with the identity it acts as
// (account, ARN, user id) and its expiration — never its secret access key
// or session token, which a state dump must not hand out (snapshots keep
// them, so restored credentials still sign). Buckets this renderer does
// not know show their record names only, so a record added later cannot
// leak by default.
func state(ctx context.Context, sc *emulator.StateContext) (any, error) {
	return emulator.RenderState(sc, map[string]emulator.StateView{
		credBucket: emulator.JSONView(func(_ string, s *session) any {
			return map[string]any{
				"AccessKeyId": s.AccessKeyID,
				"Account":     s.Account,
				"Arn":         s.Arn,
				"UserId":      s.UserID,
				"Expiration":  s.Expiration.UTC().Format(time.RFC3339),
			}
		}),
	})
}
