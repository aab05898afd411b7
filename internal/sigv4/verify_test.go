package sigv4

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	testCreds = Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	testNow   = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
)

func testLookup(id string) (Credentials, bool) {
	if id == testCreds.AccessKeyID {
		return testCreds, true
	}
	return Credentials{}, false
}

func toServer(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	return serverRequest(t, req, body)
}

func awsOf(t *testing.T, err error, f Flavor) string {
	t.Helper()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error %v is not *Error", err)
	}
	code, status, msg := e.AWS(f)
	return code + " " + itoa(status) + " " + msg
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestS3SignsPathAsSentWithoutNormalising(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://bucket.s3.amazonaws.com/my-object//example//photo.user", nil)
	res, err := Sign(req, testCreds, "s3", "us-east-1", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if line := strings.Split(res.CanonicalRequest, "\n")[1]; line != "/my-object//example//photo.user" {
		t.Errorf("S3 canonical URI = %q", line)
	}
	if req.Header.Get("X-Amz-Content-Sha256") != EmptyPayloadHash {
		t.Error("S3 request lacks x-amz-content-sha256")
	}
	if _, err := Verify(toServer(t, req), testLookup, testNow); err != nil {
		t.Fatal(err)
	}
}

func TestNonS3DoubleEncodesPath(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://example.amazonaws.com/a%20b/c", nil)
	res, _ := Sign(req, testCreds, "lambda", "us-east-1", testNow)
	if line := strings.Split(res.CanonicalRequest, "\n")[1]; line != "/a%2520b/c" {
		t.Errorf("canonical URI = %q, want /a%%2520b/c", line)
	}
	s3req, _ := http.NewRequest("GET", "https://example.amazonaws.com/a%20b/c~d", nil)
	res, _ = Sign(s3req, testCreds, "s3", "us-east-1", testNow)
	if line := strings.Split(res.CanonicalRequest, "\n")[1]; line != "/a%20b/c~d" {
		t.Errorf("S3 canonical URI = %q", line)
	}
}

func TestVerifyErrorsAsAWSAnswers(t *testing.T) {
	signed := func(service string, mut func(*http.Request)) *http.Request {
		req, _ := http.NewRequest("POST", "https://sts.amazonaws.com/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if _, err := Sign(req, testCreds, service, "us-east-1", testNow); err != nil {
			t.Fatal(err)
		}
		srv := toServer(t, req)
		if mut != nil {
			mut(srv)
		}
		return srv
	}
	cases := []struct {
		name   string
		req    *http.Request
		now    time.Time
		opts   []Option
		flavor Flavor
		want   string
		kind   Kind
	}{
		{"missing auth S3", func() *http.Request { r, _ := http.NewRequest("GET", "https://s3.amazonaws.com/b", nil); return r }(), testNow, nil, FlavorS3,
			"AccessDenied 403 Access Denied", KindMissingAuthentication},
		{"missing auth query", func() *http.Request { r, _ := http.NewRequest("GET", "https://sts.amazonaws.com/", nil); return r }(), testNow, nil, FlavorQuery,
			"MissingAuthenticationToken 403 Request is missing Authentication Token", KindMissingAuthentication},
		{"unknown key S3", signed("s3", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKIAIOSFODNN7EXAMPLE", "AKIAUNKNOWN", 1))
		}), testNow, nil, FlavorS3, "InvalidAccessKeyId 403 The AWS Access Key Id you provided does not exist in our records.", KindUnknownAccessKey},
		{"unknown key query", signed("sts", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKIAIOSFODNN7EXAMPLE", "AKIAUNKNOWN", 1))
		}), testNow, nil, FlavorQuery, "InvalidClientTokenId 403 The security token included in the request is invalid.", KindUnknownAccessKey},
		{"unknown key json", signed("dynamodb", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKIAIOSFODNN7EXAMPLE", "AKIAUNKNOWN", 1))
		}), testNow, nil, FlavorJSON, "UnrecognizedClientException 400 The security token included in the request is invalid.", KindUnknownAccessKey},
		{"bad signature S3", signed("s3", func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }), testNow, nil, FlavorS3,
			"SignatureDoesNotMatch 403 " + msgSigS3, KindSignatureMismatch},
		{"bad signature query", signed("sts", func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }), testNow, nil, FlavorQuery,
			"SignatureDoesNotMatch 403 " + msgSigOther, KindSignatureMismatch},
		{"skewed S3", signed("s3", nil), testNow.Add(16 * time.Minute), nil, FlavorS3,
			"RequestTimeTooSkewed 403 The difference between the request time and the current time is too large.", KindRequestTimeTooSkewed},
		{"skewed query", signed("sts", nil), testNow.Add(16 * time.Minute), nil, FlavorQuery,
			"SignatureDoesNotMatch 403 Signature expired: 20240301T100000Z is now earlier than 20240301T100100Z (20240301T101600Z - 15 min.)", KindRequestTimeTooSkewed},
		{"wrong region S3", signed("s3", nil), testNow, []Option{ExpectRegion("eu-west-1")}, FlavorS3,
			"AuthorizationHeaderMalformed 400 The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'", KindWrongRegion},
		{"incomplete", signed("sts", func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240301/us-east-1/sts/aws4_request")
		}), testNow, nil, FlavorQuery,
			"IncompleteSignature 400 Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240301/us-east-1/sts/aws4_request", KindIncompleteSignature},
		{"malformed credential S3", signed("s3", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/aws4_request", "", 1))
		}), testNow, nil, FlavorS3,
			`AuthorizationHeaderMalformed 400 The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`, KindMalformedCredential},
		{"missing content sha S3", signed("s3", func(r *http.Request) { r.Header.Del("X-Amz-Content-Sha256") }), testNow, nil, FlavorS3,
			"InvalidRequest 400 Missing required header for this request: x-amz-content-sha256", KindMissingContentSHA256},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Verify(c.req, testLookup, c.now, c.opts...)
			wantKind(t, err, c.kind)
			if got := awsOf(t, err, c.flavor); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestS3BodyNotMatchingContentSHA256FailsAtEOF(t *testing.T) {
	req, _ := http.NewRequest("PUT", "https://bucket.s3.amazonaws.com/key", bytes.NewReader([]byte("hello")))
	if _, err := Sign(req, testCreds, "s3", "us-east-1", testNow); err != nil {
		t.Fatal(err)
	}
	srv := serverRequest(t, req, []byte("jello"))
	if _, err := Verify(srv, testLookup, testNow); err != nil {
		t.Fatal(err)
	}
	_, err := io.ReadAll(srv.Body)
	wantKind(t, err, KindContentSHA256Mismatch)
	if got := awsOf(t, err, FlavorS3); !strings.HasPrefix(got, "XAmzContentSHA256Mismatch 400") {
		t.Error(got)
	}
}

