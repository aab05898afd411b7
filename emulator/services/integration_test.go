package services_test

// The chassis with the real service packages: signature verification
// across S3 (rest-xml), SQS (json) and STS (query), STS temporary
// credentials, aws-chunked uploads into S3, and byte-for-byte determinism of
// an SQS session.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

const endpoint = "http://localhost:4566"

var (
	epoch = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	creds = sigv4.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"}
)

type client struct {
	t    *testing.T
	http *http.Client
	at   time.Time
}

func newClient(t *testing.T, o emulator.Options) (*client, *emulator.Emulator) {
	emu, err := emulator.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	return &client{t: t, http: &http.Client{Transport: emu.Transport()}, at: epoch}, emu
}

func (c *client) do(r *http.Request) (int, http.Header, []byte) {
	c.t.Helper()
	resp, err := c.http.Do(r)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func (c *client) sign(r *http.Request, cr sigv4.Credentials, service string) *http.Request {
	c.t.Helper()
	if _, err := sigv4.Sign(r, cr, service, "us-east-1", c.at); err != nil {
		c.t.Fatal(err)
	}
	return r
}

func (c *client) sqs(cr sigv4.Credentials, op string, in any) (int, []byte) {
	c.t.Helper()
	b, _ := json.Marshal(in)
	r, _ := http.NewRequest("POST", endpoint+"/", bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "AmazonSQS."+op)
	status, _, body := c.do(c.sign(r, cr, "sqs"))
	return status, body
}

func (c *client) sts(cr sigv4.Credentials, form string) (int, []byte) {
	c.t.Helper()
	r, _ := http.NewRequest("POST", endpoint+"/", strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	status, _, body := c.do(c.sign(r, cr, "sts"))
	return status, body
}

func verifying(t *testing.T) (*client, *emulator.Emulator) {
	return newClient(t, emulator.Options{VerifySignatures: true, Credentials: map[string]string{creds.AccessKeyID: creds.SecretAccessKey},
		Clock: emulator.FixedClock(epoch)})
}

func TestVerificationWithRealServices(t *testing.T) {
	c, _ := verifying(t)
	wrong := sigv4.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: "wrong"}
	unknown := sigv4.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: "x"}

	if status, body := c.sqs(creds, "CreateQueue", map[string]any{"QueueName": "q1"}); status != 200 {
		t.Fatalf("sqs good: %d %s", status, body)
	}
	if status, body := c.sqs(wrong, "ListQueues", map[string]any{}); status != 400 || !bytes.Contains(body, []byte("InvalidSignatureException")) {
		t.Errorf("sqs wrong secret: %d %s", status, body)
	}
	if status, body := c.sqs(unknown, "ListQueues", map[string]any{}); status != 400 || !bytes.Contains(body, []byte("UnrecognizedClientException")) {
		t.Errorf("sqs unknown key: %d %s", status, body)
	}
	if status, body := c.sts(creds, "Action=GetCallerIdentity&Version=2011-06-15"); status != 200 {
		t.Errorf("sts good: %d %s", status, body)
	}
	if status, body := c.sts(wrong, "Action=GetCallerIdentity&Version=2011-06-15"); status != 403 || !bytes.Contains(body, []byte("<Code>SignatureDoesNotMatch</Code>")) {
		t.Errorf("sts wrong secret: %d %s", status, body)
	}
	if status, body := c.sts(unknown, "Action=GetCallerIdentity&Version=2011-06-15"); status != 403 || !bytes.Contains(body, []byte("<Code>InvalidClientTokenId</Code>")) {
		t.Errorf("sts unknown key: %d %s", status, body)
	}
	r, _ := http.NewRequest("PUT", endpoint+"/bucket1", nil)
	if status, _, body := c.do(c.sign(r, wrong, "s3")); status != 403 || !bytes.Contains(body, []byte("<Code>SignatureDoesNotMatch</Code>")) {
		t.Errorf("s3 wrong secret: %d %s", status, body)
	}
	r, _ = http.NewRequest("PUT", endpoint+"/bucket1", nil)
	if status, _, body := c.do(c.sign(r, unknown, "s3")); status != 403 || !bytes.Contains(body, []byte("<Code>InvalidAccessKeyId</Code>")) {
		t.Errorf("s3 unknown key: %d %s", status, body)
	}
}

