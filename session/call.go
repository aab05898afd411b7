package session

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/internal/endpoints"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/rest"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// Call invokes an operation by its model name ("PutObject") or boto3 name
// ("put_object") and returns its parsed output. Service errors are
// *APIError; invalid params *ParamValidationError (before anything is sent).
func (c *Client) Call(ctx context.Context, operation string, params Params) (*Output, error) {
	op, err := c.operation(operation)
	if err != nil {
		return nil, err
	}
	p := map[string]any{}
	for k, v := range params {
		p[k] = v
	}
	ev := func(name string) *Event {
		return &Event{Name: name + "." + c.evName + "." + op.Name, Service: c.evName, Operation: op.Name, Model: op, Params: p}
	}
	callCtx := map[string]any{}
	for _, name := range []string{"provide-client-params", "before-parameter-build"} {
		e := ev(name)
		e.Context = callCtx
		if _, err := c.events.Emit(ctx, e); err != nil {
			return nil, err
		}
		p = e.Params
	}
	// botocore fills absent idempotency tokens with a UUID4 in a
	// before-parameter-build handler, so later handlers and the recorder
	// see the value that is sent.
	p = rest.FillIdempotencyTokens(op.Input, p)
	ctx = c.s3ListEncoding(ctx, op, p)
	if op.Input != nil && op.Input.Shape != nil {
		c.s3Params(op, p)
	}
	plan, err := c.prepareChecksums(op, p)
	if err != nil {
		return nil, err
	}
	if boolOr(c.meta.Config.ParameterValidation, true) {
		if err := validate(op.Input, p); err != nil {
			return nil, err
		}
	}
	if err := c.checkBucket(p); err != nil {
		return nil, err
	}
	norm := p
	if op.Input != nil {
		n, err := protocol.Normalize(op.Input, p)
		if err != nil {
			return nil, fmt.Errorf("session: %s: %w", op.Name, err)
		}
		norm, _ = n.(map[string]any)
		if norm == nil {
			norm = map[string]any{}
		}
	}
	endpointURL := c.meta.EndpointURL
	if endpointURL, err = c.accountEndpoint(ctx, endpointURL); err != nil {
		return nil, err
	}
	if region, ok := c.cachedBucketRegion(norm); ok {
		endpointURL, callCtx["signing_region"] = c.regionEndpoint(region)
	}
	req, body, err := c.buildRequest(ctx, op, norm, endpointURL)
	if err != nil {
		return nil, err
	}
	if c.log != nil {
		names := make([]string, 0, len(norm))
		for k := range norm {
			names = append(names, k)
		}
		sort.Strings(names)
		// Parameter names only: values carry secrets (SecretString, passwords).
		c.logf("Making request for OperationModel(name="+op.Name+")", "operation", op.Name, "params", names,
			"method", req.Method, "url", redactURL(req.URL))
	}
	callCtx["params"] = norm
	if body, callCtx["checksum_trailer"] = applyChecksum(plan, op, req, body); callCtx["checksum_trailer"] == true {
		callCtx["payload_hash"] = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	}
	e := ev("before-call")
	e.Params, e.Request, e.Context = norm, req, callCtx
	if v, err := c.events.EmitUntilResponse(ctx, e); err != nil {
		return nil, err
	} else if v != nil {
		switch r := v.(type) {
		case *Output:
			return r, nil
		case *http.Response:
			if r.Request == nil {
				r.Request = req
			}
			out, err := c.parse(op, r, 0, false, false)
			if err == nil {
				validateResponseChecksum(op, norm, r, out)
			}
			return out, err
		default:
			return nil, fmt.Errorf("session: before-call handler returned %T; want *Output or *http.Response", v)
		}
	}
	out, err := c.send(ctx, op, req, body, callCtx)
	if region, ok := c.redirectRegion(ctx, op, norm, err); ok {
		// 4.97: re-sign for the bucket's region and resend, once.
		callCtx["s3_redirected"] = true
		endpointURL, callCtx["signing_region"] = c.regionEndpoint(region)
		if req, body, err = c.buildRequest(ctx, op, norm, endpointURL); err != nil {
			return nil, err
		}
		body, _ = applyChecksum(plan, op, req, body)
		return c.send(ctx, op, req, body, callCtx)
	}
	return out, err
}

