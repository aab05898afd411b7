package interop

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
	"github.com/fakecloud/fakecloud/recorder"
)

// loopbackTransport is a fresh transport that dials 127.0.0.1 and ::1 only,
// so recording can never leave the machine whatever the SDK resolves.
func loopbackTransport() *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("loopback transport: refusing to dial %s", addr)
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 4,
	}
}

// errNetworkUsed is what the replay transport answers: replay must never
// reach it.
var errNetworkUsed = errors.New("replay used the network")

// noNetwork is an http.RoundTripper that fails every request and counts them.
type noNetwork struct{ calls atomic.Int64 }

func (n *noNetwork) RoundTrip(req *http.Request) (*http.Response, error) {
	n.calls.Add(1)
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, fmt.Errorf("%w: %s %s", errNetworkUsed, req.Method, req.URL)
}

// The recording credentials: the short "test"/"test" pair most suites use.
// The recorder replaces the key id in every credential position but not as
// free text, so the "test" inside the x-amz-meta-origin value below
// ("recorder-sdk-test") must replay unchanged.
const (
	recAccessKeyID = "test"
	recSecretKey   = "test"
)

// sdkWorkload runs the same S3, DynamoDB and SQS calls through
// aws-sdk-go-v2 with hc as its HTTP client and returns what the SDK gave
// back, one line per observed output value, in call order.
func sdkWorkload(t *testing.T, endpoint string, hc *http.Client) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// The SDK's standard retryer (3 attempts, amz-sdk-request: attempt=N;
	// max=3), invocation ids, flexible checksums and clock-skew tracking
	// all stay on: the recorder has to cope with them.
	cfg, err := Config(ctx, endpoint, config.WithRetryMaxAttempts(3),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(recAccessKeyID, recSecretKey, "")))
	if err != nil {
		t.Fatal(err)
	}
	// Set after loading: config.WithHTTPClient with a plain *http.Client
	// fails when AWS_CA_BUNDLE is set in the environment.
	cfg.HTTPClient = hc
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	fail := func(op string, err error) []string {
		t.Helper()
		t.Fatalf("%s: %v", op, err)
		return nil
	}

	// S3: bucket, two objects, read one back with its checksum, list.
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := "rec-sdk-bucket"
	cb, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})
	if err != nil {
		return fail("s3 CreateBucket", err)
	}
	add("s3 CreateBucket Location=%s", aws.ToString(cb.Location))
	objects := map[string][]byte{
		"docs/hello.txt": []byte("hello, recorded world\n"),
		"docs/blob.bin":  bytes.Repeat([]byte{0, 1, 2, 0xfe, 0xff}, 700),
	}
	for _, key := range []string{"docs/hello.txt", "docs/blob.bin"} {
		sum := md5.Sum(objects[key])
		po, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(key),
			Body: bytes.NewReader(objects[key]), ContentType: aws.String("application/octet-stream"),
			Metadata: map[string]string{"origin": "recorder-sdk-test"}})
		if err != nil {
			return fail("s3 PutObject "+key, err)
		}
		if want := `"` + hex.EncodeToString(sum[:]) + `"`; aws.ToString(po.ETag) != want {
			t.Errorf("PutObject %s ETag = %s, want %s", key, aws.ToString(po.ETag), want)
		}
		add("s3 PutObject %s ETag=%s CRC32=%s CRC64NVME=%s", key, aws.ToString(po.ETag),
			aws.ToString(po.ChecksumCRC32), aws.ToString(po.ChecksumCRC64NVME))
	}
	go1, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("docs/blob.bin"),
		ChecksumMode: s3types.ChecksumModeEnabled})
	if err != nil {
		return fail("s3 GetObject", err)
	}
	body, err := io.ReadAll(go1.Body)
	go1.Body.Close()
	if err != nil {
		return fail("s3 GetObject body", err)
	}
	if !bytes.Equal(body, objects["docs/blob.bin"]) {
		t.Errorf("GetObject body: %d bytes differ from the %d put", len(body), len(objects["docs/blob.bin"]))
	}
	add("s3 GetObject body=%x ETag=%s Length=%d Type=%s Meta=%v LastModified=%s CRC32=%s CRC64NVME=%s",
		md5.Sum(body), aws.ToString(go1.ETag), aws.ToInt64(go1.ContentLength), aws.ToString(go1.ContentType),
		go1.Metadata, aws.ToTime(go1.LastModified).Format(time.RFC3339Nano),
		aws.ToString(go1.ChecksumCRC32), aws.ToString(go1.ChecksumCRC64NVME))
	lo, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String("docs/")})
	if err != nil {
		return fail("s3 ListObjectsV2", err)
	}
	if len(lo.Contents) != 2 {
		t.Errorf("ListObjectsV2: %d objects, want 2", len(lo.Contents))
	}
	add("s3 ListObjectsV2 KeyCount=%d Truncated=%v", aws.ToInt32(lo.KeyCount), aws.ToBool(lo.IsTruncated))
	for _, o := range lo.Contents {
		add("s3 ListObjectsV2 %s ETag=%s Size=%d LastModified=%s Class=%s", aws.ToString(o.Key), aws.ToString(o.ETag),
			aws.ToInt64(o.Size), aws.ToTime(o.LastModified).Format(time.RFC3339Nano), o.StorageClass)
	}

	// DynamoDB: table with a composite key, items, a read and a query.
	ddb := dynamodb.NewFromConfig(cfg)
	table := "rec-sdk-orders"
	ct, err := ddb.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: &table,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: ddbtypes.ScalarAttributeTypeN},
		},
		KeySchema: []ddbtypes.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: ddbtypes.KeyTypeRange},
		},
		BillingMode: ddbtypes.BillingModePayPerRequest})
	if err != nil {
		return fail("dynamodb CreateTable", err)
	}
	td := ct.TableDescription
	add("dynamodb CreateTable Name=%s Arn=%s Status=%s Created=%s Id=%s", aws.ToString(td.TableName), aws.ToString(td.TableArn),
		td.TableStatus, aws.ToTime(td.CreationDateTime).Format(time.RFC3339Nano), aws.ToString(td.TableId))
	for i := 1; i <= 3; i++ {
		item, err := attributevalue.MarshalMap(map[string]any{"pk": "customer-7", "sk": i,
			"total": float64(i) * 12.5, "tags": []string{"a", fmt.Sprint(i)}, "raw": []byte{byte(i), 0xff}})
		if err != nil {
			t.Fatal(err)
		}
		pi, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item,
			ReturnConsumedCapacity: ddbtypes.ReturnConsumedCapacityTotal})
		if err != nil {
			return fail("dynamodb PutItem", err)
		}
		add("dynamodb PutItem %d Capacity=%v", i, aws.ToFloat64(pi.ConsumedCapacity.CapacityUnits))
	}
	gi, err := ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, ConsistentRead: aws.Bool(true),
		Key: map[string]ddbtypes.AttributeValue{
			"pk": &ddbtypes.AttributeValueMemberS{Value: "customer-7"},
			"sk": &ddbtypes.AttributeValueMemberN{Value: "2"},
		}})
	if err != nil {
		return fail("dynamodb GetItem", err)
	}
	var got map[string]any
	if err := attributevalue.UnmarshalMap(gi.Item, &got); err != nil {
		t.Fatal(err)
	}
	if got["total"] != 25.0 {
		t.Errorf("GetItem total = %v, want 25", got["total"])
	}
	add("dynamodb GetItem %v", got)
	qo, err := ddb.Query(ctx, &dynamodb.QueryInput{TableName: &table,
		KeyConditionExpression: aws.String("pk = :p AND sk >= :s"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":p": &ddbtypes.AttributeValueMemberS{Value: "customer-7"},
			":s": &ddbtypes.AttributeValueMemberN{Value: "2"},
		},
		ScanIndexForward: aws.Bool(false)})
	if err != nil {
		return fail("dynamodb Query", err)
	}
	if qo.Count != 2 {
		t.Errorf("Query Count = %d, want 2", qo.Count)
	}
	add("dynamodb Query Count=%d Scanned=%d", qo.Count, qo.ScannedCount)
	for _, it := range qo.Items {
		var m map[string]any
		if err := attributevalue.UnmarshalMap(it, &m); err != nil {
			t.Fatal(err)
		}
		add("dynamodb Query item %v", m)
	}

	// SQS: the SDK checks MD5OfMessageBody/MD5OfMessageAttributes on send
	// and receive, so a stale digest fails the call.
	sq := sqs.NewFromConfig(cfg)
	cq, err := sq.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("rec-sdk-queue")})
	if err != nil {
		return fail("sqs CreateQueue", err)
	}
	add("sqs CreateQueue Url=%s", aws.ToString(cq.QueueUrl))
	msg := "order 7 shipped"
	sm, err := sq.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: cq.QueueUrl, MessageBody: &msg,
		MessageAttributes: map[string]sqstypes.MessageAttributeValue{
			"kind": {DataType: aws.String("String"), StringValue: aws.String("shipment")},
			"n":    {DataType: aws.String("Number"), StringValue: aws.String("7")},
		}})
	if err != nil {
		return fail("sqs SendMessage", err)
	}
	add("sqs SendMessage Id=%s MD5Body=%s MD5Attrs=%s", aws.ToString(sm.MessageId),
		aws.ToString(sm.MD5OfMessageBody), aws.ToString(sm.MD5OfMessageAttributes))
	rm, err := sq.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: cq.QueueUrl, MaxNumberOfMessages: 1,
		MessageAttributeNames: []string{"All"}, WaitTimeSeconds: 0})
	if err != nil {
		return fail("sqs ReceiveMessage", err)
	}
	if len(rm.Messages) != 1 {
		t.Fatalf("ReceiveMessage: %d messages, want 1", len(rm.Messages))
	}
	m := rm.Messages[0]
	if aws.ToString(m.Body) != msg || aws.ToString(m.MessageId) != aws.ToString(sm.MessageId) {
		t.Errorf("ReceiveMessage = %q (%s), want %q (%s)", aws.ToString(m.Body), aws.ToString(m.MessageId), msg, aws.ToString(sm.MessageId))
	}
	add("sqs ReceiveMessage Id=%s Body=%q Receipt=%s MD5Body=%s MD5Attrs=%s kind=%s n=%s", aws.ToString(m.MessageId),
		aws.ToString(m.Body), aws.ToString(m.ReceiptHandle), aws.ToString(m.MD5OfBody), aws.ToString(m.MD5OfMessageAttributes),
		aws.ToString(m.MessageAttributes["kind"].StringValue), aws.ToString(m.MessageAttributes["n"].StringValue))
	if _, err := sq.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: cq.QueueUrl, ReceiptHandle: m.ReceiptHandle}); err != nil {
		return fail("sqs DeleteMessage", err)
	}
	add("sqs DeleteMessage ok")
	return out
}

