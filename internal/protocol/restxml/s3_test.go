package restxml_test

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
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

// s3 is the embedded S3 model: these tests need nothing outside the repository.
func s3(t testing.TB) *model.Service {
	t.Helper()
	m, err := model.Load("s3")
	if err != nil {
		t.Fatalf("embedded S3 model: %v", err)
	}
	return m
}

// TestS3HeadObjectKeepsContentLengthOfTheObject: a HEAD answer has no body
// but S3's Content-Length is the object's size; a ranged HEAD is a 206.
func TestS3HeadObjectKeepsContentLengthOfTheObject(t *testing.T) {
	op := s3(t).Operations["HeadObject"]
	for _, tc := range []struct {
		out    map[string]any
		status int
		cl     int64
	}{
		{map[string]any{"ContentLength": int64(1234), "ETag": `"e"`}, 200, 1234},
		{map[string]any{"ContentLength": int64(4), "ContentRange": "bytes 0-3/1234"}, 206, 4},
		{map[string]any{"ContentLength": int64(0)}, 200, 0},
	} {
		rec := httptest.NewRecorder()
		if err := restxml.New().EncodeResponse(rec, op, tc.out, protocol.ResponseMeta{RequestID: "R"}); err != nil {
			t.Fatal(err)
		}
		if rec.Code != tc.status || rec.Header().Get("Content-Length") != fmt.Sprint(tc.cl) || rec.Body.Len() != 0 {
			t.Errorf("%v: status %d Content-Length %q body %q", tc.out, rec.Code, rec.Header().Get("Content-Length"), rec.Body.String())
		}
		resp := rec.Result()
		resp.ContentLength = tc.cl
		out, err := restxml.New().UnmarshalResponse(op, resp)
		if err != nil || out["ContentLength"] != tc.cl {
			t.Errorf("client: %v %v", out, err)
		}
	}
}

func TestS3ErrorIsBareErrorWithIDs(t *testing.T) {
	svc := s3(t)
	op := svc.Operations["GetObject"]
	rec := httptest.NewRecorder()
	err := restxml.New().EncodeError(rec, op, protocol.NewError("NoSuchKey", 404, "The specified key does not exist."), protocol.ResponseMeta{RequestID: "R1", HostID: "H1"})
	if err != nil {
		t.Fatal(err)
	}
	want := `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>`
	if d := xmltest.XMLDiff(want, rec.Body.String()); d != "" {
		t.Error(d)
	}
	if rec.Header().Get("x-amz-request-id") != "R1" || rec.Header().Get("x-amz-id-2") != "H1" || rec.Code != 404 {
		t.Errorf("headers %v status %d", rec.Header(), rec.Code)
	}
	_, cerr := restxml.New().UnmarshalResponse(op, rec.Result())
	var ae *protocol.APIError
	if !errors.As(cerr, &ae) || ae.Code != "NoSuchKey" || ae.RequestID != "R1" || ae.HostID != "H1" {
		t.Errorf("client: %#v", cerr)
	}
}

func TestS3HeadErrorHasNoBodyAndClientUsesStatus(t *testing.T) {
	svc := s3(t)
	op := svc.Operations["HeadObject"]
	rec := httptest.NewRecorder()
	_ = restxml.New().EncodeError(rec, op, protocol.NewError("NoSuchKey", 404, "x"), protocol.ResponseMeta{RequestID: "R"})
	if rec.Body.Len() != 0 || rec.Code != 404 {
		t.Fatalf("HEAD error body %q status %d", rec.Body.String(), rec.Code)
	}
	_, err := restxml.New().UnmarshalResponse(op, rec.Result())
	var ae *protocol.APIError
	if !errors.As(err, &ae) || ae.Code != "404" || ae.Message != "Not Found" {
		t.Errorf("client: %#v", err)
	}
}

func TestS3CopyObjectErrorInside200(t *testing.T) {
	svc := s3(t)
	op := svc.Operations["CopyObject"]
	rec := httptest.NewRecorder()
	if err := restxml.EncodeErrorIn200(rec, op, protocol.NewError("InternalError", 500, "We encountered an internal error."), protocol.ResponseMeta{RequestID: "R"}); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	_, err := restxml.New().UnmarshalResponse(op, rec.Result())
	var ae *protocol.APIError
	if !errors.As(err, &ae) || ae.Code != "InternalError" {
		t.Errorf("client did not detect the error in 200: %v", err)
	}
}

