package session

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// cfgSession builds a session over a config file and env (no real files).
func cfgSession(t *testing.T, config string, env map[string]string, opts Options) *Session {
	t.Helper()
	opts.Env = writeFiles(t, config, "", env)
	if opts.AccessKeyID == "" {
		opts.AccessKeyID, opts.SecretAccessKey = "AKID", "secret"
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func metaConfig(t *testing.T, s *Session, service string, o ClientOptions) *Config {
	t.Helper()
	c, err := s.Client(service, o)
	if err != nil {
		t.Fatal(err)
	}
	return c.Meta().Config
}

// 2.35: every variable resolves instance value → env var → profile key →
// default; shown for region, retry_mode, max_attempts,
// request_checksum_calculation and request_min_compression_size_bytes.
func TestConfigChainOrder_2_35(t *testing.T) {
	const file = "[default]\nregion = eu-west-1\nretry_mode = adaptive\nmax_attempts = 7\n" +
		"request_checksum_calculation = when_required\nrequest_min_compression_size_bytes = 300\n"
	env := map[string]string{"AWS_DEFAULT_REGION": "eu-central-1", "AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "4",
		"AWS_REQUEST_CHECKSUM_CALCULATION": "WHEN_SUPPORTED", "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES": "200"}
	// Instance values.
	s := cfgSession(t, file, env, Options{Region: "ap-south-1"})
	m := metaConfig(t, s, "sqs", ClientOptions{Config: &Config{Retries: &RetryConfig{Mode: "legacy", TotalMaxAttempts: Int(2)},
		RequestChecksumCalculation: "when_required", RequestMinCompressionSizeBytes: 100}})
	if m.Region != "ap-south-1" || m.Retries.Mode != "legacy" || *m.Retries.TotalMaxAttempts != 2 ||
		m.RequestChecksumCalculation != "when_required" || m.RequestMinCompressionSizeBytes != 100 {
		t.Errorf("instance: %s %+v %s %d", m.Region, m.Retries, m.RequestChecksumCalculation, m.RequestMinCompressionSizeBytes)
	}
	// Env over file.
	m = metaConfig(t, cfgSession(t, file, env, Options{}), "sqs", ClientOptions{})
	if m.Region != "eu-central-1" || m.Retries.Mode != "standard" || *m.Retries.TotalMaxAttempts != 4 ||
		m.RequestChecksumCalculation != "when_supported" || m.RequestMinCompressionSizeBytes != 200 {
		t.Errorf("env: %s %+v %s %d", m.Region, m.Retries, m.RequestChecksumCalculation, m.RequestMinCompressionSizeBytes)
	}
	// File.
	m = metaConfig(t, cfgSession(t, file, nil, Options{}), "sqs", ClientOptions{})
	if m.Region != "eu-west-1" || m.Retries.Mode != "adaptive" || *m.Retries.TotalMaxAttempts != 7 ||
		m.RequestChecksumCalculation != "when_required" || m.RequestMinCompressionSizeBytes != 300 {
		t.Errorf("file: %s %+v %s %d", m.Region, m.Retries, m.RequestChecksumCalculation, m.RequestMinCompressionSizeBytes)
	}
	// Defaults.
	m = metaConfig(t, cfgSession(t, "", nil, Options{Region: "us-east-1"}), "sqs", ClientOptions{})
	if m.Retries.Mode != "legacy" || m.Retries.TotalMaxAttempts != nil ||
		m.RequestChecksumCalculation != "when_supported" || m.RequestMinCompressionSizeBytes != 10240 {
		t.Errorf("defaults: %+v %s %d", m.Retries, m.RequestChecksumCalculation, m.RequestMinCompressionSizeBytes)
	}
	// A bad value from env or file is refused as a Config value would be.
	s = cfgSession(t, "", map[string]string{"AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES": "0"}, Options{Region: "us-east-1"})
	var ice *InvalidConfigValueError
	if _, err := s.Client("sqs", ClientOptions{}); !errors.As(err, &ice) {
		t.Errorf("compression size 0: %v", err)
	}
	s = cfgSession(t, "[default]\nrequest_checksum_calculation = sometimes\n", nil, Options{Region: "us-east-1"})
	if _, err := s.Client("sqs", ClientOptions{}); !errors.As(err, &ice) {
		t.Errorf("checksum calculation 'sometimes': %v", err)
	}
}

// 2.36: the core variables and where each is read.
func TestCoreConfigVariables_2_36(t *testing.T) {
	const file = "[default]\nregion = eu-west-1\n[profile a]\nregion = us-west-1\n[profile b]\nregion = us-west-2\n" +
		"parameter_validation = false\n"
	// profile: AWS_DEFAULT_PROFILE before AWS_PROFILE.
	s := cfgSession(t, file, map[string]string{"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"}, Options{})
	if s.ProfileName() != "a" || s.RegionName() != "us-west-1" {
		t.Errorf("profile %s region %s", s.ProfileName(), s.RegionName())
	}
	s = cfgSession(t, file, map[string]string{"AWS_PROFILE": "b", "AWS_DEFAULT_REGION": "ca-central-1"}, Options{})
	if s.ProfileName() != "b" || s.RegionName() != "ca-central-1" {
		t.Errorf("AWS_PROFILE: profile %s region %s", s.ProfileName(), s.RegionName())
	}
	// parameter_validation is read from the file only.
	if m := metaConfig(t, s, "sqs", ClientOptions{}); *m.ParameterValidation {
		t.Error("parameter_validation = false in the profile ignored")
	}
	s = cfgSession(t, file, map[string]string{"AWS_PARAMETER_VALIDATION": "false"}, Options{})
	if m := metaConfig(t, s, "sqs", ClientOptions{}); !*m.ParameterValidation {
		t.Error("AWS_PARAMETER_VALIDATION is no botocore variable, but was read")
	}
	// config_file / credentials_file: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE.
	dir := t.TempDir()
	cf, kf := filepath.Join(dir, "c"), filepath.Join(dir, "k")
	os.WriteFile(cf, []byte("[default]\nregion = sa-east-1\n"), 0o600)
	os.WriteFile(kf, []byte("[default]\naws_access_key_id = AK\naws_secret_access_key = SK\n"), 0o600)
	s, err := New(Options{LookupEnv: mapLookup(map[string]string{"AWS_CONFIG_FILE": cf, "AWS_SHARED_CREDENTIALS_FILE": kf, "HOME": dir})})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := s.Credentials(context.Background())
	if err != nil || s.RegionName() != "sa-east-1" || creds.AccessKeyID != "AK" || creds.Method != "shared-credentials-file" {
		t.Errorf("files: region %s creds %+v %v", s.RegionName(), creds, err)
	}
	// Default locations ~/.aws/config and ~/.aws/credentials.
	os.MkdirAll(filepath.Join(dir, ".aws"), 0o700)
	os.WriteFile(filepath.Join(dir, ".aws", "config"), []byte("[default]\nregion = me-south-1\n"), 0o600)
	s, err = New(Options{LookupEnv: mapLookup(map[string]string{"HOME": dir, "USERPROFILE": dir})})
	if err != nil {
		t.Fatal(err)
	}
	if s.RegionName() != "me-south-1" {
		t.Errorf("~/.aws/config region %q", s.RegionName())
	}
	// data_path from the profile (AWS_DATA_PATH: 2.40) and ca_bundle (2.39)
	// are covered below; api_versions (file only) by 1.37.
}

func mapLookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// 2.39: AWS_CA_BUNDLE (or the profile's ca_bundle) is the verify path when
// Verify is unset; Verify=false overrides it.
func TestCABundleEnvAndVerifyFalse_2_39(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Write([]byte(`{"TableNames":[]}`))
	}))
	srv.Config.ErrorLog = discardLog()
	defer srv.Close()
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ca.pem")
	os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	call := func(s *Session, o ClientOptions) error {
		o.EndpointURL = srv.URL
		o.Config = &Config{Retries: &RetryConfig{TotalMaxAttempts: Int(1)}}
		c, err := s.Client("dynamodb", o)
		if err != nil {
			return err
		}
		_, err = c.Call(context.Background(), "ListTables", nil)
		return err
	}
	fileS := cfgSession(t, "[default]\nca_bundle = "+bundle+"\n", nil, Options{Region: "us-east-1"})
	if err := call(fileS, ClientOptions{}); err != nil {
		t.Errorf("profile ca_bundle: %v", err)
	}
	missing := filepath.Join(dir, "missing.pem")
	envS := cfgSession(t, "[default]\nca_bundle = "+bundle+"\n", map[string]string{"AWS_CA_BUNDLE": missing}, Options{Region: "us-east-1"})
	if err := call(envS, ClientOptions{}); err == nil || !strings.Contains(err.Error(), "missing.pem") {
		t.Errorf("AWS_CA_BUNDLE (a missing file) beats ca_bundle and is read: %v", err)
	}
	if err := call(envS, ClientOptions{Verify: Bool(false)}); err != nil {
		t.Errorf("verify=False over AWS_CA_BUNDLE: %v", err)
	}
	if err := call(envS, ClientOptions{CABundle: bundle}); err != nil {
		t.Errorf("verify=<path> over AWS_CA_BUNDLE: %v", err)
	}
}

