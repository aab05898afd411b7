package assertions_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/assertions"
	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/fixtures"
)

// A complete test: start an emulator, seed it from a fixture, run the code
// under test, assert on the state it left.
func Example() {
	t := &testing.T{} // in a real test, the *testing.T you are given
	emu, _ := emulator.New(emulator.Options{Services: []string{"s3", "sqs"}})
	defer emu.Close()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	seed := filepath.Join(dir, "seed.yaml")
	_ = os.WriteFile(seed, []byte("version: 1\ns3: {buckets: [{name: inbox}, {name: archive}]}\nsqs: {queues: [{name: done}]}\n"), 0o644)
	if err := fixtures.Load(emu, seed); err != nil {
		fmt.Println(err)
		return
	}

	// The code under test: archive a report and announce it.
	ctx := context.Background()
	_, _ = emu.Call(ctx, fixtures.DefaultAccount, fixtures.DefaultRegion, "s3", "PutObject",
		map[string]any{"Bucket": "archive", "Key": "r.csv", "Body": strings.NewReader("a,b\n")})
	q, _ := emu.Call(ctx, fixtures.DefaultAccount, fixtures.DefaultRegion, "sqs", "GetQueueUrl", map[string]any{"QueueName": "done"})
	_, _ = emu.Call(ctx, fixtures.DefaultAccount, fixtures.DefaultRegion, "sqs", "SendMessage",
		map[string]any{"QueueUrl": q["QueueUrl"], "MessageBody": "r.csv"})

	ok := assertions.S3ObjectEquals(t, emu, "archive", "r.csv", assertions.S3Object{Body: "a,b\n"}) &&
		assertions.S3BucketEmpty(t, emu, "inbox") &&
		assertions.SQSQueueDepth(t, emu, "done", 1) &&
		assertions.SQSMessageReceived(t, emu, "done", assertions.SQSMessage{Body: "r.csv"})
	fmt.Println("assertions hold:", ok)
	// Output: assertions hold: true
}

// Check what code under test left in Secrets Manager and Parameter Store,
// and which calls it made (the journal holds requests over HTTP, here
// through the in-process transport).
func Example_secretsAndJournal() {
	t := &testing.T{} // in a real test, the *testing.T you are given
	emu, _ := emulator.New(emulator.Options{Services: []string{"kms", "secretsmanager", "ssm"}})
	defer emu.Close()
	target := fixtures.Target{EndpointURL: "http://fakecloud.test", HTTPClient: &http.Client{Transport: emu.Transport()},
		Credentials: fixtures.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}}
	c := target.Caller()

	// The code under test: rotate a password and publish its location.
	ctx := context.Background()
	_, _ = c.Call(ctx, "", "", "secretsmanager", "CreateSecret", map[string]any{"Name": "db/password", "SecretString": "s3cr3t"})
	_, _ = c.Call(ctx, "", "", "ssm", "PutParameter", map[string]any{"Name": "/db/secret", "Value": "db/password", "Type": "String"})

	ok := assertions.SecretEquals(t, emu, "db/password", "s3cr3t") &&
		assertions.ParameterEquals(t, emu, "/db/secret", "db/password") &&
		assertions.OperationCalledWith(t, emu, "ssm", "PutParameter", 1, assertions.Params{"Name": "/db/secret", "Type": "String"}) &&
		assertions.OperationsCalled(t, emu, "secretsmanager", "CreateSecret")
	fmt.Println("assertions hold:", ok)
	// Output: assertions hold: true
}

// Helpers look in another account or region when given InAccount and
// InRegion among their trailing arguments; fixtures.LoadWith seeds there.
func ExampleInAccount() {
	t := &testing.T{} // in a real test, the *testing.T you are given
	emu, _ := emulator.New(emulator.Options{Services: []string{"sqs"}})
	defer emu.Close()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	seed := filepath.Join(dir, "seed.yaml")
	_ = os.WriteFile(seed, []byte("version: 1\nsqs: {queues: [{name: jobs, messages: [one, two]}]}\n"), 0o644)
	in := []any{assertions.InAccount("111122223333"), assertions.InRegion("eu-west-1")}
	if err := fixtures.LoadWith(emu, []string{seed}, fixtures.InAccount("111122223333"), fixtures.InRegion("eu-west-1")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(assertions.SQSQueueDepth(t, emu, "jobs", 2, in...))
	// Output: true
}
