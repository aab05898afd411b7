package awsconfig

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

const (
	containerBaseURL = "http://169.254.170.2"
	imdsBaseURL      = "http://169.254.169.254/"
	imdsBaseURLIPv6  = "http://[fd00:ec2::254]/"
)

// containerAllowedHosts are botocore's ContainerMetadataFetcher._ALLOWED_HOSTS;
// any loopback address and any https URL are accepted too (item 2.30, newer rules).
var containerAllowedHosts = []string{"169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"}

func httpClient(o *ChainOptions, timeout time.Duration) *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	return &http.Client{Timeout: timeout}
}

// containerProvider is botocore's ContainerProvider (items 2.29, 2.30).
type containerProvider struct {
	c *Config
	o *ChainOptions
}

func (*containerProvider) Method() string { return MethodContainer }

func (p *containerProvider) Load(ctx context.Context) (CredentialsProvider, error) {
	var full string
	if rel, ok := p.c.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); ok {
		base := p.o.ContainerBaseURL
		if base == "" {
			base = containerBaseURL
		}
		full = base + rel
	} else if f, ok := p.c.env("AWS_CONTAINER_CREDENTIALS_FULL_URI"); ok {
		if err := validateContainerURL(f); err != nil {
			return nil, err
		}
		full = f
	} else {
		return nil, nil
	}
	fetch := func(ctx context.Context) (Credentials, error) { return p.fetch(ctx, full) }
	cr, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	return NewRefreshable(MethodContainer, &cr, fetch, p.o.Now), nil
}

func validateContainerURL(full string) error {
	u, err := url.Parse(full)
	if err != nil {
		return fmt.Errorf("awsconfig: AWS_CONTAINER_CREDENTIALS_FULL_URI: %w", err)
	}
	if u.Scheme == "https" {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	for _, h := range containerAllowedHosts {
		if host == h {
			return nil
		}
	}
	return fmt.Errorf("Unsupported host '%s'.  Can only retrieve metadata from a loopback address or one of these hosts: %s",
		host, strings.Join(containerAllowedHosts, ", "))
}

func (p *containerProvider) authToken() (string, bool, error) {
	if f, ok := p.c.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); ok {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", false, err
		}
		return string(b), true, nil
	}
	v, ok := p.c.env("AWS_CONTAINER_AUTHORIZATION_TOKEN")
	return v, ok, nil
}

func (p *containerProvider) fetch(ctx context.Context, full string) (Credentials, error) {
	fail := func(msg string, err error) (Credentials, error) {
		return Credentials{}, &CredentialRetrievalError{Provider: MethodContainer, Message: msg, Err: err}
	}
	tok, hasTok, err := p.authToken()
	if err != nil {
		return fail(err.Error(), err)
	}
	if hasTok && strings.ContainsAny(tok, "\r\n") {
		return fail("Auth token value is not a legal header value", nil)
	}
	client := httpClient(p.o, 2*time.Second)
	var body map[string]any
	const attempts = 3 // ContainerMetadataFetcher.RETRY_ATTEMPTS, 1 s apart
	for i := 0; ; i++ {
		body, err = p.get(ctx, client, full, tok, hasTok)
		if err == nil {
			break
		}
		if i+1 >= attempts || ctx.Err() != nil {
			return fail(err.Error(), err)
		}
		if err := p.o.sleep(ctx, time.Second); err != nil {
			return fail(err.Error(), err)
		}
	}
	str := func(k string) (string, bool) { s, ok := body[k].(string); return s, ok }
	cr := Credentials{Method: MethodContainer}
	var ok1, ok2, ok3, ok4 bool
	cr.AccessKeyID, ok1 = str("AccessKeyId")
	cr.SecretAccessKey, ok2 = str("SecretAccessKey")
	cr.SessionToken, ok3 = str("Token")
	exp, ok4 := str("Expiration")
	if !(ok1 && ok2 && ok3 && ok4) {
		return fail("container metadata response is missing AccessKeyId, SecretAccessKey, Token or Expiration", nil)
	}
	cr.AccountID, _ = str("AccountId")
	if cr.Expires, err = parseExpiry(exp); err != nil {
		return fail(err.Error(), err)
	}
	return cr, nil
}

func (p *containerProvider) get(ctx context.Context, client *http.Client, full, tok string, hasTok bool) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, full, nil)
	if err != nil {
		return nil, &MetadataRetrievalError{Message: err.Error()}
	}
	req.Header.Set("Accept", "application/json")
	if hasTok {
		req.Header.Set("Authorization", tok)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, &MetadataRetrievalError{Message: "Received error when attempting to retrieve container metadata: " + err.Error()}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, &MetadataRetrievalError{Message: "Received error when attempting to retrieve container metadata: " + err.Error()}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &MetadataRetrievalError{Message: fmt.Sprintf("Received non 200 response %d from container metadata: %s", resp.StatusCode, b)}
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, &MetadataRetrievalError{Message: "Unable to parse JSON returned from container metadata services"}
	}
	return out, nil
}

// imdsProvider is botocore's InstanceMetadataProvider with IMDSv2 (items 2.31–2.33).
type imdsProvider struct {
	c *Config
	o *ChainOptions
}

func (*imdsProvider) Method() string { return MethodIAMRole }

type imdsSettings struct {
	base       string
	timeout    time.Duration
	attempts   int
	disabled   bool
	v1Disabled bool
}

