package secretsmanager

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

const (
	secretsBucket = "secrets"
	current       = "AWSCURRENT"
	previous      = "AWSPREVIOUS"
	pending       = "AWSPENDING"
	maxValueSize  = 65536
)

type version struct {
	ID       string    `json:"id"`
	Created  time.Time `json:"created"`
	Accessed time.Time `json:"accessed,omitzero"`
	Stages   []string  `json:"stages"`
	Binary   bool      `json:"binary,omitempty"`
	DataKey  []byte    `json:"dataKey"` // KMS ciphertext blob of the data key
	Sealed   []byte    `json:"sealed"`  // nonce | AES-GCM(value)
}

type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type secret struct {
	Name         string              `json:"name"`
	ARN          string              `json:"arn"`
	Description  string              `json:"description,omitempty"`
	KmsKeyID     string              `json:"kmsKeyId,omitempty"`
	Tags         []tag               `json:"tags,omitempty"`
	Created      time.Time           `json:"created"`
	Changed      time.Time           `json:"changed"`
	Accessed     time.Time           `json:"accessed,omitzero"`
	Deleted      time.Time           `json:"deleted,omitzero"`
	Policy       string              `json:"policy,omitempty"`
	Versions     map[string]*version `json:"versions"`
	Order        []string            `json:"order"` // version ids, oldest first
	Rotation     bool                `json:"rotation,omitempty"`
	RotationARN  string              `json:"rotationArn,omitempty"`
	RotationRule *rotationRules      `json:"rotationRules,omitempty"`
	Rotated      time.Time           `json:"rotated,omitzero"`
}

type rotationRules struct {
	Days     int64  `json:"days,omitempty"`
	Duration string `json:"duration,omitempty"`
	Schedule string `json:"schedule,omitempty"`
}

// gone reports whether a scheduled deletion has happened: from DeletionDate
// on, the secret no longer exists.
func (s *secret) gone(t time.Time) bool { return !s.Deleted.IsZero() && !t.Before(s.Deleted) }

func (s *secret) stageVersion(stage string) *version {
	for _, id := range s.Order {
		if slices.Contains(s.Versions[id].Stages, stage) {
			return s.Versions[id]
		}
	}
	return nil
}

// moveStage attaches stage to v, taking it from whichever version had it;
// moving AWSCURRENT gives the old current version AWSPREVIOUS.
func (s *secret) moveStage(stage string, v *version) {
	var old *version
	for _, o := range s.Versions {
		if i := slices.Index(o.Stages, stage); i >= 0 && o != v {
			o.Stages = slices.Delete(o.Stages, i, i+1)
			old = o
		}
	}
	if !slices.Contains(v.Stages, stage) {
		v.Stages = append(v.Stages, stage)
	}
	if stage == current && old != nil {
		s.moveStage(previous, old)
	}
}

func (s *secret) versionsToStages() map[string]any {
	m := map[string]any{}
	for id, v := range s.Versions {
		if len(v.Stages) > 0 {
			st := make([]any, len(v.Stages))
			for i, x := range v.Stages {
				st[i] = x
			}
			m[id] = st
		}
	}
	return m
}

// pruneVersions keeps at most 100 versions, dropping the oldest ones without
// staging labels (AWS's quota).
func (s *secret) pruneVersions() {
	for len(s.Order) > 100 {
		i := slices.IndexFunc(s.Order, func(id string) bool { return len(s.Versions[id].Stages) == 0 })
		if i < 0 {
			return
		}
		delete(s.Versions, s.Order[i])
		s.Order = slices.Delete(s.Order, i, i+1)
	}
}

const suffixChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func newARN(req *emulator.Request, name string) string {
	b := req.IDs.Bytes(6)
	for i := range b {
		b[i] = suffixChars[int(b[i])%len(suffixChars)]
	}
	return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", req.Region, req.Account, name, b)
}

// nameOf maps a SecretId (name or ARN) to the stored name.
func nameOf(id string) string {
	if strings.HasPrefix(id, "arn:") {
		if i := strings.Index(id, ":secret:"); i >= 0 {
			n := id[i+len(":secret:"):]
			if len(n) > 7 && n[len(n)-7] == '-' {
				return n[:len(n)-7]
			}
			return n
		}
	}
	return id
}

