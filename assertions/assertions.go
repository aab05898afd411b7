package assertions

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/fixtures"
	"github.com/fakecloud/fakecloud/recorder"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
)

// update rewrites StateMatches golden files: go test -run X -update.
var update = flag.Bool("update", false, "rewrite StateMatches golden fixture files with the live state")

func helper(t assert.TestingT) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
}

// S3ObjectExists asserts that s3://bucket/key exists (HeadObject).
func S3ObjectExists(t assert.TestingT, emu *emulator.Emulator, bucket, key string, msgAndArgs ...any) bool {
	helper(t)
	w, msgAndArgs := whereOf(msgAndArgs)
	if _, err := w.call(emu, "s3", "HeadObject", map[string]any{"Bucket": bucket, "Key": key}); err != nil {
		return assert.Fail(t, fmt.Sprintf("s3://%s/%s does not exist: %v", bucket, key, err), msgAndArgs...)
	}
	return true
}

// S3Object is what S3ObjectEquals compares. Nil Metadata or Tags and ""
// ContentType are not compared; Body always is.
type S3Object struct {
	Body        string
	ContentType string
	Metadata    map[string]string
	Tags        map[string]string
}

// S3ObjectEquals asserts the body, and the content type, metadata and tags
// when want sets them, of s3://bucket/key.
func S3ObjectEquals(t assert.TestingT, emu *emulator.Emulator, bucket, key string, want S3Object, opts ...cmp.Option) bool {
	helper(t)
	w, opts := whereOf(opts)
	got, err := w.call(emu, "s3", "GetObject", map[string]any{"Bucket": bucket, "Key": key})
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("GetObject s3://%s/%s: %v", bucket, key, err))
	}
	var live S3Object
	if r, ok := got["Body"].(io.Reader); ok {
		b, err := io.ReadAll(r)
		if c, ok := r.(io.Closer); ok {
			_ = c.Close()
		}
		if err != nil {
			return assert.Fail(t, fmt.Sprintf("reading s3://%s/%s: %v", bucket, key, err))
		}
		live.Body = string(b)
	}
	if want.ContentType != "" {
		live.ContentType, _ = got["ContentType"].(string)
	}
	if want.Metadata != nil {
		live.Metadata = map[string]string{}
		for k, v := range asMap(got["Metadata"]) {
			live.Metadata[k], _ = v.(string)
		}
	}
	if want.Tags != nil {
		tags, err := w.call(emu, "s3", "GetObjectTagging", map[string]any{"Bucket": bucket, "Key": key})
		if err != nil {
			return assert.Fail(t, fmt.Sprintf("GetObjectTagging s3://%s/%s: %v", bucket, key, err))
		}
		live.Tags = map[string]string{}
		for _, tg := range listOf(tags["TagSet"]) {
			m := asMap(tg)
			k, _ := m["Key"].(string)
			live.Tags[k], _ = m["Value"].(string)
		}
	}
	if d := cmp.Diff(want, live, opts...); d != "" {
		return assert.Fail(t, fmt.Sprintf("s3://%s/%s differs (-want +got):\n%s", bucket, key, d))
	}
	return true
}

func listOf(v any) []any { l, _ := v.([]any); return l }

// S3BucketEmpty asserts that bucket exists and holds no objects.
func S3BucketEmpty(t assert.TestingT, emu *emulator.Emulator, bucket string, msgAndArgs ...any) bool {
	helper(t)
	w, msgAndArgs := whereOf(msgAndArgs)
	got, err := w.call(emu, "s3", "ListObjectsV2", map[string]any{"Bucket": bucket, "MaxKeys": int64(10)})
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("ListObjectsV2 %s: %v", bucket, err), msgAndArgs...)
	}
	if c := listOf(got["Contents"]); len(c) > 0 {
		var keys []string
		for _, o := range c {
			k, _ := asMap(o)["Key"].(string)
			keys = append(keys, k)
		}
		more := ""
		if got["IsTruncated"] == true {
			more = " …"
		}
		return assert.Fail(t, fmt.Sprintf("bucket %s is not empty: %s%s", bucket, strings.Join(keys, ", "), more), msgAndArgs...)
	}
	return true
}

