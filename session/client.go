package session

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/internal/awsconfig"
	"github.com/fakecloud/fakecloud/internal/endpoints"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

// Version is the fakecloud session version reported in the user agent.
const Version = "0.1.0"

// ClientOptions are boto3 client()'s arguments (1.31) plus HTTPClient, the
// hook through which a recorder or the in-process emulator is plugged in.
type ClientOptions struct {
	Region     string
	APIVersion string
	// UseSSL defaults to true; false resolves http:// endpoints (1.38).
	UseSSL *bool
	// Verify false disables TLS certificate verification (1.39); CABundle
	// is a PEM file of trusted roots (else AWS_CA_BUNDLE / ca_bundle).
	Verify   *bool
	CABundle string
	// EndpointURL overrides the resolved endpoint; its scheme wins over UseSSL.
	EndpointURL                                string
	AccessKeyID, SecretAccessKey, SessionToken string
	Config                                     *Config
	HTTPClient                                 *http.Client

	// credsOverride is the session's own STS client's source credentials.
	credsOverride awsconfig.CredentialsProvider
}

// Meta is client.meta (4.06, 4.07).
type Meta struct {
	ServiceName   string
	Region        string
	EndpointURL   string
	Partition     string
	SigningName   string
	SigningRegion string
	// Config is the resolved configuration (3.04): defaults filled in.
	Config       *Config
	ServiceModel *model.Service
	Events       *Events
	// MethodToAPI maps snake_case method names to operation names.
	MethodToAPI map[string]string
}

// Client is a model-driven client for one service.
type Client struct {
	sess       *Session
	svc        *model.Service
	codec      protocol.Codec
	meta       Meta
	events     *Events
	evName     string
	creds      awsconfig.CredentialsProvider
	credsErr   error
	httpClient *http.Client
	custom     bool
	retry      *retryer
	exceptions *Exceptions
	userAgent  string
	// epOpts re-resolve the endpoint for another region (S3 redirects).
	epOpts endpoints.Options
	// bucketRegions caches the region S3 redirected a bucket to (4.97).
	bucketRegions sync.Map
	// userSigVersion is the signature_version the user configured ("" if none).
	userSigVersion string
	log            *slog.Logger
	now            func() time.Time
	sleep          func(ctx context.Context, d time.Duration) error
}

var serviceAliases = map[string]string{"runtime.sagemaker": "sagemaker-runtime"}

