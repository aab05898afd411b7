package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/sigv4"
)

func TestCredentialsFileFormats(t *testing.T) {
	cases := []struct {
		name, content string
		id, secret    string
		token         string
	}{
		{"aws credentials INI", "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n[temp]\naws_access_key_id=ASIATEMP\naws_secret_access_key=s2\naws_session_token=tok\n", "ASIATEMP", "s2", "tok"},
		{"INI default", "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n", "AKIDDEFAULT", "s1", ""},
		{"JSON", `{"AKIDJSON": "sj", "AKID2": "s2"}`, "AKIDJSON", "sj", ""},
		{"lines", "# key secret\nAKIDLINE   sl\n\n123456789012 acct\n", "123456789012", "acct", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "creds")
			if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			lookup, n, err := readCredentials(p)
			if err != nil || n == 0 {
				t.Fatalf("%v (n=%d)", err, n)
			}
			c, ok := lookup(context.Background(), tc.id)
			if !ok || c.SecretAccessKey != tc.secret || c.SessionToken != tc.token || c.AccessKeyID != tc.id {
				t.Errorf("%s: %+v %v", tc.id, c, ok)
			}
			if _, ok := lookup(context.Background(), "AKIDUNKNOWN"); ok {
				t.Error("unknown key found")
			}
		})
	}
}

func TestCredentialsFileErrorsNameTheFile(t *testing.T) {
	for name, content := range map[string]string{
		"empty":       "",
		"three words": "AKID secret extra\n",
		"bad JSON":    `{"AKID": 1}`,
		"INI no keys": "[default]\nregion = us-east-1\n",
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "creds")
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, _, err := readCredentials(p); err == nil || !strings.Contains(err.Error(), p) {
				t.Errorf("err = %v", err)
			}
		})
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--verify-signatures", "--credentials", "/nonexistent/creds"}, &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), "--credentials") {
		t.Errorf("missing file: code %d %s", code, errb.String())
	}
}

// serve --verify-signatures --credentials FILE --control-token starts, and
// the client commands present the control token (a wrong one is refused).
func TestServeWithVerificationAndControlToken(t *testing.T) {
	bin := build(t)
	creds := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, url := start(t, bin, "--verify-signatures", "--credentials", creds, "--control-token", "tok")
	waitHealthy(t, url)
	// Signed STS calls: the file's key passes, a wrong secret is refused.
	for _, tc := range []struct {
		secret string
		status int
		want   string
	}{{"secret", 200, "<Account>"}, {"wrong", 403, "<Code>SignatureDoesNotMatch</Code>"}} {
		r, _ := http.NewRequest("POST", url+"/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if _, err := sigv4.Sign(r, sigv4.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: tc.secret}, "sts", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.want) {
			t.Errorf("secret %q: %d %s", tc.secret, resp.StatusCode, b)
		}
	}
	if out, err := exec.Command(bin, "reset", "--endpoint", url, "--control-token", "tok").CombinedOutput(); err != nil {
		t.Errorf("reset with the token: %v %s", err, out)
	}
	out, err := exec.Command(bin, "reset", "--endpoint", url, "--control-token", "wrong").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "403") {
		t.Errorf("reset with a wrong token: %v %s", err, out)
	}
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url + "/_fakecloud/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not healthy: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// FuzzReadCredentials: any file content is credentials or an error, never a panic.
func FuzzReadCredentials(f *testing.F) {
	f.Add("[default]\naws_access_key_id = A\naws_secret_access_key = s\n")
	f.Add(`{"A":"s"}`)
	f.Add("A s\n# c\n")
	f.Add("[x\n  y = \n   z = 1\n")
	f.Add("{\"A\":")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		p := filepath.Join(dir, "creds")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		lookup, n, err := readCredentials(p)
		if err == nil && (lookup == nil || n == 0) {
			t.Errorf("no error and no credentials for %q", content)
		}
	})
}
