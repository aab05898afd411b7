package awsconfig

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// files writes a config and a credentials file (either may be "" for absent)
// into a temp dir and returns an env pointing at them.
func files(t *testing.T, config, credentials string, extra map[string]string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"HOME":                        dir,
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
	}
	if config != "" {
		if err := os.WriteFile(env["AWS_CONFIG_FILE"], []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if credentials != "" {
		if err := os.WriteFile(env["AWS_SHARED_CREDENTIALS_FILE"], []byte(credentials), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func load(t *testing.T, env map[string]string, profile string) (*Config, error) {
	t.Helper()
	return Load(Options{Env: MapEnv(env), Profile: profile})
}

func mustLoad(t *testing.T, env map[string]string, profile string) *Config {
	t.Helper()
	c, err := load(t, env, profile)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// flat renders a section for comparison: nested values as "{k=v,...}" is not
// needed; strings only, nested as map.
func flat(s *Section) map[string]any {
	out := map[string]any{}
	for _, k := range s.Keys() {
		v, _ := s.Value(k)
		if v.Nested != nil {
			out[k] = v.Nested
		} else {
			out[k] = v.String
		}
	}
	return out
}

// The expectations below were produced by botocore 1.43.11's
// configloader.load_config on the same text.
func TestConfigFileParsesLikeBotocore(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		profiles []string
		want     map[string]map[string]any
	}{
		{"2.14 later of [default] and [profile default] wins",
			"[default]\nregion=a\n[profile default]\nregion=b\n[profile x]\nregion=c\n",
			[]string{"default", "x"},
			map[string]map[string]any{"default": {"region": "b"}, "x": {"region": "c"}}},
		{"2.14 [profile default] then [default]",
			"[profile default]\nregion=b\n[default]\nregion=a\n",
			[]string{"default"},
			map[string]map[string]any{"default": {"region": "a"}}},
		{"2.15 2.16 nested, inline comment kept, case-insensitive names, colon delimiter",
			"[default]\ns3 =\n  addressing_style = path\n  # c\n\n  signature_version=s3v4\nregion = us-west-2 # c\nREGION2: x\n",
			[]string{"default"},
			map[string]map[string]any{"default": {
				"s3":      map[string]string{"addressing_style": "path", "signature_version": "s3v4"},
				"region":  "us-west-2 # c",
				"region2": "x"}}},
		{"configparser DEFAULT section is inherited by every section",
			"[DEFAULT]\nfoo=1\n[default]\nregion=a\n[profile p]\nfoo=2\n",
			[]string{"default", "p"},
			map[string]map[string]any{"default": {"region": "a", "foo": "1"}, "p": {"foo": "2"}}},
		{"1.12 2.14 shell-split names; [profiles q] counts; [prod] and three words do not",
			"[profile \"spaced name\"]\nregion=a\n[profiles q]\nregion=b\n[prod]\nregion=c\n[profile a b]\nregion=d\n",
			[]string{"spaced name", "q"},
			map[string]map[string]any{"spaced name": {"region": "a"}, "q": {"region": "b"}}},
		{"continuation lines join with newline; empty value stays a string",
			"[default]\na = 1\n  more\nb=\n",
			[]string{"default"},
			map[string]map[string]any{"default": {"a": "1\nmore", "b": ""}}},
		{"URL values split at the first delimiter",
			"[default]\nendpoint_url = http://localhost:4566\n",
			[]string{"default"},
			map[string]map[string]any{"default": {"endpoint_url": "http://localhost:4566"}}},
		{"an indented header continues the previous value",
			"[default]\na=1\n  [profile x]\n",
			[]string{"default"},
			map[string]map[string]any{"default": {"a": "1\n[profile x]"}}},
		{"comments with # and ; and CRLF line ends",
			"# top\r\n; also\r\n[default]\r\n  # indented comment\r\nregion=eu-west-1\r\n",
			[]string{"default"},
			map[string]map[string]any{"default": {"region": "eu-west-1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, files(t, tt.text, "", nil), "")
			if got := c.Profiles(); !reflect.DeepEqual(got, tt.profiles) {
				t.Errorf("Profiles() = %q, want %q", got, tt.profiles)
			}
			for name, want := range tt.want {
				if got := flat(c.Profile(name)); !reflect.DeepEqual(got, want) {
					t.Errorf("profile %q = %v, want %v", name, got, want)
				}
			}
		})
	}
}

func TestSSOSessionAndServicesSections(t *testing.T) {
	c := mustLoad(t, files(t, "[sso-session s]\nsso_region=x\n[services dev]\nsqs =\n  endpoint_url = http://x:1\n", "", nil), "")
	if v, _ := c.SSOSession("s").Get("sso_region"); v != "x" {
		t.Errorf("sso-session s sso_region = %q", v)
	}
	if m, _ := c.Services("dev").Nested("sqs"); m["endpoint_url"] != "http://x:1" {
		t.Errorf("services dev sqs = %v", m)
	}
	if len(c.Profiles()) != 0 {
		t.Errorf("sso-session/services are not profiles: %v", c.Profiles())
	}
}

// Item 2.18: malformed files raise ConfigParseError naming the file (and here
// the line configparser reported).
func TestMalformedConfigIsParseErrorWithFileAndLine(t *testing.T) {
	tests := []struct {
		name string
		text string
		line int
	}{
		{"no section header", "region=a\n", 1},
		{"line without delimiter", "[default]\nfoo\nregion=a\n", 2},
		{"duplicate section", "[default]\n[default]\n", 2},
		{"duplicate option, case-insensitive", "[default]\na=1\nA=2\n", 3},
		{"nested line without =", "[default]\ns3 =\n  foo\n", 0},
		{"invalid utf-8", "[default]\nregion=\xff\n", 2},
		{"empty option name", "[default]\n=1\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := files(t, tt.text, "", nil)
			_, err := load(t, env, "")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *ParseError", err)
			}
			if pe.Path != env["AWS_CONFIG_FILE"] || pe.Line != tt.line {
				t.Errorf("ParseError{Path:%q Line:%d}, want %q line %d", pe.Path, pe.Line, env["AWS_CONFIG_FILE"], tt.line)
			}
			if !strings.HasPrefix(err.Error(), "Unable to parse config file: "+env["AWS_CONFIG_FILE"]) {
				t.Errorf("message %q", err)
			}
		})
	}
	t.Run("in the credentials file too", func(t *testing.T) {
		env := files(t, "", "oops\n", nil)
		_, err := load(t, env, "")
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Path != env["AWS_SHARED_CREDENTIALS_FILE"] {
			t.Fatalf("err = %v", err)
		}
	})
}

// Item 1.02 and 2.18: nothing configured is not an error.
func TestNoFilesNoEnvIsEmpty(t *testing.T) {
	c := mustLoad(t, files(t, "", "", nil), "")
	if len(c.Profiles()) != 0 || c.ProfileName() != "default" {
		t.Errorf("Profiles=%v ProfileName=%q", c.Profiles(), c.ProfileName())
	}
	if r, ok := c.Region(""); ok {
		t.Errorf("Region = %q", r)
	}
	if c.ActiveProfile().Len() != 0 {
		t.Errorf("ActiveProfile not empty")
	}
}

// Items 1.10, 1.11, 2.11, 2.13: merge of the two files.
func TestCredentialsFileMergesIntoProfiles(t *testing.T) {
	cfg := "[profile b]\nregion=cfg-b\noutput=json\n[default]\nregion=cfg-default\n"
	cred := "[c]\naws_access_key_id=C\n[default]\nregion=cred-default\n[profile x]\nregion=px\n[b]\naws_access_key_id=B\n"
	c := mustLoad(t, files(t, cfg, cred, nil), "")
	if got, want := c.Profiles(), []string{"b", "default", "c", "profile x"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Profiles() = %q, want %q", got, want)
	}
	if got, want := flat(c.Profile("b")), map[string]any{"region": "cfg-b", "output": "json", "aws_access_key_id": "B"}; !reflect.DeepEqual(got, want) {
		t.Errorf("b = %v", got)
	}
	if r, _ := c.Region(""); r != "cred-default" {
		t.Errorf("region = %q, want the credentials file's value (2.13)", r)
	}
	// 1.11: profile_name='x' is not found, 'profile x' is.
	env := files(t, cfg, cred, nil)
	var pnf *ProfileNotFoundError
	if _, err := load(t, env, "x"); !errors.As(err, &pnf) || pnf.Profile != "x" {
		t.Errorf("profile x: err = %v", err)
	}
	if c := mustLoad(t, env, "profile x"); c.ActiveProfile().Len() != 1 {
		t.Errorf("profile 'profile x' not loaded")
	}
}

// Items 1.04, 1.05, 2.19.
func TestProfileSelection(t *testing.T) {
	cfg := "[default]\n[profile a]\n[profile b]\n"
	tests := []struct {
		name     string
		explicit string
		env      map[string]string
		want     string
		wantErr  string
	}{
		{"none", "", nil, "default", ""},
		{"AWS_PROFILE", "", map[string]string{"AWS_PROFILE": "a"}, "a", ""},
		{"2.19 AWS_DEFAULT_PROFILE beats AWS_PROFILE", "", map[string]string{"AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"}, "b", ""},
		{"explicit beats env", "a", map[string]string{"AWS_DEFAULT_PROFILE": "b"}, "a", ""},
		{"1.05 unknown explicit", "nope", nil, "", "The config profile (nope) could not be found"},
		{"1.05 unknown via env", "", map[string]string{"AWS_PROFILE": "nope"}, "", "The config profile (nope) could not be found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(t, files(t, cfg, "", tt.env), tt.explicit)
			if tt.wantErr != "" {
				var pnf *ProfileNotFoundError
				if !errors.As(err, &pnf) || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.ProfileName() != tt.want {
				t.Errorf("ProfileName = %q, want %q", c.ProfileName(), tt.want)
			}
		})
	}
	t.Run("1.05 naming default explicitly without a default profile raises", func(t *testing.T) {
		_, err := load(t, files(t, "[profile a]\n", "", nil), "default")
		var pnf *ProfileNotFoundError
		if !errors.As(err, &pnf) {
			t.Fatalf("err = %v", err)
		}
	})
}

// Items 1.06, 2.20, 8.02.
func TestRegionResolution(t *testing.T) {
	cfg := "[default]\nregion=file-default\n[profile p]\nregion=file-p\n"
	tests := []struct {
		name     string
		profile  string
		explicit string
		env      map[string]string
		want     string
	}{
		{"profile region", "", "", nil, "file-default"},
		{"selected profile's region", "p", "", nil, "file-p"},
		{"2.20 AWS_DEFAULT_REGION beats an explicitly chosen profile", "p", "", map[string]string{"AWS_DEFAULT_REGION": "env"}, "env"},
		{"1.06 AWS_REGION is not read", "", "", map[string]string{"AWS_REGION": "ignored"}, "file-default"},
		{"explicit beats env", "", "explicit", map[string]string{"AWS_DEFAULT_REGION": "env"}, "explicit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, files(t, cfg, "", tt.env), tt.profile)
			if got, _ := c.Region(tt.explicit); got != tt.want {
				t.Errorf("Region = %q, want %q", got, tt.want)
			}
		})
	}
}

// Item 2.17: ~ and $VAR are expanded in AWS_CONFIG_FILE.
func TestConfigFilePathExpansion(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub", "cfg"), []byte("[profile tilde]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"~/sub/cfg", "$SUB/cfg", "${SUB}/cfg"} {
		c := mustLoad(t, map[string]string{"HOME": dir, "SUB": filepath.Join(dir, "sub"), "AWS_CONFIG_FILE": p}, "")
		if got := c.Profiles(); !reflect.DeepEqual(got, []string{"tilde"}) {
			t.Errorf("%s: Profiles = %v (path %s)", p, got, c.ConfigFile())
		}
	}
	c := mustLoad(t, map[string]string{"HOME": dir}, "")
	if c.ConfigFile() != filepath.Join(dir, ".aws", "config") || c.CredentialsFile() != filepath.Join(dir, ".aws", "credentials") {
		t.Errorf("defaults: %s %s", c.ConfigFile(), c.CredentialsFile())
	}
	if got := c.expandPath("$UNSET_VAR/x"); got != "$UNSET_VAR/x" {
		t.Errorf("unset var expanded to %q; Python leaves it", got)
	}
}

func TestShlexSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{`profile "spaced name"`, []string{"profile", "spaced name"}, false},
		{`a 'b c' d\ e`, []string{"a", "b c", "d e"}, false},
		{`a "x\"y\z"`, []string{"a", `x"y\z`}, false},
		{`a ''`, []string{"a", ""}, false},
		{`a "b`, nil, true},
		{`a \`, nil, true},
	}
	for _, tt := range tests {
		got, err := shlexSplit(tt.in)
		if (err != nil) != tt.err || (!tt.err && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("shlexSplit(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestLookupEnvThenProfile(t *testing.T) {
	c := mustLoad(t, files(t, "[default]\nmax_attempts = 7\n", "", map[string]string{"AWS_RETRY_MODE": "standard"}), "")
	if v, ok := c.Lookup("max_attempts", "AWS_MAX_ATTEMPTS"); !ok || v != "7" {
		t.Errorf("max_attempts = %q %v", v, ok)
	}
	if v, ok := c.Lookup("retry_mode", "AWS_RETRY_MODE"); !ok || v != "standard" {
		t.Errorf("retry_mode = %q %v", v, ok)
	}
}
