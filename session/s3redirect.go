package session

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/fakecloud/fakecloud/internal/endpoints"
	"github.com/fakecloud/fakecloud/internal/model"
)

// S3's quirks around errors and regions, as botocore handles them.

// s3ErrorIn200Ops are the operations S3 may answer 200 and then report an
// error in the body, because the copy or assembly had already started.
var s3ErrorIn200Ops = map[string]bool{"CopyObject": true, "UploadPartCopy": true, "CompleteMultipartUpload": true}

var xmlErrorRoot = regexp.MustCompile(`^\s*(<\?xml[^>]*\?>\s*)?<Error[\s>]`)

// s3ErrorIn200 is botocore 1.43's _handle_200_error (4.96): a 200 whose
// body root is <Error> becomes a 500, so it is parsed as an error (with its
// real code) and retried like any transient failure. An empty 200 body stays
// a success (1.43).
func s3ErrorIn200(op *model.Operation, resp *http.Response) {
	if !s3ErrorIn200Ops[op.Name] || resp.StatusCode != http.StatusOK || resp.Body == nil {
		return
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if err == nil && xmlErrorRoot.Match(b) {
		resp.StatusCode = http.StatusInternalServerError
		resp.Status = "500 Internal Server Error"
	}
}

// cachedBucketRegion is botocore's redirect_from_cache: a bucket S3 once
// redirected goes straight to its region on later calls of this client.
func (c *Client) cachedBucketRegion(params map[string]any) (string, bool) {
	if c.svc.Name != "s3" {
		return "", false
	}
	b, _ := params["Bucket"].(string)
	if b == "" {
		return "", false
	}
	r, ok := c.bucketRegions.Load(b)
	if !ok {
		return "", false
	}
	return r.(string), true
}

// regionEndpoint is the endpoint and signing region for another region: a
// custom endpoint stays, only the signing region changes.
func (c *Client) regionEndpoint(region string) (string, string) {
	if c.custom {
		return c.meta.EndpointURL, region
	}
	ep, err := endpoints.Resolve(c.svc.Metadata.EndpointPrefix, region, c.epOpts)
	if err != nil {
		return c.meta.EndpointURL, region
	}
	return ep.URL, ep.SigningRegion
}

type noRedirectKey struct{}

// redirectRegion is botocore's S3RegionRedirectorv2.redirect_from_error
// (4.97): a PermanentRedirect, a 301/302/307, an AuthorizationHeaderMalformed
// naming a Region, an IllegalLocationConstraintException (not on
// CreateBucket), or a HeadObject/HeadBucket 301/400 sends the request again,
// once, to the bucket's region: from x-amz-bucket-region, else the error's
// Region, else a HeadBucket. The region is cached for the bucket.
func (c *Client) redirectRegion(ctx context.Context, op *model.Operation, params map[string]any, err error) (string, bool) {
	var ae *APIError
	if c.svc.Name != "s3" || !errors.As(err, &ae) || ctx.Value(noRedirectKey{}) != nil {
		return "", false
	}
	bucket, _ := params["Bucket"].(string)
	if bucket == "" || strings.HasPrefix(bucket, "arn:") {
		return "", false
	}
	headerRegion := ae.Headers.Get("x-amz-bucket-region")
	errRegion, _ := ae.Fields["Region"].(string)
	switch {
	case (ae.Code == "301" || ae.Code == "400") && op.Name == "HeadObject":
	case (ae.Code == "301" || ae.Code == "400") && op.Name == "HeadBucket" && headerRegion != "":
	case ae.Code == "AuthorizationHeaderMalformed" && errRegion != "":
	case ae.HTTPStatus == 301 || ae.HTTPStatus == 302 || ae.HTTPStatus == 307:
	case ae.Code == "PermanentRedirect":
	case ae.Code == "IllegalLocationConstraintException" && op.Name != "CreateBucket":
	default:
		return "", false
	}
	region := headerRegion
	if region == "" {
		region = errRegion
	}
	if region == "" {
		out, herr := c.Call(context.WithValue(ctx, noRedirectKey{}, true), "HeadBucket", Params{"Bucket": bucket})
		var he *APIError
		switch {
		case herr == nil:
			region = out.ResponseMetadata.HTTPHeaders.Get("x-amz-bucket-region")
		case errors.As(herr, &he):
			region = he.Headers.Get("x-amz-bucket-region")
		}
	}
	if region == "" || !validRegionName(region) {
		return "", false
	}
	c.bucketRegions.Store(bucket, region)
	return region, true
}

var regionLabel = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$`)

func validRegionName(r string) bool {
	return regionLabel.MatchString(r) && strings.Trim(r, "0123456789") != ""
}