// checkBucket applies botocore's client-side S3 bucket name check (4.19).
func (c *Client) checkBucket(p map[string]any) error {
	if c.svc.Name != "s3" {
		return nil
	}
	b, ok := p["Bucket"].(string)
	if !ok {
		return nil
	}
	if strings.HasPrefix(b, "arn:") {
		return nil
	}
	if len(b) < 1 || len(b) > 255 || strings.IndexFunc(b, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
	}) >= 0 {
		return &ParamValidationError{Problems: []string{fmt.Sprintf("Invalid bucket name \"%s\": Bucket name must match the regex \"^[a-zA-Z0-9.\\-_]{1,255}$\" or be an ARN matching the regex \"^arn:(aws).*:(s3|s3-object-lambda):[a-z\\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\\-.]{1,63}$|^arn:(aws).*:s3-outposts:[a-z\\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\\-]{1,63}$\"", b)}}
	}
	return nil
}

// buildRequest serialises the request and applies S3 addressing. The body is
// buffered so every attempt can resend it.
func (c *Client) buildRequest(ctx context.Context, op *model.Operation, params map[string]any, endpointURL string) (*http.Request, []byte, error) {
	base, err := url.Parse(endpointURL)
	if err != nil {
		return nil, nil, &InvalidEndpointError{URL: endpointURL}
	}
	req, err := c.codec.MarshalRequest(ctx, op, base, params)
	if err != nil {
		return nil, nil, fmt.Errorf("session: serialising %s: %w", op.Name, err)
	}
	if op.Endpoint != nil && op.Endpoint.HostPrefix != "" && !boolOr(c.meta.Config.InjectHostPrefix, true) {
		// 3.19: inject_host_prefix=False leaves the endpoint's host alone;
		// the codecs always prepend the prefix, so it is undone here.
		req.URL.Host = base.Host
		if req.Host != "" {
			req.Host = base.Host
		}
	}
	// 3.22: gzip before checksums and signing, as botocore's
	// maybe_compress_request runs before apply_request_checksum.
	if _, err := protocol.CompressRequest(op, req, protocol.Compression{
		Disabled: boolOr(c.meta.Config.DisableRequestCompression, false),
		MinSize:  int64(c.meta.Config.RequestMinCompressionSizeBytes),
	}); err != nil {
		return nil, nil, fmt.Errorf("session: compressing %s: %w", op.Name, err)
	}
	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("session: reading %s body: %w", op.Name, err)
		}
	}
	switch c.codec.Name() {
	case "query", "ec2":
		// botocore's query serializer names the charset.
		if req.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		}
	case "rest-xml":
		// botocore sends XML bodies without a Content-Type unless a
		// member is bound to the header (PutObject's ContentType).
		if req.Header.Get("Content-Type") == "application/xml" && !boundToHeader(op, "Content-Type") {
			req.Header.Del("Content-Type")
		}
	}
	if c.svc.Name == "s3" {
		if err := c.s3Address(req, params, endpointURL); err != nil {
			return nil, nil, err
		}
		// 4.65: botocore's add_expect_header for file-like upload bodies.
		if (req.Method == http.MethodPut || req.Method == http.MethodPost) && hasStreamingInput(op) {
			req.Header.Set("Expect", "100-continue")
		}
	}
	return req, body, nil
}

// s3Address moves the bucket from the path to the host when botocore would
// use virtual-hosted addressing (7.12–7.16).
func (c *Client) s3Address(req *http.Request, params map[string]any, endpointURL string) error {
	bucket, _ := params["Bucket"].(string)
	if bucket == "" {
		return nil
	}
	cfg := c.meta.Config
	p := endpoints.S3Params{Endpoint: endpointURL, Custom: c.custom, Style: endpoints.AddressingStyle(cfg.S3.AddressingStyle),
		Accelerate: boolOr(cfg.S3.UseAccelerateEndpoint, false), UseFIPS: c.epOpts.UseFIPS, UseDualStack: c.epOpts.UseDualStack,
		PartitionID: c.meta.Partition}
	// 3.26: botocore resolves client context parameters before builtins.
	if v, ok := cfg.ClientContextParams["accelerate"].(bool); ok {
		p.Accelerate = v
	}
	if v, ok := cfg.ClientContextParams["force_path_style"].(bool); ok {
		p.ForcePathStyle = &v
	}
	addr, err := endpoints.S3BucketAddress(bucket, p)
	if err != nil || !addr.VirtualHost {
		return err
	}
	u, err := url.Parse(addr.URL)
	if err != nil {
		return err
	}
	prefix := "/" + bucket
	path := req.URL.Path
	if base, _ := url.Parse(endpointURL); base != nil {
		prefix = strings.TrimSuffix(base.Path, "/") + prefix
	}
	if !strings.HasPrefix(path, prefix) {
		return nil
	}
	rest := strings.TrimPrefix(path, prefix)
	if rest == "" {
		rest = "/"
	}
	req.URL.Scheme, req.URL.Host, req.Host = u.Scheme, u.Host, u.Host
	req.URL.Path = strings.TrimSuffix(u.Path, "/") + rest
	if req.URL.RawPath != "" {
		req.URL.RawPath = strings.TrimSuffix(u.Path, "/") + strings.TrimPrefix(req.URL.RawPath, strings.TrimPrefix(prefix, ""))
		if _, err := url.PathUnescape(req.URL.RawPath); err != nil {
			req.URL.RawPath = ""
		}
	}
	return nil
}

