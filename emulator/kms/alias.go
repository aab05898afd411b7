package kms

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// alias_ is one alias as stored (the name "alias" is the resource family).
type alias_ struct {
	Name        string    `json:"name"`
	TargetKeyID string    `json:"targetKeyId"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

var aliasPattern = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]+$`)

func getAlias(tx *store.Tx, name string) (*alias_, bool, error) {
	b := tx.Bucket(aliasesBucket)
	if b == nil {
		return nil, false, nil
	}
	var a alias_
	ok, err := b.GetJSON(name, &a)
	if err != nil || !ok {
		return nil, false, err
	}
	return &a, true, nil
}

func putAlias(tx *store.Tx, a *alias_) error {
	b, err := tx.CreateBucketIfNotExists(aliasesBucket)
	if err != nil {
		return err
	}
	return b.PutJSON(a.Name, a)
}

func checkAliasName(name string) error {
	if len(name) > 256 || !aliasPattern.MatchString(name) {
		return errValidation("1 validation error detected: Value '%s' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$", name)
	}
	if strings.HasPrefix(name, "alias/aws/") {
		// The prefix belongs to AWS managed keys.
		return errNotAuthorized("")
	}
	return nil
}

// aliasTarget resolves TargetKeyId, which must be a key id or key ARN.
func aliasTarget(req *emulator.Request, tx *store.Tx, target string) (*key, error) {
	if strings.HasPrefix(target, "alias/") || strings.Contains(target, ":alias/") {
		return nil, errValidation("Aliases must refer to keys. Not aliases")
	}
	k, err := resolve(req, tx, target, false)
	if err != nil {
		return nil, err
	}
	if k.State == "PendingDeletion" {
		return nil, errInvalidState("%s is pending deletion.", k.Arn)
	}
	return k, nil
}

func createAlias(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "AliasName")
	if err := checkAliasName(name); err != nil {
		return nil, err
	}
	t := now(req)
	return nil, req.Store.Update(func(tx *store.Tx) error {
		if _, ok, err := getAlias(tx, name); err != nil {
			return err
		} else if ok {
			return errAlreadyExists("An alias with the name %s already exists", aliasArn(req, name))
		}
		k, err := aliasTarget(req, tx, str(req.Input, "TargetKeyId"))
		if err != nil {
			return err
		}
		return putAlias(tx, &alias_{Name: name, TargetKeyID: k.KeyID, Created: t, Updated: t})
	})
}

func updateAlias(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "AliasName")
	if err := checkAliasName(name); err != nil {
		return nil, err
	}
	t := now(req)
	return nil, req.Store.Update(func(tx *store.Tx) error {
		a, ok, err := getAlias(tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return errAliasNotFound(aliasArn(req, name))
		}
		k, err := aliasTarget(req, tx, str(req.Input, "TargetKeyId"))
		if err != nil {
			return err
		}
		old, found, err := getKey(tx, a.TargetKeyID)
		if err != nil {
			return err
		}
		// An alias moves only between keys of the same type and usage.
		if found && (old.Spec != k.Spec || old.Usage != k.Usage) {
			return errValidation("Alias %s cannot be changed from a key of type %s/%s to %s/%s", name, old.Spec, old.Usage, k.Spec, k.Usage)
		}
		a.TargetKeyID, a.Updated = k.KeyID, t
		return putAlias(tx, a)
	})
}

func deleteAlias(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input, "AliasName")
	if err := checkAliasName(name); err != nil {
		return nil, err
	}
	return nil, req.Store.Update(func(tx *store.Tx) error {
		if _, ok, err := getAlias(tx, name); err != nil {
			return err
		} else if !ok {
			return errAliasNotFound(aliasArn(req, name))
		}
		return tx.Bucket(aliasesBucket).Delete(name)
	})
}

func listAliases(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	filter := ""
	if id := str(req.Input, "KeyId"); id != "" {
		k, err := viewKey(req, id)
		if err != nil {
			return nil, err
		}
		filter = k.KeyID
	}
	var all []alias_
	err := req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket(aliasesBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k string, _ []byte) error {
			var a alias_
			if _, err := b.GetJSON(k, &a); err != nil {
				return err
			}
			if filter == "" || a.TargetKeyID == filter {
				all = append(all, a)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(all))
	byName := map[string]alias_{}
	for i, a := range all {
		names[i] = a.Name
		byName[a.Name] = a
	}
	sort.Strings(names)
	sel, next, err := page(req.Input, names)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(sel))
	for _, n := range sel {
		a := byName[n]
		out = append(out, map[string]any{"AliasName": a.Name, "AliasArn": aliasArn(req, a.Name),
			"TargetKeyId": a.TargetKeyID, "CreationDate": a.Created, "LastUpdatedDate": a.Updated})
	}
	res := map[string]any{"Aliases": out, "Truncated": next != ""}
	if next != "" {
		res["NextMarker"] = next
	}
	return res, nil
}