// TestRecorderSDKRecordReplay records aws-sdk-go-v2 S3, DynamoDB and SQS
// calls against an in-process emulator, closes it, and replays the same
// calls from the cassette with a transport that fails any network use: the
// SDK must see the same outputs (bodies, ETags, checksums, MD5s, items) and
// every recorded interaction must be used.
func TestRecorderSDKRecordReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sdk.yaml")

	ts := emulator.NewTestServer(t)
	live := loopbackTransport()
	defer live.CloseIdleConnections()
	rec, err := recorder.New(path, recorder.WithMode(recorder.Record), recorder.WithTransport(live), recorder.IgnoreEnv(),
		recorder.WithCredentials(recAccessKeyID, recSecretKey, ""))
	if err != nil {
		t.Fatal(err)
	}
	recorded := sdkWorkload(t, ts.URL, &http.Client{Transport: rec})
	t.Logf("recorded:\n%s", strings.Join(recorded, "\n"))
	if err := rec.Stop(); err != nil {
		t.Fatalf("saving the cassette: %v", err)
	}
	endpoint := ts.URL
	ts.Close()
	if !slices.ContainsFunc(recorded, func(l string) bool { return strings.Contains(l, "Url="+endpoint+"/") }) {
		t.Errorf("no recorded queue URL under %s", endpoint)
	}
	if findings, err := recorder.Check(path); err != nil || len(findings) != 0 {
		t.Errorf("cassette check: %v %v", findings, err)
	}
	if t.Failed() {
		t.FailNow()
	}

	const wantCalls = 5 + 6 + 4 // s3 (2 puts), dynamodb (3 puts), sqs
	ops := map[string]int{}
	for _, in := range rec.Interactions() {
		ops[in.Service+"."+in.Operation]++
	}
	if n := len(rec.Interactions()); n != wantCalls {
		t.Errorf("recorded %d interactions, want %d: %v", n, wantCalls, ops)
	}
	for op, n := range map[string]int{"s3.CreateBucket": 1, "s3.PutObject": 2, "s3.GetObject": 1, "s3.ListObjectsV2": 1,
		"dynamodb.CreateTable": 1, "dynamodb.PutItem": 3, "dynamodb.GetItem": 1, "dynamodb.Query": 1,
		"sqs.CreateQueue": 1, "sqs.SendMessage": 1, "sqs.ReceiveMessage": 1, "sqs.DeleteMessage": 1} {
		if ops[op] != n {
			t.Errorf("recorded %d %s, want %d (all: %v)", ops[op], op, n, ops)
		}
	}

	// Replay: the emulator is gone and any network use fails. Once at the
	// recorded endpoint, once at another one (the cassette stores an
	// endpoint placeholder, restored from the live request, so the queue
	// URL follows the replay's endpoint).
	for _, ep := range []struct{ name, url string }{{"same-endpoint", endpoint}, {"other-endpoint", "http://127.0.0.1:9"}} {
		t.Run(ep.name, func(t *testing.T) {
			offline := &noNetwork{}
			rep, err := recorder.New(path, recorder.WithMode(recorder.Replay), recorder.WithTransport(offline), recorder.IgnoreEnv())
			if err != nil {
				t.Fatal(err)
			}
			replayed := sdkWorkload(t, ep.url, &http.Client{Transport: rep})
			if n := offline.calls.Load(); n != 0 {
				t.Errorf("replay reached the network %d times", n)
			}
			want := make([]string, len(recorded))
			for i, l := range recorded {
				want[i] = strings.ReplaceAll(l, endpoint, ep.url)
			}
			if d := lineDiff(want, replayed); d != "" {
				t.Errorf("replayed SDK outputs differ from recorded (-recorded +replayed):\n%s", d)
			}
			for _, in := range rep.Unused() {
				t.Errorf("unused interaction #%d %s.%s", in.ID, in.Service, in.Operation)
			}
			if err := rep.Stop(); err != nil {
				t.Errorf("replay Stop: %v", err)
			}
		})
	}
}

// lineDiff lists the lines at which a and b differ, "" when they are equal.
func lineDiff(a, b []string) string {
	var sb strings.Builder
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			fmt.Fprintf(&sb, "- %s\n+ %s\n", x, y)
		}
	}
	return sb.String()
}
