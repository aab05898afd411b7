package secretsmanager

import (
	"context"
	"slices"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
)

// matches applies ListSecrets filters: each filter's values are ORed,
// filters are ANDed; values match by prefix, case-sensitively, and a leading
// "!" negates.
func matches(s *secret, filters []any) (bool, error) {
	for _, f := range filters {
		fm, _ := f.(map[string]any)
		key := str(fm, "Key")
		var fields []string
		switch key {
		case "name":
			fields = []string{s.Name}
		case "description":
			fields = []string{s.Description}
		case "tag-key":
			for _, t := range s.Tags {
				fields = append(fields, t.Key)
			}
		case "tag-value":
			for _, t := range s.Tags {
				fields = append(fields, t.Value)
			}
		case "all":
			fields = []string{s.Name, s.Description}
			for _, t := range s.Tags {
				fields = append(fields, t.Key, t.Value)
			}
		case "primary-region", "owning-service":
		default:
			return false, errInvalidParameter("Invalid filter key: %s", key)
		}
		any := false
		for _, v := range stagesOf(list(fm, "Values")) {
			neg := strings.HasPrefix(v, "!")
			v = strings.TrimPrefix(v, "!")
			hit := slices.ContainsFunc(fields, func(f string) bool { return strings.HasPrefix(f, v) })
			if hit != neg {
				any = true
			}
		}
		if !any {
			return false, nil
		}
	}
	return true, nil
}

// pageOf applies MaxResults (default and cap 100) and a NextToken that is
// the name of the next item.
func pageOf[T any](in map[string]any, items []T, name func(T) string) ([]T, string, error) {
	limit := int64(100)
	if m, ok := integer(in, "MaxResults"); ok {
		if m < 1 || m > 100 {
			return nil, "", errInvalidParameter("MaxResults must be between 1 and 100.")
		}
		limit = m
	}
	start := 0
	if tok := str(in, "NextToken"); tok != "" {
		start = slices.IndexFunc(items, func(x T) bool { return name(x) == tok })
		if start < 0 {
			return nil, "", errInvalidNextToken()
		}
	}
	end := min(start+int(limit), len(items))
	next := ""
	if end < len(items) {
		next = name(items[end])
	}
	return items[start:end], next, nil
}

func listSecrets(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	all, err := allSecrets(req)
	if err != nil {
		return nil, err
	}
	withDeleted, _ := boolean(req.Input, "IncludePlannedDeletion")
	var sel []*secret
	for _, s := range all {
		if !s.Deleted.IsZero() && !withDeleted {
			continue
		}
		ok, err := matches(s, list(req.Input, "Filters"))
		if err != nil {
			return nil, err
		}
		if ok {
			sel = append(sel, s)
		}
	}
	if str(req.Input, "SortOrder") == "desc" {
		slices.Reverse(sel)
	}
	pg, next, err := pageOf(req.Input, sel, func(s *secret) string { return s.Name })
	if err != nil {
		return nil, err
	}
	entries := make([]any, 0, len(pg))
	for _, s := range pg {
		d := s.describe()
		d["SecretVersionsToStages"] = d["VersionIdsToStages"]
		delete(d, "VersionIdsToStages")
		entries = append(entries, d)
	}
	out := map[string]any{"SecretList": entries}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

func listSecretVersionIDs(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	s, err := viewSecret(req, str(req.Input, "SecretId"), false)
	if err != nil {
		return nil, err
	}
	deprecated, _ := boolean(req.Input, "IncludeDeprecated")
	var ids []string
	for _, id := range s.Order {
		if len(s.Versions[id].Stages) > 0 || deprecated {
			ids = append(ids, id)
		}
	}
	pg, next, err := pageOf(req.Input, ids, func(s string) string { return s })
	if err != nil {
		return nil, err
	}
	versions := make([]any, 0, len(pg))
	for _, id := range pg {
		v := s.Versions[id]
		e := map[string]any{"VersionId": id, "VersionStages": anyStrings(v.Stages), "CreatedDate": v.Created}
		if !v.Accessed.IsZero() {
			e["LastAccessedDate"] = v.Accessed
		}
		versions = append(versions, e)
	}
	out := map[string]any{"ARN": s.ARN, "Name": s.Name, "Versions": versions}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

func batchGetSecretValue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	ids := stagesOf(list(in, "SecretIdList"))
	filters := list(in, "Filters")
	if len(ids) > 0 && len(filters) > 0 {
		return nil, errInvalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.")
	}
	if len(ids) == 0 && len(filters) == 0 {
		return nil, errInvalidParameter("Either 'SecretIdList' or 'Filters' must be provided.")
	}
	next := ""
	if len(filters) > 0 {
		all, err := allSecrets(req)
		if err != nil {
			return nil, err
		}
		var sel []*secret
		for _, s := range all {
			ok, err := matches(s, filters)
			if err != nil {
				return nil, err
			}
			if ok && s.Deleted.IsZero() {
				sel = append(sel, s)
			}
		}
		pg, n, err := pageOf(in, sel, func(s *secret) string { return s.Name })
		if err != nil {
			return nil, err
		}
		next = n
		for _, s := range pg {
			ids = append(ids, s.Name)
		}
	} else if len(ids) > 20 {
		return nil, errInvalidParameter("SecretIdList can contain at most 20 secrets.")
	}
	values, errs := []any{}, []any{}
	for _, id := range ids {
		v, err := readValue(ctx, req, id, "", "")
		if err != nil {
			code, msg := "InternalFailure", err.Error()
			if ae, ok := asAPIError(err); ok {
				code, msg = ae.Code, ae.Message
			}
			errs = append(errs, map[string]any{"SecretId": id, "ErrorCode": code, "Message": msg})
			continue
		}
		values = append(values, v)
	}
	out := map[string]any{"SecretValues": values, "Errors": errs}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}
