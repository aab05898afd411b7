package endpoints

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// golden is a file written by testdata/record_boto3.py: boto3's own answers,
// computed from the same botocore data directory this package embeds.
type golden struct {
	Boto3Version    string   `json:"boto3_version"`
	BotocoreVersion string   `json:"botocore_version"`
	Partitions      []string `json:"partitions"`
	Regions         []struct {
		Service          string   `json:"service"`
		EndpointPrefix   string   `json:"endpoint_prefix"`
		Partition        string   `json:"partition"`
		AllowNonRegional bool     `json:"allow_non_regional"`
		Regions          []string `json:"regions"`
	} `json:"regions"`
	PartitionForRegion []struct {
		Region    string `json:"region"`
		Partition string `json:"partition"`
		Error     string `json:"error"`
	} `json:"partition_for_region"`
	Resolve []struct {
		Service          string `json:"service"`
		EndpointPrefix   string `json:"endpoint_prefix"`
		SigningNameModel string `json:"signing_name_model"`
		Region           string `json:"region"`
		FIPS             bool   `json:"fips"`
		DualStack        bool   `json:"dualstack"`
		Mode             string `json:"mode"`
		URL              string `json:"url"`
		MetaRegion       string `json:"meta_region"`
		SigningRegion    string `json:"signing_region"`
		SigningName      string `json:"signing_name"`
		Partition        string `json:"partition"`
		Error            string `json:"error"`
	} `json:"resolve"`
}

func loadGoldens(t *testing.T) map[string]*golden {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "boto3-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files in testdata (%v)", err)
	}
	out := map[string]*golden{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g golden
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = &g
	}
	return out
}

func TestAvailablePartitionsMatchBoto3(t *testing.T) {
	for name, g := range loadGoldens(t) {
		if got := AvailablePartitions(); !slices.Equal(got, g.Partitions) {
			t.Errorf("%s (boto3 %s): AvailablePartitions() = %v, want %v", name, g.Boto3Version, got, g.Partitions)
		}
	}
}

func TestAvailableRegionsMatchBoto3(t *testing.T) {
	for name, g := range loadGoldens(t) {
		for _, c := range g.Regions {
			got, err := AvailableRegions(c.EndpointPrefix, c.Partition, c.AllowNonRegional)
			if err != nil {
				t.Fatal(err)
			}
			want := c.Regions
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: AvailableRegions(%q (%s), %q, %v) = %v, want %v",
					name, c.EndpointPrefix, c.Service, c.Partition, c.AllowNonRegional, got, want)
			}
		}
	}
}

func TestPartitionForRegionMatchesBoto3(t *testing.T) {
	for name, g := range loadGoldens(t) {
		for _, c := range g.PartitionForRegion {
			got, err := PartitionForRegion(c.Region)
			switch {
			case c.Error == "UnknownRegionError":
				if !errors.Is(err, ErrUnknownRegion) || got != "aws" {
					t.Errorf("%s: PartitionForRegion(%q) = %q, %v; want aws, ErrUnknownRegion", name, c.Region, got, err)
				}
			case c.Error != "":
				t.Errorf("%s: unexpected boto3 error %s for %q", name, c.Error, c.Region)
			case err != nil || got != c.Partition:
				t.Errorf("%s: PartitionForRegion(%q) = %q, %v; want %q", name, c.Region, got, err, c.Partition)
			}
		}
	}
}

func TestResolveMatchesBoto3ClientMeta(t *testing.T) {
	for name, g := range loadGoldens(t) {
		checked := 0
		for _, c := range g.Resolve {
			opts := Options{UseFIPS: c.FIPS, UseDualStack: c.DualStack, SigningName: c.SigningNameModel}
			switch c.Service {
			case "s3":
				opts.S3USEast1RegionalEndpoint = c.Mode
			case "sts":
				opts.STSRegionalEndpoints = c.Mode
			}
			ep, err := Resolve(c.EndpointPrefix, c.Region, opts)
			desc := func() string {
				b, _ := json.Marshal(c)
				return name + ": " + string(b)
			}
			var ve *VariantError
			var ire *InvalidRegionError
			switch c.Error {
			case "":
				if err != nil {
					t.Errorf("%s: error %v", desc(), err)
					continue
				}
				got := [5]string{ep.URL, ep.Region, ep.SigningRegion, ep.SigningName, ep.PartitionID}
				want := [5]string{c.URL, c.MetaRegion, c.SigningRegion, c.SigningName, c.Partition}
				if got != want {
					t.Errorf("%s:\n got  %q\n want %q", desc(), got, want)
				}
			case "NoRegionError":
				if !errors.Is(err, ErrNoRegion) {
					t.Errorf("%s: got %+v, %v; want ErrNoRegion", desc(), ep, err)
				}
			case "EndpointVariantError":
				if !errors.As(err, &ve) {
					t.Errorf("%s: got %+v, %v; want *VariantError", desc(), ep, err)
				}
			case "InvalidRegionError":
				if !errors.As(err, &ire) {
					t.Errorf("%s: got %+v, %v; want *InvalidRegionError", desc(), ep, err)
				}
			default:
				// Old botocore (Debian's 1.29) cannot evaluate some newer
				// models and rule sets at all (KeyError,
				// EndpointResolutionError); nothing to compare.
				continue
			}
			checked++
		}
		t.Logf("%s: boto3 %s / botocore %s: %d resolutions compared", name, g.Boto3Version, g.BotocoreVersion, checked)
	}
}
