package awsconfig

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Provider is one link of the credential chain. Load returns (nil, nil) when
// the source is not configured, so the chain moves on; an error aborts the
// whole chain (item 2.02).
type Provider interface {
	Method() string
	Load(ctx context.Context) (CredentialsProvider, error)
}

// Chain is an ordered credential chain.
type Chain []Provider

// Resolve returns the first provider's credentials, or ErrNoCredentials.
func (ch Chain) Resolve(ctx context.Context) (CredentialsProvider, error) {
	for _, p := range ch {
		cp, err := p.Load(ctx)
		if err != nil {
			return nil, err
		}
		if cp != nil {
			return cp, nil
		}
	}
	return nil, ErrNoCredentials
}

// AssumeRoleInput are the STS AssumeRole parameters of a role profile (item 2.21).
type AssumeRoleInput struct {
	RoleARN         string
	RoleSessionName string
	ExternalID      string // "" when unset
	SerialNumber    string // mfa_serial
	TokenCode       string // from the MFA prompter
	DurationSeconds int64  // 0 when unset
	// Profile is the role profile; its region is the STS client's (item 2.22).
	Profile string
	// Source signs the call: the source profile's or credential_source's
	// credentials (item 2.23: a previous AssumeRole's for chained roles).
	Source CredentialsProvider
}

// RoleAssumer performs STS AssumeRole; the session implements it with its STS client.
type RoleAssumer interface {
	AssumeRole(ctx context.Context, in AssumeRoleInput) (Credentials, error)
}

// WebIdentityInput are the parameters of an unsigned STS
// AssumeRoleWithWebIdentity call (item 2.26).
type WebIdentityInput struct {
	RoleARN          string
	RoleSessionName  string
	WebIdentityToken string
	Profile          string
}

// WebIdentityAssumer performs STS AssumeRoleWithWebIdentity.
type WebIdentityAssumer interface {
	AssumeRoleWithWebIdentity(ctx context.Context, in WebIdentityInput) (Credentials, error)
}

// MFAPrompter returns the current token code for an MFA device serial.
type MFAPrompter func(ctx context.Context, serial string) (string, error)

// ErrNoMFAPrompter is returned for a role profile with mfa_serial when no
// MFAPrompter is configured (botocore would prompt on the terminal).
var ErrNoMFAPrompter = errors.New("awsconfig: profile has mfa_serial but no MFA prompter is configured")

// ErrMFARefreshUnsupported is botocore's RefreshWithMFAUnsupportedError.
var ErrMFARefreshUnsupported = errors.New("Cannot refresh credentials: MFA token required.")

