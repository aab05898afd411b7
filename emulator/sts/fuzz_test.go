package sts

import "testing"

// FuzzWebIdentityClaims: web identity tokens are client input.
func FuzzWebIdentityClaims(f *testing.F) {
	f.Add("a.eyJzdWIiOiJ4In0.c")
	f.Add("...")
	f.Add("opaque")
	f.Fuzz(func(t *testing.T, tok string) { _, _, _, _ = webIdentityClaims(tok) })
}

// FuzzAccountFromKeyID: access key ids are client input.
func FuzzAccountFromKeyID(f *testing.F) {
	f.Add("ASIAY34FZKBOKMUTVV7A")
	f.Add("AKIA0000000000000000")
	f.Fuzz(func(t *testing.T, k string) {
		if a, ok := accountFromKeyID(k); ok && len(a) != 12 {
			t.Fatalf("account %q", a)
		}
	})
}
