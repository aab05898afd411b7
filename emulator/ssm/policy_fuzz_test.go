package ssm

import (
	"testing"
	"time"
)

// FuzzParsePolicies: PutParameter's Policies text is client input; no text
// may panic the parser, and what it accepts is at most 10 policies of the
// three known types, an Expiration always in the future.
func FuzzParsePolicies(f *testing.F) {
	for _, s := range []string{
		`[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-01-01T00:00:00Z"}}]`,
		`[{"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"15","Unit":"Days"}}]`,
		`[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":20,"Unit":"Hours"}}]`,
		`[]`, ``, `[null]`, `[1]`, `{"Type":"Expiration"}`, `[{"Type":"Expiration","Attributes":{"Timestamp":1}}]`,
		`[{"Type":"NoChangeNotification","Attributes":{"After":1e300,"Unit":"Days"}}]`,
	} {
		f.Add(s)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		ps, err := parsePolicies(text, now)
		if err != nil {
			return
		}
		if len(ps) > maxPolicies {
			t.Fatalf("%d policies accepted", len(ps))
		}
		for _, p := range ps {
			switch p.Type {
			case "Expiration":
				if !p.Expires.After(now) {
					t.Fatalf("expiration %v accepted", p.Expires)
				}
			case "ExpirationNotification", "NoChangeNotification":
			default:
				t.Fatalf("type %q accepted", p.Type)
			}
		}
	})
}
