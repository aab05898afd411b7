package session

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"io"
	stdlog "log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// 1.01, 1.30: Options carries boto3 1.26's constructor keywords
// (aws_access_key_id, aws_secret_access_key, aws_session_token,
// region_name, profile_name) as Go fields; boto3 1.26 has no
// aws_account_id (TypeError), and neither has Options, so 1.30's newer
// account-id check cannot arise. botocore_session has no Go counterpart
// (1.14): a Session owns its configuration.
func TestOptionsAreBoto3Keywords_1_01(t *testing.T) {
	typ := reflect.TypeOf(Options{})
	for _, f := range []string{"AccessKeyID", "SecretAccessKey", "SessionToken", "Region", "Profile"} {
		if _, ok := typ.FieldByName(f); !ok {
			t.Errorf("Options lacks %s", f)
		}
	}
	for _, f := range []string{"AccountID", "AWSAccountID"} {
		if _, ok := typ.FieldByName(f); ok {
			t.Errorf("Options has %s, which boto3 1.26 rejects", f)
		}
	}
	s, err := New(Options{AccessKeyID: "AK", SecretAccessKey: "SK", SessionToken: "TOK", Region: "eu-west-1",
		Env: writeFiles(t, "[profile p]\nregion = us-west-2\n", "", nil), Profile: "p"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Credentials(context.Background())
	if err != nil || c.AccessKeyID != "AK" || c.SecretAccessKey != "SK" || c.SessionToken != "TOK" || c.Method != "explicit" {
		t.Errorf("credentials %+v %v", c, err)
	}
	if s.RegionName() != "eu-west-1" || s.ProfileName() != "p" {
		t.Errorf("region/profile = %q/%q", s.RegionName(), s.ProfileName())
	}
}

// 1.03: the session's String is boto3's repr.
func TestSessionRepr_1_03(t *testing.T) {
	for region, want := range map[string]string{"us-east-1": "Session(region_name='us-east-1')", "": "Session(region_name=None)"} {
		s, err := New(Options{Region: region, Env: writeFiles(t, "", "", nil)})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}

// 1.07 (deviation): Go's zero value cannot tell region_name=” from None, so
// an empty Options.Region is "not given" and the lookup goes on to the
// environment; boto3's ValueError for ” has no Go counterpart.
func TestEmptyRegionIsUnset_1_07(t *testing.T) {
	s, err := New(Options{Region: "", Env: writeFiles(t, "", "", map[string]string{"AWS_DEFAULT_REGION": "ap-south-1"})})
	if err != nil {
		t.Fatal(err)
	}
	if s.RegionName() != "ap-south-1" {
		t.Errorf("RegionName = %q", s.RegionName())
	}
}

// 1.13: two sessions share no handlers and no cached credentials.
func TestSessionsShareNothing_1_13(t *testing.T) {
	env := map[string]string{"AWS_ACCESS_KEY_ID": "AK1", "AWS_SECRET_ACCESS_KEY": "SK1"}
	get := func(k string) string { return env[k] }
	s1, _ := New(Options{Region: "us-east-1", Env: get, ConfigFile: filepath.Join(t.TempDir(), "none"), CredentialsFile: filepath.Join(t.TempDir(), "none")})
	s2, _ := New(Options{Region: "us-east-1", Env: get, ConfigFile: filepath.Join(t.TempDir(), "none"), CredentialsFile: filepath.Join(t.TempDir(), "none")})
	c1, _ := s1.Credentials(context.Background())
	env["AWS_ACCESS_KEY_ID"] = "AK2"
	env["AWS_SECRET_ACCESS_KEY"] = "SK2"
	c1again, _ := s1.Credentials(context.Background())
	cs2, _ := s2.Credentials(context.Background())
	// 1.27: s1 resolved once and keeps its provider; s2 resolves on its own.
	if c1.AccessKeyID != "AK1" || c1again.AccessKeyID != "AK1" || cs2.AccessKeyID != "AK2" {
		t.Errorf("credentials s1=%s/%s s2=%s", c1.AccessKeyID, c1again.AccessKeyID, cs2.AccessKeyID)
	}
	fired := 0
	s1.Events().Register("before-call", func(context.Context, *Event) (any, error) { fired++; return &Output{Data: map[string]any{}}, nil })
	c2, _ := s2.Client("dynamodb", ClientOptions{})
	c2.Events().Register("before-send", func(context.Context, *Event) (any, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody}, nil
	})
	if _, err := c2.Call(context.Background(), "ListTables", nil); err != nil || fired != 0 {
		t.Errorf("s1's handler fired %d times for s2's client (%v)", fired, err)
	}
	if s1.Events() == s2.Events() {
		t.Error("sessions share an emitter")
	}
}

// 1.15 (deviation, named): the user agent keeps botocore's layout —
// "<name>/<version> <lang>/<version> <os>/<arch> … Botocore/<version>" — with
// fakecloud and Go in place of Boto3 and Python, and names botocore 1.29.27,
// the version the golden files pin.
func TestUserAgentLayout_1_15(t *testing.T) {
	c, err := testSession(t).Client("sqs", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ua := c.Meta().Config.UserAgent
	want := "fakecloud/" + Version + " Go/" + strings.TrimPrefix(runtime.Version(), "go") + " " + runtime.GOOS + "/" + runtime.GOARCH + " Botocore/1.29.27"
	if ua != want {
		t.Errorf("user agent %q, want %q", ua, want)
	}
}

// 1.18: AvailableServices is the sorted list of client names with a
// service-2 model (client names such as elbv2, logs, sagemaker-runtime, not
// endpoint prefixes), at least 1.29.27's 333.
func TestAvailableServices_1_18(t *testing.T) {
	s := testSession(t)
	svcs := s.AvailableServices()
	if !sort.StringsAreSorted(svcs) || len(svcs) < 333 {
		t.Errorf("%d services, sorted=%v", len(svcs), sort.StringsAreSorted(svcs))
	}
	for _, n := range []string{"elbv2", "logs", "sagemaker-runtime", "s3", "dynamodb"} {
		if !contains(svcs, n) {
			t.Errorf("lacks client name %s", n)
		}
	}
	for _, n := range []string{"elasticloadbalancing", "monitoring", "email"} {
		if contains(svcs, n) {
			t.Errorf("lists endpoint prefix %s", n)
		}
	}
}

// 1.19, 6.13: AvailableResources is the sorted list of services with a
// boto3 resources-1 model: 1.26's list, or 1.43's without opsworks.
func TestAvailableResources_1_19(t *testing.T) {
	got := testSession(t).AvailableResources()
	deb := []string{"cloudformation", "cloudwatch", "dynamodb", "ec2", "glacier", "iam", "opsworks", "s3", "sns", "sqs"}
	pypi := []string{"cloudformation", "cloudwatch", "dynamodb", "ec2", "glacier", "iam", "s3", "sns", "sqs"}
	if !reflect.DeepEqual(got, deb) && !reflect.DeepEqual(got, pypi) {
		t.Errorf("AvailableResources = %v", got)
	}
}

// 1.20: partitions in endpoints.json order, 1.29's five first.
func TestAvailablePartitions_1_20(t *testing.T) {
	got := testSession(t).AvailablePartitions()
	if len(got) < 5 || !reflect.DeepEqual(got[:5], []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"}) {
		t.Errorf("AvailablePartitions = %v", got)
	}
}

// 1.21, 1.22: S3's regions in aws are sorted, all match the partition's
// regionRegex (af-south-1 … us-west-2); allowNonRegional adds aws-global,
// the fips-* and s3-external-1 keys.
func TestAvailableRegionsS3_1_21(t *testing.T) {
	s := testSession(t)
	regional := s.AvailableRegions("s3", "aws", false)
	re := regexp.MustCompile(`^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`)
	if len(regional) < 26 || !sort.StringsAreSorted(regional) || regional[0] != "af-south-1" || regional[len(regional)-1] != "us-west-2" {
		t.Errorf("s3 regions = %v", regional)
	}
	for _, r := range regional {
		if !re.MatchString(r) {
			t.Errorf("non-regional key %q listed", r)
		}
	}
	all := s.AvailableRegions("s3", "aws", true)
	for _, want := range []string{"aws-global", "fips-us-east-1", "s3-external-1"} {
		if !contains(all, want) {
			t.Errorf("1.22 allow_non_regional lacks %s: %v", want, all)
		}
	}
	if !contains(s.AvailableRegions("sts", "aws", true), "aws-global") {
		t.Error("1.22 sts lacks aws-global")
	}
}

// 1.27, 1.28: Credentials runs the chain once (a credential_process runs a
// single time) and returns nil, nil when nothing is found; the Method names
// the provider.
func TestCredentialsCachedAndMethod_1_27(t *testing.T) {
	dir := t.TempDir()
	count := filepath.Join(dir, "count")
	script := filepath.Join(dir, "proc.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho x >> "+count+"\necho '{\"Version\": 1, \"AccessKeyId\": \"PAK\", \"SecretAccessKey\": \"PSK\"}'\n"), 0o700)
	s, err := New(Options{Env: writeFiles(t, "[default]\ncredential_process = "+script+"\n", "", nil)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		c, err := s.Credentials(context.Background())
		if err != nil || c.AccessKeyID != "PAK" || c.Method != "custom-process" {
			t.Fatalf("credentials %+v %v", c, err)
		}
	}
	if b, _ := os.ReadFile(count); strings.Count(string(b), "x") != 1 {
		t.Errorf("credential_process ran %d times", strings.Count(string(b), "x"))
	}
	none, _ := New(Options{Env: writeFiles(t, "", "", nil)})
	if c, err := none.Credentials(context.Background()); c != nil || err != nil {
		t.Errorf("no credentials: %v %v", c, err)
	}
	cases := []struct {
		config, creds string
		env           map[string]string
		method        string
	}{
		{"", "", map[string]string{"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}, "env"},
		{"", "[default]\naws_access_key_id = a\naws_secret_access_key = b\n", nil, "shared-credentials-file"},
		{"[default]\naws_access_key_id = a\naws_secret_access_key = b\n", "", nil, "config-file"},
	}
	for _, tc := range cases {
		s, _ := New(Options{Env: writeFiles(t, tc.config, tc.creds, tc.env)})
		if c, err := s.Credentials(context.Background()); err != nil || c.Method != tc.method || c.AccessKeyID != "a" || c.SecretAccessKey != "b" {
			t.Errorf("%s: %+v %v", tc.method, c, err)
		}
	}
}

// 1.37: APIVersion names the model's version or fails with
// DataNotFoundError; the config file's api_versions section pins it too.
func TestAPIVersion_1_37(t *testing.T) {
	s := testSession(t)
	if _, err := s.Client("s3", ClientOptions{APIVersion: "2006-03-01"}); err != nil {
		t.Errorf("2006-03-01: %v", err)
	}
	var dn *DataNotFoundError
	_, err := s.Client("s3", ClientOptions{APIVersion: "2000-01-01"})
	if !errors.As(err, &dn) || err.Error() != "Unable to load data for: s3/2000-01-01/service-2" {
		t.Errorf("unknown version: %v", err)
	}
	f, _ := New(Options{Region: "us-east-1", Env: writeFiles(t, "[default]\napi_versions =\n    s3 = 2000-01-01\n    sqs = 2012-11-05\n", "", nil)})
	if _, err := f.Client("s3", ClientOptions{}); !errors.As(err, &dn) {
		t.Errorf("api_versions s3 = 2000-01-01: %v", err)
	}
	if _, err := f.Client("sqs", ClientOptions{}); err != nil {
		t.Errorf("api_versions sqs = 2012-11-05: %v", err)
	}
}

// 1.39: verify — by default the system roots reject a self-signed server;
// Verify=false skips verification; CABundle and AWS_CA_BUNDLE trust a PEM
// bundle.
func TestVerifyAndCABundle_1_39(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Write([]byte(`{"TableNames":[]}`))
	}))
	srv.Config.ErrorLog = discardLog()
	defer srv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	s := testSession(t)
	ctx := context.Background()
	call := func(s *Session, o ClientOptions) error {
		o.EndpointURL = srv.URL
		o.Config = &Config{Retries: &RetryConfig{TotalMaxAttempts: Int(1)}}
		c, err := s.Client("dynamodb", o)
		if err != nil {
			return err
		}
		_, err = c.Call(ctx, "ListTables", nil)
		return err
	}
	var ce *EndpointConnectionError
	if err := call(s, ClientOptions{}); !errors.As(err, &ce) {
		t.Errorf("default verify: %v", err)
	}
	if err := call(s, ClientOptions{Verify: Bool(false)}); err != nil {
		t.Errorf("verify=False: %v", err)
	}
	if err := call(s, ClientOptions{CABundle: bundle}); err != nil {
		t.Errorf("CABundle: %v", err)
	}
	envS, _ := New(Options{Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "b",
		Env: writeFiles(t, "", "", map[string]string{"AWS_CA_BUNDLE": bundle})})
	if err := call(envS, ClientOptions{}); err != nil {
		t.Errorf("AWS_CA_BUNDLE: %v", err)
	}
	_ = tls.VersionTLS12
}

// 1.42: the session's DefaultConfig is merged under the client's Config.
func TestDefaultConfigMergedUnderClientConfig_1_42(t *testing.T) {
	s, err := New(Options{Region: "us-east-1", AccessKeyID: "a", SecretAccessKey: "b", Env: writeFiles(t, "", "", nil),
		DefaultConfig: &Config{Region: "eu-west-1", UserAgentExtra: "default/1", MaxPoolConnections: 3}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Client("sqs", ClientOptions{Config: &Config{UserAgentExtra: "client/2"}})
	if err != nil {
		t.Fatal(err)
	}
	m := c.Meta()
	if m.Region != "eu-west-1" || m.Config.MaxPoolConnections != 3 || !strings.HasSuffix(m.Config.UserAgent, " client/2") || strings.Contains(m.Config.UserAgent, "default/1") {
		t.Errorf("merged: region %s pool %d ua %q", m.Region, m.Config.MaxPoolConnections, m.Config.UserAgent)
	}
}

// 1.45: as boto3 1.26, a resource's client gets no user_agent_extra.
func TestResourceClientNoUserAgentExtra_1_45(t *testing.T) {
	r, err := testSession(t).Resource("sqs", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg := r.Client().Meta().Config; cfg.UserAgentExtra != "" || strings.Contains(cfg.UserAgent, "Resource") {
		t.Errorf("resource client user agent %q extra %q", cfg.UserAgent, cfg.UserAgentExtra)
	}
}

func discardLog() *stdlog.Logger { return stdlog.New(io.Discard, "", 0) }
