package sns

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	_ "github.com/fakecloud/fakecloud/emulator/s3"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
)

// certURLPath is the path of every SigningCertURL the emulator hands out.
// AWS's is /SimpleNotificationService-<32 hex>.pem on https://sns.<region>.amazonaws.com;
// ours keeps the file name and the .pem suffix validators check, under the
// control namespace so no S3 path-style key can shadow it.
var certURLPath = regexp.MustCompile(`^/_fakecloud/sns/SimpleNotificationService-[0-9a-f]{32}\.pem$`)

// fetchCert does what an SDK message validator does: GET SigningCertURL
// (unsigned, no control token) and parse the PEM certificate.
func fetchCert(t *testing.T, certURL string) *x509.Certificate {
	t.Helper()
	resp, err := http.Get(certURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", certURL, resp.StatusCode, body)
	}
	block, _ := pem.Decode(body)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("GET %s: not a PEM certificate: %q", certURL, body)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// checkSigned verifies a message's Signature with the certificate fetched
// from its own SigningCertURL, over SNS's string to sign built from the
// message's fields (not from emulator internals).
func checkSigned(t *testing.T, base string, m map[string]string) {
	t.Helper()
	u, err := url.Parse(m["SigningCertURL"])
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := url.Parse(base); u.Scheme != "http" || u.Host != want.Host || !certURLPath.MatchString(u.Path) {
		t.Fatalf("SigningCertURL %q: want http://%s/_fakecloud/sns/SimpleNotificationService-<32 hex>.pem", m["SigningCertURL"], want.Host)
	}
	cert := fetchCert(t, m["SigningCertURL"])
	var b strings.Builder
	fields := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if m["Type"] != "Notification" {
		fields = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	for _, k := range fields {
		if v, ok := m[k]; ok {
			b.WriteString(k + "\n" + v + "\n")
		}
	}
	sig, err := base64.StdEncoding.DecodeString(m["Signature"])
	if err != nil {
		t.Fatal(err)
	}
	alg := map[string]x509.SignatureAlgorithm{"1": x509.SHA1WithRSA, "2": x509.SHA256WithRSA}[m["SignatureVersion"]]
	if alg == 0 {
		t.Fatalf("SignatureVersion %q", m["SignatureVersion"])
	}
	if err := cert.CheckSignature(alg, []byte(b.String()), sig); err != nil {
		t.Fatalf("%s v%s: signature does not verify with the certificate at SigningCertURL: %v", m["Type"], m["SignatureVersion"], err)
	}
}

func TestSigningCertURLServesTheCertificateThatVerifiesDeliveries(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 11, Services: []string{"sns", "sqs", "s3"}})
	c := wiretest.New(t, ts.Emulator, "sns", wiretest.Endpoint(ts.URL))
	q := wiretest.New(t, ts.Emulator, "sqs", wiretest.Endpoint(ts.URL))
	hook, posts := endpoint(t, 0)
	arn := c.Call("CreateTopic", map[string]any{"Name": "signed"})["TopicArn"].(string)
	c.Call("Subscribe", map[string]any{"TopicArn": arn, "Protocol": "http", "Endpoint": hook})
	conf := next(t, posts)
	checkSigned(t, ts.URL, conf.body)
	c.Call("ConfirmSubscription", map[string]any{"TopicArn": arn, "Token": conf.body["Token"]})

	qurl := q.Call("CreateQueue", map[string]any{"QueueName": "env"})["QueueUrl"].(string)
	qarn := q.Call("GetQueueAttributes", map[string]any{"QueueUrl": qurl, "AttributeNames": []any{"QueueArn"}})["Attributes"].(map[string]any)["QueueArn"].(string)
	c.Call("Subscribe", map[string]any{"TopicArn": arn, "Protocol": "sqs", "Endpoint": qarn})

	for _, v := range []string{"1", "2"} {
		c.Call("SetTopicAttributes", map[string]any{"TopicArn": arn, "AttributeName": "SignatureVersion", "AttributeValue": v})
		c.Call("Publish", map[string]any{"TopicArn": arn, "Message": "line1\nline2 <&> \"q\"", "Subject": "s" + v})
		n := next(t, posts)
		if n.body["SignatureVersion"] != v {
			t.Fatalf("http notification SignatureVersion %q, want %s", n.body["SignatureVersion"], v)
		}
		checkSigned(t, ts.URL, n.body)

		msgs, _ := q.Call("ReceiveMessage", map[string]any{"QueueUrl": qurl})["Messages"].([]any)
		if len(msgs) != 1 {
			t.Fatalf("sqs: %v", msgs)
		}
		m := msgs[0].(map[string]any)
		var env map[string]string
		if err := json.Unmarshal([]byte(m["Body"].(string)), &env); err != nil {
			t.Fatal(err)
		}
		checkSigned(t, ts.URL, env)
		q.Call("DeleteMessage", map[string]any{"QueueUrl": qurl, "ReceiptHandle": m["ReceiptHandle"]})
	}

	// HEAD answers too; another name, and the old certificate after a reset
	// (which makes a new key), are 404 — never an S3 NoSuchBucket.
	certURL := conf.body["SigningCertURL"]
	resp, err := http.Head(certURL)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD %s: %v %v", certURL, resp, err)
	}
	resp.Body.Close()
	for _, u := range []string{ts.URL + "/_fakecloud/sns/SimpleNotificationService-00000000000000000000000000000000.pem", certURL} {
		if u == certURL {
			if err := ts.Emulator.Reset(); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || strings.Contains(string(body), "NoSuchBucket") {
			t.Errorf("GET %s: %d %s", u, resp.StatusCode, body)
		}
	}
}