func getSecret(tx *store.Tx, req *emulator.Request, id string) (*secret, error) {
	b := tx.Bucket(secretsBucket)
	if b == nil || id == "" {
		return nil, errNotFound()
	}
	var s secret
	ok, err := b.GetJSON(nameOf(id), &s)
	if err != nil {
		return nil, err
	}
	if !ok || s.gone(now(req)) || (strings.HasPrefix(id, "arn:") && id != s.ARN) {
		return nil, errNotFound()
	}
	return &s, nil
}

func putSecret(tx *store.Tx, s *secret) error {
	b, err := tx.CreateBucketIfNotExists(secretsBucket)
	if err != nil {
		return err
	}
	return b.PutJSON(s.Name, s)
}

// viewSecret reads a secret; live refuses one marked for deletion.
func viewSecret(req *emulator.Request, id string, live bool) (*secret, error) {
	var s *secret
	err := req.Store.View(func(tx *store.Tx) error {
		var err error
		s, err = getSecret(tx, req, id)
		return err
	})
	if err == nil && live && !s.Deleted.IsZero() {
		return nil, errMarkedForDeletion()
	}
	return s, err
}

// updateSecretRecord changes a live secret in one transaction.
func updateSecretRecord(req *emulator.Request, id string, fn func(s *secret) error) (*secret, error) {
	var s *secret
	err := req.Store.Update(func(tx *store.Tx) error {
		var err error
		if s, err = getSecret(tx, req, id); err != nil {
			return err
		}
		if !s.Deleted.IsZero() {
			return errMarkedForDeletion()
		}
		if err := fn(s); err != nil {
			return err
		}
		return putSecret(tx, s)
	})
	return s, err
}

// secretValue reads SecretString/SecretBinary from an input.
func secretValue(in map[string]any) (value []byte, binary, present bool, err error) {
	ss, hasS := in["SecretString"].(string)
	sb, hasB := in["SecretBinary"].([]byte)
	if hasS && hasB {
		return nil, false, false, errInvalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.")
	}
	switch {
	case hasS:
		value = []byte(ss)
	case hasB:
		value, binary = sb, true
	default:
		return nil, false, false, nil
	}
	if len(value) > maxValueSize {
		return nil, false, false, errInvalidParameter("The secret value exceeds the maximum size of %d bytes.", maxValueSize)
	}
	return value, binary, true, nil
}

func token(req *emulator.Request) (string, error) {
	t := str(req.Input, "ClientRequestToken")
	if t == "" {
		return req.IDs.UUID(), nil
	}
	if len(t) < 32 || len(t) > 64 {
		return "", errInvalidParameter("ClientRequestToken must be between 32 and 64 characters.")
	}
	return t, nil
}

// sameValue reports whether a stored version holds value: the idempotency
// check of a repeated ClientRequestToken.
func sameValue(ctx context.Context, req *emulator.Request, s *secret, v *version, value []byte, binary bool) (bool, error) {
	got, err := openValue(ctx, req, s.ARN, v.ID, v.DataKey, v.Sealed)
	if err != nil {
		return false, err
	}
	return v.Binary == binary && bytes.Equal(got, value), nil
}

// addVersion seals value as version vid of s (encrypting outside any store
// transaction: KMS has its own).
func addVersion(ctx context.Context, req *emulator.Request, s *secret, vid string, value []byte, binary bool) (*version, error) {
	dk, sealed, err := sealValue(ctx, req, s.KmsKeyID, s.ARN, vid, value)
	if err != nil {
		return nil, err
	}
	return &version{ID: vid, Created: now(req), Binary: binary, DataKey: dk, Sealed: sealed}, nil
}

func parseTags(l []any) []tag {
	var tags []tag
	for _, x := range l {
		m, _ := x.(map[string]any)
		tags = append(tags, tag{Key: str(m, "Key"), Value: str(m, "Value")})
	}
	return tags
}

func mergeTags(tags []tag, add []tag) []tag {
	for _, a := range add {
		if i := slices.IndexFunc(tags, func(t tag) bool { return t.Key == a.Key }); i >= 0 {
			tags[i].Value = a.Value
		} else {
			tags = append(tags, a)
		}
	}
	return tags
}

