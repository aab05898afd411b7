package recorder

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

// faultRequest builds the request an SDK sends for svc/op (through the
// service's own client codec), signed with a credential scope.
func faultRequest(t *testing.T, svc, op string, params map[string]any) (*http.Request, []byte, *model.Operation, protocol.Codec) {
	t.Helper()
	s, err := model.Load(svc)
	if err != nil {
		t.Fatal(err)
	}
	o := s.Operations[op]
	c, err := codecs.For(s)
	if err != nil || o == nil {
		t.Fatalf("%s %s: %v", svc, op, err)
	}
	u, _ := url.Parse("https://" + s.Metadata.EndpointPrefix + ".us-east-1.amazonaws.com")
	req, err := c.MarshalRequest(context.Background(), o, u, params)
	if err != nil {
		t.Fatal(err)
	}
	signing := s.Metadata.SigningName
	if signing == "" {
		signing = s.Metadata.EndpointPrefix
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/"+signing+"/aws4_request, SignedHeaders=host, Signature=abc")
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	return req, body, o, c
}

// Throttling and server faults are the service's own errors, encoded by
// its codec: what the SDK's client codec reads back is the code, status
// and type AWS sends.
func TestFaultsPerServiceAndProtocol(t *testing.T) {
	putItem := map[string]any{"TableName": "t", "Item": map[string]any{"id": map[string]any{"S": "1"}}}
	cases := []struct {
		svc, op string
		params  map[string]any
		fault   Fault
		code    string
		status  int
		body    string // a fragment of the wire body
	}{
		{"dynamodb", "PutItem", putItem, ThrottlingFault(), "ProvisionedThroughputExceededException", 400, `"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"`},
		{"dynamodb", "CreateTable", map[string]any{"TableName": "t"}, ThrottlingFault(), "ThrottlingException", 400, "ThrottlingException"},
		{"dynamodb", "PutItem", putItem, ServerFault(), "InternalServerError", 500, "InternalServerError"},
		{"sts", "GetCallerIdentity", map[string]any{}, ThrottlingFault(), "Throttling", 400, "<Type>Sender</Type><Code>Throttling</Code>"},
		{"sts", "GetCallerIdentity", map[string]any{}, ServerFault(), "InternalFailure", 500, "<Type>Receiver</Type><Code>InternalFailure</Code>"},
		{"s3", "GetObject", map[string]any{"Bucket": "b", "Key": "k"}, ThrottlingFault(), "SlowDown", 503, "<Code>SlowDown</Code>"},
		{"s3", "GetObject", map[string]any{"Bucket": "b", "Key": "k"}, ServerFault(), "InternalError", 500, "<Code>InternalError</Code>"},
		{"sqs", "SendMessage", map[string]any{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "MessageBody": "m"}, ThrottlingFault(), "RequestThrottled", 400, "RequestThrottled"},
		{"sqs", "ListQueues", map[string]any{}, ThrottlingFault(), "RequestThrottled", 400, "RequestThrottled"},
		{"kms", "ListKeys", map[string]any{}, ThrottlingFault(), "ThrottlingException", 400, `"__type":"ThrottlingException"`},
		{"kms", "ListKeys", map[string]any{}, ServerFault(), "KMSInternalException", 500, "KMSInternalException"},
		{"sns", "Publish", map[string]any{"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": "m"}, ServerFault(), "InternalError", 500, "<Code>InternalError</Code>"},
		{"dynamodb", "GetItem", map[string]any{"TableName": "t", "Key": map[string]any{}}, Fault{Status: 400, Code: "ValidationException", Message: "custom"}, "ValidationException", 400, "custom"},
	}
	for _, tc := range cases {
		t.Run(tc.svc+"/"+tc.op+"/"+tc.code, func(t *testing.T) {
			req, body, op, codec := faultRequest(t, tc.svc, tc.op, tc.params)
			resp, err := faultResponse(req, body, tc.fault)
			if err != nil {
				t.Fatal(err)
			}
			wire, _ := io.ReadAll(resp.Body)
			resp.Body = io.NopCloser(strings.NewReader(string(wire)))
			if resp.StatusCode != tc.status || !strings.Contains(string(wire), tc.body) {
				t.Errorf("answer %d %s, want %d with %s", resp.StatusCode, wire, tc.status, tc.body)
			}
			_, uerr := codec.UnmarshalResponse(op, resp)
			var ae *protocol.APIError
			if !errors.As(uerr, &ae) || ae.Code != tc.code || ae.StatusCode != tc.status {
				t.Fatalf("client reads %v, want %s %d (wire %s)", uerr, tc.code, tc.status, wire)
			}
			if ae.RequestID != faultRequestID {
				t.Errorf("request id %q", ae.RequestID)
			}
		})
	}
}

// Traffic no model places still gets a protocol-shaped fault.
func TestFaultWithoutModel(t *testing.T) {
	r, _ := http.NewRequest("POST", "http://x/", strings.NewReader(`{}`))
	r.Header.Set("X-Amz-Target", "Nope_1.Op")
	resp, _ := faultResponse(r, []byte(`{}`), ThrottlingFault())
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), `"__type":"ThrottlingException"`) {
		t.Errorf("json: %d %s", resp.StatusCode, b)
	}
	r, _ = http.NewRequest("GET", "http://x/bucket/key", nil)
	resp, _ = faultResponse(r, nil, ThrottlingFault())
	b, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 503 || !strings.Contains(string(b), "<Code>SlowDown</Code>") {
		t.Errorf("rest-xml: %d %s", resp.StatusCode, b)
	}
}