func (p *imdsProvider) settings() imdsSettings {
	s := imdsSettings{timeout: time.Second, attempts: 1}
	if v, ok := p.c.env("AWS_EC2_METADATA_DISABLED"); ok && strings.EqualFold(v, "true") {
		s.disabled = true
	}
	if v, ok := p.c.Lookup("metadata_service_timeout", "AWS_METADATA_SERVICE_TIMEOUT"); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 {
			s.timeout = time.Duration(f * float64(time.Second))
		}
	}
	if v, ok := p.c.Lookup("metadata_service_num_attempts", "AWS_METADATA_SERVICE_NUM_ATTEMPTS"); ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			s.attempts = n
		}
	}
	if v, ok := p.c.Lookup("ec2_metadata_v1_disabled", "AWS_EC2_METADATA_V1_DISABLED"); ok && strings.EqualFold(v, "true") {
		s.v1Disabled = true
	}
	mode, _ := p.c.Lookup("ec2_metadata_service_endpoint_mode", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
	custom, _ := p.c.Lookup("ec2_metadata_service_endpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT")
	switch {
	case p.o.IMDSEndpoint != "":
		s.base = p.o.IMDSEndpoint
	case custom != "":
		s.base = custom
	case strings.EqualFold(mode, "ipv6"):
		s.base = imdsBaseURLIPv6
	default:
		s.base = imdsBaseURL
	}
	return s
}

func (p *imdsProvider) Load(ctx context.Context) (CredentialsProvider, error) {
	s := p.settings()
	if s.disabled {
		return nil, nil
	}
	cr, found, err := p.retrieve(ctx, s)
	if err != nil || !found {
		return nil, err
	}
	return NewRefreshable(MethodIAMRole, &cr, func(ctx context.Context) (Credentials, error) {
		cr, found, err := p.retrieve(ctx, s)
		if err == nil && !found {
			err = &CredentialRetrievalError{Provider: MethodIAMRole, Message: "no credentials from instance metadata"}
		}
		return cr, err
	}, p.o.Now), nil
}

const imdsCredsPath = "latest/meta-data/iam/security-credentials/"

func (s imdsSettings) url(path string) string {
	if strings.HasSuffix(s.base, "/") {
		return s.base + path
	}
	return s.base + "/" + path
}

// retrieve is InstanceMetadataFetcher.retrieve_iam_role_credentials: any
// exhausted retry or incomplete answer means "not found" (chain continues).
func (p *imdsProvider) retrieve(ctx context.Context, s imdsSettings) (Credentials, bool, error) {
	client := httpClient(p.o, s.timeout)
	token, bad := p.token(ctx, client, s)
	if bad {
		return Credentials{}, false, nil
	}
	if token == "" && s.v1Disabled {
		return Credentials{}, false, &MetadataRetrievalError{Message: "Unable to retrieve token for use in IMDSv2 call and IMDSv1 has been disabled"}
	}
	role, ok := p.get(ctx, client, s, imdsCredsPath, token, false)
	if !ok {
		return Credentials{}, false, nil
	}
	body, ok := p.get(ctx, client, s, imdsCredsPath+string(role), token, true)
	if !ok {
		return Credentials{}, false, nil
	}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	str := func(k string) (string, bool) { v, ok := m[k].(string); return v, ok }
	cr := Credentials{Method: MethodIAMRole}
	var ok1, ok2, ok3, ok4 bool
	cr.AccessKeyID, ok1 = str("AccessKeyId")
	cr.SecretAccessKey, ok2 = str("SecretAccessKey")
	cr.SessionToken, ok3 = str("Token")
	exp, ok4 := str("Expiration")
	if !(ok1 && ok2 && ok3 && ok4) {
		return Credentials{}, false, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05Z", exp); err == nil {
		// Static stability: stale credentials are extended by the refresh window
		// plus 2–10 minutes of jitter (_evaluate_expiration).
		now := p.o.now().UTC()
		offset := AdvisoryRefreshWindow + time.Duration(120+rand.IntN(481))*time.Second
		if !now.Before(t.Add(-offset)) {
			t = now.Add(offset).Truncate(time.Second)
		}
		cr.Expires = t
	} else if t, err := parseExpiry(exp); err == nil {
		cr.Expires = t
	}
	return cr, true, nil
}

// token is the IMDSv2 PUT; bad reports a 400 (BadIMDSRequestError).
func (p *imdsProvider) token(ctx context.Context, client *http.Client, s imdsSettings) (string, bool) {
	for i := 0; i < s.attempts; i++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.url("latest/api/token"), nil)
		if err != nil {
			return "", false
		}
		req.Header.Set("X-aws-ec2-metadata-token-ttl-seconds", "21600")
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return "", false
			}
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			return string(b), false
		case http.StatusNotFound, http.StatusForbidden, http.StatusMethodNotAllowed:
			return "", false // fall back to IMDSv1 (item 2.32)
		case http.StatusBadRequest:
			return "", true
		}
	}
	return "", false
}

// get retries non-200, empty and (for credentials) non-JSON answers.
func (p *imdsProvider) get(ctx context.Context, client *http.Client, s imdsSettings, path, token string, wantJSON bool) ([]byte, bool) {
	for i := 0; i < s.attempts; i++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url(path), nil)
		if err != nil {
			return nil, false
		}
		if token != "" {
			req.Header.Set("X-aws-ec2-metadata-token", token)
		}
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, false
			}
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(b) == 0 || (wantJSON && !json.Valid(b)) {
			continue
		}
		return b, true
	}
	return nil, false
}
