package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/awsconfig"
)

// ssoPortal is a fake SSO portal on 127.0.0.1: GetRoleCredentials answers
// for one token, UnauthorizedException for any other.
type ssoPortal struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
}

func newSSOPortal(t *testing.T, token string, exp time.Time) *ssoPortal {
	p := &ssoPortal{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.reqs = append(p.reqs, r.Clone(context.Background()))
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("x-amz-sso_bearer_token") != token {
			w.Header().Set("x-amzn-ErrorType", "UnauthorizedException")
			w.WriteHeader(401)
			fmt.Fprint(w, `{"message":"Session token not found or invalid"}`)
			return
		}
		fmt.Fprintf(w, `{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"ssosecret","sessionToken":"ssotoken","expiration":%d}}`, exp.UnixMilli())
	}))
	t.Cleanup(p.Close)
	return p
}

func writeSSOToken(t *testing.T, home, key, token string, exp time.Time) {
	t.Helper()
	dir := filepath.Join(home, ".aws", "sso", "cache")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"startUrl":"https://d-123.awsapps.com/start","region":"us-east-1","accessToken":%q,"expiresAt":%q}`, token, exp.UTC().Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, awsconfig.SSOTokenCacheKey("", key)+".json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// 2.27: an sso-session profile reads the cached token (sha1 of the session
// name) and calls GetRoleCredentials, unsigned, through the session's own
// sso client; method "sso", refreshable with the portal's expiry.
func TestSSOCredentialsFromSSOSession_2_27(t *testing.T) {
	exp := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	portal := newSSOPortal(t, "tok-1", exp)
	cfg := "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = eu-west-1\n" +
		"[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\n"
	env := writeFiles(t, cfg, "", map[string]string{"AWS_ENDPOINT_URL_SSO": portal.URL})
	writeSSOToken(t, env("HOME"), "corp", "tok-1", time.Now().Add(time.Hour))
	s, err := New(Options{Profile: "dev", Env: env})
	if err != nil {
		t.Fatal(err)
	}
	cr, err := s.Credentials(context.Background())
	if err != nil || cr == nil {
		t.Fatalf("credentials: %v %v", cr, err)
	}
	if cr.AccessKeyID != "ASIASSO" || cr.SecretAccessKey != "ssosecret" || cr.SessionToken != "ssotoken" ||
		cr.Method != "sso" || cr.AccountID != "111122223333" || !cr.Expires.Equal(exp) {
		t.Errorf("credentials = %+v", cr)
	}
	r := portal.reqs[0]
	if r.Method != "GET" || r.URL.Path != "/federation/credentials" || r.URL.Query().Get("role_name") != "Dev" ||
		r.URL.Query().Get("account_id") != "111122223333" {
		t.Errorf("request %s %s", r.Method, r.URL)
	}
	if r.Header.Get("Authorization") != "" {
		t.Error("GetRoleCredentials was signed")
	}
}

// 2.27: the legacy form (sso_start_url + sso_region in the profile) keys the
// token cache by the start URL.
func TestSSOCredentialsLegacyProfile_2_27(t *testing.T) {
	portal := newSSOPortal(t, "tok-legacy", time.Now().Add(time.Hour))
	cfg := "[default]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n"
	env := writeFiles(t, cfg, "", map[string]string{"AWS_ENDPOINT_URL_SSO": portal.URL})
	dir := filepath.Join(env("HOME"), ".aws", "sso", "cache")
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, awsconfig.SSOTokenCacheKey("https://d-123.awsapps.com/start", "")+".json"),
		[]byte(`{"accessToken":"tok-legacy","expiresAt":"2999-01-01T00:00:00Z"}`), 0o600)
	s, _ := New(Options{Env: env})
	cr, err := s.Credentials(context.Background())
	if err != nil || cr == nil || cr.AccessKeyID != "ASIASSO" {
		t.Fatalf("%+v %v", cr, err)
	}
	// botocore's cache key: hex SHA-1 of the start URL.
	if k := awsconfig.SSOTokenCacheKey("https://d-123.awsapps.com/start", ""); k != "2b829a45f04c9828cb45b7d092d8e4aa30818393" {
		t.Errorf("key %s", k)
	}
}

// 2.27: configuration and token errors as botocore raises them.
func TestSSOErrors_2_27(t *testing.T) {
	portal := newSSOPortal(t, "good", time.Now().Add(time.Hour))
	cases := []struct {
		name, cfg, tokenKey, token string
		tokenExp                   time.Duration
		check                      func(error) bool
		want                       string
	}{
		{"missing keys", "[default]\nsso_account_id = 1\nsso_role_name = R\nsso_region = us-east-1\n", "", "", 0,
			func(err error) bool { var e *InvalidConfigError; return errors.As(err, &e) },
			`The profile "default" is configured to use SSO but is missing required configuration: sso_start_url`},
		{"unknown sso-session", "[default]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n", "", "", 0,
			func(err error) bool { var e *InvalidConfigError; return errors.As(err, &e) },
			`The specified sso-session does not exist: "nope"`},
		{"no token", "[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n[sso-session s]\nsso_start_url = u\nsso_region = us-east-1\n", "", "", 0,
			func(err error) bool { var e *awsconfig.SSOTokenLoadError; return errors.As(err, &e) },
			"Error loading SSO Token: Token for s does not exist"},
		{"expired token", "[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n[sso-session s]\nsso_start_url = u\nsso_region = us-east-1\n", "s", "good", -time.Minute,
			func(err error) bool { return errors.Is(err, awsconfig.ErrUnauthorizedSSOToken) }, ""},
		{"portal refuses token", "[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n[sso-session s]\nsso_start_url = u\nsso_region = us-east-1\n", "s", "revoked", time.Hour,
			func(err error) bool { return errors.Is(err, awsconfig.ErrUnauthorizedSSOToken) }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := writeFiles(t, tc.cfg, "", map[string]string{"AWS_ENDPOINT_URL_SSO": portal.URL})
			if tc.tokenKey != "" {
				writeSSOToken(t, env("HOME"), tc.tokenKey, tc.token, time.Now().Add(tc.tokenExp))
			}
			s, err := New(Options{Env: env})
			if err == nil {
				_, err = s.Credentials(context.Background())
			}
			if err == nil || !tc.check(err) || (tc.want != "" && err.Error() != tc.want) {
				t.Errorf("err = %v", err)
			}
		})
	}
}
