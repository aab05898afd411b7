package ssm

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// maxResults reads MaxResults, 1..limit, defaulting to def.
func maxResults(in map[string]any, def, limit int64) (int, error) {
	n, ok := integer(in, "MaxResults")
	if !ok {
		return int(def), nil
	}
	if n < 1 || n > limit {
		return 0, errValidation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to %d", n, limit)
	}
	return int(n), nil
}

// Tokens are opaque to clients: "o:<offset>" for history pages, "n:<name>"
// (the last name returned) for name-ordered listings.
func makeOffsetToken(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(n)))
}

func offsetToken(tok string) (int, error) {
	if tok == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	s, ok := strings.CutPrefix(string(b), "o:")
	if err != nil || !ok {
		return 0, errInvalidNextToken()
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, errInvalidNextToken()
	}
	return n, nil
}

func makeNameToken(name string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("n:" + name))
}

func nameToken(tok string) (string, error) {
	if tok == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	s, ok := strings.CutPrefix(string(b), "n:")
	if err != nil || !ok || s == "" {
		return "", errInvalidNextToken()
	}
	return s, nil
}

// filter is one ParameterStringFilter, validated.
type filter struct {
	Key, Option string
	Values      []string
}

func parseFilters(raw []any, byPath bool) ([]filter, error) {
	var fs []filter
	for _, r := range raw {
		m, _ := r.(map[string]any)
		f := filter{Key: str(m, "Key"), Option: str(m, "Option"), Values: strs(m, "Values")}
		allowed := []string{"Name", "Type", "KeyId", "Path", "Tier", "DataType"}
		if byPath {
			allowed = []string{"Type", "KeyId", "Label"}
		}
		isTag := strings.HasPrefix(f.Key, "tag:") && len(f.Key) > 4
		if !isTag && !slices.Contains(allowed, f.Key) {
			if byPath && slices.Contains([]string{"Name", "Path", "Tier", "DataType"}, f.Key) {
				return nil, errFilterKey("The following filter key is not valid: %s. Valid filter keys include: [Type, KeyId, Label].", f.Key)
			}
			return nil, errFilterKey("The following filter key is not valid: %s. Valid filter keys include: [%s].", f.Key, strings.Join(allowed, ", "))
		}
		if slices.ContainsFunc(fs, func(o filter) bool { return o.Key == f.Key }) {
			return nil, errFilterKey("The following filter is duplicated in the request: %s. A request can contain only one occurrence of a specific filter.", f.Key)
		}
		switch {
		case f.Key == "Path":
			if f.Option == "" {
				f.Option = "OneLevel"
			}
			if f.Option != "OneLevel" && f.Option != "Recursive" {
				return nil, errFilterOption("The following filter option is not valid: %s. Valid options include: [Recursive, OneLevel].", f.Option)
			}
			for _, v := range f.Values {
				if !strings.HasPrefix(v, "/") {
					return nil, errFilterValue("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".")
				}
			}
		case f.Key == "Name" || isTag:
			if f.Option == "" {
				f.Option = "Equals"
			}
			if f.Option != "Equals" && f.Option != "BeginsWith" && !(f.Key == "Name" && f.Option == "Contains") {
				return nil, errFilterOption("The following filter option is not valid: %s. Valid options include: [BeginsWith, Equals].", f.Option)
			}
		default:
			if f.Option == "" {
				f.Option = "Equals"
			}
			if f.Option != "Equals" && !(f.Key == "KeyId" && f.Option == "BeginsWith") {
				return nil, errFilterOption("The following filter option is not valid: %s. Valid options include: [Equals].", f.Option)
			}
		}
		if len(f.Values) == 0 && !isTag {
			return nil, errFilterValue("The following filter values are missing : null for filter key %s.", f.Key)
		}
		fs = append(fs, f)
	}
	return fs, nil
}

func match(option, have, want string) bool {
	switch option {
	case "BeginsWith":
		return strings.HasPrefix(have, want)
	case "Contains":
		return strings.Contains(have, want)
	}
	return have == want
}

// underPath reports whether name lies under path: directly (OneLevel) or at
// any depth (Recursive).
func underPath(name, path string, recursive bool) bool {
	if !strings.HasPrefix(name, "/") {
		return false
	}
	prefix := strings.TrimSuffix(path, "/") + "/"
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || rest == "" {
		return false
	}
	return recursive || !strings.Contains(rest, "/")
}

func (f filter) matches(p *param) bool {
	v := p.latest()
	anyOf := func(have string) bool {
		return slices.ContainsFunc(f.Values, func(want string) bool { return match(f.Option, have, want) })
	}
	switch f.Key {
	case "Name":
		return slices.ContainsFunc(f.Values, func(want string) bool {
			// SSM compares fully qualified names: "a" finds "/a" too.
			return match(f.Option, p.Name, want) || (!strings.HasPrefix(want, "/") && match(f.Option, p.Name, "/"+want))
		})
	case "Type":
		return anyOf(v.Type)
	case "KeyId":
		return v.KeyID != "" && anyOf(v.KeyID)
	case "Tier":
		return anyOf(v.Tier)
	case "DataType":
		return anyOf(v.DataType)
	case "Path":
		return slices.ContainsFunc(f.Values, func(path string) bool { return underPath(p.Name, path, f.Option == "Recursive") })
	case "Label":
		return slices.ContainsFunc(p.Versions, func(pv *pversion) bool {
			return slices.ContainsFunc(pv.Labels, anyOf)
		})
	}
	key := strings.TrimPrefix(f.Key, "tag:")
	for _, t := range p.Tags {
		if t.Key == key && (len(f.Values) == 0 || anyOf(t.Value)) {
			return true
		}
	}
	return false
}

// scan walks the parameters in name order after the token's name, keeping
// those keep accepts, up to max; it returns the next token when more remain.
func scan(req *emulator.Request, token string, max int, keep func(p *param) bool) ([]*param, string, error) {
	after, err := nameToken(token)
	if err != nil {
		return nil, "", err
	}
	var out []*param
	next := ""
	err = req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket(paramsBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k string, raw []byte) error {
			if next != "" || raw == nil || (after != "" && k <= after) {
				return nil
			}
			var p param
			if err := json.Unmarshal(raw, &p); err != nil {
				return err
			}
			if len(p.Versions) == 0 || !keep(&p) {
				return nil
			}
			if len(out) == max {
				next = makeNameToken(out[len(out)-1].Name)
				return nil
			}
			out = append(out, &p)
			return nil
		})
	})
	return out, next, err
}

