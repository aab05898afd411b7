package sts_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	_ "github.com/fakecloud/fakecloud/emulator/sts"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

type stsEnv struct {
	t       testing.TB
	ts      *emulator.TestServer
	clock   *wiretest.Clock
	clients map[string]*wiretest.Client
}

func newEnv(t testing.TB) *stsEnv {
	clk := wiretest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 7, Clock: clk, Services: []string{"sts"}})
	return &stsEnv{t: t, ts: ts, clock: clk, clients: map[string]*wiretest.Client{}}
}

// call sends op over HTTP as the holder of akid ("" for an anonymous
// caller). The Authorization header carries the credential scope only:
// signature verification is off in these tests.
func (e *stsEnv) call(akid, op string, params map[string]any) (map[string]any, error) {
	e.t.Helper()
	c := e.clients[akid]
	if c == nil {
		opt := wiretest.AccessKey(akid)
		if akid == "" {
			opt = wiretest.Anonymous()
		}
		c = wiretest.New(e.t, e.ts.Emulator, "sts", wiretest.Endpoint(e.ts.URL), opt)
		e.clients[akid] = c
	}
	if params == nil {
		params = map[string]any{}
	}
	return c.Try(op, params)
}

func (e *stsEnv) must(akid, op string, params map[string]any) map[string]any {
	e.t.Helper()
	out, err := e.call(akid, op, params)
	if err != nil {
		e.t.Fatalf("%s: %v", op, err)
	}
	return out
}

func code(err error) string {
	var e *protocol.APIError
	if errors.As(err, &e) {
		return e.Code
	}
	return fmt.Sprint(err)
}

func TestGetCallerIdentityOfLongTermKey(t *testing.T) {
	e := newEnv(t)
	out := e.must("123456789012", "GetCallerIdentity", nil)
	if out["Account"] != "123456789012" || out["Arn"] != "arn:aws:iam::123456789012:user/fakecloud" || !strings.HasPrefix(out["UserId"].(string), "AIDA") {
		t.Fatalf("identity = %v", out)
	}
	if _, err := e.call("", "GetCallerIdentity", nil); code(err) != "MissingAuthenticationToken" {
		t.Errorf("anonymous: %v", err)
	}
}

func TestAssumeRoleCredentialsActAsTheRole(t *testing.T) {
	e := newEnv(t)
	out := e.must("AKIAIOSFODNN7EXAMPLE", "AssumeRole", map[string]any{
		"RoleArn": "arn:aws:iam::210987654321:role/path/deployer", "RoleSessionName": "ci-run", "DurationSeconds": int64(900)})
	creds := out["Credentials"].(map[string]any)
	akid := creds["AccessKeyId"].(string)
	if !strings.HasPrefix(akid, "ASIA") || len(akid) != 20 || creds["SessionToken"] == "" {
		t.Fatalf("credentials = %v", creds)
	}
	if exp := creds["Expiration"].(time.Time); !exp.Equal(e.clock.Now().Add(15 * time.Minute)) {
		t.Errorf("Expiration = %v", exp)
	}
	user := out["AssumedRoleUser"].(map[string]any)
	wantArn := "arn:aws:sts::210987654321:assumed-role/deployer/ci-run"
	if user["Arn"] != wantArn || !strings.HasPrefix(user["AssumedRoleId"].(string), "AROA") || !strings.HasSuffix(user["AssumedRoleId"].(string), ":ci-run") {
		t.Fatalf("AssumedRoleUser = %v", user)
	}
	id := e.must(akid, "GetCallerIdentity", nil)
	if id["Arn"] != wantArn || id["Account"] != "210987654321" || id["UserId"] != user["AssumedRoleId"] {
		t.Fatalf("identity with temporary key = %v", id)
	}
	if info := e.must("AKIAIOSFODNN7EXAMPLE", "GetAccessKeyInfo", map[string]any{"AccessKeyId": akid}); info["Account"] != "210987654321" {
		t.Errorf("GetAccessKeyInfo = %v", info)
	}
	e.clock.Add(15 * time.Minute)
	if _, err := e.call(akid, "GetCallerIdentity", nil); code(err) != "ExpiredToken" {
		t.Errorf("after expiry: %v", err)
	}
}

