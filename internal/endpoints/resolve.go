package endpoints

import (
	"fmt"
	"slices"
	"strings"
)

// Options are the client settings that change endpoint resolution. The zero
// value resolves like a boto3 1.43 client with default configuration.
type Options struct {
	// UseFIPS and UseDualStack select the "fips" and "dualstack" endpoint
	// variants (use_fips_endpoint, use_dualstack_endpoint).
	UseFIPS      bool
	UseDualStack bool
	// DisableSSL is use_ssl=False: the URL scheme becomes http.
	DisableSSL bool
	// SigningName is the service model's signingName; it applies unless the
	// endpoint's credentialScope names a service. Empty means the endpoint
	// prefix.
	SigningName string
	// STSRegionalEndpoints is sts_regional_endpoints / AWS_STS_REGIONAL_ENDPOINTS:
	// "regional" (the default since botocore 1.40) or "legacy", which sends
	// the legacy global regions to https://sts.amazonaws.com.
	STSRegionalEndpoints string
	// S3USEast1RegionalEndpoint is s3.us_east_1_regional_endpoint: "legacy"
	// (the default: us-east-1 and no region use https://s3.amazonaws.com) or
	// "regional".
	S3USEast1RegionalEndpoint string
}

// Endpoint is a resolved endpoint: what a boto3 client reports as
// client.meta.endpoint_url and client.meta.region_name and signs with.
type Endpoint struct {
	URL           string // scheme://hostname, no trailing slash
	Hostname      string
	Region        string // client.meta.region_name: the endpoint name used
	SigningRegion string // credential scope region
	SigningName   string // credential scope service
	PartitionID   string
	// Variant holds the variant tags used ("dualstack", "fips"), nil for the
	// plain endpoint.
	Variant []string
	// Deprecated is set when endpoints.json marks the endpoint deprecated
	// (botocore logs a warning).
	Deprecated bool
}

// InvalidRegionError is botocore's InvalidRegionError: a region name must be a
// valid host label.
type InvalidRegionError struct{ Region string }

func (e *InvalidRegionError) Error() string {
	return fmt.Sprintf("endpoints: provided region_name %q doesn't match a supported format", e.Region)
}

// InvalidConfigError reports an unsupported value for sts_regional_endpoints
// or us_east_1_regional_endpoint.
type InvalidConfigError struct{ Name, Value string }

func (e *InvalidConfigError) Error() string {
	return fmt.Sprintf("endpoints: %s must be \"legacy\" or \"regional\", not %q", e.Name, e.Value)
}

// unsupportedDualStack are the partitions botocore refuses dual-stack for
// outright (EndpointResolver._UNSUPPORTED_DUALSTACK_PARTITIONS).
var unsupportedDualStack = []string{"aws-iso", "aws-iso-b"}

// legacyGlobalSTSRegions are the regions sts_regional_endpoints=legacy sends
// to the global endpoint (botocore args.LEGACY_GLOBAL_STS_REGIONS).
var legacyGlobalSTSRegions = []string{
	"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"aws-global", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1",
	"eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2",
	"us-west-1", "us-west-2",
}

