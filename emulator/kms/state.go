package kms

import (
	"context"

	"github.com/fakecloud/fakecloud/emulator"
)

// state renders KMS's namespace for GET /_fakecloud/state: each key's
// metadata (as DescribeKey shows it) with its tags, rotation settings and
// policy, and each alias with its target. Key material — symmetric and HMAC
// bytes, EC scalars, RSA private keys — is never shown, and buckets this
// renderer does not know show their record names only, so a record added
// later cannot leak by default.
func state(ctx context.Context, sc *emulator.StateContext) (any, error) {
	return emulator.RenderState(sc, map[string]emulator.StateView{
		keysBucket: emulator.JSONView(func(_ string, k *key) any {
			md := k.metadata()
			if len(k.Tags) > 0 {
				md["Tags"] = k.Tags
			}
			md["KeyRotationEnabled"] = k.Rotation
			if k.RotationDays != 0 {
				md["RotationPeriodInDays"] = k.RotationDays
			}
			md["Policy"] = k.Policy
			return md
		}),
		aliasesBucket: emulator.JSONView(func(_ string, a *alias_) any {
			return map[string]any{"AliasName": a.Name, "TargetKeyId": a.TargetKeyID,
				"CreationDate": a.Created, "LastUpdatedDate": a.Updated}
		}),
	})
}
