package session

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// 4.73, 4.77: SNS query protocol request and response.
func TestSNSQueryRequest_4_73(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, map[string]string{"Content-Type": "text/xml"},
		`<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>req-9</RequestId></ResponseMetadata></PublishResponse>`})
	c, err := testSession(t).Client("sns", ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(context.Background(), "publish", Params{"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "hi there&="})
	if err != nil {
		t.Fatal(err)
	}
	if out.String("MessageId") != "m-1" || out.ResponseMetadata.RequestID != "req-9" {
		t.Errorf("out = %#v %+v", out.Data, out.ResponseMetadata)
	}
	r := srv.requests()[0]
	if r.Method != "POST" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		t.Errorf("%s %s", r.Method, r.Header.Get("Content-Type"))
	}
	if !strings.Contains(r.Body, "Action=Publish") || !strings.Contains(r.Body, "Version=2010-03-31") || !strings.Contains(r.Body, "Message=hi+there%26%3D") {
		t.Errorf("body = %s", r.Body)
	}
}

// 4.79, 4.11: query error body maps to the modeled code.
func TestSNSQueryErrorNotFound_4_11(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{404, nil,
		`<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>r1</RequestId></ErrorResponse>`})
	c, _ := testSession(t).Client("sns", ClientOptions{EndpointURL: srv.URL})
	_, err := c.Call(context.Background(), "GetTopicAttributes", Params{"TopicArn": "arn:aws:sns:us-east-1:123456789012:t"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "NotFound" || ae.Type != "Sender" || ae.RequestID != "r1" || !ae.Modeled {
		t.Fatalf("err = %#v", err)
	}
	if c.Exceptions().FromCode("NotFound") != "NotFoundException" {
		t.Errorf("FromCode(NotFound) = %s", c.Exceptions().FromCode("NotFound"))
	}
}

// 4.76, 4.78: ec2 protocol.
func TestEC2Request_4_76(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil,
		`<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>ec2-req</requestId><reservationSet/></DescribeInstancesResponse>`})
	c, err := testSession(t).Client("ec2", ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(context.Background(), "DescribeInstances", Params{"InstanceIds": []string{"i-1", "i-2"},
		"Filters": []any{map[string]any{"Name": "tag:a", "Values": []any{"b"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.ResponseMetadata.RequestID != "ec2-req" {
		t.Errorf("RequestID = %q", out.ResponseMetadata.RequestID)
	}
	body, _ := url.ParseQuery(srv.requests()[0].Body)
	if body.Get("Action") != "DescribeInstances" || body.Get("InstanceId.1") != "i-1" || body.Get("InstanceId.2") != "i-2" ||
		body.Get("Filter.1.Name") != "tag:a" || body.Get("Filter.1.Value.1") != "b" {
		t.Errorf("body = %v", body)
	}
}

// 4.87, 4.89: Lambda rest-json: label encoding, header members, status code member.
func TestLambdaRestJSON_4_87(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, map[string]string{"X-Amz-Function-Error": "Unhandled", "x-amzn-RequestId": "lr"}, `{"errorMessage":"boom"}`})
	c, err := testSession(t).Client("lambda", ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(context.Background(), "invoke", Params{"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f n",
		"InvocationType": "RequestResponse", "Payload": []byte(`{"a":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.Method != "POST" || r.Path != "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%20n/invocations" {
		t.Errorf("%s %s", r.Method, r.Path)
	}
	if r.Header.Get("X-Amz-Invocation-Type") != "RequestResponse" || r.Body != `{"a":1}` {
		t.Errorf("headers %v body %s", r.Header, r.Body)
	}
	if out.Int("StatusCode") != 200 || out.String("FunctionError") != "Unhandled" {
		t.Errorf("out = %#v", out.Data)
	}
	// Invoke's Payload is a plain (non-streaming) blob in the model.
	if b, ok := out.Data["Payload"].([]byte); !ok || string(b) != `{"errorMessage":"boom"}` {
		t.Errorf("Payload = %#v", out.Data["Payload"])
	}
}

// 7.16, 4.63, 4.91: S3 through a custom endpoint uses path style and hashes the payload over http.
func TestS3CustomEndpointPathStyle_7_16(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, map[string]string{"ETag": `"abc"`, "x-amz-request-id": "s3r", "x-amz-id-2": "h"}, ``})
	c, err := testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(context.Background(), "put_object", Params{"Bucket": "my-bucket", "Key": "a b/c+d~e.txt", "Body": strings.NewReader("hello"), "ContentType": "text/plain"})
	if err != nil {
		t.Fatal(err)
	}
	if out.String("ETag") != `"abc"` || out.ResponseMetadata.RequestID != "s3r" || out.ResponseMetadata.HostID != "h" {
		t.Errorf("out %#v %+v", out.Data, out.ResponseMetadata)
	}
	r := srv.requests()[0]
	if r.Method != "PUT" || r.Path != "/my-bucket/a%20b/c%2Bd~e.txt" || r.Body != "hello" {
		t.Errorf("%s %s %q", r.Method, r.Path, r.Body)
	}
	if got := r.Header.Get("X-Amz-Content-Sha256"); got != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" {
		t.Errorf("4.63 x-amz-content-sha256 = %q", got)
	}
	// 4.98: 1.43 sends a CRC32 checksum where 1.29 sent Content-MD5.
	if r.Header.Get("Content-Md5") != "" || r.Header.Get("X-Amz-Checksum-Crc32") != "NhCmhg==" {
		t.Errorf("Content-MD5 = %q, crc32 = %q", r.Header.Get("Content-Md5"), r.Header.Get("X-Amz-Checksum-Crc32"))
	}
	// 4.95: HEAD errors have no body: code is the status.
	srv2 := newFakeAWS(t, cannedResponse{404, nil, ``})
	c2, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: srv2.URL})
	_, err = c2.Call(context.Background(), "HeadObject", Params{"Bucket": "b", "Key": "k"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "404" || ae.Message != "Not Found" {
		t.Errorf("4.95: %#v", err)
	}
}

// 4.19: invalid bucket names fail before sending.
func TestS3BucketNameValidation_4_19(t *testing.T) {
	c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: "http://127.0.0.1:1"})
	_, err := c.Call(context.Background(), "GetObject", Params{"Bucket": "bad/bucket", "Key": "k"})
	var pv *ParamValidationError
	if !errors.As(err, &pv) || !strings.Contains(err.Error(), `Invalid bucket name "bad/bucket"`) {
		t.Errorf("err = %v", err)
	}
}

// 7.12, 7.14, 4.64: S3 virtual hosting on AWS; PutObject over HTTPS streams
// an aws-chunked body with a checksum trailer (1.43).
func TestS3VirtualHostOnAWS_7_12(t *testing.T) {
	s := testSession(t)
	c, err := s.Client("s3", ClientOptions{Region: "us-west-2"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	c.Events().Register("before-send.s3", func(ctx context.Context, e *Event) (any, error) {
		got = append(got, e.Request.URL.String(), e.Request.Header.Get("X-Amz-Content-Sha256"))
		return nil, errStop
	})
	c.Call(context.Background(), "PutObject", Params{"Bucket": "my-bucket", "Key": "k", "Body": []byte("x")})
	c.Call(context.Background(), "ListObjectsV2", Params{"Bucket": "my.bucket"})
	want := []string{"https://my-bucket.s3.us-west-2.amazonaws.com/k", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "https://s3.us-west-2.amazonaws.com/my.bucket?list-type=2", ""}
	if len(got) != 4 || got[0] != want[0] || got[1] != want[1] || !strings.HasPrefix(got[2], want[2]) {
		t.Errorf("got %q", got)
	}
}

var errStop = errors.New("stop")

// 4.53, 4.54, 4.56: S3 presigned URLs.
func TestS3PresignedURLs_4_53(t *testing.T) {
	s := testSession(t)
	fixed := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	c, _ := s.Client("s3", ClientOptions{Region: "eu-west-1"})
	c.now = func() time.Time { return fixed }
	u, err := c.GeneratePresignedURL(context.Background(), "get_object", Params{"Bucket": "my-bucket", "Key": "k"}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := url.Parse(u)
	q := pu.Query()
	if pu.Host != "my-bucket.s3.amazonaws.com" || pu.Path != "/k" || q.Get("AWSAccessKeyId") != "AKIDEXAMPLE" || q.Get("Expires") != "1704168245" || q.Get("Signature") == "" {
		t.Errorf("4.53 v2 url = %s", u)
	}
	c4, _ := s.Client("s3", ClientOptions{Region: "eu-west-1", Config: &Config{SignatureVersion: "s3v4"}})
	c4.now = func() time.Time { return fixed }
	u, err = c4.GeneratePresignedURL(context.Background(), "put_object", Params{"Bucket": "my-bucket", "Key": "k", "ContentType": "text/plain"}, 300*time.Second, "")
	if err != nil {
		t.Fatal(err)
	}
	pu, _ = url.Parse(u)
	q = pu.Query()
	if pu.Host != "my-bucket.s3.eu-west-1.amazonaws.com" || q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" ||
		q.Get("X-Amz-Credential") != "AKIDEXAMPLE/20240102/eu-west-1/s3/aws4_request" || q.Get("X-Amz-Expires") != "300" ||
		q.Get("content-type") != "text/plain" || q.Get("X-Amz-Signature") == "" {
		t.Errorf("4.54/4.55 v4 url = %s", u)
	}
	cc, _ := s.Client("s3", ClientOptions{EndpointURL: "http://127.0.0.1:9000", Config: &Config{S3: &S3Config{AddressingStyle: "virtual"}}})
	u, _ = cc.GeneratePresignedURL(context.Background(), "get_object", Params{"Bucket": "my-bucket", "Key": "k"}, 0, "")
	if !strings.HasPrefix(u, "http://127.0.0.1:9000/my-bucket/k?") {
		t.Errorf("4.56 custom endpoint = %s", u)
	}
	var ucm *UnknownClientMethodError
	if _, err := c.GeneratePresignedURL(context.Background(), "bogus", nil, 0, ""); !errors.As(err, &ucm) || err.Error() != "Client does not have method: bogus" {
		t.Errorf("4.52: %v", err)
	}
	var pv *ParamValidationError
	if _, err := c.GeneratePresignedURL(context.Background(), "get_object", Params{"Bucket": "b"}, 0, ""); !errors.As(err, &pv) {
		t.Errorf("4.52 validation: %v", err)
	}
}

// 4.58, 4.59: presigned POST.
func TestS3PresignedPost_4_58(t *testing.T) {
	c, _ := testSession(t).Client("s3", ClientOptions{})
	post, err := c.GeneratePresignedPost(context.Background(), "my-bucket", "up/${filename}", nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if post.URL != "https://my-bucket.s3.amazonaws.com/" {
		t.Errorf("url = %s", post.URL)
	}
	for _, f := range []string{"AWSAccessKeyId", "key", "policy", "signature"} {
		if post.Fields[f] == "" {
			t.Errorf("missing field %s in %v", f, post.Fields)
		}
	}
	c4, _ := testSession(t).Client("s3", ClientOptions{Config: &Config{SignatureVersion: "s3v4"}})
	post, _ = c4.GeneratePresignedPost(context.Background(), "my-bucket", "k", nil, nil, 0)
	for _, f := range []string{"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature", "policy"} {
		if post.Fields[f] == "" {
			t.Errorf("s3v4 missing field %s", f)
		}
	}
	sq, _ := testSession(t).Client("sqs", ClientOptions{})
	if _, err := sq.GeneratePresignedPost(context.Background(), "b", "k", nil, nil, 0); err == nil {
		t.Error("4.05 non-S3 presigned post accepted")
	}
}
