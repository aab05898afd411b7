package emulator_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

var (
	goodCreds  = sigv4.Credentials{AccessKeyID: "AKIDGOOD", SecretAccessKey: "s3cr3t"}
	wrongCreds = sigv4.Credentials{AccessKeyID: "AKIDGOOD", SecretAccessKey: "not-the-secret"}
	otherCreds = sigv4.Credentials{AccessKeyID: "AKIDNOBODY", SecretAccessKey: "whatever"}
)

// newWireEmu serves counter (json), miniq (query) and minis3 (rest-xml)
// with a clock fixed at epoch.
func newWireEmu(t testing.TB, o emulator.Options) *emulator.Emulator {
	t.Helper()
	o.ServiceDefs = append(o.ServiceDefs, counterDef(), miniQueueDef(), miniS3Def())
	if o.Services == nil {
		o.Services = []string{}
	}
	o.Codecs = allTestCodecs
	if o.Clock == nil {
		o.Clock = emulator.FixedClock(epoch)
	}
	emu, err := emulator.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	return emu
}

func verifyingEmu(t testing.TB) *emulator.Emulator {
	return newWireEmu(t, emulator.Options{VerifySignatures: true, Credentials: map[string]string{"AKIDGOOD": "s3cr3t"}})
}

func jsonReq(t testing.TB, creds sigv4.Credentials, at time.Time) *http.Request {
	r, _ := http.NewRequest("POST", endpoint+"/", strings.NewReader(`{"Name":"a"}`))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "Counter_20240101.Incr")
	if _, err := sigv4.Sign(r, creds, "counter", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return r
}

