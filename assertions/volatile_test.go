package assertions_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/assertions"
	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/dynamodb"
	"github.com/fakecloud/fakecloud/fixtures"
)

var allServices = []string{"s3", "dynamodb", "sqs", "sns", "kms", "secretsmanager", "ssm"}

// workload does, in every service, what a test's code under test might:
// it refers to KMS keys by id and ARN and stores generated values (a
// secret's ARN, message ids, key ids, timestamps) as data.
func workload(t *testing.T, emu *emulator.Emulator) {
	t.Helper()
	ctx := context.Background()
	do := func(svc, op string, in map[string]any) map[string]any {
		t.Helper()
		out, err := emu.Call(ctx, fixtures.DefaultAccount, fixtures.DefaultRegion, svc, op, in)
		if err != nil {
			t.Fatalf("%s %s: %v", svc, op, err)
		}
		return out
	}
	md := func(out map[string]any) map[string]any { return out["KeyMetadata"].(map[string]any) }
	app := md(do("kms", "CreateKey", map[string]any{"Description": "app"}))
	do("kms", "CreateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": app["KeyId"]})
	loose := md(do("kms", "CreateKey", map[string]any{"Description": "loose"}))

	secret := do("secretsmanager", "CreateSecret", map[string]any{"Name": "db/password", "SecretString": "pw", "KmsKeyId": app["KeyId"]})
	desc := do("secretsmanager", "DescribeSecret", map[string]any{"SecretId": "db/password"})
	created := desc["CreatedDate"].(time.Time).Format(time.RFC3339Nano)

	do("ssm", "PutParameter", map[string]any{"Name": "/app/token", "Type": "SecureString", "Value": "tok", "KeyId": app["Arn"]})
	do("ssm", "PutParameter", map[string]any{"Name": "/app/secret-arn", "Type": "String", "Value": secret["ARN"]})

	q := do("sqs", "CreateQueue", map[string]any{"QueueName": "jobs", "Attributes": map[string]any{"KmsMasterKeyId": app["KeyId"]}})
	first := do("sqs", "SendMessage", map[string]any{"QueueUrl": q["QueueUrl"], "MessageBody": "first"})
	do("sqs", "SendMessage", map[string]any{"QueueUrl": q["QueueUrl"], "MessageBody": "after " + first["MessageId"].(string),
		"MessageAttributes": map[string]any{"at": map[string]any{"DataType": "String", "StringValue": created}}})

	topic := do("sns", "CreateTopic", map[string]any{"Name": "events", "Attributes": map[string]any{"KmsMasterKeyId": app["Arn"]}})
	qa := do("sqs", "GetQueueAttributes", map[string]any{"QueueUrl": q["QueueUrl"], "AttributeNames": []any{"QueueArn"}})
	do("sns", "Subscribe", map[string]any{"TopicArn": topic["TopicArn"], "Protocol": "sqs", "Endpoint": qa["Attributes"].(map[string]any)["QueueArn"]})

	do("dynamodb", "CreateTable", map[string]any{"TableName": "audit", "BillingMode": "PAY_PER_REQUEST",
		"KeySchema":            []any{map[string]any{"AttributeName": "id", "KeyType": "HASH"}},
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "id", "AttributeType": "S"}}})
	do("dynamodb", "PutItem", map[string]any{"TableName": "audit", "Item": map[string]any{
		"id":      map[string]any{"S": "e1"},
		"at":      map[string]any{"S": created},
		"key":     map[string]any{"S": loose["KeyId"]},
		"secret":  map[string]any{"S": secret["ARN"]},
		"message": map[string]any{"S": first["MessageId"]},
	}})

	do("s3", "CreateBucket", map[string]any{"Bucket": "reports"})
	do("s3", "PutObject", map[string]any{"Bucket": "reports", "Key": "r.json", "ContentType": "application/json",
		"Metadata": map[string]any{"created": created},
		"Body":     strings.NewReader(fmt.Sprintf(`{"key": %q, "secret": %q, "at": %q}`, loose["Arn"], secret["ARN"], created))})
}

func newFullEmu(t *testing.T, seed uint64) *emulator.Emulator {
	t.Helper()
	emu, err := emulator.New(emulator.Options{Seed: seed, Services: allServices})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	return emu
}

// A want file written by one run (-update) matches the next run, whose
// every generated value differs, in every service's dump.
func TestStateMatchesIgnoresVolatileValues(t *testing.T) {
	first, second := newFullEmu(t, 1), newFullEmu(t, 2)
	workload(t, first)
	time.Sleep(2 * time.Millisecond) // the second run's clock reads later
	workload(t, second)
	a, err := fixtures.Dump(first)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fixtures.Dump(second)
	if err != nil {
		t.Fatal(err)
	}
	// The dumps refer to the aliased key by its alias, not its id or ARN,
	// in every service that names keys ...
	for _, w := range []string{"kms_key_id: alias/app", "key_id: alias/app", "KmsMasterKeyId: alias/app"} {
		if strings.Count(string(a), w) == 0 {
			t.Errorf("dump lacks %q:\n%s", w, a)
		}
	}
	if n := strings.Count(string(a), "KmsMasterKeyId: alias/app"); n != 2 {
		t.Errorf("KmsMasterKeyId: alias/app %d times; want 2 (sqs, sns)", n)
	}
	// ... and still differ: the stored data holds generated values.
	if string(a) == string(b) {
		t.Fatal("the two runs dumped the same bytes: nothing volatile to ignore")
	}
	for _, re := range []string{`:secret:db/password-[A-Za-z0-9]{6}`, `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`, `[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}`} {
		if !regexp.MustCompile(re).Match(a) {
			t.Errorf("dump has no %s:\n%s", re, a)
		}
	}

	want := filepath.Join(t.TempDir(), "want.yaml")
	if err := os.WriteFile(want, a, 0o644); err != nil {
		t.Fatal(err)
	}
	if !assertions.StateMatches(t, second, want) {
		t.Fatal("volatile values counted")
	}
	// ExactState sees them, per service.
	ft := &fakeT{}
	if assertions.StateMatches(ft, second, want, assertions.ExactState()) {
		t.Fatal("ExactState passed")
	}
	for _, w := range []string{"secret-arn", "db/password-", "message", "created"} {
		if !strings.Contains(ft.text(), w) {
			t.Errorf("ExactState diff lacks %q:\n%s", w, ft.text())
		}
	}
	// A real difference still fails, and the diff shows it masked.
	if _, err := second.Call(context.Background(), fixtures.DefaultAccount, fixtures.DefaultRegion, "ssm", "PutParameter",
		map[string]any{"Name": "/app/secret-arn", "Type": "String", "Value": "arn:aws:secretsmanager:us-east-1:" + fixtures.DefaultAccount + ":secret:other-AbCdEf", "Overwrite": true}); err != nil {
		t.Fatal(err)
	}
	ft = &fakeT{}
	if assertions.StateMatches(ft, second, want) {
		t.Fatal("passed with a changed parameter")
	}
	if msg := ft.text(); !strings.Contains(msg, `"other"`) || !strings.Contains(msg, "-<random>") || !strings.Contains(msg, "/app/secret-arn") || strings.Contains(msg, "AbCdEf") {
		t.Errorf("message:\n%s", msg)
	}
}
