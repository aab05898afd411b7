package awsconfig

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func resolve(t *testing.T, env map[string]string, profile string, opts ChainOptions) (Credentials, error) {
	t.Helper()
	c, err := load(t, env, profile)
	if err != nil {
		return Credentials{}, err
	}
	cp, err := c.ResolveCredentials(context.Background(), opts)
	if err != nil {
		return Credentials{}, err
	}
	return cp.Retrieve(context.Background())
}

type fakeSTS struct {
	mu    sync.Mutex
	calls []AssumeRoleInput
	web   []WebIdentityInput
}

func (f *fakeSTS) AssumeRole(ctx context.Context, in AssumeRoleInput) (Credentials, error) {
	src, err := in.Source.Retrieve(ctx)
	if err != nil {
		return Credentials{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, in)
	return Credentials{AccessKeyID: "ASIA-" + in.RoleARN + "-by-" + src.AccessKeyID, SecretAccessKey: "s", SessionToken: "t",
		Expires: time.Now().Add(time.Hour)}, nil
}

func (f *fakeSTS) AssumeRoleWithWebIdentity(_ context.Context, in WebIdentityInput) (Credentials, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.web = append(f.web, in)
	return Credentials{AccessKeyID: "WEB-" + in.WebIdentityToken, SecretAccessKey: "s", Expires: time.Now().Add(time.Hour)}, nil
}

// Items 2.01–2.13: which provider wins and what it reports.
func TestCredentialChainOrder(t *testing.T) {
	envKeys := map[string]string{"AWS_ACCESS_KEY_ID": "ENV", "AWS_SECRET_ACCESS_KEY": "envsecret"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range envKeys {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	cfg := "[default]\naws_access_key_id=CFGDEF\naws_secret_access_key=x\n[profile p]\naws_access_key_id=CFGP\naws_secret_access_key=x\n[profile onlycfg]\naws_access_key_id=ONLYCFG\naws_secret_access_key=x\naws_session_token=tok\n"
	cred := "[p]\naws_access_key_id=CREDP\naws_secret_access_key=y\naws_security_token=sec\naws_session_token=sess\n"
	tests := []struct {
		name       string
		env        map[string]string
		profile    string
		opts       ChainOptions
		wantKey    string
		wantMethod string
		wantToken  string
	}{
		{"2.06 env", with(nil), "", ChainOptions{}, "ENV", MethodEnv, ""},
		{"2.06 AWS_SECURITY_TOKEN beats AWS_SESSION_TOKEN", with(map[string]string{"AWS_SESSION_TOKEN": "b", "AWS_SECURITY_TOKEN": "a"}), "", ChainOptions{}, "ENV", MethodEnv, "a"},
		{"2.03 profile in code removes env", with(nil), "p", ChainOptions{}, "CREDP", MethodSharedCredentialsFile, "sec"},
		{"2.04 profile via AWS_PROFILE keeps env", with(map[string]string{"AWS_PROFILE": "p"}), "", ChainOptions{}, "ENV", MethodEnv, ""},
		{"2.05 explicit beats everything", with(nil), "p", ChainOptions{AccessKeyID: "EXP", SecretAccessKey: "s"}, "EXP", MethodExplicit, ""},
		{"2.10 config file keys", nil, "onlycfg", ChainOptions{}, "ONLYCFG", MethodConfigFile, "tok"},
		{"2.11 credentials file beats config file", nil, "p", ChainOptions{}, "CREDP", MethodSharedCredentialsFile, "sec"},
		{"2.07 secret without key skips env", map[string]string{"AWS_SECRET_ACCESS_KEY": "s"}, "", ChainOptions{}, "CFGDEF", MethodConfigFile, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr, err := resolve(t, files(t, cfg, cred, tt.env), tt.profile, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if cr.AccessKeyID != tt.wantKey || cr.Method != tt.wantMethod || cr.SessionToken != tt.wantToken {
				t.Errorf("got %s/%s/%q, want %s/%s/%q", cr.AccessKeyID, cr.Method, cr.SessionToken, tt.wantKey, tt.wantMethod, tt.wantToken)
			}
		})
	}
}

func TestPartialCredentialsAbortTheChain(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		cfg     string
		cred    string
		opts    ChainOptions
		wantMsg string
	}{
		{"2.07 env key without secret", map[string]string{"AWS_ACCESS_KEY_ID": "A"}, "", "", ChainOptions{},
			"Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"},
		{"2.12 credentials file", nil, "", "[default]\naws_access_key_id=A\n", ChainOptions{},
			"Partial credentials found in shared-credentials-file, missing: aws_secret_access_key"},
		{"2.12 config file", nil, "[default]\naws_access_key_id=A\n", "", ChainOptions{},
			"Partial credentials found in config-file, missing: aws_secret_access_key"},
		{"1.29 explicit key only", nil, "", "", ChainOptions{AccessKeyID: "A"},
			"Partial credentials found in explicit, missing: aws_secret_access_key"},
		{"1.29 explicit secret only", nil, "", "", ChainOptions{SecretAccessKey: "S"},
			"Partial credentials found in explicit, missing: aws_access_key_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolve(t, files(t, tt.cfg, tt.cred, tt.env), "", tt.opts)
			var pe *PartialCredentialsError
			if !errors.As(err, &pe) || err.Error() != tt.wantMsg {
				t.Fatalf("err = %v, want %q", err, tt.wantMsg)
			}
		})
	}
}

func TestNothingConfiguredIsErrNoCredentials(t *testing.T) {
	_, err := resolve(t, files(t, "", "", map[string]string{"AWS_EC2_METADATA_DISABLED": "true"}), "", ChainOptions{})
	if !errors.Is(err, ErrNoCredentials) || err.Error() != "Unable to locate credentials" {
		t.Fatalf("err = %v", err)
	}
}

// Items 2.21–2.25.
func TestAssumeRoleProfiles(t *testing.T) {
	cfg := `[profile base]
aws_access_key_id = BASE
aws_secret_access_key = s
[profile role]
role_arn = arn:r1
source_profile = base
role_session_name = mysess
external_id = ext
duration_seconds = 1800
[profile chained]
role_arn = arn:r2
source_profile = role
[profile envsrc]
role_arn = arn:r3
credential_source = Environment
[profile both]
role_arn = arn:x
source_profile = base
credential_source = Environment
[profile loop1]
role_arn = arn:l1
source_profile = loop2
[profile loop2]
role_arn = arn:l2
source_profile = loop1
[profile mfa]
role_arn = arn:m
source_profile = base
mfa_serial = arn:mfa
[profile badsrc]
role_arn = arn:x
credential_source = Nope
`
	sts := &fakeSTS{}
	env := files(t, cfg, "", map[string]string{"AWS_ACCESS_KEY_ID": "ENVK", "AWS_SECRET_ACCESS_KEY": "s"})
	opts := ChainOptions{RoleAssumer: sts, WebIdentityAssumer: sts}

	cr, err := resolve(t, env, "role", opts)
	if err != nil {
		t.Fatal(err)
	}
	if cr.AccessKeyID != "ASIA-arn:r1-by-BASE" || cr.Method != MethodAssumeRole {
		t.Errorf("role: %+v", cr)
	}
	got := sts.calls[0]
	if got.RoleSessionName != "mysess" || got.ExternalID != "ext" || got.DurationSeconds != 1800 || got.Profile != "role" {
		t.Errorf("2.21 params: %+v", got)
	}

	cr, err = resolve(t, env, "chained", opts)
	if err != nil || cr.AccessKeyID != "ASIA-arn:r2-by-ASIA-arn:r1-by-BASE" {
		t.Errorf("2.23 chained: %+v %v", cr, err)
	}
	if n := sts.calls[len(sts.calls)-1].RoleSessionName; !strings.HasPrefix(n, "botocore-session-") {
		t.Errorf("default session name %q", n)
	}

	cr, err = resolve(t, env, "envsrc", opts)
	if err != nil || cr.AccessKeyID != "ASIA-arn:r3-by-ENVK" {
		t.Errorf("2.24 credential_source Environment (works even with the profile chosen in code): %+v %v", cr, err)
	}

	_, err = resolve(t, env, "both", opts)
	var ice *InvalidConfigError
	if !errors.As(err, &ice) || err.Error() != `The profile "both" contains both source_profile and credential_source.` {
		t.Errorf("2.24 both: %v", err)
	}

	_, err = resolve(t, env, "loop1", opts)
	var loop *InfiniteLoopConfigError
	if !errors.As(err, &loop) || !strings.HasSuffix(err.Error(), "Attempting to load from profile loop1 which has already been visited. Visited profiles: ['loop1', 'loop2']") {
		t.Errorf("2.25 loop: %v", err)
	}
	if !errors.As(err, &ice) {
		t.Errorf("InfiniteLoopConfigError should match InvalidConfigError")
	}

	_, err = resolve(t, env, "mfa", opts)
	if !errors.Is(err, ErrNoMFAPrompter) {
		t.Errorf("mfa without prompter: %v", err)
	}
	opts.MFAPrompter = func(_ context.Context, serial string) (string, error) { return "123456", nil }
	if _, err = resolve(t, env, "mfa", opts); err != nil || sts.calls[len(sts.calls)-1].TokenCode != "123456" || sts.calls[len(sts.calls)-1].SerialNumber != "arn:mfa" {
		t.Errorf("mfa with prompter: %v %+v", err, sts.calls[len(sts.calls)-1])
	}

	_, err = resolve(t, env, "badsrc", opts)
	if !errors.As(err, &ice) || !strings.Contains(err.Error(), `The credential source "Nope" referenced in profile "badsrc" is not valid.`) {
		t.Errorf("bad credential_source: %v", err)
	}
}

// Item 2.26.
func TestWebIdentityFromEnvAndProfile(t *testing.T) {
	dir := t.TempDir()
	tokFile := filepath.Join(dir, "token")
	os.WriteFile(tokFile, []byte("jwt"), 0o600)
	sts := &fakeSTS{}
	opts := ChainOptions{WebIdentityAssumer: sts}
	cr, err := resolve(t, files(t, "", "", map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": tokFile, "AWS_ROLE_ARN": "arn:w", "AWS_ROLE_SESSION_NAME": "ws"}), "", opts)
	if err != nil || cr.AccessKeyID != "WEB-jwt" || cr.Method != MethodWebIdentity {
		t.Fatalf("%+v %v", cr, err)
	}
	if in := sts.web[0]; in.RoleARN != "arn:w" || in.RoleSessionName != "ws" {
		t.Errorf("input %+v", in)
	}
	cr, err = resolve(t, files(t, "[profile w]\nweb_identity_token_file="+tokFile+"\nrole_arn=arn:p\n", "", nil), "w", opts)
	if err != nil || cr.Method != MethodWebIdentity || sts.web[1].RoleARN != "arn:p" {
		t.Fatalf("profile: %+v %v", cr, err)
	}
	_, err = resolve(t, files(t, "", "", map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": tokFile}), "", opts)
	var ice *InvalidConfigError
	if !errors.As(err, &ice) {
		t.Errorf("missing role arn: %v", err)
	}
}

// Item 2.28.
func TestCredentialProcess(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
			t.Fatal(err)
		}
		return p
	}
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	ok := script("ok", `echo '{"Version": 1, "AccessKeyId": "PROC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "`+exp+`"}'`)
	static := script("static", `echo '{"Version": 1, "AccessKeyId": "STATIC", "SecretAccessKey": "s"}'`)
	fail := script("fail", "echo boom >&2; exit 3\n")
	v2 := script("v2", `echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}'`)
	nokey := script("nokey", `echo '{"Version": 1, "SecretAccessKey": "s"}'`)

	cr, err := resolve(t, files(t, "[default]\ncredential_process = "+ok+" --arg 'x y'\n", "", nil), "", ChainOptions{})
	if err != nil || cr.AccessKeyID != "PROC" || cr.Method != MethodProcess || cr.Expires.IsZero() {
		t.Fatalf("%+v %v", cr, err)
	}
	cr, err = resolve(t, files(t, "[default]\ncredential_process = "+static+"\n", "", nil), "", ChainOptions{})
	if err != nil || cr.AccessKeyID != "STATIC" || !cr.Expires.IsZero() {
		t.Fatalf("%+v %v", cr, err)
	}
	for _, tc := range []struct{ cmd, msg string }{
		{fail, "Error when retrieving credentials from custom-process: boom\n"},
		{v2, "Error when retrieving credentials from custom-process: Unsupported version '2' for credential process provider, supported versions: 1"},
		{nokey, "Error when retrieving credentials from custom-process: Missing required key in response: 'AccessKeyId'"},
	} {
		_, err := resolve(t, files(t, "[default]\ncredential_process = "+tc.cmd+"\n", "", nil), "", ChainOptions{})
		var cre *CredentialRetrievalError
		if !errors.As(err, &cre) || err.Error() != tc.msg {
			t.Errorf("%s: err = %v, want %q", filepath.Base(tc.cmd), err, tc.msg)
		}
	}
}

func credsHandler(t *testing.T, wantAuth string, hits *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != wantAuth {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, `{"AccessKeyId":"CONT","SecretAccessKey":"s","Token":"t","Expiration":"%s"}`, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	})
}

// Items 2.29, 2.30.
func TestContainerCredentials(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(credsHandler(t, "Bearer x", &hits))
	defer srv.Close()
	noSleep := func(context.Context, time.Duration) error { return nil }
	opts := ChainOptions{ContainerBaseURL: srv.URL, Sleep: noSleep, HTTPClient: srv.Client()}

	cr, err := resolve(t, files(t, "", "", map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer x"}), "", opts)
	if err != nil || cr.AccessKeyID != "CONT" || cr.Method != MethodContainer {
		t.Fatalf("relative: %+v %v", cr, err)
	}
	tokFile := filepath.Join(t.TempDir(), "tok")
	os.WriteFile(tokFile, []byte("Bearer x"), 0o600)
	cr, err = resolve(t, files(t, "", "", map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokFile}), "", opts)
	if err != nil || cr.AccessKeyID != "CONT" {
		t.Fatalf("full uri + token file: %+v %v", cr, err)
	}
	hits.Store(0)
	_, err = resolve(t, files(t, "", "", map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"}), "", opts)
	var cre *CredentialRetrievalError
	if !errors.As(err, &cre) || hits.Load() != 3 {
		t.Errorf("401 should be retried 3 times then fail: %v (hits %d)", err, hits.Load())
	}
	_, err = resolve(t, files(t, "", "", map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"}), "", opts)
	if err == nil || !strings.HasPrefix(err.Error(), "Unsupported host 'example.com'.") {
		t.Errorf("2.30 host rule: %v", err)
	}
	for _, u := range []string{"http://127.0.0.2:9/x", "http://[::1]:9/x", "http://localhost/x", "https://example.com/x", "http://169.254.170.23/x"} {
		if err := validateContainerURL(u); err != nil {
			t.Errorf("%s rejected: %v", u, err)
		}
	}
}

// Items 2.31–2.33.
func TestInstanceMetadataCredentials(t *testing.T) {
	var v1 bool
	var puts atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /latest/api/token", func(w http.ResponseWriter, r *http.Request) {
		puts.Add(1)
		if v1 || r.Header.Get("X-aws-ec2-metadata-token-ttl-seconds") != "21600" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		fmt.Fprint(w, "TOKEN")
	})
	check := func(w http.ResponseWriter, r *http.Request) bool {
		if !v1 && r.Header.Get("X-aws-ec2-metadata-token") != "TOKEN" {
			w.WriteHeader(http.StatusUnauthorized)
			return false
		}
		return true
	}
	mux.HandleFunc("GET /latest/meta-data/iam/security-credentials/", func(w http.ResponseWriter, r *http.Request) {
		if check(w, r) {
			fmt.Fprint(w, "myrole")
		}
	})
	mux.HandleFunc("GET /latest/meta-data/iam/security-credentials/myrole", func(w http.ResponseWriter, r *http.Request) {
		if check(w, r) {
			fmt.Fprintf(w, `{"Code":"Success","AccessKeyId":"IMDS","SecretAccessKey":"s","Token":"t","Expiration":"%s"}`, time.Now().Add(6*time.Hour).UTC().Format("2006-01-02T15:04:05Z"))
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cr, err := resolve(t, files(t, "", "", map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": srv.URL}), "", ChainOptions{})
	if err != nil || cr.AccessKeyID != "IMDS" || cr.Method != MethodIAMRole || cr.SessionToken != "t" {
		t.Fatalf("v2: %+v %v", cr, err)
	}
	v1 = true
	cr, err = resolve(t, files(t, "", "", nil), "", ChainOptions{IMDSEndpoint: srv.URL + "/"})
	if err != nil || cr.AccessKeyID != "IMDS" {
		t.Fatalf("2.32 v1 fallback: %+v %v", cr, err)
	}
	_, err = resolve(t, files(t, "", "", map[string]string{"AWS_EC2_METADATA_V1_DISABLED": "true"}), "", ChainOptions{IMDSEndpoint: srv.URL})
	var mre *MetadataRetrievalError
	if !errors.As(err, &mre) {
		t.Errorf("2.32 v1 disabled: %v", err)
	}
	puts.Store(0)
	_, err = resolve(t, files(t, "", "", map[string]string{"AWS_EC2_METADATA_DISABLED": "TRUE"}), "", ChainOptions{IMDSEndpoint: srv.URL})
	if !errors.Is(err, ErrNoCredentials) || puts.Load() != 0 {
		t.Errorf("2.33 disabled: %v, %d requests", err, puts.Load())
	}
	// A dead endpoint is "not found", not an error.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, err = resolve(t, files(t, "", "", map[string]string{"AWS_METADATA_SERVICE_NUM_ATTEMPTS": "2", "AWS_METADATA_SERVICE_TIMEOUT": "0.5"}), "", ChainOptions{IMDSEndpoint: dead.URL})
	if !errors.Is(err, ErrNoCredentials) {
		t.Errorf("dead endpoint: %v", err)
	}
}

// Item 2.34: advisory and mandatory refresh windows.
func TestRefreshWindows(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var calls atomic.Int32
	var failing atomic.Bool
	refresh := func(context.Context) (Credentials, error) {
		calls.Add(1)
		if failing.Load() {
			return Credentials{}, errors.New("sts down")
		}
		return Credentials{AccessKeyID: fmt.Sprint("K", calls.Load()), Expires: now.Add(time.Hour)}, nil
	}
	r := NewRefreshable(MethodAssumeRole, &Credentials{AccessKeyID: "K0", Expires: now.Add(20 * time.Minute)}, refresh, clock)
	ctx := context.Background()
	if c, _ := r.Retrieve(ctx); c.AccessKeyID != "K0" || calls.Load() != 0 {
		t.Fatalf("outside windows: %+v", c)
	}
	now = now.Add(6 * time.Minute) // 14 min left: advisory
	failing.Store(true)
	if c, err := r.Retrieve(ctx); err != nil || c.AccessKeyID != "K0" {
		t.Fatalf("advisory failure is ignored: %+v %v", c, err)
	}
	now = now.Add(5 * time.Minute) // 9 min left: mandatory
	if _, err := r.Retrieve(ctx); err == nil {
		t.Fatal("mandatory failure must be returned")
	}
	failing.Store(false)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c, err := r.Retrieve(ctx); err != nil || c.Method != MethodAssumeRole {
				t.Errorf("concurrent: %+v %v", c, err)
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 3 {
		t.Errorf("refresh calls = %d, want 3 (one per window hit, one for all concurrent callers)", calls.Load())
	}
	stale := NewRefreshable("x", nil, func(context.Context) (Credentials, error) {
		return Credentials{Expires: now.Add(-time.Minute)}, nil
	}, clock)
	if _, err := stale.Retrieve(ctx); !errors.Is(err, ErrRefreshedStillExpired) {
		t.Errorf("still expired: %v", err)
	}
}

// Item 2.08.
func TestEnvCredentialExpirationIsRefreshable(t *testing.T) {
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	c := mustLoad(t, files(t, "", "", map[string]string{"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "s", "AWS_CREDENTIAL_EXPIRATION": exp}), "")
	cp, err := c.ResolveCredentials(context.Background(), ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cp.(*RefreshableCredentials); !ok {
		t.Fatalf("%T", cp)
	}
	cr, _ := cp.Retrieve(context.Background())
	if cr.Expires.Format(time.RFC3339) != exp || cr.Method != MethodEnv {
		t.Errorf("%+v", cr)
	}
}
