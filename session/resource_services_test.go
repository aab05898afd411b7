package session_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
	"github.com/fakecloud/fakecloud/session"
	ddbtypes "github.com/fakecloud/fakecloud/session/dynamodb"
)

// 6.01–6.09, 6.15–6.17, 1.17: the DynamoDB Table resource through the
// emulator takes and returns plain Go values, as boto3's Table accepts plain
// Python values: create_table, wait_until_exists, put_item with nested
// maps/lists/sets/binary/null, get_item (N back as Decimal, sets as sets),
// query with Key/Attr conditions (placeholders merged into the caller's
// ExpressionAttributeNames), update_item, a conditional put refused, and
// the float error before anything is sent. A plain client from the same
// session keeps AttributeValues.
func TestDynamoDBTableResourceThroughEmulator(t *testing.T) {
	srv := emulator.NewTestServer(t)
	ctx := context.Background()
	sess := emuSession(t)
	ddb, err := sess.Resource("dynamodb", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ddb.Action(ctx, "create_table", session.Params{"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}, map[string]any{"AttributeName": "sk", "AttributeType": "N"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}, map[string]any{"AttributeName": "sk", "KeyType": "RANGE"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Resources) != 1 || res.Resources[0].String() != "dynamodb.Table(name='tbl')" {
		t.Fatalf("created %v", res.Resources)
	}
	table := res.Resources[0]
	if err := table.Wait(ctx, "wait_until_exists", session.WaiterConfig{MaxAttempts: 3}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		item := map[string]any{"pk": "a", "sk": i, "n": ddbtypes.Decimal(fmt.Sprint(6 + i)), "tags": ddbtypes.StringSet{"x", "y"},
			"doc": map[string]any{"list": []any{true, nil, "s"}, "bin": []byte{0, 0xff}}}
		if _, err := table.Action(ctx, "put_item", session.Params{"Item": item}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := table.Action(ctx, "get_item", session.Params{"Key": map[string]any{"pk": "a", "sk": 2}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"pk": "a", "sk": ddbtypes.Decimal("2"), "n": ddbtypes.Decimal("8"), "tags": ddbtypes.StringSet{"x", "y"},
		"doc": map[string]any{"list": []any{true, nil, "s"}, "bin": ddbtypes.Binary{0, 0xff}}}
	if item, _ := got.Output.Get("Item"); !reflect.DeepEqual(item, want) {
		t.Errorf("get_item Item = %#v\nwant %#v", item, want)
	}
	q, err := table.Action(ctx, "query", session.Params{
		"KeyConditionExpression": ddbtypes.Key("pk").Eq("a").And(ddbtypes.Key("sk").Gt(1)),
		"FilterExpression":       ddbtypes.Attr("n").Lt(ddbtypes.Decimal("9")).Or(ddbtypes.Attr("missing").Exists()),
		"ProjectionExpression":   "#p, sk", "ExpressionAttributeNames": map[string]any{"#p": "pk"}})
	if err != nil {
		t.Fatal(err)
	}
	if q.Output.Int("Count") != 1 || q.Output.Int("ScannedCount") != 2 {
		t.Fatalf("query Count/ScannedCount = %d/%d", q.Output.Int("Count"), q.Output.Int("ScannedCount"))
	}
	if item, _ := q.Output.Get("Items[0]"); !reflect.DeepEqual(item, map[string]any{"pk": "a", "sk": ddbtypes.Decimal("2")}) {
		t.Errorf("query item = %#v", item)
	}
	up, err := table.Action(ctx, "update_item", session.Params{"Key": map[string]any{"pk": "a", "sk": 3},
		"UpdateExpression": "SET n = n + :inc", "ExpressionAttributeValues": map[string]any{":inc": 10}, "ReturnValues": "UPDATED_NEW"})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := up.Output.Get("Attributes.n"); n != ddbtypes.Decimal("19") {
		t.Errorf("update_item n = %#v", n)
	}
	_, err = table.Action(ctx, "put_item", session.Params{"Item": map[string]any{"pk": "a", "sk": 1},
		"ConditionExpression": ddbtypes.Attr("pk").NotExists()})
	var ae *session.APIError
	if !errors.As(err, &ae) || ae.Code != "ConditionalCheckFailedException" {
		t.Errorf("conditional put: %v", err)
	}
	if _, err := table.Action(ctx, "put_item", session.Params{"Item": map[string]any{"pk": "a", "sk": 1.5}}); !errors.Is(err, ddbtypes.ErrFloat) {
		t.Errorf("float item: %v, want ErrFloat", err)
	}
	// Lazily loaded attributes come from DescribeTable.
	if n, err := table.Get(ctx, "ItemCount"); err != nil || n == nil {
		t.Errorf("ItemCount %v %v", n, err)
	}
	// A plain client is not transformed.
	c, err := sess.Client("dynamodb", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.Call(ctx, "GetItem", session.Params{"TableName": "tbl", "Key": map[string]any{"pk": map[string]any{"S": "a"}, "sk": map[string]any{"N": "2"}}})
	if err != nil || raw.String("Item.n.N") != "8" {
		t.Errorf("plain client GetItem: %v %v", raw, err)
	}
}

// 6.01–6.09: SQS Queue resource: create_queue returns a Queue identified
// by its URL; send_message and receive_messages (Message resources).
func TestSQSQueueResourceThroughEmulator(t *testing.T) {
	srv := emulator.NewTestServer(t)
	ctx := context.Background()
	sqs, err := emuSession(t).Resource("sqs", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sqs.Action(ctx, "create_queue", session.Params{"QueueName": "q1"})
	if err != nil || len(res.Resources) != 1 {
		t.Fatalf("create_queue %v %v", res, err)
	}
	queue := res.Resources[0]
	if queue.Identifier("Url") == "" {
		t.Fatalf("queue %v", queue)
	}
	if _, err := queue.Action(ctx, "send_message", session.Params{"MessageBody": "hello"}); err != nil {
		t.Fatal(err)
	}
	msgs, err := queue.Action(ctx, "receive_messages", session.Params{"MaxNumberOfMessages": 1})
	if err != nil || len(msgs.Resources) != 1 {
		t.Fatalf("receive_messages %v %v", msgs, err)
	}
	m := msgs.Resources[0]
	if m.Type() != "Message" || m.Data()["Body"] != "hello" || m.Identifier("ReceiptHandle") == "" {
		t.Errorf("message %v %v", m, m.Data())
	}
	if _, err := m.Action(ctx, "delete", nil); err != nil {
		t.Errorf("delete: %v", err)
	}
}

// 6.01–6.09: SNS Topic resource: create_topic, publish, subscriptions.
func TestSNSTopicResourceThroughEmulator(t *testing.T) {
	srv := emulator.NewTestServer(t)
	ctx := context.Background()
	sns, err := emuSession(t).Resource("sns", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sns.Action(ctx, "create_topic", session.Params{"Name": "t1"})
	if err != nil || len(res.Resources) != 1 {
		t.Fatalf("create_topic %v %v", res, err)
	}
	topic := res.Resources[0]
	if !strings.HasPrefix(topic.Identifier("Arn"), "arn:aws:sns:us-east-1:") || !strings.HasSuffix(topic.Identifier("Arn"), ":t1") {
		t.Errorf("arn %q", topic.Identifier("Arn"))
	}
	pub, err := topic.Action(ctx, "publish", session.Params{"Message": "hi"})
	if err != nil || pub.Output.String("MessageId") == "" {
		t.Fatalf("publish %v %v", pub, err)
	}
}

// 6.01, 6.05: IAM (no emulator yet): User resource loads through GetUser
// from a canned query answer.
func TestIAMUserResourceLoad(t *testing.T) {
	var action string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		action = r.PostForm.Get("Action") + " " + r.PostForm.Get("UserName")
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><Path>/</Path><UserName>bob</UserName><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/bob</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate></User></GetUserResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetUserResponse>`))
	}))
	defer srv.Close()
	iam, err := emuSession(t).Resource("iam", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	user, err := iam.Resource("User", "bob")
	if err != nil {
		t.Fatal(err)
	}
	arn, err := user.Get(context.Background(), "Arn")
	if err != nil || arn != "arn:aws:iam::123456789012:user/bob" || action != "GetUser bob" {
		t.Errorf("arn %v err %v action %q", arn, err, action)
	}
}