// Client makes a client for a service (client name, exact and case
// sensitive: 1.32). It resolves region (1.34), endpoint, credentials
// (client keys, else the session's: 1.41, 1.43) and configuration
// (session default merged with opts.Config: 1.42, 3.27).
func (s *Session) Client(service string, opts ClientOptions) (*Client, error) {
	// 5.11: choose-service-name may rename the service (botocore's
	// handle_service_name_alias is such a handler).
	if v, err := s.events.EmitUntilResponse(context.Background(), &Event{Name: "choose-service-name", ServiceName: service}); err != nil {
		return nil, err
	} else if name, ok := v.(string); ok && name != "" {
		service = name
	}
	if a, ok := serviceAliases[service]; ok {
		service = a
	}
	svc, err := s.loader.Load(service)
	if err != nil {
		return nil, err
	}
	apiVersion := opts.APIVersion
	if apiVersion == "" {
		// 1.37: the profile's nested api_versions section pins a version.
		if p := s.cfg.ActiveProfile(); p != nil {
			if n, ok := p.Nested("api_versions"); ok {
				apiVersion = n[service]
			}
		}
	}
	if apiVersion != "" && apiVersion != svc.Metadata.APIVersion {
		return nil, &DataNotFoundError{Path: service + "/" + apiVersion + "/service-2"}
	}
	if err := opts.Config.Validate(); err != nil {
		return nil, err
	}
	cfg := s.opts.DefaultConfig.Merge(opts.Config)
	codec, err := codecs.For(svc)
	if err != nil {
		return nil, err
	}
	c := &Client{sess: s, svc: svc, codec: codec, events: s.events.clone(), evName: serviceEventName(svc),
		exceptions: newExceptions(svc), now: time.Now, sleep: sleepCtx}

	// Region: client arg, Config, session (1.34).
	region := opts.Region
	if region == "" {
		region = cfg.Region
	}
	if region == "" {
		region = s.RegionName()
	}

	// Endpoint.
	useSSL := opts.UseSSL == nil || *opts.UseSSL
	epOpts := endpoints.Options{
		UseFIPS:      s.boolVar(cfg.UseFIPSEndpoint, "use_fips_endpoint", "AWS_USE_FIPS_ENDPOINT"),
		UseDualStack: s.boolVar(cfg.UseDualstackEndpoint, "use_dualstack_endpoint", "AWS_USE_DUALSTACK_ENDPOINT"),
		DisableSSL:   !useSSL,
		SigningName:  svc.Metadata.ResolvedSigningName(),
	}
	epOpts.STSRegionalEndpoints, _ = s.lookup("sts_regional_endpoints", "AWS_STS_REGIONAL_ENDPOINTS")
	s3cfg := s.s3Config(cfg.S3)
	epOpts.S3USEast1RegionalEndpoint = s3cfg.USEast1RegionalEndpoint
	if s3cfg.UseDualstackEndpoint != nil && *s3cfg.UseDualstackEndpoint && service == "s3" {
		epOpts.UseDualStack = true
	}
	endpointURL := opts.EndpointURL
	if endpointURL == "" && !s.boolVar(cfg.IgnoreConfiguredEndpointURLs, "", "") {
		endpointURL, _ = s.configuredEndpoint(svc)
	}
	if endpointURL != "" {
		// 3.20: a custom endpoint switches FIPS and dual-stack off.
		epOpts.UseFIPS, epOpts.UseDualStack = false, false
	}
	ep, err := endpoints.Resolve(svc.Metadata.EndpointPrefix, region, epOpts)
	if err != nil {
		return nil, err
	}
	if endpointURL != "" {
		u, perr := url.Parse(endpointURL)
		if perr != nil || u.Scheme == "" || u.Host == "" {
			return nil, &InvalidEndpointError{URL: endpointURL}
		}
		c.custom = true
		ep.URL = strings.TrimSuffix(endpointURL, "/")
	}

	// Credentials (1.41): key and secret together, or one alone is partial.
	switch {
	case opts.AccessKeyID != "" && opts.SecretAccessKey != "":
		c.creds = awsconfig.Credentials{AccessKeyID: opts.AccessKeyID, SecretAccessKey: opts.SecretAccessKey,
			SessionToken: opts.SessionToken, Method: awsconfig.MethodExplicit}
	case opts.AccessKeyID != "":
		return nil, &PartialCredentialsError{Provider: "explicit", Missing: "aws_secret_access_key"}
	case opts.SecretAccessKey != "":
		return nil, &PartialCredentialsError{Provider: "explicit", Missing: "aws_access_key_id"}
	case opts.credsOverride != nil:
		c.creds = opts.credsOverride
	default:
		if cfg.SignatureVersion != Unsigned {
			// Resolved now (1.43); a missing provider fails the first call.
			c.creds, c.credsErr = s.provider(context.Background())
		}
	}

	c.epOpts = epOpts
	resolved, err := s.resolveConfig(cfg, svc, ep.Region, s3cfg)
	if err != nil {
		return nil, err
	}
	c.retry = newRetryer(svc, resolved.Retries)
	c.userAgent = resolved.UserAgent
	c.userSigVersion = cfg.SignatureVersion
	c.httpClient, err = s.httpClient(opts, resolved)
	if err != nil {
		return nil, err
	}
	m2a := map[string]string{}
	for _, n := range svc.OperationNames() {
		m2a[model.XFormName(n)] = n
	}
	c.meta = Meta{ServiceName: service, Region: ep.Region, EndpointURL: ep.URL, Partition: ep.PartitionID,
		SigningName: ep.SigningName, SigningRegion: ep.SigningRegion, Config: resolved, ServiceModel: svc,
		Events: c.events, MethodToAPI: m2a}
	c.log = s.opts.Logger
	// 5.11: creating-client-class.<svc> sees the finished client; an error
	// fails client creation.
	if _, err := s.events.Emit(context.Background(), &Event{Name: "creating-client-class." + c.evName, Service: c.evName,
		ServiceName: service, Client: c}); err != nil {
		return nil, err
	}
	c.logf("Client created", "service", service, "region", ep.Region, "endpoint", ep.URL)
	return c, nil
}

