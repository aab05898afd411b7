package endpoints

import "net/url"

// RuleError is botocore's EndpointResolutionError: an endpoint rule set
// ended in an error rule. Msg is the rule's text, verbatim.
type RuleError struct{ Msg string }

func (e *RuleError) Error() string { return e.Msg }

// The account_id_endpoint_mode values (AWS::Auth::AccountIdEndpointMode).
const (
	AccountIDEndpointPreferred = "preferred"
	AccountIDEndpointRequired  = "required"
	AccountIDEndpointDisabled  = "disabled"
)

// S3Params are the S3 endpoint rule-set parameters a client controls.
type S3Params struct {
	// Endpoint is the client's endpoint URL (resolved or configured);
	// Custom tells whether the user configured it (SDK::Endpoint is set).
	Endpoint string
	Custom   bool
	// Style is s3.addressing_style; ForcePathStyle, when non-nil, is the
	// ForcePathStyle client context parameter and wins over Style, as
	// botocore resolves context parameters before builtins.
	Style          AddressingStyle
	ForcePathStyle *bool
	// Accelerate is the Accelerate parameter (s3.use_accelerate_endpoint or
	// the accelerate client context parameter).
	Accelerate bool
	UseFIPS    bool
	// UseDualStack is AWS::UseDualStack; with Accelerate it selects
	// s3-accelerate.dualstack.
	UseDualStack bool
	// PartitionID is the client region's partition ("aws" if empty).
	PartitionID string
}

// S3BucketAddress is BucketHost with the rule-set parameters boto3 1.43
// feeds the S3 rules, including transfer acceleration (7.15):
// https://<bucket>.s3-accelerate.<dnsSuffix> (".dualstack" inserted with
// dual-stack), always virtual-hosted and signed for the client's region.
// The accelerate errors are the rule set's *RuleError texts: with FIPS, with
// a custom endpoint, in aws-cn, and for buckets that need path style.
func S3BucketAddress(bucket string, p S3Params) (BucketAddress, error) {
	if !p.Accelerate {
		style := p.Style
		if p.ForcePathStyle != nil {
			if *p.ForcePathStyle {
				style = AddressingPath
			} else if style == AddressingPath || style == "" || style == AddressingAuto {
				// ForcePathStyle=false lets a custom endpoint use virtual hosting too.
				style = AddressingVirtual
			}
		}
		return BucketHost(bucket, p.Endpoint, style, p.Custom)
	}
	if p.UseFIPS {
		return BucketAddress{}, &RuleError{"Accelerate cannot be used with FIPS"}
	}
	if p.Custom {
		return BucketAddress{}, &RuleError{"A custom endpoint cannot be combined with S3 Accelerate"}
	}
	forcePath := p.Style == AddressingPath
	if p.ForcePathStyle != nil {
		forcePath = *p.ForcePathStyle
	}
	if forcePath || !virtualHostableBucket(bucket, false) {
		return BucketAddress{}, &RuleError{"Path-style addressing cannot be used with S3 Accelerate"}
	}
	pid := cmpOr(p.PartitionID, "aws")
	if pid == "aws-cn" {
		return BucketAddress{}, &RuleError{"S3 Accelerate cannot be used in this region"}
	}
	info, ok := Partition(pid)
	if !ok {
		info, _ = Partition("aws")
	}
	scheme := "https"
	if u, err := url.Parse(p.Endpoint); err == nil && u.Scheme == "http" {
		scheme = "http" // use_ssl=False
	}
	host := bucket + ".s3-accelerate."
	if p.UseDualStack {
		host += "dualstack."
	}
	return BucketAddress{URL: scheme + "://" + host + info.DNSSuffix, VirtualHost: true}, nil
}

// DynamoDBAccountEndpoint applies the account-id branch of DynamoDB's
// endpoint rule set (botocore ≥ 1.37, 3.25, 7.18): with mode preferred or
// required, an account id from the credentials, the aws partition and no
// FIPS, requests go to https://<account>.ddb.<region>.<dnsSuffix> (the
// dual-stack suffix with UseDualStack). It returns "" when the rules pick the
// ordinary endpoint (mode disabled, no account id in preferred mode, other
// partitions, FIPS, region "local") and a *RuleError for the rule set's
// errors (required without an account id, in another partition or with
// FIPS; an account id that is not a host label). An empty mode is preferred,
// botocore's default. A custom endpoint bypasses this: callers skip it.
func DynamoDBAccountEndpoint(region, accountID, mode string, opts Options) (string, error) {
	if mode == "" {
		mode = AccountIDEndpointPreferred
	}
	if region == "" || region == "local" {
		return "", nil
	}
	pid, _ := PartitionForRegion(region)
	info, ok := Partition(pid)
	if !ok {
		return "", nil
	}
	required := mode == AccountIDEndpointRequired
	if opts.UseFIPS {
		supported := info.SupportsFIPS && (!opts.UseDualStack || info.SupportsDualStack)
		if required && supported {
			return "", &RuleError{"Invalid Configuration: AccountIdEndpointMode is required and FIPS is enabled, but FIPS account endpoints are not supported"}
		}
		return "", nil
	}
	if opts.UseDualStack && !info.SupportsDualStack {
		return "", nil // Resolve reports the dual-stack error
	}
	if mode != AccountIDEndpointDisabled && pid == "aws" && accountID != "" {
		if !validHostLabel(accountID) {
			return "", &RuleError{"Credentials-sourced account ID parameter is invalid"}
		}
		suffix := info.DNSSuffix
		if opts.UseDualStack {
			suffix = info.DualStackDNSSuffix
		}
		sch := "https"
		if opts.DisableSSL {
			sch = "http"
		}
		return sch + "://" + accountID + ".ddb." + region + "." + suffix, nil
	}
	if required {
		if pid == "aws" {
			return "", &RuleError{"AccountIdEndpointMode is required but no AccountID was provided or able to be loaded"}
		}
		return "", &RuleError{"Invalid Configuration: AccountIdEndpointMode is required but account endpoints are not supported in this partition"}
	}
	return "", nil
}

// ValidAccountIDEndpointMode reports whether m is an accepted
// account_id_endpoint_mode value.
func ValidAccountIDEndpointMode(m string) bool {
	switch m {
	case AccountIDEndpointPreferred, AccountIDEndpointRequired, AccountIDEndpointDisabled:
		return true
	}
	return false
}
