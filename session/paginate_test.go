package session

import (
	"context"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func ddbPages(t *testing.T) (*fakeAWS, *Client) {
	srv := newFakeAWS(t,
		cannedResponse{200, nil, `{"TableNames":["t01","t02","t03"],"LastEvaluatedTableName":"t03"}`},
		cannedResponse{200, nil, `{"TableNames":["t04","t05","t06"],"LastEvaluatedTableName":"t06"}`},
		cannedResponse{200, nil, `{"TableNames":["t07"]}`})
	c, err := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// 4.34, 4.35: CanPaginate and OperationNotPageableError.
func TestCanPaginate_4_34(t *testing.T) {
	_, c := ddbPages(t)
	if !c.CanPaginate("list_tables") || c.CanPaginate("put_item") {
		t.Error("CanPaginate")
	}
	var onp *OperationNotPageableError
	if _, err := c.Paginator("put_item"); !errors.As(err, &onp) || err.Error() != "Operation cannot be paginated: put_item" {
		t.Errorf("err = %v", err)
	}
	p, _ := c.Paginator("ListTables")
	if p.Name() != "DynamoDB.Paginator.ListTables" {
		t.Errorf("Name = %s", p.Name())
	}
}

// 4.36, 4.37, 4.41: tokens flow, PageSize sets the limit key, full result concatenates.
func TestPaginatorFollowsTokens_4_36(t *testing.T) {
	srv, c := ddbPages(t)
	p, _ := c.Paginator("list_tables")
	full, err := p.Pages(context.Background(), nil, PaginationConfig{PageSize: 3}).BuildFullResult()
	if err != nil {
		t.Fatal(err)
	}
	if got := full["TableNames"]; len(got.([]any)) != 7 {
		t.Errorf("TableNames = %v", got)
	}
	if _, ok := full["NextToken"]; ok {
		t.Error("NextToken set without truncation")
	}
	reqs := srv.requests()
	if len(reqs) != 3 || !strings.Contains(reqs[0].Body, `"Limit":3`) || !strings.Contains(reqs[1].Body, `"ExclusiveStartTableName":"t03"`) {
		t.Errorf("requests = %+v", reqs)
	}
}

// 4.38, 4.39: MaxItems truncates mid-page; the resume token carries boto_truncate_amount
// and resuming skips the items already returned.
func TestMaxItemsAndResumeToken_4_39(t *testing.T) {
	_, c := ddbPages(t)
	p, _ := c.Paginator("list_tables")
	it := p.Pages(context.Background(), nil, PaginationConfig{MaxItems: 4})
	full, err := it.BuildFullResult()
	if err != nil {
		t.Fatal(err)
	}
	if got := full["TableNames"]; !reflect.DeepEqual(got, []any{"t01", "t02", "t03", "t04"}) {
		t.Errorf("TableNames = %v", got)
	}
	raw, _ := base64.StdEncoding.DecodeString(full["NextToken"].(string))
	if string(raw) != `{"ExclusiveStartTableName":"t03","boto_truncate_amount":1}` {
		t.Errorf("token = %s", raw)
	}

	srv2, c2 := ddbPages(t)
	srv2.responses = srv2.responses[1:]
	p2, _ := c2.Paginator("list_tables")
	full2, err := p2.Pages(context.Background(), nil, PaginationConfig{StartingToken: full["NextToken"].(string)}).BuildFullResult()
	if err != nil {
		t.Fatal(err)
	}
	if got := full2["TableNames"]; !reflect.DeepEqual(got, []any{"t05", "t06", "t07"}) {
		t.Errorf("resumed = %v", got)
	}
	if !strings.Contains(srv2.requests()[0].Body, `"ExclusiveStartTableName":"t03"`) {
		t.Errorf("resume request = %s", srv2.requests()[0].Body)
	}
}

// 4.42: Search flattens list results.
func TestSearchFlattens_4_42(t *testing.T) {
	_, c := ddbPages(t)
	p, _ := c.Paginator("list_tables")
	var got []any
	for v, err := range p.Pages(context.Background(), nil, PaginationConfig{}).Search("TableNames[?starts_with(@, 't0')] | [0]") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if !reflect.DeepEqual(got, []any{"t01", "t04", "t07"}) {
		t.Errorf("Search = %v", got)
	}
}

// 4.43: the same token twice is a PaginationError.
func TestSameTokenTwiceIsPaginationError_4_43(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{"TableNames":["aaa"],"LastEvaluatedTableName":"aaa"}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	p, _ := c.Paginator("list_tables")
	_, err := p.Pages(context.Background(), nil, PaginationConfig{}).BuildFullResult()
	var pe *PaginationError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "The same next token was received twice") {
		t.Errorf("err = %v", err)
	}
}

// 4.46–4.51: waiters.
func TestWaiterTableExists_4_48(t *testing.T) {
	notFound := cannedResponse{400, nil, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no"}`}
	active := cannedResponse{200, nil, `{"Table":{"TableName":"t","TableStatus":"ACTIVE"}}`}
	srv := newFakeAWS(t, notFound, notFound, active)
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	slept := noSleep(c)
	if got := c.WaiterNames(); !reflect.DeepEqual(got, []string{"table_exists", "table_not_exists"}) && !contains(got, "table_exists") {
		t.Errorf("WaiterNames = %v", got)
	}
	if _, err := c.Waiter("nope"); err == nil || err.Error() != "Waiter does not exist: nope" {
		t.Errorf("unknown waiter: %v", err)
	}
	w, err := c.Waiter("table_exists")
	if err != nil {
		t.Fatal(err)
	}
	if w.Delay() != 20*time.Second || w.MaxAttempts() != 25 {
		t.Errorf("4.47 defaults %v %d", w.Delay(), w.MaxAttempts())
	}
	if err := w.Wait(context.Background(), Params{"TableName": "t"}, WaiterConfig{Delay: time.Second}); err != nil {
		t.Fatal(err)
	}
	if len(*slept) != 2 || (*slept)[0] != time.Second {
		t.Errorf("slept %v", *slept)
	}

	// 4.49: exhausting attempts names the previously accepted state.
	srv2 := newFakeAWS(t, notFound)
	c2, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv2.URL})
	noSleep(c2)
	w2, _ := c2.Waiter("TableExists")
	err = w2.Wait(context.Background(), Params{"TableName": "t"}, WaiterConfig{MaxAttempts: 3})
	var we *WaiterError
	if !errors.As(err, &we) || err.Error() != "Waiter TableExists failed: Max attempts exceeded. Previously accepted state: Matched expected service error code: ResourceNotFoundException" {
		t.Errorf("err = %v", err)
	}
	if len(srv2.requests()) != 3 {
		t.Errorf("%d attempts", len(srv2.requests()))
	}

	// 4.51: an unmatched service error stops at once.
	srv3 := newFakeAWS(t, cannedResponse{500, nil, `{"__type":"InternalServerError","message":"x"}`})
	c3, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv3.URL, Config: &Config{Retries: &RetryConfig{TotalMaxAttempts: Int(1)}}})
	noSleep(c3)
	w3, _ := c3.Waiter("TableExists")
	err = w3.Wait(context.Background(), Params{"TableName": "t"}, WaiterConfig{})
	if !errors.As(err, &we) || err.Error() != "Waiter TableExists failed: An error occurred (InternalServerError): x" {
		t.Errorf("err = %v", err)
	}
}
