package recorder

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// okServer answers every request 200 with a small JSON body naming the
// request number, so a replay can tell which interaction answered.
func okServer(t *testing.T) *httptest.Server {
	t.Helper()
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		n++
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(sprintf(`{"n":%d}`, n)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func decodeReq(t *testing.T, method, u string, h map[string]string, body string, service string) (string, string, map[string]any, bool) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	if service != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/20260101/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=00")
	}
	return ModelDecoder.Decode(req, []byte(body))
}

func TestModelDecoderNamesOperationsOfEveryProtocol(t *testing.T) {
	cases := []struct {
		name, method, url, service string
		header                     map[string]string
		body                       string
		wantSvc, wantOp            string
		wantParam                  string
		wantValue                  any
	}{
		{"json", "POST", "http://127.0.0.1/", "dynamodb", map[string]string{"X-Amz-Target": "DynamoDB_20120810.GetItem", "Content-Type": "application/x-amz-json-1.0"},
			`{"TableName":"t","Key":{"id":{"S":"1"}}}`, "dynamodb", "GetItem", "TableName", "t"},
		{"json unsigned by target", "POST", "http://127.0.0.1/", "", map[string]string{"X-Amz-Target": "AmazonSQS.GetQueueUrl", "Content-Type": "application/x-amz-json-1.0"},
			`{"QueueName":"q"}`, "sqs", "GetQueueUrl", "QueueName", "q"},
		{"query", "POST", "http://127.0.0.1/", "sts", formHeader, "Action=GetCallerIdentity&Version=2011-06-15", "sts", "GetCallerIdentity", "", nil},
		{"query list", "POST", "http://127.0.0.1/", "sns", formHeader,
			"Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=hi", "sns", "Publish", "Message", "hi"},
		{"ec2", "POST", "http://127.0.0.1/", "ec2", formHeader, "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2",
			"ec2", "DescribeInstances", "InstanceIds", []any{"i-1", "i-2"}},
		{"rest-json", "GET", "http://127.0.0.1/2015-03-31/functions/?MaxItems=5&Marker=m", "lambda", nil, "", "lambda", "ListFunctions", "MaxItems", int64(5)},
		{"rest-xml path style", "PUT", "http://127.0.0.1/bucket/dir/key.txt", "s3", map[string]string{"X-Amz-Meta-Color": "blue"}, "hello",
			"s3", "PutObject", "Key", "dir/key.txt"},
		{"rest-xml virtual host", "GET", "http://bucket.s3.localhost:4566/?list-type=2&prefix=a", "s3", nil, "", "s3", "ListObjectsV2", "Bucket", "bucket"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc, op, params, ok := decodeReq(t, c.method, c.url, c.header, c.body, c.service)
			if !ok {
				t.Fatal("not decoded")
			}
			if svc != c.wantSvc || op != c.wantOp {
				t.Fatalf("got %s %s, want %s %s", svc, op, c.wantSvc, c.wantOp)
			}
			if c.wantParam != "" {
				got := normalizeMap(params)[c.wantParam]
				if sprintf("%#v", got) != sprintf("%#v", c.wantValue) {
					t.Fatalf("%s = %#v, want %#v (params %v)", c.wantParam, got, c.wantValue, params)
				}
			}
		})
	}
}

func TestModelDecoderLeavesUnknownTrafficToHeuristic(t *testing.T) {
	if _, _, _, ok := decodeReq(t, "GET", "http://127.0.0.1/healthz", nil, "", ""); ok {
		t.Fatal("unsigned plain GET was claimed by a service")
	}
	req, _ := http.NewRequest("POST", "http://127.0.0.1/", nil)
	req.Header.Set("X-Amz-Target", "NoSuchService_1.Op")
	if _, _, _, ok := DefaultDecoder.Decode(req, []byte(`{}`)); !ok {
		t.Fatal("DefaultDecoder did not fall back to the heuristic decoder")
	}
}

