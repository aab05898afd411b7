package sts

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// session is one set of temporary credentials STS issued.
type session struct {
	AccessKeyID string    `json:"accessKeyId"`
	Secret      string    `json:"secret"`
	Token       string    `json:"token"`
	Account     string    `json:"account"`
	Arn         string    `json:"arn"`
	UserID      string    `json:"userId"`
	Expiration  time.Time `json:"expiration"`
}

// Temporary credentials are looked up by access key alone (a request signed
// with them does not say its account), so they live in one namespace of
// their own rather than per account.
const (
	credAccount = "global"
	credRegion  = "aws-global"
	credBucket  = "credentials"
)

func credStore(svcs emulator.Services) *store.NS { return svcs.Store(credAccount, credRegion, "sts") }

func loadSession(svcs emulator.Services, akid string) (*session, error) {
	var s session
	var found bool
	err := credStore(svcs).View(func(tx *store.Tx) error {
		b := tx.Bucket(credBucket)
		if b == nil {
			return nil
		}
		var err error
		found, err = b.GetJSON(akid, &s)
		return err
	})
	if err != nil || !found {
		return nil, err
	}
	return &s, nil
}

// lookupCredentials is the ServiceDef.Credentials source: the secret, token
// and account of keys STS issued.
func lookupCredentials(ctx context.Context, svcs emulator.Services, akid string) (emulator.Credentials, bool) {
	if !strings.HasPrefix(akid, "ASIA") {
		return emulator.Credentials{}, false
	}
	s, err := loadSession(svcs, akid)
	if err != nil || s == nil {
		return emulator.Credentials{}, false
	}
	return emulator.Credentials{AccessKeyID: akid, SecretAccessKey: s.Secret, SessionToken: s.Token, Account: s.Account}, true
}

// issue makes and stores temporary credentials for a principal.
func issue(req *emulator.Request, account, arn, userID string, d time.Duration) (map[string]any, error) {
	s := &session{
		AccessKeyID: "ASIA" + req.IDs.Alnum(16),
		Secret:      req.IDs.Base64(40),
		Token:       "FwoGZXIvYXdzE" + req.IDs.Base64(300),
		Account:     account, Arn: arn, UserID: userID,
		Expiration: req.Clock.Now().Add(d).Truncate(time.Second),
	}
	err := credStore(req.Services()).Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists(credBucket)
		if err != nil {
			return err
		}
		return b.PutJSON(s.AccessKeyID, s)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"AccessKeyId": s.AccessKeyID, "SecretAccessKey": s.Secret,
		"SessionToken": s.Token, "Expiration": s.Expiration}, nil
}

// stableID is an IAM-style unique id (AIDA…, AROA…) derived from a name so
// the same principal always has the same id.
func stableID(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := []byte(prefix)
	for i := 0; len(b) < 21; i++ {
		b = append(b, chars[int(sum[i])%len(chars)])
	}
	return string(b)
}