func getParametersByPath(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	path := str(in, "Path")
	if !strings.HasPrefix(path, "/") || (path != "/" && validName(strings.TrimSuffix(path, "/")) != nil) {
		return nil, errValidation("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.")
	}
	max, err := maxResults(in, 10, 10)
	if err != nil {
		return nil, err
	}
	fs, err := parseFilters(list(in, "ParameterFilters"), true)
	if err != nil {
		return nil, err
	}
	recursive := boolean(in, "Recursive")
	ps, next, err := scan(req, str(in, "NextToken"), max, func(p *param) bool {
		if !underPath(p.Name, path, recursive) {
			return false
		}
		for _, f := range fs {
			if !f.matches(p) {
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, p := range ps {
		o, err := paramOut(ctx, req, p, p.latest(), "", boolean(in, "WithDecryption"))
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	res := map[string]any{"Parameters": out}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}

func describeParameters(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	max, err := maxResults(in, 50, 50)
	if err != nil {
		return nil, err
	}
	old, pf := list(in, "Filters"), list(in, "ParameterFilters")
	if len(old) > 0 && len(pf) > 0 {
		return nil, errValidation("You can use either Filters or ParameterFilters in a single request.")
	}
	// The deprecated Filters (Name, Type, KeyId) match names by prefix.
	for _, r := range old {
		m, _ := r.(map[string]any)
		k := str(m, "Key")
		if k != "Name" && k != "Type" && k != "KeyId" {
			return nil, errFilterKey("The following filter key is not valid: %s. Valid filter keys include: [Name, Type, KeyId].", k)
		}
		opt := "Equals"
		if k == "Name" {
			opt = "BeginsWith"
		}
		pf = append(pf, map[string]any{"Key": k, "Option": opt, "Values": m["Values"]})
	}
	fs, err := parseFilters(pf, false)
	if err != nil {
		return nil, err
	}
	ps, next, err := scan(req, str(in, "NextToken"), max, func(p *param) bool {
		for _, f := range fs {
			if !f.matches(p) {
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, p := range ps {
		v := p.latest()
		m := map[string]any{
			"Name": p.Name, "ARN": arnOf(req, p.Name), "Type": v.Type, "LastModifiedDate": v.Modified,
			"LastModifiedUser": v.User, "Version": v.Version, "Tier": v.Tier, "Policies": policiesOut(v.Policies), "DataType": v.DataType,
		}
		if v.KeyID != "" {
			m["KeyId"] = v.KeyID
		}
		if v.Description != "" {
			m["Description"] = v.Description
		}
		if v.AllowedPattern != "" {
			m["AllowedPattern"] = v.AllowedPattern
		}
		out = append(out, m)
	}
	res := map[string]any{"Parameters": out}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}
