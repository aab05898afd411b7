package session

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// writeFiles writes a config and a credentials file into a temp dir and
// returns an env that points AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE at them.
func writeFiles(t *testing.T, config, creds string, extra map[string]string) func(string) string {
	t.Helper()
	dir := t.TempDir()
	cf := filepath.Join(dir, "config")
	kf := filepath.Join(dir, "credentials")
	if err := os.WriteFile(cf, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kf, []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"AWS_CONFIG_FILE": cf, "AWS_SHARED_CREDENTIALS_FILE": kf, "HOME": dir,
		"AWS_EC2_METADATA_DISABLED": "true"}
	for k, v := range extra {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

// 1.02: no env, no files: region none, profile default, no profiles, no credentials.
func TestEmptySessionHasDefaultProfileAndNoCredentials_1_02(t *testing.T) {
	s, err := New(Options{Env: writeFiles(t, "", "", nil)})
	if err != nil {
		t.Fatal(err)
	}
	if s.RegionName() != "" || s.ProfileName() != "default" || len(s.AvailableProfiles()) != 0 {
		t.Fatalf("got region %q profile %q profiles %v", s.RegionName(), s.ProfileName(), s.AvailableProfiles())
	}
	c, err := s.Credentials(context.Background())
	if err != nil || c != nil {
		t.Fatalf("Credentials = %v, %v; want nil, nil", c, err)
	}
	if got := s.String(); got != "Session(region_name=None)" {
		t.Errorf("String = %q", got)
	}
}

func TestProfileAndRegionPrecedence(t *testing.T) {
	const config = "[default]\nregion = us-west-1\n[profile dev]\nregion = eu-west-1\n"
	const creds = "[default]\naws_access_key_id = FILEDEF\naws_secret_access_key = s\n[dev]\naws_access_key_id = FILEDEV\naws_secret_access_key = s\n"
	cases := []struct {
		name                     string
		opts                     Options
		env                      map[string]string
		profile, region, key, by string
	}{
		{"1.04 default profile from files", Options{}, nil, "default", "us-west-1", "FILEDEF", "shared-credentials-file"},
		{"1.04 AWS_PROFILE", Options{}, map[string]string{"AWS_PROFILE": "dev"}, "dev", "eu-west-1", "FILEDEV", "shared-credentials-file"},
		{"2.19 AWS_DEFAULT_PROFILE beats AWS_PROFILE", Options{}, map[string]string{"AWS_PROFILE": "nope", "AWS_DEFAULT_PROFILE": "dev"}, "dev", "eu-west-1", "FILEDEV", "shared-credentials-file"},
		{"1.06 AWS_DEFAULT_REGION beats profile, AWS_REGION ignored", Options{}, map[string]string{"AWS_DEFAULT_REGION": "ap-south-1", "AWS_REGION": "sa-east-1"}, "default", "ap-south-1", "FILEDEF", "shared-credentials-file"},
		{"1.06 explicit region wins", Options{Region: "ca-central-1"}, map[string]string{"AWS_DEFAULT_REGION": "ap-south-1"}, "default", "ca-central-1", "FILEDEF", "shared-credentials-file"},
		{"2.04 env profile keeps env credentials", Options{}, map[string]string{"AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "ENV", "AWS_SECRET_ACCESS_KEY": "s"}, "dev", "eu-west-1", "ENV", "env"},
		{"2.03 profile in code removes env provider", Options{Profile: "dev"}, map[string]string{"AWS_ACCESS_KEY_ID": "ENV", "AWS_SECRET_ACCESS_KEY": "s"}, "dev", "eu-west-1", "FILEDEV", "shared-credentials-file"},
		{"2.05 explicit keys beat profile and env", Options{Profile: "dev", AccessKeyID: "EXP", SecretAccessKey: "s"}, map[string]string{"AWS_ACCESS_KEY_ID": "ENV", "AWS_SECRET_ACCESS_KEY": "s"}, "dev", "eu-west-1", "EXP", "explicit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(Options{Env: writeFiles(t, config, creds, tc.env), Profile: tc.opts.Profile, Region: tc.opts.Region,
				AccessKeyID: tc.opts.AccessKeyID, SecretAccessKey: tc.opts.SecretAccessKey})
			if err != nil {
				t.Fatal(err)
			}
			if s.ProfileName() != tc.profile || s.RegionName() != tc.region {
				t.Errorf("profile %q region %q, want %q %q", s.ProfileName(), s.RegionName(), tc.profile, tc.region)
			}
			c, err := s.Credentials(context.Background())
			if err != nil || c == nil {
				t.Fatalf("Credentials: %v %v", c, err)
			}
			if c.AccessKeyID != tc.key || c.Method != tc.by {
				t.Errorf("credentials %s via %s, want %s via %s", c.AccessKeyID, c.Method, tc.key, tc.by)
			}
		})
	}
}

// 1.05: a named profile that exists nowhere fails at construction.
func TestMissingNamedProfileIsProfileNotFound_1_05(t *testing.T) {
	for _, o := range []Options{{Profile: "nope"}, {Profile: "default"}} {
		o.Env = writeFiles(t, "", "", nil)
		_, err := New(o)
		var pnf *ProfileNotFoundError
		if !errors.As(err, &pnf) {
			t.Fatalf("profile %q: err = %v, want *ProfileNotFoundError", o.Profile, err)
		}
	}
	_, err := New(Options{Env: writeFiles(t, "", "", map[string]string{"AWS_PROFILE": "nope"})})
	var pnf *ProfileNotFoundError
	if !errors.As(err, &pnf) {
		t.Fatalf("AWS_PROFILE: err = %v", err)
	}
}

// 2.07: env key without secret is a PartialCredentialsError.
func TestEnvKeyWithoutSecretIsPartialCredentials_2_07(t *testing.T) {
	s, err := New(Options{Env: writeFiles(t, "", "", map[string]string{"AWS_ACCESS_KEY_ID": "AK"})})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Credentials(context.Background())
	var pce *PartialCredentialsError
	if !errors.As(err, &pce) {
		t.Fatalf("err = %v", err)
	}
}

// 1.10: profiles in file order, config first then credentials-only.
func TestAvailableProfilesFileOrder_1_10(t *testing.T) {
	s, err := New(Options{Env: writeFiles(t, "[profile b]\n[default]\n", "[c]\naws_access_key_id=x\naws_secret_access_key=y\n[b]\n", nil)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.AvailableProfiles(), []string{"b", "default", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("AvailableProfiles = %v, want %v", got, want)
	}
}

func TestDiscovery_1_18_to_1_26(t *testing.T) {
	s, err := New(Options{Env: writeFiles(t, "", "", nil)})
	if err != nil {
		t.Fatal(err)
	}
	svcs := s.AvailableServices()
	if len(svcs) < 300 || !contains(svcs, "elbv2") || !contains(svcs, "s3") {
		t.Errorf("AvailableServices: %d names", len(svcs))
	}
	res := s.AvailableResources()
	for _, want := range []string{"cloudformation", "dynamodb", "ec2", "s3", "sqs"} {
		if !contains(res, want) {
			t.Errorf("AvailableResources %v lacks %s", res, want)
		}
	}
	if p := s.AvailablePartitions(); len(p) < 5 || p[0] != "aws" || p[1] != "aws-cn" {
		t.Errorf("AvailablePartitions = %v", p)
	}
	if r := s.AvailableRegions("iam", "aws", false); len(r) != 0 {
		t.Errorf("1.23 iam regions = %v", r)
	}
	if r := s.AvailableRegions("iam", "aws", true); !contains(r, "aws-global") {
		t.Errorf("1.23 iam non-regional = %v", r)
	}
	if r := s.AvailableRegions("dynamodb", "aws-cn", false); !reflect.DeepEqual(r, []string{"cn-north-1", "cn-northwest-1"}) {
		t.Errorf("1.25 dynamodb aws-cn = %v", r)
	}
	if r := s.AvailableRegions("nope", "aws", false); len(r) != 0 {
		t.Errorf("1.24 unknown service = %v", r)
	}
	if r := s.AvailableRegions("elb", "aws", false); !contains(r, "us-east-1") {
		t.Errorf("1.24 endpoint prefix elb = %v", r)
	}
	for region, want := range map[string]string{"eu-foo-9": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"} {
		if p, err := s.PartitionForRegion(region); err != nil || p != want {
			t.Errorf("1.26 PartitionForRegion(%s) = %s, %v", region, p, err)
		}
	}
	if _, err := s.PartitionForRegion("xx-bogus-1"); !errors.Is(err, ErrUnknownRegion) {
		t.Errorf("1.26 bogus: %v", err)
	}
	if s.Events() != s.Events() {
		t.Error("1.09 Events not stable")
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