// ChainOptions configures CredentialChain.
type ChainOptions struct {
	// Explicit session credentials (boto3 Session(aws_access_key_id=...)).
	// Any of them set selects the "explicit" method; a missing key or secret is
	// a *PartialCredentialsError (item 1.29, deliberate deviation from boto3,
	// which fails only at signing).
	AccessKeyID, SecretAccessKey, SessionToken string

	RoleAssumer        RoleAssumer
	WebIdentityAssumer WebIdentityAssumer
	MFAPrompter        MFAPrompter
	// SSOFetcher calls the SSO portal for sso_* profiles (item 2.27);
	// SSOCacheDir replaces ~/.aws/sso/cache, where the tokens are read.
	SSOFetcher  SSOFetcher
	SSOCacheDir string

	// HTTPClient is used for container and instance-metadata credentials.
	HTTPClient *http.Client
	// ContainerBaseURL replaces http://169.254.170.2 for
	// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
	ContainerBaseURL string
	// IMDSEndpoint replaces the instance metadata base URL (like botocore's
	// base_url argument; otherwise AWS_EC2_METADATA_SERVICE_ENDPOINT applies).
	IMDSEndpoint string
	// Now and Sleep replace time.Now and the container retry delay.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

func (o *ChainOptions) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *ChainOptions) sleep(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ResolveCredentials runs the default chain (item 2.01) for the active profile.
func (c *Config) ResolveCredentials(ctx context.Context, opts ChainOptions) (CredentialsProvider, error) {
	return c.CredentialChain(opts).Resolve(ctx)
}

// CredentialChain builds botocore's default chain (create_credential_resolver):
// explicit, env, assume-role, assume-role-with-web-identity, sso,
// shared-credentials-file, custom-process, config-file, container-role,
// iam-role. The env provider is dropped when the profile was chosen in code
// (items 2.03, 2.04).
//
// Not implemented: login, ec2-credentials-file and boto-config; SSO tokens
// are read from the cache but never refreshed through SSO OIDC.
func (c *Config) CredentialChain(opts ChainOptions) Chain {
	o := &opts
	profile := c.ProfileName()
	env := &envProvider{c: c, o: o}
	container := &containerProvider{c: c, o: o}
	imds := &imdsProvider{c: c, o: o}
	var ch Chain
	if opts.AccessKeyID != "" || opts.SecretAccessKey != "" || opts.SessionToken != "" {
		ch = append(ch, explicitProvider{o})
	}
	if !c.profileExplicit {
		ch = append(ch, env)
	}
	ch = append(ch, &assumeRoleProvider{c: c, o: o, profile: profile,
		sources: map[string]Provider{"Environment": env, "EcsContainer": container, "Ec2InstanceMetadata": imds}})
	ch = append(ch, c.profileProviders(o, profile, c.profileExplicit)...)
	return append(ch, container, imds)
}

// profileProviders is botocore's ProfileProviderBuilder.providers.
func (c *Config) profileProviders(o *ChainOptions, profile string, disableEnv bool) []Provider {
	return []Provider{
		&webIdentityProvider{c: c, o: o, profile: profile, disableEnv: disableEnv},
		&ssoProvider{c: c, o: o, profile: profile},
		&fileProvider{method: MethodSharedCredentialsFile, section: c.credentialSections[profile]},
		&processProvider{c: c, o: o, profile: profile},
		&fileProvider{method: MethodConfigFile, section: c.configProfiles[profile]},
	}
}

type explicitProvider struct{ o *ChainOptions }

func (explicitProvider) Method() string { return MethodExplicit }

func (p explicitProvider) Load(context.Context) (CredentialsProvider, error) {
	switch {
	case p.o.AccessKeyID == "":
		return nil, &PartialCredentialsError{Provider: MethodExplicit, Missing: "aws_access_key_id"}
	case p.o.SecretAccessKey == "":
		return nil, &PartialCredentialsError{Provider: MethodExplicit, Missing: "aws_secret_access_key"}
	}
	return Credentials{AccessKeyID: p.o.AccessKeyID, SecretAccessKey: p.o.SecretAccessKey,
		SessionToken: p.o.SessionToken, Method: MethodExplicit}, nil
}

// envProvider is botocore's EnvProvider (items 2.06–2.08).
type envProvider struct {
	c *Config
	o *ChainOptions
}

func (*envProvider) Method() string { return MethodEnv }

func (p *envProvider) get(k string) string { v, _ := p.c.env(k); return v }

func (p *envProvider) fetch(requireExpiry bool) (Credentials, error) {
	cr := Credentials{Method: MethodEnv, AccessKeyID: p.get("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: p.get("AWS_SECRET_ACCESS_KEY"), AccountID: p.get("AWS_ACCOUNT_ID")}
	if cr.AccessKeyID == "" {
		return cr, &PartialCredentialsError{Provider: MethodEnv, Missing: "AWS_ACCESS_KEY_ID"}
	}
	if cr.SecretAccessKey == "" {
		return cr, &PartialCredentialsError{Provider: MethodEnv, Missing: "AWS_SECRET_ACCESS_KEY"}
	}
	// AWS_SECURITY_TOKEN wins over AWS_SESSION_TOKEN (item 2.06).
	for _, k := range []string{"AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"} {
		if v := p.get(k); v != "" {
			cr.SessionToken = v
			break
		}
	}
	exp := p.get("AWS_CREDENTIAL_EXPIRATION")
	if exp == "" {
		if requireExpiry {
			return cr, &PartialCredentialsError{Provider: MethodEnv, Missing: "AWS_CREDENTIAL_EXPIRATION"}
		}
		return cr, nil
	}
	t, err := parseExpiry(exp)
	if err != nil {
		return cr, fmt.Errorf("awsconfig: AWS_CREDENTIAL_EXPIRATION: %w", err)
	}
	cr.Expires = t
	return cr, nil
}

func (p *envProvider) Load(context.Context) (CredentialsProvider, error) {
	if p.get("AWS_ACCESS_KEY_ID") == "" {
		return nil, nil
	}
	cr, err := p.fetch(false)
	if err != nil {
		return nil, err
	}
	if cr.Expires.IsZero() {
		return cr, nil
	}
	return NewRefreshable(MethodEnv, &cr, func(context.Context) (Credentials, error) { return p.fetch(true) }, p.o.Now), nil
}

// fileProvider is SharedCredentialProvider or ConfigProvider (items 2.09–2.12).
type fileProvider struct {
	method  string
	section *Section
}

func (p *fileProvider) Method() string { return p.method }

func (p *fileProvider) Load(context.Context) (CredentialsProvider, error) {
	s := p.section
	if s == nil || !s.Has("aws_access_key_id") {
		return nil, nil
	}
	if !s.Has("aws_secret_access_key") {
		return nil, &PartialCredentialsError{Provider: p.method, Missing: "aws_secret_access_key"}
	}
	cr := Credentials{Method: p.method}
	cr.AccessKeyID, _ = s.Get("aws_access_key_id")
	cr.SecretAccessKey, _ = s.Get("aws_secret_access_key")
	for _, k := range []string{"aws_security_token", "aws_session_token"} {
		if s.Has(k) {
			cr.SessionToken, _ = s.Get(k)
			break
		}
	}
	cr.AccountID, _ = s.Get("aws_account_id")
	return cr, nil
}

// processProvider is botocore's ProcessProvider (item 2.28).
type processProvider struct {
	c       *Config
	o       *ChainOptions
	profile string
}

func (*processProvider) Method() string { return MethodProcess }

func (p *processProvider) Load(ctx context.Context) (CredentialsProvider, error) {
	prof := p.c.profiles[p.profile]
	command, ok := prof.Get("credential_process")
	if !ok {
		return nil, nil
	}
	run := func(ctx context.Context) (Credentials, error) { return runCredentialProcess(ctx, command, prof) }
	cr, err := run(ctx)
	if err != nil {
		return nil, err
	}
	if cr.Expires.IsZero() {
		return cr, nil
	}
	return NewRefreshable(MethodProcess, &cr, run, p.o.Now), nil
}

func runCredentialProcess(ctx context.Context, command string, prof *Section) (Credentials, error) {
	args, err := shlexSplit(command)
	if err != nil || len(args) == 0 {
		return Credentials{}, &CredentialRetrievalError{Provider: MethodProcess, Message: fmt.Sprintf("invalid credential_process %q", command), Err: err}
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return Credentials{}, &CredentialRetrievalError{Provider: MethodProcess, Message: stderr.String(), Err: err}
		}
		return Credentials{}, &CredentialRetrievalError{Provider: MethodProcess, Message: err.Error(), Err: err}
	}
	var out map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return Credentials{}, &CredentialRetrievalError{Provider: MethodProcess, Message: "invalid JSON output: " + err.Error(), Err: err}
	}
	if v, ok := out["Version"].(float64); !ok || v != 1 {
		version := "<Version key not provided>"
		if raw, present := out["Version"]; present {
			version = fmt.Sprint(raw)
		}
		return Credentials{}, &CredentialRetrievalError{Provider: MethodProcess,
			Message: fmt.Sprintf("Unsupported version '%s' for credential process provider, supported versions: 1", version)}
	}
	str := func(k string) string { s, _ := out[k].(string); return s }
	for _, k := range []string{"AccessKeyId", "SecretAccessKey"} {
		if _, ok := out[k]; !ok {
			return Credentials{}, &CredentialRetrievalError{Provider: MethodProcess, Message: fmt.Sprintf("Missing required key in response: '%s'", k)}
		}
	}
	cr := Credentials{Method: MethodProcess, AccessKeyID: str("AccessKeyId"), SecretAccessKey: str("SecretAccessKey"),
		SessionToken: str("SessionToken"), AccountID: str("AccountId")}
	if cr.AccountID == "" {
		cr.AccountID, _ = prof.Get("aws_account_id")
	}
	if exp := str("Expiration"); exp != "" {
		t, err := parseExpiry(exp)
		if err != nil {
			return Credentials{}, &CredentialRetrievalError{Provider: MethodProcess, Message: "invalid Expiration " + exp, Err: err}
		}
		cr.Expires = t
	}
	return cr, nil
}

// parseExpiry accepts the ISO 8601 forms AWS services and tools emit.
func parseExpiry(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %q", s)
}

// webIdentityProvider is AssumeRoleWithWebIdentityProvider (item 2.26).
type webIdentityProvider struct {
	c          *Config
	o          *ChainOptions
	profile    string
	disableEnv bool
}

func (*webIdentityProvider) Method() string { return MethodWebIdentity }

func (p *webIdentityProvider) get(key, envName string) (string, bool) {
	if !p.disableEnv {
		if v, ok := p.c.env(envName); ok {
			return v, true
		}
	}
	return p.c.profiles[p.profile].Get(key)
}

func (p *webIdentityProvider) Load(context.Context) (CredentialsProvider, error) {
	tokenFile, _ := p.get("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE")
	if tokenFile == "" {
		return nil, nil
	}
	roleARN, _ := p.get("role_arn", "AWS_ROLE_ARN")
	if roleARN == "" {
		return nil, &InvalidConfigError{Message: "The provided profile or the current environment is configured to assume role with web identity but has no role ARN configured. Ensure that the profile has the role_arnconfiguration set or the AWS_ROLE_ARN env var is set."}
	}
	name, ok := p.get("role_session_name", "AWS_ROLE_SESSION_NAME")
	if !ok || name == "" {
		name = fmt.Sprintf("botocore-session-%d", p.o.now().Unix())
	}
	if p.o.WebIdentityAssumer == nil {
		return nil, &InvalidConfigError{Message: "awsconfig: web identity credentials configured but no WebIdentityAssumer was provided"}
	}
	profile := p.profile
	return NewRefreshable(MethodWebIdentity, nil, func(ctx context.Context) (Credentials, error) {
		tok, err := os.ReadFile(tokenFile)
		if err != nil {
			return Credentials{}, &CredentialRetrievalError{Provider: MethodWebIdentity, Message: err.Error(), Err: err}
		}
		return p.o.WebIdentityAssumer.AssumeRoleWithWebIdentity(ctx, WebIdentityInput{
			RoleARN: roleARN, RoleSessionName: name, WebIdentityToken: string(tok), Profile: profile})
	}, p.o.Now), nil
}

// assumeRoleProvider is botocore's AssumeRoleProvider (items 2.21–2.25).
type assumeRoleProvider struct {
	c       *Config
	o       *ChainOptions
	profile string
	sources map[string]Provider // credential_source canonical names
	visited []string
}

func (*assumeRoleProvider) Method() string { return MethodAssumeRole }

func hasRoleConfig(s *Section) bool {
	return s.Has("role_arn") && !s.Has("web_identity_token_file")
}

func hasStatic(s *Section) bool {
	return s.Has("aws_access_key_id") || s.Has("aws_secret_access_key")
}

func (p *assumeRoleProvider) Load(ctx context.Context) (CredentialsProvider, error) {
	if !hasRoleConfig(p.c.profiles[p.profile]) {
		return nil, nil
	}
	p.visited = []string{p.profile}
	return p.viaAssumeRole(ctx, p.profile)
}

func (p *assumeRoleProvider) viaAssumeRole(ctx context.Context, name string) (CredentialsProvider, error) {
	prof := p.c.profiles[name]
	roleARN, _ := prof.Get("role_arn")
	sourceProfile, hasSP := prof.Get("source_profile")
	credSource, hasCS := prof.Get("credential_source")
	switch {
	case hasSP && hasCS:
		return nil, &InvalidConfigError{Message: fmt.Sprintf("The profile \"%s\" contains both source_profile and credential_source.", name)}
	case !hasSP && !hasCS:
		return nil, &PartialCredentialsError{Provider: MethodAssumeRole, Missing: "source_profile or credential_source"}
	}
	var source CredentialsProvider
	var err error
	if hasCS {
		src, ok := p.sources[credSource]
		if !ok {
			return nil, &InvalidConfigError{Message: fmt.Sprintf("The credential source \"%s\" referenced in profile \"%s\" is not valid.", credSource, name)}
		}
		source, err = src.Load(ctx)
		if err != nil {
			return nil, err
		}
		if source == nil {
			return nil, &CredentialRetrievalError{Provider: credSource, Message: "No credentials found in credential_source referenced in profile " + name}
		}
	} else {
		sp, ok := p.c.profiles[sourceProfile]
		if !ok {
			return nil, &InvalidConfigError{Message: fmt.Sprintf("The source_profile \"%s\" referenced in the profile \"%s\" does not exist.", sourceProfile, name)}
		}
		for _, v := range p.visited {
			// A profile may name itself as source when it also holds static keys.
			if v == sourceProfile && (sourceProfile != name || !hasStatic(sp)) {
				return nil, &InfiniteLoopConfigError{SourceProfile: sourceProfile, VisitedProfiles: append([]string(nil), p.visited...)}
			}
		}
		p.visited = append(p.visited, sourceProfile)
		if hasStatic(sp) || !hasRoleConfig(sp) {
			source, err = Chain(p.c.profileProviders(p.o, sourceProfile, true)).Resolve(ctx)
			if errors.Is(err, ErrNoCredentials) {
				return nil, &InvalidConfigError{Message: fmt.Sprintf("The source profile \"%s\" must have credentials.", sourceProfile)}
			}
		} else {
			source, err = p.viaAssumeRole(ctx, sourceProfile)
		}
		if err != nil {
			return nil, err
		}
	}

	in := AssumeRoleInput{RoleARN: roleARN, Profile: name, Source: source}
	in.RoleSessionName, _ = prof.Get("role_session_name")
	in.ExternalID, _ = prof.Get("external_id")
	in.SerialNumber, _ = prof.Get("mfa_serial")
	if d, ok := prof.Get("duration_seconds"); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(d), 10, 64); err == nil {
			in.DurationSeconds = n // botocore ignores a non-integer value
		}
	}
	if in.RoleSessionName == "" {
		in.RoleSessionName = fmt.Sprintf("botocore-session-%d", p.o.now().Unix())
	}
	if p.o.RoleAssumer == nil {
		return nil, &InvalidConfigError{Message: "awsconfig: profile " + name + " assumes a role but no RoleAssumer was provided"}
	}
	if in.SerialNumber != "" && p.o.MFAPrompter == nil {
		return nil, ErrNoMFAPrompter
	}
	assumer, prompter := p.o.RoleAssumer, p.o.MFAPrompter
	fetched := false
	return NewRefreshable(MethodAssumeRole, nil, func(ctx context.Context) (Credentials, error) {
		call := in
		if call.SerialNumber != "" {
			// botocore's create_mfa_serial_refresher: MFA credentials cannot be refreshed.
			if fetched {
				return Credentials{}, ErrMFARefreshUnsupported
			}
			code, err := prompter(ctx, call.SerialNumber)
			if err != nil {
				return Credentials{}, err
			}
			call.TokenCode = code
		}
		fetched = true
		return assumer.AssumeRole(ctx, call)
	}, p.o.Now), nil
}
