package ssm_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
)

var policyStart = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

func expiration(t time.Time) string {
	return fmt.Sprintf(`{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"%s"}}`, t.Format(time.RFC3339))
}

const (
	expNotice = `{"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"15","Unit":"Days"}}`
	noChange  = `{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"20","Unit":"Hours"}}`
)

func describe(c *client, name string) []any {
	c.T.Helper()
	out := c.Call("DescribeParameters", map[string]any{"ParameterFilters": []any{
		map[string]any{"Key": "Name", "Values": []any{name}}}})
	return out["Parameters"].([]any)
}

func TestExpirationPolicyDeletesTheParameterByTheEmulatorClock(t *testing.T) {
	clk := wiretest.NewClock(policyStart)
	c := newClient(t, newEmu(t, emulator.Options{Clock: clk}))
	exp := expiration(policyStart.Add(2 * time.Hour))
	policies := "[" + exp + "," + expNotice + "," + noChange + "]"
	out := c.Call("PutParameter", map[string]any{"Name": "/app/token", "Value": "t1", "Type": "String",
		"Tier": "Advanced", "Policies": policies})
	if out["Tier"] != "Advanced" {
		t.Errorf("PutParameter = %v", out)
	}

	ps := describe(c, "/app/token")
	if len(ps) != 1 {
		t.Fatalf("DescribeParameters = %v", ps)
	}
	got := ps[0].(map[string]any)["Policies"].([]any)
	want := []struct{ typ, text string }{{"Expiration", exp}, {"ExpirationNotification", expNotice}, {"NoChangeNotification", noChange}}
	if len(got) != len(want) {
		t.Fatalf("Policies = %v", got)
	}
	for i, w := range want {
		p := got[i].(map[string]any)
		if p["PolicyType"] != w.typ || p["PolicyText"] != w.text || p["PolicyStatus"] != "Pending" {
			t.Errorf("policy %d = %v, want %s %s", i, p, w.typ, w.text)
		}
	}
	hist := c.Call("GetParameterHistory", map[string]any{"Name": "/app/token"})["Parameters"].([]any)
	if n := len(hist[0].(map[string]any)["Policies"].([]any)); n != 3 {
		t.Errorf("history policies: %d", n)
	}

	clk.Add(2*time.Hour - time.Second)
	c.Call("GetParameter", map[string]any{"Name": "/app/token"})
	clk.Add(time.Second)
	c.WantErr("GetParameter", map[string]any{"Name": "/app/token"}, "ParameterNotFound", 400)
	if ps := describe(c, "/app/token"); len(ps) != 0 {
		t.Errorf("expired parameter still described: %v", ps)
	}
	if got := c.Call("GetParametersByPath", map[string]any{"Path": "/app"})["Parameters"].([]any); len(got) != 0 {
		t.Errorf("expired parameter still listed: %v", got)
	}
	// The name is free again, as after DeleteParameter.
	c.Call("PutParameter", map[string]any{"Name": "/app/token", "Value": "t2", "Type": "String"})
}

func TestOverwriteKeepsPoliciesUnlessReplaced(t *testing.T) {
	clk := wiretest.NewClock(policyStart)
	c := newClient(t, newEmu(t, emulator.Options{Clock: clk}))
	c.Call("PutParameter", map[string]any{"Name": "/p", "Value": "1", "Type": "String", "Tier": "Advanced",
		"Policies": "[" + expiration(policyStart.Add(time.Hour)) + "]"})
	c.Call("PutParameter", map[string]any{"Name": "/p", "Value": "2", "Overwrite": true})
	if got := describe(c, "/p")[0].(map[string]any)["Policies"].([]any); len(got) != 1 {
		t.Errorf("policies after overwrite without Policies: %v", got)
	}
	// "[]" removes them: the old Expiration no longer applies.
	c.Call("PutParameter", map[string]any{"Name": "/p", "Value": "3", "Overwrite": true, "Policies": "[]"})
	if got := describe(c, "/p")[0].(map[string]any)["Policies"].([]any); len(got) != 0 {
		t.Errorf("policies after []: %v", got)
	}
	clk.Add(2 * time.Hour)
	if v := c.Call("GetParameter", map[string]any{"Name": "/p"})["Parameter"].(map[string]any)["Value"]; v != "3" {
		t.Errorf("value %v", v)
	}
}