var (
	roleArnRE     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:[\x{0021}-\x{007F}]*/)?([\w+=,.@-]{1,64})$`)
	sessionNameRE = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

func duration(req *emulator.Request, def, min, max int64) (time.Duration, error) {
	d := def
	if v, ok := req.Input["DurationSeconds"].(int64); ok {
		d = v
	}
	if d < min {
		return 0, errValidation("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", d, min)
	}
	if d > max {
		return 0, errValidation("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", d, max)
	}
	return time.Duration(d) * time.Second, nil
}

// roleSession validates RoleArn, RoleSessionName, Policy and DurationSeconds
// and issues credentials for the assumed role.
func roleSession(req *emulator.Request) (map[string]any, error) {
	roleArn := str(req.Input["RoleArn"])
	name := str(req.Input["RoleSessionName"])
	m := roleArnRE.FindStringSubmatch(roleArn)
	if len(roleArn) < 20 || m == nil {
		return nil, errValidation("%s is invalid", roleArn)
	}
	if !sessionNameRE.MatchString(name) {
		return nil, errValidation("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", name)
	}
	out := map[string]any{}
	if p, ok := req.Input["Policy"].(string); ok {
		if !json.Valid([]byte(p)) {
			return nil, errMalformedPolicy()
		}
		out["PackedPolicySize"] = int64(len(p) * 100 / 2048)
	}
	d, err := duration(req, 3600, 900, 43200)
	if err != nil {
		return nil, err
	}
	account, role := m[1], m[2]
	roleID := stableID("AROA", roleArn)
	arn := "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + name
	userID := roleID + ":" + name
	creds, err := issue(req, account, arn, userID, d)
	if err != nil {
		return nil, err
	}
	out["Credentials"] = creds
	out["AssumedRoleUser"] = map[string]any{"AssumedRoleId": userID, "Arn": arn}
	if s, ok := req.Input["SourceIdentity"].(string); ok {
		out["SourceIdentity"] = s
	}
	return out, nil
}

func str(v any) string { s, _ := v.(string); return s }

func assumeRole(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	return roleSession(req)
}

// webIdentityClaims reads iss, aud and sub of a JWT's payload; the
// signature is not checked (there is no identity provider to check it
// against), but the token must be a well-formed JWT.
func webIdentityClaims(tok string) (iss, aud, sub string, err error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", "", "", errInvalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	}
	payload, derr := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	var claims map[string]any
	if derr != nil || json.Unmarshal(payload, &claims) != nil {
		return "", "", "", errInvalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	}
	iss, _ = claims["iss"].(string)
	sub, _ = claims["sub"].(string)
	switch a := claims["aud"].(type) {
	case string:
		aud = a
	case []any:
		if len(a) > 0 {
			aud, _ = a[0].(string)
		}
	}
	return iss, aud, sub, nil
}

func assumeRoleWithWebIdentity(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	iss, aud, sub, err := webIdentityClaims(str(req.Input["WebIdentityToken"]))
	if err != nil {
		return nil, err
	}
	out, err := roleSession(req)
	if err != nil {
		return nil, err
	}
	if p := str(req.Input["ProviderId"]); p != "" {
		iss = p
	}
	out["SubjectFromWebIdentityToken"] = sub
	out["Provider"] = strings.TrimPrefix(iss, "https://")
	out["Audience"] = aud
	return out, nil
}

// caller is the principal a request's access key stands for.
func caller(req *emulator.Request) (account, arn, userID string, err error) {
	if req.AccessKeyID == "" {
		return "", "", "", errMissingAuth()
	}
	s, err := loadSession(req.Services(), req.AccessKeyID)
	if err != nil {
		return "", "", "", err
	}
	if s != nil {
		if !req.Clock.Now().Before(s.Expiration) {
			return "", "", "", errExpired()
		}
		return s.Account, s.Arn, s.UserID, nil
	}
	// A long-term key is an IAM user of the request's account.
	return req.Account, "arn:aws:iam::" + req.Account + ":user/fakecloud", stableID("AIDA", req.Account+"/"+req.AccessKeyID), nil
}

func getCallerIdentity(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	account, arn, userID, err := caller(req)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Account": account, "Arn": arn, "UserId": userID}, nil
}

func getSessionToken(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	account, arn, userID, err := caller(req)
	if err != nil {
		return nil, err
	}
	if strings.Contains(arn, ":assumed-role/") {
		return nil, errAccessDenied()
	}
	d, err := duration(req, 43200, 900, 129600)
	if err != nil {
		return nil, err
	}
	creds, err := issue(req, account, arn, userID, d)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Credentials": creds}, nil
}

func getAccessKeyInfo(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	akid := str(req.Input["AccessKeyId"])
	if len(akid) < 16 || len(akid) > 128 {
		return nil, errValidation("1 validation error detected: Value '%s' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16", akid)
	}
	s, err := loadSession(req.Services(), akid)
	if err != nil {
		return nil, err
	}
	switch {
	case s != nil:
		return map[string]any{"Account": s.Account}, nil
	case twelveDigits.MatchString(akid):
		return map[string]any{"Account": akid}, nil
	}
	if acct, ok := accountFromKeyID(akid); ok {
		return map[string]any{"Account": acct}, nil
	}
	return map[string]any{"Account": req.Account}, nil
}

var twelveDigits = regexp.MustCompile(`^[0-9]{12}$`)

// accountFromKeyID decodes the account AWS encodes in AKIA/ASIA key ids
// issued since 2019: base32 of the characters after the prefix, whose first
// six bytes hold the account shifted left by 7 bits.
func accountFromKeyID(akid string) (string, bool) {
	if len(akid) != 20 || !(strings.HasPrefix(akid, "AKIA") || strings.HasPrefix(akid, "ASIA")) {
		return "", false
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(akid[4:])
	if err != nil || len(raw) < 6 {
		return "", false
	}
	var b [8]byte
	copy(b[2:], raw[:6])
	v := binary.BigEndian.Uint64(b[:])
	acct := (v & 0x7fffffffff80) >> 7
	return padAccount(acct), true
}

func padAccount(n uint64) string {
	s := make([]byte, 12)
	for i := 11; i >= 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s)
}
