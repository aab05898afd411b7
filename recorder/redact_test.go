package recorder

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretsUsed are every secret value seen while recording: the signing
// credentials and what STS, SSO, Cognito and ECR handed out.
var secretsUsed = []string{testAKID, testSecret, testToken, stsAKID, stsSecret, stsToken, "QVdTOmV5SndZWGxzYjJGa0lqb2lSWGhoYlhCc1pTSjk="}

func TestWrittenCassetteHoldsNoSecretUsedWhileRecording(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "creds.yaml")
	rec, err := New(path, WithMode(Record), IgnoreEnv(), WithCredentials(testAKID, testSecret, testToken))
	if err != nil {
		t.Fatal(err)
	}
	sts := signedClient(rec, "sts")
	var live [][]byte
	for _, action := range []string{"AssumeRole", "GetSessionToken", "GetFederationToken"} {
		_, b, _ := call(t, sts, "POST", aws.URL, formHeader, "Action="+action+"&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr")
		live = append(live, b)
	}
	for _, c := range []struct{ svc, target string }{
		{"sts", "AWSSecurityTokenServiceV20110615.AssumeRole"},
		{"portal.sso", "SWBPortalService.GetRoleCredentials"},
		{"cognito-identity", "AWSCognitoIdentityService.GetCredentialsForIdentity"},
		{"ecr", "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken"},
	} {
		_, b, _ := call(t, signedClient(rec, c.svc), "POST", aws.URL, jsonTarget(c.target), `{}`)
		live = append(live, b)
	}
	// A presigned URL carries its signature and key id in the query.
	presigned := aws.URL + "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + testAKID +
		"%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=" +
		testToken + "&X-Amz-SignedHeaders=host&X-Amz-Signature=" + strings.Repeat("ab", 32)
	if resp, err := rec.Client().Get(presigned); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	// The code under test got the real credentials while recording.
	if !bytes.Contains(live[0], []byte(stsSecret)) {
		t.Fatal("recording must hand the live response to the caller")
	}
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secretsUsed {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("cassette contains secret %s", mask(s))
		}
	}
	if bytes.Contains(data, []byte(strings.Repeat("ab", 32))) {
		t.Error("cassette contains the presigned signature")
	}
	findings, err := Check(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("Check: %s", f)
	}
	// Replay still works, and Content-Length stays true after redaction.
	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	_, b, h := call(t, signedClient(play, "sts"), "POST", aws.URL, formHeader, "Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&Action=AssumeRole")
	if !bytes.Contains(b, []byte("<SecretAccessKey>REDACTED")) || len(b) != len(live[0]) {
		t.Errorf("replayed AssumeRole: %s", b)
	}
	if cl := h.Get("Content-Length"); cl != "" && cl != itoa(len(b)) {
		t.Errorf("Content-Length %s for %d bytes", cl, len(b))
	}
}

func itoa(n int) string { return sprintf("%d", n) }

func TestSaveRefusesWhenAKnownSecretWouldBeWritten(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "leak.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv(), WithCredentials(testAKID, testSecret, testToken))
	// JSON escapes "/" as "\/": the raw body does not contain the secret,
	// but its decoded parameters (stored in the cassette) do.
	escaped := strings.ReplaceAll(testSecret, "/", `\/`)
	call(t, signedClient(rec, "sqs"), "POST", aws.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"q","MessageBody":"`+escaped+`"}`)
	err := rec.Save()
	if !errors.Is(err, ErrSecretInCassette) {
		t.Fatalf("Save = %v, want ErrSecretInCassette", err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Error("the error message itself leaks the secret")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a cassette was written")
	}
}

func TestSecretsManagerRedactionIsOptIn(t *testing.T) {
	body := []byte(`{"ARN":"arn","Name":"db","SecretString":"{\"password\":\"hunter2hunter2\"}"}`)
	for _, opt := range []bool{false, true} {
		var opts []Option
		if opt {
			opts = append(opts, RedactSecretsManager())
		}
		cfg := config{ignore: map[string]bool{}, rd: newRedactor()}
		for _, o := range opts {
			o(&cfg)
		}
		in := &Interaction{Request: Request{Method: "POST", URL: "https://x/", Headers: http.Header{}}, Response: &Response{Status: 200, Headers: http.Header{}, Body: append([]byte(nil), body...)}}
		if err := cfg.rd.redact(in); err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(in.Response.Body, []byte("hunter2")); got == opt {
			t.Errorf("RedactSecretsManager=%v: body %s", opt, in.Response.Body)
		}
	}
}

func TestRedactHookRunsBeforeSave(t *testing.T) {
	aws := newFakeAWS(t)
	path := filepath.Join(t.TempDir(), "hook.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv(), RedactHook(func(in *Interaction) error {
		in.Request.Headers.Del("User-Agent")
		return nil
	}))
	call(t, signedClient(rec, "sqs"), "POST", aws.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"a"}`)
	rec.Save()
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte("aws-sdk-go-v2")) {
		t.Error("hook did not run")
	}
}