func TestIntelligentTieringWithPoliciesIsAdvanced(t *testing.T) {
	c := newClient(t, newEmu(t, emulator.Options{Clock: emulator.FixedClock(policyStart)}))
	out := c.Call("PutParameter", map[string]any{"Name": "/it", "Value": "v", "Type": "String",
		"Tier": "Intelligent-Tiering", "Policies": "[" + noChange + "]"})
	if out["Tier"] != "Advanced" {
		t.Errorf("Tier %v", out["Tier"])
	}
}

func TestInvalidPoliciesAreRefused(t *testing.T) {
	c := newClient(t, newEmu(t, emulator.Options{Clock: emulator.FixedClock(policyStart)}))
	many := make([]string, 11)
	for i := range many {
		many[i] = noChange
	}
	for _, tc := range []struct {
		name, tier, policies, code string
	}{
		{"StandardTier", "Standard", "[" + noChange + "]", "ValidationException"},
		{"DefaultTier", "", "[" + noChange + "]", "ValidationException"},
		{"NotJSON", "Advanced", "expire soon", "InvalidPolicyAttributeException"},
		{"NotAnArray", "Advanced", noChange, "InvalidPolicyAttributeException"},
		{"UnknownType", "Advanced", `[{"Type":"Rotation","Version":"1.0","Attributes":{}}]`, "InvalidPolicyTypeException"},
		{"BadUnit", "Advanced", `[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"2","Unit":"Weeks"}}]`, "InvalidPolicyAttributeException"},
		{"ZeroBefore", "Advanced", `[{"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"0","Unit":"Days"}}]`, "InvalidPolicyAttributeException"},
		{"BadTimestamp", "Advanced", `[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"tomorrow"}}]`, "InvalidPolicyAttributeException"},
		{"PastTimestamp", "Advanced", "[" + expiration(policyStart.Add(-time.Minute)) + "]", "InvalidPolicyAttributeException"},
		{"TwoExpirations", "Advanced", "[" + expiration(policyStart.Add(time.Hour)) + "," + expiration(policyStart.Add(2*time.Hour)) + "]", "IncompatiblePolicyException"},
		{"ElevenPolicies", "Advanced", "[" + strings.Join(many, ",") + "]", "PoliciesLimitExceededException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := map[string]any{"Name": "/bad", "Value": "v", "Type": "String", "Policies": tc.policies}
			if tc.tier != "" {
				in["Tier"] = tc.tier
			}
			c.WantErr("PutParameter", in, tc.code, 400)
		})
	}
	c.WantErr("GetParameter", map[string]any{"Name": "/bad"}, "ParameterNotFound", 400)
}

func TestSecureStringSelectorsDecryptThatVersion(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/db/pass", "Value": "first", "Type": "SecureString"})
	c.Call("PutParameter", map[string]any{"Name": "/db/pass", "Value": "second", "Type": "SecureString", "Overwrite": true})
	c.Call("LabelParameterVersion", map[string]any{"Name": "/db/pass", "ParameterVersion": int64(1), "Labels": []any{"stable"}})
	for _, tc := range []struct{ sel, want string }{
		{"/db/pass:1", "first"}, {"/db/pass:stable", "first"}, {"/db/pass:2", "second"}, {"/db/pass", "second"},
	} {
		p := c.Call("GetParameter", map[string]any{"Name": tc.sel, "WithDecryption": true})["Parameter"].(map[string]any)
		if p["Value"] != tc.want || p["Selector"] != strings.TrimPrefix(tc.sel, "/db/pass") && tc.sel != "/db/pass" {
			t.Errorf("GetParameter(%s) = %v, want %s", tc.sel, p, tc.want)
		}
		enc := c.Call("GetParameter", map[string]any{"Name": tc.sel})["Parameter"].(map[string]any)["Value"]
		if enc == tc.want {
			t.Errorf("GetParameter(%s) without decryption shows the plaintext", tc.sel)
		}
	}
	c.WantErr("GetParameter", map[string]any{"Name": "/db/pass:nolabel", "WithDecryption": true}, "ParameterVersionNotFound", 400)
}
