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
	_ "github.com/fakecloud/fakecloud/emulator/s3"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
	"github.com/fakecloud/fakecloud/fixtures"
	"github.com/fakecloud/fakecloud/recorder"
)

// fakeT records failures as assert.TestingT sees them.
type fakeT struct{ msgs []string }

func (f *fakeT) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}
func (f *fakeT) FailNow()     {}
func (f *fakeT) text() string { return strings.Join(f.msgs, "\n") }

// fakeDynamoDB serves GetItem and Scan over fixed items: enough to test
// the assertions' comparison without the DynamoDB emulator.
func fakeDynamoDB(items []map[string]any) emulator.ServiceDef {
	return emulator.ServiceDef{Name: "dynamodb", Operations: map[string]emulator.Handler{
		"GetItem": func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
			key := req.Input["Key"].(map[string]any)
			for _, it := range items {
				if fmt.Sprint(it["id"]) == fmt.Sprint(key["id"]) {
					return map[string]any{"Item": it}, nil
				}
			}
			return map[string]any{}, nil
		},
		"Scan": func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
			return map[string]any{"Count": int64(len(items)), "ScannedCount": int64(len(items))}, nil
		},
	}}
}

func newEmu(t *testing.T, services ...string) *emulator.Emulator {
	t.Helper()
	if services == nil {
		services = []string{"s3", "sqs", "dynamodb"}
	}
	opts := emulator.Options{Seed: 1, Services: services}
	for _, s := range services {
		if s == "dynamodb" {
			opts.ServiceDefs = []emulator.ServiceDef{fakeDynamoDB([]map[string]any{{"id": map[string]any{"S": "u1"},
				"age": map[string]any{"N": "41.0"}, "roles": map[string]any{"SS": []any{"dev", "admin"}}}})}
		}
	}
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	if err := fixtures.Load(emu, "../fixtures/examples/basic.yaml"); err != nil {
		t.Fatal(err)
	}
	return emu
}

func TestHelpers(t *testing.T) {
	emu := newEmu(t)
	av := func(typ string, v any) map[string]any { return map[string]any{typ: v} }
	u1 := map[string]any{"id": av("S", "u1")}
	tests := []struct {
		name     string
		run      func(t *fakeT) bool
		ok       bool
		wantText []string
	}{
		{"S3ObjectExists", func(t *fakeT) bool { return assertions.S3ObjectExists(t, emu, "uploads", "hello.txt") }, true, nil},
		{"S3ObjectExists missing", func(t *fakeT) bool { return assertions.S3ObjectExists(t, emu, "uploads", "nope.txt") }, false,
			[]string{"s3://uploads/nope.txt does not exist", "NoSuchKey"}},
		{"S3ObjectEquals", func(t *fakeT) bool {
			return assertions.S3ObjectEquals(t, emu, "uploads", "hello.txt", assertions.S3Object{Body: "hello, world\n",
				ContentType: "text/plain", Metadata: map[string]string{"origin": "fixture"}, Tags: map[string]string{"kind": "greeting"}})
		}, true, nil},
		{"S3ObjectEquals differs", func(t *fakeT) bool {
			return assertions.S3ObjectEquals(t, emu, "uploads", "hello.txt", assertions.S3Object{Body: "bye", Tags: map[string]string{"kind": "farewell"}})
		}, false, []string{"s3://uploads/hello.txt differs (-want +got)", `Body:        "bye"`, `Body:        "hello, world\n"`, `"farewell"`}},
		{"S3BucketEmpty", func(t *fakeT) bool { return assertions.S3BucketEmpty(t, emu, "empty-bucket") }, true, nil},
		{"S3BucketEmpty not", func(t *fakeT) bool { return assertions.S3BucketEmpty(t, emu, "uploads") }, false,
			[]string{"bucket uploads is not empty: bytes.bin, config/settings.json, hello.txt"}},
		{"DynamoDBItemEquals by meaning", func(t *fakeT) bool {
			return assertions.DynamoDBItemEquals(t, emu, "users", u1, map[string]any{"id": av("S", "u1"), "age": av("N", "41"),
				"roles": av("SS", []any{"admin", "dev"})})
		}, true, nil},
		{"DynamoDBItemEquals differs", func(t *fakeT) bool {
			return assertions.DynamoDBItemEquals(t, emu, "users", u1, map[string]any{"id": av("S", "u1"), "age": av("N", "42")})
		}, false, []string{"item {id=map[S:u1]} of table users differs", `"42"`, `"41"`, "roles"}},
		{"DynamoDBItemEquals missing", func(t *fakeT) bool {
			return assertions.DynamoDBItemEquals(t, emu, "users", map[string]any{"id": av("S", "zz")}, nil)
		}, false, []string{"table users has no item with key {id=map[S:zz]}"}},
		{"DynamoDBTableCount", func(t *fakeT) bool { return assertions.DynamoDBTableCount(t, emu, "users", 1) }, true, nil},
		{"DynamoDBTableCount wrong", func(t *fakeT) bool { return assertions.DynamoDBTableCount(t, emu, "users", 3) }, false,
			[]string{"table users holds 1 items; want 3"}},
		{"SQSQueueDepth", func(t *fakeT) bool { return assertions.SQSQueueDepth(t, emu, "jobs", 2) }, true, nil},
		{"SQSQueueDepth wrong", func(t *fakeT) bool { return assertions.SQSQueueDepth(t, emu, "jobs", 5) }, false,
			[]string{"queue jobs holds 2 visible messages; want 5"}},
		{"SQSMessageReceived", func(t *fakeT) bool {
			return assertions.SQSMessageReceived(t, emu, "jobs", assertions.SQSMessage{Body: `{"job": 2}`, Attributes: map[string]string{"priority": "5", "source": "fixture"}})
		}, true, nil},
		{"SQSMessageReceived none", func(t *fakeT) bool {
			return assertions.SQSMessageReceived(t, emu, "jobs", assertions.SQSMessage{Body: "third job"})
		}, false, []string{"no message of queue jobs matches", `"third job"`, `"first job"`}},
		{"SQSMessageReceived left the queue as it was", func(t *fakeT) bool { return assertions.SQSQueueDepth(t, emu, "jobs", 2) }, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fakeT{}
			if got := tt.run(ft); got != tt.ok || (len(ft.msgs) == 0) != tt.ok {
				t.Fatalf("returned %v with messages %q; want %v", got, ft.msgs, tt.ok)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(ft.text(), w) {
					t.Errorf("message lacks %q:\n%s", w, ft.text())
				}
			}
		})
	}
}

