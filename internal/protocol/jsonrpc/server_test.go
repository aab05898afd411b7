package jsonrpc_test

import (
	"bytes"
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
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc/jsontest"
)

const miniModel = `{
 "metadata": {"protocol": "json", "jsonVersion": "1.0", "targetPrefix": "DynamoDB_20120810",
   "apiVersion": "2012-08-10", "endpointPrefix": "dynamodb", "serviceId": "DynamoDB"},
 "operations": {
  "DescribeTable": {"name": "DescribeTable", "http": {"method": "POST", "requestUri": "/"},
   "input": {"shape": "In"}, "output": {"shape": "Out"}, "errors": [{"shape": "ResourceNotFoundException"}]}
 },
 "shapes": {
  "In": {"type": "structure", "required": ["TableName"], "members": {
    "TableName": {"shape": "S"}, "Limit": {"shape": "I"}}},
  "Out": {"type": "structure", "members": {"Count": {"shape": "I"}}},
  "ResourceNotFoundException": {"type": "structure", "members": {"message": {"shape": "S"}}, "exception": true},
  "S": {"type": "string"},
  "I": {"type": "integer"}
 }
}`

func mini(t testing.TB) (*model.Service, *model.Operation) {
	t.Helper()
	svc, err := model.Parse([]byte(miniModel))
	if err != nil {
		t.Fatal(err)
	}
	return svc, svc.Operations["DescribeTable"]
}

func post(target, body string) *http.Request {
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	return r
}

func apiErr(t *testing.T, err error) *protocol.APIError {
	t.Helper()
	var ae *protocol.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want *protocol.APIError", err)
	}
	return ae
}

func TestWrongTargetIsUnknownOperationException(t *testing.T) {
	svc, op := mini(t)
	for _, target := range []string{"", "DynamoDB_20120810.Nope", "Other.DescribeTable"} {
		_, err := jsonrpc.New().DecodeRequest(op, post(target, `{"TableName":"t"}`))
		if ae := apiErr(t, err); ae.Code != "UnknownOperationException" || ae.StatusCode != 400 {
			t.Errorf("target %q: %+v", target, ae)
		}
		if _, err := jsonrpc.OperationFor(svc, post(target, "{}")); apiErr(t, err).Code != "UnknownOperationException" {
			t.Errorf("OperationFor(%q) = %v", target, err)
		}
	}
}

func TestMalformedJSONIsSerializationException(t *testing.T) {
	_, op := mini(t)
	for _, body := range []string{`{"TableName":`, `[]`, `{"TableName": 5}`, `{"Limit": "ten"}`, `{"Limit": 1.5}`, `{} {}`} {
		_, err := jsonrpc.New().DecodeRequest(op, post("DynamoDB_20120810.DescribeTable", body))
		if ae := apiErr(t, err); ae.Code != "SerializationException" || ae.StatusCode != 400 {
			t.Errorf("body %s: %+v", body, ae)
		}
	}
	_, err := jsonrpc.New().DecodeRequest(op, post("DynamoDB_20120810.DescribeTable", `{"Limit": "ten"}`))
	if msg := apiErr(t, err).Message; !strings.Contains(msg, "STRING_VALUE cannot be converted to Integer") {
		t.Errorf("message = %q", msg)
	}
}

func TestBodyOverLimitIs413(t *testing.T) {
	_, op := mini(t)
	big := `{"TableName":"` + strings.Repeat("x", jsonrpc.MaxBodySize) + `"}`
	_, err := jsonrpc.New().DecodeRequest(op, post("DynamoDB_20120810.DescribeTable", big))
	if ae := apiErr(t, err); ae.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("%+v", ae)
	}
}

func TestUnknownMembersAreIgnored(t *testing.T) {
	_, op := mini(t)
	got, err := jsonrpc.New().DecodeRequest(op, post("DynamoDB_20120810.DescribeTable", `{"TableName":"t","New":{"x":[1]}}`))
	if err != nil || got["TableName"] != "t" || len(got) != 1 {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestErrorResponseCarriesTypeMessageAndRequestID(t *testing.T) {
	_, op := mini(t)
	rec := httptest.NewRecorder()
	e := protocol.NewError("ResourceNotFoundException", 400, "Requested resource not found")
	if err := jsonrpc.New().EncodeError(rec, op, e, protocol.ResponseMeta{RequestID: "R1"}); err != nil {
		t.Fatal(err)
	}
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	if got := string(body); got != `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}` {
		t.Errorf("body = %s", got)
	}
	if res.Header.Get("x-amzn-RequestId") != "R1" || res.Header.Get("Content-Type") != "application/x-amz-json-1.0" {
		t.Errorf("headers = %v", res.Header)
	}
}

func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"TableName":"t","Limit":3}`))
	f.Add([]byte(`{"TableName":{"a":[1,2,{"b":null}]}}`))
	f.Add([]byte(`{"Limit":1e400}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[`))
	f.Add([]byte(``))
	f.Add([]byte("\x1f\x8b"))
	_, op := mini(f)
	svc := jsontest.LoadModelOrNil(f, "dynamodb")
	var put *model.Operation
	if svc != nil {
		put = svc.Operations["PutItem"]
		f.Add([]byte(`{"TableName":"t","Item":{"id":{"S":"1"},"n":{"N":"5"},"l":{"L":[{"M":{"x":{"BOOL":true}}}]}}}`))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c := jsonrpc.New()
		r := post("DynamoDB_20120810.DescribeTable", string(body))
		if _, err := c.DecodeRequest(op, r); err != nil {
			apiErr(t, err)
		}
		if put != nil {
			r := post("DynamoDB_20120810.PutItem", string(body))
			if _, err := c.DecodeRequest(put, r); err != nil {
				apiErr(t, err)
			}
		}
	})
}

func BenchmarkPutItem(b *testing.B) {
	svc := jsontest.LoadModel(b, "dynamodb")
	op := svc.Operations["PutItem"]
	c := jsonrpc.New()
	ep, _ := url.Parse("https://dynamodb.us-east-1.amazonaws.com")
	item := map[string]any{"TableName": "Music", "Item": map[string]any{
		"Artist":    map[string]any{"S": "No One You Know"},
		"SongTitle": map[string]any{"S": "Call Me Today"},
		"Year":      map[string]any{"N": "2015"},
		"Tags":      map[string]any{"SS": []any{"pop", "indie"}},
		"Plays":     map[string]any{"L": []any{map[string]any{"N": "1"}, map[string]any{"N": "2"}}},
	}, "ConditionExpression": "attribute_not_exists(Artist)"}
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := c.MarshalRequest(context.Background(), op, ep, item); err != nil {
				b.Fatal(err)
			}
		}
	})
	req, err := c.MarshalRequest(context.Background(), op, ep, item)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req.Body = io.NopCloser(bytes.NewReader(body))
			if _, err := c.DecodeRequest(op, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func Example() {
	svc, _ := model.Parse([]byte(miniModel))
	op := svc.Operations["DescribeTable"]
	ep, _ := url.Parse("https://dynamodb.us-east-1.amazonaws.com")
	req, _ := jsonrpc.New().MarshalRequest(context.Background(), op, ep, map[string]any{"TableName": "Music"})
	body, _ := io.ReadAll(req.Body)
	fmt.Println(req.Method, req.URL, req.Header.Get("X-Amz-Target"))
	fmt.Println(string(body))
	// Output:
	// POST https://dynamodb.us-east-1.amazonaws.com/ DynamoDB_20120810.DescribeTable
	// {"TableName":"Music"}
}
