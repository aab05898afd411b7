package session_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/session"
)

// callLog records every operation (with its params) the session sends.
type callLog struct {
	mu    sync.Mutex
	calls []string
	ps    []map[string]any
}

func (l *callLog) attach(t *testing.T, s *session.Session) {
	t.Helper()
	if _, err := s.Events().Register("before-call", func(_ context.Context, e *session.Event) (any, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.calls = append(l.calls, e.Operation)
		l.ps = append(l.ps, e.Params)
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
}

func (l *callLog) reset() { l.mu.Lock(); l.calls, l.ps = nil, nil; l.mu.Unlock() }

// 6.10: bucket.objects.page_size(2).delete() through the emulator runs
// ListObjects then one DeleteObjects per page with Delete.Objects[].Key
// from the page's resources, and returns one response per request;
// Filter narrows what is deleted; ObjectVersion's "[*]" targets carry
// Key and VersionId at the same index.
func TestCollectionBatchActionThroughEmulator_6_10(t *testing.T) {
	srv := emulator.NewTestServer(t)
	ctx := context.Background()
	sess := emuSession(t)
	var log callLog
	log.attach(t, sess)
	s3, err := sess.Resource("s3", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	bucket, _ := s3.Resource("Bucket", "batch")
	if _, err := bucket.Action(ctx, "create", nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := bucket.Action(ctx, "put_object", session.Params{"Key": fmt.Sprintf("a/%d", i), "Body": strings.NewReader("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bucket.Action(ctx, "put_object", session.Params{"Key": "keep", "Body": strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	objs, _ := bucket.Collection("objects")
	if got := objs.BatchActions(); !reflect.DeepEqual(got, []string{"Delete"}) {
		t.Errorf("batch actions %v", got)
	}
	log.reset()
	outs, err := objs.Filter(session.Params{"Prefix": "a/"}).PageSize(2).BatchAction(ctx, "delete", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 3 {
		t.Fatalf("%d responses, want 3 (pages of 2, 2, 1)", len(outs))
	}
	if want := "ListObjects,DeleteObjects,ListObjects,DeleteObjects,ListObjects,DeleteObjects"; strings.Join(log.calls, ",") != want {
		t.Errorf("calls %v, want %s", log.calls, want)
	}
	wantDel := map[string]any{"Objects": []any{map[string]any{"Key": "a/0"}, map[string]any{"Key": "a/1"}}}
	if log.ps[1]["Bucket"] != "batch" || !reflect.DeepEqual(log.ps[1]["Delete"], wantDel) {
		t.Errorf("first DeleteObjects params %#v", log.ps[1])
	}
	if n := len(outs[2].Data["Deleted"].([]any)); n != 1 {
		t.Errorf("last page deleted %d", n)
	}
	var left []string
	for o, err := range objs.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, o.Identifier("Key"))
	}
	if strings.Join(left, ",") != "keep" {
		t.Errorf("left %v", left)
	}
	// Caller params merge over the built ones (Quiet), and an empty
	// collection sends no DeleteObjects.
	log.reset()
	outs, err = objs.BatchAction(ctx, "Delete", session.Params{"Delete": map[string]any{"Quiet": true, "Objects": []any{map[string]any{"Key": "keep"}}}})
	if err != nil || len(outs) != 1 {
		t.Fatalf("quiet delete %v %v", outs, err)
	}
	log.reset()
	if outs, err = objs.BatchAction(ctx, "delete", nil); err != nil || len(outs) != 0 || strings.Join(log.calls, ",") != "ListObjects" {
		t.Errorf("empty bucket: %d outputs, %v, calls %v", len(outs), err, log.calls)
	}
	if _, err := objs.BatchAction(ctx, "nope", nil); err == nil {
		t.Error("unknown batch action accepted")
	}

	// ObjectVersion: Delete.Objects[*].Key and [*].VersionId pair up.
	vb, _ := s3.Resource("Bucket", "versions")
	if _, err := vb.Action(ctx, "create", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s3.Client().Call(ctx, "PutBucketVersioning", session.Params{"Bucket": "versions", "VersioningConfiguration": map[string]any{"Status": "Enabled"}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := vb.Action(ctx, "put_object", session.Params{"Key": "k", "Body": strings.NewReader("x")}); err != nil {
			t.Fatal(err)
		}
	}
	versions, _ := vb.Collection("object_versions")
	log.reset()
	if outs, err = versions.BatchAction(ctx, "delete", nil); err != nil || len(outs) != 1 {
		t.Fatalf("versions delete %d %v", len(outs), err)
	}
	objsParam := log.ps[len(log.ps)-1]["Delete"].(map[string]any)["Objects"].([]any)
	if len(objsParam) != 3 {
		t.Fatalf("objects %v", objsParam)
	}
	for _, o := range objsParam {
		m := o.(map[string]any)
		if m["Key"] != "k" || m["VersionId"] == nil || m["VersionId"] == "" {
			t.Errorf("version entry %v", m)
		}
	}
	out, err := s3.Client().Call(ctx, "ListObjectVersions", session.Params{"Bucket": "versions"})
	if err != nil {
		t.Fatal(err)
	}
	if v := out.Data["Versions"]; v != nil && len(v.([]any)) != 0 {
		t.Errorf("versions left %v", v)
	}
}

// 6.14: resources-1.json load definitions as boto3 reads them — S3 Object
// loads via HeadObject with path "@" (the whole output), DynamoDB Table via
// DescribeTable with path "Table", SQS Queue via
// GetQueueAttributes(AttributeNames=['All']) with path "@" (boto3's
// queue.attributes is the Attributes map).
func TestResourceLoadDefinitionsThroughEmulator_6_14(t *testing.T) {
	srv := emulator.NewTestServer(t)
	ctx := context.Background()
	sess := emuSession(t)
	var log callLog
	log.attach(t, sess)
	opts := session.ClientOptions{EndpointURL: srv.URL}

	s3, _ := sess.Resource("s3", opts)
	if _, err := s3.Client().Call(ctx, "CreateBucket", session.Params{"Bucket": "ldb"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3.Client().Call(ctx, "PutObject", session.Params{"Bucket": "ldb", "Key": "k", "Body": strings.NewReader("abc"), "ContentType": "text/x"}); err != nil {
		t.Fatal(err)
	}
	obj, _ := s3.Resource("Object", "ldb", "k")
	log.reset()
	if err := obj.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Join(log.calls, ",") != "HeadObject" || log.ps[0]["Bucket"] != "ldb" || log.ps[0]["Key"] != "k" {
		t.Errorf("Object load sent %v %v", log.calls, log.ps)
	}
	if obj.Data()["ContentType"] != "text/x" || obj.Data()["ETag"] == nil {
		t.Errorf("Object data (path @) %v", obj.Data())
	}

	ddb, _ := sess.Resource("dynamodb", opts)
	if _, err := ddb.Client().Call(ctx, "CreateTable", session.Params{"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}}}); err != nil {
		t.Fatal(err)
	}
	table, _ := ddb.Resource("Table", "tbl")
	log.reset()
	if err := table.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Join(log.calls, ",") != "DescribeTable" || log.ps[0]["TableName"] != "tbl" {
		t.Errorf("Table load sent %v %v", log.calls, log.ps)
	}
	if table.Data()["TableName"] != "tbl" || table.Data()["Table"] != nil {
		t.Errorf("Table data (path Table) %v", table.Data())
	}

	sqs, _ := sess.Resource("sqs", opts)
	res, err := sqs.Action(ctx, "create_queue", session.Params{"QueueName": "q"})
	if err != nil {
		t.Fatal(err)
	}
	q := res.Resources[0]
	log.reset()
	if err := q.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Join(log.calls, ",") != "GetQueueAttributes" || !reflect.DeepEqual(log.ps[0]["AttributeNames"], []any{"All"}) {
		t.Errorf("Queue load sent %v %v", log.calls, log.ps)
	}
	if attrs, _ := q.Get(ctx, "attributes"); attrs == nil || attrs.(map[string]any)["QueueArn"] == nil {
		t.Errorf("Queue attributes (path @) %v", q.Data())
	}
}