// 2.40, 2.36: AWS_DATA_PATH (or the profile's data_path) lists model
// directories, os.PathListSeparator-separated, searched before the bundled
// models: a patched model replaces the bundled one, a new service appears,
// the first directory wins, bundled services still load.
func TestDataPath_2_40(t *testing.T) {
	d1, d2 := t.TempDir(), t.TempDir()
	write := func(dir, svc, ver, body string) {
		p := filepath.Join(dir, svc, ver)
		os.MkdirAll(p, 0o700)
		if err := os.WriteFile(filepath.Join(p, "service-2.json"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	model := func(prefix, op string) string {
		return `{"version":"2.0","metadata":{"apiVersion":"2012-11-05","endpointPrefix":"` + prefix + `","jsonVersion":"1.0",` +
			`"protocol":"json","serviceId":"` + prefix + `","signatureVersion":"v4","targetPrefix":"X","uid":"` + prefix + `-2012-11-05"},` +
			`"operations":{"` + op + `":{"name":"` + op + `","http":{"method":"POST","requestUri":"/"}}},"shapes":{}}`
	}
	write(d1, "sqs", "2012-11-05", model("sqs", "PatchedOp"))
	write(d1, "myservice", "2012-11-05", model("myservice", "First"))
	write(d2, "myservice", "2012-11-05", model("myservice", "Second"))
	dp := d1 + string(os.PathListSeparator) + string(os.PathListSeparator) + d2
	check := func(name string, s *Session) {
		t.Helper()
		c, err := s.Client("sqs", ClientOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := c.Meta().ServiceModel.Operations["PatchedOp"]; !ok || len(c.Meta().ServiceModel.Operations) != 1 {
			t.Errorf("%s: patched sqs model not used", name)
		}
		if !slices.Contains(s.AvailableServices(), "myservice") {
			t.Errorf("%s: myservice not listed", name)
		}
		c, err = s.Client("myservice", ClientOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := c.Meta().ServiceModel.Operations["First"]; !ok {
			t.Errorf("%s: first directory did not win", name)
		}
		if _, err := s.Client("dynamodb", ClientOptions{}); err != nil {
			t.Errorf("%s: bundled dynamodb: %v", name, err)
		}
	}
	check("AWS_DATA_PATH", cfgSession(t, "", map[string]string{"AWS_DATA_PATH": dp}, Options{Region: "us-east-1"}))
	check("data_path", cfgSession(t, "[default]\ndata_path = "+dp+"\n", nil, Options{Region: "us-east-1"}))
}

// 2.41: sts_regional_endpoints — legacy sends the legacy global regions to
// sts.amazonaws.com, regional keeps sts.<region>.amazonaws.com; env beats
// the profile; other regions are regional either way. Unset is regional,
// botocore 1.40's default, as internal/endpoints chose (1.29 defaulted to
// legacy).
func TestSTSRegionalEndpoints_2_41(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		env        map[string]string
		region     string
		want       string
	}{
		{"default regional", "", nil, "us-west-2", "https://sts.us-west-2.amazonaws.com"},
		{"env legacy", "", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, "us-east-1", "https://sts.amazonaws.com"},
		{"env regional", "", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "regional"}, "us-west-2", "https://sts.us-west-2.amazonaws.com"},
		{"file regional", "[default]\nsts_regional_endpoints = regional\n", nil, "eu-west-1", "https://sts.eu-west-1.amazonaws.com"},
		{"env beats file", "[default]\nsts_regional_endpoints = regional\n", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, "ap-northeast-1", "https://sts.amazonaws.com"},
		{"non-legacy region", "", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, "af-south-1", "https://sts.af-south-1.amazonaws.com"},
	} {
		s := cfgSession(t, tc.file, tc.env, Options{Region: tc.region})
		c, err := s.Client("sts", ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Meta().EndpointURL; got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if tc.want == "https://sts.amazonaws.com" && c.Meta().SigningRegion != "us-east-1" {
			t.Errorf("%s: global endpoint signs for %s", tc.name, c.Meta().SigningRegion)
		}
	}
}

// 2.43: the other variables reach the client's resolved config.
func TestOtherConfigVariables_2_43(t *testing.T) {
	env := map[string]string{
		"AWS_DEFAULTS_MODE":                        "standard",
		"AWS_SDK_UA_APP_ID":                        "my-app",
		"AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES":   "64",
		"AWS_DISABLE_REQUEST_COMPRESSION":          "true",
		"AWS_REQUEST_CHECKSUM_CALCULATION":         "when_required",
		"AWS_RESPONSE_CHECKSUM_VALIDATION":         "when_required",
		"AWS_DISABLE_HOST_PREFIX_INJECTION":        "true",
		"BOTOCORE_TCP_KEEPALIVE":                   "true",
		"AWS_S3_USE_ARN_REGION":                    "true",
		"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT":       "regional",
		"AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS": "true",
	}
	s := cfgSession(t, "", env, Options{Region: "us-east-1"})
	c, err := s.Client("s3", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := c.Meta().Config
	if m.ConnectTimeout != 3100*time.Millisecond || m.Retries.Mode != "standard" || m.DefaultsMode != "" {
		t.Errorf("AWS_DEFAULTS_MODE=standard: connect %v retries %s meta defaults_mode %q", m.ConnectTimeout, m.Retries.Mode, m.DefaultsMode)
	}
	if m.UserAgentAppID != "my-app" || !strings.Contains(m.UserAgent, " app/my-app") {
		t.Errorf("app id %q ua %q", m.UserAgentAppID, m.UserAgent)
	}
	if m.RequestMinCompressionSizeBytes != 64 || !*m.DisableRequestCompression ||
		m.RequestChecksumCalculation != "when_required" || m.ResponseChecksumValidation != "when_required" {
		t.Errorf("compression/checksums %+v", m)
	}
	if *m.InjectHostPrefix || m.TCPKeepalive == nil || !*m.TCPKeepalive {
		t.Errorf("inject_host_prefix %v tcp_keepalive %v", *m.InjectHostPrefix, m.TCPKeepalive)
	}
	if !*m.S3.UseARNRegion || m.S3.USEast1RegionalEndpoint != "regional" || !*m.S3.DisableMultiRegionAccessPoints {
		t.Errorf("s3 %+v", m.S3)
	}
	if c.Meta().EndpointURL != "https://s3.us-east-1.amazonaws.com" {
		t.Errorf("us_east_1_regional_endpoint=regional: %s", c.Meta().EndpointURL)
	}
	// Defaults: legacy mode (60 s connect, legacy retries), nothing else set.
	m = metaConfig(t, cfgSession(t, "", nil, Options{Region: "us-east-1"}), "s3", ClientOptions{})
	if m.ConnectTimeout != 60*time.Second || m.Retries.Mode != "legacy" || m.TCPKeepalive != nil || !*m.InjectHostPrefix ||
		m.S3.UseARNRegion != nil || m.S3.DisableMultiRegionAccessPoints != nil {
		t.Errorf("defaults %+v s3 %+v", m, m.S3)
	}
	// The same keys from the profile.
	m = metaConfig(t, cfgSession(t, "[default]\ndefaults_mode = mobile\ntcp_keepalive = false\ndisable_host_prefix_injection = false\n", nil,
		Options{Region: "us-east-1"}), "sqs", ClientOptions{})
	if m.ConnectTimeout != 30*time.Second || m.Retries.Mode != "standard" || m.TCPKeepalive == nil || *m.TCPKeepalive || !*m.InjectHostPrefix {
		t.Errorf("profile keys: connect %v retries %s keepalive %v", m.ConnectTimeout, m.Retries.Mode, m.TCPKeepalive)
	}
	var ice *InvalidConfigValueError
	if _, err := cfgSession(t, "", map[string]string{"AWS_DEFAULTS_MODE": "fastest"}, Options{Region: "us-east-1"}).Client("sqs", ClientOptions{}); !errors.As(err, &ice) {
		t.Errorf("AWS_DEFAULTS_MODE=fastest: %v", err)
	}
}

// 2.49: the profile's s3 sub-section keys (and the top-level s3_use_arn_region
// / s3_us_east_1_regional_endpoint) appear in meta.config.s3; keys without a
// field pass through in Extra; env beats top-level beats the sub-section.
func TestProfileS3Section_2_49(t *testing.T) {
	const file = "[default]\ns3 =\n  addressing_style = path\n  signature_version = s3v4\n  use_accelerate_endpoint = true\n" +
		"  use_dualstack_endpoint = true\n  payload_signing_enabled = true\n  use_arn_region = false\n" +
		"  us_east_1_regional_endpoint = legacy\n  s3_disable_multiregion_access_points = true\n" +
		"s3_us_east_1_regional_endpoint = regional\n"
	m := metaConfig(t, cfgSession(t, file, nil, Options{Region: "us-east-1"}), "s3", ClientOptions{})
	s3 := m.S3
	if s3.AddressingStyle != "path" || !*s3.UseAccelerateEndpoint || !*s3.UseDualstackEndpoint || !*s3.PayloadSigningEnabled ||
		*s3.UseARNRegion || !*s3.DisableMultiRegionAccessPoints {
		t.Errorf("s3 %+v", s3)
	}
	if s3.USEast1RegionalEndpoint != "regional" {
		t.Errorf("top-level s3_us_east_1_regional_endpoint should beat the sub-section: %q", s3.USEast1RegionalEndpoint)
	}
	if !reflect.DeepEqual(s3.Extra, map[string]string{"signature_version": "s3v4"}) {
		t.Errorf("extra %v", s3.Extra)
	}
	m = metaConfig(t, cfgSession(t, "[default]\ns3_use_arn_region = true\ns3 =\n  use_arn_region = false\n",
		map[string]string{}, Options{Region: "us-east-1"}), "s3", ClientOptions{})
	if !*m.S3.UseARNRegion {
		t.Error("top-level s3_use_arn_region ignored")
	}
	m = metaConfig(t, cfgSession(t, "[default]\ns3_use_arn_region = true\n",
		map[string]string{"AWS_S3_USE_ARN_REGION": "false"}, Options{Region: "us-east-1"}), "s3", ClientOptions{})
	if *m.S3.UseARNRegion {
		t.Error("AWS_S3_USE_ARN_REGION should beat the profile")
	}
}

// 2.50: file s3 settings and Config.S3 merge key by key, Config winning.
func TestS3ConfigMerge_2_50(t *testing.T) {
	const file = "[default]\ns3 =\n  addressing_style = path\n  payload_signing_enabled = true\n  signature_version = s3v4\n"
	s := cfgSession(t, file, nil, Options{Region: "us-east-1"})
	m := metaConfig(t, s, "s3", ClientOptions{Config: &Config{S3: &S3Config{AddressingStyle: "virtual", UseAccelerateEndpoint: Bool(false),
		Extra: map[string]string{"custom": "x"}}}})
	if m.S3.AddressingStyle != "virtual" || !*m.S3.PayloadSigningEnabled || *m.S3.UseAccelerateEndpoint ||
		!reflect.DeepEqual(m.S3.Extra, map[string]string{"signature_version": "s3v4", "custom": "x"}) {
		t.Errorf("merged s3 %+v", m.S3)
	}
	c, _ := s.Client("s3", ClientOptions{Config: &Config{S3: &S3Config{AddressingStyle: "virtual"}}})
	if req, _ := sentRequest(t, c, "HeadBucket", Params{"Bucket": "bkt"}); req.URL.Host != "bkt.s3.amazonaws.com" {
		t.Errorf("virtual from Config: host %s", req.URL.Host)
	}
	c, _ = s.Client("s3", ClientOptions{})
	if req, _ := sentRequest(t, c, "HeadBucket", Params{"Bucket": "bkt"}); req.URL.Host != "s3.amazonaws.com" || req.URL.Path != "/bkt" {
		t.Errorf("path from file: %s%s", req.URL.Host, req.URL.Path)
	}
}

// 2.51: the profile's proxy_ca_bundle, proxy_client_cert and
// proxy_use_forwarding_for_https feed proxies_config, Config's keys winning.
func TestProxyFileKeys_2_51(t *testing.T) {
	const file = "[default]\nproxy_ca_bundle = /p/ca.pem\nproxy_client_cert = /p/cert.pem\nproxy_use_forwarding_for_https = true\n"
	s := cfgSession(t, file, nil, Options{Region: "us-east-1"})
	m := metaConfig(t, s, "sqs", ClientOptions{})
	want := map[string]string{"proxy_ca_bundle": "/p/ca.pem", "proxy_client_cert": "/p/cert.pem", "proxy_use_forwarding_for_https": "true"}
	if !reflect.DeepEqual(m.ProxiesConfig, want) {
		t.Errorf("proxies_config %v", m.ProxiesConfig)
	}
	mine := map[string]string{"proxy_ca_bundle": "/mine.pem"}
	m = metaConfig(t, s, "sqs", ClientOptions{Config: &Config{ProxiesConfig: mine}})
	want["proxy_ca_bundle"] = "/mine.pem"
	if !reflect.DeepEqual(m.ProxiesConfig, want) || len(mine) != 1 {
		t.Errorf("merged proxies_config %v (caller's map %v)", m.ProxiesConfig, mine)
	}
	if m := metaConfig(t, cfgSession(t, "", nil, Options{Region: "us-east-1"}), "sqs", ClientOptions{}); m.ProxiesConfig != nil {
		t.Errorf("no keys: %v", m.ProxiesConfig)
	}
}
