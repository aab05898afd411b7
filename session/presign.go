package session

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/internal/endpoints"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// DefaultPresignExpiry is ExpiresIn's default (3600 s).
const DefaultPresignExpiry = time.Hour

// s3DefaultV2 reports whether an S3 client presigns with SigV2 query auth:
// boto3 1.29's default when no signature_version was configured (4.53).
func (c *Client) s3DefaultV2() bool {
	return c.svc.Name == "s3" && c.userSigVersion == ""
}

// GeneratePresignedURL is generate_presigned_url (4.52–4.57): params are
// validated like a call; header-bound params become query parameters.
// httpMethod "" uses the operation's method. expires 0 means one hour.
func (c *Client) GeneratePresignedURL(ctx context.Context, method string, params Params, expires time.Duration, httpMethod string) (string, error) {
	op, ok := c.svc.Operation(method)
	if !ok {
		return "", &UnknownClientMethodError{Method: method}
	}
	if expires == 0 {
		expires = DefaultPresignExpiry
	}
	p := map[string]any(params)
	if p == nil {
		p = map[string]any{}
	}
	if boolOr(c.meta.Config.ParameterValidation, true) {
		if err := validate(op.Input, p); err != nil {
			return "", err
		}
	}
	if err := c.checkBucket(p); err != nil {
		return "", err
	}
	norm := p
	if op.Input != nil {
		n, err := protocol.Normalize(op.Input, p)
		if err != nil {
			return "", err
		}
		norm, _ = n.(map[string]any)
	}
	base, _ := url.Parse(c.meta.EndpointURL)
	if c.s3DefaultV2() && !c.custom {
		base, _ = url.Parse(s3GlobalEndpoint(c.meta.Config.S3.USEast1RegionalEndpoint, c.meta.Region, base))
	}
	req, err := c.codec.MarshalRequest(ctx, op, base, norm)
	if err != nil {
		return "", err
	}
	req.Body, req.ContentLength = nil, 0
	if httpMethod != "" {
		req.Method = httpMethod
	}
	if c.protocolIsQuery() && req.Method == http.MethodPost {
		// 4.57: the query body moves into the URL of a GET.
		if form, err := c.formBody(ctx, op, base, norm); err == nil {
			req.URL.RawQuery = form
		}
		req.Method = http.MethodGet
		req.Header.Del("Content-Type")
	}
	creds, err := c.credentials(ctx)
	if err != nil {
		return "", err
	}
	if c.s3DefaultV2() {
		return c.presignV2(req, p, creds, expires)
	}
	moveHeadersToQuery(req)
	if c.svc.Name == "s3" {
		if err := c.s3AddressPresign(req, norm); err != nil {
			return "", err
		}
	}
	var opts []sigv4.Option
	if c.svc.Name == "s3" {
		opts = append(opts, sigv4.S3Rules(true), sigv4.WithUnsignedPayload())
	}
	return sigv4.Presign(req, sigv4.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken},
		c.meta.SigningName, c.meta.SigningRegion, c.now().UTC(), expires, opts...)
}

// s3AddressPresign applies addressing to a presigned S3 URL: custom
// endpoints always use path style (4.56).
func (c *Client) s3AddressPresign(req *http.Request, params map[string]any) error {
	if c.custom {
		return nil
	}
	return c.s3Address(req, params, c.meta.EndpointURL)
}

func s3GlobalEndpoint(usEast1 string, region string, base *url.URL) string {
	if usEast1 == "regional" && region == "us-east-1" {
		return base.Scheme + "://s3.us-east-1.amazonaws.com"
	}
	return base.Scheme + "://s3.amazonaws.com"
}

func (c *Client) protocolIsQuery() bool {
	n := c.codec.Name()
	return n == "query" || n == "ec2"
}

func (c *Client) formBody(ctx context.Context, op *model.Operation, base *url.URL, params map[string]any) (string, error) {
	req, err := c.codec.MarshalRequest(ctx, op, base, params)
	if err != nil || req.Body == nil {
		return "", err
	}
	defer req.Body.Close()
	b, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	return string(b), err
}

func moveHeadersToQuery(req *http.Request) {
	q := req.URL.Query()
	for k, vs := range req.Header {
		lk := strings.ToLower(k)
		if lk == "host" || lk == "user-agent" {
			continue
		}
		for _, v := range vs {
			q.Add(lk, v)
		}
		req.Header.Del(k)
	}
	req.URL.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
}

