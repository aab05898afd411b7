package ssm

import (
	"context"

	"github.com/fakecloud/fakecloud/emulator"
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
	return emulator.RenderState(sc, map[string]emulator.StateView{
		paramsBucket: emulator.JSONView(func(_ string, p *param) any {
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
			return r
		}),
	})
}
