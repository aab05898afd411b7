package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/fakecloud/fakecloud/internal/awsconfig"
	"github.com/fakecloud/fakecloud/internal/endpoints"
	"github.com/fakecloud/fakecloud/internal/model"
)

// Credentials are resolved AWS credentials; Method names the provider that
// found them ("explicit", "env", "shared-credentials-file", …, 1.28).
type Credentials = awsconfig.Credentials

// Options are boto3 Session's constructor arguments (1.01) plus the Go hooks
// a test needs. All are optional.
type Options struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Region          string
	Profile         string

	// Env replaces os.Getenv; a variable is present when its value is
	// non-empty. LookupEnv, when set, wins and can tell "set but empty".
	Env       func(string) string
	LookupEnv func(string) (string, bool)

	// ConfigFile and CredentialsFile override AWS_CONFIG_FILE and
	// AWS_SHARED_CREDENTIALS_FILE.
	ConfigFile      string
	CredentialsFile string

	// DefaultConfig is merged under every client's Config (3.27).
	DefaultConfig *Config
	// HTTPClient is the default for clients and for the container and
	// instance-metadata credential providers.
	HTTPClient *http.Client

	// RoleAssumer, WebIdentityAssumer and MFAPrompter serve profiles with
	// role_arn, web_identity_token_file and mfa_serial. By default the
	// session calls STS AssumeRole / AssumeRoleWithWebIdentity itself.
	RoleAssumer        awsconfig.RoleAssumer
	WebIdentityAssumer awsconfig.WebIdentityAssumer
	MFAPrompter        awsconfig.MFAPrompter

	// Logger receives botocore-like debug lines for client creation,
	// requests, responses and retries (8.12). Nil (the default) logs
	// nothing. Secrets are never logged: Authorization, security tokens
	// and SSE-C keys are redacted, and no request or response body is
	// written, since bodies carry secrets (GetSecretValue, AssumeRole).
	Logger *slog.Logger

	// Loader supplies the service models; default: model.Default(), or a
	// loader over AWS_DATA_PATH when Env sets it.
	Loader *model.Loader
}

// Session is boto3's Session: the resolved configuration, a cached
// credential provider and an event emitter shared by the clients it makes.
type Session struct {
	opts   Options
	cfg    *awsconfig.Config
	env    awsconfig.Env
	loader *model.Loader
	events *Events

	credMu   sync.Mutex
	credDone bool
	credProv awsconfig.CredentialsProvider
	credErr  error
}

// New builds a Session. A profile named in Options, AWS_DEFAULT_PROFILE or
// AWS_PROFILE that exists in no file is a *ProfileNotFoundError (1.05); a
// malformed file is a *ConfigParseError (2.18). Credentials are resolved
// lazily (1.27).
func New(opts Options) (*Session, error) {
	env := envFunc(opts)
	cfg, err := awsconfig.Load(awsconfig.Options{
		Profile: opts.Profile, Env: env,
		ConfigFile: opts.ConfigFile, CredentialsFile: opts.CredentialsFile,
	})
	if err != nil {
		return nil, err
	}
	if err := opts.DefaultConfig.Validate(); err != nil {
		return nil, err
	}
	loader := opts.Loader
	if loader == nil {
		loader = dataPathLoader(opts, cfg, env)
	}
	return &Session{opts: opts, cfg: cfg, env: env, loader: loader, events: NewEvents()}, nil
}

// dataPathLoader is the model loader for data_path (2.36, 2.40):
// AWS_DATA_PATH, else the profile's data_path, is an os.PathListSeparator
// list of directories searched before the bundled models. Without either,
// or when AWS_DATA_PATH comes from the process environment (which
// model.Default already searches, with ~/.aws/models), model.Default().
func dataPathLoader(opts Options, cfg *awsconfig.Config, env awsconfig.Env) *model.Loader {
	dp, ok := cfg.Lookup("data_path", "AWS_DATA_PATH")
	if !ok || dp == "" {
		return model.Default()
	}
	if _, fromEnv := env("AWS_DATA_PATH"); fromEnv && opts.Env == nil && opts.LookupEnv == nil {
		return model.Default()
	}
	home, _ := env("HOME")
	var paths []string
	for _, p := range filepath.SplitList(dp) {
		if home != "" && (p == "~" || strings.HasPrefix(p, "~/")) {
			p = filepath.Join(home, p[1:])
		}
		if p != "" {
			paths = append(paths, p)
		}
	}
	return model.NewLoader(paths...)
}

func envFunc(opts Options) awsconfig.Env {
	switch {
	case opts.LookupEnv != nil:
		return opts.LookupEnv
	case opts.Env != nil:
		get := opts.Env
		return func(k string) (string, bool) { v := get(k); return v, v != "" }
	default:
		return os.LookupEnv
	}
}

