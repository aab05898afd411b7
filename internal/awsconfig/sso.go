package awsconfig

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MethodSSO is the method of credentials from the SSO provider (item 1.28).
const MethodSSO = "sso"

// SSORoleInput are the parameters of an SSO portal GetRoleCredentials call
// (item 2.27): unsigned, sent to the sso_region's portal endpoint with the
// cached access token as the x-amz-sso_bearer_token header.
type SSORoleInput struct {
	Region      string // sso_region
	AccountID   string // sso_account_id
	RoleName    string // sso_role_name
	AccessToken string
	Profile     string
}

// SSOFetcher performs the SSO portal's GetRoleCredentials; the session
// implements it with its own "sso" client. An UnauthorizedException from the
// portal should be returned as ErrUnauthorizedSSOToken.
type SSOFetcher interface {
	GetRoleCredentials(ctx context.Context, in SSORoleInput) (Credentials, error)
}

// ErrUnauthorizedSSOToken is botocore's UnauthorizedSSOTokenError: the cached
// token has expired or the portal refused it.
var ErrUnauthorizedSSOToken = errors.New("The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.")

// SSOTokenLoadError is botocore's SSOTokenLoadError: the token cache has no
// usable entry for the start URL or sso-session.
type SSOTokenLoadError struct{ Message string }

func (e *SSOTokenLoadError) Error() string { return "Error loading SSO Token: " + e.Message }

// SSOTokenCacheKey is the file name (without ".json") under ~/.aws/sso/cache
// holding the token for a start URL, or for an sso-session when session is
// not empty: the hex SHA-1 of that string, as botocore's SSOTokenLoader.
func SSOTokenCacheKey(startURL, session string) string {
	in := startURL
	if session != "" {
		in = session
	}
	sum := sha1.Sum([]byte(in))
	return hex.EncodeToString(sum[:])
}

// ssoProvider is botocore's SSOProvider (item 2.27).
type ssoProvider struct {
	c       *Config
	o       *ChainOptions
	profile string
}

func (*ssoProvider) Method() string { return MethodSSO }

// ssoConfig resolves the profile's SSO keys, following sso_session to its
// [sso-session] section. nil, nil means the profile does not use SSO.
func (p *ssoProvider) ssoConfig() (map[string]string, error) {
	prof := p.c.profiles[p.profile]
	if prof == nil || (!prof.Has("sso_role_name") && !prof.Has("sso_account_id")) {
		return nil, nil
	}
	cfg := map[string]string{}
	for _, k := range prof.Keys() {
		if v, ok := prof.Get(k); ok {
			cfg[k] = v
		}
	}
	required := []string{"sso_role_name", "sso_account_id", "sso_start_url", "sso_region"}
	if name, ok := cfg["sso_session"]; ok {
		sess := p.c.SSOSession(name)
		if sess == nil {
			return nil, &InvalidConfigError{Message: fmt.Sprintf("The specified sso-session does not exist: \"%s\"", name)}
		}
		for _, k := range sess.Keys() {
			v, _ := sess.Get(k)
			if old, ok := cfg[k]; ok && old != v {
				return nil, &InvalidConfigError{Message: fmt.Sprintf("The value for %s is inconsistent between profile (%s) and sso-session (%s).", k, old, v)}
			}
			cfg[k] = v
		}
		required = append(required, "sso_session")
	}
	var missing []string
	for _, k := range required {
		if _, ok := cfg[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, &InvalidConfigError{Message: fmt.Sprintf("The profile \"%s\" is configured to use SSO but is missing required configuration: %s",
			p.profile, strings.Join(missing, ", "))}
	}
	return cfg, nil
}

func (p *ssoProvider) Load(context.Context) (CredentialsProvider, error) {
	cfg, err := p.ssoConfig()
	if cfg == nil || err != nil {
		return nil, err
	}
	if p.o.SSOFetcher == nil {
		return nil, &InvalidConfigError{Message: "awsconfig: profile " + p.profile + " uses SSO but no SSOFetcher was provided"}
	}
	dir := p.o.SSOCacheDir
	if dir == "" {
		dir = p.c.expandPath(filepath.Join("~", ".aws", "sso", "cache"))
	}
	profile := p.profile
	// Deferred: nothing is read or called until the credentials are used,
	// as botocore's DeferredRefreshableCredentials.
	return NewRefreshable(MethodSSO, nil, func(ctx context.Context) (Credentials, error) {
		token, err := loadSSOToken(dir, cfg["sso_start_url"], cfg["sso_session"], p.o.now())
		if err != nil {
			return Credentials{}, err
		}
		cr, err := p.o.SSOFetcher.GetRoleCredentials(ctx, SSORoleInput{Region: cfg["sso_region"], AccountID: cfg["sso_account_id"],
			RoleName: cfg["sso_role_name"], AccessToken: token, Profile: profile})
		if err != nil {
			return Credentials{}, err
		}
		cr.Method = MethodSSO
		if cr.AccountID == "" {
			cr.AccountID = cfg["sso_account_id"]
		}
		return cr, nil
	}, p.o.Now), nil
}

// loadSSOToken reads <dir>/<sha1>.json and returns its accessToken; an
// expired token is ErrUnauthorizedSSOToken (botocore checks before calling
// the portal). Refreshing an sso-session token through SSO OIDC is not done.
func loadSSOToken(dir, startURL, session string, now time.Time) (string, error) {
	name := startURL
	if session != "" {
		name = session
	}
	b, err := os.ReadFile(filepath.Join(dir, SSOTokenCacheKey(startURL, session)+".json"))
	if err != nil {
		return "", &SSOTokenLoadError{Message: fmt.Sprintf("Token for %s does not exist", name)}
	}
	var tok struct {
		AccessToken string `json:"accessToken"`
		ExpiresAt   string `json:"expiresAt"`
	}
	if json.Unmarshal(b, &tok) != nil || tok.AccessToken == "" || tok.ExpiresAt == "" {
		return "", &SSOTokenLoadError{Message: fmt.Sprintf("Token for %s is invalid", name)}
	}
	exp, err := parseExpiry(tok.ExpiresAt)
	if err != nil {
		return "", &SSOTokenLoadError{Message: fmt.Sprintf("Token for %s is invalid", name)}
	}
	if !exp.After(now) {
		return "", ErrUnauthorizedSSOToken
	}
	return tok.AccessToken, nil
}