func newInvocationID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// send runs the attempt loop: sign, send, parse, retry (4.21–4.33, 5.10).
func (c *Client) send(ctx context.Context, op *model.Operation, tmpl *http.Request, body []byte, callCtx map[string]any) (*Output, error) {
	invocation := newInvocationID()
	lastCost := 0
	for attempt := 1; ; attempt++ {
		req := tmpl.Clone(ctx)
		if body != nil {
			req.Body = io.NopCloser(bytes.NewReader(body))
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			req.ContentLength = int64(len(body))
			if callCtx["checksum_trailer"] == true {
				// 4.64: an aws-chunked trailer body goes out with
				// Transfer-Encoding: chunked, as botocore sends it.
				req.ContentLength = -1
			}
		}
		req.Header.Set("User-Agent", c.userAgent)
		if err := c.emitReq(ctx, "request-created", op, req, callCtx); err != nil {
			return nil, err
		}
		if err := c.sign(ctx, op, req, body, callCtx); err != nil {
			return nil, err
		}
		// Not signed (4.61): added after signing.
		req.Header.Set("amz-sdk-invocation-id", invocation)
		// urllib3 asks for identity encoding after botocore signed; it also
		// keeps Go's transport from negotiating gzip behind our back.
		req.Header.Set("Accept-Encoding", "identity")
		if attempt == 1 {
			req.Header.Set("amz-sdk-request", "attempt=1")
		} else {
			ttl := c.now().UTC().Add(c.meta.Config.ReadTimeout).Format(sigv4.TimeFormat)
			req.Header.Set("amz-sdk-request", fmt.Sprintf("ttl=%s; attempt=%d; max=%d", ttl, attempt, c.retry.max))
		}
		if c.retry.rate != nil {
			if err := c.retry.rate.acquire(ctx, c.now, c.sleep); err != nil {
				return nil, err
			}
		}
		e := &Event{Name: "before-send." + c.evName + "." + op.Name, Service: c.evName, Operation: op.Name, Model: op, Request: req, Context: callCtx}
		var resp *http.Response
		var sendErr error
		if v, err := c.events.EmitUntilResponse(ctx, e); err != nil {
			return nil, err
		} else if r, ok := v.(*http.Response); ok {
			resp = r
		} else {
			if c.log != nil {
				c.logf("Sending http request", "operation", op.Name, "attempt", attempt, "method", req.Method,
					"url", redactURL(req.URL), "headers", redactHeaders(req.Header), "content_length", req.ContentLength)
			}
			resp, sendErr = c.httpClient.Do(req)
		}
		if resp != nil && resp.Request == nil {
			// A custom RoundTripper (or a before-send handler) may leave
			// Request nil; the codecs read the call's context from it
			// (restxml.WithListKeyDecoding).
			resp.Request = req
		}
		if c.log != nil {
			if sendErr != nil {
				c.logf("Exception received when sending HTTP request", "operation", op.Name, "attempt", attempt, "error", sendErr.Error())
			} else {
				c.logf("Response received", "operation", op.Name, "attempt", attempt, "status", resp.StatusCode,
					"request_id", firstHeader(resp.Header, "x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid"),
					"headers", redactHeaders(resp.Header))
			}
		}
		res := attemptResult{transport: sendErr, timeout: sendErr != nil && isTimeout(sendErr)}
		var out *Output
		var callErr error
		if sendErr != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			callErr = &EndpointConnectionError{URL: req.URL.String(), Err: sendErr}
		} else {
			if c.svc.Name == "dynamodb" {
				res.crcBad = !crcMatches(resp)
			}
			if c.svc.Name == "s3" {
				s3ErrorIn200(op, resp)
			}
			out, callErr = c.parse(op, resp, attempt-1, false, false)
			if callErr == nil {
				validateResponseChecksum(op, paramsOf(callCtx), resp, out)
			}
			res.status = resp.StatusCode
			if ae, ok := isAPIError(callErr); ok {
				res.code = ae.Code
				if sh, ok := c.exceptions.shapeFor(ae.Code); ok {
					res.retryable = c.svc.Shapes[sh] != nil && c.svc.Shapes[sh].Retryable != nil
				}
			}
		}
		if c.retry.rate != nil && sendErr == nil {
			c.retry.rate.update(throttlingCodes[res.code], c.now())
		}
		var d decision
		if callErr != nil || res.crcBad {
			// needs-retry handlers may decide instead of the built-in retryer.
			ne := &Event{Name: "needs-retry." + c.evName + "." + op.Name, Service: c.evName, Operation: op.Name, Model: op,
				Response: resp, Err: callErr, Attempts: attempt, Context: callCtx}
			if out != nil {
				ne.Parsed = out.Data
			}
			v, err := c.events.EmitUntilResponse(ctx, ne)
			if err != nil {
				return nil, err
			}
			if delay, ok := v.(time.Duration); ok {
				d = decision{retry: true, delay: delay}
			} else {
				d = c.retry.decide(attempt, res)
			}
		}
		if d.retry {
			if resp != nil && resp.Body != nil {
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
				resp.Body.Close()
			}
			lastCost = d.cost
			c.logf("Retry needed, retrying request after delay of: "+d.delay.String(), "operation", op.Name,
				"attempt", attempt, "code", res.code, "status", res.status)
			if err := c.sleep(ctx, d.delay); err != nil {
				return nil, err
			}
			continue
		}
		if callErr == nil {
			c.retry.succeeded(lastCost)
			ac := &Event{Name: "after-call." + c.evName + "." + op.Name, Service: c.evName, Operation: op.Name, Model: op,
				Response: resp, Parsed: out.Data, Context: callCtx}
			if _, err := c.events.Emit(ctx, ac); err != nil {
				return nil, err
			}
			out.Data = ac.Parsed
			return out, nil
		}
		if ae, ok := isAPIError(callErr); ok {
			ae.RetryAttempts = attempt - 1
			ae.MaxAttemptsReached = attempt >= c.retry.max && attempt > 1
			ae.RetryQuotaReached = d.quotaReached
			ac := &Event{Name: "after-call." + c.evName + "." + op.Name, Service: c.evName, Operation: op.Name, Model: op,
				Response: resp, Err: ae, Context: callCtx}
			if _, err := c.events.Emit(ctx, ac); err != nil {
				return nil, err
			}
			return nil, ae
		}
		ae := &Event{Name: "after-call-error." + c.evName + "." + op.Name, Service: c.evName, Operation: op.Name, Model: op,
			Err: callErr, Context: callCtx}
		if _, err := c.events.Emit(ctx, ae); err != nil {
			return nil, err
		}
		return nil, callErr
	}
}

