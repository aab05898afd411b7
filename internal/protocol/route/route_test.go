package route_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/route"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

func botocore(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared", "aws-data", "botocore")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("botocore data not found at %s (../shared/aws-data/botocore): %v", dir, err)
	}
	return dir
}

func load(t testing.TB, names ...string) []*model.Service {
	dir := botocore(t)
	var out []*model.Service
	for _, n := range names {
		vs, err := os.ReadDir(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		var ds []string
		for _, v := range vs {
			ds = append(ds, v.Name())
		}
		sort.Strings(ds)
		data, err := os.ReadFile(filepath.Join(dir, n, ds[len(ds)-1], "service-2.json"))
		if err != nil {
			t.Fatal(err)
		}
		svc, err := model.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, svc)
	}
	return out
}

func sign(r *http.Request, svc, region string) *http.Request {
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/"+region+"/"+svc+
		"/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd")
	return r
}

func req(method, url, body string, hdr ...string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, url, rd)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return r
}

func TestRouteRequestsAsSDKsSendThem(t *testing.T) {
	rt := route.New(load(t, "s3", "sqs", "dynamodb", "sns", "ec2", "lambda"))
	form := "Content-Type"
	formCT := "application/x-www-form-urlencoded; charset=utf-8"
	cases := []struct {
		name, service, op, path string
		r                       *http.Request
	}{
		{"dynamodb json target", "DynamoDB", "PutItem", "", sign(req("POST", "http://localhost:4566/", `{}`,
			"X-Amz-Target", "DynamoDB_20120810.PutItem", "Content-Type", "application/x-amz-json-1.0"), "dynamodb", "us-east-1")},
		{"sqs json target", "SQS", "SendMessage", "", sign(req("POST", "http://localhost:4566/", `{}`,
			"X-Amz-Target", "AmazonSQS.SendMessage", "Content-Type", "application/x-amz-json-1.0"), "sqs", "us-east-1")},
		{"sqs old query SDK, queue URL path", "SQS", "SendMessage", "", sign(req("POST", "http://localhost:4566/000000000000/q1",
			"Action=SendMessage&MessageBody=hi&Version=2012-11-05", form, formCT), "sqs", "us-east-1")},
		{"sns query form", "SNS", "Publish", "", sign(req("POST", "http://localhost:4566/", "Action=Publish&Message=x", form, formCT), "sns", "us-east-1")},
		{"ec2 query string", "EC2", "DescribeInstances", "", sign(req("GET", "http://localhost:4566/?Action=DescribeInstances&Version=2016-11-15", ""), "ec2", "us-east-1")},
		{"s3 list buckets", "S3", "ListBuckets", "", sign(req("GET", "http://localhost:4566/", ""), "s3", "us-east-1")},
		{"s3 path-style get object", "S3", "GetObject", "", sign(req("GET", "http://localhost:4566/bkt/a/b.txt", ""), "s3", "us-east-1")},
		{"s3 list objects v2", "S3", "ListObjectsV2", "", sign(req("GET", "http://localhost:4566/bkt?list-type=2&prefix=a", ""), "s3", "us-east-1")},
		{"s3 list objects v1", "S3", "ListObjects", "", sign(req("GET", "http://localhost:4566/bkt/", ""), "s3", "us-east-1")},
		{"s3 create multipart", "S3", "CreateMultipartUpload", "", sign(req("POST", "http://localhost:4566/bkt/k?uploads", ""), "s3", "us-east-1")},
		{"s3 upload part", "S3", "UploadPart", "", sign(req("PUT", "http://localhost:4566/bkt/k?partNumber=1&uploadId=u", "x"), "s3", "us-east-1")},
		{"s3 put object", "S3", "PutObject", "", sign(req("PUT", "http://localhost:4566/bkt/k?x-id=PutObject", "x"), "s3", "us-east-1")},
		{"s3 bucket tagging", "S3", "GetBucketTagging", "", sign(req("GET", "http://localhost:4566/bkt?tagging", ""), "s3", "us-east-1")},
		{"s3 object tagging", "S3", "PutObjectTagging", "", sign(req("PUT", "http://localhost:4566/bkt/k?tagging", "<x/>"), "s3", "us-east-1")},
		{"s3 create bucket", "S3", "CreateBucket", "", sign(req("PUT", "http://localhost:4566/bkt", ""), "s3", "us-east-1")},
		{"s3 virtual host localhost", "S3", "GetObject", "/bkt/k", sign(req("GET", "http://bkt.localhost:4566/k", ""), "s3", "us-east-1")},
		{"s3 virtual host s3.localhost", "S3", "PutObject", "/my.bkt/k", sign(req("PUT", "http://my.bkt.s3.localhost:4566/k", "x"), "s3", "us-east-1")},
		{"s3 virtual host aws", "S3", "HeadBucket", "/bkt", sign(req("HEAD", "http://bkt.s3.us-east-1.amazonaws.com/", ""), "s3", "us-east-1")},
		{"s3 presigned, anonymous header", "S3", "GetObject", "", req("GET", "http://127.0.0.1:4566/bkt/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00", "")},
		{"anonymous by host", "SQS", "ListQueues", "", req("POST", "http://sqs.us-east-1.amazonaws.com/", "{}", "X-Amz-Target", "AmazonSQS.ListQueues")},
		{"lambda rest-json", "Lambda", "Invoke", "", sign(req("POST", "http://localhost:4566/2015-03-31/functions/f/invocations", "{}"), "lambda", "us-east-1")},
		{"lambda list functions", "Lambda", "ListFunctions", "", sign(req("GET", "http://localhost:4566/2015-03-31/functions/", ""), "lambda", "us-east-1")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := rt.Route(tc.r)
			if err != nil {
				t.Fatalf("error %v (protocol %s)", err.APIError, err.Protocol)
			}
			if res.Service.Metadata.ServiceID != tc.service || res.Operation.Name != tc.op || res.Path != tc.path {
				t.Errorf("got %s.%s path %q, want %s.%s path %q", res.Service.Metadata.ServiceID, res.Operation.Name, res.Path, tc.service, tc.op, tc.path)
			}
		})
	}
}