func createSecret(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	name := str(in, "Name")
	if name == "" || len(name) > 512 {
		return nil, errInvalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")
	}
	value, binary, hasValue, err := secretValue(in)
	if err != nil {
		return nil, err
	}
	tok, err := token(req)
	if err != nil {
		return nil, err
	}
	var existing *secret
	_ = req.Store.View(func(tx *store.Tx) error {
		existing, _ = getSecret(tx, req, name)
		return nil
	})
	if existing != nil {
		if !existing.Deleted.IsZero() {
			return nil, errInvalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.")
		}
		// A retried CreateSecret (same token, same value) succeeds again.
		if v := existing.Versions[tok]; v != nil && hasValue {
			same, err := sameValue(ctx, req, existing, v, value, binary)
			if err != nil {
				return nil, err
			}
			if same {
				return map[string]any{"ARN": existing.ARN, "Name": existing.Name, "VersionId": tok}, nil
			}
		}
		return nil, errExists("The operation failed because the secret %s already exists.", name)
	}
	t := now(req)
	s := &secret{Name: name, ARN: newARN(req, name), Description: str(in, "Description"), KmsKeyID: str(in, "KmsKeyId"),
		Tags: parseTags(list(in, "Tags")), Created: t, Changed: t, Versions: map[string]*version{}}
	if hasValue {
		v, err := addVersion(ctx, req, s, tok, value, binary)
		if err != nil {
			return nil, err
		}
		v.Stages = []string{current}
		s.Versions[tok] = v
		s.Order = append(s.Order, tok)
	}
	err = req.Store.Update(func(tx *store.Tx) error {
		if _, err := getSecret(tx, req, name); err == nil {
			return errExists("The operation failed because the secret %s already exists.", name)
		}
		return putSecret(tx, s)
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"ARN": s.ARN, "Name": s.Name}
	if hasValue {
		out["VersionId"] = tok
	}
	return out, nil
}

// storeVersion adds a new version with stages (AWSCURRENT by default) or
// answers idempotently for a repeated token.
func storeVersion(ctx context.Context, req *emulator.Request, id string, value []byte, binary bool, stages []string) (*secret, *version, error) {
	tok, err := token(req)
	if err != nil {
		return nil, nil, err
	}
	s, err := viewSecret(req, id, true)
	if err != nil {
		return nil, nil, err
	}
	if v := s.Versions[tok]; v != nil {
		same, err := sameValue(ctx, req, s, v, value, binary)
		if err != nil {
			return nil, nil, err
		}
		if !same {
			return nil, nil, errExists("You can't modify an existing version, you can only create a new version.")
		}
		return s, v, nil
	}
	nv, err := addVersion(ctx, req, s, tok, value, binary)
	if err != nil {
		return nil, nil, err
	}
	s, err = updateSecretRecord(req, id, func(s *secret) error {
		if s.Versions[tok] != nil {
			return errExists("You can't modify an existing version, you can only create a new version.")
		}
		s.Versions[tok] = nv
		s.Order = append(s.Order, tok)
		for _, st := range stages {
			s.moveStage(st, nv)
		}
		s.Changed = now(req)
		s.pruneVersions()
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return s, s.Versions[tok], nil
}

func stagesOf(l []any) []string {
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func anyStrings(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

func putSecretValue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	value, binary, has, err := secretValue(req.Input)
	if err != nil {
		return nil, err
	}
	if !has {
		return nil, errInvalidParameter("You must provide either SecretString or SecretBinary.")
	}
	stages := stagesOf(list(req.Input, "VersionStages"))
	if _, given := req.Input["VersionStages"]; !given {
		stages = []string{current}
	}
	s, v, err := storeVersion(ctx, req, str(req.Input, "SecretId"), value, binary, stages)
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name, "VersionId": v.ID, "VersionStages": anyStrings(v.Stages)}, nil
}

func updateSecret(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	value, binary, has, err := secretValue(in)
	if err != nil {
		return nil, err
	}
	id := str(in, "SecretId")
	s, err := updateSecretRecord(req, id, func(s *secret) error {
		if d, ok := in["Description"].(string); ok {
			s.Description = d
		}
		if k, ok := in["KmsKeyId"].(string); ok {
			s.KmsKeyID = k
		}
		s.Changed = now(req)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"ARN": s.ARN, "Name": s.Name}
	if has {
		_, v, err := storeVersion(ctx, req, id, value, binary, []string{current})
		if err != nil {
			return nil, err
		}
		out["VersionId"] = v.ID
	}
	return out, nil
}

func updateSecretVersionStage(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	stage := str(in, "VersionStage")
	from, to := str(in, "RemoveFromVersionId"), str(in, "MoveToVersionId")
	s, err := updateSecretRecord(req, str(in, "SecretId"), func(s *secret) error {
		holder := s.stageVersion(stage)
		if to != "" && s.Versions[to] == nil {
			return errInvalidParameter("Secrets Manager can't find the specified secret value for VersionId: %s", to)
		}
		if holder != nil && holder.ID != to && from != holder.ID {
			return errInvalidParameter("The parameter RemoveFromVersionId can't be empty. Staging label %s is currently attached to version %s, so you must explicitly reference that version in RemoveFromVersionId.", stage, holder.ID)
		}
		if from != "" {
			if holder == nil || holder.ID != from {
				return errInvalidParameter("The staging label %s is not attached to version %s.", stage, from)
			}
			if to == "" && stage == current {
				return errInvalidParameter("You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.")
			}
			if to == "" {
				i := slices.Index(holder.Stages, stage)
				holder.Stages = slices.Delete(holder.Stages, i, i+1)
			}
		}
		if to != "" {
			s.moveStage(stage, s.Versions[to])
		}
		s.Changed = now(req)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

// readValue returns the output of GetSecretValue for one secret.
func readValue(ctx context.Context, req *emulator.Request, id, versionID, stage string) (map[string]any, error) {
	s, err := viewSecret(req, id, true)
	if err != nil {
		return nil, err
	}
	var v *version
	switch {
	case versionID != "":
		if v = s.Versions[versionID]; v == nil {
			return nil, errVersionNotFound("VersionId", versionID)
		}
		if stage != "" && !slices.Contains(v.Stages, stage) {
			return nil, errInvalidRequest("You provided a VersionStage that is not associated to the provided VersionId.")
		}
	default:
		if stage == "" {
			stage = current
		}
		if v = s.stageVersion(stage); v == nil {
			return nil, errVersionNotFound("staging label", stage)
		}
	}
	value, err := openValue(ctx, req, s.ARN, v.ID, v.DataKey, v.Sealed)
	if err != nil {
		return nil, err
	}
	// LastAccessedDate is a date, rounded to the day as AWS reports it.
	day := now(req).Truncate(24 * time.Hour)
	if !s.Accessed.Equal(day) || !v.Accessed.Equal(day) {
		_, _ = updateSecretRecord(req, id, func(s *secret) error {
			s.Accessed = day
			if sv := s.Versions[v.ID]; sv != nil {
				sv.Accessed = day
			}
			return nil
		})
	}
	out := map[string]any{"ARN": s.ARN, "Name": s.Name, "VersionId": v.ID,
		"VersionStages": anyStrings(v.Stages), "CreatedDate": v.Created}
	if v.Binary {
		out["SecretBinary"] = value
	} else {
		out["SecretString"] = string(value)
	}
	return out, nil
}

func getSecretValue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	return readValue(ctx, req, str(in, "SecretId"), str(in, "VersionId"), str(in, "VersionStage"))
}

func (s *secret) describe() map[string]any {
	out := map[string]any{"ARN": s.ARN, "Name": s.Name, "CreatedDate": s.Created, "LastChangedDate": s.Changed,
		"VersionIdsToStages": s.versionsToStages()}
	if s.Description != "" {
		out["Description"] = s.Description
	}
	if s.KmsKeyID != "" {
		out["KmsKeyId"] = s.KmsKeyID
	}
	if len(s.Tags) > 0 {
		tags := make([]any, len(s.Tags))
		for i, t := range s.Tags {
			tags[i] = map[string]any{"Key": t.Key, "Value": t.Value}
		}
		out["Tags"] = tags
	}
	if !s.Accessed.IsZero() {
		out["LastAccessedDate"] = s.Accessed
	}
	if !s.Deleted.IsZero() {
		out["DeletedDate"] = s.Deleted
	}
	if s.RotationARN != "" || s.Rotation {
		out["RotationEnabled"] = s.Rotation
	}
	if s.RotationARN != "" {
		out["RotationLambdaARN"] = s.RotationARN
	}
	if r := s.RotationRule; r != nil {
		rules := map[string]any{}
		if r.Days > 0 {
			rules["AutomaticallyAfterDays"] = r.Days
		}
		if r.Duration != "" {
			rules["Duration"] = r.Duration
		}
		if r.Schedule != "" {
			rules["ScheduleExpression"] = r.Schedule
		}
		out["RotationRules"] = rules
		if days := r.Days; days > 0 && s.Rotation {
			base := s.Rotated
			if base.IsZero() {
				base = s.Created
			}
			out["NextRotationDate"] = base.Add(time.Duration(days) * 24 * time.Hour)
		}
	}
	if !s.Rotated.IsZero() {
		out["LastRotatedDate"] = s.Rotated
	}
	return out
}

func describeSecret(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	s, err := viewSecret(req, str(req.Input, "SecretId"), false)
	if err != nil {
		return nil, err
	}
	return s.describe(), nil
}

func deleteSecret(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	force, _ := boolean(in, "ForceDeleteWithoutRecovery")
	days, hasDays := integer(in, "RecoveryWindowInDays")
	if force && hasDays {
		return nil, errInvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	if !hasDays {
		days = 30
	}
	if !force && (days < 7 || days > 30) {
		return nil, errInvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
	}
	t := now(req)
	s, err := updateSecretRecord(req, str(in, "SecretId"), func(s *secret) error {
		if force {
			s.Deleted = t
		} else {
			s.Deleted = t.Add(time.Duration(days) * 24 * time.Hour)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if force {
		err = req.Store.Update(func(tx *store.Tx) error { return tx.Bucket(secretsBucket).Delete(s.Name) })
		if err != nil {
			return nil, err
		}
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name, "DeletionDate": s.Deleted}, nil
}

func restoreSecret(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	var s *secret
	err := req.Store.Update(func(tx *store.Tx) error {
		var err error
		if s, err = getSecret(tx, req, str(req.Input, "SecretId")); err != nil {
			return err
		}
		s.Deleted = time.Time{}
		return putSecret(tx, s)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

func tagResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	_, err := updateSecretRecord(req, str(req.Input, "SecretId"), func(s *secret) error {
		s.Tags = mergeTags(s.Tags, parseTags(list(req.Input, "Tags")))
		if len(s.Tags) > 50 {
			return errInvalidParameter("Number of tags exceeds the limit of 50.")
		}
		return nil
	})
	return nil, err
}

func untagResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	keys := stagesOf(list(req.Input, "TagKeys"))
	_, err := updateSecretRecord(req, str(req.Input, "SecretId"), func(s *secret) error {
		s.Tags = slices.DeleteFunc(s.Tags, func(t tag) bool { return slices.Contains(keys, t.Key) })
		return nil
	})
	return nil, err
}

func putResourcePolicy(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	p := str(req.Input, "ResourcePolicy")
	var doc map[string]any
	if json.Unmarshal([]byte(p), &doc) != nil {
		return nil, errMalformedPolicy("This resource policy contains an unsupported operation.")
	}
	s, err := updateSecretRecord(req, str(req.Input, "SecretId"), func(s *secret) error {
		s.Policy = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

func getResourcePolicy(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	s, err := viewSecret(req, str(req.Input, "SecretId"), true)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"ARN": s.ARN, "Name": s.Name}
	if s.Policy != "" {
		out["ResourcePolicy"] = s.Policy
	}
	return out, nil
}

func deleteResourcePolicy(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	s, err := updateSecretRecord(req, str(req.Input, "SecretId"), func(s *secret) error {
		s.Policy = ""
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

// sortedNames lists the secret names of the namespace.
func allSecrets(req *emulator.Request) ([]*secret, error) {
	var out []*secret
	t := now(req)
	err := req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket(secretsBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k string, _ []byte) error {
			var s secret
			if _, err := b.GetJSON(k, &s); err != nil {
				return err
			}
			if !s.gone(t) {
				out = append(out, &s)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}
