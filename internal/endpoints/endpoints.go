package endpoints

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNoRegion is botocore's NoRegionError ("You must specify a region."): the
// service is regional and no region was given.
var ErrNoRegion = errors.New("endpoints: you must specify a region")

// ErrUnknownRegion is botocore's UnknownRegionError: no partition lists the
// region or matches it with its regionRegex.
var ErrUnknownRegion = errors.New("endpoints: no partition found for provided region_name")

// VariantError is botocore's EndpointVariantError: the FIPS or dual-stack
// variant that was asked for does not exist.
type VariantError struct {
	Tags []string // "dualstack", "fips", in that order
	Msg  string
}

func (e *VariantError) Error() string {
	return fmt.Sprintf("endpoints: unable to construct a modeled endpoint with the following variant(s) %s: %s",
		strings.Join(e.Tags, ", "), e.Msg)
}

// AvailablePartitions returns the partition ids in endpoints.json order, as
// boto3's Session.get_available_partitions does (aws, aws-cn, aws-us-gov,
// aws-iso, aws-iso-b, …).
func AvailablePartitions() []string {
	doc, err := loadEndpoints()
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(doc.Partitions))
	for _, p := range doc.Partitions {
		out = append(out, p.ID)
	}
	return out
}

// AvailableRegions lists the endpoint names of the service whose model
// endpointPrefix is endpointPrefix (for example "elasticloadbalancing" for the
// elb and elbv2 clients, "email" for ses) in a partition, in endpoints.json
// order, as boto3's Session.get_available_regions does once it has mapped the
// client name to the prefix.
//
// Only names that are regions of the partition are returned unless
// allowNonRegional is true, in which case entries such as "aws-global",
// "fips-us-east-1" or "s3-external-1" are included too. An unknown service or
// partition gives an empty list, never an error; the error is only for a
// corrupt embedded data set.
func AvailableRegions(endpointPrefix, partitionID string, allowNonRegional bool) ([]string, error) {
	doc, err := loadEndpoints()
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, p := range doc.Partitions {
		if p.ID != partitionID {
			continue
		}
		svc, ok := p.Services[endpointPrefix]
		if !ok {
			continue
		}
		for _, name := range svc.Endpoints.names {
			_, regional := p.Regions[name]
			if allowNonRegional || regional {
				out = append(out, name)
			}
		}
	}
	return out, nil
}

// PartitionForRegion returns the partition a region belongs to: the first
// partition that lists it, or whose regionRegex matches it ("eu-foo-9" is in
// "aws", "cn-north-1" in "aws-cn", "us-gov-west-1" in "aws-us-gov").
//
// When no partition matches, it returns "aws" together with an error wrapping
// ErrUnknownRegion. boto3's Session.get_partition_for_region raises
// UnknownRegionError in that case, so callers mirroring the session check the
// error; a client, on the other hand, falls back to the aws partition (as
// Resolve does), and such callers use the returned id.
func PartitionForRegion(region string) (string, error) {
	doc, err := loadEndpoints()
	if err != nil {
		return "", err
	}
	for _, p := range doc.Partitions {
		if p.matches(region) {
			return p.ID, nil
		}
	}
	return "aws", fmt.Errorf("%w: unknown region %q", ErrUnknownRegion, region)
}

// Partition returns the partitions.json description of a partition id.
func Partition(id string) (PartitionInfo, bool) {
	all, err := Partitions()
	if err != nil {
		return PartitionInfo{}, false
	}
	i := slices.IndexFunc(all, func(p PartitionInfo) bool { return p.ID == id })
	if i < 0 {
		return PartitionInfo{}, false
	}
	return all[i], true
}

func (p *partition) matches(region string) bool {
	if _, ok := p.Regions[region]; ok {
		return true
	}
	return p.regex != nil && p.regex.MatchString(region)
}