// Credentials from STS GetSessionToken sign later requests: with their
// session token they pass verification, without it they are refused.
func TestSTSTemporaryCredentialsPassVerification(t *testing.T) {
	c, _ := verifying(t)
	status, body := c.sts(creds, "Action=GetSessionToken&Version=2011-06-15")
	if status != 200 {
		t.Fatalf("GetSessionToken: %d %s", status, body)
	}
	var out struct {
		Creds struct {
			AccessKeyID     string `xml:"AccessKeyId"`
			SecretAccessKey string
			SessionToken    string
		} `xml:"GetSessionTokenResult>Credentials"`
	}
	if err := xml.Unmarshal(body, &out); err != nil || out.Creds.AccessKeyID == "" {
		t.Fatalf("%v %s", err, body)
	}
	temp := sigv4.Credentials{AccessKeyID: out.Creds.AccessKeyID, SecretAccessKey: out.Creds.SecretAccessKey, SessionToken: out.Creds.SessionToken}
	if status, body := c.sqs(temp, "CreateQueue", map[string]any{"QueueName": "temp"}); status != 200 {
		t.Errorf("temporary credentials: %d %s", status, body)
	}
	temp.SessionToken = ""
	if status, body := c.sqs(temp, "ListQueues", map[string]any{}); status != 400 || !bytes.Contains(body, []byte("UnrecognizedClientException")) {
		t.Errorf("temporary credentials without token: %d %s", status, body)
	}
}

// S3 receives aws-chunked uploads decoded; a forged chunk is refused with
// SignatureDoesNotMatch and stores nothing.
func TestS3ChunkedUploadThroughTheCore(t *testing.T) {
	c, _ := verifying(t)
	r, _ := http.NewRequest("PUT", endpoint+"/bkt", nil)
	if status, _, body := c.do(c.sign(r, creds, "s3")); status != 200 {
		t.Fatalf("CreateBucket: %d %s", status, body)
	}
	data := strings.Repeat("chunked upload ", 2000) // 30000 bytes
	put := func(key string, tamper bool) (int, []byte) {
		r, _ := http.NewRequest("PUT", endpoint+"/bkt/"+key, strings.NewReader(data))
		if _, err := sigv4.SignChunked(r, creds, "s3", "us-east-1", c.at, sigv4.StreamingSignedPayloadTrailer, "crc32", 8<<10); err != nil {
			t.Fatal(err)
		}
		if tamper {
			framed, _ := io.ReadAll(r.Body)
			framed = bytes.Replace(framed, []byte("upload"), []byte("UPLOAD"), 1)
			r.Body = io.NopCloser(bytes.NewReader(framed))
		}
		status, _, body := c.do(r)
		return status, body
	}
	get := func(key string) (int, []byte) {
		r, _ := http.NewRequest("GET", endpoint+"/bkt/"+key, nil)
		status, _, body := c.do(c.sign(r, creds, "s3"))
		return status, body
	}
	if status, body := put("good", false); status != 200 {
		t.Fatalf("chunked PutObject: %d %s", status, body)
	}
	if status, body := get("good"); status != 200 || string(body) != data {
		t.Errorf("GetObject after chunked put: %d (%d bytes, want %d)", status, len(body), len(data))
	}
	if status, body := put("forged", true); status != 403 || !bytes.Contains(body, []byte("SignatureDoesNotMatch")) {
		t.Errorf("forged chunk: %d %s", status, body)
	}
	if status, body := get("forged"); status != 404 {
		t.Errorf("forged object was stored: %d %s", status, body)
	}
}

