package kms

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

const (
	keysBucket    = "keys"
	aliasesBucket = "aliases"
)

// key is one KMS key as stored. Material is the secret: symmetric and HMAC
// key bytes, an EC private scalar, or an RSA private key in PKCS#8 DER.
type key struct {
	KeyID         string            `json:"keyId"`
	Arn           string            `json:"arn"`
	Account       string            `json:"account"`
	Created       time.Time         `json:"created"`
	Enabled       bool              `json:"enabled"`
	State         string            `json:"state"`
	Description   string            `json:"description"`
	Usage         string            `json:"usage"`
	Spec          string            `json:"spec"`
	Origin        string            `json:"origin"`
	Manager       string            `json:"manager"` // CUSTOMER or AWS
	MultiRegion   bool              `json:"multiRegion,omitempty"`
	DeletionDate  time.Time         `json:"deletionDate,omitzero"`
	PendingWindow int64             `json:"pendingWindow,omitempty"`
	Policy        string            `json:"policy"`
	Tags          map[string]string `json:"tags,omitempty"`
	Rotation      bool              `json:"rotation,omitempty"`
	RotationDays  int64             `json:"rotationDays,omitempty"`
	RotationStart time.Time         `json:"rotationStart,omitzero"`
	Material      []byte            `json:"material"`
}

// keySpecs lists, per KeySpec, the key usages it allows.
var keySpecs = map[string][]string{
	"SYMMETRIC_DEFAULT": {"ENCRYPT_DECRYPT"},
	"RSA_2048":          {"ENCRYPT_DECRYPT", "SIGN_VERIFY"},
	"RSA_3072":          {"ENCRYPT_DECRYPT", "SIGN_VERIFY"},
	"RSA_4096":          {"ENCRYPT_DECRYPT", "SIGN_VERIFY"},
	"ECC_NIST_P256":     {"SIGN_VERIFY"},
	"ECC_NIST_P384":     {"SIGN_VERIFY"},
	"ECC_NIST_P521":     {"SIGN_VERIFY"},
	"ECC_SECG_P256K1":   {"SIGN_VERIFY"},
	"HMAC_224":          {"GENERATE_VERIFY_MAC"},
	"HMAC_256":          {"GENERATE_VERIFY_MAC"},
	"HMAC_384":          {"GENERATE_VERIFY_MAC"},
	"HMAC_512":          {"GENERATE_VERIFY_MAC"},
}

func (k *key) encryptionAlgorithms() []any {
	if k.Usage != "ENCRYPT_DECRYPT" {
		return nil
	}
	if k.Spec == "SYMMETRIC_DEFAULT" {
		return []any{"SYMMETRIC_DEFAULT"}
	}
	return []any{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}
}

func (k *key) signingAlgorithms() []any {
	if k.Usage != "SIGN_VERIFY" {
		return nil
	}
	switch k.Spec {
	case "ECC_NIST_P256", "ECC_SECG_P256K1":
		return []any{"ECDSA_SHA_256"}
	case "ECC_NIST_P384":
		return []any{"ECDSA_SHA_384"}
	case "ECC_NIST_P521":
		return []any{"ECDSA_SHA_512"}
	}
	return []any{"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
		"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"}
}

func (k *key) macAlgorithms() []any {
	if k.Usage != "GENERATE_VERIFY_MAC" {
		return nil
	}
	return []any{"HMAC_SHA_" + strings.TrimPrefix(k.Spec, "HMAC_")}
}

func (k *key) metadata() map[string]any {
	md := map[string]any{
		"AWSAccountId":          k.Account,
		"KeyId":                 k.KeyID,
		"Arn":                   k.Arn,
		"CreationDate":          k.Created,
		"Enabled":               k.Enabled,
		"Description":           k.Description,
		"KeyUsage":              k.Usage,
		"KeyState":              k.State,
		"Origin":                k.Origin,
		"KeyManager":            k.Manager,
		"CustomerMasterKeySpec": k.Spec,
		"KeySpec":               k.Spec,
		"MultiRegion":           k.MultiRegion,
	}
	if a := k.encryptionAlgorithms(); a != nil {
		md["EncryptionAlgorithms"] = a
	}
	if a := k.signingAlgorithms(); a != nil {
		md["SigningAlgorithms"] = a
	}
	if a := k.macAlgorithms(); a != nil {
		md["MacAlgorithms"] = a
	}
	if k.State == "PendingDeletion" {
		md["DeletionDate"] = k.DeletionDate
		md["PendingDeletionWindowInDays"] = k.PendingWindow
	}
	return md
}