// The parsed signing key is cached by the stored key's bytes: a fan-out
// signs once (every subscriber gets the same signed fields, so the same
// signature), and after a reset (a new key) deliveries carry the new
// certificate's URL and verify with it, never with the old cached key.
func TestSigningKeyCacheFollowsResetAndFanOutSharesOneSignature(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 12, Services: []string{"sns", "sqs"}})
	c := wiretest.New(t, ts.Emulator, "sns", wiretest.Endpoint(ts.URL))
	q := wiretest.New(t, ts.Emulator, "sqs", wiretest.Endpoint(ts.URL))
	round := func() []map[string]string {
		arn := c.Call("CreateTopic", map[string]any{"Name": "cached"})["TopicArn"].(string)
		var urls []string
		for _, name := range []string{"a", "b"} {
			qurl := q.Call("CreateQueue", map[string]any{"QueueName": name})["QueueUrl"].(string)
			qarn := q.Call("GetQueueAttributes", map[string]any{"QueueUrl": qurl, "AttributeNames": []any{"QueueArn"}})["Attributes"].(map[string]any)["QueueArn"].(string)
			c.Call("Subscribe", map[string]any{"TopicArn": arn, "Protocol": "sqs", "Endpoint": qarn})
			urls = append(urls, qurl)
		}
		c.Call("Publish", map[string]any{"TopicArn": arn, "Message": "m", "Subject": "s"})
		var envs []map[string]string
		for _, qurl := range urls {
			msgs, _ := q.Call("ReceiveMessage", map[string]any{"QueueUrl": qurl})["Messages"].([]any)
			if len(msgs) != 1 {
				t.Fatalf("%s: %v", qurl, msgs)
			}
			var env map[string]string
			if err := json.Unmarshal([]byte(msgs[0].(map[string]any)["Body"].(string)), &env); err != nil {
				t.Fatal(err)
			}
			checkSigned(t, ts.URL, env)
			envs = append(envs, env)
		}
		if envs[0]["Signature"] != envs[1]["Signature"] || envs[0]["UnsubscribeURL"] == envs[1]["UnsubscribeURL"] {
			t.Fatalf("fan-out: signatures %q / %q, unsubscribe URLs %q / %q", envs[0]["Signature"], envs[1]["Signature"], envs[0]["UnsubscribeURL"], envs[1]["UnsubscribeURL"])
		}
		return envs
	}
	before := round()
	if err := ts.Emulator.Reset(); err != nil {
		t.Fatal(err)
	}
	after := round()
	if before[0]["SigningCertURL"] == after[0]["SigningCertURL"] {
		t.Fatalf("SigningCertURL unchanged across reset: %s", after[0]["SigningCertURL"])
	}
}