func TestPresignedS3URL(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	u, err := Presign(req, Credentials{AccessKeyID: testCreds.AccessKeyID, SecretAccessKey: testCreds.SecretAccessKey, SessionToken: "tok"}, "s3", "us-east-1", testNow, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := url.Parse(u)
	q := pu.Query()
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature"} {
		if q.Get(k) == "" {
			t.Errorf("presigned URL lacks %s: %s", k, u)
		}
	}
	get := func(now time.Time) error {
		srv, _ := http.NewRequest("GET", u, nil)
		srv.RequestURI = pu.RequestURI()
		_, err := Verify(srv, testLookup, now)
		return err
	}
	if err := get(testNow.Add(59 * time.Minute)); err != nil {
		t.Fatalf("valid presigned URL: %v", err)
	}
	err = get(testNow.Add(61 * time.Minute))
	wantKind(t, err, KindExpired)
	if got := awsOf(t, err, FlavorS3); got != "AccessDenied 403 Request has expired" {
		t.Error(got)
	}
	// Tampering with the query breaks the signature.
	srv, _ := http.NewRequest("GET", u+"&x-id=GetObject", nil)
	_, err = Verify(srv, testLookup, testNow)
	wantKind(t, err, KindSignatureMismatch)

	if _, err := Presign(req, testCreds, "s3", "us-east-1", testNow, 8*24*time.Hour); err != ErrExpiresTooLong {
		t.Errorf("8-day presign: %v", err)
	}
	over, _ := http.NewRequest("GET", strings.Replace(u, "X-Amz-Expires=3600", "X-Amz-Expires=604801", 1), nil)
	_, err = Verify(over, testLookup, testNow)
	wantKind(t, err, KindInvalidPresign)
	if got := awsOf(t, err, FlavorS3); got != "AuthorizationQueryParametersError 400 X-Amz-Expires must be less than a week (in seconds) that is 604800" {
		t.Error(got)
	}
}