func TestFormBodyIsRestoredForTheCodec(t *testing.T) {
	rt := route.New(load(t, "sns"))
	r := sign(req("POST", "http://localhost/", "Action=Publish&Message=hello", "Content-Type", "application/x-www-form-urlencoded"), "sns", "us-east-1")
	if _, err := rt.Route(r); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	if string(b) != "Action=Publish&Message=hello" {
		t.Errorf("body %q", b)
	}
}

func TestUnclaimedRequestsGetTheEndpointsError(t *testing.T) {
	rt := route.New(load(t, "s3", "sqs", "sns", "dynamodb"))
	cases := []struct {
		name, code string
		status     int
		r          *http.Request
	}{
		{"json unknown target", "UnknownOperationException", 400, sign(req("POST", "http://localhost/", "{}", "X-Amz-Target", "DynamoDB_20120810.Frobnicate"), "dynamodb", "us-east-1")},
		{"query unknown action", "InvalidAction", 400, sign(req("POST", "http://localhost/", "Action=Frobnicate", "Content-Type", "application/x-www-form-urlencoded"), "sns", "us-east-1")},
		{"s3 method not allowed", "MethodNotAllowed", 405, sign(req("PATCH", "http://localhost/bkt/k", ""), "s3", "us-east-1")},
		{"unserved signing name", "NotImplemented", 501, sign(req("POST", "http://localhost/", "{}", "X-Amz-Target", "Kinesis_20131202.ListStreams"), "kinesis", "us-east-1")},
		{"query without action", "MissingAction", 400, sign(req("POST", "http://localhost/", "Version=1", "Content-Type", "application/x-www-form-urlencoded"), "sns", "us-east-1")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rt.Route(tc.r)
			if err == nil || err.Code != tc.code || err.StatusCode != tc.status {
				t.Fatalf("got %+v", err)
			}
			w := httptest.NewRecorder()
			route.WriteError(w, err.Protocol, err, "req-1")
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.code) {
				t.Errorf("WriteError %d %s", w.Code, w.Body)
			}
		})
	}
}

