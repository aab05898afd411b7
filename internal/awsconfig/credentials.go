package awsconfig

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Method names, as boto3's Credentials.method (item 1.28).
const (
	MethodExplicit              = "explicit"
	MethodEnv                   = "env"
	MethodSharedCredentialsFile = "shared-credentials-file"
	MethodConfigFile            = "config-file"
	MethodProcess               = "custom-process"
	MethodAssumeRole            = "assume-role"
	MethodWebIdentity           = "assume-role-with-web-identity"
	MethodContainer             = "container-role"
	MethodIAMRole               = "iam-role"
)

// Credentials is a frozen set of AWS credentials (botocore's
// get_frozen_credentials plus method and expiry). A Credentials value is itself
// a CredentialsProvider that always returns itself.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	AccountID       string
	// Method names the provider that produced them (boto3's Credentials.method).
	Method string
	// Expires is zero for credentials that do not expire.
	Expires time.Time
}

// Retrieve implements CredentialsProvider for static credentials.
func (c Credentials) Retrieve(context.Context) (Credentials, error) { return c, nil }

// CredentialsProvider yields current credentials; callers retrieve before each
// signing so refreshable credentials can refresh (item 2.34).
type CredentialsProvider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// Refresh windows, as botocore's _DEFAULT_ADVISORY_REFRESH_TIMEOUT and
// _DEFAULT_MANDATORY_REFRESH_TIMEOUT (item 2.34).
const (
	AdvisoryRefreshWindow  = 15 * time.Minute
	MandatoryRefreshWindow = 10 * time.Minute
)

// ErrRefreshedStillExpired is returned when a refresh produced credentials that
// are already expired.
var ErrRefreshedStillExpired = errors.New("Credentials were refreshed, but the refreshed credentials are still expired.")

// RefreshFunc fetches a new set of credentials.
type RefreshFunc func(ctx context.Context) (Credentials, error)

// RefreshableCredentials is botocore's RefreshableCredentials (and, created
// without initial credentials, DeferredRefreshableCredentials). Within the
// advisory window one caller refreshes while others keep using the current
// credentials, and a failed refresh is ignored; within the mandatory window
// every caller waits for the refresh and its error is returned. Safe for
// concurrent use.
type RefreshableCredentials struct {
	method    string
	refresh   RefreshFunc
	now       func() time.Time
	advisory  time.Duration
	mandatory time.Duration

	refreshMu sync.Mutex // held while refreshing
	mu        sync.RWMutex
	cur       Credentials
	have      bool
}

// NewRefreshable returns refreshable credentials. initial may be nil, in which
// case the first Retrieve fetches (botocore's deferred credentials). now may be
// nil for time.Now.
func NewRefreshable(method string, initial *Credentials, refresh RefreshFunc, now func() time.Time) *RefreshableCredentials {
	if now == nil {
		now = time.Now
	}
	r := &RefreshableCredentials{method: method, refresh: refresh, now: now,
		advisory: AdvisoryRefreshWindow, mandatory: MandatoryRefreshWindow}
	if initial != nil {
		r.cur, r.have = *initial, true
		r.cur.Method = method
	}
	return r
}

// Method is the provider name of these credentials.
func (r *RefreshableCredentials) Method() string { return r.method }

func (r *RefreshableCredentials) snapshot() (Credentials, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.cur, r.have
}

// needs reports whether credentials are missing or expire within window.
func (r *RefreshableCredentials) needs(c Credentials, have bool, window time.Duration) bool {
	if !have {
		return true
	}
	if c.Expires.IsZero() {
		return false
	}
	return c.Expires.Sub(r.now()) < window
}

// Retrieve returns current credentials, refreshing first when they are within
// the refresh windows.
func (r *RefreshableCredentials) Retrieve(ctx context.Context) (Credentials, error) {
	c, have := r.snapshot()
	if !r.needs(c, have, r.advisory) {
		return c, nil
	}
	if r.refreshMu.TryLock() {
		defer r.refreshMu.Unlock()
		c, have = r.snapshot()
		if !r.needs(c, have, r.advisory) {
			return c, nil
		}
		return r.doRefresh(ctx, r.needs(c, have, r.mandatory))
	}
	if r.needs(c, have, r.mandatory) {
		r.refreshMu.Lock()
		defer r.refreshMu.Unlock()
		c, have = r.snapshot()
		if !r.needs(c, have, r.mandatory) {
			return c, nil
		}
		return r.doRefresh(ctx, true)
	}
	return c, nil // another caller refreshes during the advisory window
}

func (r *RefreshableCredentials) doRefresh(ctx context.Context, mandatory bool) (Credentials, error) {
	fresh, err := r.refresh(ctx)
	if err != nil {
		if mandatory {
			return Credentials{}, err
		}
		c, _ := r.snapshot()
		return c, nil
	}
	fresh.Method = r.method
	r.mu.Lock()
	r.cur, r.have = fresh, true
	r.mu.Unlock()
	if !fresh.Expires.IsZero() && fresh.Expires.Sub(r.now()) < 0 {
		return Credentials{}, ErrRefreshedStillExpired
	}
	return fresh, nil
}