// presignV2 is botocore's HmacV1QueryAuth on the global virtual host (4.53).
func (c *Client) presignV2(req *http.Request, params map[string]any, creds *Credentials, expires time.Duration) (string, error) {
	exp := strconv.FormatInt(c.now().Add(expires).Unix(), 10)
	if creds.SessionToken != "" {
		req.Header.Set("x-amz-security-token", creds.SessionToken)
	}
	sts := sigv4.StringToSignV2(req, exp)
	sig := sigv4.SignatureV2(creds.SecretAccessKey, sts)
	q := req.URL.Query()
	for k, vs := range req.Header {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-amz") || lk == "content-md5" || lk == "content-type" {
			for _, v := range vs {
				q.Add(lk, v)
			}
		}
	}
	q.Set("AWSAccessKeyId", creds.AccessKeyID)
	q.Set("Signature", sig)
	q.Set("Expires", exp)
	req.URL.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	if !c.custom {
		base := "https://" + req.URL.Host
		if req.URL.Scheme != "" {
			base = req.URL.Scheme + "://" + req.URL.Host
		}
		if err := c.s3Address(req, params, base); err != nil {
			return "", err
		}
	}
	return req.URL.String(), nil
}

func (c *Client) credentials(ctx context.Context) (*Credentials, error) {
	if c.credsErr != nil {
		return nil, c.credsErr
	}
	if c.creds == nil {
		return nil, ErrNoCredentials
	}
	cr, err := c.creds.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	return &cr, nil
}

// PresignedPost is generate_presigned_post's result (4.58).
type PresignedPost struct {
	URL    string
	Fields map[string]string
}

// GeneratePresignedPost builds an S3 browser-upload form (4.58, 4.59).
// conditions are policy conditions (maps or lists); expires 0 means one hour.
func (c *Client) GeneratePresignedPost(ctx context.Context, bucket, key string, fields map[string]string, conditions []any, expires time.Duration) (*PresignedPost, error) {
	if c.svc.Name != "s3" {
		return nil, &UnknownClientMethodError{Method: "generate_presigned_post"}
	}
	if expires == 0 {
		expires = DefaultPresignExpiry
	}
	creds, err := c.credentials(ctx)
	if err != nil {
		return nil, err
	}
	now := c.now().UTC()
	out := map[string]string{}
	for k, v := range fields {
		out[k] = v
	}
	conds := append([]any(nil), conditions...)
	conds = append(conds, map[string]any{"bucket": bucket})
	if strings.HasSuffix(key, "${filename}") {
		conds = append(conds, []any{"starts-with", "$key", strings.TrimSuffix(key, "${filename}")})
	} else {
		conds = append(conds, map[string]any{"key": key})
	}
	out["key"] = key
	v2 := c.s3DefaultV2()
	var date, credential string
	if !v2 {
		date = now.Format(sigv4.TimeFormat)
		credential = creds.AccessKeyID + "/" + sigv4.Scope(now.Format(sigv4.DateFormat), c.meta.SigningRegion, "s3")
		conds = append(conds, map[string]any{"x-amz-algorithm": sigv4.Algorithm}, map[string]any{"x-amz-credential": credential}, map[string]any{"x-amz-date": date})
	}
	if creds.SessionToken != "" {
		conds = append(conds, map[string]any{"x-amz-security-token": creds.SessionToken})
		out["x-amz-security-token"] = creds.SessionToken
	}
	policy := map[string]any{"expiration": now.Add(expires).Format("2006-01-02T15:04:05Z"), "conditions": conds}
	pj, err := json.Marshal(policy)
	if err != nil {
		return nil, err
	}
	p64 := base64.StdEncoding.EncodeToString(pj)
	out["policy"] = p64
	if v2 {
		out["AWSAccessKeyId"] = creds.AccessKeyID
		out["signature"] = sigv4.SignatureV2(creds.SecretAccessKey, p64)
	} else {
		var sg sigv4.Signer
		k := sg.SigningKey(creds.SecretAccessKey, now.Format(sigv4.DateFormat), c.meta.SigningRegion, "s3")
		m := hmac.New(sha256.New, k)
		m.Write([]byte(p64))
		out["x-amz-algorithm"] = sigv4.Algorithm
		out["x-amz-credential"] = credential
		out["x-amz-date"] = date
		out["x-amz-signature"] = hex.EncodeToString(m.Sum(nil))
	}
	base := c.meta.EndpointURL
	if v2 && !c.custom {
		u, _ := url.Parse(base)
		base = s3GlobalEndpoint(c.meta.Config.S3.USEast1RegionalEndpoint, c.meta.Region, u)
	}
	addr, err := endpoints.BucketHost(bucket, base, endpoints.AddressingStyle(c.meta.Config.S3.AddressingStyle), c.custom)
	if err != nil {
		return nil, err
	}
	u := addr.URL
	if !strings.HasSuffix(u, "/") && addr.VirtualHost {
		u += "/"
	}
	return &PresignedPost{URL: u, Fields: out}, nil
}
