package ec2_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/ec2"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

func TestRoundTripEC2Model(t *testing.T) {
	svc := xmltest.LoadBotocore(t, "ec2")
	xmltest.RoundTrip(t, svc, ec2.New(), 2, xmltest.NewGen(7))
}

const mini = `{
 "metadata": {"protocol": "ec2", "apiVersion": "2016-11-15", "serviceId": "EC2", "endpointPrefix": "ec2"},
 "operations": {"DescribeThings": {"name": "DescribeThings", "http": {"method": "POST", "requestUri": "/"},
    "input": {"shape": "In"}, "output": {"shape": "Out"}}},
 "shapes": {
  "In": {"type": "structure", "members": {
    "InstanceIds": {"shape": "Ids", "locationName": "InstanceId"},
    "DryRun": {"shape": "Boolean", "locationName": "dryRun"},
    "Filters": {"shape": "Filters", "locationName": "Filter"},
    "MaxResults": {"shape": "Integer", "queryName": "MaxItems", "locationName": "maxResults"}}},
  "Out": {"type": "structure", "members": {"Ids": {"shape": "Ids", "locationName": "instanceIdSet"}}},
  "Ids": {"type": "list", "member": {"shape": "String", "locationName": "item"}},
  "Filters": {"type": "list", "member": {"shape": "Filter", "locationName": "Filter"}},
  "Filter": {"type": "structure", "members": {"Name": {"shape": "String"}, "Values": {"shape": "Ids", "locationName": "Value"}}},
  "String": {"type": "string"}, "Boolean": {"type": "boolean"}, "Integer": {"type": "integer"}
 }
}`

func TestListsAreNameDotNAndEmptyListsAreNotSent(t *testing.T) {
	svc, err := model.Parse([]byte(mini))
	if err != nil {
		t.Fatal(err)
	}
	op := svc.Operations["DescribeThings"]
	req, err := ec2.New().MarshalRequest(context.Background(), op, &url.URL{Scheme: "https", Host: "ec2.us-east-1.amazonaws.com"}, map[string]any{
		"InstanceIds": []any{"i-1", "i-2"}, "DryRun": true, "MaxResults": int64(5),
		"Filters": []any{map[string]any{"Name": "tag:k", "Values": []any{}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	want := "Action=DescribeThings&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2&DryRun=true&Filter.1.Name=tag%3Ak&MaxItems=5"
	if d := xmltest.FormDiff(want, string(body)); d != "" {
		t.Errorf("%s\n got %s", d, body)
	}
}

func TestResponseAndErrorDocuments(t *testing.T) {
	svc, _ := model.Parse([]byte(mini))
	op := svc.Operations["DescribeThings"]
	rec := httptest.NewRecorder()
	if err := ec2.New().EncodeResponse(rec, op, map[string]any{"Ids": []any{"i-1"}}, protocol.ResponseMeta{RequestID: "r-1"}); err != nil {
		t.Fatal(err)
	}
	want := `<DescribeThingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><instanceIdSet><item>i-1</item></instanceIdSet></DescribeThingsResponse>`
	if d := xmltest.XMLDiff(want, rec.Body.String()); d != "" {
		t.Error(d)
	}
	rec = httptest.NewRecorder()
	if err := ec2.New().EncodeError(rec, op, protocol.NewError("InvalidInstanceID.NotFound", 400, "The instance ID 'i-1' does not exist"), protocol.ResponseMeta{RequestID: "r-2"}); err != nil {
		t.Fatal(err)
	}
	want = `<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message></Error></Errors><RequestID>r-2</RequestID></Response>`
	if d := xmltest.XMLDiff(want, rec.Body.String()); d != "" {
		t.Error(d)
	}
	_, err := ec2.New().UnmarshalResponse(op, rec.Result())
	var ae *protocol.APIError
	if !errors.As(err, &ae) || ae.Code != "InvalidInstanceID.NotFound" || ae.RequestID != "r-2" || ae.StatusCode != 400 {
		t.Errorf("client error %#v", err)
	}
}

func TestBadValueIsInvalidParameterValue(t *testing.T) {
	svc, _ := model.Parse([]byte(mini))
	r := httptest.NewRequest("POST", "/", strings.NewReader("Action=DescribeThings&Version=2016-11-15&MaxItems=ten"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err := ec2.New().DecodeRequest(svc.Operations["DescribeThings"], r)
	var ae *protocol.APIError
	if !errors.As(err, &ae) || ae.Code != "InvalidParameterValue" || ae.StatusCode != 400 {
		t.Errorf("got %v", err)
	}
}

func FuzzDecodeRequest(f *testing.F) {
	f.Add("Action=DescribeThings&InstanceId.1=i-1&Filter.1.Name=n&Filter.1.Value.1=v&MaxItems=3")
	f.Add("Action=DescribeThings&Filter.2.Value.0=x&DryRun=maybe")
	svc, err := model.Parse([]byte(mini))
	if err != nil {
		f.Fatal(err)
	}
	op := svc.Operations["DescribeThings"]
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		in, err := ec2.New().DecodeRequest(op, r)
		if err != nil {
			var ae *protocol.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("non-API error %v", err)
			}
			return
		}
		req, err := ec2.New().MarshalRequest(context.Background(), op, &url.URL{Scheme: "http", Host: "h"}, in)
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		b, _ := io.ReadAll(req.Body)
		r2 := httptest.NewRequest("POST", "/", strings.NewReader(string(b)))
		r2.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		in2, err := ec2.New().DecodeRequest(op, r2)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if d := xmltest.Diff(in, in2); d != "" {
			t.Fatalf("unstable: %s", d)
		}
	})
}

func ExampleCodec_EncodeResponse() {
	svc, _ := model.Parse([]byte(mini))
	rec := httptest.NewRecorder()
	_ = ec2.New().EncodeResponse(rec, svc.Operations["DescribeThings"], map[string]any{"Ids": []any{"i-0abc"}}, protocol.ResponseMeta{RequestID: "req-1"})
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(strings.TrimSpace(strings.SplitN(rec.Body.String(), "\n", 2)[1]))
	// Output:
	// 200 text/xml;charset=UTF-8
	// <DescribeThingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><instanceIdSet><item>i-0abc</item></instanceIdSet></DescribeThingsResponse>
}
