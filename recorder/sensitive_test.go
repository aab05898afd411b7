package recorder

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The models leave some live credentials unflagged: STS and Cognito
// Identity session tokens and ECR's authorization token are plain strings
// there. The explicit list covers them; this pins that it must.
func TestCredentialMembersTheModelsLeaveUnflaggedAreOnTheExplicitList(t *testing.T) {
	for _, c := range []struct{ service, shape, member string }{
		{"sts", "Credentials", "SessionToken"},
		{"cognito-identity", "Credentials", "SessionToken"},
		{"ecr", "AuthorizationData", "authorizationToken"},
	} {
		svc, err := modelFor(c.service)
		if err != nil {
			t.Fatal(err)
		}
		ref := svc.Shapes[c.shape].Members[c.member]
		if ref == nil {
			t.Fatalf("%s: %s.%s not in the model", c.service, c.shape, c.member)
		}
		if ref.Shape.Sensitive {
			t.Logf("%s: %s.%s is now flagged sensitive by the model", c.service, c.shape, c.member)
		}
		listed := false
		for _, f := range credentialFields {
			listed = listed || f == c.member
		}
		if !listed {
			t.Errorf("%s: %s is not on the explicit credential list", c.service, c.member)
		}
	}
}

const (
	ssmSecret  = "s3cr3t-parameter-value/with&odd<chars>"
	ssmCipher  = "arn:aws:kms:us-east-1:123456789012:key/0f0f0f0f-aaaa-bbbb-cccc-111111111111"
	sseKey     = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY2Nzg5YWJjZGU="
	iamShortPW = "pw1!"
	account    = "123456789012"
)