// EndpointConnectionError is botocore's EndpointConnectionError (4.14).
type EndpointConnectionError struct {
	URL string
	Err error
}

func (e *EndpointConnectionError) Error() string {
	return fmt.Sprintf("Could not connect to the endpoint URL: %q: %v", e.URL, e.Err)
}

func (e *EndpointConnectionError) Unwrap() error { return e.Err }

func crcMatches(resp *http.Response) bool {
	want := resp.Header.Get("x-amz-crc32")
	if want == "" || resp.Body == nil {
		return true
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return false
	}
	return strconv.FormatUint(uint64(crc32.ChecksumIEEE(b)), 10) == want
}

func (c *Client) emitReq(ctx context.Context, name string, op *model.Operation, req *http.Request, callCtx map[string]any) error {
	e := &Event{Name: name + "." + c.evName + "." + op.Name, Service: c.evName, Operation: op.Name, Model: op, Request: req,
		SigningName: c.meta.SigningName, RegionName: c.meta.SigningRegion, Context: callCtx}
	_, err := c.events.Emit(ctx, e)
	return err
}

// sign applies choose-signer, before-sign and SigV4 (4.60–4.68).
func (c *Client) sign(ctx context.Context, op *model.Operation, req *http.Request, body []byte, callCtx map[string]any) error {
	version := c.meta.Config.SignatureVersion
	if op.AuthType == "none" || (len(op.Auth) == 1 && op.Auth[0] == "smithy.api#noAuth") {
		version = Unsigned
	}
	cs := &Event{Name: "choose-signer." + c.evName + "." + op.Name, Service: c.evName, Operation: op.Name, Model: op,
		SignatureVersion: version, SigningName: c.meta.SigningName, RegionName: c.meta.SigningRegion, Context: callCtx}
	if v, err := c.events.EmitUntilResponse(ctx, cs); err != nil {
		return err
	} else if s, ok := v.(string); ok {
		version = s
	}
	if err := c.emitReq(ctx, "before-sign", op, req, callCtx); err != nil {
		return err
	}
	if version == Unsigned {
		return nil
	}
	if c.credsErr != nil {
		return c.credsErr
	}
	if c.creds == nil {
		return ErrNoCredentials
	}
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return err
	}
	// botocore signs the headers it holds before the HTTP layer adds
	// Content-Length, so Content-Length is never a signed header.
	req.Header.Del("Content-Length")
	var opts []sigv4.Option
	if version == "s3v4" || sigv4.IsS3Service(c.meta.SigningName) {
		opts = append(opts, sigv4.S3Rules(true), sigv4.ContentSHA256Header())
		if h, ok := callCtx["payload_hash"].(string); ok {
			opts = append(opts, sigv4.PayloadHash(h))
		} else if c.s3UnsignedPayload(op, req, body) {
			opts = append(opts, sigv4.WithUnsignedPayload())
		}
	} else if op.UnsignedPayload {
		opts = append(opts, sigv4.WithUnsignedPayload())
	}
	region := c.meta.SigningRegion
	if r, ok := callCtx["signing_region"].(string); ok && r != "" {
		region = r
	}
	_, err = sigv4.Sign(req, sigv4.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken},
		c.meta.SigningName, region, c.now().UTC(), opts...)
	return err
}