// DynamoDBItemEquals asserts that the item of table with key equals want,
// comparing AttributeValues by meaning (N "1.0" equals "1", sets unordered).
// key and want are AttributeValue maps ({"id": {"S": "u1"}}).
func DynamoDBItemEquals(t assert.TestingT, emu *emulator.Emulator, table string, key, want map[string]any, opts ...cmp.Option) bool {
	helper(t)
	w, opts := whereOf(opts)
	got, err := w.call(emu, "dynamodb", "GetItem", map[string]any{"TableName": table, "Key": key, "ConsistentRead": true})
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("GetItem %s: %v", table, err))
	}
	item, ok := got["Item"].(map[string]any)
	if !ok {
		return assert.Fail(t, fmt.Sprintf("table %s has no item with key %s", table, fmtAV(key)))
	}
	if d := cmp.Diff(CanonicalItem(want), CanonicalItem(item), opts...); d != "" {
		return assert.Fail(t, fmt.Sprintf("item %s of table %s differs (-want +got):\n%s", fmtAV(key), table, d))
	}
	return true
}

func fmtAV(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// DynamoDBTableCount asserts that table holds want items (a consistent
// Scan with Select COUNT, following pages).
func DynamoDBTableCount(t assert.TestingT, emu *emulator.Emulator, table string, want int, msgAndArgs ...any) bool {
	helper(t)
	w, msgAndArgs := whereOf(msgAndArgs)
	var n int64
	var start map[string]any
	for range 100000 {
		in := map[string]any{"TableName": table, "Select": "COUNT", "ConsistentRead": true}
		if start != nil {
			in["ExclusiveStartKey"] = start
		}
		got, err := w.call(emu, "dynamodb", "Scan", in)
		if err != nil {
			return assert.Fail(t, fmt.Sprintf("Scan %s: %v", table, err), msgAndArgs...)
		}
		c, _ := got["Count"].(int64)
		n += c
		if start = asMap(got["LastEvaluatedKey"]); len(start) == 0 {
			break
		}
	}
	if n != int64(want) {
		return assert.Fail(t, fmt.Sprintf("table %s holds %d items; want %d", table, n, want), msgAndArgs...)
	}
	return true
}

func (w where) queueURL(emu *emulator.Emulator, queue string) (string, error) {
	if strings.Contains(queue, "/") {
		return queue, nil
	}
	got, err := w.call(emu, "sqs", "GetQueueUrl", map[string]any{"QueueName": queue})
	if err != nil {
		return "", err
	}
	u, _ := got["QueueUrl"].(string)
	return u, nil
}

// SQSQueueDepth asserts the number of visible messages of a queue (name or
// URL), read from ApproximateNumberOfMessages without receiving anything.
func SQSQueueDepth(t assert.TestingT, emu *emulator.Emulator, queue string, want int, msgAndArgs ...any) bool {
	helper(t)
	w, msgAndArgs := whereOf(msgAndArgs)
	url, err := w.queueURL(emu, queue)
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("queue %s: %v", queue, err), msgAndArgs...)
	}
	got, err := w.call(emu, "sqs", "GetQueueAttributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"ApproximateNumberOfMessages"}})
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("GetQueueAttributes %s: %v", queue, err), msgAndArgs...)
	}
	n, _ := strconv.Atoi(fmt.Sprint(asMap(got["Attributes"])["ApproximateNumberOfMessages"]))
	if n != want {
		return assert.Fail(t, fmt.Sprintf("queue %s holds %d visible messages; want %d", queue, n, want), msgAndArgs...)
	}
	return true
}

// SQSMessage is what SQSMessageReceived looks for: a body and, when set,
// string message attributes.
type SQSMessage struct {
	Body       string
	Attributes map[string]string
}