func TestParseAuthorizationReadsScopeWithoutVerifying(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://sqs.eu-west-1.amazonaws.com/", nil)
	Sign(req, Credentials{AccessKeyID: "123456789012", SecretAccessKey: "x"}, "sqs", "eu-west-1", testNow)
	a, err := ParseAuthorization(req)
	if err != nil || a.AccessKeyID != "123456789012" || a.Region != "eu-west-1" || a.Service != "sqs" || a.Scheme != SchemeV4Header {
		t.Fatalf("%+v %v", a, err)
	}
	v2, _ := http.NewRequest("GET", "https://s3.amazonaws.com/b/k?AWSAccessKeyId=AKIDV2&Expires=1700000000&Signature=abc%3D", nil)
	a, err = ParseAuthorization(v2)
	if err != nil || a.AccessKeyID != "AKIDV2" || a.Scheme != SchemeV2Query || a.Expires.Unix() != 1700000000 {
		t.Fatalf("%+v %v", a, err)
	}
	v2h, _ := http.NewRequest("GET", "https://s3.amazonaws.com/b/k", nil)
	v2h.Header.Set("Authorization", "AWS AKIDV2H:c2lnbmF0dXJl")
	a, err = ParseAuthorization(v2h)
	if err != nil || a.AccessKeyID != "AKIDV2H" || a.Scheme != SchemeV2Header {
		t.Fatalf("%+v %v", a, err)
	}
}

// The S3 legacy docs' example: GET /photos/puppy.jpg from bucket johnsmith,
// path-style, signed with AKIAIOSFODNN7EXAMPLE.
func TestSigV2HeaderAndQueryVerify(t *testing.T) {
	date := "Tue, 27 Mar 2007 19:36:42 +0000"
	at, _ := time.Parse(time.RFC1123Z, date)
	req, _ := http.NewRequest("GET", "https://s3.amazonaws.com/johnsmith/photos/puppy.jpg", nil)
	req.Header.Set("Date", date)
	sts := StringToSignV2(req, date)
	if sts != "GET\n\n\n"+date+"\n/johnsmith/photos/puppy.jpg" {
		t.Fatalf("string to sign %q", sts)
	}
	sig := SignatureV2(testCreds.SecretAccessKey, sts)
	if sig != "bWq2s1WEIj+Ydj0vQ697zp+IXMU=" {
		t.Errorf("signature %s", sig)
	}
	req.Header.Set("Authorization", "AWS "+testCreds.AccessKeyID+":"+sig)
	if _, err := Verify(req, testLookup, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS "+testCreds.AccessKeyID+":bWq2s1WEIj+Ydj0vQ697zp+IXMV=")
	_, err := Verify(req, testLookup, at)
	wantKind(t, err, KindSignatureMismatch)

	exp := at.Add(time.Hour).Unix()
	q, _ := http.NewRequest("GET", "https://s3.amazonaws.com/johnsmith/photos/puppy.jpg", nil)
	qs := SignatureV2(testCreds.SecretAccessKey, StringToSignV2(q, itoa64(exp)))
	q.URL.RawQuery = url.Values{"AWSAccessKeyId": {testCreds.AccessKeyID}, "Expires": {itoa64(exp)}, "Signature": {qs}}.Encode()
	if _, err := Verify(q, testLookup, at); err != nil {
		t.Fatal(err)
	}
	_, err = Verify(q, testLookup, at.Add(2*time.Hour))
	wantKind(t, err, KindExpired)
}

func itoa64(i int64) string { return strconv.FormatInt(i, 10) }

// A legacy "AWS AKID:sig" header whose access key or signature is only
// blanks is incomplete, not a request by an empty access key (found by
// FuzzParseAuthorization).
func TestParseV2HeaderBlankPartsIsIncompleteSignature(t *testing.T) {
	for _, h := range []string{"AWS  :0", "AWS AKID: ", "AWS \t:sig"} {
		req, _ := http.NewRequest("GET", "http://b.s3.amazonaws.com/k", nil)
		req.Header.Set("Authorization", h)
		_, err := ParseAuthorization(req)
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindIncompleteSignature {
			t.Errorf("%q: error %v, want IncompleteSignature", h, err)
		}
	}
}