// usable is the check every cryptographic operation makes.
func (k *key) usable() error {
	switch k.State {
	case "Disabled":
		return errDisabled(k.Arn)
	case "PendingDeletion":
		return errInvalidState("%s is pending deletion.", k.Arn)
	}
	return nil
}

func keyArn(req *emulator.Request, id string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", req.Region, req.Account, id)
}

func aliasArn(req *emulator.Request, name string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:%s", req.Region, req.Account, name)
}

var keyIDPattern = regexp.MustCompile(`^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)

// getKey reads a key record by its bare id.
func getKey(tx *store.Tx, id string) (*key, bool, error) {
	b := tx.Bucket(keysBucket)
	if b == nil {
		return nil, false, nil
	}
	var k key
	ok, err := b.GetJSON(id, &k)
	if err != nil || !ok {
		return nil, false, err
	}
	return &k, true, nil
}

func putKey(tx *store.Tx, k *key) error {
	b, err := tx.CreateBucketIfNotExists(keysBucket)
	if err != nil {
		return err
	}
	return b.PutJSON(k.KeyID, k)
}

// expired reports whether a key's scheduled deletion has come: AWS deletes it
// then, so fakecloud treats it as gone from that instant on.
func expired(k *key, t time.Time) bool {
	return k.State == "PendingDeletion" && !t.Before(k.DeletionDate)
}

// resolve finds the key a KeyId parameter names: a key id, key ARN, alias
// name or alias ARN, as every KMS operation accepts. Aliases named
// alias/aws/<service> that do not exist yet are AWS managed keys: with
// createManaged (the operations a service's first use triggers) they are
// created, as AWS does.
func resolve(req *emulator.Request, tx *store.Tx, keyID string, createManaged bool) (*key, error) {
	t := now(req)
	if keyID == "" {
		return nil, errValidation("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
	}
	id := keyID
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 6)
		if len(parts) != 6 || parts[2] != "kms" {
			return nil, emulator.Errorf("InvalidArnException", 400, "Invalid arn %s", keyID)
		}
		if parts[3] != req.Region || parts[4] != req.Account {
			if strings.HasPrefix(parts[5], "alias/") {
				return nil, errAliasNotFound(keyID)
			}
			return nil, errKeyNotFound(keyID)
		}
		id = parts[5]
		if rest, ok := strings.CutPrefix(id, "key/"); ok {
			id = rest
		} else if !strings.HasPrefix(id, "alias/") {
			return nil, emulator.Errorf("InvalidArnException", 400, "Invalid arn %s", keyID)
		}
	}
	if strings.HasPrefix(id, "alias/") {
		a, ok, err := getAlias(tx, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			if createManaged && strings.HasPrefix(id, "alias/aws/") && tx.Writable() {
				return createManagedKey(req, tx, id)
			}
			return nil, errAliasNotFound(aliasArn(req, id))
		}
		id = a.TargetKeyID
	} else if !keyIDPattern.MatchString(id) {
		return nil, errNotFound("Invalid keyId '%s'", keyID)
	}
	k, ok, err := getKey(tx, id)
	if err != nil {
		return nil, err
	}
	if !ok || expired(k, t) {
		return nil, errKeyNotFound(keyArn(req, id))
	}
	return k, nil
}

// viewKey resolves a key in a read-only transaction.
func viewKey(req *emulator.Request, keyID string) (*key, error) {
	var k *key
	err := req.Store.View(func(tx *store.Tx) error {
		var err error
		k, err = resolve(req, tx, keyID, false)
		return err
	})
	return k, err
}

// useKey resolves a key for a cryptographic operation, creating an AWS
// managed key on first use, and checks that it is enabled.
func useKey(req *emulator.Request, keyID string) (*key, error) {
	var k *key
	resolveIn := func(tx *store.Tx) error {
		var err error
		k, err = resolve(req, tx, keyID, true)
		return err
	}
	var err error
	if isManagedAlias(keyID) {
		err = req.Store.Update(resolveIn)
	} else {
		err = req.Store.View(resolveIn)
	}
	if err != nil {
		return nil, err
	}
	if err := k.usable(); err != nil {
		return nil, err
	}
	return k, nil
}

func isManagedAlias(keyID string) bool {
	return strings.HasPrefix(keyID, "alias/aws/") || strings.Contains(keyID, ":alias/aws/")
}

// updateKey resolves a key in a write transaction and lets fn change it.
func updateKey(req *emulator.Request, keyID string, fn func(k *key) error) (*key, error) {
	var k *key
	err := req.Store.Update(func(tx *store.Tx) error {
		var err error
		k, err = resolve(req, tx, keyID, false)
		if err != nil {
			return err
		}
		if err := fn(k); err != nil {
			return err
		}
		return putKey(tx, k)
	})
	return k, err
}

func defaultPolicy(account string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

func newKey(req *emulator.Request, spec, usage string) (*key, error) {
	id := req.IDs.UUID()
	material, err := newMaterial(req.IDs, spec)
	if err != nil {
		return nil, err
	}
	return &key{
		KeyID: id, Arn: keyArn(req, id), Account: req.Account, Created: now(req),
		Enabled: true, State: "Enabled", Usage: usage, Spec: spec, Origin: "AWS_KMS",
		Manager: "CUSTOMER", Policy: defaultPolicy(req.Account), Material: material,
	}, nil
}

func createManagedKey(req *emulator.Request, tx *store.Tx, alias string) (*key, error) {
	k, err := newKey(req, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
	if err != nil {
		return nil, err
	}
	k.Manager = "AWS"
	k.Description = "Default key that protects my " + strings.TrimPrefix(alias, "alias/aws/") + " data when no other key is defined"
	// AWS managed keys rotate every year, and that cannot be turned off.
	k.Rotation, k.RotationDays, k.RotationStart = true, 365, k.Created
	if err := putKey(tx, k); err != nil {
		return nil, err
	}
	if err := putAlias(tx, &alias_{Name: alias, TargetKeyID: k.KeyID, Created: k.Created, Updated: k.Created}); err != nil {
		return nil, err
	}
	return k, nil
}

func createKey(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	spec := str(in, "KeySpec")
	if cmk := str(in, "CustomerMasterKeySpec"); cmk != "" {
		if spec != "" && spec != cmk {
			return nil, errValidation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.")
		}
		spec = cmk
	}
	if spec == "" {
		spec = "SYMMETRIC_DEFAULT"
	}
	usages, ok := keySpecs[spec]
	if !ok {
		return nil, errValidation("1 validation error detected: Value '%s' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512]", spec)
	}
	usage := str(in, "KeyUsage")
	if usage == "" {
		usage = "ENCRYPT_DECRYPT"
		if spec != "SYMMETRIC_DEFAULT" && len(usages) == 1 {
			// AWS requires KeyUsage for asymmetric and HMAC keys; the default
			// ENCRYPT_DECRYPT is what it then rejects below.
			usage = "ENCRYPT_DECRYPT"
		}
	}
	switch usage {
	case "ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC":
	case "KEY_AGREEMENT":
		return nil, errUnsupported("fakecloud does not emulate KEY_AGREEMENT keys")
	default:
		return nil, errValidation("1 validation error detected: Value '%s' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT]", usage)
	}
	allowed := false
	for _, u := range usages {
		allowed = allowed || u == usage
	}
	if !allowed {
		return nil, errValidation("KeyUsage %s is not compatible with KeySpec %s", usage, spec)
	}
	if origin := str(in, "Origin"); origin != "" && origin != "AWS_KMS" {
		return nil, errUnsupported("fakecloud supports only Origin AWS_KMS, not %s", origin)
	}
	k, err := newKey(req, spec, usage)
	if err != nil {
		return nil, err
	}
	k.Description = str(in, "Description")
	if p := str(in, "Policy"); p != "" {
		k.Policy = p
	}
	if mr, _ := boolean(in, "MultiRegion"); mr {
		k.MultiRegion = true
		k.KeyID = "mrk-" + strings.ReplaceAll(k.KeyID, "-", "")
		k.Arn = keyArn(req, k.KeyID)
	}
	tags, err := parseTags(list(in, "Tags"))
	if err != nil {
		return nil, err
	}
	if len(tags) > 0 {
		k.Tags = tags
	}
	if err := req.Store.Update(func(tx *store.Tx) error { return putKey(tx, k) }); err != nil {
		return nil, err
	}
	return map[string]any{"KeyMetadata": k.metadata()}, nil
}

func describeKey(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	var k *key
	// DescribeKey of alias/aws/<service> creates the AWS managed key, as the
	// first use by its service would.
	err := req.Store.Update(func(tx *store.Tx) error {
		var err error
		k, err = resolve(req, tx, str(req.Input, "KeyId"), true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyMetadata": k.metadata()}, nil
}

// page applies KMS's Limit (1-1000, default 100) and Marker to a sorted list
// of keys; the marker is the last key returned.
func page(in map[string]any, keys []string) (out []string, next string, err error) {
	limit := int64(100)
	if l, ok := integer(in, "Limit"); ok {
		if l < 1 || l > 1000 {
			return nil, "", errValidation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000", l)
		}
		limit = l
	}
	start := 0
	if m := str(in, "Marker"); m != "" {
		i := sort.SearchStrings(keys, m)
		if i >= len(keys) || keys[i] != m {
			return nil, "", errInvalidMarker()
		}
		start = i + 1
	}
	end := min(start+int(limit), len(keys))
	out = keys[start:end]
	if end < len(keys) {
		next = keys[end-1]
	}
	return out, next, nil
}

func listKeys(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	t := now(req)
	var ids []string
	arns := map[string]string{}
	err := req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket(keysBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k string, v []byte) error {
			var rec key
			if _, err := b.GetJSON(k, &rec); err != nil {
				return err
			}
			if !expired(&rec, t) {
				ids = append(ids, k)
				arns[k] = rec.Arn
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sel, next, err := page(req.Input, ids)
	if err != nil {
		return nil, err
	}
	keys := make([]any, 0, len(sel))
	for _, id := range sel {
		keys = append(keys, map[string]any{"KeyId": id, "KeyArn": arns[id]})
	}
	out := map[string]any{"Keys": keys, "Truncated": next != ""}
	if next != "" {
		out["NextMarker"] = next
	}
	return out, nil
}

func enableKey(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	_, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if k.State == "PendingDeletion" {
			return errInvalidState("%s is pending deletion.", k.Arn)
		}
		k.Enabled, k.State = true, "Enabled"
		return nil
	})
	return nil, err
}

func disableKey(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	_, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if k.State == "PendingDeletion" {
			return errInvalidState("%s is pending deletion.", k.Arn)
		}
		k.Enabled, k.State = false, "Disabled"
		return nil
	})
	return nil, err
}

func scheduleKeyDeletion(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	days := int64(30)
	if d, ok := integer(req.Input, "PendingWindowInDays"); ok {
		if d < 7 || d > 30 {
			return nil, errValidation("1 validation error detected: Value '%d' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30", d)
		}
		days = d
	}
	t := now(req)
	k, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if k.Manager == "AWS" {
			return errUnsupported("%s is an AWS managed key and cannot be deleted.", k.Arn)
		}
		if k.State == "PendingDeletion" {
			return errInvalidState("%s is pending deletion.", k.Arn)
		}
		k.Enabled, k.State = false, "PendingDeletion"
		k.PendingWindow = days
		k.DeletionDate = t.Add(time.Duration(days) * 24 * time.Hour)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyId": k.Arn, "DeletionDate": k.DeletionDate, "KeyState": k.State,
		"PendingWindowInDays": k.PendingWindow}, nil
}

func cancelKeyDeletion(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if k.State != "PendingDeletion" {
			return errInvalidState("%s is not pending deletion.", k.Arn)
		}
		// A key whose deletion is cancelled comes back disabled.
		k.State, k.Enabled = "Disabled", false
		k.DeletionDate, k.PendingWindow = time.Time{}, 0
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyId": k.Arn}, nil
}

func updateKeyDescription(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	_, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if k.State == "PendingDeletion" {
			return errInvalidState("%s is pending deletion.", k.Arn)
		}
		k.Description = str(req.Input, "Description")
		return nil
	})
	return nil, err
}

func enableKeyRotation(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	days := int64(365)
	if d, ok := integer(req.Input, "RotationPeriodInDays"); ok {
		if d < 90 || d > 2560 {
			return nil, errValidation("1 validation error detected: Value '%d' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560", d)
		}
		days = d
	}
	t := now(req)
	_, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if err := k.usable(); err != nil {
			return err
		}
		if k.Spec != "SYMMETRIC_DEFAULT" {
			return errUnsupported("%s key spec %s does not support automatic rotation.", k.Arn, k.Spec)
		}
		if k.Manager == "AWS" {
			return errUnsupported("%s is an AWS managed key; its rotation cannot be changed.", k.Arn)
		}
		k.Rotation, k.RotationDays, k.RotationStart = true, days, t
		return nil
	})
	return nil, err
}

func disableKeyRotation(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	_, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if err := k.usable(); err != nil {
			return err
		}
		if k.Spec != "SYMMETRIC_DEFAULT" {
			return errUnsupported("%s key spec %s does not support automatic rotation.", k.Arn, k.Spec)
		}
		if k.Manager == "AWS" {
			return errUnsupported("%s is an AWS managed key; its rotation cannot be changed.", k.Arn)
		}
		k.Rotation, k.RotationDays, k.RotationStart = false, 0, time.Time{}
		return nil
	})
	return nil, err
}

func getKeyRotationStatus(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, err := viewKey(req, str(req.Input, "KeyId"))
	if err != nil {
		return nil, err
	}
	if k.State == "PendingDeletion" {
		return nil, errInvalidState("%s is pending deletion.", k.Arn)
	}
	if k.Spec != "SYMMETRIC_DEFAULT" {
		return nil, errUnsupported("%s key spec %s does not support automatic rotation.", k.Arn, k.Spec)
	}
	out := map[string]any{"KeyId": k.Arn, "KeyRotationEnabled": k.Rotation}
	if k.Rotation {
		out["RotationPeriodInDays"] = k.RotationDays
		out["NextRotationDate"] = k.RotationStart.Add(time.Duration(k.RotationDays) * 24 * time.Hour)
	}
	return out, nil
}

func policyName(in map[string]any) (string, error) {
	n := str(in, "PolicyName")
	if n == "" {
		n = "default"
	}
	if n != "default" {
		return "", errNotFound("No such policy exists")
	}
	return n, nil
}

func getKeyPolicy(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, err := policyName(req.Input)
	if err != nil {
		return nil, err
	}
	k, err := viewKey(req, str(req.Input, "KeyId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Policy": k.Policy, "PolicyName": name}, nil
}

func putKeyPolicy(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	if _, err := policyName(req.Input); err != nil {
		return nil, err
	}
	policy := str(req.Input, "Policy")
	if !validPolicy(policy) {
		return nil, emulator.Errorf("MalformedPolicyDocumentException", 400, "The new key policy will not allow you to update the key policy in the future.")
	}
	_, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if k.State == "PendingDeletion" {
			return errInvalidState("%s is pending deletion.", k.Arn)
		}
		k.Policy = policy
		return nil
	})
	return nil, err
}

func listKeyPolicies(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	if _, err := viewKey(req, str(req.Input, "KeyId")); err != nil {
		return nil, err
	}
	return map[string]any{"PolicyNames": []any{"default"}, "Truncated": false}, nil
}

func parseTags(l []any) (map[string]string, error) {
	tags := map[string]string{}
	for _, t := range l {
		m, _ := t.(map[string]any)
		k, v := str(m, "TagKey"), str(m, "TagValue")
		if k == "" {
			return nil, errTag("Tag keys must not be empty")
		}
		if strings.HasPrefix(k, "aws:") {
			return nil, errTag("Tags beginning with aws: are reserved")
		}
		tags[k] = v
	}
	if len(tags) > 50 {
		return nil, errTag("Too many tags: %d (at most 50)", len(tags))
	}
	return tags, nil
}

func tagResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	tags, err := parseTags(list(req.Input, "Tags"))
	if err != nil {
		return nil, err
	}
	_, err = updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if k.State == "PendingDeletion" {
			return errInvalidState("%s is pending deletion.", k.Arn)
		}
		if k.Tags == nil {
			k.Tags = map[string]string{}
		}
		for t, v := range tags {
			k.Tags[t] = v
		}
		if len(k.Tags) > 50 {
			return errTag("Too many tags: %d (at most 50)", len(k.Tags))
		}
		return nil
	})
	return nil, err
}

func untagResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	_, err := updateKey(req, str(req.Input, "KeyId"), func(k *key) error {
		if k.State == "PendingDeletion" {
			return errInvalidState("%s is pending deletion.", k.Arn)
		}
		for _, t := range list(req.Input, "TagKeys") {
			s, _ := t.(string)
			delete(k.Tags, s)
		}
		return nil
	})
	return nil, err
}

func listResourceTags(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, err := viewKey(req, str(req.Input, "KeyId"))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(k.Tags))
	for n := range k.Tags {
		names = append(names, n)
	}
	sort.Strings(names)
	sel, next, err := page(req.Input, names)
	if err != nil {
		return nil, err
	}
	tags := make([]any, 0, len(sel))
	for _, n := range sel {
		tags = append(tags, map[string]any{"TagKey": n, "TagValue": k.Tags[n]})
	}
	out := map[string]any{"Tags": tags, "Truncated": next != ""}
	if next != "" {
		out["NextMarker"] = next
	}
	return out, nil
}

// validPolicy checks that a key policy is a JSON object; KMS evaluates
// nothing else, and neither does fakecloud.
func validPolicy(p string) bool {
	var doc map[string]any
	return p != "" && json.Unmarshal([]byte(p), &doc) == nil
}
