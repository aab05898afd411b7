package recorder_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/fakecloud/fakecloud/recorder"
)

// Throttle the first DynamoDB PutItem of a replay: the answer is
// DynamoDB's own ProvisionedThroughputExceededException, and the recorded
// interaction still answers the retry.
func ExampleThrottlingFault() {
	dir, _ := os.MkdirTemp("", "fault")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "put.yaml")
	const body = `{"TableName":"orders","Item":{"id":{"S":"1"}}}`
	put := func() *http.Request {
		req, _ := http.NewRequest("POST", "https://dynamodb.us-east-1.amazonaws.com/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.PutItem")
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0123")
		return req
	}
	recorder.WriteCassette(path, &recorder.Cassette{Version: recorder.CassetteVersion, Interactions: []*recorder.Interaction{{
		Request:  recorder.Request{Method: "POST", URL: "https://dynamodb.us-east-1.amazonaws.com/", Headers: put().Header, Body: []byte(body)},
		Response: &recorder.Response{Status: 200, Headers: http.Header{"Content-Type": {"application/x-amz-json-1.0"}}, Body: []byte(`{}`)},
	}}})
	rec, err := recorder.New(path, recorder.IgnoreEnv(),
		recorder.InjectFault(recorder.OnCall("dynamodb", "PutItem", 1), recorder.ThrottlingFault()))
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 2; i++ {
		resp, err := rec.RoundTrip(put())
		if err != nil {
			fmt.Println(err)
			return
		}
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(b))
	}
	// Output:
	// 400 {"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."}
	// 200 {}
}
