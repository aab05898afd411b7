package ssm

import (
	"context"
	"slices"
	"sort"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

const maxTags = 50

var taggableTypes = []string{"Document", "ManagedInstance", "MaintenanceWindow", "Parameter", "PatchBaseline",
	"OpsItem", "OpsMetadata", "Automation", "Association", "CloudConnector"}

func setTag(tags []tag, k, v string) []tag {
	for i := range tags {
		if tags[i].Key == k {
			tags[i].Value = v
			return tags
		}
	}
	return append(tags, tag{Key: k, Value: v})
}

// withTags runs fn on the tagged parameter inside one write transaction.
// Only the Parameter resource type is emulated: the other types SSM knows
// have no resources here, so their ids are invalid.
func withTags(req *emulator.Request, write bool, fn func(p *param) error) error {
	rt, id := str(req.Input, "ResourceType"), str(req.Input, "ResourceId")
	if !slices.Contains(taggableTypes, rt) {
		return errResourceType()
	}
	if rt != "Parameter" {
		return errResourceID(id)
	}
	run := func(tx *store.Tx) error {
		name := plainName(req, tx, id)
		p, err := loadParam(tx, name)
		if err != nil {
			return err
		}
		if p == nil {
			return errResourceID(id)
		}
		if err := fn(p); err != nil {
			return err
		}
		if write {
			return saveParam(tx, p)
		}
		return nil
	}
	if write {
		return req.Store.Update(run)
	}
	return req.Store.View(run)
}

func addTagsToResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	err := withTags(req, true, func(p *param) error {
		for _, t := range list(req.Input, "Tags") {
			m, _ := t.(map[string]any)
			p.Tags = setTag(p.Tags, str(m, "Key"), str(m, "Value"))
		}
		if len(p.Tags) > maxTags {
			return errTooManyTags()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func removeTagsFromResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	keys := strs(req.Input, "TagKeys")
	err := withTags(req, true, func(p *param) error {
		p.Tags = slices.DeleteFunc(p.Tags, func(t tag) bool { return slices.Contains(keys, t.Key) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func listTagsForResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	var out []any
	err := withTags(req, false, func(p *param) error {
		tags := slices.Clone(p.Tags)
		sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
		out = make([]any, 0, len(tags))
		for _, t := range tags {
			out = append(out, map[string]any{"Key": t.Key, "Value": t.Value})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TagList": out}, nil
}
