package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// sentRequest captures the request a call would send, without a network.
func sentRequest(t *testing.T, c *Client, op string, params Params) (*http.Request, string) {
	t.Helper()
	var req *http.Request
	var body string
	id, _ := c.Events().Register("before-send", func(ctx context.Context, e *Event) (any, error) {
		req = e.Request
		if e.Request.Body != nil {
			b, _ := io.ReadAll(e.Request.Body)
			body = string(b)
		}
		return nil, errStop
	})
	defer c.Events().Unregister("before-send", id)
	if _, err := c.Call(context.Background(), op, params); !errors.Is(err, errStop) {
		t.Fatalf("%s: %v", op, err)
	}
	return req, body
}

// 4.98, 3.23: with the default when_supported, PutObject carries a CRC32
// header and x-amz-sdk-checksum-algorithm instead of Content-MD5;
// ChecksumAlgorithm picks another algorithm.
func TestS3FlexibleChecksumsDefaultCRC32_4_98(t *testing.T) {
	c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: "http://127.0.0.1:1"})
	r, _ := sentRequest(t, c, "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "hello"})
	if r.Header.Get("X-Amz-Checksum-Crc32") != "NhCmhg==" || r.Header.Get("X-Amz-Sdk-Checksum-Algorithm") != "CRC32" || r.Header.Get("Content-Md5") != "" {
		t.Errorf("headers %v", r.Header)
	}
	r, _ = sentRequest(t, c, "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "hello", "ChecksumAlgorithm": "SHA256"})
	if r.Header.Get("X-Amz-Sdk-Checksum-Algorithm") != "SHA256" || r.Header.Get("X-Amz-Checksum-Sha256") != "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=" || r.Header.Get("X-Amz-Checksum-Crc32") != "" {
		t.Errorf("SHA256 headers %v", r.Header)
	}
	// A checksum the caller computed is sent as given, nothing added.
	r, _ = sentRequest(t, c, "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "hello", "ChecksumCRC32": "AAAAAA=="})
	if r.Header.Get("X-Amz-Checksum-Crc32") != "AAAAAA==" || r.Header.Get("X-Amz-Sdk-Checksum-Algorithm") != "" {
		t.Errorf("caller checksum headers %v", r.Header)
	}
	_, err := c.Call(context.Background(), "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "hello", "ChecksumAlgorithm": "CRC64NVME"})
	var fe *FlexibleChecksumError
	if !errors.As(err, &fe) || fe.Msg != "Unsupported checksum algorithm: crc64nvme" {
		t.Errorf("CRC64NVME: %v", err)
	}
}

// 3.23: when_required sends a checksum only where the model requires one
// (PutBucketTagging), and GetObject no longer asks for response checksums.
func TestS3ChecksumWhenRequired_3_23(t *testing.T) {
	c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: "http://127.0.0.1:1",
		Config: &Config{RequestChecksumCalculation: "when_required", ResponseChecksumValidation: "when_required"}})
	r, _ := sentRequest(t, c, "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "hello"})
	for _, h := range []string{"X-Amz-Checksum-Crc32", "X-Amz-Sdk-Checksum-Algorithm", "Content-Md5"} {
		if r.Header.Get(h) != "" {
			t.Errorf("PutObject %s = %q", h, r.Header.Get(h))
		}
	}
	r, _ = sentRequest(t, c, "PutBucketTagging", Params{"Bucket": "b", "Tagging": map[string]any{"TagSet": []any{map[string]any{"Key": "env", "Value": "test"}}}})
	if r.Header.Get("X-Amz-Checksum-Crc32") == "" || r.Header.Get("X-Amz-Sdk-Checksum-Algorithm") != "CRC32" {
		t.Errorf("PutBucketTagging %v", r.Header)
	}
	r, _ = sentRequest(t, c, "GetObject", Params{"Bucket": "b", "Key": "k"})
	if r.Header.Get("X-Amz-Checksum-Mode") != "" {
		t.Errorf("GetObject x-amz-checksum-mode = %q", r.Header.Get("X-Amz-Checksum-Mode"))
	}
}

// 4.64: over HTTPS PutObject streams aws-chunked with a checksum trailer,
// signed STREAMING-UNSIGNED-PAYLOAD-TRAILER, even with payload signing on.
func TestS3ChecksumTrailerOverHTTPS_4_64(t *testing.T) {
	for _, cfg := range []*Config{nil, {S3: &S3Config{PayloadSigningEnabled: Bool(true)}}} {
		c, _ := testSession(t).Client("s3", ClientOptions{Region: "us-east-1", Config: cfg})
		r, body := sentRequest(t, c, "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "hello"})
		want := map[string]string{"Content-Encoding": "aws-chunked", "X-Amz-Trailer": "x-amz-checksum-crc32",
			"X-Amz-Decoded-Content-Length": "5", "X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
			"X-Amz-Sdk-Checksum-Algorithm": "CRC32", "X-Amz-Checksum-Crc32": ""}
		for k, v := range want {
			if r.Header.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, r.Header.Get(k), v)
			}
		}
		if body != "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n" || r.ContentLength != -1 {
			t.Errorf("body %q length %d", body, r.ContentLength)
		}
	}
}

// 3.23: GetObject sends x-amz-checksum-mode: ENABLED and a body that does
// not match the returned checksum fails when read to the end.
func TestS3ResponseChecksumValidation_3_23(t *testing.T) {
	for _, tc := range []struct {
		name, crc string
		wantErr   bool
	}{
		{"match", "NhCmhg==", false},
		{"mismatch", "AAAAAA==", true},
		{"composite skipped", "AAAAAA==-3", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeAWS(t, cannedResponse{200, map[string]string{"x-amz-checksum-crc32": tc.crc}, "hello"})
			c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
			out, err := c.Call(context.Background(), "GetObject", Params{"Bucket": "b", "Key": "k"})
			if err != nil {
				t.Fatal(err)
			}
			if srv.requests()[0].Header.Get("X-Amz-Checksum-Mode") != "ENABLED" {
				t.Error("x-amz-checksum-mode not ENABLED")
			}
			body := out.Data["Body"].(io.ReadCloser)
			defer body.Close()
			b, err := io.ReadAll(body)
			var fe *FlexibleChecksumError
			if tc.wantErr != errors.As(err, &fe) || string(b) != "hello" {
				t.Errorf("read %q, %v", b, err)
			}
			if tc.wantErr && !strings.Contains(err.Error(), "Expected checksum AAAAAA== did not match calculated checksum: NhCmhg==") {
				t.Errorf("message %v", err)
			}
		})
	}
}