func TestCheckFindsUnredactedSecrets(t *testing.T) {
	dir := t.TempDir()
	bad := "version: 1\ninteractions:\n  - id: 0\n    request:\n      method: POST\n      url: https://s3.amazonaws.com/b?X-Amz-Signature=" + strings.Repeat("0f", 32) + "\n" +
		"      headers:\n        Authorization:\n          - AWS4-HMAC-SHA256 Credential=" + testAKID + "/20260101/us-east-1/s3/aws4_request, Signature=" + strings.Repeat("1e", 32) + "\n" +
		"    response:\n      status: 200\n      body: <SecretAccessKey>" + stsSecret + "</SecretAccessKey><SessionToken>" + stsToken + "</SessionToken>\n"
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o644)
	os.WriteFile(filepath.Join(dir, "good.yaml"), []byte("version: 1\ninteractions: []\n"), 0o644)
	f, err := Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, x := range f {
		kinds[x.Kind]++
		if strings.Contains(x.Text, stsSecret) || strings.Contains(x.Text, testAKID) {
			t.Errorf("finding shows the secret: %s", x)
		}
		if filepath.Base(x.Path) != "bad.yaml" {
			t.Errorf("finding in %s", x.Path)
		}
	}
	want := map[string]int{"access-key-id": 1, "secret-access-key": 1, "session-token": 1, "sigv4-signature": 2}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%s: %d findings, want %d (all: %v)", k, kinds[k], n, f)
		}
	}
}

// Suites often sign with a short key id such as "test". It is replaced in the
// credential positions, but not as free text: replacing it everywhere would
// turn metadata like "recorder-test" or a body "a test" into other data on
// replay.
func TestShortKeyIDIsNotReplacedInsideOrdinaryText(t *testing.T) {
	rd := newRedactor()
	in := &Interaction{
		Request: Request{Method: "PUT", URL: "https://s3.amazonaws.com/b/k", Headers: http.Header{
			"Authorization":     {"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=" + strings.Repeat("ab", 32)},
			"X-Amz-Meta-Origin": {"recorder-test"},
		}, Body: []byte("a test body")},
		Response: &Response{Status: 200, Headers: http.Header{}, Body: []byte("<Note>a test</Note>")},
	}
	if err := rd.redact(in); err != nil {
		t.Fatal(err)
	}
	if got := in.Request.Headers.Get("Authorization"); strings.Contains(got, "Credential=test/") {
		t.Errorf("key id left in Authorization: %s", got)
	}
	if got := in.Request.Headers.Get("X-Amz-Meta-Origin"); got != "recorder-test" {
		t.Errorf("metadata rewritten to %q", got)
	}
	if string(in.Request.Body) != "a test body" || string(in.Response.Body) != "<Note>a test</Note>" {
		t.Errorf("bodies rewritten: %q / %q", in.Request.Body, in.Response.Body)
	}
	if leaks := rd.leaks([]byte("a test body")); len(leaks) != 0 {
		t.Errorf("a short key id inside text counted as a leak: %v", leaks)
	}
}
