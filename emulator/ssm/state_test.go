package ssm_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
)

func getControl(t *testing.T, baseURL, path string) string {
	t.Helper()
	resp, err := http.Get(baseURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v\n%s", path, resp.StatusCode, err, body)
	}
	return string(body)
}

func TestStateShowsSecureStringsRedactedAndJournalNoValues(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 5, Services: []string{"kms", "ssm"}})
	c := wiretest.New(t, ts.Emulator, "ssm", wiretest.Endpoint(ts.URL))
	secrets := []string{"ssm-canary-secure-one", "ssm-canary-secure-two", strings.Repeat("ssm-canary-big-", 400)}
	c.Call("PutParameter", map[string]any{"Name": "/app/plain", "Value": "visible-value", "Type": "String"})
	c.Call("PutParameter", map[string]any{"Name": "/app/list", "Value": "a,b", "Type": "StringList"})
	c.Call("PutParameter", map[string]any{"Name": "/app/secret", "Value": secrets[0], "Type": "SecureString"})
	c.Call("PutParameter", map[string]any{"Name": "/app/secret", "Value": secrets[1], "Type": "SecureString", "Overwrite": true})
	c.Call("PutParameter", map[string]any{"Name": "/app/big", "Value": secrets[2], "Type": "SecureString", "Tier": "Advanced"})
	c.Call("GetParameter", map[string]any{"Name": "/app/secret", "WithDecryption": true})
	c.Call("GetParametersByPath", map[string]any{"Path": "/app", "WithDecryption": true})

	st := getControl(t, ts.URL, "/_fakecloud/state")
	journal := getControl(t, ts.URL, "/_fakecloud/journal")
	for _, v := range []string{"ssm-canary-secure-one", "ssm-canary-secure-two", "ssm-canary-big-"} {
		if strings.Contains(st, v) {
			t.Errorf("state shows %q", v)
		}
		if strings.Contains(journal, v) {
			t.Errorf("journal shows %q", v)
		}
	}
	for _, field := range []string{`"cipher"`, `"dataKey"`, `"material"`} {
		if strings.Contains(st, field) {
			t.Errorf("state has a %s field", field)
		}
	}

	type version struct {
		Version            int64
		Type, Value, KeyId string
	}
	var doc map[string]map[string]map[string]struct {
		Parameters map[string]struct{ Versions []version } `json:"parameters"`
	}
	if err := json.Unmarshal([]byte(st), &doc); err != nil {
		t.Fatalf("state: %v\n%s", err, st)
	}
	ps := doc["000000000000"]["us-east-1"]["ssm"].Parameters
	if v := ps["/app/plain"].Versions; len(v) != 1 || v[0].Value != "visible-value" || v[0].Type != "String" {
		t.Errorf("/app/plain: %+v", v)
	}
	if v := ps["/app/list"].Versions; len(v) != 1 || v[0].Value != "a,b" {
		t.Errorf("/app/list: %+v", v)
	}
	if v := ps["/app/secret"].Versions; len(v) != 2 || v[1].Version != 2 || v[1].Value != "<redacted>" || v[1].KeyId != "alias/aws/ssm" {
		t.Errorf("/app/secret: %+v", v)
	}
}
