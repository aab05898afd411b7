package recorder

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Test credentials in AWS's documented example format.
const (
	testAKID   = "AKIAIOSFODNN7EXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testToken  = "IQoJb3JpZ2luX2VjEXAMPLETOKENFwoGZXIvYXdzEDdaDEXAMPLESESSIONTOKENaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	// What fakeAWS hands out from STS and friends.
	stsAKID   = "ASIAQWERTYUIOPASDFGH"
	stsSecret = "Zx9Qm2Lk8Jh7Gf6Ds5Ap4Ow3Ie2Uy1Tr0EqWs9Ed"
	stsToken  = "FwoGZXIvYXdzEBYaDHSTSSESSIONTOKENVALUEbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// signer imitates an SDK: it adds a SigV4-shaped Authorization header with
// a fresh signature, a fresh date and invocation id, and a security token,
// so every run sends different volatile headers.
type signer struct {
	next    http.RoundTripper
	service string
	region  string
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s signer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	date := time.Now().UTC().Format("20060102T150405Z")
	r.Header.Set("X-Amz-Date", date)
	r.Header.Set("Amz-Sdk-Invocation-Id", randHex(16))
	r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.48.0 os/linux lang/go#1.26 run/"+randHex(3))
	r.Header.Set("X-Amz-Security-Token", testToken)
	r.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=host;x-amz-date, Signature=%s",
		testAKID, date[:8], s.region, s.service, randHex(32)))
	return s.next.RoundTrip(r)
}

func signedClient(rt http.RoundTripper, service string) *http.Client {
	return &http.Client{Transport: signer{next: rt, service: service, region: "us-east-1"}}
}

// fakeAWS is a small "AWS" on 127.0.0.1: SQS over the JSON protocol, STS
// over the query protocol, and S3-style REST. Responses carry a counter so
// repeated identical requests get different answers.
type fakeAWS struct {
	*httptest.Server
	n       atomic.Int64
	mu      sync.Mutex
	objects map[string][]byte
}

func newFakeAWS(t *testing.T) *fakeAWS {
	t.Helper()
	f := &fakeAWS{objects: map[string][]byte{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	n := f.n.Add(1)
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Date", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Format(http.TimeFormat))
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("req-%d", n))
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		switch target {
		case "AmazonSQS.SendMessage":
			fmt.Fprintf(w, `{"MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592","MessageId":"msg-%d"}`, n)
		case "AmazonSQS.GetQueueUrl":
			if strings.Contains(string(body), "missing") {
				w.WriteHeader(400)
				fmt.Fprint(w, `{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}`)
				return
			}
			fmt.Fprintf(w, `{"QueueUrl":"%s/123456789012/q"}`, f.URL)
		case "AWSSecurityTokenServiceV20110615.AssumeRole": // JSON shape of STS (smithy json clients)
			fmt.Fprintf(w, `{"AssumedRoleUser":{"Arn":"arn:aws:sts::123456789012:assumed-role/r/s"},"Credentials":{"AccessKeyId":"%s","Expiration":1767225600,"SecretAccessKey":"%s","SessionToken":"%s"}}`, stsAKID, stsSecret, stsToken)
		case "SWBPortalService.GetRoleCredentials":
			fmt.Fprintf(w, `{"roleCredentials":{"accessKeyId":"%s","expiration":1767225600000,"secretAccessKey":"%s","sessionToken":"%s"}}`, stsAKID, stsSecret, stsToken)
		case "AWSCognitoIdentityService.GetCredentialsForIdentity":
			fmt.Fprintf(w, `{"Credentials":{"AccessKeyId":"%s","Expiration":1.7672256E9,"SecretKey":"%s","SessionToken":"%s"},"IdentityId":"us-east-1:abc"}`, stsAKID, stsSecret, stsToken)
		case "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken":
			fmt.Fprintf(w, `{"authorizationData":[{"authorizationToken":"QVdTOmV5SndZWGxzYjJGa0lqb2lSWGhoYlhCc1pTSjk=","expiresAt":1.7672256E9,"proxyEndpoint":"https://123456789012.dkr.ecr.us-east-1.amazonaws.com"}]}`)
		default:
			w.WriteHeader(400)
			fmt.Fprint(w, `{"__type":"UnknownOperationException"}`)
		}
		return
	}
	if r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		form, _ := url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "text/xml")
		switch form.Get("Action") {
		case "GetCallerIdentity":
			fmt.Fprintf(w, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::123456789012:user/alice</Arn>\n    <UserId>%s</UserId>\n    <Account>123456789012</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>req-%d</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n", testAKID, n)
		case "AssumeRole", "GetSessionToken", "GetFederationToken":
			fmt.Fprintf(w, "<%sResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <%sResult>\n    <Credentials>\n      <AccessKeyId>%s</AccessKeyId>\n      <SecretAccessKey>%s</SecretAccessKey>\n      <SessionToken>%s</SessionToken>\n      <Expiration>2026-01-01T00:00:00Z</Expiration>\n    </Credentials>\n  </%sResult>\n</%sResponse>\n",
				form.Get("Action"), form.Get("Action"), stsAKID, stsSecret, stsToken, form.Get("Action"), form.Get("Action"))
		default:
			w.WriteHeader(400)
			fmt.Fprint(w, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code></Error></ErrorResponse>")
		}
		return
	}
	// S3-style REST.
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method {
	case http.MethodPut:
		f.objects[r.URL.Path] = body
		w.Header().Set("ETag", fmt.Sprintf(`"etag-%d"`, n))
	case http.MethodGet:
		b, ok := f.objects[r.URL.Path]
		if !ok {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(404)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(b)
	default:
		w.WriteHeader(405)
	}
}

// call sends one request and returns status, body and headers.
func call(t *testing.T, c *http.Client, method, u string, header map[string]string, body string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

func jsonTarget(target string) map[string]string {
	return map[string]string{"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"}
}

var formHeader = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
