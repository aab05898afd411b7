package rest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
)

const s3ish = `{
 "metadata": {"protocol": "rest-xml", "apiVersion": "2006-03-01", "endpointPrefix": "s3", "serviceId": "S3"},
 "operations": {
  "PutObject": {"name": "PutObject", "http": {"method": "PUT", "requestUri": "/{Bucket}/{Key+}?x-id=PutObject"},
   "input": {"shape": "PutObjectRequest"}},
  "Get": {"name": "Get", "http": {"method": "GET", "requestUri": "/v/{Id}"},
   "endpoint": {"hostPrefix": "{Account}.data."}, "input": {"shape": "GetRequest"}}
 },
 "shapes": {
  "PutObjectRequest": {"type": "structure", "required": ["Bucket", "Key"], "members": {
    "Bucket": {"shape": "S", "location": "uri", "locationName": "Bucket"},
    "Key": {"shape": "S", "location": "uri", "locationName": "Key"},
    "Expires": {"shape": "T", "location": "header", "locationName": "Expires"},
    "Metadata": {"shape": "M", "location": "headers", "locationName": "x-amz-meta-"},
    "Tags": {"shape": "L", "location": "header", "locationName": "X-Tags"},
    "Token": {"shape": "S", "location": "querystring", "locationName": "token", "idempotencyToken": true},
    "Extra": {"shape": "M", "location": "querystring"}
  }},
  "GetRequest": {"type": "structure", "members": {
    "Id": {"shape": "S", "location": "uri", "locationName": "Id"},
    "Account": {"shape": "S", "hostLabel": true}
  }},
  "S": {"type": "string"},
  "T": {"type": "timestamp"},
  "L": {"type": "list", "member": {"shape": "S"}},
  "M": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}}
 }
}`

func load(t testing.TB) *model.Service {
	t.Helper()
	svc, err := model.Parse([]byte(s3ish))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestBuildRequestBindsEveryLocationAndDecodesBack(t *testing.T) {
	svc := load(t)
	op := svc.Operations["PutObject"]
	NewIdempotencyToken = func() string { return "00000000-0000-4000-8000-000000000000" }
	params := map[string]any{
		"Bucket":   "b",
		"Key":      "a dir/file+1.txt",
		"Expires":  time.Date(2019, 12, 16, 23, 48, 18, 0, time.UTC),
		"Metadata": map[string]any{"color": "blue"},
		"Tags":     []any{"a", "b,c", `"q"`},
		"Extra":    map[string]any{"token": "ignored-by-precedence", "z": "1"},
	}
	params = FillIdempotencyTokens(op.Input, params)
	ep, _ := url.Parse("https://s3.example.com")
	req, err := BuildRequest(context.Background(), op, ep, params)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := req.URL.RequestURI(), "/b/a%20dir/file%2B1.txt?x-id=PutObject&token=00000000-0000-4000-8000-000000000000&z=1"; got != want {
		t.Errorf("uri = %s, want %s", got, want)
	}
	if got := req.Header.Get("Expires"); got != "Mon, 16 Dec 2019 23:48:18 GMT" {
		t.Errorf("Expires = %q", got)
	}
	// botocore's spelling: a bare comma between items, quoted items with commas or quotes.
	if got := req.Header.Get("X-Tags"); got != `a,"b,c","\"q\""` {
		t.Errorf("X-Tags = %q", got)
	}
	if got := req.Header.Get("X-Amz-Meta-Color"); got != "blue" {
		t.Errorf("meta = %q", got)
	}
	got, err := DecodeRequest(op, req)
	if err != nil {
		t.Fatal(err)
	}
	params["Extra"] = map[string]any{"z": "1"}
	if !reflect.DeepEqual(got, params) {
		t.Errorf("decoded\n%#v\nwant\n%#v", got, params)
	}
}

func TestHostPrefixSubstitutesHostLabels(t *testing.T) {
	op := load(t).Operations["Get"]
	ep, _ := url.Parse("https://svc.example.com/base/")
	req, err := BuildRequest(context.Background(), op, ep, map[string]any{"Id": "x/y", "Account": "123"})
	if err != nil {
		t.Fatal(err)
	}
	if req.URL.Host != "123.data.svc.example.com" || req.URL.EscapedPath() != "/base/v/x%2Fy" {
		t.Errorf("url = %s", req.URL)
	}
	if _, err := BuildRequest(context.Background(), op, ep, map[string]any{"Id": "x", "Account": "bad/label"}); err == nil {
		t.Error("invalid host label accepted")
	}
}

func TestMissingURILabelIsAnError(t *testing.T) {
	op := load(t).Operations["PutObject"]
	ep, _ := url.Parse("https://s3.example.com")
	if _, err := BuildRequest(context.Background(), op, ep, map[string]any{"Bucket": "b"}); err == nil {
		t.Error("missing Key accepted")
	}
}

func TestSplitHeaderListPairsHTTPDates(t *testing.T) {
	got := SplitHeaderList("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT", true)
	want := []string{"Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
}

func TestDecodeRequestRejectsBadHeaderValue(t *testing.T) {
	op := load(t).Operations["PutObject"]
	r, _ := http.NewRequest("PUT", "https://s3.example.com/b/k", nil)
	r.Header.Set("Expires", "not a date")
	if _, err := DecodeRequest(op, r); err == nil {
		t.Error("bad timestamp header accepted")
	}
}

func ExampleMatchPath() {
	labels, ok := MatchPath("/{Bucket}/{Key+}", "/photos/2024/cat%20one.jpg")
	fmt.Println(ok, labels["Bucket"], labels["Key"])
	// Output: true photos 2024/cat one.jpg
}

// S3 answers user metadata as lower-case x-amz-meta-* headers; boto3 keeps the
// suffix exactly as the header spells it, so a canonicalised X-Amz-Meta-Who
// would surface to Python users as {"Who": ...}.
func TestWriteHeadersSendsPrefixHeadersInLowerCase(t *testing.T) {
	svc := load(t)
	sh := svc.Operations["PutObject"].Input.Shape
	h := http.Header{}
	if _, err := WriteHeaders(h, sh, map[string]any{"Metadata": map[string]any{"who": "me", "Mixed": "x"}}); err != nil {
		t.Fatal(err)
	}
	if got := h["x-amz-meta-who"]; len(got) != 1 || got[0] != "me" {
		t.Errorf("x-amz-meta-who = %v, want [me]; header %v", got, h)
	}
	if _, ok := h["X-Amz-Meta-Who"]; ok {
		t.Errorf("canonicalised key present: %v", h)
	}
	back, err := DecodeHeaders(sh, h, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"who": "me", "mixed": "x"}
	if !reflect.DeepEqual(back["Metadata"], want) {
		t.Errorf("decoded %v, want %v", back["Metadata"], want)
	}
}
