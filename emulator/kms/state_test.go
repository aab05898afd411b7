package kms

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// getControl reads a control API document over HTTP, as a test outside Go
// would.
func getControl(t *testing.T, baseURL, path string) []byte {
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
	return body
}

// leaks reports the forms in which secret bytes could show in a JSON
// document: raw, base64 (how encoding/json writes []byte) and hex.
func leaks(doc []byte, secret []byte) string {
	for _, form := range []string{string(secret), base64.StdEncoding.EncodeToString(secret), hex.EncodeToString(secret)} {
		if len(form) >= 8 && bytes.Contains(doc, []byte(form)) {
			return form
		}
	}
	return ""
}

func TestStateAndJournalNeverShowKeyMaterialOrPlaintext(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 3, Services: []string{"kms"}})
	c := wiretest.New(t, ts.Emulator, "kms", wiretest.Endpoint(ts.URL))
	var ids []string
	for _, p := range []map[string]any{
		{},
		{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
		{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"},
		{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"},
	} {
		ids = append(ids, c.Call("CreateKey", p)["KeyMetadata"].(map[string]any)["KeyId"].(string))
	}
	c.Call("CreateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": ids[0]})
	plaintext := []byte("kms-plaintext-canary-0123456789")
	c.Call("Encrypt", map[string]any{"KeyId": "alias/app", "Plaintext": plaintext})
	dk := c.Call("GenerateDataKey", map[string]any{"KeyId": ids[0], "KeySpec": "AES_256"})["Plaintext"].([]byte)
	pair := c.Call("GenerateDataKeyPair", map[string]any{"KeyId": ids[0], "KeyPairSpec": "ECC_NIST_P256"})["PrivateKeyPlaintext"].([]byte)
	c.Call("GenerateMac", map[string]any{"KeyId": ids[3], "MacAlgorithm": "HMAC_SHA_256", "Message": plaintext})
	c.Call("Sign", map[string]any{"KeyId": ids[2], "SigningAlgorithm": "ECDSA_SHA_256", "Message": plaintext})

	secrets := map[string][]byte{"plaintext": plaintext, "data key": dk, "data key pair private key": pair}
	err := ts.Emulator.Store("000000000000", "us-east-1", Name).View(func(tx *store.Tx) error {
		for _, id := range ids {
			k, ok, err := getKey(tx, id)
			if err != nil || !ok {
				t.Fatalf("key %s: %v %v", id, ok, err)
			}
			secrets["material of "+k.Spec] = k.Material
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := getControl(t, ts.URL, "/_fakecloud/state")
	journal := getControl(t, ts.URL, "/_fakecloud/journal")
	for what, s := range secrets {
		if f := leaks(st, s); f != "" {
			t.Errorf("state shows the %s (%q)", what, f)
		}
		if f := leaks(journal, s); f != "" {
			t.Errorf("journal shows the %s (%q)", what, f)
		}
	}
	if strings.Contains(string(st), "PRIVATE KEY") || strings.Contains(string(st), `"material"`) {
		t.Error("state shows a private key")
	}

	// What state does show: every key's metadata and the alias.
	var doc map[string]map[string]map[string]struct {
		Keys    map[string]map[string]any `json:"keys"`
		Aliases map[string]map[string]any `json:"aliases"`
	}
	if err := json.Unmarshal(st, &doc); err != nil {
		t.Fatalf("state: %v\n%s", err, st)
	}
	got := doc["000000000000"]["us-east-1"]["kms"]
	for _, id := range ids {
		if md := got.Keys[id]; md == nil || md["KeyState"] != "Enabled" || md["Arn"] == nil {
			t.Errorf("state of key %s: %v", id, md)
		}
	}
	if got.Keys[ids[1]]["KeySpec"] != "RSA_2048" {
		t.Errorf("RSA key spec: %v", got.Keys[ids[1]])
	}
	if a := got.Aliases["alias/app"]; a == nil || a["TargetKeyId"] != ids[0] {
		t.Errorf("alias: %v", got.Aliases)
	}
}
