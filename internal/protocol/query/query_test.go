package query_test

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
	"github.com/fakecloud/fakecloud/internal/protocol/query"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

const stsLike = `{
 "metadata": {"protocol": "query", "apiVersion": "2011-06-15", "serviceId": "STS", "endpointPrefix": "sts",
              "xmlNamespace": "https://sts.amazonaws.com/doc/2011-06-15/"},
 "operations": {
  "AssumeRole": {"name": "AssumeRole", "http": {"method": "POST", "requestUri": "/"},
    "input": {"shape": "AssumeRoleRequest"},
    "output": {"shape": "AssumeRoleResponse", "resultWrapper": "AssumeRoleResult"},
    "errors": [{"shape": "MalformedPolicyDocumentException"}]}
 },
 "shapes": {
  "AssumeRoleRequest": {"type": "structure", "required": ["RoleArn"], "members": {
    "RoleArn": {"shape": "String"}, "DurationSeconds": {"shape": "Integer"},
    "Tags": {"shape": "TagList"}, "PolicyArns": {"shape": "StringList"}}},
  "AssumeRoleResponse": {"type": "structure", "members": {"AssumedRoleId": {"shape": "String"}, "PackedPolicySize": {"shape": "Integer"}}},
  "MalformedPolicyDocumentException": {"type": "structure", "members": {"message": {"shape": "String"}},
    "error": {"code": "MalformedPolicyDocument", "httpStatusCode": 400, "senderFault": true}, "exception": true},
  "TagList": {"type": "list", "member": {"shape": "Tag"}},
  "Tag": {"type": "structure", "members": {"Key": {"shape": "String"}, "Value": {"shape": "String"}}},
  "StringList": {"type": "list", "member": {"shape": "String"}},
  "String": {"type": "string"},
  "Integer": {"type": "integer"}
 }
}`

func sts(t testing.TB) *model.Service {
	t.Helper()
	svc, err := model.Parse([]byte(stsLike))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestServerAcceptsGETWithQueryString(t *testing.T) {
	svc := sts(t)
	r := httptest.NewRequest("GET", "/?Action=AssumeRole&Version=2011-06-15&RoleArn=arn&Tags.member.1.Key=k&Tags.member.1.Value=v&DurationSeconds=900", nil)
	op, aerr := query.Action(svc, r)
	if aerr != nil {
		t.Fatal(aerr)
	}
	got, err := query.New().DecodeRequest(op, r)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"RoleArn": "arn", "DurationSeconds": int64(900), "Tags": []any{map[string]any{"Key": "k", "Value": "v"}}}
	if d := xmltest.Diff(want, got); d != "" {
		t.Error(d)
	}
}

func TestUnknownOrMissingActionIsInvalidActionOrMissingAction(t *testing.T) {
	svc := sts(t)
	for body, code := range map[string]string{
		"Action=Nope&Version=2011-06-15": "InvalidAction",
		"Version=2011-06-15":             "MissingAction",
		"Action=%zz":                     "MalformedQueryString",
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		_, aerr := query.Action(svc, r)
		if aerr == nil || aerr.Code != code || aerr.StatusCode != 400 {
			t.Errorf("%s: got %v, want %s 400", body, aerr, code)
		}
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader("Action=Nope&Version=2011-06-15"))
	_, aerr := query.Action(svc, r)
	if aerr == nil || aerr.Message != "Could not find operation Nope for version 2011-06-15" {
		t.Errorf("message %v", aerr)
	}
}