// SQSMessageReceived asserts that a visible message of queue has want's
// body (and attributes). SQS has no way to look without receiving, so it
// receives the visible messages and at once makes them visible again
// (ChangeMessageVisibility 0): the queue holds the same messages afterwards,
// but their ApproximateReceiveCount has grown by one, which can move
// messages to a dead-letter queue sooner. Only the first 100 visible
// messages are looked at.
func SQSMessageReceived(t assert.TestingT, emu *emulator.Emulator, queue string, want SQSMessage, opts ...cmp.Option) bool {
	helper(t)
	w, opts := whereOf(opts)
	url, err := w.queueURL(emu, queue)
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("queue %s: %v", queue, err))
	}
	var seen []SQSMessage
	var receipts []string
	defer func() {
		for _, r := range receipts {
			_, _ = w.call(emu, "sqs", "ChangeMessageVisibility", map[string]any{"QueueUrl": url, "ReceiptHandle": r, "VisibilityTimeout": int64(0)})
		}
	}()
	for len(seen) < 100 {
		got, err := w.call(emu, "sqs", "ReceiveMessage", map[string]any{"QueueUrl": url, "MaxNumberOfMessages": int64(10),
			"VisibilityTimeout": int64(60), "MessageAttributeNames": []any{"All"}})
		if err != nil {
			return assert.Fail(t, fmt.Sprintf("ReceiveMessage %s: %v", queue, err))
		}
		msgs := listOf(got["Messages"])
		if len(msgs) == 0 {
			break
		}
		for _, m := range msgs {
			mm := asMap(m)
			r, _ := mm["ReceiptHandle"].(string)
			receipts = append(receipts, r)
			var sm SQSMessage
			sm.Body, _ = mm["Body"].(string)
			if want.Attributes != nil {
				sm.Attributes = map[string]string{}
				for k, v := range asMap(mm["MessageAttributes"]) {
					sm.Attributes[k], _ = asMap(v)["StringValue"].(string)
				}
			}
			if cmp.Equal(want, sm, opts...) {
				return true
			}
			seen = append(seen, sm)
		}
	}
	if len(seen) == 0 {
		return assert.Fail(t, fmt.Sprintf("queue %s has no visible messages; want %+v", queue, want))
	}
	var b strings.Builder
	for i, s := range seen {
		fmt.Fprintf(&b, "message %d (-want +got):\n%s", i, cmp.Diff(want, s, opts...))
	}
	return assert.Fail(t, fmt.Sprintf("no message of queue %s matches:\n%s", queue, b.String()))
}

// OperationCalled asserts that the emulator served service's operation
// exactly times times (times < 0: at least once) among requests whose
// decoded input satisfies match (nil matches all), per emu.Journal().
// Calls made in-process (fixtures.Load, these assertions) are not journaled.
func OperationCalled(t assert.TestingT, emu *emulator.Emulator, service, operation string, times int, match func(input map[string]any) bool) bool {
	helper(t)
	n, all := 0, 0
	var others []string
	for _, e := range emu.Journal() {
		if e.Service != service {
			continue
		}
		if e.Operation != operation {
			others = append(others, e.Operation)
			continue
		}
		all++
		if match == nil || match(e.Input) {
			n++
		}
	}
	if (times < 0 && n > 0) || n == times {
		return true
	}
	want := strconv.Itoa(times)
	if times < 0 {
		want = "at least 1"
	}
	msg := fmt.Sprintf("%s.%s called %d times matching; want %s", service, operation, n, want)
	if all != n {
		msg += fmt.Sprintf(" (%d calls in all)", all)
	}
	if len(others) > 0 {
		msg += fmt.Sprintf("; other %s calls: %s", service, strings.Join(others, ", "))
	}
	return assert.Fail(t, msg)
}

// NoCallsTo asserts that the emulator's journal has no request to service
// (in the account and region of InAccount and InRegion options, if given).
func NoCallsTo(t assert.TestingT, emu *emulator.Emulator, service string, msgAndArgs ...any) bool {
	helper(t)
	w, msgAndArgs := whereOf(msgAndArgs)
	var ops []string
	for _, e := range emu.Journal() {
		if e.Service == service && w.journaled(e) {
			ops = append(ops, e.Operation)
		}
	}
	if len(ops) > 0 {
		return assert.Fail(t, fmt.Sprintf("%d calls to %s%s: %s", len(ops), service, w.in(), strings.Join(ops, ", ")), msgAndArgs...)
	}
	return true
}

