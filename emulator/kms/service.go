package kms

import (
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

// Name is the botocore service name KMS registers under.
const Name = "kms"

func init() { emulator.Register(Def()) }

// Def returns KMS's service definition (the operation table). init registers
// it; tests may pass it in emulator.Options.ServiceDefs.
func Def() emulator.ServiceDef {
	return emulator.ServiceDef{
		Name:  Name,
		State: state,
		Operations: map[string]emulator.Handler{
			// key.go
			"CreateKey":            createKey,
			"DescribeKey":          describeKey,
			"ListKeys":             listKeys,
			"EnableKey":            enableKey,
			"DisableKey":           disableKey,
			"ScheduleKeyDeletion":  scheduleKeyDeletion,
			"CancelKeyDeletion":    cancelKeyDeletion,
			"UpdateKeyDescription": updateKeyDescription,
			"EnableKeyRotation":    enableKeyRotation,
			"DisableKeyRotation":   disableKeyRotation,
			"GetKeyRotationStatus": getKeyRotationStatus,
			"GetKeyPolicy":         getKeyPolicy,
			"PutKeyPolicy":         putKeyPolicy,
			"ListKeyPolicies":      listKeyPolicies,
			"TagResource":          tagResource,
			"UntagResource":        untagResource,
			"ListResourceTags":     listResourceTags,
			// alias.go
			"CreateAlias": createAlias,
			"UpdateAlias": updateAlias,
			"DeleteAlias": deleteAlias,
			"ListAliases": listAliases,
			// encrypt.go
			"Encrypt":                             encrypt,
			"Decrypt":                             decrypt,
			"ReEncrypt":                           reEncrypt,
			"GenerateDataKey":                     generateDataKey,
			"GenerateDataKeyWithoutPlaintext":     generateDataKeyWithoutPlaintext,
			"GenerateDataKeyPair":                 generateDataKeyPair,
			"GenerateDataKeyPairWithoutPlaintext": generateDataKeyPairWithoutPlaintext,
			"GenerateRandom":                      generateRandom,
			// sign.go
			"Sign":         sign,
			"Verify":       verify,
			"GenerateMac":  generateMac,
			"VerifyMac":    verifyMac,
			"GetPublicKey": getPublicKey,
		},
	}
}

// Input accessors: the codec gives canonical values (see package protocol);
// a missing or mistyped member reads as the zero value.

func str(in map[string]any, k string) string { s, _ := in[k].(string); return s }

func blob(in map[string]any, k string) []byte { b, _ := in[k].([]byte); return b }

func boolean(in map[string]any, k string) (bool, bool) { b, ok := in[k].(bool); return b, ok }

func integer(in map[string]any, k string) (int64, bool) { n, ok := in[k].(int64); return n, ok }

func mapOf(in map[string]any, k string) map[string]any { m, _ := in[k].(map[string]any); return m }

func list(in map[string]any, k string) []any { l, _ := in[k].([]any); return l }

// now is the request's time, truncated to what KMS reports (seconds are
// enough and keep JSON epoch numbers short).
func now(req *emulator.Request) time.Time { return req.Clock.Now().UTC().Truncate(time.Millisecond) }