// TestS3ErrorWithStatus200IsSentInside200: EncodeError of an error a
// handler marks with status 200 (met after the copy began) is a 200 with an
// <Error> body for the three operations that can do that, which the client
// reports as a 500; other statuses stay ordinary errors.
func TestS3ErrorWithStatus200IsSentInside200(t *testing.T) {
	svc := s3(t)
	for _, name := range []string{"CopyObject", "UploadPartCopy", "CompleteMultipartUpload"} {
		op := svc.Operations[name]
		rec := httptest.NewRecorder()
		if err := restxml.New().EncodeError(rec, op, protocol.NewError("InternalError", 200, "We encountered an internal error. Please try again."), protocol.ResponseMeta{RequestID: "R", HostID: "H"}); err != nil {
			t.Fatal(err)
		}
		want := `<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R</RequestId><HostId>H</HostId></Error>`
		if d := xmltest.XMLDiff(want, rec.Body.String()); rec.Code != 200 || d != "" {
			t.Errorf("%s: status %d %s", name, rec.Code, d)
		}
		_, err := restxml.New().UnmarshalResponse(op, rec.Result())
		var ae *protocol.APIError
		if !errors.As(err, &ae) || ae.Code != "InternalError" || ae.StatusCode != 500 || ae.RequestID != "R" {
			t.Errorf("%s client: %#v", name, err)
		}
		rec = httptest.NewRecorder()
		_ = restxml.New().EncodeError(rec, op, protocol.NewError("InvalidPart", 400, "x"), protocol.ResponseMeta{RequestID: "R"})
		_, err = restxml.New().UnmarshalResponse(op, rec.Result())
		if rec.Code != 400 || !errors.As(err, &ae) || ae.Code != "InvalidPart" || ae.StatusCode != 400 {
			t.Errorf("%s: validation error status %d, client %#v", name, rec.Code, err)
		}
	}
}

// TestS3ErrorCarriesUnmodeledFields: S3's <Error> has elements its error
// shapes do not model (NoSuchKey has no Key member); they are written, and
// the client reads them back into Fields.
func TestS3ErrorCarriesUnmodeledFields(t *testing.T) {
	op := s3(t).Operations["GetObject"]
	ae := protocol.NewError("InvalidRange", 416, "The requested range is not satisfiable")
	ae.Fields = map[string]any{"RangeRequested": "bytes=20-", "ActualObjectSize": int64(10), "RequestId": "ignored", "bad name": "x", "Message": "dup"}
	rec := httptest.NewRecorder()
	if err := restxml.New().EncodeError(rec, op, ae, protocol.ResponseMeta{RequestID: "R", HostID: "H"}); err != nil {
		t.Fatal(err)
	}
	want := `<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message><ActualObjectSize>10</ActualObjectSize><RangeRequested>bytes=20-</RangeRequested><RequestId>R</RequestId><HostId>H</HostId></Error>`
	if d := xmltest.XMLDiff(want, rec.Body.String()); d != "" {
		t.Error(d)
	}
	_, err := restxml.New().UnmarshalResponse(op, rec.Result())
	var got *protocol.APIError
	if !errors.As(err, &got) || got.Fields["ActualObjectSize"] != "10" || got.Fields["RangeRequested"] != "bytes=20-" || len(got.Fields) != 2 {
		t.Errorf("client: %#v", err)
	}
	rec = httptest.NewRecorder()
	nk := protocol.NewError("NoSuchKey", 404, "The specified key does not exist.")
	nk.Fields = map[string]any{"Key": "a&b<c"}
	_ = restxml.New().EncodeError(rec, op, nk, protocol.ResponseMeta{RequestID: "R", HostID: "H"})
	want = `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a&amp;b&lt;c</Key><RequestId>R</RequestId><HostId>H</HostId></Error>`
	if d := xmltest.XMLDiff(want, rec.Body.String()); d != "" {
		t.Error(d)
	}
}

