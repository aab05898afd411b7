package reliability

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/session"
)

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Distinctive secrets, so that a hit in a log or dump cannot be a coincidence.
const (
	clientSecretKey = "RelSecretKeyQ7vX2mZp9LkT4wYb8NcR3dHf6JsU0aEg"
	clientToken     = "RelSessionTokenIQoJb3JpZ2luX2VjEPr4Zx9KqW2mB7vT"
	secretString    = "rel-secret-string-Hx83LmQz"
	secretBinary    = "rel-secret-binary-Pw61NcVt"
	secureParam     = "rel-secure-param-Kd29RbYs"
	kmsPlaintext    = "rel-kms-plaintext-Tn47GfUe"
)

// leaks reports which of the named secrets occur in text, in plain form,
// base64 or hex (JSON dumps carry blobs as base64).
func leaks(text string, secrets map[string]string) []string {
	var found []string
	for name, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s)), hex.EncodeToString([]byte(s))} {
			if strings.Contains(text, form) {
				found = append(found, name)
				break
			}
		}
	}
	return found
}

func getControl(t *testing.T, url, path string) string {
	t.Helper()
	resp, err := http.Get(url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

// TestSecretsNeverLogged drives the calls that carry secrets — a client
// secret key and session token, SecretsManager secret values, an SSM
// SecureString, STS AssumeRole credentials, KMS data keys and plaintexts —
// through an emulator whose slog JSON logger writes at debug level into a
// buffer, and checks that none of them appears in the log or in
// GET /_fakecloud/journal, and that GET /_fakecloud/state shows none of
// them nor any STS secret key, session token or KMS key material
// (FINDINGS.md item 6).
func TestSecretsNeverLogged(t *testing.T) {
	var logBuf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := emulator.NewTestServer(t, emulator.Options{Logger: logger, NoSync: true})
	sess, err := session.New(session.Options{
		Region: "us-east-1", AccessKeyID: "AKIDRELSECRETS", SecretAccessKey: clientSecretKey, SessionToken: clientToken,
		Env:        func(string) string { return "" },
		ConfigFile: "/nonexistent/config", CredentialsFile: "/nonexistent/credentials",
	})
	if err != nil {
		t.Fatal(err)
	}
	cs := clients(t, sess, ts.URL, nil, "secretsmanager", "ssm", "sts", "kms")
	ctx := context.Background()
	secrets := map[string]string{
		"client secret access key": clientSecretKey,
		"client session token":     clientToken,
		"SecretString":             secretString,
		"SecretBinary":             secretBinary,
		"SecureString value":       secureParam,
		"KMS Encrypt plaintext":    kmsPlaintext,
	}

	mustCall(t, cs["secretsmanager"], "CreateSecret", session.Params{"Name": "rel/one", "SecretString": secretString})
	mustCall(t, cs["secretsmanager"], "CreateSecret", session.Params{"Name": "rel/two", "SecretBinary": []byte(secretBinary)})
	if got := mustCall(t, cs["secretsmanager"], "GetSecretValue", session.Params{"SecretId": "rel/one"}).String("SecretString"); got != secretString {
		t.Fatalf("GetSecretValue = %q", got)
	}
	mustCall(t, cs["secretsmanager"], "PutSecretValue", session.Params{"SecretId": "rel/one", "SecretString": secretString + "-v2"})

	mustCall(t, cs["ssm"], "PutParameter", session.Params{"Name": "/rel/secure", "Value": secureParam, "Type": "SecureString"})
	if got := mustCall(t, cs["ssm"], "GetParameter", session.Params{"Name": "/rel/secure", "WithDecryption": true}).String("Parameter.Value"); got != secureParam {
		t.Fatalf("GetParameter = %q", got)
	}

	role := mustCall(t, cs["sts"], "AssumeRole", session.Params{"RoleArn": "arn:aws:iam::123456789012:role/rel", "RoleSessionName": "rel"})
	secrets["AssumeRole SecretAccessKey"] = role.String("Credentials.SecretAccessKey")
	secrets["AssumeRole SessionToken"] = role.String("Credentials.SessionToken")
	if secrets["AssumeRole SecretAccessKey"] == "" || secrets["AssumeRole SessionToken"] == "" {
		t.Fatalf("AssumeRole gave no credentials: %#v", role)
	}
	tok := mustCall(t, cs["sts"], "GetSessionToken", session.Params{})
	secrets["GetSessionToken SecretAccessKey"] = tok.String("Credentials.SecretAccessKey")
	secrets["GetSessionToken SessionToken"] = tok.String("Credentials.SessionToken")
	// The assumed credentials are used too, so their token travels in a header.
	assumed, err := session.New(session.Options{
		Region: "us-east-1", AccessKeyID: role.String("Credentials.AccessKeyId"),
		SecretAccessKey: secrets["AssumeRole SecretAccessKey"], SessionToken: secrets["AssumeRole SessionToken"],
		Env:        func(string) string { return "" },
		ConfigFile: "/nonexistent/config", CredentialsFile: "/nonexistent/credentials",
	})
	if err != nil {
		t.Fatal(err)
	}
	mustCall(t, clients(t, assumed, ts.URL, nil, "sts")["sts"], "GetCallerIdentity", session.Params{})

	keyID := mustCall(t, cs["kms"], "CreateKey", session.Params{}).String("KeyMetadata.KeyId")
	dk := mustCall(t, cs["kms"], "GenerateDataKey", session.Params{"KeyId": keyID, "KeySpec": "AES_256"})
	plain, _ := dk.Get("Plaintext")
	pb, _ := plain.([]byte)
	if len(pb) != 32 {
		t.Fatalf("GenerateDataKey Plaintext = %#v", plain)
	}
	secrets["GenerateDataKey Plaintext"] = string(pb)
	enc := mustCall(t, cs["kms"], "Encrypt", session.Params{"KeyId": keyID, "Plaintext": []byte(kmsPlaintext)})
	blob, _ := enc.Get("CiphertextBlob")
	mustCall(t, cs["kms"], "Decrypt", session.Params{"CiphertextBlob": blob})
	// A failing call logs its error path too.
	if _, err := cs["secretsmanager"].Call(ctx, "CreateSecret", session.Params{"Name": "rel/one", "SecretString": secretString}); err == nil {
		t.Fatal("duplicate CreateSecret succeeded")
	}

	logText := logBuf.String()
	if !strings.Contains(logText, `"operation":"CreateSecret"`) {
		t.Fatalf("the logger saw no requests; log:\n%.500s", logText)
	}
	if l := leaks(logText, secrets); len(l) > 0 {
		t.Errorf("secrets in the request log: %q", l)
	}
	journal := getControl(t, ts.URL, "/_fakecloud/journal")
	if !strings.Contains(journal, "GenerateDataKey") {
		t.Fatalf("journal lacks the calls: %.500s", journal)
	}
	if l := leaks(journal, secrets); len(l) > 0 {
		t.Errorf("secrets in GET /_fakecloud/journal: %q", l)
	}
	state := getControl(t, ts.URL, "/_fakecloud/state")
	// STS, KMS, Secrets Manager and SSM render their state without secret
	// keys, session tokens, key material or sealed values (FINDINGS.md item
	// 6, fixed): nothing secret may appear in it.
	if !strings.Contains(state, role.String("Credentials.AccessKeyId")) {
		t.Fatalf("state lacks the STS credential: %.500s", state)
	}
	for _, field := range []string{`"secret"`, `"token"`, `"material"`, `"sealed"`, `"dataKey"`} {
		if strings.Contains(state, field) {
			t.Errorf("GET /_fakecloud/state has a %s field", field)
		}
	}
	if l := leaks(state, secrets); len(l) > 0 {
		t.Errorf("secrets in GET /_fakecloud/state: %q", l)
	}
}