// boolVar resolves a boolean setting: Config value, env, profile key.
func (s *Session) boolVar(p *bool, fileKey, envVar string) bool {
	if p != nil {
		return *p
	}
	if fileKey == "" && envVar == "" {
		v, ok := s.lookup("ignore_configured_endpoint_urls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
		return ok && truthy(v)
	}
	v, ok := s.lookup(fileKey, envVar)
	return ok && truthy(v)
}

func (s *Session) configuredEndpoint(svc *model.Service) (string, bool) {
	var fv endpoints.ConfigFileValues
	if p := s.cfg.ActiveProfile(); p != nil {
		fv.EndpointURL, _ = p.Get("endpoint_url")
		fv.IgnoreConfiguredEndpointURLs, _ = p.Get("ignore_configured_endpoint_urls")
		if name, ok := p.Get("services"); ok {
			if sec := s.cfg.Services(name); sec != nil {
				fv.Services = map[string]string{}
				for _, k := range sec.Keys() {
					if n, ok := sec.Nested(k); ok {
						if u, ok := n["endpoint_url"]; ok {
							fv.Services[k] = u
						}
					}
				}
			}
		}
	}
	return endpoints.ConfiguredEndpointURL(svc.Metadata.ServiceID, s.env, fv)
}

// s3Config resolves the s3 settings as botocore's config store does and
// merges Config.S3 over them key by key, Config winning (2.49, 2.50). Each
// key reads the environment, then the top-level profile key, then the
// profile's s3 sub-section; sub-section keys the Go struct does not name
// land in Extra verbatim (botocore passes the whole s3 dict through).
func (s *Session) s3Config(c *S3Config) S3Config {
	var out S3Config
	nested := map[string]string{}
	if p := s.cfg.ActiveProfile(); p != nil {
		if n, ok := p.Nested("s3"); ok {
			nested = n
		}
	}
	get := func(nestedKey, topKey, envVar string) (string, bool) {
		if envVar != "" {
			if v, ok := s.cfg.Getenv(envVar); ok {
				return v, true
			}
		}
		if topKey != "" {
			if v, ok := s.cfg.Lookup(topKey); ok {
				return v, true
			}
		}
		v, ok := nested[nestedKey]
		return v, ok
	}
	boolKey := func(nestedKey, topKey, envVar string) *bool {
		if v, ok := get(nestedKey, topKey, envVar); ok {
			return Bool(truthy(v))
		}
		return nil
	}
	out.AddressingStyle, _ = get("addressing_style", "", "")
	out.USEast1RegionalEndpoint, _ = get("us_east_1_regional_endpoint", "s3_us_east_1_regional_endpoint", "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT")
	out.UseAccelerateEndpoint = boolKey("use_accelerate_endpoint", "", "")
	out.PayloadSigningEnabled = boolKey("payload_signing_enabled", "", "")
	out.UseDualstackEndpoint = boolKey("use_dualstack_endpoint", "", "")
	out.UseARNRegion = boolKey("use_arn_region", "s3_use_arn_region", "AWS_S3_USE_ARN_REGION")
	out.DisableMultiRegionAccessPoints = boolKey("s3_disable_multiregion_access_points", "", "AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS")
	for k, v := range nested {
		switch k {
		case "addressing_style", "us_east_1_regional_endpoint", "use_accelerate_endpoint", "payload_signing_enabled",
			"use_dualstack_endpoint", "use_arn_region", "s3_disable_multiregion_access_points":
		default:
			if out.Extra == nil {
				out.Extra = map[string]string{}
			}
			out.Extra[k] = v
		}
	}
	if c != nil {
		if c.AddressingStyle != "" {
			out.AddressingStyle = c.AddressingStyle
		}
		if c.USEast1RegionalEndpoint != "" {
			out.USEast1RegionalEndpoint = c.USEast1RegionalEndpoint
		}
		if c.UseAccelerateEndpoint != nil {
			out.UseAccelerateEndpoint = c.UseAccelerateEndpoint
		}
		if c.PayloadSigningEnabled != nil {
			out.PayloadSigningEnabled = c.PayloadSigningEnabled
		}
		if c.UseDualstackEndpoint != nil {
			out.UseDualstackEndpoint = c.UseDualstackEndpoint
		}
		if c.UseARNRegion != nil {
			out.UseARNRegion = c.UseARNRegion
		}
		if c.DisableMultiRegionAccessPoints != nil {
			out.DisableMultiRegionAccessPoints = c.DisableMultiRegionAccessPoints
		}
		for k, v := range c.Extra {
			if out.Extra == nil {
				out.Extra = map[string]string{}
			}
			out.Extra[k] = v
		}
	}
	return out
}

// resolveConfig fills in defaults as client.meta.config shows them (3.04).
func (s *Session) resolveConfig(cfg *Config, svc *model.Service, region string, s3cfg S3Config) (*Config, error) {
	r := *cfg
	r.Region = region
	// 2.35, 2.43: Config value, then env, then the profile key, then the
	// default below.
	// defaults_mode applies (legacy when unset) but, as in botocore,
	// meta.config.defaults_mode shows only what the Config said.
	mode := r.DefaultsMode
	if mode == "" {
		mode, _ = s.lookup("defaults_mode", "AWS_DEFAULTS_MODE")
		if mode != "" {
			if err := (&Config{DefaultsMode: mode}).Validate(); err != nil {
				return nil, err
			}
		}
	}
	if r.RequestMinCompressionSizeBytes == 0 {
		if v, ok := s.lookup("request_min_compression_size_bytes", "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n == 0 {
				n = -1 // refused by Validate with botocore's message
			}
			r.RequestMinCompressionSizeBytes = n
		}
	}
	if r.RequestChecksumCalculation == "" {
		r.RequestChecksumCalculation, _ = s.lookup("request_checksum_calculation", "AWS_REQUEST_CHECKSUM_CALCULATION")
		r.RequestChecksumCalculation = strings.ToLower(r.RequestChecksumCalculation)
	}
	if r.ResponseChecksumValidation == "" {
		r.ResponseChecksumValidation, _ = s.lookup("response_checksum_validation", "AWS_RESPONSE_CHECKSUM_VALIDATION")
		r.ResponseChecksumValidation = strings.ToLower(r.ResponseChecksumValidation)
	}
	if r.AccountIDEndpointMode == "" {
		// 3.25: AWS_ACCOUNT_ID_ENDPOINT_MODE, then the profile key.
		r.AccountIDEndpointMode, _ = s.lookup("account_id_endpoint_mode", "AWS_ACCOUNT_ID_ENDPOINT_MODE")
	}
	if r.InjectHostPrefix == nil {
		if v, ok := s.lookup("disable_host_prefix_injection", "AWS_DISABLE_HOST_PREFIX_INJECTION"); ok {
			r.InjectHostPrefix = Bool(!truthy(v))
		}
	}
	if r.TCPKeepalive == nil {
		if v, ok := s.lookup("tcp_keepalive", "BOTOCORE_TCP_KEEPALIVE"); ok {
			r.TCPKeepalive = Bool(truthy(v))
		}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	// 2.51: the profile's proxy keys feed proxies_config, Config's keys
	// winning one by one.
	copied := false
	for _, k := range []string{"proxy_ca_bundle", "proxy_client_cert", "proxy_use_forwarding_for_https"} {
		if _, set := cfg.ProxiesConfig[k]; set {
			continue
		}
		if v, ok := s.lookup(k); ok {
			if !copied {
				pc := make(map[string]string, len(cfg.ProxiesConfig)+1)
				for kk, vv := range cfg.ProxiesConfig {
					pc[kk] = vv
				}
				r.ProxiesConfig, copied = pc, true
			}
			r.ProxiesConfig[k] = v
		}
	}
	if r.SignatureVersion == "" {
		r.SignatureVersion = "v4"
		if svc.Name == "s3" || svc.Metadata.SignatureVersion == "s3v4" || svc.Metadata.SignatureVersion == "s3" {
			r.SignatureVersion = "s3v4"
		}
	}
	if r.ConnectTimeout == 0 {
		r.ConnectTimeout = 60 * time.Second
		if mode == "standard" || mode == "cross-region" {
			r.ConnectTimeout = 3100 * time.Millisecond
		} else if mode == "mobile" {
			r.ConnectTimeout = 30 * time.Second
		}
	}
	if r.ReadTimeout == 0 {
		r.ReadTimeout = 60 * time.Second
	}
	if r.ParameterValidation == nil {
		v, ok := s.lookup("parameter_validation")
		r.ParameterValidation = Bool(!ok || !strings.EqualFold(v, "false"))
	}
	if r.MaxPoolConnections == 0 {
		r.MaxPoolConnections = 10
	}
	if r.InjectHostPrefix == nil {
		r.InjectHostPrefix = Bool(true)
	}
	if r.RequestMinCompressionSizeBytes == 0 {
		r.RequestMinCompressionSizeBytes = 10240
	}
	if r.DisableRequestCompression == nil {
		v, ok := s.lookup("disable_request_compression", "AWS_DISABLE_REQUEST_COMPRESSION")
		r.DisableRequestCompression = Bool(ok && truthy(v))
	}
	if r.RequestChecksumCalculation == "" {
		r.RequestChecksumCalculation = "when_supported"
	}
	if r.AccountIDEndpointMode == "" {
		r.AccountIDEndpointMode = endpoints.AccountIDEndpointPreferred
	}
	if r.ResponseChecksumValidation == "" {
		r.ResponseChecksumValidation = "when_supported"
	}
	s3c := s3cfg
	if svc.Name == "s3" {
		// 3.26: context params fill what Config.S3 leaves unset.
		if v, ok := r.ClientContextParams["use_arn_region"].(bool); ok && s3c.UseARNRegion == nil {
			s3c.UseARNRegion = Bool(v)
		}
		if v, ok := r.ClientContextParams["disable_multi_region_access_points"].(bool); ok && s3c.DisableMultiRegionAccessPoints == nil {
			s3c.DisableMultiRegionAccessPoints = Bool(v)
		}
	}
	if s3c.AddressingStyle == "" {
		s3c.AddressingStyle = "auto"
	}
	r.S3 = &s3c
	r.Retries = s.resolveRetries(cfg, mode)
	ua := r.UserAgent
	if ua == "" {
		ua = fmt.Sprintf("fakecloud/%s Go/%s %s/%s", Version, strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH)
	}
	ua += " Botocore/1.29.27"
	if r.UserAgentAppID == "" {
		r.UserAgentAppID, _ = s.lookup("sdk_ua_app_id", "AWS_SDK_UA_APP_ID")
	}
	if r.UserAgentAppID != "" {
		ua += " app/" + sanitizeUA(r.UserAgentAppID)
	}
	if r.UserAgentExtra != "" {
		ua += " " + r.UserAgentExtra
	}
	r.UserAgent = ua
	return &r, nil
}

// sanitizeUA replaces characters a user-agent token may not hold with "-" (3.11).
func sanitizeUA(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return r
		}
		return '-'
	}, s)
}