func TestS3RequestIDIsSixteenUpperHex(t *testing.T) {
	for in, want := range map[string]string{
		"15df2205-2f6c-416b-8767-f8edc4f3e9e7": "15DF22052F6C416B",
		"4442587FB7D0A2F9":                     "4442587FB7D0A2F9",
		"R1":                                   "R1",
		"abc":                                  "abc",
		"zz5df2205-2f6c-416b-8767-f8edc4f3e9e": "zz5df2205-2f6c-416b-8767-f8edc4f3e9e",
		"":                                     "",
	} {
		if got := restxml.S3RequestID(in); got != want {
			t.Errorf("S3RequestID(%q) = %q, want %q", in, got, want)
		}
	}
	op := s3(t).Operations["PutObject"]
	rec := httptest.NewRecorder()
	_ = restxml.New().EncodeResponse(rec, op, map[string]any{"ETag": `"e"`}, protocol.ResponseMeta{RequestID: "15df2205-2f6c-416b-8767-f8edc4f3e9e7", HostID: "H"})
	if rec.Header().Get("x-amz-request-id") != "15DF22052F6C416B" {
		t.Errorf("x-amz-request-id %q", rec.Header().Get("x-amz-request-id"))
	}
	rec = httptest.NewRecorder()
	_ = restxml.New().EncodeError(rec, op, protocol.NewError("NoSuchBucket", 404, "x"), protocol.ResponseMeta{RequestID: "15df2205-2f6c-416b-8767-f8edc4f3e9e7"})
	if rec.Header().Get("x-amz-request-id") != "15DF22052F6C416B" || !strings.Contains(rec.Body.String(), "<RequestId>15DF22052F6C416B</RequestId>") {
		t.Errorf("error ids: %v %s", rec.Header(), rec.Body)
	}
}

func ExampleS3RequestID() {
	fmt.Println(restxml.S3RequestID("15df2205-2f6c-416b-8767-f8edc4f3e9e7"))
	// Output: 15DF22052F6C416B
}

func TestGetBucketLocationIsBareElementEmptyForUSEast1(t *testing.T) {
	svc := s3(t)
	op := svc.Operations["GetBucketLocation"]
	for region, want := range map[string]string{"us-east-1": `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>`,
		"eu-west-1": `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>`} {
		rec := httptest.NewRecorder()
		if err := restxml.New().EncodeResponse(rec, op, map[string]any{"LocationConstraint": region}, protocol.ResponseMeta{}); err != nil {
			t.Fatal(err)
		}
		if d := xmltest.XMLDiff(want, rec.Body.String()); d != "" {
			t.Errorf("%s: %s", region, d)
		}
		out, err := restxml.New().UnmarshalResponse(op, rec.Result())
		if err != nil {
			t.Fatal(err)
		}
		if region == "us-east-1" && out["LocationConstraint"] != nil || region != "us-east-1" && out["LocationConstraint"] != region {
			t.Errorf("%s: client got %v", region, out)
		}
	}
}

