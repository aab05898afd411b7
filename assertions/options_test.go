package assertions_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/assertions"
	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/fixtures"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const (
	otherAccount = "111122223333"
	otherRegion  = "eu-west-1"
)

// newOtherScope seeds a server in otherAccount/otherRegion and returns a
// caller that signs for that account over HTTP.
func newOtherScope(t *testing.T) (*emulator.Emulator, fixtures.Caller) {
	t.Helper()
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 1, Services: []string{"s3", "sqs", "sns", "kms", "secretsmanager", "ssm"}})
	path := filepath.Join(t.TempDir(), "seed.yaml")
	src := seed + "s3: {buckets: [{name: other-bucket, objects: [{key: k, body: hi, tags: {a: b}}]}]}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fixtures.LoadWith(ts.Emulator, []string{path}, fixtures.InAccount(otherAccount), fixtures.InRegion(otherRegion)); err != nil {
		t.Fatal(err)
	}
	target := fixtures.Target{EndpointURL: ts.URL, AccountCredentials: fixtures.FakecloudAccount}
	return ts.Emulator, target.Caller()
}

func TestHelpersInAccountAndRegion(t *testing.T) {
	emu, c := newOtherScope(t)
	in := []any{assertions.InAccount(otherAccount), assertions.InRegion(otherRegion)}
	ok := assertions.S3ObjectExists(t, emu, "other-bucket", "k", in...) &&
		assertions.S3ObjectEquals(t, emu, "other-bucket", "k", assertions.S3Object{Body: "hi", Tags: map[string]string{"a": "b"}},
			assertions.InRegion(otherRegion), cmpopts.EquateEmpty(), assertions.InAccount(otherAccount)) &&
		assertions.SQSQueueDepth(t, emu, "inbox", 0, in...) &&
		assertions.SecretEquals(t, emu, "db/password", "hunter2", in...) &&
		assertions.ParameterEquals(t, emu, "/app/token", "s3cr3t", in...)
	if !ok {
		t.Fatal("helpers failed in the seeded account and region")
	}
	// Without the options the helpers look in the defaults, where nothing is.
	ft := &fakeT{}
	// (S3 bucket names are global, so S3 is not checked here.)
	if assertions.SecretEquals(ft, emu, "db/password", "hunter2") || assertions.ParameterEquals(ft, emu, "/app/flag", "on") {
		t.Fatal("passed in the default account")
	}
	if !strings.Contains(ft.text(), "ResourceNotFoundException") || !strings.Contains(ft.text(), "ParameterNotFound") {
		t.Errorf("messages:\n%s", ft.text())
	}
	// The region alone is not enough: the account differs.
	ft = &fakeT{}
	if assertions.SQSQueueDepth(ft, emu, "inbox", 0, assertions.InRegion(otherRegion)) {
		t.Error("found the queue in the default account")
	}
	// A message given with the options still reaches the failure message.
	ft = &fakeT{}
	if assertions.SQSQueueDepth(ft, emu, "inbox", 3, assertions.InAccount(otherAccount), "after %s", "the import", assertions.InRegion(otherRegion)) {
		t.Fatal("passed")
	}
	if !strings.Contains(ft.text(), "queue inbox holds 0 visible messages; want 3") || !strings.Contains(ft.text(), "after the import") {
		t.Errorf("message:\n%s", ft.text())
	}

	// Journal helpers count only requests signed for the options' scope.
	ctx := context.Background()
	url, err := c.Call(ctx, otherAccount, otherRegion, "sqs", "GetQueueUrl", map[string]any{"QueueName": "inbox"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, otherAccount, otherRegion, "sqs", "SendMessage", map[string]any{"QueueUrl": url["QueueUrl"], "MessageBody": "m1"}); err != nil {
		t.Fatal(err)
	}
	if !assertions.SQSQueueDepth(t, emu, "inbox", 1, in...) ||
		!assertions.SQSMessageReceived(t, emu, "inbox", assertions.SQSMessage{Body: "m1"}, assertions.InAccount(otherAccount), assertions.InRegion(otherRegion)) ||
		!assertions.OperationCalledWith(t, emu, "sqs", "SendMessage", 1, assertions.Params{"MessageBody": "m1"}, assertions.InAccount(otherAccount)) ||
		!assertions.OperationCalledWith(t, emu, "sqs", "SendMessage", 0, nil, assertions.InAccount(fixtures.DefaultAccount)) ||
		!assertions.NoCallsTo(t, emu, "sqs", assertions.InRegion("us-west-2")) {
		t.Fatal("journal helpers with options")
	}
	ft = &fakeT{}
	if assertions.NoCallsTo(ft, emu, "sqs", in...) || !strings.Contains(ft.text(), "2 calls to sqs (in 111122223333/eu-west-1): GetQueueUrl, SendMessage") {
		t.Errorf("NoCallsTo: %s", ft.text())
	}

	// StateMatches loads the want file's unnamed scope in the options' scope.
	want := filepath.Join(t.TempDir(), "want.yaml")
	if err := os.WriteFile(want, []byte(seed+"s3: {buckets: [{name: other-bucket, objects: [{key: k, body: hi, tags: {a: b}}]}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The live queue holds m1, the file no message: only that differs.
	ft = &fakeT{}
	if assertions.StateMatches(ft, emu, want, assertions.InAccount(otherAccount), assertions.InRegion(otherRegion)) {
		t.Fatal("StateMatches passed with an extra message")
	}
	if msg := ft.text(); !strings.Contains(msg, "+") || !strings.Contains(msg, "m1") || strings.Contains(msg, "111122223333\"\n-") {
		t.Errorf("message:\n%s", msg)
	}
	if _, err := c.Call(ctx, otherAccount, otherRegion, "sqs", "PurgeQueue", map[string]any{"QueueUrl": url["QueueUrl"]}); err != nil {
		t.Fatal(err)
	}
	if !assertions.StateMatches(t, emu, want, assertions.InAccount(otherAccount), assertions.InRegion(otherRegion)) {
		t.Error("StateMatches after the purge")
	}
	ft = &fakeT{}
	if assertions.StateMatches(ft, emu, want) {
		t.Error("StateMatches passed with the want file in the default account")
	}
}
