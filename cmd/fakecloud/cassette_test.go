package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const exampleCassette = "../../recorder/testdata/cassettes/example-sqs.yaml"

func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCassetteShowPrintsInteractions(t *testing.T) {
	code, out, errs := runCmd("cassette", "show", exampleCassette)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"SERVICE", "sqs", "GetQueueUrl", "SendMessage"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := runCmd("cassette", "show", filepath.Join(t.TempDir(), "missing.yaml")); code == 0 || !strings.Contains(errs, "not found") {
		t.Errorf("missing cassette: exit %d, %s", code, errs)
	}
}

// check is a pre-commit hook: exit 0 on clean cassettes, 1 with one line
// per finding (value masked) otherwise.
func TestCassetteCheckExitsNonZeroOnSecrets(t *testing.T) {
	dir := t.TempDir()
	akid := "AKIA" + "IOSFODNN7EXAMPLE"
	secret := "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\ninteractions:\n  - id: 0\n    request:\n      method: POST\n      url: https://sts.amazonaws.com/\n"+
		"    response:\n      status: 200\n      body: <AccessKeyId>"+akid+"</AccessKeyId><SecretAccessKey>"+secret+"</SecretAccessKey>\n"), 0o644)

	if code, out, errs := runCmd("cassette", "check", exampleCassette); code != 0 || out != "" {
		t.Fatalf("clean cassette: exit %d, out %q, err %q", code, out, errs)
	}
	code, out, errs := runCmd("cassette", "check", exampleCassette, dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (out %q, err %q)", code, out, errs)
	}
	if !strings.Contains(out, "bad.yaml:9: access-key-id") || !strings.Contains(out, "secret-access-key") {
		t.Errorf("findings:\n%s", out)
	}
	if strings.Contains(out, secret) || strings.Contains(out, akid) {
		t.Errorf("findings print the secret:\n%s", out)
	}
}

func TestCassetteUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"cassette"}, {"cassette", "show"}, {"cassette", "check"}, {"cassette", "frob"}} {
		if code, _, errs := runCmd(args...); code == 0 || !strings.Contains(errs, "usage") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}
