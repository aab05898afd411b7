package ssm

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// Parameter policies (Advanced tier only): PutParameter's Policies is a JSON
// array of {"Type", "Version", "Attributes"} objects, at most 10, of three
// types —
//
//	Expiration              {"Timestamp": ISO 8601}   deletes the parameter then
//	ExpirationNotification  {"Before": n, "Unit": Days|Hours}
//	NoChangeNotification    {"After": n, "Unit": Days|Hours}
//
// fakecloud validates and stores them, returns them in DescribeParameters
// and GetParameterHistory, and enforces Expiration by the emulator clock:
// from the Timestamp on, the parameter is gone (deleted on the next request
// to the namespace, through the expiry index below). The two notification
// types would publish EventBridge events, which fakecloud does not emulate;
// they are kept and reported with status Pending.

const (
	maxPolicies  = 10
	expiryBucket = "expiry" // key: expiry time (fixed-width UTC) + "\x00" + name
	expiryLayout = "2006-01-02T15:04:05.000000000Z"
)

// policy is one parameter policy as stored: its JSON text as given, its
// type, and for Expiration the instant.
type policy struct {
	Text    string    `json:"text"`
	Type    string    `json:"type"`
	Expires time.Time `json:"expires,omitzero"`
}

func errPolicyType() *protocol.APIError {
	return emulator.Errorf("InvalidPolicyTypeException", http.StatusBadRequest,
		"The policy type isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.")
}

func errPolicyAttribute(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidPolicyAttributeException", http.StatusBadRequest, format, args...)
}

func errPoliciesLimit() *protocol.APIError {
	return emulator.Errorf("PoliciesLimitExceededException", http.StatusBadRequest,
		"You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.")
}

func errIncompatiblePolicy() *protocol.APIError {
	return emulator.Errorf("IncompatiblePolicyException", http.StatusBadRequest,
		"There is a conflict in the policies specified for this parameter. You can't, for example, specify two Expiration policies for a parameter. Review your policies, and try again.")
}

// parsePolicies validates PutParameter's Policies text against the clock's
// now. "[]" (or "") means no policies.
func parsePolicies(text string, now time.Time) ([]policy, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, errPolicyAttribute("Policies must be a JSON array of policy objects: %v", err)
	}
	if len(raw) > maxPolicies {
		return nil, errPoliciesLimit()
	}
	var out []policy
	seen := map[string]bool{}
	for _, r := range raw {
		var p struct {
			Type       string         `json:"Type"`
			Version    string         `json:"Version"`
			Attributes map[string]any `json:"Attributes"`
		}
		dec := json.NewDecoder(bytes.NewReader(r))
		if err := dec.Decode(&p); err != nil {
			return nil, errPolicyAttribute("A policy must be a JSON object with Type, Version and Attributes: %v", err)
		}
		if p.Version != "" && p.Version != "1.0" {
			return nil, errPolicyAttribute("Policy version %q is not supported. The supported version is 1.0.", p.Version)
		}
		pol := policy{Text: string(r), Type: p.Type}
		switch p.Type {
		case "Expiration":
			ts, _ := p.Attributes["Timestamp"].(string)
			t, err := parseTimestamp(ts)
			if err != nil {
				return nil, errPolicyAttribute("Expiration policy attribute Timestamp %q is not a valid ISO 8601 timestamp.", ts)
			}
			if !t.After(now) {
				return nil, errPolicyAttribute("Expiration policy attribute Timestamp %s must be in the future.", ts)
			}
			pol.Expires = t
		case "ExpirationNotification":
			if err := checkPeriod(p.Attributes, "Before"); err != nil {
				return nil, err
			}
		case "NoChangeNotification":
			if err := checkPeriod(p.Attributes, "After"); err != nil {
				return nil, err
			}
		default:
			return nil, errPolicyType()
		}
		if seen[p.Type] {
			return nil, errIncompatiblePolicy()
		}
		seen[p.Type] = true
		out = append(out, pol)
	}
	return out, nil
}

func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errPolicyAttribute("bad timestamp")
}

// checkPeriod validates a notification policy's count (a positive integer,
// as a JSON string or number) and its Unit (Days or Hours).
func checkPeriod(attrs map[string]any, key string) error {
	var n int64
	switch v := attrs[key].(type) {
	case string:
		var err error
		if n, err = strconv.ParseInt(v, 10, 64); err != nil {
			n = 0
		}
	case float64:
		if v == float64(int64(v)) {
			n = int64(v)
		}
	}
	if n < 1 {
		return errPolicyAttribute("Policy attribute %s must be a positive whole number.", key)
	}
	switch u, _ := attrs["Unit"].(string); u {
	case "Days", "Hours":
	default:
		return errPolicyAttribute("Policy attribute Unit %q is not valid. Valid units are Days and Hours.", u)
	}
	return nil
}

// policiesOut renders policies as DescribeParameters and
// GetParameterHistory answer them.
func policiesOut(ps []policy) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, map[string]any{"PolicyText": p.Text, "PolicyType": p.Type, "PolicyStatus": "Pending"})
	}
	return out
}

func (v *pversion) expires() time.Time {
	for _, p := range v.Policies {
		if p.Type == "Expiration" {
			return p.Expires
		}
	}
	return time.Time{}
}

func expiryKey(t time.Time, name string) string {
	return t.UTC().Format(expiryLayout) + "\x00" + name
}

// indexExpiry records a parameter's Expiration in the expiry index.
func indexExpiry(tx *store.Tx, p *param) error {
	t := p.latest().expires()
	if t.IsZero() {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(expiryBucket)
	if err != nil {
		return err
	}
	return b.Put(expiryKey(t, p.Name), []byte{1})
}

// sweep deletes parameters whose Expiration has come. The index is ordered
// by time, so an idle check is one seek; stale entries (a parameter
// overwritten with other policies, or deleted) are dropped after the
// parameter's current policy is re-read.
func sweep(req *emulator.Request) error {
	now := req.Clock.Now().UTC()
	limit := now.Format(expiryLayout) + "\x01"
	due := false
	if err := req.Store.View(func(tx *store.Tx) error {
		if b := tx.Bucket(expiryBucket); b != nil {
			if k, _, ok := b.Cursor().First(); ok && k < limit {
				due = true
			}
		}
		return nil
	}); err != nil || !due {
		return err
	}
	return req.Store.Update(func(tx *store.Tx) error {
		b := tx.Bucket(expiryBucket)
		if b == nil {
			return nil
		}
		var keys []string
		c := b.Cursor()
		for k, _, ok := c.First(); ok && k < limit; k, _, ok = c.Next() {
			keys = append(keys, k)
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
			_, name, _ := strings.Cut(k, "\x00")
			p, err := loadParam(tx, name)
			if err != nil {
				return err
			}
			if p == nil {
				continue
			}
			if t := p.latest().expires(); !t.IsZero() && !t.After(now) {
				if err := tx.Bucket(paramsBucket).Delete(name); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// withSweep runs sweep before an operation, so no operation sees a
// parameter past its Expiration.
func withSweep(h emulator.Handler) emulator.Handler {
	return func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
		if err := sweep(req); err != nil {
			return nil, err
		}
		return h(ctx, req)
	}
}