// resolveRetries applies 2.37, 2.38 and 3.17: Config retries, then
// AWS_MAX_ATTEMPTS/max_attempts (total) and AWS_RETRY_MODE/retry_mode, then
// defaults_mode, then legacy.
func (s *Session) resolveRetries(cfg *Config, mode string) *RetryConfig {
	out := &RetryConfig{}
	if r := cfg.Retries; r != nil {
		out.Mode = r.Mode
		switch {
		case r.TotalMaxAttempts != nil:
			out.TotalMaxAttempts = Int(*r.TotalMaxAttempts)
		case r.MaxAttempts != nil:
			out.TotalMaxAttempts = Int(*r.MaxAttempts + 1)
		}
	}
	if out.TotalMaxAttempts == nil {
		if v, ok := s.lookup("max_attempts", "AWS_MAX_ATTEMPTS"); ok {
			var n int
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d", &n); err == nil && n > 0 {
				out.TotalMaxAttempts = Int(n)
			}
		}
	}
	if out.Mode == "" {
		if v, ok := s.lookup("retry_mode", "AWS_RETRY_MODE"); ok {
			out.Mode = v
		}
	}
	if out.Mode == "" && (mode == "standard" || mode == "in-region" || mode == "cross-region" || mode == "mobile") {
		out.Mode = "standard"
	}
	if out.Mode == "" {
		out.Mode = "legacy"
	}
	return out
}

