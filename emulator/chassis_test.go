package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
)

func TestControlAPIRefusesNonLoopbackWithoutToken(t *testing.T) {
	cases := []struct {
		name   string
		token  string // Options.ControlToken
		remote string
		header map[string]string
		status int
	}{
		{"loopback v4, no token configured", "", "127.0.0.1:5000", nil, 200},
		{"loopback v6", "", "[::1]:5000", nil, 200},
		{"remote, no token configured", "", "192.0.2.7:5000", nil, 403},
		{"remote, token configured, none sent", "s3cret", "192.0.2.7:5000", nil, 403},
		{"remote, X-Fakecloud-Token", "s3cret", "192.0.2.7:5000", map[string]string{"X-Fakecloud-Token": "s3cret"}, 200},
		{"remote, Bearer", "s3cret", "192.0.2.7:5000", map[string]string{"Authorization": "Bearer s3cret"}, 200},
		{"remote, wrong token", "s3cret", "192.0.2.7:5000", map[string]string{"X-Fakecloud-Token": "guess"}, 403},
		{"loopback, wrong token", "s3cret", "127.0.0.1:5000", map[string]string{"Authorization": "Bearer guess"}, 403},
		{"loopback, token configured, none sent", "s3cret", "127.0.0.1:5000", nil, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmu(t, emulator.Options{ControlToken: tc.token})
			for _, path := range []string{"/_fakecloud/health", "/_fakecloud/reset", "/moto-api/reset"} {
				method := "POST"
				if strings.HasSuffix(path, "health") {
					method = "GET"
				}
				r := httptest.NewRequest(method, path, nil)
				r.RemoteAddr = tc.remote
				for k, v := range tc.header {
					r.Header.Set(k, v)
				}
				w := httptest.NewRecorder()
				emu.ServeHTTP(w, r)
				if w.Code != tc.status {
					t.Errorf("%s %s: %d %s", method, path, w.Code, w.Body)
				}
				if w.Code == 403 && !json.Valid(w.Body.Bytes()) {
					t.Errorf("refusal is not JSON: %s", w.Body)
				}
			}
		})
	}
}

// The journal never shows secrets: members whose shape is sensitive in the
// model, and the deny list (SecretString, SessionToken, SecretAccessKey,
// Password ...), while pagination tokens stay visible.
func TestJournalRedactsSecrets(t *testing.T) {
	emu := newWireEmu(t, emulator.Options{})
	c := inproc(emu)
	call(t, c, endpoint, "AKID", "us-east-1", "Incr", `{"Name":"a","Password":"hunter2"}`)
	r, _ := http.NewRequest("POST", endpoint+"/", strings.NewReader(
		"Action=GetSessionToken&SessionToken=FQoGZXIvYXdzEKsecret&SecretAccessKey=wJalrXUtnFEMI&Note=visible"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/miniq/aws4_request, SignedHeaders=host, Signature=00")
	if status, body := do(t, c, r); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	b, _ := json.Marshal(emu.Journal())
	for _, secret := range []string{"hunter2", "FQoGZXIvYXdzEKsecret", "wJalrXUtnFEMI"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("journal shows %q: %s", secret, b)
		}
	}
	if !strings.Contains(string(b), "visible") || !strings.Contains(string(b), "(redacted)") {
		t.Errorf("journal: %s", b)
	}
	for name, secret := range map[string]bool{"SecretString": true, "SecretBinary": true, "MasterUserPassword": true,
		"NextToken": false, "ContinuationToken": false, "QueueName": false, "ClientRequestToken": false, "IdToken": true} {
		if got := emulator.IsSecretMemberForTest(name); got != secret {
			t.Errorf("%s: secret=%v, want %v", name, got, secret)
		}
	}
}

// Old SDKs post query requests to the queue's URL and leave QueueUrl out
// of the body; the handler still gets it.
func TestQueueURLPathBecomesQueueUrl(t *testing.T) {
	emu := newWireEmu(t, emulator.Options{})
	c := inproc(emu)
	send := func(path, body string) string {
		r, _ := http.NewRequest("POST", "http://localhost:4566"+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/miniq/aws4_request, SignedHeaders=host, Signature=00")
		status, out := do(t, c, r)
		if status != 200 {
			t.Fatalf("%s: %d %s", path, status, out)
		}
		return out
	}
	if out := send("/123456789012/orders", "Action=SendMessage&MessageBody=hi"); !strings.Contains(out, `"QueueUrl":"http://localhost:4566/123456789012/orders"`) {
		t.Errorf("queue URL path: %s", out)
	}
	if out := send("/123456789012/orders", "Action=SendMessage&MessageBody=hi&QueueUrl=http%3A%2F%2Fx%2F1%2Fother"); !strings.Contains(out, `"QueueUrl":"http://x/1/other"`) {
		t.Errorf("explicit QueueUrl replaced: %s", out)
	}
	if out := send("/", "Action=SendMessage&MessageBody=hi"); strings.Contains(out, `"QueueUrl":"http`) {
		t.Errorf("root path invented a QueueUrl: %s", out)
	}
}