// sqsSession runs a fixed SQS conversation (json and an old-SDK query
// request posted to the queue URL) and returns all response bytes.
func sqsSession(t *testing.T, seed uint64) []byte {
	c, _ := newClient(t, emulator.Options{Seed: seed, Clock: emulator.SteppingClock(epoch, 250*time.Millisecond)})
	var all bytes.Buffer
	record := func(status int, body []byte) []byte {
		fmt.Fprintf(&all, "%d %s\n", status, body)
		return body
	}
	var created struct{ QueueUrl string }
	_ = json.Unmarshal(record(c.sqs(creds, "CreateQueue", map[string]any{"QueueName": "orders"})), &created)
	if created.QueueUrl == "" {
		t.Fatalf("CreateQueue: %s", all.String())
	}
	for _, m := range []string{"one", "two", "three"} {
		record(c.sqs(creds, "SendMessage", map[string]any{"QueueUrl": created.QueueUrl, "MessageBody": m}))
	}
	var recv struct {
		Messages []struct{ ReceiptHandle string }
	}
	_ = json.Unmarshal(record(c.sqs(creds, "ReceiveMessage", map[string]any{"QueueUrl": created.QueueUrl, "MaxNumberOfMessages": 2, "AttributeNames": []string{"All"}})), &recv)
	for _, m := range recv.Messages {
		record(c.sqs(creds, "DeleteMessage", map[string]any{"QueueUrl": created.QueueUrl, "ReceiptHandle": m.ReceiptHandle}))
	}
	record(c.sqs(creds, "GetQueueAttributes", map[string]any{"QueueUrl": created.QueueUrl, "AttributeNames": []string{"All"}}))
	record(c.sqs(creds, "SendMessage", map[string]any{"QueueUrl": endpoint + "/000000000000/missing", "MessageBody": "x"}))
	// An old SDK's query request posted to the queue URL, without QueueUrl.
	r, _ := http.NewRequest("POST", created.QueueUrl, strings.NewReader("Action=SendMessage&Version=2012-11-05&MessageBody=legacy"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, _, body := c.do(c.sign(r, creds, "sqs"))
	record(status, body)
	return all.Bytes()
}

func TestSQSSessionIsDeterministic(t *testing.T) {
	a, b := sqsSession(t, 99), sqsSession(t, 99)
	if !bytes.Equal(a, b) {
		t.Errorf("same seed, different bytes:\n%s\n=====\n%s", a, b)
	}
	if bytes.Equal(a, sqsSession(t, 100)) {
		t.Error("different seeds gave the same bytes")
	}
	out := string(a)
	if !strings.Contains(out, "NonExistentQueue") && !strings.Contains(out, "QueueDoesNotExist") {
		t.Errorf("no error for the missing queue:\n%s", out)
	}
	if strings.Count(out, "\n200 ") < 8 {
		t.Errorf("calls failed:\n%s", out)
	}
}

// Garbage bodies through the real codecs are client errors in the
// service's dialect, and requests no service claims are answered too.
func TestGarbageThroughRealCodecs(t *testing.T) {
	c, _ := newClient(t, emulator.Options{Clock: emulator.FixedClock(epoch)})
	r, _ := http.NewRequest("PUT", endpoint+"/bkt", nil)
	if status, _, body := c.do(c.sign(r, creds, "s3")); status != 200 {
		t.Fatalf("CreateBucket: %d %s", status, body)
	}
	for _, g := range []string{"\x00\xff", "{", "<a><b>", "%%%=&&", `{"QueueName":[1,2,{}]}`, strings.Repeat("[", 5000)} {
		req := func(method, url, ctype, target, service string) *http.Request {
			r, _ := http.NewRequest(method, url, strings.NewReader(g))
			r.Header.Set("Content-Type", ctype)
			if target != "" {
				r.Header.Set("X-Amz-Target", target)
			}
			return c.sign(r, creds, service)
		}
		for _, tc := range []struct {
			name    string
			r       *http.Request
			dialect string
		}{
			{"sqs json", req("POST", endpoint+"/", "application/x-amz-json-1.0", "AmazonSQS.CreateQueue", "sqs"), `"__type"`},
			{"dynamodb json", req("POST", endpoint+"/", "application/x-amz-json-1.0", "DynamoDB_20120810.PutItem", "dynamodb"), `"__type"`},
			{"sts query", req("POST", endpoint+"/", "application/x-www-form-urlencoded", "", "sts"), "<ErrorResponse"},
			{"s3 rest-xml", req("PUT", endpoint+"/bkt?tagging", "application/xml", "", "s3"), "<Error>"},
			{"unclaimed service", req("POST", endpoint+"/", "application/x-amz-json-1.1", "Kinesis_20131202.ListStreams", "kinesis"), "NotImplemented"},
		} {
			status, _, body := c.do(tc.r)
			if status < 400 || status >= 500 && status != 501 || !bytes.Contains(body, []byte(tc.dialect)) {
				t.Errorf("%s %q: %d %.300s", tc.name, g, status, body)
			}
		}
	}
}