func (s *Session) httpClient(opts ClientOptions, cfg *Config) (*http.Client, error) {
	if opts.HTTPClient != nil {
		return opts.HTTPClient, nil
	}
	if s.opts.HTTPClient != nil && opts.Verify == nil && opts.CABundle == "" && cfg.ClientCert == "" {
		return s.opts.HTTPClient, nil
	}
	dialer := newDialer(cfg)
	tr := &http.Transport{
		DialContext:           dialer.DialContext,
		MaxIdleConnsPerHost:   cfg.MaxPoolConnections,
		MaxConnsPerHost:       0,
		ResponseHeaderTimeout: cfg.ReadTimeout,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
	if opts.Verify != nil && !*opts.Verify {
		tr.TLSClientConfig.InsecureSkipVerify = true // verify=False (1.39)
	} else {
		bundle := opts.CABundle
		if bundle == "" {
			bundle, _ = s.lookup("ca_bundle", "AWS_CA_BUNDLE")
		}
		if bundle != "" {
			pool, err := loadCABundle(bundle)
			if err != nil {
				return nil, err
			}
			tr.TLSClientConfig.RootCAs = pool
		}
	}
	if cfg.ClientCert != "" {
		// 3.18: client_cert, a combined PEM file or a (cert, key) pair.
		key := cfg.ClientKey
		if key == "" {
			key = cfg.ClientCert
		}
		cert, err := tls.LoadX509KeyPair(cfg.ClientCert, key)
		if err != nil {
			return nil, fmt.Errorf("session: client_cert: %w", err)
		}
		tr.TLSClientConfig.Certificates = []tls.Certificate{cert}
	}
	// 3.15, 2.51: Config.Proxies or the environment's proxies, and
	// proxies_config.
	ps, err := newProxySettings(cfg, s.env)
	if err != nil {
		return nil, err
	}
	rt := ps.apply(tr, dialer)
	return &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, nil
}

// newDialer applies connect_timeout and tcp_keepalive (3.12, 3.21): botocore
// sets SO_KEEPALIVE only when tcp_keepalive is true, while Go's dialer
// enables it by default, so it is switched off otherwise.
func newDialer(cfg *Config) *net.Dialer {
	d := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: -1}
	if cfg.TCPKeepalive != nil && *cfg.TCPKeepalive {
		d.KeepAlive = 15 * time.Second
	}
	return d
}

// Meta returns client.meta.
func (c *Client) Meta() Meta { return c.meta }

// Events returns the client's emitter (a copy of the session's at creation).
func (c *Client) Events() *Events { return c.events }

// Exceptions returns the service's modeled error codes (client.exceptions).
func (c *Client) Exceptions() *Exceptions { return c.exceptions }

// Close releases idle connections (4.08).
func (c *Client) Close() { c.httpClient.CloseIdleConnections() }

// operation finds an operation by model or snake_case name.
func (c *Client) operation(name string) (*model.Operation, error) {
	if op, ok := c.svc.Operation(name); ok {
		return op, nil
	}
	return nil, &UnknownClientMethodError{Method: name}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
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
