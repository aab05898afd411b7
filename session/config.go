package session

import (
	"fmt"

	"github.com/fakecloud/fakecloud/internal/endpoints"
	"reflect"
	"time"
)

// Unsigned as Config.SignatureVersion sends requests without an Authorization
// header and never resolves credentials (botocore.UNSIGNED, 3.09, 4.68).
const Unsigned = "UNSIGNED"

// Bool returns a pointer to v, for Config's optional booleans.
func Bool(v bool) *bool { return &v }

// Int returns a pointer to v, for RetryConfig's optional counts.
func Int(v int) *int { return &v }

// Config is botocore.config.Config. A zero or nil field is "not set": it
// neither overrides another Config in Merge nor the session's settings.
// Defaults (3.02) apply when a client resolves its config (Client.Meta().Config).
type Config struct {
	Region string
	// SignatureVersion: "v4", "s3v4", "s3" (HMAC-v1, not implemented),
	// "v2" (not implemented) or Unsigned.
	SignatureVersion string
	// UserAgent replaces the base user agent; UserAgentExtra is appended;
	// UserAgentAppID adds "app/<id>" (3.10, 3.11).
	UserAgent      string
	UserAgentExtra string
	UserAgentAppID string
	// ConnectTimeout and ReadTimeout default to 60 s (3.12).
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
	// ParameterValidation defaults to true (3.13).
	ParameterValidation *bool
	// MaxPoolConnections defaults to 10 (3.14).
	MaxPoolConnections int
	// Proxies maps a scheme or scheme://host to a proxy URL (3.15).
	Proxies       map[string]string
	ProxiesConfig map[string]string
	S3            *S3Config
	Retries       *RetryConfig
	// ClientCert is a PEM certificate file for mutual TLS (3.18); with
	// ClientKey empty the file holds the private key too (botocore's
	// client_cert path), else ClientKey is the key file (the tuple form).
	ClientCert string
	ClientKey  string
	// InjectHostPrefix defaults to true (3.19).
	InjectHostPrefix     *bool
	UseDualstackEndpoint *bool
	UseFIPSEndpoint      *bool
	// DefaultsMode: legacy, standard, in-region, cross-region, mobile, auto (3.07, 3.24).
	DefaultsMode string
	TCPKeepalive *bool
	// Request compression (3.22): default 10240 bytes, valid 1–1048576.
	RequestMinCompressionSizeBytes int
	DisableRequestCompression      *bool
	// "when_supported" (default) or "when_required" (3.23).
	RequestChecksumCalculation   string
	ResponseChecksumValidation   string
	IgnoreConfiguredEndpointURLs *bool
	// AccountIDEndpointMode is account_id_endpoint_mode (3.25): "preferred"
	// (the resolved default), "required" or "disabled". With an account id
	// in the credentials, DynamoDB requests go to
	// https://<account>.ddb.<region>.amazonaws.com (7.18).
	AccountIDEndpointMode string
	// ClientContextParams is client_context_params (3.26): the service's
	// endpoint rule-set parameters by snake_case name. For S3 the resolver
	// honours "accelerate", "force_path_style", "use_arn_region" and
	// "disable_multi_region_access_points" (booleans); Config.S3 keys of the
	// same name ("use_arn_region") win over them, as botocore's args.py.
	ClientContextParams map[string]any
}

// S3Config is Config(s3={...}) (3.16).
type S3Config struct {
	// AddressingStyle: "auto" (default), "virtual" or "path".
	AddressingStyle         string
	UseAccelerateEndpoint   *bool
	PayloadSigningEnabled   *bool
	USEast1RegionalEndpoint string // "regional" or "legacy"
	UseARNRegion            *bool
	UseDualstackEndpoint    *bool
	// DisableMultiRegionAccessPoints is s3_disable_multiregion_access_points.
	DisableMultiRegionAccessPoints *bool
	// Extra holds s3 keys without a field (a profile's s3 sub-section
	// passes them through verbatim, as botocore's s3 dict does, 2.49).
	Extra map[string]string
}

