package session_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/session"
)

// nilRequestRT answers through http.DefaultTransport and drops
// resp.Request, as some custom RoundTripper do.
type nilRequestRT struct{}

func (nilRequestRT) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if resp != nil {
		resp.Request = nil
	}
	return resp, err
}

// 4.91 against the emulator: S3 list keys are URL-decoded only when the
// session itself added encoding-type=url (botocore's encoding_type_auto_set);
// a caller who asks for EncodingType=url gets them percent-encoded, as S3
// sent them. Both with net/http's transport and with a RoundTripper that
// leaves resp.Request nil.
func TestS3ListKeyDecodingThroughEmulator_4_91(t *testing.T) {
	srv := emulator.NewTestServer(t)
	ctx := context.Background()
	const key = "a b/c+d&e\x01.txt"
	for _, tc := range []struct {
		name string
		hc   *http.Client
	}{{"default transport", nil}, {"nil resp.Request", &http.Client{Transport: nilRequestRT{}}}} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := emuSession(t).Client("s3", session.ClientOptions{EndpointURL: srv.URL, HTTPClient: tc.hc})
			if err != nil {
				t.Fatal(err)
			}
			bucket := "enc-" + map[bool]string{true: "nil", false: "def"}[tc.hc != nil]
			if _, err := c.Call(ctx, "CreateBucket", session.Params{"Bucket": bucket}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Call(ctx, "PutObject", session.Params{"Bucket": bucket, "Key": key}); err != nil {
				t.Fatal(err)
			}
			for _, op := range []string{"ListObjects", "ListObjectsV2", "ListObjectVersions"} {
				member := "Contents[0].Key"
				if op == "ListObjectVersions" {
					member = "Versions[0].Key"
				}
				auto, err := c.Call(ctx, op, session.Params{"Bucket": bucket, "Delimiter": "/"})
				if err != nil {
					t.Fatal(err)
				}
				if got := auto.String("CommonPrefixes[0].Prefix"); got != "a b/" {
					t.Errorf("%s auto-set: prefix %q, want decoded %q", op, got, "a b/")
				}
				auto, err = c.Call(ctx, op, session.Params{"Bucket": bucket})
				if err != nil {
					t.Fatal(err)
				}
				if got := auto.String(member); got != key {
					t.Errorf("%s auto-set: key %q, want decoded %q", op, got, key)
				}
				explicit, err := c.Call(ctx, op, session.Params{"Bucket": bucket, "EncodingType": "url"})
				if err != nil {
					t.Fatal(err)
				}
				got := explicit.String(member)
				if got == key {
					t.Errorf("%s explicit EncodingType=url: key %q came back decoded", op, got)
				}
				if dec, err := url.QueryUnescape(got); err != nil || dec != key {
					t.Errorf("%s explicit: key %q does not unescape to %q (%v)", op, got, key, err)
				}
				if explicit.String("EncodingType") != "url" {
					t.Errorf("%s explicit: EncodingType %q", op, explicit.String("EncodingType"))
				}
			}
		})
	}
}
