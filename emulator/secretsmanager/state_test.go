package secretsmanager_test

import (
	"encoding/base64"
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

func TestStateAndJournalShowSecretsWithoutValues(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 4, Services: []string{"kms", "secretsmanager"}})
	c := wiretest.New(t, ts.Emulator, "secretsmanager", wiretest.Endpoint(ts.URL))
	values := []string{"sm-canary-first-value", "sm-canary-second-value", "sm-canary-updated-value"}
	bin := []byte("sm-canary-binary-value")
	arn := c.Call("CreateSecret", map[string]any{"Name": "db/pass", "SecretString": values[0], "ClientRequestToken": tok1})["ARN"].(string)
	c.Call("PutSecretValue", map[string]any{"SecretId": "db/pass", "SecretString": values[1], "ClientRequestToken": tok2})
	c.Call("UpdateSecret", map[string]any{"SecretId": "db/pass", "SecretString": values[2]})
	c.Call("CreateSecret", map[string]any{"Name": "bin", "SecretBinary": bin})
	c.Call("GetSecretValue", map[string]any{"SecretId": "db/pass"})
	c.Call("BatchGetSecretValue", map[string]any{"SecretIdList": []any{"db/pass", "bin"}})

	st := getControl(t, ts.URL, "/_fakecloud/state")
	journal := getControl(t, ts.URL, "/_fakecloud/journal")
	for _, v := range append(values, string(bin), base64.StdEncoding.EncodeToString(bin)) {
		if strings.Contains(st, v) {
			t.Errorf("state shows %q", v)
		}
		if strings.Contains(journal, v) {
			t.Errorf("journal shows %q", v)
		}
	}
	for _, field := range []string{`"sealed"`, `"dataKey"`, `"material"`} {
		if strings.Contains(st, field) {
			t.Errorf("state has a %s field", field)
		}
	}

	var doc map[string]map[string]map[string]struct {
		Secrets map[string]struct {
			Name, ARN string
			Versions  []struct {
				VersionId     string
				VersionStages []string
			}
		} `json:"secrets"`
	}
	if err := json.Unmarshal([]byte(st), &doc); err != nil {
		t.Fatalf("state: %v\n%s", err, st)
	}
	s := doc["000000000000"]["us-east-1"]["secretsmanager"].Secrets["db/pass"]
	if s.Name != "db/pass" || s.ARN != arn || len(s.Versions) != 3 {
		t.Fatalf("state of db/pass: %+v", s)
	}
	if v := s.Versions[0]; v.VersionId != tok1 || len(v.VersionStages) != 0 {
		t.Errorf("first version: %+v", v)
	}
	if v := s.Versions[1]; v.VersionId != tok2 || strings.Join(v.VersionStages, ",") != "AWSPREVIOUS" {
		t.Errorf("second version: %+v", v)
	}
	if v := s.Versions[2]; strings.Join(v.VersionStages, ",") != "AWSCURRENT" {
		t.Errorf("current version: %+v", v)
	}
}
