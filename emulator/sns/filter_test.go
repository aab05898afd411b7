package sns

import (
	"encoding/json"
	"testing"
)

func TestFilterPolicyTable(t *testing.T) {
	attrs := map[string]msgAttr{
		"store":  {DataType: "String", StringValue: "example_corp"},
		"price":  {DataType: "Number", StringValue: "210.75"},
		"colors": {DataType: "String.Array", StringValue: `["red","blue"]`},
		"ip":     {DataType: "String", StringValue: "10.0.1.7"},
	}
	cases := []struct {
		policy string
		want   bool
	}{
		{`{"store":["example_corp"]}`, true},
		{`{"store":["other"]}`, false},
		{`{"store":[{"prefix":"exam"}]}`, true},
		{`{"store":[{"suffix":"_corp"}]}`, true},
		{`{"store":[{"equals-ignore-case":"EXAMPLE_CORP"}]}`, true},
		{`{"store":[{"anything-but":"example_corp"}]}`, false},
		{`{"store":[{"anything-but":["a","b"]}]}`, true},
		{`{"store":[{"anything-but":{"prefix":"ex"}}]}`, false},
		{`{"price":[{"numeric":[">",100,"<=",300]}]}`, true},
		{`{"price":[{"numeric":["=",210.75]}]}`, true},
		{`{"price":[{"numeric":["<",100]}]}`, false},
		{`{"price":[210.75]}`, true},
		{`{"colors":["blue"]}`, true},
		{`{"colors":["green"]}`, false},
		{`{"missing":[{"exists":false}]}`, true},
		{`{"store":[{"exists":true}]}`, true},
		{`{"missing":[{"exists":true}]}`, false},
		{`{"ip":[{"cidr":"10.0.0.0/16"}]}`, true},
		{`{"ip":[{"cidr":"10.1.0.0/16"}]}`, false},
		{`{"store":["example_corp"],"price":[{"numeric":["<",1]}]}`, false},
		{`{"$or":[{"store":["x"]},{"price":[{"numeric":[">",200]}]}]}`, true},
		{`{"$or":[{"store":["x"]},{"price":[{"numeric":[">",900]}]}]}`, false},
	}
	for _, tc := range cases {
		p, err := parsePolicy(tc.policy)
		if err != nil {
			t.Fatalf("%s: %v", tc.policy, err)
		}
		if got := matchAttributes(p, attrs); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.policy, got, tc.want)
		}
	}
	var body any
	_ = json.Unmarshal([]byte(`{"order":{"total":150,"items":["a","b"]},"source":"web"}`), &body)
	bodyCases := []struct {
		policy string
		want   bool
	}{
		{`{"order":{"total":[{"numeric":[">",100]}]}}`, true},
		{`{"order":{"items":["b"]},"source":["web"]}`, true},
		{`{"order":{"total":[{"numeric":["<",100]}]}}`, false},
		{`{"order":{"missing":[{"exists":false}]}}`, true},
	}
	for _, tc := range bodyCases {
		p, err := parsePolicy(tc.policy)
		if err != nil {
			t.Fatalf("%s: %v", tc.policy, err)
		}
		if got := matchBody(p, body); got != tc.want {
			t.Errorf("body %s = %v, want %v", tc.policy, got, tc.want)
		}
	}
	for _, bad := range []string{`{"a":"x"}`, `{"a":[]}`, `{"a":[{"numeric":[">"]}]}`, `{"a":[{"cidr":"nope"}]}`, `{"a":[{"bogus":1}]}`, `[`} {
		if _, err := parsePolicy(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// FuzzFilterPolicy: policies, attribute values and bodies are client input.
func FuzzFilterPolicy(f *testing.F) {
	f.Add(`{"a":["x"]}`, "x", `{"a":"x"}`)
	f.Add(`{"$or":[{"a":[{"numeric":[">",1]}]},{"b":[{"exists":false}]}]}`, "2", `{"a":{"b":[1,2]}}`)
	f.Add(`{"a":[{"anything-but":{"prefix":"x"}}]}`, "xy", `null`)
	f.Add(`{"a":[{"cidr":"10.0.0.0/8"}]}`, "10.1.2.3", `[]`)
	f.Fuzz(func(t *testing.T, policy, value, body string) {
		p, err := parsePolicy(policy)
		if err != nil {
			return
		}
		_ = matchAttributes(p, map[string]msgAttr{"a": {DataType: "String", StringValue: value},
			"b": {DataType: "String.Array", StringValue: value}, "c": {DataType: "Number", StringValue: value}})
		var v any
		if json.Unmarshal([]byte(body), &v) == nil {
			_ = matchBody(p, v)
		}
	})
}