func TestParseScope(t *testing.T) {
	r := req("GET", "http://x/", "")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=123456789012/20240101/eu-west-2/s3/aws4_request, SignedHeaders=host, Signature=ab")
	s, ok := route.ParseScope(r)
	if !ok || s.AccessKeyID != "123456789012" || s.Region != "eu-west-2" || s.Service != "s3" || s.Date != "20240101" {
		t.Errorf("%+v %v", s, ok)
	}
	if _, ok := route.ParseScope(req("GET", "http://x/", "")); ok {
		t.Error("anonymous request has a scope")
	}
	r = req("GET", "http://x/", "")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=bad")
	if s, ok := route.ParseScope(r); ok || s.Err == nil {
		t.Errorf("malformed credential accepted: %+v", s)
	}
	r = req("GET", "http://x/k?AWSAccessKeyId=AKID&Signature=x&Expires=1700000000", "")
	if s, ok := route.ParseScope(r); !ok || s.AccessKeyID != "AKID" || !s.Presigned || s.Auth.Scheme != sigv4.SchemeV2Query {
		t.Errorf("SigV2 presigned: %+v %v", s, ok)
	}
	r = req("GET", "http://x/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=ab", "")
	if s, ok := route.ParseScope(r); !ok || s.Region != "us-west-2" || !s.Presigned {
		t.Errorf("SigV4 presigned: %+v %v", s, ok)
	}
}

func FuzzRoute(f *testing.F) {
	rt := route.New(load(f, "s3", "sqs", "ec2", "lambda"))
	f.Add("GET", "/bkt/k?tagging", "bkt.s3.localhost", "", "", "")
	f.Add("POST", "/", "localhost", "AmazonSQS.SendMessage", "AWS4-HMAC-SHA256 Credential=a/b/c/sqs/aws4_request", "{}")
	f.Add("POST", "/0/q", "localhost", "", "", "Action=SendMessage")
	f.Add("PUT", "/%zz/../", "[::1]:4566", ".", "AWS x:y", "Action=%")
	f.Fuzz(func(t *testing.T, method, path, host, target, auth, body string) {
		r, err := http.NewRequest("POST", "http://localhost/", strings.NewReader(body))
		if err != nil {
			return
		}
		r.Method = method
		r.URL.Path = path
		r.Host = host
		r.Header.Set("X-Amz-Target", target)
		r.Header.Set("Authorization", auth)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, rerr := rt.Route(r)
		if (res == nil) == (rerr == nil) {
			t.Fatalf("exactly one of result and error expected: %v %v", res, rerr)
		}
		if rerr != nil {
			route.WriteError(httptest.NewRecorder(), rerr.Protocol, rerr, "id")
		}
	})
}

func BenchmarkRouteS3(b *testing.B) {
	rt := route.New(load(b, "s3", "sqs", "dynamodb"))
	r := sign(req("GET", "http://localhost:4566/bkt/some/key.txt", ""), "s3", "us-east-1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rt.Route(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRouteJSON(b *testing.B) {
	rt := route.New(load(b, "s3", "sqs", "dynamodb"))
	r := sign(req("POST", "http://localhost:4566/", "{}", "X-Amz-Target", "DynamoDB_20120810.GetItem"), "dynamodb", "us-east-1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rt.Route(r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestS3UnroutedRequestsNameS3: a request S3 answers MethodNotAllowed to
// (a CORS preflight OPTIONS, a browser POST upload, PATCH) names S3 even
// when other REST services were candidates, and carries the path-style path
// of a virtual-host request, so the emulator can answer in S3's dialect.
func TestS3UnroutedRequestsNameS3(t *testing.T) {
	rt := route.New(load(t, "s3", "lambda", "sqs"))
	cases := []struct {
		name, path string
		r          *http.Request
	}{
		{"unsigned options path style", "", req("OPTIONS", "http://127.0.0.1:4566/bkt/k", "")},
		{"unsigned post form", "", req("POST", "http://127.0.0.1:4566/bkt", "--x--", "Content-Type", "multipart/form-data; boundary=x")},
		{"virtual host options", "/bkt/a/b", req("OPTIONS", "http://bkt.localhost:4566/a/b", "")},
		{"virtual host post", "/bkt", req("POST", "http://bkt.s3.amazonaws.com/", "--x--", "Content-Type", "multipart/form-data; boundary=x")},
		{"signed patch", "", sign(req("PATCH", "http://localhost/bkt/k", ""), "s3", "us-east-1")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rt.Route(tc.r)
			if err == nil || err.Code != "MethodNotAllowed" || err.Protocol != "rest-xml" {
				t.Fatalf("got %+v", err)
			}
			if err.Service == nil || err.Service.Metadata.EndpointPrefix != "s3" || err.Path != tc.path {
				t.Errorf("service %v path %q, want s3 path %q", err.Service, err.Path, tc.path)
			}
		})
	}
}