// Unuseder is what AllInteractionsUsed reads: a *recorder.Recorder.
type Unuseder interface {
	Unused() []*recorder.Interaction
}

// AllInteractionsUsed asserts that every recorded interaction of rec was
// replayed: a test that no longer makes a recorded call has changed.
func AllInteractionsUsed(t assert.TestingT, rec Unuseder, msgAndArgs ...any) bool {
	helper(t)
	un := rec.Unused()
	if len(un) == 0 {
		return true
	}
	var b strings.Builder
	for _, in := range un {
		fmt.Fprintf(&b, "\n  #%d %s.%s %s", in.ID, in.Service, in.Operation, fmtParams(in.Params))
	}
	return assert.Fail(t, fmt.Sprintf("%d recorded interactions were not used:%s", len(un), b.String()), msgAndArgs...)
}

func fmtParams(p map[string]any) string {
	if len(p) == 0 {
		return ""
	}
	return fmtAV(p)
}

// StateMatches asserts that the emulator's state, as fixtures.Dump writes
// it, matches the fixture file wantPath. The want fixture is loaded into a
// scratch emulator serving the same services and dumped too, so defaults
// the file leaves out do not count. Run the test with -update to write the
// live state to wantPath.
//
// Volatile values are ignored, so a file written by -update matches the
// next run. Per service:
//   - s3: only buckets, current objects' bodies, content types, metadata,
//     tags and versioning are dumped — no version ids, ETags or dates.
//   - dynamodb: tables (keys, indexes, streams, TTL, tags) and items; no
//     ARNs, stream labels or creation dates.
//   - sqs: queues by name (no URLs or ARNs) with settable attributes,
//     visible messages by body and attributes — no message ids, receipt
//     handles or counts.
//   - sns: topics by name, subscriptions by endpoint or queue name — no
//     topic or subscription ARNs.
//   - kms: keys by description, aliases, usage, spec, state and tags — no
//     key ids or ARNs; references to a key (a secret's kms_key_id, an SSM
//     key_id, SQS and SNS KmsMasterKeyId) are written as its alias.
//   - secretsmanager: secrets by name, versions by staging label — no ARNs,
//     version ids or dates.
//   - ssm: parameters by name with current value and labels — no versions
//     or dates.
//
// What is left is data the code under test stored, and in it StateMatches
// replaces, on both sides, Secrets Manager ARN suffixes (…:secret:name-AbCdEf),
// UUIDs (KMS key ids of keys without an alias, SQS message ids, version
// and request ids), multi-Region key ids (mrk-…) and ISO 8601 date-times.
// ExactState() compares without that. InAccount and InRegion place the
// file's scopes that name no account or region.
func StateMatches(t assert.TestingT, emu *emulator.Emulator, wantPath string, opts ...cmp.Option) bool {
	helper(t)
	w, opts := whereOf(opts)
	live, err := fixtures.Dump(emu)
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("dumping live state: %v", err))
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(wantPath), 0o755); err == nil {
			err = os.WriteFile(wantPath, live, 0o644)
		}
		if err != nil {
			return assert.Fail(t, fmt.Sprintf("updating %s: %v", wantPath, err))
		}
		return true
	}
	scratch, err := emulator.New(emulator.Options{Services: emu.ServiceNames()})
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("scratch emulator: %v", err))
	}
	defer scratch.Close()
	if err := fixtures.LoadWith(scratch, []string{wantPath}, w.loadOptions()...); err != nil {
		return assert.Fail(t, fmt.Sprintf("loading %s: %v", wantPath, err))
	}
	want, err := fixtures.Dump(scratch)
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("dumping %s: %v", wantPath, err))
	}
	wantLines, liveLines := strings.Split(string(want), "\n"), strings.Split(string(live), "\n")
	if !w.exact {
		for i, l := range wantLines {
			wantLines[i] = maskVolatile(l)
		}
		for i, l := range liveLines {
			liveLines[i] = maskVolatile(l)
		}
	}
	if d := cmp.Diff(wantLines, liveLines, opts...); d != "" {
		return assert.Fail(t, fmt.Sprintf("state differs from %s (-want +got; go test -update rewrites it):\n%s", wantPath, d))
	}
	return true
}
