package sns

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
)

type post struct {
	typ  string
	body map[string]string
}

// endpoint is a loopback HTTP subscriber answering fail 500s first.
func endpoint(t *testing.T, fail int) (string, <-chan post) {
	ch := make(chan post, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]string
		_ = json.Unmarshal(b, &m)
		ch <- post{r.Header.Get("x-amz-sns-message-type"), m}
		if fail > 0 {
			fail--
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL, ch
}

func next(t *testing.T, ch <-chan post) post {
	t.Helper()
	select {
	case p := <-ch:
		return p
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10 s")
	}
	return post{}
}

// verify checks a message's signature against the emulator's certificate
// with crypto/x509, as an SNS subscriber does.
func verify(t *testing.T, emu *emulator.Emulator, m map[string]string) {
	t.Helper()
	s, err := signerFor(emu, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(s.certPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	env := &envelope{Type: m["Type"], MessageID: m["MessageId"], Token: m["Token"], TopicArn: m["TopicArn"], Subject: m["Subject"],
		Message: m["Message"], SubscribeURL: m["SubscribeURL"], Timestamp: m["Timestamp"]}
	sig, err := base64.StdEncoding.DecodeString(m["Signature"])
	if err != nil {
		t.Fatal(err)
	}
	alg := x509.SHA1WithRSA
	if m["SignatureVersion"] == "2" {
		alg = x509.SHA256WithRSA
	}
	if err := cert.CheckSignature(alg, []byte(stringToSign(env)), sig); err != nil {
		t.Fatalf("signature version %s does not verify: %v", m["SignatureVersion"], err)
	}
	// And by hand, the way SNS documents it.
	pub := cert.PublicKey.(*rsa.PublicKey)
	if m["SignatureVersion"] == "2" {
		h := sha256.Sum256([]byte(stringToSign(env)))
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig)
	} else {
		h := sha1.Sum([]byte(stringToSign(env)))
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA1, h[:], sig)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestHTTPSubscriptionHandshakeSignedNotificationsAndRetries(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 5, Services: []string{"sns"}})
	c := wiretest.New(t, ts.Emulator, "sns")
	url0, posts := endpoint(t, 0)
	arn := c.Call("CreateTopic", map[string]any{"Name": "events"})["TopicArn"].(string)
	if got := c.Call("Subscribe", map[string]any{"TopicArn": arn, "Protocol": "http", "Endpoint": url0})["SubscriptionArn"]; got != "pending confirmation" {
		t.Fatalf("SubscriptionArn %v", got)
	}
	conf := next(t, posts)
	if conf.typ != "SubscriptionConfirmation" || conf.body["Token"] == "" || conf.body["SignatureVersion"] != "1" {
		t.Fatalf("confirmation %v", conf)
	}
	verify(t, ts.Emulator, conf.body)

	// A plain GET on SubscribeURL, against the emulator's address, confirms.
	su, err := url.Parse(conf.body["SubscribeURL"])
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(ts.URL)
	su.Scheme, su.Host = base.Scheme, base.Host
	resp, err := http.Get(su.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET SubscribeURL: %d %s", resp.StatusCode, body)
	}
	subs := c.Call("ListSubscriptionsByTopic", map[string]any{"TopicArn": arn})["Subscriptions"].([]any)
	subArn := subs[0].(map[string]any)["SubscriptionArn"].(string)
	if subArn == "PendingConfirmation" {
		t.Fatal("still pending after GET SubscribeURL")
	}

	c.Call("Publish", map[string]any{"TopicArn": arn, "Message": "hello", "Subject": "greeting"})
	n := next(t, posts)
	if n.typ != "Notification" || n.body["Message"] != "hello" || n.body["Subject"] != "greeting" {
		t.Fatalf("notification %v", n)
	}
	verify(t, ts.Emulator, n.body)

	c.Call("SetTopicAttributes", map[string]any{"TopicArn": arn, "AttributeName": "SignatureVersion", "AttributeValue": "2"})
	c.Call("Publish", map[string]any{"TopicArn": arn, "Message": "v2"})
	n = next(t, posts)
	if n.body["SignatureVersion"] != "2" {
		t.Fatalf("SignatureVersion %q", n.body["SignatureVersion"])
	}
	verify(t, ts.Emulator, n.body)
}

func TestHTTPDeliveryRetriesPerDeliveryPolicy(t *testing.T) {
	emu := wiretest.NewEmulator(t, []string{"sns"}, emulator.Options{Seed: 6})
	c := wiretest.New(t, emu, "sns")
	u, posts := endpoint(t, 3) // the confirmation and the first two notification attempts fail
	arn := c.Call("CreateTopic", map[string]any{"Name": "flaky", "Attributes": map[string]any{
		"DeliveryPolicy": `{"http":{"defaultHealthyRetryPolicy":{"numRetries":0,"minDelayTarget":0}}}`}})["TopicArn"].(string)
	subArn := c.Call("Subscribe", map[string]any{"TopicArn": arn, "Protocol": "http", "Endpoint": u, "ReturnSubscriptionArn": true})["SubscriptionArn"].(string)
	conf := next(t, posts) // numRetries 0: one attempt only
	c.Call("ConfirmSubscription", map[string]any{"TopicArn": arn, "Token": conf.body["Token"]})
	c.Call("SetSubscriptionAttributes", map[string]any{"SubscriptionArn": subArn, "AttributeName": "DeliveryPolicy",
		"AttributeValue": `{"healthyRetryPolicy":{"numRetries":2,"minDelayTarget":0,"maxDelayTarget":0}}`})
	c.Call("Publish", map[string]any{"TopicArn": arn, "Message": "eventually"})
	for i := range 3 { // two failures, then delivered
		if p := next(t, posts); p.body["Message"] != "eventually" {
			t.Fatalf("attempt %d: %v", i, p)
		}
	}
	select {
	case p := <-posts:
		t.Fatalf("delivered again after success: %v", p)
	case <-time.After(200 * time.Millisecond):
	}
}

func TestPublishBatchTotalOver256KiBIsBatchRequestTooLong(t *testing.T) {
	emu := wiretest.NewEmulator(t, []string{"sns"}, emulator.Options{Seed: 8})
	c := wiretest.New(t, emu, "sns")
	arn := c.Call("CreateTopic", map[string]any{"Name": "big"})["TopicArn"].(string)
	big := strings.Repeat("x", 140<<10)
	c.WantErr("PublishBatch", map[string]any{"TopicArn": arn, "PublishBatchRequestEntries": []any{
		map[string]any{"Id": "a", "Message": big}, map[string]any{"Id": "b", "Message": big}}}, "BatchRequestTooLong", 400)
	out := c.Call("PublishBatch", map[string]any{"TopicArn": arn, "PublishBatchRequestEntries": []any{
		map[string]any{"Id": "a", "Message": big}}})
	if len(out["Successful"].([]any)) != 1 {
		t.Fatalf("%v", out)
	}
}
