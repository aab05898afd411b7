package secretsmanager

import (
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

// Name is the botocore service name Secrets Manager registers under.
const Name = "secretsmanager"

func init() { emulator.Register(Def()) }

// Def returns Secrets Manager's service definition (the operation table).
func Def() emulator.ServiceDef {
	return emulator.ServiceDef{
		Name:  Name,
		State: state,
		Operations: map[string]emulator.Handler{
			// secret.go
			"CreateSecret":             createSecret,
			"PutSecretValue":           putSecretValue,
			"UpdateSecret":             updateSecret,
			"UpdateSecretVersionStage": updateSecretVersionStage,
			"GetSecretValue":           getSecretValue,
			"DescribeSecret":           describeSecret,
			"DeleteSecret":             deleteSecret,
			"RestoreSecret":            restoreSecret,
			"TagResource":              tagResource,
			"UntagResource":            untagResource,
			"PutResourcePolicy":        putResourcePolicy,
			"GetResourcePolicy":        getResourcePolicy,
			"DeleteResourcePolicy":     deleteResourcePolicy,
			// list.go
			"ListSecrets":          listSecrets,
			"ListSecretVersionIds": listSecretVersionIDs,
			"BatchGetSecretValue":  batchGetSecretValue,
			// password.go
			"GetRandomPassword": getRandomPassword,
			// rotation.go
			"RotateSecret":       rotateSecret,
			"CancelRotateSecret": cancelRotateSecret,
		},
	}
}

func str(in map[string]any, k string) string { s, _ := in[k].(string); return s }

func blob(in map[string]any, k string) []byte { b, _ := in[k].([]byte); return b }

func boolean(in map[string]any, k string) (bool, bool) { b, ok := in[k].(bool); return b, ok }

func integer(in map[string]any, k string) (int64, bool) { n, ok := in[k].(int64); return n, ok }

func list(in map[string]any, k string) []any { l, _ := in[k].([]any); return l }

func now(req *emulator.Request) time.Time { return req.Clock.Now().UTC().Truncate(time.Millisecond) }
