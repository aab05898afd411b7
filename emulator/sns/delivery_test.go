package sns

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
)

// deliveries reads the delivery log the way a test outside Go would:
// GET /_fakecloud/state, <account>/<region>/sns/deliveries/<key>.
func deliveries(t *testing.T, baseURL, key string) []delivery {
	t.Helper()
	resp, err := http.Get(baseURL + "/_fakecloud/state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "PRIVATE KEY") || strings.Contains(string(body), `"key"`) {
		t.Fatal("state shows the SNS signing key")
	}
	var st map[string]map[string]map[string]struct {
		Deliveries map[string][]delivery `json:"deliveries"`
	}
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatalf("state: %v\n%s", err, body)
	}
	return st["000000000000"]["us-east-1"]["sns"].Deliveries[key]
}

func TestUnreachableProtocolsAreRecordedInTheDeliveryLog(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{Seed: 21, Services: []string{"sns"}})
	c := wiretest.New(t, ts.Emulator, "sns", wiretest.Endpoint(ts.URL))
	arn := c.Call("CreateTopic", map[string]any{"Name": "alerts"})["TopicArn"].(string)
	sub := func(proto, endpoint string, attrs map[string]any) string {
		in := map[string]any{"TopicArn": arn, "Protocol": proto, "Endpoint": endpoint, "ReturnSubscriptionArn": true}
		if attrs != nil {
			in["Attributes"] = attrs
		}
		return c.Call("Subscribe", in)["SubscriptionArn"].(string)
	}
	fn := "arn:aws:lambda:us-east-1:000000000000:function:handler"
	lambdaSub := sub("lambda", fn, nil)
	sub("firehose", "arn:aws:firehose:us-east-1:000000000000:deliverystream/s", map[string]any{
		"RawMessageDelivery": "true", "SubscriptionRoleArn": "arn:aws:iam::000000000000:role/r"})
	sub("sms", "+15555550100", nil)
	sub("application", "arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/1", nil)
	sub("email", "ops@example.com", map[string]any{"FilterPolicy": `{"sev":["high"]}`})

	// The email subscription waits for confirmation: its confirmation is in
	// the log with the Token that confirms it.
	log := deliveries(t, ts.URL, arn)
	if len(log) != 1 || log[0].Type != "SubscriptionConfirmation" || log[0].Protocol != "email" || log[0].Token == "" ||
		!strings.Contains(log[0].Payload, "Action=ConfirmSubscription") {
		t.Fatalf("confirmation: %+v", log)
	}
	c.Call("ConfirmSubscription", map[string]any{"TopicArn": arn, "Token": log[0].Token})

	pub := c.Call("Publish", map[string]any{"TopicArn": arn, "Message": "disk full", "Subject": "alarm",
		"MessageAttributes": map[string]any{"sev": map[string]any{"DataType": "String", "StringValue": "high"}}})
	c.Call("Publish", map[string]any{"TopicArn": arn, "Message": "disk ok", // filtered out for email
		"MessageAttributes": map[string]any{"sev": map[string]any{"DataType": "String", "StringValue": "low"}}})

	log = deliveries(t, ts.URL, arn)[1:]
	got := map[string][]delivery{}
	for _, d := range log {
		if d.Type != "Notification" || d.TopicArn != arn {
			t.Errorf("delivery %+v", d)
		}
		got[d.Protocol] = append(got[d.Protocol], d)
	}
	for proto, n := range map[string]int{"lambda": 2, "firehose": 2, "sms": 2, "application": 2, "email": 1} {
		if len(got[proto]) != n {
			t.Errorf("%s: %d deliveries, want %d", proto, len(got[proto]), n)
		}
	}
	if e := got["email"]; len(e) == 1 && (e[0].Message != "disk full" || e[0].Payload != "disk full" || e[0].MessageID != pub["MessageId"]) {
		t.Errorf("email: %+v", e[0])
	}
	if f := got["firehose"]; len(f) > 0 && f[0].Payload != "disk full" {
		t.Errorf("raw firehose payload %q", f[0].Payload)
	}
	if l := got["lambda"]; len(l) > 0 {
		var ev struct {
			Records []struct {
				EventSource, EventVersion, EventSubscriptionArn string
				Sns                                             map[string]any
			}
		}
		if err := json.Unmarshal([]byte(l[0].Payload), &ev); err != nil || len(ev.Records) != 1 {
			t.Fatalf("lambda event %q: %v", l[0].Payload, err)
		}
		r := ev.Records[0]
		if r.EventSource != "aws:sns" || r.EventVersion != "1.0" || r.EventSubscriptionArn != lambdaSub ||
			r.Sns["Message"] != "disk full" || r.Sns["Subject"] != "alarm" || r.Sns["Type"] != "Notification" ||
			r.Sns["MessageId"] != pub["MessageId"] || r.Sns["SigningCertUrl"] == nil || r.Sns["UnsubscribeUrl"] == nil {
			t.Errorf("lambda event %+v", r)
		}
		if a, _ := r.Sns["MessageAttributes"].(map[string]any)["sev"].(map[string]any); a["Type"] != "String" || a["Value"] != "high" {
			t.Errorf("lambda attributes %v", r.Sns["MessageAttributes"])
		}
	}

	// A direct SMS publish is logged under its phone number.
	id := c.Call("Publish", map[string]any{"PhoneNumber": "+15555550199", "Message": "code 1234"})["MessageId"]
	if sms := deliveries(t, ts.URL, "PhoneNumber:+15555550199"); len(sms) != 1 || sms[0].Payload != "code 1234" || sms[0].MessageID != id {
		t.Errorf("direct sms: %+v", sms)
	}
	c.WantErr("Publish", map[string]any{"PhoneNumber": "+15555550199", "Message": ""}, "InvalidParameter", 400)
}
