package session

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
)

// retry.json is botocore's data/_retry.json: legacy mode's policies.
//
//go:embed data/retry.json
var retryJSON []byte

type retryCond struct {
	Code   string `json:"service_error_code"`
	Status int    `json:"http_status_code"`
	CRC32  string `json:"crc32body"`
}

type retryPolicy struct {
	Ref         string `json:"$ref"`
	AppliesWhen struct {
		Response     *retryCond `json:"response"`
		SocketErrors []string   `json:"socket_errors"`
	} `json:"applies_when"`
}

type retrySection struct {
	MaxAttempts int `json:"max_attempts"`
	Delay       *struct {
		Type   string  `json:"type"`
		Base   any     `json:"base"`
		Growth float64 `json:"growth_factor"`
	} `json:"delay"`
	Policies map[string]retryPolicy `json:"policies"`
}

type retryFile struct {
	Definitions map[string]retryPolicy             `json:"definitions"`
	Retry       map[string]map[string]retrySection `json:"retry"`
}

var (
	retryOnce sync.Once
	retryData retryFile
)

func loadRetryData() *retryFile {
	retryOnce.Do(func() {
		var raw struct {
			Definitions map[string]retryPolicy     `json:"definitions"`
			Retry       map[string]json.RawMessage `json:"retry"`
		}
		if err := json.Unmarshal(retryJSON, &raw); err != nil {
			panic("session: embedded _retry.json: " + err.Error()) // embedded data, checked by tests
		}
		retryData.Definitions = raw.Definitions
		retryData.Retry = map[string]map[string]retrySection{}
		for k, v := range raw.Retry {
			if k == "__default__" {
				var s retrySection
				_ = json.Unmarshal(v, &s)
				retryData.Retry[k] = map[string]retrySection{"__default__": s}
				continue
			}
			var m map[string]retrySection
			_ = json.Unmarshal(v, &m)
			retryData.Retry[k] = m
		}
	})
	return &retryData
}

// attemptResult is what the retry logic sees of one attempt.
type attemptResult struct {
	status    int
	code      string
	transport error // the HTTP exchange failed
	timeout   bool  // connect/read timeout
	retryable bool  // modeled retryable error
	crcBad    bool  // x-amz-crc32 mismatch
}

// retryer implements the three botocore retry modes for one client.
type retryer struct {
	mode     string
	max      int // total attempts
	policies []retryPolicy
	base     float64 // <0: rand
	growth   float64

	mu    sync.Mutex
	quota int
	rate  *rateLimiter
	rnd   func() float64
}

const (
	quotaMax           = 500
	retryCost          = 5
	timeoutRetryCost   = 10
	noRetryIncrement   = 1
	standardMaxBackoff = 20 * time.Second
)

func newRetryer(svc *model.Service, cfg *RetryConfig) *retryer {
	r := &retryer{mode: cfg.Mode, quota: quotaMax, rnd: rand.Float64}
	if r.mode == "legacy" {
		data := loadRetryData()
		def := data.Retry["__default__"]["__default__"]
		r.max, r.base, r.growth = def.MaxAttempts, -1, 2
		sections := []retrySection{def}
		if svcSec, ok := data.Retry[svc.Metadata.EndpointPrefix]["__default__"]; ok {
			sections = append(sections, svcSec)
			if svcSec.MaxAttempts > 0 {
				r.max = svcSec.MaxAttempts
			}
			if svcSec.Delay != nil {
				if b, ok := svcSec.Delay.Base.(float64); ok {
					r.base = b
				}
				r.growth = svcSec.Delay.Growth
			}
		}
		for _, s := range sections {
			for _, p := range s.Policies {
				if p.Ref != "" {
					p = data.Definitions[p.Ref]
				}
				r.policies = append(r.policies, p)
			}
		}
	} else {
		r.max = 3
		if r.mode == "adaptive" {
			r.rate = newRateLimiter()
		}
	}
	if cfg.TotalMaxAttempts != nil {
		r.max = *cfg.TotalMaxAttempts
	}
	if r.max < 1 {
		r.max = 1
	}
	return r
}

// Throttling and transient error codes of botocore's standard mode (4.25).
var (
	throttlingCodes = map[string]bool{"Throttling": true, "ThrottlingException": true, "ThrottledException": true,
		"RequestThrottledException": true, "TooManyRequestsException": true, "ProvisionedThroughputExceededException": true,
		"TransactionInProgressException": true, "RequestLimitExceeded": true, "BandwidthLimitExceeded": true,
		"LimitExceededException": true, "RequestThrottled": true, "SlowDown": true, "PriorRequestNotComplete": true,
		"EC2ThrottledException": true}
	transientCodes    = map[string]bool{"RequestTimeout": true, "RequestTimeoutException": true, "PriorRequestNotComplete": true}
	transientStatuses = map[int]bool{500: true, 502: true, 503: true, 504: true}
)

