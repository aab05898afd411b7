package endpoints

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// AddressingStyle is the S3 addressing_style setting.
type AddressingStyle string

// The S3 addressing styles botocore accepts.
const (
	AddressingAuto    AddressingStyle = "auto"
	AddressingVirtual AddressingStyle = "virtual"
	AddressingPath    AddressingStyle = "path"
)

// BucketAddress is where requests for one bucket go.
type BucketAddress struct {
	// URL is the base URL for the bucket's requests, without a trailing
	// slash: an object key is appended after "/".
	URL string
	// VirtualHost reports virtual-hosted style (bucket in the host name)
	// rather than path style (bucket as the first path segment).
	VirtualHost bool
}

// BucketHost decides, as boto3 1.43 does, whether requests for bucket use
// virtual-hosted or path-style addressing on endpointURL, and returns the
// bucket's base URL. customEndpoint tells whether endpointURL was configured
// by the user (endpoint_url, AWS_ENDPOINT_URL…) rather than resolved.
//
// The rules (botocore's ForcePathStyle computation and the S3 endpoint rule
// set): "path" always uses path style. "auto" uses virtual hosting on AWS
// endpoints when the bucket is a DNS-compatible single label (3–63 lower-case
// letters, digits and hyphens, not shaped like an IPv4 address), and path
// style on a custom endpoint. "virtual" on a custom endpoint uses virtual
// hosting too, except for an IP-address host; dotted bucket names get
// virtual hosting only over plain http (their certificates would not match).
// An empty endpoint style means "auto".
func BucketHost(bucket, endpointURL string, style AddressingStyle, customEndpoint bool) (BucketAddress, error) {
	u, err := url.Parse(endpointURL)
	if err != nil {
		return BucketAddress{}, fmt.Errorf("endpoints: invalid endpoint %q: %w", endpointURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return BucketAddress{}, fmt.Errorf("endpoints: invalid endpoint %q", endpointURL)
	}
	if bucket == "" {
		return BucketAddress{}, fmt.Errorf("endpoints: empty bucket name")
	}
	switch style {
	case "", AddressingAuto, AddressingVirtual, AddressingPath:
	default:
		return BucketAddress{}, fmt.Errorf("endpoints: unknown addressing style %q", style)
	}
	var forcePath bool
	if customEndpoint {
		forcePath = style != AddressingVirtual
	} else {
		forcePath = style == AddressingPath
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	base := u.Scheme + "://" + u.Host
	virtual := false
	if !forcePath {
		switch {
		case customEndpoint && isIPHost(u.Hostname()):
		case virtualHostableBucket(bucket, false):
			virtual = true
		case customEndpoint && u.Scheme == "http" && virtualHostableBucket(bucket, true):
			virtual = true
		}
	}
	if virtual {
		return BucketAddress{URL: u.Scheme + "://" + bucket + "." + u.Host + path, VirtualHost: true}, nil
	}
	return BucketAddress{URL: base + path + "/" + url.PathEscape(bucket)}, nil
}

func isIPHost(h string) bool { return net.ParseIP(h) != nil }

// virtualHostableBucket is the rule sets' aws.isVirtualHostableS3Bucket.
func virtualHostableBucket(b string, allowSubdomains bool) bool {
	if len(b) < 3 || strings.ToLower(b) != b || isIPv4Shaped(b) {
		return false
	}
	if !allowSubdomains {
		return validHostLabel(b)
	}
	for _, l := range strings.Split(b, ".") {
		if !validHostLabel(l) {
			return false
		}
	}
	return true
}

// validHostLabel is ^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$.
func validHostLabel(l string) bool {
	if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isIPv4Shaped is ^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$ (no range check).
func isIPv4Shaped(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) < 1 || len(p) > 3 {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
	}
	return true
}
