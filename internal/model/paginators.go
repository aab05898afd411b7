package model

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// ParsePaginators decodes a paginators-1.json document ({"pagination": {...}})
// into paginators by operation name. input_token, output_token and
// result_key may each be a string or a list of strings in the file.
func ParsePaginators(data []byte) (map[string]*Paginator, error) {
	var doc struct {
		Pagination map[string]json.RawMessage `json:"pagination"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode paginators: %w", err)
	}
	out := make(map[string]*Paginator, len(doc.Pagination))
	for op, raw := range doc.Pagination {
		var p struct {
			Paginator
			InputToken  json.RawMessage `json:"input_token"`
			OutputToken json.RawMessage `json:"output_token"`
			ResultKey   json.RawMessage `json:"result_key"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("decode paginator %s: %w", op, err)
		}
		pg := p.Paginator
		var err error
		if pg.InputToken, err = stringOrList(p.InputToken); err != nil {
			return nil, fmt.Errorf("paginator %s input_token: %w", op, err)
		}
		if pg.OutputToken, err = stringOrList(p.OutputToken); err != nil {
			return nil, fmt.Errorf("paginator %s output_token: %w", op, err)
		}
		if pg.ResultKey, err = stringOrList(p.ResultKey); err != nil {
			return nil, fmt.Errorf("paginator %s result_key: %w", op, err)
		}
		out[op] = &pg
	}
	return out, nil
}

// stringOrList decodes a JSON string or list of strings; absent is nil.
func stringOrList(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, fmt.Errorf("want a string or a list of strings: %w", err)
	}
	return l, nil
}

// ParseWaiters decodes a waiters-2.json document ({"version": 2, "waiters":
// {...}}) into waiters by name. Like botocore's WaiterModel it accepts only
// version 2.
func ParseWaiters(data []byte) (map[string]*Waiter, error) {
	var doc struct {
		Version *int                       `json:"version"`
		Waiters map[string]json.RawMessage `json:"waiters"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode waiters: %w", err)
	}
	if doc.Version == nil || *doc.Version != 2 {
		return nil, fmt.Errorf("unsupported waiter version, want 2")
	}
	out := make(map[string]*Waiter, len(doc.Waiters))
	for name, raw := range doc.Waiters {
		var w Waiter
		if err := json.Unmarshal(raw, &w); err != nil {
			return nil, fmt.Errorf("decode waiter %s: %w", name, err)
		}
		if w.Operation == "" {
			return nil, fmt.Errorf("waiter %s has no operation", name)
		}
		for i, a := range w.Acceptors {
			switch a.Matcher {
			case "path", "pathAll", "pathAny", "status", "error":
			default:
				return nil, fmt.Errorf("waiter %s acceptor %d: unknown matcher %q", name, i, a.Matcher)
			}
			switch a.State {
			case "success", "failure", "retry":
			default:
				return nil, fmt.Errorf("waiter %s acceptor %d: unknown state %q", name, i, a.State)
			}
		}
		out[name] = &w
	}
	return out, nil
}
