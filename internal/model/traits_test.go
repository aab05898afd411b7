package model

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// jsonKeys returns the JSON names of a struct type's tagged fields.
func jsonKeys(v any, extra ...string) map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	for _, e := range extra {
		out[e] = true
	}
	return out
}

// TestEveryModelTraitIsKnown walks the raw embedded documents of every
// service and fails on any key the typed model would silently drop, so a
// new botocore trait is noticed when the data is regenerated.
func TestEveryModelTraitIsKnown(t *testing.T) {
	known := map[string]map[string]bool{
		"root":     {"version": true, "metadata": true, "operations": true, "shapes": true, "clientContextParams": true},
		"metadata": jsonKeys(Metadata{}),
		"operation": {"name": true, "http": true, "input": true, "output": true, "errors": true, "endpoint": true,
			"authtype": true, "auth": true, "httpChecksum": true, "httpChecksumRequired": true, "unsignedPayload": true,
			"deprecated": true, "deprecatedMessage": true, "deprecatedSince": true, "idempotent": true, "readonly": true,
			"endpointdiscovery": true, "requestcompression": true, "staticContextParams": true,
			"operationContextParams": true, "endpointoperation": true},
		"shape": jsonKeys(Shape{}, "members"),
		"ref":   jsonKeys(ShapeRef{}),
	}
	// Keys botocore's own model classes ignore too.
	ignored := map[string]map[string]bool{
		"root":  {"deprecated": true, "deprecatedMessage": true}, // service-level notes, docs only
		"ref":   {"enum": true, "error": true, "exception": true},
		"shape": {},
	}
	unknown := map[string]map[string]int{}
	note := func(level, key string) {
		if known[level][key] || ignored[level][key] {
			return
		}
		if unknown[level] == nil {
			unknown[level] = map[string]int{}
		}
		unknown[level][key]++
	}
	l := NewLoader()
	for _, name := range l.AvailableServices() {
		b, err := l.readBundle(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Metadata   map[string]json.RawMessage `json:"metadata"`
			Operations map[string]map[string]json.RawMessage
			Shapes     map[string]map[string]json.RawMessage
		}
		var root map[string]json.RawMessage
		if err := json.Unmarshal(b.Service, &root); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b.Service, &doc); err != nil {
			t.Fatal(err)
		}
		for k := range root {
			note("root", k)
		}
		for k := range doc.Metadata {
			note("metadata", k)
		}
		refs := func(raw json.RawMessage) {
			var one map[string]json.RawMessage
			if json.Unmarshal(raw, &one) == nil {
				for k := range one {
					note("ref", k)
				}
				return
			}
			var many []map[string]json.RawMessage
			if json.Unmarshal(raw, &many) == nil {
				for _, r := range many {
					for k := range r {
						note("ref", k)
					}
				}
			}
		}
		for _, op := range doc.Operations {
			for k, v := range op {
				note("operation", k)
				if k == "input" || k == "output" || k == "errors" {
					refs(v)
				}
			}
		}
		for _, sh := range doc.Shapes {
			for k, v := range sh {
				note("shape", k)
				switch k {
				case "member", "key", "value":
					refs(v)
				case "members":
					var ms map[string]json.RawMessage
					if json.Unmarshal(v, &ms) == nil {
						for _, m := range ms {
							refs(m)
						}
					}
				}
			}
		}
	}
	for level, keys := range unknown {
		var ks []string
		for k, n := range keys {
			ks = append(ks, k+"("+itoa(n)+")")
		}
		sort.Strings(ks)
		t.Errorf("%s keys the model types do not read: %s", level, strings.Join(ks, ", "))
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