// Resolve resolves the endpoint of the service with the given endpointPrefix
// (model metadata, e.g. "sqs", "email" for ses, "monitoring" for cloudwatch)
// in a region, the way a boto3 client does at creation. An empty region means
// none was configured: global services (iam, route53, cloudfront, s3) still
// resolve through their partition endpoint, others fail with ErrNoRegion.
//
// It covers the partition hostname templates, per-endpoint hostnames and
// credential scopes, FIPS and dual-stack variants, non-regionalized services
// (iam → iam.amazonaws.com signed for us-east-1 from any aws region), regions
// no partition knows (resolved with the aws partition), S3's legacy global
// endpoint for us-east-1 and STS's legacy global endpoint.
func Resolve(endpointPrefix, region string, opts Options) (Endpoint, error) {
	if err := validateRegion(region); err != nil {
		return Endpoint{}, err
	}
	doc, err := loadEndpoints()
	if err != nil {
		return Endpoint{}, err
	}
	// ClientCreator._normalize_fips_region: a "fips-" or "-fips" pseudo region
	// (fips-us-east-1, us-gov-west-1-fips) is rewritten to the plain region
	// with use_fips_endpoint switched on.
	if n := strings.ReplaceAll(strings.ReplaceAll(region, "fips-", ""), "-fips", ""); n != region {
		region, opts.UseFIPS = n, true
	}
	forcedS3Global := false
	if endpointPrefix == "s3" {
		mode := opts.S3USEast1RegionalEndpoint
		if mode == "" {
			mode = "legacy"
		}
		if mode != "legacy" && mode != "regional" {
			return Endpoint{}, &InvalidConfigError{Name: "us_east_1_regional_endpoint", Value: mode}
		}
		if mode == "legacy" && (region == "" || region == "us-east-1") {
			forcedS3Global = true
			region = ""
		}
	}
	stsMode := opts.STSRegionalEndpoints
	if endpointPrefix == "sts" {
		if stsMode == "" {
			stsMode = "regional"
		}
		if stsMode != "legacy" && stsMode != "regional" {
			return Endpoint{}, &InvalidConfigError{Name: "sts_regional_endpoints", Value: stsMode}
		}
	}

	r, err := doc.construct(endpointPrefix, region, "", opts.UseDualStack, opts.UseFIPS)
	if err != nil {
		return Endpoint{}, err
	}
	if r == nil {
		// ClientEndpointBridge: fall back to the aws partition.
		r, err = doc.construct(endpointPrefix, region, "aws", opts.UseDualStack, opts.UseFIPS)
		if err != nil {
			return Endpoint{}, err
		}
	}
	var ep Endpoint
	if r != nil {
		ep = r.endpoint(endpointPrefix, opts)
	} else {
		// ClientEndpointBridge._assume_endpoint; only reachable when the data
		// has no aws partition.
		if region == "" {
			return Endpoint{}, ErrNoRegion
		}
		ep = Endpoint{
			Hostname:      endpointPrefix + "." + region + ".amazonaws.com",
			Region:        region,
			SigningRegion: region,
			SigningName:   cmpOr(opts.SigningName, endpointPrefix),
		}
		ep.URL = scheme(!opts.DisableSSL, []string{"http", "https"}) + "://" + ep.Hostname
	}
	if forcedS3Global && ep.Region == "aws-global" {
		// botocore keeps meta.region_name us-east-1 for the global endpoint.
		ep.Region = "us-east-1"
	}
	if endpointPrefix == "sts" && len(ep.Variant) == 0 && stsMode == "legacy" &&
		slices.Contains(legacyGlobalSTSRegions, region) {
		ep.Hostname = "sts.amazonaws.com"
		ep.URL = scheme(!opts.DisableSSL, []string{"https"}) + "://" + ep.Hostname
		ep.SigningRegion = "us-east-1"
	}
	return ep, nil
}

// validateRegion is botocore's validate_region_name: a host label of at most
// 63 letters, digits and hyphens, not all digits, not starting or ending with
// a hyphen. (Python's $ would also let a trailing newline through; a region
// is put into a host name, so it is refused here.)
func validateRegion(region string) error {
	if region == "" {
		return nil
	}
	if len(region) > 63 || region[0] == '-' || region[len(region)-1] == '-' {
		return &InvalidRegionError{Region: region}
	}
	digits := true
	for i := 0; i < len(region); i++ {
		c := region[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
			digits = false
		default:
			return &InvalidRegionError{Region: region}
		}
	}
	if digits {
		return &InvalidRegionError{Region: region}
	}
	return nil
}

// resolved is botocore's resolved endpoint dictionary.
type resolved struct {
	partition       string
	endpointName    string
	hostname        string
	protocols       []string
	credentialScope *credentialScope
	tags            []string
	deprecated      bool
}

func (r *resolved) endpoint(service string, opts Options) Endpoint {
	ep := Endpoint{
		Hostname:      r.hostname,
		URL:           scheme(!opts.DisableSSL, r.protocols) + "://" + r.hostname,
		Region:        r.endpointName,
		SigningRegion: r.endpointName,
		SigningName:   cmpOr(opts.SigningName, service),
		PartitionID:   r.partition,
		Variant:       r.tags,
		Deprecated:    r.deprecated,
	}
	if cs := r.credentialScope; cs != nil {
		if cs.Region != "" {
			ep.SigningRegion = cs.Region
		}
		if cs.Service != "" {
			ep.SigningName = cs.Service
		}
	}
	return ep
}