func TestListObjectsEncodingTypeURL(t *testing.T) {
	svc := s3(t)
	op := svc.Operations["ListObjectsV2"]
	rec := httptest.NewRecorder()
	out := map[string]any{"EncodingType": "url", "Prefix": "a b/", "Contents": []any{map[string]any{"Key": "a b/c&d.txt"}}}
	if err := restxml.New().EncodeResponse(rec, op, out, protocol.ResponseMeta{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rec.Body.String(), "<Key>a+b%2Fc%26d.txt</Key>") {
		t.Errorf("key not URL-encoded on the wire: %s", rec.Body.String())
	}
	got, err := restxml.New().UnmarshalResponse(op, rec.Result())
	if err != nil {
		t.Fatal(err)
	}
	if d := xmltest.Diff(out, got); d != "" {
		t.Error(d)
	}
}

func TestMalformedXMLIsMalformedXML(t *testing.T) {
	svc := s3(t)
	op := svc.Operations["DeleteObjects"]
	for _, body := range []string{"<Delete><Object>", `<!DOCTYPE x [<!ENTITY a "b">]><Delete/>`} {
		r := httptest.NewRequest("POST", "/bucket?delete", strings.NewReader(body))
		_, err := restxml.New().DecodeRequest(op, r)
		var ae *protocol.APIError
		if !errors.As(err, &ae) || ae.Code != "MalformedXML" || ae.StatusCode != 400 {
			t.Errorf("%q: %v", body, err)
		}
	}
}

func FuzzDecodeRequest(f *testing.F) {
	f.Add("/bucket?delete", `<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>`)
	f.Add("/bucket?delete", `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key><VersionId>v</VersionId></Object></Delete>`)
	svc := s3(f)
	op := svc.Operations["DeleteObjects"]
	f.Fuzz(func(t *testing.T, path, body string) {
		if !strings.HasPrefix(path, "/") {
			return
		}
		u, err := url.Parse("http://h" + path)
		if err != nil {
			return
		}
		r := &http.Request{Method: "POST", URL: u, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
		_, err = restxml.New().DecodeRequest(op, r)
		if err != nil {
			var ae *protocol.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("non-API error %v", err)
			}
		}
	})
}

func BenchmarkPutObjectHeaders(b *testing.B) {
	svc := s3(b)
	op := svc.Operations["PutObject"]
	ep, _ := url.Parse("https://s3.us-east-1.amazonaws.com")
	params := map[string]any{"Bucket": "bkt", "Key": "dir/obj.txt", "ContentType": "text/plain", "CacheControl": "no-cache",
		"Metadata": map[string]any{"a": "1", "b": "2"}, "StorageClass": "STANDARD", "ServerSideEncryption": "AES256"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p := make(map[string]any, len(params)+1)
		for k, v := range params {
			p[k] = v
		}
		p["Body"] = bytes.NewReader([]byte("hello"))
		req, err := restxml.New().MarshalRequest(context.Background(), op, ep, p)
		if err != nil {
			b.Fatal(err)
		}
		in, err := restxml.New().DecodeRequest(op, req)
		if err != nil || in["Key"] != "dir/obj.txt" {
			b.Fatal(err, in)
		}
	}
}

func ExampleEncodeErrorIn200() {
	svc, _ := model.Parse([]byte(`{"metadata":{"protocol":"rest-xml","apiVersion":"2006-03-01","serviceId":"S3","endpointPrefix":"s3"},
	 "operations":{"CopyObject":{"name":"CopyObject","http":{"method":"PUT","requestUri":"/{Bucket}/{Key+}"}}},"shapes":{}}`))
	rec := httptest.NewRecorder()
	_ = restxml.EncodeErrorIn200(rec, svc.Operations["CopyObject"], protocol.NewError("SlowDown", 503, "Please reduce your request rate."), protocol.ResponseMeta{RequestID: "R", HostID: "H"})
	fmt.Println(rec.Code)
	fmt.Println(strings.SplitN(rec.Body.String(), "\n", 2)[1])
	// Output:
	// 200
	// <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R</RequestId><HostId>H</HostId></Error>
}

// TestListKeysStayEncodedWhenCallerAskedForURL: boto3 decodes the keys of an
// EncodingType=url listing only when it added encoding-type=url itself; a
// caller who asked for it explicitly gets the keys as S3 sent them.
func TestListKeysStayEncodedWhenCallerAskedForURL(t *testing.T) {
	svc := s3(t)
	op := svc.Operations["ListObjectsV2"]
	out := map[string]any{"EncodingType": "url", "Prefix": "a b/", "Contents": []any{map[string]any{"Key": "a b/c&d.txt"}}}
	for _, c := range []struct {
		name      string
		mark      func(context.Context) context.Context
		key, pref string
	}{
		{"unmarked", func(ctx context.Context) context.Context { return ctx }, "a b/c&d.txt", "a b/"},
		{"auto-set", func(ctx context.Context) context.Context { return restxml.WithListKeyDecoding(ctx, true) }, "a b/c&d.txt", "a b/"},
		{"explicit", func(ctx context.Context) context.Context { return restxml.WithListKeyDecoding(ctx, false) }, "a+b%2Fc%26d.txt", "a+b%2F"},
	} {
		rec := httptest.NewRecorder()
		if err := restxml.New().EncodeResponse(rec, op, out, protocol.ResponseMeta{}); err != nil {
			t.Fatal(err)
		}
		ep, _ := url.Parse("https://s3.amazonaws.com")
		req, err := restxml.New().MarshalRequest(c.mark(context.Background()), op, ep, map[string]any{"Bucket": "b", "EncodingType": "url"})
		if err != nil {
			t.Fatal(err)
		}
		resp := rec.Result()
		resp.Request = req
		got, err := restxml.New().UnmarshalResponse(op, resp)
		if err != nil {
			t.Fatal(err)
		}
		key := got["Contents"].([]any)[0].(map[string]any)["Key"]
		if key != c.key || got["Prefix"] != c.pref {
			t.Errorf("%s: key %q prefix %q, want %q %q", c.name, key, got["Prefix"], c.key, c.pref)
		}
	}
}