// REST calls match by decoded input: query order, header order and JSON key
// order are wire details, and an S3 request in virtual-host style calls the
// same operation with the same Bucket as its path-style twin.
func TestRESTRequestsMatchByDecodedParams(t *testing.T) {
	srv := okServer(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, err := New(path, WithMode(Record), IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	lambda := signedClient(rec, "lambda")
	s3 := signedClient(rec, "s3")
	call(t, lambda, "GET", srv.URL+"/2015-03-31/functions/?MaxItems=5&Marker=m&FunctionVersion=ALL", nil, "")
	call(t, lambda, "PUT", srv.URL+"/2015-03-31/functions/f/configuration", map[string]string{"Content-Type": "application/json"},
		`{"Timeout":30,"MemorySize":256,"Environment":{"Variables":{"A":"1","B":"2"}}}`)
	call(t, s3, "PUT", srv.URL+"/bucket/k.txt?x-id=PutObject", map[string]string{"X-Amz-Meta-A": "1", "X-Amz-Meta-B": "2", "X-Amz-Tagging": "t=1"}, "hello")
	call(t, s3, "GET", srv.URL+"/bucket?list-type=2&prefix=a&max-keys=5", nil, "")
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	lambda = signedClient(play, "lambda")
	s3 = signedClient(play, "s3")
	vhost := "http://bucket.s3.localhost:4566"
	steps := []struct {
		method, url string
		h           map[string]string
		body, want  string
	}{
		{"GET", srv.URL + "/2015-03-31/functions/?FunctionVersion=ALL&Marker=m&MaxItems=5", nil, "", `{"n":1}`},
		{"PUT", srv.URL + "/2015-03-31/functions/f/configuration", map[string]string{"Content-Type": "application/json"},
			"{\n  \"Environment\": {\"Variables\": {\"B\": \"2\", \"A\": \"1\"}},\n  \"MemorySize\": 256, \"Timeout\": 30\n}", `{"n":2}`},
		{"PUT", vhost + "/k.txt", map[string]string{"X-Amz-Tagging": "t=1", "X-Amz-Meta-B": "2", "X-Amz-Meta-A": "1"}, "hello", `{"n":3}`},
		{"GET", vhost + "/?max-keys=5&prefix=a&list-type=2", nil, "", `{"n":4}`},
	}
	for i, s := range steps {
		c := s3
		if i < 2 {
			c = lambda
		}
		status, body, _ := call(t, c, s.method, s.url, s.h, s.body)
		if status != 200 || string(body) != s.want {
			t.Errorf("step %d: %d %s, want %s", i, status, body, s.want)
		}
	}

	// A different key is a different call: the miss names the parameter.
	again, _ := New(path, IgnoreEnv())
	req, _ := http.NewRequest("PUT", vhost+"/other.txt", strings.NewReader("hello"))
	req.Header.Set("X-Amz-Meta-A", "1")
	req.Header.Set("X-Amz-Meta-B", "2")
	req.Header.Set("X-Amz-Tagging", "t=1")
	_, err = signedClient(again, "s3").Do(req)
	var me *MismatchError
	if !errors.As(err, &me) || me.Request.Operation != "PutObject" || !strings.Contains(me.Diff, "other.txt") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzModelDecoder(f *testing.F) {
	f.Add("POST", "http://h/", "DynamoDB_20120810.PutItem", "application/x-amz-json-1.0", "dynamodb", []byte(`{"TableName":"t","Item":{"a":{"N":"1"}}}`))
	f.Add("POST", "http://h/", "", "application/x-www-form-urlencoded", "sqs", []byte("Action=SendMessage&QueueUrl=x&MessageBody=b&MessageAttribute.1.Name=a"))
	f.Add("POST", "http://h/", "", "application/x-www-form-urlencoded", "ec2", []byte("Action=RunInstances&MinCount=1&MaxCount=x"))
	f.Add("PUT", "http://b.s3.localhost/k?tagging", "", "application/xml", "s3", []byte("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>"))
	f.Add("PUT", "http://h/b/k", "", "", "s3", []byte("5;chunk-signature=00\r\nhello\r\n0;chunk-signature=00\r\n\r\n"))
	f.Add("POST", "http://h/2015-03-31/functions/f/invocations", "", "application/json", "lambda", []byte(`{"x":1}`))
	f.Fuzz(func(t *testing.T, method, u, target, ct, service string, body []byte) {
		req, err := http.NewRequest(method, u, nil)
		if err != nil {
			return
		}
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=00")
		if d, ok := modelDecodeRaw(req, body); ok {
			var in = d.op.Input
			if in != nil {
				plainStruct(in.Shape, d.params, 0)
			}
		}
	})
}

// SDKs fill idempotencyToken members (ec2 RunInstances ClientToken, DynamoDB
// TransactWriteItems ClientRequestToken) with a fresh UUID per call, so the
// models alone make them volatile: no IgnoreParams needed.
func TestIdempotencyTokensAreIgnoredWithoutConfiguration(t *testing.T) {
	for _, c := range []struct {
		name, service, op, token string
		header                   map[string]string
		body                     func(tok string) string
	}{
		{"ec2 RunInstances", "ec2", "RunInstances", "ClientToken", formHeader, func(tok string) string {
			return "Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1&ClientToken=" + tok
		}},
		{"dynamodb TransactWriteItems", "dynamodb", "TransactWriteItems", "ClientRequestToken", jsonTarget("DynamoDB_20120810.TransactWriteItems"), func(tok string) string {
			return `{"TransactItems":[{"Put":{"TableName":"t","Item":{"id":{"S":"1"}}}}],"ClientRequestToken":"` + tok + `"}`
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, err := modelFor(c.service)
			if err != nil {
				t.Fatal(err)
			}
			if ref := svc.Operations[c.op].Input.Shape.Members[c.token]; ref == nil || !ref.IdempotencyToken {
				t.Fatalf("model: %s.%s is not an idempotency token", c.op, c.token)
			}
			srv := okServer(t)
			path := filepath.Join(t.TempDir(), "c.yaml")
			rec, _ := New(path, WithMode(Record), IgnoreEnv())
			call(t, signedClient(rec, c.service), "POST", srv.URL, c.header, c.body("11111111-1111-4111-8111-111111111111"))
			if err := rec.Save(); err != nil {
				t.Fatal(err)
			}
			play, _ := New(path, IgnoreEnv())
			status, body, _ := call(t, signedClient(play, c.service), "POST", srv.URL, c.header, c.body("22222222-2222-4222-8222-222222222222"))
			if status != 200 || string(body) != `{"n":1}` {
				t.Fatalf("replay: %d %s", status, body)
			}
			in := play.Interactions()[0]
			if in.Operation != c.op {
				t.Fatalf("operation %q", in.Operation)
			}
			if _, has := in.Params[c.token]; has {
				t.Fatalf("token stored as a matching parameter: %v", in.Params)
			}
		})
	}
}
