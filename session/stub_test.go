package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func stubClient(t *testing.T, service string) (*Client, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Write([]byte(`{"TableNames":["from-network"]}`))
	}))
	t.Cleanup(srv.Close)
	c, err := testSession(t).Client(service, ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return c, &hits
}

// 5.21, 5.22: an active Stubber answers calls in order from its queue without
// a request; stubbed successes carry no ResponseMetadata; after Deactivate
// the client goes to the network again.
func TestStubberAnswersInOrderWithoutNetwork_5_21(t *testing.T) {
	c, hits := stubClient(t, "dynamodb")
	stub := NewStubber(c)
	if err := stub.AddResponse("list_tables", map[string]any{"TableNames": []any{"alpha", "beta"}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := stub.AddResponse("DescribeTable", map[string]any{"Table": map[string]any{"TableName": "alpha", "ItemCount": 3}},
		map[string]any{"TableName": "alpha"}); err != nil {
		t.Fatal(err)
	}
	stub.Activate()
	stub.Activate() // unique ids: registering twice registers once
	ctx := context.Background()
	out, err := c.Call(ctx, "ListTables", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(out.List("TableNames")); got != "[alpha beta]" {
		t.Errorf("TableNames = %s", got)
	}
	if out.ResponseMetadata.HTTPStatusCode != 0 || out.ResponseMetadata.RequestID != "" {
		t.Errorf("stubbed success has ResponseMetadata %+v", out.ResponseMetadata)
	}
	if err := stub.AssertNoPendingResponses(); err == nil || err.Error() != "1 responses remaining in queue." {
		t.Errorf("AssertNoPendingResponses = %v", err)
	}
	out, err = c.Call(ctx, "describe_table", Params{"TableName": "alpha"})
	if err != nil {
		t.Fatal(err)
	}
	if n := out.Int("Table.ItemCount"); n != 3 { // normalised to int64 like parsed output
		t.Errorf("ItemCount = %d", n)
	}
	if err := stub.AssertNoPendingResponses(); err != nil {
		t.Error(err)
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests reached the network while stubbed", hits.Load())
	}
	stub.Deactivate()
	out, err = c.Call(ctx, "ListTables", nil)
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 1 || out.String("TableNames[0]") != "from-network" {
		t.Errorf("after Deactivate: hits %d, output %v", hits.Load(), out.Data)
	}
}

// 5.22: the call-order and parameter failures are botocore's error types and
// texts, and the failed call consumes nothing.
func TestStubberErrors_5_22(t *testing.T) {
	ctx := context.Background()
	t.Run("empty queue is UnStubbedResponseError", func(t *testing.T) {
		c, _ := stubClient(t, "dynamodb")
		stub := NewStubber(c)
		stub.Activate()
		_, err := c.Call(ctx, "ListTables", nil)
		var ue *UnStubbedResponseError
		if !errors.As(err, &ue) || ue.Operation != "ListTables" || !strings.HasPrefix(ue.Reason, "Unexpected API Call") {
			t.Fatalf("err = %v", err)
		}
		if !strings.HasPrefix(err.Error(), "Error getting response stub for operation ListTables: ") {
			t.Errorf("text %q", err)
		}
	})
	t.Run("wrong operation is StubResponseError", func(t *testing.T) {
		c, _ := stubClient(t, "dynamodb")
		stub := NewStubber(c)
		stub.AddResponse("ListTables", map[string]any{}, nil)
		stub.Activate()
		_, err := c.Call(ctx, "DescribeTable", Params{"TableName": "x"})
		var se *StubResponseError
		if !errors.As(err, &se) || se.Reason != "Operation mismatch: found response for ListTables." {
			t.Fatalf("err = %v", err)
		}
		if stub.AssertNoPendingResponses() == nil {
			t.Error("mismatched call consumed the response")
		}
	})
	t.Run("wrong params is StubAssertionError with a diff", func(t *testing.T) {
		c, _ := stubClient(t, "dynamodb")
		stub := NewStubber(c)
		stub.AddResponse("DescribeTable", map[string]any{}, map[string]any{"TableName": "want"})
		stub.Activate()
		_, err := c.Call(ctx, "DescribeTable", Params{"TableName": "got"})
		var ae *StubAssertionError
		if !errors.As(err, &ae) {
			t.Fatalf("err = %v", err)
		}
		for _, s := range []string{"Expected parameters:\n{\"TableName\": want},\nbut received:\n{\"TableName\": got}", `-`, `"want"`, `+`, `"got"`} {
			if !strings.Contains(ae.Reason, s) {
				t.Errorf("reason %q lacks %q", ae.Reason, s)
			}
		}
	})
	t.Run("extra param is StubAssertionError", func(t *testing.T) {
		c, _ := stubClient(t, "dynamodb")
		stub := NewStubber(c)
		stub.AddResponse("Scan", map[string]any{}, map[string]any{"TableName": "t"})
		stub.Activate()
		_, err := c.Call(ctx, "Scan", Params{"TableName": "t", "Limit": 5})
		var ae *StubAssertionError
		if !errors.As(err, &ae) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ANY matches any value, nested too, and numbers by value", func(t *testing.T) {
		c, _ := stubClient(t, "dynamodb")
		stub := NewStubber(c)
		stub.AddResponse("Scan", map[string]any{"Count": 0}, map[string]any{
			"TableName": ANY, "Limit": int64(5), "ExpressionAttributeNames": map[string]any{"#k": ANY}})
		stub.Activate()
		if _, err := c.Call(ctx, "Scan", Params{"TableName": "t", "Limit": 5,
			"ExpressionAttributeNames": map[string]any{"#k": "key"}}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("response failing the output shape is ParamValidationError", func(t *testing.T) {
		c, _ := stubClient(t, "dynamodb")
		stub := NewStubber(c)
		err := stub.AddResponse("ListTables", map[string]any{"TableNames": "not-a-list"}, nil)
		var pe *ParamValidationError
		if !errors.As(err, &pe) {
			t.Fatalf("err = %v", err)
		}
		err = stub.AddResponse("ListTables", map[string]any{"Bogus": 1}, nil)
		if !errors.As(err, &pe) || !strings.Contains(pe.Error(), `Unknown parameter in input: "Bogus"`) {
			t.Fatalf("err = %v", err)
		}
		// ResponseMetadata is not validated and fills the output's metadata.
		if err := stub.AddResponse("ListTables", map[string]any{"ResponseMetadata": map[string]any{"RequestId": "r1", "HTTPStatusCode": 200}}, nil); err != nil {
			t.Fatal(err)
		}
		stub.Activate()
		out, err := c.Call(ctx, "ListTables", nil)
		if err != nil || out.ResponseMetadata.RequestID != "r1" || out.ResponseMetadata.HTTPStatusCode != 200 {
			t.Fatalf("out %+v err %v", out, err)
		}
	})
	t.Run("operation without output accepts only ResponseMetadata", func(t *testing.T) {
		c, _ := stubClient(t, "sqs")
		stub := NewStubber(c)
		err := stub.AddResponse("DeleteQueue", map[string]any{"X": 1}, nil)
		var pe *ParamValidationError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "Service response should only contain ResponseMetadata.") {
			t.Fatalf("err = %v", err)
		}
		if err := stub.AddResponse("DeleteQueue", map[string]any{}, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("unknown method", func(t *testing.T) {
		c, _ := stubClient(t, "dynamodb")
		var ue *UnknownClientMethodError
		if err := NewStubber(c).AddResponse("no_such_method", nil, nil); !errors.As(err, &ue) {
			t.Fatalf("err = %v", err)
		}
	})
}

// 5.22: AddClientError makes the call fail with the service's error: code,
// message, status (400 by default), Modeled for the service's own codes, and
// the error meta as fields.
func TestStubberClientError_5_22(t *testing.T) {
	c, hits := stubClient(t, "dynamodb")
	stub := NewStubber(c)
	if err := stub.AddClientError("describe_table", "ResourceNotFoundException", "Requested resource not found", 0,
		map[string]any{"TableName": "t"}, map[string]any{"TableName": "t"}); err != nil {
		t.Fatal(err)
	}
	if err := stub.AddClientError("ListTables", "Throttled", "slow down", 503, nil); err != nil {
		t.Fatal(err)
	}
	stub.Activate()
	_, err := c.Call(context.Background(), "DescribeTable", Params{"TableName": "t"})
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	if ae.Code != "ResourceNotFoundException" || ae.HTTPStatus != 400 || !ae.Modeled || ae.Fields["TableName"] != "t" ||
		err.Error() != "An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found" {
		t.Errorf("APIError %+v: %v", ae, err)
	}
	_, err = c.Call(context.Background(), "ListTables", nil)
	if !errors.As(err, &ae) || ae.Code != "Throttled" || ae.HTTPStatus != 503 || ae.Modeled {
		t.Errorf("second error %+v", ae)
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests reached the network", hits.Load())
	}
	if err := stub.AssertNoPendingResponses(); err != nil {
		t.Error(err)
	}
	if err := stub.AddClientError("ListTables", "X", "y", 400, nil, nil, nil); err == nil {
		t.Error("two expectedParams accepted")
	}
}

// ExampleStubber queues a DynamoDB answer: the call makes no request.
func ExampleStubber() {
	s, _ := New(Options{Region: "us-east-1", AccessKeyID: "AKID", SecretAccessKey: "secret"})
	ddb, _ := s.Client("dynamodb", ClientOptions{})
	stub := NewStubber(ddb)
	stub.AddResponse("GetItem", map[string]any{"Item": map[string]any{"id": map[string]any{"S": "42"}}},
		map[string]any{"TableName": "users", "Key": ANY})
	stub.Activate()
	defer stub.Deactivate()

	out, err := ddb.Call(context.Background(), "get_item", Params{"TableName": "users",
		"Key": map[string]any{"id": map[string]any{"S": "42"}}})
	fmt.Println(out.String("Item.id.S"), err, stub.AssertNoPendingResponses())
	// Output: 42 <nil> <nil>
}

// 5.21: paginators and waiters call through the client, so a Stubber answers
// them too; the second page's request carries the first page's token.
func TestStubberAnswersPaginator_5_21(t *testing.T) {
	c, hits := stubClient(t, "dynamodb")
	stub := NewStubber(c)
	stub.AddResponse("ListTables", map[string]any{"TableNames": []any{"one", "two"}, "LastEvaluatedTableName": "two"}, map[string]any{})
	stub.AddResponse("ListTables", map[string]any{"TableNames": []any{"three"}}, map[string]any{"ExclusiveStartTableName": "two"})
	stub.Activate()
	p, err := c.Paginator("list_tables")
	if err != nil {
		t.Fatal(err)
	}
	full, err := p.Pages(context.Background(), nil, PaginationConfig{}).BuildFullResult()
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(full["TableNames"]); got != "[one two three]" || hits.Load() != 0 {
		t.Errorf("full result %v, %d requests", full, hits.Load())
	}
	if err := stub.AssertNoPendingResponses(); err != nil {
		t.Error(err)
	}
}