// String is boto3's repr: Session(region_name='us-east-1') (1.03).
func (s *Session) String() string {
	if r, ok := s.cfg.Region(s.opts.Region); ok {
		return fmt.Sprintf("Session(region_name='%s')", r)
	}
	return "Session(region_name=None)"
}

// ProfileName is the profile in use (1.04): Options.Profile,
// AWS_DEFAULT_PROFILE, AWS_PROFILE, else "default".
func (s *Session) ProfileName() string { return s.cfg.ProfileName() }

// RegionName is the session's region (1.06), "" when none is configured.
func (s *Session) RegionName() string {
	r, _ := s.cfg.Region(s.opts.Region)
	return r
}

// AvailableProfiles lists profile names in file order (1.10).
func (s *Session) AvailableProfiles() []string { return s.cfg.Profiles() }

// AvailableServices lists the client names that have a model (1.18).
func (s *Session) AvailableServices() []string { return s.loader.AvailableServices() }

// AvailableResources lists the services that have a boto3 resource model (1.19).
func (s *Session) AvailableResources() []string {
	var out []string
	for _, e := range s.loader.Index() {
		if e.HasResources {
			out = append(out, e.Name)
		}
	}
	return out
}

// AvailablePartitions lists partition ids in endpoints.json order (1.20).
func (s *Session) AvailablePartitions() []string { return endpoints.AvailablePartitions() }

// AvailableRegions lists the regions a service has endpoints in (1.21–1.25).
// service is a client name or an endpoint prefix; partition "" means "aws".
// It never fails: an unknown service or partition gives nil.
func (s *Session) AvailableRegions(service, partition string, allowNonRegional bool) []string {
	if partition == "" {
		partition = "aws"
	}
	prefix := service
	if e, ok := s.loader.Lookup(service); ok && e.EndpointPrefix != "" {
		prefix = e.EndpointPrefix
	}
	regions, err := endpoints.AvailableRegions(prefix, partition, allowNonRegional)
	if err != nil {
		return nil
	}
	return regions
}

// PartitionForRegion returns the partition of a region (1.26); no match is
// an error wrapping ErrUnknownRegion.
func (s *Session) PartitionForRegion(region string) (string, error) {
	p, err := endpoints.PartitionForRegion(region)
	if err != nil {
		return "", fmt.Errorf("Unknown region: '%s'. No partition found for provided region_name.: %w", region, err)
	}
	return p, nil
}

// Events is the session's emitter, the same value on every call (1.09).
// Clients copy it at creation (5.09).
func (s *Session) Events() *Events { return s.events }

// Credentials runs the credential chain on first use and caches the
// provider (1.27); later calls return the provider's current (refreshed)
// credentials. It returns nil and no error when no provider finds any.
func (s *Session) Credentials(ctx context.Context) (*Credentials, error) {
	p, err := s.provider(ctx)
	if err != nil || p == nil {
		return nil, err
	}
	c, err := p.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func (s *Session) provider(ctx context.Context) (awsconfig.CredentialsProvider, error) {
	s.credMu.Lock()
	defer s.credMu.Unlock()
	if s.credDone {
		return s.credProv, s.credErr
	}
	p, err := s.cfg.ResolveCredentials(ctx, s.chainOptions(s.opts.AccessKeyID, s.opts.SecretAccessKey, s.opts.SessionToken))
	if errors.Is(err, awsconfig.ErrNoCredentials) {
		p, err = nil, nil
	}
	if err != nil {
		// A failed lookup (partial keys, a failing process) is not cached:
		// boto3 retries the chain on the next get_credentials.
		return nil, err
	}
	if p != nil {
		// boto3 caches found credentials only; "none" is looked up again.
		s.credDone, s.credProv = true, p
	}
	return p, nil
}

func (s *Session) chainOptions(ak, sk, tok string) awsconfig.ChainOptions {
	o := awsconfig.ChainOptions{
		AccessKeyID: ak, SecretAccessKey: sk, SessionToken: tok,
		RoleAssumer: s.opts.RoleAssumer, WebIdentityAssumer: s.opts.WebIdentityAssumer,
		MFAPrompter: s.opts.MFAPrompter, HTTPClient: s.opts.HTTPClient,
	}
	if o.RoleAssumer == nil {
		o.RoleAssumer = stsAssumer{s}
	}
	if o.WebIdentityAssumer == nil {
		o.WebIdentityAssumer = stsAssumer{s}
	}
	if o.SSOFetcher == nil {
		o.SSOFetcher = ssoFetcher{s}
	}
	return o
}

// lookup reads a config variable: env vars first, then the profile key.
func (s *Session) lookup(fileKey string, envVars ...string) (string, bool) {
	return s.cfg.Lookup(fileKey, envVars...)
}

func truthy(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }
