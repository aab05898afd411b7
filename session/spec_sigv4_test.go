package session

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/sigv4"
)

var vectorCreds = sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
var vectorTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

func vectorRequest(t *testing.T, method, target, contentType, body string) *http.Request {
	t.Helper()
	var r *http.Request
	if body != "" {
		r, _ = http.NewRequest(method, "https://example.amazonaws.com"+target, strings.NewReader(body))
	} else {
		r, _ = http.NewRequest(method, "https://example.amazonaws.com"+target, nil)
	}
	r.Header = http.Header{}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// 4.60: the signer the clients use reproduces the AWS SigV4 test-suite
// vectors (AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service").
func TestSigV4Vectors_4_60(t *testing.T) {
	cases := []struct {
		name, method, target, ctype, body, sig string
	}{
		{"get-vanilla", "GET", "/", "", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", "", "", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
		{"post-x-www-form-urlencoded", "POST", "/", "application/x-www-form-urlencoded", "Param1=value1", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := vectorRequest(t, tc.method, tc.target, tc.ctype, tc.body)
			if _, err := sigv4.Sign(r, vectorCreds, "service", "us-east-1", vectorTime); err != nil {
				t.Fatal(err)
			}
			auth := r.Header.Get("Authorization")
			// 4.61's header layout, with the vector's signature.
			if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=") ||
				!strings.HasSuffix(auth, ", Signature="+tc.sig) || r.Header.Get("X-Amz-Date") != "20150830T123600Z" {
				t.Errorf("Authorization %q", auth)
			}
		})
	}
}

// 4.62: query-string SigV4 for get-vanilla with a 300 s expiry.
func TestSigV4PresignVector_4_62(t *testing.T) {
	r := vectorRequest(t, "GET", "/", "", "")
	u, err := sigv4.Presign(r, vectorCreds, "service", "us-east-1", vectorTime, 300*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := url.Parse(u)
	q := pu.Query()
	want := map[string]string{"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
		"X-Amz-Date": "20150830T123600Z", "X-Amz-Expires": "300", "X-Amz-SignedHeaders": "host",
		"X-Amz-Signature": "4a3602dfae68eb3ec2f12f7b26ea9c1f382eb4ec09b477fd962e789af186d525"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q (url %s)", k, q.Get(k), v, u)
		}
	}
}

// 4.72: every embedded model that lists smithy-rpc-v2-cbor also lists a
// higher-priority protocol (json), which the client speaks; botocore uses
// CBOR only when nothing else is offered, and no model here needs it.
func TestCBORServicesSpeakJSON_4_72(t *testing.T) {
	s := testSession(t)
	for _, svc := range []string{"cloudwatch", "arc-region-switch", "application-insights"} {
		c, err := s.Client(svc, ClientOptions{})
		if err != nil {
			t.Fatalf("%s: %v", svc, err)
		}
		md := c.Meta().ServiceModel.Metadata
		hasCBOR := false
		for _, p := range md.Protocols {
			hasCBOR = hasCBOR || p == "smithy-rpc-v2-cbor"
		}
		if !hasCBOR {
			t.Errorf("%s's embedded model does not list cbor (%v)", svc, md.Protocols)
		}
		if c.codec.Name() != "json" {
			t.Errorf("%s speaks %s", svc, c.codec.Name())
		}
	}
}
