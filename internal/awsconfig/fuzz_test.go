package awsconfig

import (
	"strings"
	"testing"
)

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"[default]\nregion = us-east-1\n",
		"[profile \"a b\"]\ns3 =\n  addressing_style = path\n\n  x=y\n",
		"[DEFAULT]\nk=v\n[x]\n",
		"key=value\n",
		"[a]\n[a]\n",
		"[a]\nk:v\n  cont\n; c\n# c\n",
		"\xef\xbb\xbf[default]\n",
		"[sso-session s]\nsso_start_url = https://x\n[services dev]\ns3 =\n endpoint_url=http://h\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		raw, err := parseINI("fuzz", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "Unable to parse config file: fuzz") {
				t.Fatalf("unexpected error text %q", err)
			}
			return
		}
		c := &Config{env: MapEnv(nil)}
		c.buildProfileMap(raw)
		for _, n := range c.Profiles() {
			for _, k := range c.Profile(n).Keys() {
				if k != strings.ToLower(k) {
					t.Fatalf("option %q not lower-cased", k)
				}
			}
		}
	})
}