// s3UnsignedPayload is botocore 1.29's rule (4.63, 4.64): over HTTPS a
// streaming upload (PutObject, UploadPart) is sent as UNSIGNED-PAYLOAD,
// unless payload_signing_enabled; plain HTTP always hashes the body.
func (c *Client) s3UnsignedPayload(op *model.Operation, req *http.Request, body []byte) bool {
	if req.URL.Scheme != "https" {
		return false
	}
	if p := c.meta.Config.S3.PayloadSigningEnabled; p != nil && *p {
		return false
	}
	return hasStreamingInput(op)
}

func hasStreamingInput(op *model.Operation) bool {
	if op.Input == nil || op.Input.Shape == nil || op.Input.Shape.Payload == "" {
		return false
	}
	m := op.Input.Shape.Members[op.Input.Shape.Payload]
	return m != nil && m.Shape != nil && m.Shape.Type == "blob" && (m.Streaming || m.Shape.Streaming)
}

// boundToHeader reports whether an input member is sent as header name.
func boundToHeader(op *model.Operation, name string) bool {
	if op.Input == nil || op.Input.Shape == nil {
		return false
	}
	for _, ref := range op.Input.Shape.Members {
		if ref.Location == "header" && strings.EqualFold(ref.LocationName, name) {
			return true
		}
	}
	return false
}

func paramsOf(callCtx map[string]any) map[string]any {
	p, _ := callCtx["params"].(map[string]any)
	return p
}