func TestAssumeRoleValidation(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name string
		in   map[string]any
		code string
	}{
		{"too short", map[string]any{"RoleArn": "arn:aws:iam::210987654321:role/r", "RoleSessionName": "s", "DurationSeconds": int64(899)}, "ValidationError"},
		{"too long", map[string]any{"RoleArn": "arn:aws:iam::210987654321:role/r", "RoleSessionName": "ss", "DurationSeconds": int64(43201)}, "ValidationError"},
		{"bad arn", map[string]any{"RoleArn": "not-an-arn-of-a-role-at-all", "RoleSessionName": "ss"}, "ValidationError"},
		{"bad session name", map[string]any{"RoleArn": "arn:aws:iam::210987654321:role/r", "RoleSessionName": "has space"}, "ValidationError"},
		{"bad policy", map[string]any{"RoleArn": "arn:aws:iam::210987654321:role/r", "RoleSessionName": "ss", "Policy": "{"}, "MalformedPolicyDocument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := e.call("AKIAIOSFODNN7EXAMPLE", "AssumeRole", tc.in); code(err) != tc.code {
				t.Errorf("got %v, want %s", err, tc.code)
			}
		})
	}
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	e := newEnv(t)
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"https://token.actions.githubusercontent.com","aud":"sts.amazonaws.com","sub":"repo:o/r:ref:refs/heads/main"}`))
	tok := "eyJhbGciOiJSUzI1NiJ9." + payload + ".c2ln"
	out := e.must("", "AssumeRoleWithWebIdentity", map[string]any{"RoleArn": "arn:aws:iam::111122223333:role/gha", "RoleSessionName": "gha", "WebIdentityToken": tok})
	if out["SubjectFromWebIdentityToken"] != "repo:o/r:ref:refs/heads/main" || out["Audience"] != "sts.amazonaws.com" || out["Provider"] != "token.actions.githubusercontent.com" {
		t.Fatalf("web identity = %v", out)
	}
	if _, err := e.call("", "AssumeRoleWithWebIdentity", map[string]any{"RoleArn": "arn:aws:iam::111122223333:role/gha", "RoleSessionName": "gha", "WebIdentityToken": "opaque"}); code(err) != "InvalidIdentityToken" {
		t.Errorf("non-JWT token: %v", err)
	}
}

func TestGetSessionTokenAndAccessKeyInfo(t *testing.T) {
	e := newEnv(t)
	out := e.must("123456789012", "GetSessionToken", nil)
	creds := out["Credentials"].(map[string]any)
	if exp := creds["Expiration"].(time.Time); !exp.Equal(e.clock.Now().Add(12 * time.Hour)) {
		t.Errorf("default duration: %v", exp)
	}
	id := e.must(creds["AccessKeyId"].(string), "GetCallerIdentity", nil)
	if id["Arn"] != "arn:aws:iam::123456789012:user/fakecloud" {
		t.Errorf("session token identity = %v", id)
	}
	if _, err := e.call("123456789012", "GetSessionToken", map[string]any{"DurationSeconds": int64(129601)}); code(err) != "ValidationError" {
		t.Errorf("too long: %v", err)
	}
	// The account encoded in a real key id (a published example).
	if info := e.must("123456789012", "GetAccessKeyInfo", map[string]any{"AccessKeyId": "ASIAY34FZKBOKMUTVV7A"}); info["Account"] != "609629065308" {
		t.Errorf("decoded account = %v", info)
	}
}

func Example() {
	// AssumeRole, then GetCallerIdentity with the temporary key.
	e := newEnv(&testing.T{})
	out := e.must("123456789012", "AssumeRole", map[string]any{"RoleArn": "arn:aws:iam::123456789012:role/app", "RoleSessionName": "demo"})
	akid := out["Credentials"].(map[string]any)["AccessKeyId"].(string)
	fmt.Println(e.must(akid, "GetCallerIdentity", nil)["Arn"])
	// Output: arn:aws:sts::123456789012:assumed-role/app/demo
}