// sensitiveAWS answers ssm (json), iam (query), s3 (rest-xml) and sqs/sns
// calls carrying account ids.
func sensitiveAWS(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.Header.Get("X-Amz-Target") {
		case "AmazonSSM.GetParameter":
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			fmt.Fprintf(w, `{"Parameter":{"ARN":"arn:aws:ssm:us-east-1:%s:parameter/db/pw","Name":"/db/pw","Type":"SecureString","Value":%q,"Version":1}}`, account, ssmSecret)
			return
		case "AmazonSSM.PutParameter":
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			fmt.Fprint(w, `{"Tier":"Standard","Version":1}`)
			return
		case "AmazonSQS.GetQueueUrl":
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			fmt.Fprintf(w, `{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/%s/orders"}`, account)
			return
		case "AmazonSQS.SendMessage":
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			fmt.Fprint(w, `{"MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592","MessageId":"m-1"}`)
			return
		}
		if r.Method == "POST" {
			form, _ := url.ParseQuery(string(body))
			w.Header().Set("Content-Type", "text/xml")
			switch form.Get("Action") {
			case "CreateLoginProfile":
				fmt.Fprint(w, `<CreateLoginProfileResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateLoginProfileResult><LoginProfile><UserName>bob</UserName><CreateDate>2026-01-01T00:00:00Z</CreateDate></LoginProfile></CreateLoginProfileResult></CreateLoginProfileResponse>`)
			case "Publish":
				fmt.Fprint(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-2</MessageId></PublishResult></PublishResponse>`)
			}
			return
		}
		w.Header().Set("ETag", `"e"`)
		w.Header().Set("X-Amz-Server-Side-Encryption-Customer-Algorithm", "AES256")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSensitiveMembersAreRedactedAndStillMatch(t *testing.T) {
	srv := sensitiveAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	scenario := func(rec *Recorder) []string {
		var out []string
		ssm := signedClient(rec, "ssm")
		target := func(op string) map[string]string {
			return map[string]string{"X-Amz-Target": "AmazonSSM." + op, "Content-Type": "application/x-amz-json-1.1"}
		}
		valueJSON := strings.ReplaceAll(fmt.Sprintf("%q", ssmSecret), "/", `\/`)
		_, b, _ := call(t, ssm, "POST", srv.URL, target("PutParameter"), `{"Name":"/db/pw","Type":"SecureString","Value":`+valueJSON+`,"KeyId":"`+ssmCipher+`"}`)
		out = append(out, string(b))
		_, b, _ = call(t, ssm, "POST", srv.URL, target("GetParameter"), `{"Name":"/db/pw","WithDecryption":true}`)
		out = append(out, string(b))
		_, b, _ = call(t, signedClient(rec, "iam"), "POST", srv.URL, formHeader,
			"Action=CreateLoginProfile&Version=2010-05-08&UserName=bob&Password="+url.QueryEscape(iamShortPW))
		out = append(out, string(b))
		status, _, h := call(t, signedClient(rec, "s3"), "PUT", srv.URL+"/bucket/k", map[string]string{
			"X-Amz-Server-Side-Encryption-Customer-Algorithm": "AES256",
			"X-Amz-Server-Side-Encryption-Customer-Key":       sseKey,
			"X-Amz-Server-Side-Encryption-Customer-Key-Md5":   "bWQ1bWQ1bWQ1bWQ1bWQ1bQ==",
		}, "data")
		out = append(out, fmt.Sprint(status, h.Get("Etag")))
		return out
	}
	rec, err := New(path, WithMode(Record), IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	live := scenario(rec)
	if !strings.Contains(live[1], "with&odd") {
		t.Fatalf("the code under test must get the live value: %s", live[1])
	}
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"s3cr3t", sseKey, "Password=pw1", account} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("cassette contains %q:\n%s", s, data)
		}
	}
	srv.Close()
	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	replayed := scenario(play) // the same live sensitive values match
	if !strings.Contains(replayed[1], `"Value":"REDACTED`) || strings.Contains(replayed[1], account) {
		t.Errorf("replayed GetParameter: %s", replayed[1])
	}
	if replayed[3] != live[3] {
		t.Errorf("replayed PutObject %q, recorded %q", replayed[3], live[3])
	}
	if u := play.Unused(); len(u) != 0 {
		t.Errorf("%d interactions unused", len(u))
	}
}

func TestAccountIDsBecomeStablePlaceholdersAndMatchThrough(t *testing.T) {
	srv := sensitiveAWS(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv())
	sqs := signedClient(rec, "sqs")
	_, b, _ := call(t, sqs, "POST", srv.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	if !strings.Contains(string(b), account) {
		t.Fatalf("live response must keep the account: %s", b)
	}
	queueURL := "https://sqs.us-east-1.amazonaws.com/" + account + "/orders"
	call(t, sqs, "POST", srv.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"`+queueURL+`","MessageBody":"hi"}`)
	topic := "arn:aws:sns:us-east-1:" + account + ":alerts"
	call(t, signedClient(rec, "sns"), "POST", srv.URL, formHeader, "Action=Publish&Version=2010-03-31&TopicArn="+url.QueryEscape(topic)+"&Message=m")
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte(account)) {
		t.Fatalf("cassette holds the account id:\n%s", data)
	}
	if !bytes.Contains(data, []byte("000000000001/orders")) || !bytes.Contains(data, []byte("000000000001%3Aalerts")) {
		t.Fatalf("placeholder not used consistently:\n%s", data)
	}
	srv.Close()

	// The test still knows its real account: its requests match.
	play, _ := New(path, IgnoreEnv())
	sqs = signedClient(play, "sqs")
	_, b, _ = call(t, sqs, "POST", srv.URL, jsonTarget("AmazonSQS.GetQueueUrl"), `{"QueueName":"orders"}`)
	if string(b) != `{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/000000000001/orders"}` {
		t.Fatalf("replayed GetQueueUrl: %s", b)
	}
	call(t, sqs, "POST", srv.URL, jsonTarget("AmazonSQS.SendMessage"), `{"QueueUrl":"`+queueURL+`","MessageBody":"hi"}`)
	// ... and so do requests built from what replay returned.
	call(t, signedClient(play, "sns"), "POST", srv.URL, formHeader,
		"Action=Publish&Version=2010-03-31&TopicArn="+url.QueryEscape("arn:aws:sns:us-east-1:000000000001:alerts")+"&Message=m")
	if u := play.Unused(); len(u) != 0 {
		t.Errorf("%d interactions unused", len(u))
	}
}

func TestAccountReplacementLeavesLongerNumbersAlone(t *testing.T) {
	rd := newRedactor()
	rd.scanAccounts([]byte(`arn:aws:iam::123456789012:role/r`))
	got := string(rd.replaceAccountsIn([]byte(`123456789012 1234567890123 x123456789012y 000000000000`)))
	if got != `000000000001 1234567890123 x000000000001y 000000000000` {
		t.Fatalf("got %q", got)
	}
}

func FuzzRedactSensitive(f *testing.F) {
	f.Add("AmazonSSM.PutParameter", []byte(`{"Name":"n","Value":"v","Type":"SecureString"}`), []byte(`{"Version":1}`))
	f.Add("AmazonSSM.GetParameter", []byte(`{"Name":"n"}`), []byte(`{"Parameter":{"Value":"x\"y"}}`))
	f.Add("", []byte("Action=CreateLoginProfile&UserName=a&Password=b"), []byte("<x/>"))
	f.Fuzz(func(t *testing.T, target string, reqBody, respBody []byte) {
		rec := &Recorder{cfg: config{rd: newRedactor()}}
		h := http.Header{"Content-Type": {"application/x-amz-json-1.1"}}
		svc := "ssm"
		if target == "" {
			h.Set("Content-Type", "application/x-www-form-urlencoded")
			svc = "iam"
		} else {
			h.Set("X-Amz-Target", target)
		}
		h.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"+svc+"/aws4_request, SignedHeaders=host, Signature=00")
		in := &Interaction{Request: Request{Method: "POST", URL: "https://example.com/", Headers: h, Body: reqBody},
			Response: &Response{Status: 200, Headers: http.Header{}, Body: respBody}}
		rec.redactSensitive(in)
		rec.cfg.rd.findAccounts(in)
		rec.cfg.rd.replaceKnown(in)
	})
}