// parse turns a response into an Output or *APIError.
func (c *Client) parse(op *model.Operation, resp *http.Response, retries int, _, _ bool) (*Output, error) {
	var raw *bytes.Buffer
	if n := c.codec.Name(); (n == "query" || n == "ec2" || c.svc.Metadata.AWSQueryCompatible != nil) && resp.Body != nil {
		// botocore reads RequestId from the XML body for these protocols
		// (4.04); the codec does not return it, so keep a copy to scan.
		raw = &bytes.Buffer{}
		resp.Body = readCloser{io.TeeReader(io.LimitReader(resp.Body, 64<<20), raw), resp.Body}
	}
	data, err := c.codec.UnmarshalResponse(op, resp)
	meta := ResponseMetadata{HTTPStatusCode: resp.StatusCode, HTTPHeaders: resp.Header, RetryAttempts: retries}
	meta.RequestID = firstHeader(resp.Header, "x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid")
	meta.HostID = resp.Header.Get("x-amz-id-2")
	if raw != nil && meta.RequestID == "" {
		if m := bodyRequestID.FindSubmatch(raw.Bytes()); m != nil {
			meta.RequestID = string(m[2])
		}
	}
	var pe *protocol.APIError
	if errors.As(err, &pe) {
		if resp.Body != nil {
			resp.Body.Close()
		}
		ae := &APIError{Code: pe.Code, Message: pe.Message, HTTPStatus: pe.StatusCode, RequestID: pe.RequestID, HostID: pe.HostID,
			Type: pe.Type, Operation: op.Name, Headers: resp.Header, Fields: pe.Fields, RetryAttempts: retries}
		if ae.HTTPStatus == 0 {
			ae.HTTPStatus = resp.StatusCode
		}
		if ae.RequestID == "" {
			ae.RequestID = meta.RequestID
		}
		if ae.Code == "" || (ae.Message == "" && ae.Code == http.StatusText(resp.StatusCode)) {
			// 4.12: no parsable error: code is the status, message the reason.
			ae.Code = strconv.Itoa(resp.StatusCode)
			if ae.Message == "" {
				ae.Message = http.StatusText(resp.StatusCode)
			}
		}
		_, ae.Modeled = c.exceptions.shapeFor(ae.Code)
		if pe.QueryCode != "" && raw != nil {
			// 4.83: with x-amzn-query-error the code is the query code and
			// the modeled class comes from the __type shape name.
			var body struct {
				Type string `json:"__type"`
			}
			if json.Unmarshal(raw.Bytes(), &body) == nil && body.Type != "" {
				name := body.Type[strings.LastIndexByte(body.Type, '#')+1:]
				ae.QueryErrorCode = name
				if _, ok := c.exceptions.shapeFor(name); ok {
					ae.Modeled = true
					c.exceptions.alias(ae.Code, name)
				}
			}
		}
		return nil, ae
	}
	if err != nil {
		if resp.Body != nil {
			resp.Body.Close()
		}
		return nil, &ResponseParserError{Operation: op.Name, Err: err}
	}
	if !hasStreamingOutput(op) && resp.Body != nil {
		resp.Body.Close()
	}
	if data == nil {
		data = map[string]any{}
	}
	if rm, ok := data["ResponseMetadata"].(map[string]any); ok {
		if id, ok := rm["RequestId"].(string); ok && meta.RequestID == "" {
			meta.RequestID = id
		}
		delete(data, "ResponseMetadata")
	}
	return &Output{Data: data, ResponseMetadata: meta}, nil
}

// ResponseParserError is botocore's ResponseParserError (4.14).
type ResponseParserError struct {
	Operation string
	Err       error
}

func (e *ResponseParserError) Error() string {
	return fmt.Sprintf("Unable to parse response of %s: %v", e.Operation, e.Err)
}

func (e *ResponseParserError) Unwrap() error { return e.Err }

func hasStreamingOutput(op *model.Operation) bool {
	if op.Output == nil || op.Output.Shape == nil || op.Output.Shape.Payload == "" {
		return false
	}
	m := op.Output.Shape.Members[op.Output.Shape.Payload]
	return m != nil && m.Shape != nil && (m.Streaming || m.Shape.Streaming)
}

func firstHeader(h http.Header, names ...string) string {
	for _, n := range names {
		if v := h.Get(n); v != "" {
			return v
		}
	}
	return ""
}

var bodyRequestID = regexp.MustCompile(`<(RequestId|requestId|RequestID)>\s*([^<]*?)\s*</`)

type readCloser struct {
	io.Reader
	io.Closer
}

// accountEndpoint applies DynamoDB's account-id endpoints (3.25, 7.18): the
// rule set runs per request with the account id of the credentials, so the
// client's Meta().EndpointURL stays the regional one, as in botocore. A
// custom endpoint is used as given.
func (c *Client) accountEndpoint(ctx context.Context, endpointURL string) (string, error) {
	if c.svc.Metadata.EndpointPrefix != "dynamodb" || c.custom {
		return endpointURL, nil
	}
	mode := c.meta.Config.AccountIDEndpointMode
	if mode == endpoints.AccountIDEndpointDisabled {
		return endpointURL, nil
	}
	var account string
	if c.creds != nil && c.credsErr == nil {
		// A failure here is reported by signing, with its own error.
		if cr, err := c.creds.Retrieve(ctx); err == nil {
			account = cr.AccountID
		}
	}
	u, err := endpoints.DynamoDBAccountEndpoint(c.meta.Region, account, mode, c.epOpts)
	if err != nil || u == "" {
		return endpointURL, err
	}
	return u, nil
}
