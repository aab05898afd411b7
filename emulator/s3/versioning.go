package s3

import (
	"context"

	"github.com/fakecloud/fakecloud/emulator"
)

// PutBucketVersioning moves a bucket between the three states S3 knows:
// never enabled (""), Enabled and Suspended; once enabled it never returns
// to "". Writes in a suspended bucket make the "null" version.
func putBucketVersioning(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	cfg := mapOf(req.Input, "VersioningConfiguration")
	status := str(cfg, "Status")
	mfa := str(cfg, "MFADelete")
	if status != "" && status != "Enabled" && status != "Suspended" {
		return nil, errMalformedXML()
	}
	if mfa != "" && mfa != "Enabled" && mfa != "Disabled" {
		return nil, errMalformedXML()
	}
	if mfa == "Enabled" && str(req.Input, "MFA") == "" {
		return nil, errInvalidRequest("DevPay and Mfa are mutually exclusive authorization methods.")
	}
	return nil, b.updateMeta(func(m *bucketMeta) error {
		if status != "" {
			m.Versioning = status
		}
		if mfa != "" {
			m.MFADelete = mfa
		}
		return nil
	})
}

func getBucketVersioning(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if b.meta.Versioning != "" {
		out["Status"] = b.meta.Versioning
	}
	if b.meta.MFADelete != "" {
		out["MFADelete"] = b.meta.MFADelete
	}
	return out, nil
}