// 4.76, 4.81: absent idempotency tokens are filled with a UUID4 before
// before-call handlers run; a given token is sent unchanged.
func TestIdempotencyTokensAutoFilled_4_76(t *testing.T) {
	s := testSession(t)
	ddb, _ := s.Client("dynamodb", ClientOptions{EndpointURL: "http://127.0.0.1:1"})
	var seen any
	ddb.Events().Register("before-call", func(ctx context.Context, e *Event) (any, error) {
		seen = e.Params["ClientRequestToken"]
		return nil, nil
	})
	items := []any{map[string]any{"Put": map[string]any{"TableName": "tbl", "Item": map[string]any{"pk": map[string]any{"S": "b"}}}}}
	_, body := sentRequest(t, ddb, "TransactWriteItems", Params{"TransactItems": items})
	tok, _ := seen.(string)
	if !goldenUUID.MatchString(tok) || len(tok) != 36 || !strings.Contains(body, `"ClientRequestToken":"`+tok+`"`) {
		t.Errorf("token %q body %s", tok, body)
	}
	_, body = sentRequest(t, ddb, "TransactWriteItems", Params{"TransactItems": items, "ClientRequestToken": "mine"})
	if !strings.Contains(body, `"ClientRequestToken":"mine"`) {
		t.Errorf("explicit token body %s", body)
	}
	ec2, _ := s.Client("ec2", ClientOptions{EndpointURL: "http://127.0.0.1:1"})
	_, body = sentRequest(t, ec2, "RunInstances", Params{"MinCount": 1, "MaxCount": 1, "ImageId": "ami-1"})
	if m := regexpClientToken.FindStringSubmatch(body); m == nil || !goldenUUID.MatchString(m[1]) {
		t.Errorf("ec2 body %s", body)
	}
}

// 4.91: ListObjectsV2 asks for encoding-type=url and decodes keys and
// prefixes in the answer.
func TestS3ListObjectsURLDecoding_4_91(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `<ListBucketResult><Name>b</Name><Prefix>a%20b/</Prefix><EncodingType>url</EncodingType>` +
		`<Contents><Key>a%20b/c%2Bd</Key><Size>1</Size></Contents><CommonPrefixes><Prefix>a%20b/x/</Prefix></CommonPrefixes></ListBucketResult>`})
	c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	out, err := c.Call(context.Background(), "ListObjectsV2", Params{"Bucket": "b", "Prefix": "a b/"})
	if err != nil {
		t.Fatal(err)
	}
	if q := srv.requests()[0].RawQuery; !strings.Contains(q, "encoding-type=url") {
		t.Errorf("query %s", q)
	}
	if out.String("Prefix") != "a b/" || out.String("Contents[0].Key") != "a b/c+d" || out.String("CommonPrefixes[0].Prefix") != "a b/x/" {
		t.Errorf("out %#v", out.Data)
	}
}

var regexpClientToken = regexp.MustCompile(`ClientToken=([0-9a-f-]{36})`)
