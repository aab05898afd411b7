package restjson_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/restjson"
)

const lambdaish = `{
 "metadata": {"protocol": "rest-json", "apiVersion": "2015-03-31", "endpointPrefix": "lambda", "serviceId": "Lambda"},
 "operations": {
  "Invoke": {"name": "Invoke", "http": {"method": "POST", "requestUri": "/2015-03-31/functions/{FunctionName}/invocations"},
   "input": {"shape": "InvokeIn"}, "output": {"shape": "InvokeOut"}, "errors": [{"shape": "ResourceNotFoundException"}]},
  "Upload": {"name": "Upload", "http": {"method": "PUT", "requestUri": "/upload/{Key+}"},
   "input": {"shape": "UploadIn"}, "output": {"shape": "UploadOut"}}
 },
 "shapes": {
  "InvokeIn": {"type": "structure", "required": ["FunctionName"], "payload": "Payload", "members": {
    "FunctionName": {"shape": "S", "location": "uri", "locationName": "FunctionName"},
    "InvocationType": {"shape": "S", "location": "header", "locationName": "X-Amz-Invocation-Type"},
    "Payload": {"shape": "B"}}},
  "InvokeOut": {"type": "structure", "payload": "Payload", "members": {
    "StatusCode": {"shape": "I", "location": "statusCode"},
    "FunctionError": {"shape": "S", "location": "header", "locationName": "X-Amz-Function-Error"},
    "Payload": {"shape": "B"}}},
  "UploadIn": {"type": "structure", "payload": "Body", "members": {
    "Key": {"shape": "S", "location": "uri", "locationName": "Key"},
    "Body": {"shape": "Stream"}}},
  "UploadOut": {"type": "structure", "payload": "Body", "members": {"Body": {"shape": "Stream"}}},
  "ResourceNotFoundException": {"type": "structure", "exception": true, "error": {"httpStatusCode": 404},
    "members": {"Type": {"shape": "S"}, "Message": {"shape": "S"}}},
  "S": {"type": "string"}, "I": {"type": "integer"}, "B": {"type": "blob"},
  "Stream": {"type": "blob", "streaming": true}
 }
}`

func load(t testing.TB) *model.Service {
	t.Helper()
	svc, err := model.Parse([]byte(lambdaish))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// onlyReader hides every method but Read, so nothing can buffer by type switch.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestStreamingPayloadPassesThroughUnbuffered(t *testing.T) {
	op := load(t).Operations["Upload"]
	src := onlyReader{strings.NewReader("streamed bytes")}
	ep, _ := url.Parse("https://lambda.example.com")
	req, err := restjson.New().MarshalRequest(context.Background(), op, ep, map[string]any{"Key": "a/b c", "Body": src})
	if err != nil {
		t.Fatal(err)
	}
	if req.ContentLength != -1 || req.URL.EscapedPath() != "/upload/a/b%20c" {
		t.Errorf("ContentLength %d, path %s", req.ContentLength, req.URL.EscapedPath())
	}
	in, err := restjson.New().DecodeRequest(op, req)
	if err != nil {
		t.Fatal(err)
	}
	if in["Body"] != req.Body {
		t.Errorf("server input body is %T, want the request body itself", in["Body"])
	}
	rec := httptest.NewRecorder()
	if err := restjson.New().EncodeResponse(rec, op, map[string]any{"Body": in["Body"]}, protocol.ResponseMeta{}); err != nil {
		t.Fatal(err)
	}
	out, err := restjson.New().UnmarshalResponse(op, rec.Result())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(out["Body"].(io.Reader))
	if string(b) != "streamed bytes" {
		t.Errorf("body = %q", b)
	}
}

func TestErrorUsesErrorTypeHeaderAndStatus(t *testing.T) {
	op := load(t).Operations["Invoke"]
	rec := httptest.NewRecorder()
	e := &protocol.APIError{Code: "ResourceNotFoundException", StatusCode: 404, Message: "Function not found",
		Fields: map[string]any{"Type": "User"}}
	if err := restjson.New().EncodeError(rec, op, e, protocol.ResponseMeta{RequestID: "r"}); err != nil {
		t.Fatal(err)
	}
	res := rec.Result()
	if res.StatusCode != 404 || res.Header.Get("X-Amzn-Errortype") != "ResourceNotFoundException" {
		t.Errorf("status %d, headers %v", res.StatusCode, res.Header)
	}
	_, err := restjson.New().UnmarshalResponse(op, res)
	var ae *protocol.APIError
	if !errors.As(err, &ae) || ae.Code != "ResourceNotFoundException" || ae.Message != "Function not found" || ae.Fields["Type"] != "User" {
		t.Errorf("got %+v", err)
	}
}

func TestMalformedBindingIsSerializationException(t *testing.T) {
	op := load(t).Operations["Invoke"]
	r := httptest.NewRequest("GET", "/not/the/path", nil)
	_, err := restjson.New().DecodeRequest(op, r)
	var ae *protocol.APIError
	if !errors.As(err, &ae) || ae.Code != "SerializationException" {
		t.Errorf("got %v", err)
	}
}

func FuzzDecodeRequest(f *testing.F) {
	f.Add("/2015-03-31/functions/f/invocations", "Event", []byte(`{"a":1}`))
	f.Add("/2015-03-31/functions/%zz/invocations", "", []byte{})
	f.Add("/upload/a/b", "x", []byte("raw"))
	svc := load(f)
	f.Fuzz(func(t *testing.T, path, header string, body []byte) {
		for _, op := range svc.Operations {
			r := &http.Request{Method: "POST", URL: &url.URL{Path: path}, Header: http.Header{},
				Body: io.NopCloser(strings.NewReader(string(body)))}
			r.Header.Set("X-Amz-Invocation-Type", header)
			if _, err := restjson.New().DecodeRequest(op, r); err != nil {
				var ae *protocol.APIError
				if !errors.As(err, &ae) {
					t.Fatalf("%s: non-API error %v", op.Name, err)
				}
			}
		}
	})
}

func Example() {
	svc, _ := model.Parse([]byte(lambdaish))
	op := svc.Operations["Invoke"]
	ep, _ := url.Parse("https://lambda.us-east-1.amazonaws.com")
	req, _ := restjson.New().MarshalRequest(context.Background(), op, ep, map[string]any{
		"FunctionName": "my-function", "InvocationType": "Event", "Payload": []byte(`{"ping":1}`)})
	body, _ := io.ReadAll(req.Body)
	fmt.Println(req.Method, req.URL)
	fmt.Println(req.Header.Get("X-Amz-Invocation-Type"), string(body))
	// Output:
	// POST https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/my-function/invocations
	// Event {"ping":1}
}
