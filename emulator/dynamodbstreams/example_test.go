package dynamodbstreams_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
)

// A table with a stream: each write through DynamoDB is a record read back
// through DynamoDB Streams.
func Example() {
	emu, _ := emulator.New(emulator.Options{Services: []string{"dynamodb", "dynamodbstreams"}, Seed: 1})
	defer emu.Close()
	hc := &http.Client{Transport: emu.Transport()}
	codec := jsonrpc.New()
	call := func(service, op string, in map[string]any) map[string]any {
		svc, _ := model.Load(service)
		u, _ := url.Parse("http://localhost")
		req, _ := codec.MarshalRequest(context.Background(), svc.Operations[op], u, in)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
		resp, err := hc.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		out, err := codec.UnmarshalResponse(svc.Operations[op], resp)
		if err != nil {
			panic(err)
		}
		return out
	}
	t := call("dynamodb", "CreateTable", map[string]any{"TableName": "orders", "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "id", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "id", "KeyType": "HASH"}},
		"StreamSpecification":  map[string]any{"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}})
	arn := t["TableDescription"].(map[string]any)["LatestStreamArn"].(string)
	call("dynamodb", "PutItem", map[string]any{"TableName": "orders", "Item": map[string]any{"id": map[string]any{"S": "o-1"}}})
	call("dynamodb", "DeleteItem", map[string]any{"TableName": "orders", "Key": map[string]any{"id": map[string]any{"S": "o-1"}}})

	d := call("dynamodbstreams", "DescribeStream", map[string]any{"StreamArn": arn})["StreamDescription"].(map[string]any)
	shard := d["Shards"].([]any)[0].(map[string]any)["ShardId"]
	it := call("dynamodbstreams", "GetShardIterator", map[string]any{"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"})
	for _, r := range call("dynamodbstreams", "GetRecords", map[string]any{"ShardIterator": it["ShardIterator"]})["Records"].([]any) {
		rec := r.(map[string]any)
		fmt.Println(rec["eventName"], rec["dynamodb"].(map[string]any)["Keys"].(map[string]any)["id"].(map[string]any)["S"])
	}
	// Output:
	// INSERT o-1
	// REMOVE o-1
}