func scheme(secure bool, protocols []string) string {
	if secure && slices.Contains(protocols, "https") {
		return "https"
	}
	return "http"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// construct is EndpointResolver.construct_endpoint. A nil result with a nil
// error means no partition claimed the region.
func (d *endpointsDoc) construct(service, region, partitionID string, dualStack, fips bool) (*resolved, error) {
	if service == "s3" && dualStack && region == "" {
		region = "us-east-1"
	}
	if partitionID != "" {
		var valid *partition
		for _, p := range d.Partitions {
			if p.ID == partitionID {
				valid = p
			}
		}
		if valid == nil {
			return nil, nil
		}
		return valid.endpointFor(service, region, dualStack, fips, true)
	}
	for _, p := range d.Partitions {
		if dualStack && slices.Contains(unsupportedDualStack, p.ID) {
			continue
		}
		r, err := p.endpointFor(service, region, dualStack, fips, false)
		if r != nil || err != nil {
			return r, err
		}
	}
	return nil, nil
}

var emptyService = &serviceData{}

// endpointFor is EndpointResolver._endpoint_for_partition.
func (p *partition) endpointFor(service, region string, dualStack, fips, force bool) (*resolved, error) {
	if dualStack && slices.Contains(unsupportedDualStack, p.ID) {
		return nil, &VariantError{Tags: []string{"dualstack"},
			Msg: "Dualstack endpoints are currently not supported for " + p.ID + " partition"}
	}
	svc, ok := p.Services[service]
	if !ok {
		svc = emptyService
	}
	if region == "" {
		if svc.PartitionEndpoint == "" {
			return nil, ErrNoRegion
		}
		region = svc.PartitionEndpoint
	}
	if _, ok := svc.Endpoints.data[region]; ok {
		return p.resolve(service, svc, region, dualStack, fips)
	}
	if force || p.matches(region) {
		regionalized := svc.IsRegionalized == nil || *svc.IsRegionalized
		if svc.PartitionEndpoint != "" && !regionalized {
			return p.resolve(service, svc, svc.PartitionEndpoint, dualStack, fips)
		}
		return p.resolve(service, svc, region, dualStack, fips)
	}
	return nil, nil
}

// resolve is EndpointResolver._resolve: the endpoint's own keys win over the
// service defaults, which win over the partition defaults; with variant tags
// the matching variants are merged the same way first.
func (p *partition) resolve(service string, svc *serviceData, name string, dualStack, fips bool) (*resolved, error) {
	ed := svc.Endpoints.data[name]
	if ed == nil {
		ed = &endpointData{}
	}
	var tags []string
	if dualStack {
		tags = append(tags, "dualstack")
	}
	if fips {
		tags = append(tags, "fips")
	}
	r := &resolved{partition: p.ID, endpointName: name, deprecated: ed.Deprecated}
	var dnsSuffix string
	layers := []*endpointData{ed, &svc.Defaults, &p.Defaults}
	if len(tags) > 0 {
		found := false
		for _, layer := range layers {
			v := layer.variant(tags)
			if v == nil {
				continue
			}
			found = true
			r.hostname = cmpOr(r.hostname, v.Hostname)
			dnsSuffix = cmpOr(dnsSuffix, v.DNSSuffix)
		}
		if !found {
			return nil, &VariantError{Tags: tags,
				Msg: "Endpoint does not exist for " + service + " in region " + name}
		}
		r.tags = tags
	}
	dnsSuffix = cmpOr(dnsSuffix, ed.DNSSuffix)
	dnsSuffix = cmpOr(dnsSuffix, p.DNSSuffix)
	for _, layer := range layers {
		r.hostname = cmpOr(r.hostname, layer.Hostname)
		if r.protocols == nil {
			r.protocols = layer.Protocols
		}
		if r.credentialScope == nil {
			r.credentialScope = layer.CredentialScope
		}
	}
	r.hostname = strings.NewReplacer("{service}", service, "{region}", name, "{dnsSuffix}", dnsSuffix).Replace(r.hostname)
	return r, nil
}

// variant is EndpointResolver._retrieve_variant_data: the variant whose tag
// set equals tags.
func (e *endpointData) variant(tags []string) *variant {
	for i := range e.Variants {
		if sameSet(e.Variants[i].Tags, tags) {
			return &e.Variants[i]
		}
	}
	return nil
}

func sameSet(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}
