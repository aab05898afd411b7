package sts_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestStateHidesSecretsAndTokens: GET /_fakecloud/state shows each
// credential STS issued by access key id, with its account, ARN, user id
// and expiration, but never the secret access key or session token
// (reliability/FINDINGS.md item 6).
func TestStateHidesSecretsAndTokens(t *testing.T) {
	e := newEnv(t)
	assumed := e.must("AKIAIOSFODNN7EXAMPLE", "AssumeRole", map[string]any{
		"RoleArn": "arn:aws:iam::210987654321:role/deployer", "RoleSessionName": "ci", "DurationSeconds": int64(900)})
	session := e.must("123456789012", "GetSessionToken", nil)
	var issued []map[string]any
	for _, out := range []map[string]any{assumed, session} {
		issued = append(issued, out["Credentials"].(map[string]any))
	}

	resp, err := http.Get(e.ts.URL + "/_fakecloud/state")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("state: %d %s", resp.StatusCode, raw)
	}
	for _, c := range issued {
		for _, secret := range []string{c["SecretAccessKey"].(string), c["SessionToken"].(string)} {
			if secret == "" || strings.Contains(string(raw), secret) {
				t.Errorf("state shows a secret or token %.12q…", secret)
			}
		}
	}
	var st map[string]any
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	creds, ok := st["global"].(map[string]any)["aws-global"].(map[string]any)["sts"].(map[string]any)["credentials"].(map[string]any)
	if !ok || len(creds) != 2 {
		t.Fatalf("sts state = %s", raw)
	}
	want := []struct{ arn, account string }{
		{"arn:aws:sts::210987654321:assumed-role/deployer/ci", "210987654321"},
		{"arn:aws:iam::123456789012:user/fakecloud", "123456789012"},
	}
	for i, c := range issued {
		akid := c["AccessKeyId"].(string)
		got, _ := creds[akid].(map[string]any)
		exp := c["Expiration"].(time.Time).UTC().Format(time.RFC3339)
		if got["AccessKeyId"] != akid || got["Arn"] != want[i].arn || got["Account"] != want[i].account || got["Expiration"] != exp || got["UserId"] == "" {
			t.Errorf("credential %s = %v", akid, got)
		}
		if len(got) != 5 {
			t.Errorf("credential %s shows fields %v, want exactly AccessKeyId, Account, Arn, UserId, Expiration", akid, got)
		}
	}
	// The credentials themselves still work: only the dump hides them.
	if id := e.must(issued[0]["AccessKeyId"].(string), "GetCallerIdentity", nil); id["Arn"] != want[0].arn {
		t.Errorf("identity = %v", id)
	}
}
