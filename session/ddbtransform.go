package session

import (
	"context"
	"reflect"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/session/dynamodb"
)

// registerDynamoDBHighLevel gives a DynamoDB resource's client boto3's
// high-level interface (boto3/dynamodb/transform.py, 1.17, 6.15–6.17):
// before-parameter-build builds dynamodb.Condition values given for
// ConditionExpression-shaped members (FilterExpression, ConditionExpression)
// and then KeyExpression-shaped ones with one placeholder builder, merging
// the generated #n/:v into ExpressionAttributeNames/Values; then every
// AttributeValue-shaped input is serialised from a plain Go value.
// after-call deserialises every AttributeValue-shaped output. Plain clients
// keep AttributeValues, as in boto3.
func registerDynamoDBHighLevel(c *Client) {
	ev := c.events
	_, _ = ev.Register("before-parameter-build.dynamodb", func(_ context.Context, e *Event) (any, error) {
		if e.Model == nil || e.Model.Input == nil {
			return nil, nil
		}
		var b dynamodb.Builder
		names, values := map[string]any{}, map[string]any{}
		p := any(e.Params)
		for _, target := range []struct {
			shape string
			isKey bool
		}{{"ConditionExpression", false}, {"KeyExpression", true}} {
			var err error
			p, err = transformShapes(e.Model.Input, p, target.shape, func(v any) (any, error) {
				cond, ok := v.(dynamodb.Condition)
				if !ok {
					return v, nil
				}
				built, err := b.Build(cond, target.isKey)
				if err != nil {
					return nil, err
				}
				for k, n := range built.Names {
					names[k] = n
				}
				for k, n := range built.Values {
					values[k] = n
				}
				return built.Expression, nil
			})
			if err != nil {
				return nil, err
			}
		}
		params, _ := p.(map[string]any)
		if params == nil {
			return nil, nil
		}
		for key, gen := range map[string]map[string]any{"ExpressionAttributeNames": names, "ExpressionAttributeValues": values} {
			if len(gen) == 0 {
				continue
			}
			merged := map[string]any{}
			if old, ok := params[key].(map[string]any); ok {
				for k, v := range old {
					merged[k] = v
				}
			} else if old, ok := params[key].(map[string]string); ok {
				for k, v := range old {
					merged[k] = v
				}
			}
			for k, v := range gen {
				merged[k] = v
			}
			params[key] = merged
		}
		out, err := transformShapes(e.Model.Input, params, "AttributeValue", func(v any) (any, error) {
			return dynamodb.Serialize(v)
		})
		if err != nil {
			return nil, err
		}
		if m, ok := out.(map[string]any); ok {
			e.Params = m
		}
		return nil, nil
	}, UniqueID("dynamodb-high-level-input"))
	_, _ = ev.Register("after-call.dynamodb", func(_ context.Context, e *Event) (any, error) {
		if e.Model == nil || e.Model.Output == nil || e.Parsed == nil {
			return nil, nil
		}
		out, err := transformShapes(e.Model.Output, e.Parsed, "AttributeValue", dynamodb.Deserialize)
		if err != nil {
			return nil, err
		}
		if m, ok := out.(map[string]any); ok {
			e.Parsed = m
		}
		return nil, nil
	}, UniqueID("dynamodb-high-level-output"))
}

// transformShapes walks v along ref's shape (structure members in model
// order, lists, maps) and replaces each value whose shape is named target
// with fn's result. Containers are copied, never modified, so the caller's
// params stay as they were (boto3's copy_dynamodb_params).
func transformShapes(ref *model.ShapeRef, v any, target string, fn func(any) (any, error)) (any, error) {
	if ref == nil || ref.Shape == nil || v == nil {
		return v, nil
	}
	sh := ref.Shape
	if sh.Name == target {
		return fn(v)
	}
	switch sh.Type {
	case "structure":
		m, ok := asMap(v)
		if !ok {
			return v, nil
		}
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[k] = x
		}
		for _, name := range sh.MemberNames {
			x, ok := m[name]
			if !ok {
				continue
			}
			y, err := transformShapes(sh.Members[name], x, target, fn)
			if err != nil {
				return nil, err
			}
			out[name] = y
		}
		return out, nil
	case "list":
		l, ok := asList(v)
		if !ok {
			return v, nil
		}
		out := make([]any, len(l))
		for i, x := range l {
			y, err := transformShapes(sh.Member, x, target, fn)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	case "map":
		m, ok := asMap(v)
		if !ok {
			return v, nil
		}
		out := make(map[string]any, len(m))
		for k, x := range m {
			y, err := transformShapes(sh.Value, x, target, fn)
			if err != nil {
				return nil, err
			}
			out[k] = y
		}
		return out, nil
	}
	return v, nil
}

// asMap and asList accept typed Go containers ([]map[string]any,
// map[string]string) as the generic forms, as a Python caller may pass any
// list or dict.
func asMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	for it := rv.MapRange(); it.Next(); {
		out[it.Key().String()] = it.Value().Interface()
	}
	return out, true
}

func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}
