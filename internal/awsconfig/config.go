package awsconfig

import (
	"errors"
	"io/fs"
	"os"
	"os/user"
	"regexp"
	"strings"
)

// Default file locations, before ~ expansion (item 2.36).
const (
	DefaultConfigFile      = "~/.aws/config"
	DefaultCredentialsFile = "~/.aws/credentials"
)

// Env looks up an environment variable; the second result reports presence, as
// os.LookupEnv does. botocore distinguishes "unset" from "set to empty".
type Env func(key string) (string, bool)

// MapEnv is an Env over a fixed map, for tests and embedding.
func MapEnv(m map[string]string) Env {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// Options control Load. The zero value reads the process environment and the
// default file paths.
type Options struct {
	// Profile is the profile chosen in code (boto3's Session(profile_name=...)).
	// Choosing it here also removes the env credential provider (item 2.03).
	Profile string
	// Env replaces os.LookupEnv.
	Env Env
	// ConfigFile and CredentialsFile override AWS_CONFIG_FILE and
	// AWS_SHARED_CREDENTIALS_FILE (botocore's config_file/credentials_file
	// instance variables). They are ~- and $VAR-expanded like the env values.
	ConfigFile      string
	CredentialsFile string
}

// Config is the loaded shared configuration: the merged profile map, the
// sso-session and services sections, and the active profile.
type Config struct {
	env             Env
	configPath      string
	credentialsPath string

	// configProfiles holds only the config file's profiles (ConfigProvider,
	// method "config-file"); credentialSections only the credentials file's
	// sections (SharedCredentialProvider). profiles is the merge (full_config).
	configProfiles     map[string]*Section
	credentialSections map[string]*Section
	profileNames       []string
	profiles           map[string]*Section
	ssoSessions        map[string]*Section
	services           map[string]*Section

	profile         string // as resolved: explicit, env, or "" when none named
	profileNamed    bool   // a profile was named explicitly or via env
	profileExplicit bool   // chosen in code: disables the env provider
}

// Load reads the shared config and credentials files as botocore does. Missing
// or unreadable files count as empty (item 2.18); a malformed file is a
// *ParseError. A profile named in Options or by AWS_DEFAULT_PROFILE/AWS_PROFILE
// that exists in neither file is a *ProfileNotFoundError (item 1.05).
func Load(opts Options) (*Config, error) {
	c, err := LoadFiles(opts)
	if err != nil {
		return nil, err
	}
	if c.profileNamed {
		if _, ok := c.profiles[c.profile]; !ok {
			return nil, &ProfileNotFoundError{Profile: c.profile}
		}
	}
	return c, nil
}

// LoadFiles is Load without the check that the named profile exists, for
// callers (like boto3's available_profiles) that only need the file contents.
func LoadFiles(opts Options) (*Config, error) {
	env := opts.Env
	if env == nil {
		env = os.LookupEnv
	}
	c := &Config{env: env}
	c.configPath = c.filePath(opts.ConfigFile, "AWS_CONFIG_FILE", DefaultConfigFile)
	c.credentialsPath = c.filePath(opts.CredentialsFile, "AWS_SHARED_CREDENTIALS_FILE", DefaultCredentialsFile)

	cfg, err := readRaw(c.configPath)
	if err != nil {
		return nil, err
	}
	creds, err := readRaw(c.credentialsPath)
	if err != nil {
		return nil, err
	}
	c.buildProfileMap(cfg)
	c.credentialSections = map[string]*Section{}
	for _, name := range creds.names {
		sec := creds.sections[name]
		c.credentialSections[name] = sec
		// Session.full_config: credentials-file sections are profiles as named
		// (item 1.11), appended after the config file's, and their keys override
		// the config file's key by key (items 2.11, 2.13).
		if p, ok := c.profiles[name]; ok {
			for _, k := range sec.keys {
				p.set(k, sec.vals[k])
			}
			continue
		}
		c.profiles[name] = sec.clone()
		c.profileNames = append(c.profileNames, name)
	}

	// Profile: instance value, then AWS_DEFAULT_PROFILE, then AWS_PROFILE (items 1.04, 2.19).
	switch {
	case opts.Profile != "":
		c.profile, c.profileNamed, c.profileExplicit = opts.Profile, true, true
	default:
		if v, ok := env("AWS_DEFAULT_PROFILE"); ok {
			c.profile, c.profileNamed = v, true
		} else if v, ok := env("AWS_PROFILE"); ok {
			c.profile, c.profileNamed = v, true
		}
	}
	return c, nil
}

func readRaw(path string) (*rawFile, error) {
	empty := &rawFile{sections: map[string]*Section{}}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return empty, nil // botocore: ConfigNotFound → empty
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, fs.ErrNotExist) {
			return empty, nil // configparser.read skips files it cannot open
		}
		return empty, nil
	}
	return parseINI(path, data)
}

// buildProfileMap is botocore's build_profile_map: sections whose name starts
// with "profile", "sso-session" or "services" are shell-split and kept when
// they split into exactly two words (items 1.12, 2.14).
func (c *Config) buildProfileMap(raw *rawFile) {
	c.profiles = map[string]*Section{}
	c.configProfiles = map[string]*Section{}
	c.ssoSessions = map[string]*Section{}
	c.services = map[string]*Section{}
	addProfile := func(name string, sec *Section) {
		if _, ok := c.profiles[name]; !ok {
			c.profileNames = append(c.profileNames, name)
		}
		// A later section replaces the earlier one wholesale ([default] and
		// [profile default], item 2.14); it keeps the first one's position.
		c.profiles[name] = sec.clone()
		c.configProfiles[name] = sec
	}
	for _, name := range raw.names {
		sec := raw.sections[name]
		switch {
		case strings.HasPrefix(name, "profile"):
			if n, ok := sectionSuffix(name); ok {
				addProfile(n, sec)
			}
		case strings.HasPrefix(name, "sso-session"):
			if n, ok := sectionSuffix(name); ok {
				c.ssoSessions[n] = sec
			}
		case strings.HasPrefix(name, "services"):
			if n, ok := sectionSuffix(name); ok {
				c.services[n] = sec
			}
		case name == "default":
			addProfile(name, sec)
		}
	}
}

func sectionSuffix(name string) (string, bool) {
	parts, err := shlexSplit(name)
	if err != nil || len(parts) != 2 {
		return "", false
	}
	return parts[1], true
}

func (c *Config) filePath(explicit, envName, def string) string {
	p := explicit
	if p == "" {
		if v, ok := c.env(envName); ok {
			p = v
		} else {
			p = def
		}
	}
	return c.expandPath(p)
}

var envVarRE = regexp.MustCompile(`\$([A-Za-z0-9_]+|\{[^}]*\})`)

// expandPath is os.path.expanduser(os.path.expandvars(p)) (item 2.17): unknown
// variables are left as written.
func (c *Config) expandPath(p string) string {
	p = envVarRE.ReplaceAllStringFunc(p, func(m string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(m[1:], "{"), "}")
		if v, ok := c.env(name); ok {
			return v
		}
		return m
	})
	if !strings.HasPrefix(p, "~") {
		return p
	}
	rest := p[1:]
	i := strings.IndexByte(rest, '/')
	userPart := rest
	if i >= 0 {
		userPart = rest[:i]
	}
	var home string
	if userPart == "" {
		if h, ok := c.env("HOME"); ok {
			home = h
		} else if u, err := user.Current(); err == nil {
			home = u.HomeDir
		} else {
			return p
		}
	} else {
		u, err := user.Lookup(userPart)
		if err != nil {
			return p
		}
		home = u.HomeDir
	}
	if i < 0 {
		return home
	}
	if home == "/" {
		home = ""
	}
	return strings.TrimRight(home, "/") + rest[i:]
}

// ConfigFile and CredentialsFile are the expanded paths that were read.
func (c *Config) ConfigFile() string      { return c.configPath }
func (c *Config) CredentialsFile() string { return c.credentialsPath }

// Profiles lists profile names as boto3's Session.available_profiles does:
// config-file profiles in file order, then credentials-file-only profiles
// (item 1.10).
func (c *Config) Profiles() []string {
	return append([]string{}, c.profileNames...)
}

// ProfileName is boto3's Session.profile_name: the named profile or "default".
func (c *Config) ProfileName() string {
	if c.profileNamed {
		return c.profile
	}
	return "default"
}

// ProfileExplicit reports whether the profile was chosen in code (Options.Profile).
func (c *Config) ProfileExplicit() bool { return c.profileExplicit }

// Profile returns the merged values of a profile (config file overlaid by the
// credentials file), or nil.
func (c *Config) Profile(name string) *Section { return c.profiles[name] }

// ActiveProfile is botocore's get_scoped_config: the selected profile, or the
// default profile, or an empty section when no profile was named and there is
// no default.
func (c *Config) ActiveProfile() *Section {
	if p := c.profiles[c.ProfileName()]; p != nil {
		return p
	}
	return newSection()
}

// SSOSession returns the [sso-session name] section, or nil.
func (c *Config) SSOSession(name string) *Section { return c.ssoSessions[name] }

// Services returns the [services name] section, or nil (item 2.47).
func (c *Config) Services(name string) *Section { return c.services[name] }

// Lookup resolves a configuration variable as botocore's config chain does
// after the instance value (item 2.35): the first present environment variable
// of envVars, then fileKey in the active profile. An empty fileKey skips the
// file; nested sub-sections are not returned.
func (c *Config) Lookup(fileKey string, envVars ...string) (string, bool) {
	for _, e := range envVars {
		if v, ok := c.env(e); ok {
			return v, true
		}
	}
	if fileKey == "" {
		return "", false
	}
	return c.ActiveProfile().Get(fileKey)
}

// Region resolves the region (item 1.06, 2.20): explicit, then
// AWS_DEFAULT_REGION, then the active profile's region. AWS_REGION is not read:
// botocore never reads it for the region (the Go SDK does, item 8.02). The
// boolean is false when no region is configured anywhere.
func (c *Config) Region(explicit string) (string, bool) {
	if explicit != "" {
		return explicit, true
	}
	return c.Lookup("region", "AWS_DEFAULT_REGION")
}

// Getenv exposes the Config's environment lookup.
func (c *Config) Getenv(key string) (string, bool) { return c.env(key) }