func TestJournalAssertions(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 1, Services: []string{"s3", "sqs"}})
	target := fixtures.Target{EndpointURL: ts.URL, Credentials: fixtures.Credentials{AccessKeyID: "AKID", SecretAccessKey: "s"}}
	dir := t.TempDir()
	path := filepath.Join(dir, "f.yaml")
	if err := os.WriteFile(path, []byte("version: 1\ns3: {buckets: [{name: logs, objects: [{key: a, body: x}, {key: b, body: y}]}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fixtures.Apply(context.Background(), target, path); err != nil {
		t.Fatal(err)
	}
	emu := ts.Emulator
	keyIs := func(k string) func(map[string]any) bool {
		return func(in map[string]any) bool { return in["Key"] == k }
	}
	ft := &fakeT{}
	if !assertions.OperationCalled(ft, emu, "s3", "PutObject", 2, nil) || !assertions.OperationCalled(ft, emu, "s3", "PutObject", 1, keyIs("a")) ||
		!assertions.OperationCalled(ft, emu, "s3", "CreateBucket", -1, nil) || !assertions.NoCallsTo(ft, emu, "sqs") {
		t.Fatalf("passing journal assertions failed: %s", ft.text())
	}
	ft = &fakeT{}
	if assertions.OperationCalled(ft, emu, "s3", "PutObject", 1, keyIs("zz")) {
		t.Fatal("OperationCalled passed")
	}
	if w := "s3.PutObject called 0 times matching; want 1 (2 calls in all); other s3 calls: CreateBucket"; !strings.Contains(ft.text(), w) {
		t.Errorf("message lacks %q: %s", w, ft.text())
	}
	ft = &fakeT{}
	if assertions.NoCallsTo(ft, emu, "s3") || !strings.Contains(ft.text(), "3 calls to s3: CreateBucket, PutObject, PutObject") {
		t.Errorf("NoCallsTo: %s", ft.text())
	}
}

type fakeRecorder []*recorder.Interaction

func (f fakeRecorder) Unused() []*recorder.Interaction { return f }

func TestAllInteractionsUsed(t *testing.T) {
	ft := &fakeT{}
	if !assertions.AllInteractionsUsed(ft, fakeRecorder(nil)) {
		t.Fatalf("failed: %s", ft.text())
	}
	un := fakeRecorder{{ID: 3, Service: "sqs", Operation: "SendMessage", Params: map[string]any{"QueueUrl": "q"}}}
	if assertions.AllInteractionsUsed(ft, un) || !strings.Contains(ft.text(), "1 recorded interactions were not used:") || !strings.Contains(ft.text(), "#3 sqs.SendMessage {QueueUrl=q}") {
		t.Errorf("message: %s", ft.text())
	}
}

func TestStateMatches(t *testing.T) {
	emu := newEmu(t, "s3", "sqs")
	ft := &fakeT{}
	// The want file leaves out every default and generated value.
	if !assertions.StateMatches(ft, emu, "testdata/want.yaml") {
		t.Fatalf("StateMatches failed: %s", ft.text())
	}
	if _, err := emu.Call(context.Background(), fixtures.DefaultAccount, fixtures.DefaultRegion, "s3", "DeleteObject",
		map[string]any{"Bucket": "empty-bucket", "Key": "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := emu.Call(context.Background(), fixtures.DefaultAccount, fixtures.DefaultRegion, "sqs", "CreateQueue",
		map[string]any{"QueueName": "surprise"}); err != nil {
		t.Fatal(err)
	}
	if assertions.StateMatches(ft, emu, "testdata/want.yaml") || !strings.Contains(ft.text(), "state differs from testdata/want.yaml (-want +got") ||
		!strings.Contains(ft.text(), `- name: surprise`) {
		t.Errorf("message: %s", ft.text())
	}
}
