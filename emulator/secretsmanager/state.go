package secretsmanager

import (
	"context"

	"github.com/fakecloud/fakecloud/emulator"
)

// state renders Secrets Manager's namespace for GET /_fakecloud/state: each
// secret's name, ARN, description, KMS key, tags, dates, rotation settings
// and versions with their ids and staging labels — never a value, sealed or
// not, nor the wrapped data key. Buckets this renderer does not know show
// their record names only.
func state(ctx context.Context, sc *emulator.StateContext) (any, error) {
	return emulator.RenderState(sc, map[string]emulator.StateView{
		secretsBucket: emulator.JSONView(func(_ string, s *secret) any {
			versions := make([]any, 0, len(s.Order))
			for _, id := range s.Order {
				ver := s.Versions[id]
				if ver == nil {
					continue
				}
				stages := make([]any, len(ver.Stages))
				for i, st := range ver.Stages {
					stages[i] = st
				}
				m := map[string]any{"VersionId": ver.ID, "VersionStages": stages, "CreatedDate": ver.Created}
				if ver.Binary {
					m["Type"] = "SecretBinary"
				} else {
					m["Type"] = "SecretString"
				}
				versions = append(versions, m)
			}
			r := map[string]any{"Name": s.Name, "ARN": s.ARN, "CreatedDate": s.Created,
				"LastChangedDate": s.Changed, "Versions": versions, "RotationEnabled": s.Rotation}
			if s.Description != "" {
				r["Description"] = s.Description
			}
			if s.KmsKeyID != "" {
				r["KmsKeyId"] = s.KmsKeyID
			}
			if len(s.Tags) > 0 {
				tags := make([]any, len(s.Tags))
				for i, t := range s.Tags {
					tags[i] = map[string]any{"Key": t.Key, "Value": t.Value}
				}
				r["Tags"] = tags
			}
			if !s.Deleted.IsZero() {
				r["DeletedDate"] = s.Deleted
			}
			if s.RotationARN != "" {
				r["RotationLambdaARN"] = s.RotationARN
			}
			if s.RotationRule != nil {
				r["RotationRules"] = s.RotationRule
			}
			if s.Policy != "" {
				r["ResourcePolicy"] = s.Policy
			}
			return r
		}),
	})
}