func TestBadParameterValueIsValidationError(t *testing.T) {
	svc := sts(t)
	op := svc.Operations["AssumeRole"]
	for _, body := range []string{"DurationSeconds=abc", "Tags.member.x.Key=k", "Tags.member.0.Key=k"} {
		r := httptest.NewRequest("POST", "/", strings.NewReader("Action=AssumeRole&Version=2011-06-15&"+body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		_, err := query.New().DecodeRequest(op, r)
		var ae *protocol.APIError
		if !errors.As(err, &ae) || ae.Code != "ValidationError" || ae.StatusCode != 400 {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestErrorResponseShape(t *testing.T) {
	svc := sts(t)
	op := svc.Operations["AssumeRole"]
	rec := httptest.NewRecorder()
	err := query.New().EncodeError(rec, op, protocol.NewError("MalformedPolicyDocument", 400, "bad policy"), protocol.ResponseMeta{RequestID: "rid"})
	if err != nil {
		t.Fatal(err)
	}
	want := `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>MalformedPolicyDocument</Code><Message>bad policy</Message></Error><RequestId>rid</RequestId></ErrorResponse>`
	if d := xmltest.XMLDiff(want, rec.Body.String()); d != "" {
		t.Error(d)
	}
	if rec.Code != 400 || rec.Header().Get("Content-Type") != "text/xml" {
		t.Errorf("status %d content-type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestClientAndServerAgreeOverHTTP(t *testing.T) {
	svc := sts(t)
	codec := query.New()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op, aerr := query.Action(svc, r)
		if aerr != nil {
			_ = codec.EncodeError(w, nil, aerr, protocol.ResponseMeta{RequestID: "r0"})
			return
		}
		in, err := codec.DecodeRequest(op, r)
		if err != nil {
			_ = codec.EncodeError(w, op, err.(*protocol.APIError), protocol.ResponseMeta{RequestID: "r1"})
			return
		}
		_ = codec.EncodeResponse(w, op, map[string]any{"AssumedRoleId": in["RoleArn"].(string) + ":s", "PackedPolicySize": int64(len(in["PolicyArns"].([]any)))}, protocol.ResponseMeta{RequestID: "r2"})
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	op := svc.Operations["AssumeRole"]
	req, err := codec.MarshalRequest(context.Background(), op, u, map[string]any{"RoleArn": "arn:x", "PolicyArns": []any{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := codec.UnmarshalResponse(op, resp)
	if err != nil {
		t.Fatal(err)
	}
	if d := xmltest.Diff(map[string]any{"AssumedRoleId": "arn:x:s", "PackedPolicySize": int64(2)}, out); d != "" {
		t.Error(d)
	}
}

func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		"Action=AssumeRole&Version=2011-06-15&RoleArn=a&Tags.member.1.Key=k&Tags.member.2.Value=v",
		"Action=AssumeRole&PolicyArns=&DurationSeconds=-1",
		"Action=AssumeRole&Tags.member.999999999.Key=x&Tags.1=y",
	} {
		f.Add(s)
	}
	svc := sts(f)
	op := svc.Operations["AssumeRole"]
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		in, err := query.New().DecodeRequest(op, r)
		if err != nil {
			var ae *protocol.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("non-API error %T %v", err, err)
			}
			return
		}
		// A decoded input must marshal again and decode to itself.
		req, err := query.New().MarshalRequest(context.Background(), op, &url.URL{Scheme: "http", Host: "h"}, in)
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		b, _ := io.ReadAll(req.Body)
		r2 := httptest.NewRequest("POST", "/", strings.NewReader(string(b)))
		r2.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		in2, err := query.New().DecodeRequest(op, r2)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if d := xmltest.Diff(in, in2); d != "" {
			t.Fatalf("unstable: %s", d)
		}
	})
}

func ExampleCodec_MarshalRequest() {
	svc, _ := model.Parse([]byte(stsLike))
	req, _ := query.New().MarshalRequest(context.Background(), svc.Operations["AssumeRole"],
		&url.URL{Scheme: "https", Host: "sts.amazonaws.com"},
		map[string]any{"RoleArn": "arn:aws:iam::123456789012:role/demo", "Tags": []any{map[string]any{"Key": "team", "Value": "a"}}})
	body, _ := io.ReadAll(req.Body)
	fmt.Println(req.Method, req.URL)
	fmt.Println(string(body))
	// Output:
	// POST https://sts.amazonaws.com/
	// Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&Tags.member.1.Key=team&Tags.member.1.Value=a
}

// TestActionErrorMessages pins the query family's answers to a missing or
// unknown Action: MissingAction "Missing Action" (400); InvalidAction "Could
// not find operation X for version V" from query services (STS) and "The
// action X is not valid for this web service." from EC2
// (cognitect-labs/aws-api#6), both 400.
func TestActionErrorMessages(t *testing.T) {
	svc := sts(t)
	cases := []struct{ body, code, msg string }{
		{"Version=2011-06-15", "MissingAction", "Missing Action"},
		{"Action=Nope&Version=2011-06-15", "InvalidAction", "Could not find operation Nope for version 2011-06-15"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/", strings.NewReader(c.body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		_, aerr := query.Action(svc, r)
		if aerr == nil || aerr.Code != c.code || aerr.StatusCode != 400 || aerr.Message != c.msg {
			t.Errorf("%s: got %+v, want %s 400 %q", c.body, aerr, c.code, c.msg)
		}
		r = httptest.NewRequest("POST", "/", strings.NewReader(c.body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		_, err := query.Codec{}.DecodeRequest(svc.Operations["AssumeRole"], r)
		if ae, ok := err.(*protocol.APIError); !ok || ae.Code != c.code || ae.Message != c.msg {
			t.Errorf("DecodeRequest %s: %v", c.body, err)
		}
	}
	if got, want := query.InvalidActionMessage("Nope", "2016-11-15", true), "The action Nope is not valid for this web service."; got != want {
		t.Errorf("ec2: %q, want %q", got, want)
	}
}