// RetryConfig is Config(retries={...}) (3.17).
type RetryConfig struct {
	// MaxAttempts counts retries (total = MaxAttempts+1); TotalMaxAttempts
	// counts attempts including the first and wins when both are set.
	MaxAttempts      *int
	TotalMaxAttempts *int
	// Mode: "legacy" (default), "standard" or "adaptive".
	Mode string
}

// Merge returns a new Config holding c's set options overridden by other's
// set options, as botocore's Config.merge: top-level keys only, nested S3,
// Retries, Proxies replaced wholesale, neither input modified (3.08).
func (c *Config) Merge(other *Config) *Config {
	out := &Config{}
	if c != nil {
		*out = *c
	}
	if other == nil {
		return out
	}
	dst := reflect.ValueOf(out).Elem()
	src := reflect.ValueOf(other).Elem()
	for i := 0; i < src.NumField(); i++ {
		if f := src.Field(i); !f.IsZero() {
			dst.Field(i).Set(f)
		}
	}
	return out
}

var validDefaultsModes = []string{"legacy", "auto", "standard", "in-region", "cross-region", "mobile"}

// Validate reports the errors botocore raises for invalid option values
// (3.05, 3.06, 3.07, 3.22).
func (c *Config) Validate() error {
	if c == nil {
		return nil
	}
	if c.S3 != nil {
		switch c.S3.AddressingStyle {
		case "", "auto", "virtual", "path":
		default:
			return &InvalidConfigValueError{"s3.addressing_style", c.S3.AddressingStyle,
				fmt.Sprintf("S3 addressing style %s is invalid. Valid options are: 'auto', 'virtual', and 'path'", c.S3.AddressingStyle)}
		}
	}
	if r := c.Retries; r != nil {
		switch r.Mode {
		case "", "legacy", "standard", "adaptive":
		default:
			return &InvalidConfigValueError{"retries.mode", r.Mode,
				fmt.Sprintf("Invalid value provided to \"mode\": \"%s\" must be one of: \"legacy\", \"standard\", \"adaptive\"", r.Mode)}
		}
		for name, p := range map[string]*int{"max_attempts": r.MaxAttempts, "total_max_attempts": r.TotalMaxAttempts} {
			if p != nil && *p < 0 {
				return &InvalidConfigValueError{"retries." + name, *p,
					fmt.Sprintf("Value provided to \"%s\": %d must be an integer greater than or equal to 0.", name, *p)}
			}
		}
	}
	if c.DefaultsMode != "" {
		ok := false
		for _, m := range validDefaultsModes {
			ok = ok || m == c.DefaultsMode
		}
		if !ok {
			return &InvalidConfigValueError{"defaults_mode", c.DefaultsMode,
				fmt.Sprintf("Client configured with invalid defaults mode: %s. Valid defaults modes include: legacy, auto, standard, in-region, cross-region, mobile.", c.DefaultsMode)}
		}
	}
	if n := c.RequestMinCompressionSizeBytes; n != 0 && (n < 1 || n > 1048576) {
		return &InvalidConfigValueError{"request_min_compression_size_bytes", n,
			fmt.Sprintf("Invalid value '%d' for request_min_compression_size_bytes. Value must be an integer between 1 and 1048576.", n)}
	}
	if m := c.AccountIDEndpointMode; m != "" && !endpoints.ValidAccountIDEndpointMode(m) {
		return &InvalidConfigValueError{"account_id_endpoint_mode", m,
			fmt.Sprintf("The configured value '%s' for 'account_id_endpoint_mode' is invalid. Valid values are: preferred, required, disabled.", m)}
	}
	for name, v := range map[string]string{"request_checksum_calculation": c.RequestChecksumCalculation, "response_checksum_validation": c.ResponseChecksumValidation} {
		if v != "" && v != "when_supported" && v != "when_required" {
			return &InvalidConfigValueError{name, v, fmt.Sprintf("Invalid value '%s' for %s. Valid values are: when_supported, when_required", v, name)}
		}
	}
	return nil
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}
