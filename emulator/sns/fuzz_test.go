package sns

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/codecs"
)

// FuzzMessageAttributes: a Publish body is client input. It is decoded by
// the query codec as the emulator decodes it, then its MessageAttributes
// go through parseMsgAttrs, the values a filter policy compares, and a
// filter policy over them, none of which may panic; an accepted attribute
// always has a supported type and a non-empty value.
func FuzzMessageAttributes(f *testing.F) {
	svc, err := model.Load("sns")
	if err != nil {
		f.Fatal(err)
	}
	codec, err := codecs.ByName("query")
	if err != nil {
		f.Fatal(err)
	}
	op := svc.Operations["Publish"]
	base := "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=m"
	for _, s := range []string{
		"&MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=x",
		"&MessageAttributes.entry.1.Name=n&MessageAttributes.entry.1.Value.DataType=Number.float&MessageAttributes.entry.1.Value.StringValue=1e309",
		"&MessageAttributes.entry.1.Name=l&MessageAttributes.entry.1.Value.DataType=String.Array&MessageAttributes.entry.1.Value.StringValue=%5B1%2C%22a%22%2Cnull%2C%5B%5D%5D",
		"&MessageAttributes.entry.1.Name=b&MessageAttributes.entry.1.Value.DataType=Binary&MessageAttributes.entry.1.Value.BinaryValue=AAEC",
		"&MessageAttributes.entry.1.Name=b&MessageAttributes.entry.1.Value.DataType=Binary&MessageAttributes.entry.1.Value.BinaryValue=%%%",
		"&MessageAttributes.entry.1.Name=x&MessageAttributes.entry.1.Value.DataType=Bogus&MessageAttributes.entry.1.Value.StringValue=x",
		"&MessageAttributes.entry.2.Name=&MessageAttributes.entry.0.Value.DataType=String",
		"&MessageAttributes.entry.1.Value.StringValue=x",
		"&MessageAttributes.entry.99999999999999999999.Name=a",
	} {
		f.Add(base + s)
	}
	policies := []map[string]any{}
	for _, doc := range []string{`{"a":["x"]}`, `{"n":[{"numeric":[">",0]}]}`, `{"l":["a",{"exists":true}]}`, `{"b":[{"exists":false}]}`} {
		p, err := parsePolicy(doc)
		if err != nil {
			f.Fatal(err)
		}
		policies = append(policies, p)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "http://sns.us-east-1.amazonaws.com/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		in, err := codec.DecodeRequest(op, r)
		if err != nil {
			return
		}
		attrs, err := parseMsgAttrs(in["MessageAttributes"])
		if err != nil {
			if _, ok := err.(*apiError); !ok {
				t.Fatalf("error %T %v is not an API error", err, err)
			}
			return
		}
		for name, a := range attrs {
			switch {
			case strings.HasPrefix(a.DataType, "Binary"):
				if len(a.BinaryValue) == 0 {
					t.Fatalf("%s: empty Binary accepted", name)
				}
			case strings.HasPrefix(a.DataType, "String"), strings.HasPrefix(a.DataType, "Number"):
				if a.StringValue == "" {
					t.Fatalf("%s: empty %s accepted", name, a.DataType)
				}
			default:
				t.Fatalf("%s: type %q accepted", name, a.DataType)
			}
			_ = a.values()
		}
		for _, p := range policies {
			_ = matchAttributes(p, attrs)
		}
		_ = notificationAttrs(attrs)
	})
}