func queryReq(t testing.TB, creds sigv4.Credentials, at time.Time) *http.Request {
	r, _ := http.NewRequest("POST", endpoint+"/", strings.NewReader("Action=SendMessage&Version=2012-11-05&QueueUrl=q&MessageBody=hi"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := sigv4.Sign(r, creds, "miniq", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return r
}

func s3Req(t testing.TB, creds sigv4.Credentials, at time.Time, method, path, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, _ := http.NewRequest(method, endpoint+path, rd)
	if _, err := sigv4.Sign(r, creds, "s3", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return r
}

func do(t testing.TB, c *http.Client, r *http.Request) (int, string) {
	t.Helper()
	resp, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Each protocol answers a bad signature, an unknown key and a missing
// signature in its own dialect: S3 and the query services with 403s
// (SignatureDoesNotMatch, InvalidAccessKeyId / InvalidClientTokenId), the
// json services with 400s (InvalidSignatureException,
// UnrecognizedClientException).
func TestSignatureErrorsPerProtocol(t *testing.T) {
	emu := verifyingEmu(t)
	c := inproc(emu)
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		want   []string
	}{
		{"json good", func() *http.Request { return jsonReq(t, goodCreds, epoch) }, 200, []string{`"Value":1`}},
		{"json wrong secret", func() *http.Request { return jsonReq(t, wrongCreds, epoch) }, 400, []string{`"__type":"InvalidSignatureException"`}},
		{"json unknown key", func() *http.Request { return jsonReq(t, otherCreds, epoch) }, 400,
			[]string{`"__type":"UnrecognizedClientException"`, "The security token included in the request is invalid."}},
		{"json unsigned", func() *http.Request {
			r := jsonReq(t, goodCreds, epoch)
			r.Header.Del("Authorization")
			return r
		}, 400, []string{"MissingAuthenticationTokenException"}},
		{"json skewed", func() *http.Request { return jsonReq(t, goodCreds, epoch.Add(-time.Hour)) }, 400, []string{"InvalidSignatureException", "Signature expired"}},
		{"json tampered body", func() *http.Request {
			r := jsonReq(t, goodCreds, epoch)
			r.Body = io.NopCloser(strings.NewReader(`{"Name":"b"}`))
			return r
		}, 400, []string{"InvalidSignatureException"}},

		{"query good", func() *http.Request { return queryReq(t, goodCreds, epoch) }, 200, []string{`"MessageId"`}},
		{"query wrong secret", func() *http.Request { return queryReq(t, wrongCreds, epoch) }, 403,
			[]string{"<ErrorResponse>", "<Code>SignatureDoesNotMatch</Code>"}},
		{"query unknown key", func() *http.Request { return queryReq(t, otherCreds, epoch) }, 403, []string{"<Code>InvalidClientTokenId</Code>"}},

		{"s3 good", func() *http.Request { return s3Req(t, goodCreds, epoch, "PUT", "/bkt/k", "data") }, 200, nil},
		{"s3 wrong secret", func() *http.Request { return s3Req(t, wrongCreds, epoch, "PUT", "/bkt/k", "data") }, 403,
			[]string{"<Error>", "<Code>SignatureDoesNotMatch</Code>", "The request signature we calculated does not match"}},
		{"s3 unknown key", func() *http.Request { return s3Req(t, otherCreds, epoch, "GET", "/bkt/k", "") }, 403,
			[]string{"<Code>InvalidAccessKeyId</Code>", "The AWS Access Key Id you provided does not exist in our records."}},
		{"s3 anonymous", func() *http.Request { r, _ := http.NewRequest("GET", endpoint+"/bkt/k", nil); return r }, 403,
			[]string{"<Code>AccessDenied</Code>"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, c, tc.req())
			if status != tc.status {
				t.Errorf("status %d, want %d: %s", status, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q: %s", w, body)
				}
			}
		})
	}
}

// A presigned URL is valid until X-Amz-Expires by the emulator's clock;
// after that S3 answers 403 AccessDenied "Request has expired".
func TestPresignedURLExpiresByTheEmulatorClock(t *testing.T) {
	now := epoch
	clock := clockFunc(func() time.Time { return now })
	emu := newWireEmu(t, emulator.Options{VerifySignatures: true, Credentials: map[string]string{"AKIDGOOD": "s3cr3t"}, Clock: clock})
	c := inproc(emu)
	if status, body := do(t, c, s3Req(t, goodCreds, epoch, "PUT", "/bkt/k", "hello")); status != 200 {
		t.Fatalf("put: %d %s", status, body)
	}
	r, _ := http.NewRequest("GET", endpoint+"/bkt/k", nil)
	u, err := sigv4.Presign(r, goodCreds, "s3", "us-east-1", epoch, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	get := func() (int, string) {
		r, _ := http.NewRequest("GET", u, nil)
		return do(t, c, r)
	}
	if status, body := get(); status != 200 || !strings.Contains(body, "hello") {
		t.Errorf("fresh presigned URL: %d %s", status, body)
	}
	now = epoch.Add(2 * time.Minute)
	if status, body := get(); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") || !strings.Contains(body, "Request has expired") {
		t.Errorf("expired presigned URL: %d %s", status, body)
	}
}

type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

// S3's legacy SigV2 query authentication (AWSAccessKeyId, Expires,
// Signature) is verified too, also on virtual-hosted-style requests whose
// canonical resource names the bucket.
func TestSigV2PresignedS3(t *testing.T) {
	emu := verifyingEmu(t)
	c := inproc(emu)
	if status, body := do(t, c, s3Req(t, goodCreds, epoch, "PUT", "/bkt/k", "v2 data")); status != 200 {
		t.Fatalf("put: %d %s", status, body)
	}
	presignV2 := func(host, path string, expires time.Time, secret string) *http.Request {
		r, _ := http.NewRequest("GET", "http://"+host+path, nil)
		// The canonical resource is always path style: /bucket/key.
		canon, _ := http.NewRequest("GET", "http://localhost/bkt/k", nil)
		exp := expires.Unix()
		sig := sigv4.SignatureV2(secret, sigv4.StringToSignV2(canon, itoa(exp)))
		q := r.URL.Query()
		q.Set("AWSAccessKeyId", "AKIDGOOD")
		q.Set("Expires", itoa(exp))
		q.Set("Signature", sig)
		r.URL.RawQuery = q.Encode()
		return r
	}
	for _, tc := range []struct {
		name       string
		host, path string
		expires    time.Time
		secret     string
		status     int
		want       string
	}{
		{"path style", "localhost:4566", "/bkt/k", epoch.Add(time.Hour), "s3cr3t", 200, "v2 data"},
		{"virtual host", "bkt.s3.localhost:4566", "/k", epoch.Add(time.Hour), "s3cr3t", 200, "v2 data"},
		{"expired", "localhost:4566", "/bkt/k", epoch.Add(-time.Second), "s3cr3t", 403, "Request has expired"},
		{"wrong secret", "localhost:4566", "/bkt/k", epoch.Add(time.Hour), "nope", 403, "SignatureDoesNotMatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, c, presignV2(tc.host, tc.path, tc.expires, tc.secret))
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("%d %s", status, body)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Temporary credentials come from a service's credential source (the STS
// emulator's hook): their session token must be sent, and they act in the
// account they were issued for.
func TestServiceCredentialSourceWithSessionToken(t *testing.T) {
	sts := emulator.ServiceDef{Name: "tempcreds", Model: mustModel(strings.ReplaceAll(miniQueueModel, `"miniq"`, `"tempcreds"`)),
		Credentials: func(ctx context.Context, svcs emulator.Services, akid string) (emulator.Credentials, bool) {
			if akid != "ASIATEMP" {
				return emulator.Credentials{}, false
			}
			return emulator.Credentials{SecretAccessKey: "tempsecret", SessionToken: "tok", Account: "222222222222"}, true
		}}
	emu := newWireEmu(t, emulator.Options{VerifySignatures: true, ServiceDefs: []emulator.ServiceDef{sts}})
	c := inproc(emu)
	temp := sigv4.Credentials{AccessKeyID: "ASIATEMP", SecretAccessKey: "tempsecret", SessionToken: "tok"}
	if status, body := do(t, c, jsonReq(t, temp, epoch)); status != 200 {
		t.Fatalf("temporary credentials: %d %s", status, body)
	}
	var v int64
	_ = emu.Store("222222222222", "us-east-1", "counter").View(func(tx *store.Tx) error {
		if b := tx.Bucket("counters"); b != nil {
			_, _ = b.GetJSON("a", &v)
		}
		return nil
	})
	if v != 1 {
		t.Errorf("the call did not act in the credentials' account (counter %d)", v)
	}
	temp.SessionToken = "stolen"
	if status, body := do(t, c, jsonReq(t, temp, epoch)); status != 400 || !strings.Contains(body, "UnrecognizedClientException") {
		t.Errorf("wrong session token: %d %s", status, body)
	}
}

// With verification off the credential source still names the account.
func TestCredentialsLookupAccountWithoutVerification(t *testing.T) {
	emu := newWireEmu(t, emulator.Options{CredentialsLookup: func(ctx context.Context, akid string) (emulator.Credentials, bool) {
		return emulator.Credentials{Account: "333333333333"}, akid == "ASIAX"
	}})
	c := inproc(emu)
	do(t, c, jsonReq(t, sigv4.Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "x"}, epoch))
	do(t, c, jsonReq(t, sigv4.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "x"}, epoch))
	j := emu.Journal()
	if len(j) != 2 || j[0].Account != "333333333333" || j[1].Account != "000000000000" {
		t.Errorf("journal accounts: %+v", j)
	}
}

// An x-amz-content-sha256 that does not match the body fails when the body
// has been read: S3 answers XAmzContentSHA256Mismatch and stores nothing.
func TestContentSHA256MismatchStoresNothing(t *testing.T) {
	emu := verifyingEmu(t)
	c := inproc(emu)
	r := s3Req(t, goodCreds, epoch, "PUT", "/bkt/k", "original")
	r.Body = io.NopCloser(strings.NewReader("tampered"))
	status, body := do(t, c, r)
	if status != 400 || !strings.Contains(body, "XAmzContentSHA256Mismatch") {
		t.Errorf("%d %s", status, body)
	}
	if status, _ := do(t, c, s3Req(t, goodCreds, epoch, "GET", "/bkt/k", "")); status != 404 {
		t.Errorf("object stored despite the mismatch: GET %d", status)
	}
}

func chunkedPut(t testing.TB, creds sigv4.Credentials, path, data, mode, checksum string) *http.Request {
	r, _ := http.NewRequest("PUT", endpoint+path, bytes.NewReader([]byte(data)))
	if _, err := sigv4.SignChunked(r, creds, "s3", "us-east-1", epoch, mode, checksum, 8<<10); err != nil {
		t.Fatal(err)
	}
	return r
}

// aws-chunked uploads reach the handler decoded: Content-Length is the
// decoded length, aws-chunked is gone from Content-Encoding, the trailing
// checksum is on the request; chunk signatures are verified.
func TestAWSChunkedUploadIsDecoded(t *testing.T) {
	data := strings.Repeat("0123456789abcdef", 1500) // 24000 bytes: three chunks
	for _, verify := range []bool{false, true} {
		emu := newWireEmu(t, emulator.Options{VerifySignatures: verify, Credentials: map[string]string{"AKIDGOOD": "s3cr3t"}})
		c := inproc(emu)
		for _, mode := range []string{sigv4.StreamingSignedPayload, sigv4.StreamingSignedPayloadTrailer, sigv4.StreamingUnsignedPayloadTrailer} {
			status, body := do(t, c, chunkedPut(t, goodCreds, "/bkt/"+mode, data, mode, "crc32"))
			if status != 200 || !strings.Contains(body, `"ContentLength":24000`) || strings.Contains(body, "aws-chunked") {
				t.Errorf("verify=%v %s: %d %s", verify, mode, status, body)
			}
			if mode != sigv4.StreamingSignedPayload && !strings.Contains(body, `"ChecksumCRC32":"`) {
				t.Errorf("verify=%v %s: no trailing checksum: %s", verify, mode, body)
			}
			if status, got := do(t, c, s3Req(t, goodCreds, epoch, "GET", "/bkt/"+mode, "")); status != 200 || !strings.Contains(got, data[:100]) {
				t.Errorf("verify=%v %s: GET %d", verify, mode, status)
			}
		}
	}
}

// A forged chunk or a wrong trailing checksum is a read error for the
// handler: S3 answers with the code sigv4 gives and stores nothing.
func TestAWSChunkedFailuresStoreNothing(t *testing.T) {
	data := strings.Repeat("x", 20000)
	tamper := func(r *http.Request, from, to string) *http.Request {
		framed, _ := io.ReadAll(r.Body)
		framed = bytes.Replace(framed, []byte(from), []byte(to), 1)
		r.Body = io.NopCloser(bytes.NewReader(framed))
		return r
	}
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		code   string
	}{
		{"forged chunk data", func() *http.Request {
			return tamper(chunkedPut(t, goodCreds, "/bkt/k", data, sigv4.StreamingSignedPayload, ""), "xxxxx", "yyyyy")
		}, 403, "SignatureDoesNotMatch"},
		{"wrong trailing checksum", func() *http.Request {
			r := chunkedPut(t, goodCreds, "/bkt/k", data, sigv4.StreamingUnsignedPayloadTrailer, "crc32")
			framed, _ := io.ReadAll(r.Body)
			i := bytes.Index(framed, []byte("x-amz-checksum-crc32:"))
			framed[i+len("x-amz-checksum-crc32:")] ^= 1
			r.Body = io.NopCloser(bytes.NewReader(framed))
			return r
		}, 400, "BadDigest"},
		{"truncated", func() *http.Request {
			r := chunkedPut(t, goodCreds, "/bkt/k", data, sigv4.StreamingSignedPayload, "")
			framed, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(framed[:len(framed)/2]))
			return r
		}, 400, "IncompleteBody"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu := verifyingEmu(t)
			c := inproc(emu)
			status, body := do(t, c, tc.req())
			if status != tc.status || !strings.Contains(body, tc.code) || strings.Contains(body, "InternalFailure") {
				t.Errorf("%d %s", status, body)
			}
			if status, _ := do(t, c, s3Req(t, goodCreds, epoch, "GET", "/bkt/k", "")); status != 404 {
				t.Errorf("object stored despite the failure: GET %d", status)
			}
		})
	}
}
