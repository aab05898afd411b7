package ssm

import (
	"context"
	"slices"
	"strconv"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// labelParameterVersion attaches labels to a version (the latest when none
// is named). A label lives on one version at a time, so it moves; labels
// breaking the naming rules come back in InvalidLabels, the rest apply.
func labelParameterVersion(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, labels := str(req.Input, "Name"), strs(req.Input, "Labels")
	if len(labels) == 0 || len(labels) > maxLabels {
		return nil, errValidation("1 validation error detected: Value at 'labels' failed to satisfy constraint: Member must have length between 1 and 10")
	}
	var version int64
	invalid := []any{}
	err := req.Store.Update(func(tx *store.Tx) error {
		name = plainName(req, tx, name)
		p, err := loadParam(tx, name)
		if err != nil {
			return err
		}
		if p == nil {
			return errNotFound("Parameter %s not found.", name)
		}
		v := p.latest()
		if n, ok := integer(req.Input, "ParameterVersion"); ok {
			if v = p.version(n); v == nil {
				return errVersionNotFound(name, strconv.FormatInt(n, 10))
			}
		}
		version = v.Version
		for _, l := range labels {
			if invalidLabel(l) {
				invalid = append(invalid, l)
				continue
			}
			if slices.Contains(v.Labels, l) {
				continue
			}
			if len(v.Labels) >= maxLabels {
				return errLabelLimit()
			}
			for _, o := range p.Versions {
				o.Labels = slices.DeleteFunc(o.Labels, func(x string) bool { return x == l })
			}
			v.Labels = append(v.Labels, l)
		}
		return saveParam(tx, p)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"InvalidLabels": invalid, "ParameterVersion": version}, nil
}

// unlabelParameterVersion removes labels from one version; labels the
// version does not carry come back in InvalidLabels.
func unlabelParameterVersion(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, labels := str(req.Input, "Name"), strs(req.Input, "Labels")
	if len(labels) == 0 || len(labels) > maxLabels {
		return nil, errValidation("1 validation error detected: Value at 'labels' failed to satisfy constraint: Member must have length between 1 and 10")
	}
	n, ok := integer(req.Input, "ParameterVersion")
	if !ok {
		return nil, errValidation("1 validation error detected: Value null at 'parameterVersion' failed to satisfy constraint: Member must not be null")
	}
	removed, invalid := []any{}, []any{}
	err := req.Store.Update(func(tx *store.Tx) error {
		name = plainName(req, tx, name)
		p, err := loadParam(tx, name)
		if err != nil {
			return err
		}
		if p == nil {
			return errNotFound("Parameter %s not found.", name)
		}
		v := p.version(n)
		if v == nil {
			return errVersionNotFound(name, strconv.FormatInt(n, 10))
		}
		for _, l := range labels {
			if i := slices.Index(v.Labels, l); i >= 0 {
				v.Labels = slices.Delete(v.Labels, i, i+1)
				removed = append(removed, l)
			} else {
				invalid = append(invalid, l)
			}
		}
		return saveParam(tx, p)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"RemovedLabels": removed, "InvalidLabels": invalid}, nil
}
