package dynamodb_test

import (
	"context"
	"fmt"
	"net/url"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/dynamodb"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
)

// A conditional write and a Query against the in-process emulator, through
// the DynamoDB wire protocol.
func Example() {
	emu, _ := emulator.New(emulator.Options{Services: []string{"dynamodb"}})
	defer emu.Close()
	svc, _ := model.Load("dynamodb")
	codec := jsonrpc.New()
	endpoint, _ := url.Parse("http://localhost")
	call := func(op string, in map[string]any) (map[string]any, error) {
		req, err := codec.MarshalRequest(context.Background(), svc.Operations[op], endpoint, in)
		if err != nil {
			return nil, err
		}
		resp, err := emu.Transport().RoundTrip(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return codec.UnmarshalResponse(svc.Operations[op], resp)
	}
	_, _ = call("CreateTable", map[string]any{
		"TableName":            "Scores",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "player", "AttributeType": "S"}, map[string]any{"AttributeName": "score", "AttributeType": "N"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "player", "KeyType": "HASH"}, map[string]any{"AttributeName": "score", "KeyType": "RANGE"}},
		"BillingMode":          "PAY_PER_REQUEST",
	})
	for _, s := range []string{"10", "9.5", "100"} {
		_, _ = call("PutItem", map[string]any{"TableName": "Scores",
			"Item": map[string]any{"player": map[string]any{"S": "ann"}, "score": map[string]any{"N": s}}})
	}
	_, err := call("PutItem", map[string]any{"TableName": "Scores",
		"Item":                map[string]any{"player": map[string]any{"S": "ann"}, "score": map[string]any{"N": "10"}},
		"ConditionExpression": "attribute_not_exists(player)"})
	fmt.Println(err)
	out, _ := call("Query", map[string]any{"TableName": "Scores", "KeyConditionExpression": "player = :p AND score > :min",
		"ExpressionAttributeValues": map[string]any{":p": map[string]any{"S": "ann"}, ":min": map[string]any{"N": "9"}}})
	for _, it := range out["Items"].([]any) {
		fmt.Println(it.(map[string]any)["score"].(map[string]any)["N"])
	}
	// Output:
	// ConditionalCheckFailedException: The conditional request failed (HTTP 400)
	// 9.5
	// 10
	// 100
}