// decision is the outcome for one failed attempt.
type decision struct {
	retry        bool
	delay        time.Duration
	quotaReached bool
	cost         int
}

// decide says whether attempt (1-based, attempts made so far) is retried.
func (r *retryer) decide(attempt int, a attemptResult) decision {
	if r.mode == "legacy" {
		if !r.legacyRetryable(a) || attempt >= r.max {
			return decision{}
		}
		var d float64
		if r.base < 0 {
			d = r.rnd() * math.Pow(r.growth, float64(attempt-1))
		} else {
			d = r.base * math.Pow(r.growth, float64(attempt-1))
		}
		return decision{retry: true, delay: time.Duration(d * float64(time.Second))}
	}
	if !standardRetryable(a) || attempt >= r.max {
		return decision{}
	}
	cost := retryCost
	if a.timeout {
		cost = timeoutRetryCost
	}
	r.mu.Lock()
	if r.quota < cost {
		r.mu.Unlock()
		return decision{quotaReached: true}
	}
	r.quota -= cost
	r.mu.Unlock()
	backoff := math.Min(math.Pow(2, float64(attempt-1)), standardMaxBackoff.Seconds())
	return decision{retry: true, cost: cost, delay: time.Duration(r.rnd() * backoff * float64(time.Second))}
}

// succeeded gives quota back after a successful call (4.28): what its last
// retry took, or 1.
func (r *retryer) succeeded(lastCost int) {
	if r.mode == "legacy" {
		return
	}
	if lastCost == 0 {
		lastCost = noRetryIncrement
	}
	r.mu.Lock()
	r.quota = min(quotaMax, r.quota+lastCost)
	r.mu.Unlock()
}

func (r *retryer) legacyRetryable(a attemptResult) bool {
	for _, p := range r.policies {
		if a.transport != nil && len(p.AppliesWhen.SocketErrors) > 0 {
			return true
		}
		c := p.AppliesWhen.Response
		if c == nil || a.transport != nil {
			continue
		}
		if c.CRC32 != "" {
			if a.crcBad {
				return true
			}
			continue
		}
		if c.Status != 0 && c.Status != a.status {
			continue
		}
		if c.Code != "" && c.Code != a.code {
			continue
		}
		return true
	}
	return false
}

func standardRetryable(a attemptResult) bool {
	if a.transport != nil || a.crcBad {
		return true
	}
	return transientCodes[a.code] || transientStatuses[a.status] || throttlingCodes[a.code] || a.retryable
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// rateLimiter is adaptive mode's client-side limiter (4.29): after a
// throttling response the send rate is capped at beta (0.7) times the
// measured rate and recovers by 1 token/s per second of calm; before a
// throttle nothing is limited. This is a simplified form of botocore's
// CUBIC-based limiter.
type rateLimiter struct {
	mu       sync.Mutex
	enabled  bool
	fillRate float64 // tokens per second
	tokens   float64
	last     time.Time
	sent     []time.Time
}

func newRateLimiter() *rateLimiter { return &rateLimiter{} }

func (l *rateLimiter) acquire(ctx context.Context, now func() time.Time, sleep func(context.Context, time.Duration) error) error {
	l.mu.Lock()
	t := now()
	l.sent = append(l.sent, t)
	if len(l.sent) > 50 {
		l.sent = l.sent[len(l.sent)-50:]
	}
	if !l.enabled {
		l.mu.Unlock()
		return nil
	}
	if !l.last.IsZero() {
		l.tokens = math.Min(l.fillRate, l.tokens+t.Sub(l.last).Seconds()*l.fillRate)
	}
	l.last = t
	var wait time.Duration
	if l.tokens < 1 {
		wait = time.Duration((1 - l.tokens) / l.fillRate * float64(time.Second))
		l.tokens = 0
	} else {
		l.tokens--
	}
	l.mu.Unlock()
	return sleep(ctx, wait)
}

func (l *rateLimiter) update(throttled bool, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if throttled {
		rate := 1.0
		if n := len(l.sent); n > 1 {
			if span := l.sent[n-1].Sub(l.sent[0]).Seconds(); span > 0 {
				rate = float64(n-1) / span
			}
		}
		if l.enabled {
			rate = math.Min(rate, l.fillRate)
		}
		l.fillRate = math.Max(0.5, rate*0.7)
		l.enabled = true
		l.tokens = math.Min(l.tokens, l.fillRate)
		return
	}
	if l.enabled {
		l.fillRate += 0.1
	}
}
