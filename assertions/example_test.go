package assertions_test

import (
	"context"
	"fmt"
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
