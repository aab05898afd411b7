package s3_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"hash/crc32"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/session"
)

const postTagging = `<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag><Tag><Key>a b</Key><Value>x&amp;y=z</Value></Tag></TagSet></Tagging>`

func crc32B64(b []byte) string {
	s := crc32.ChecksumIEEE(b)
	return base64.StdEncoding.EncodeToString([]byte{byte(s >> 24), byte(s >> 16), byte(s >> 8), byte(s)})
}

// TestPostUploadTaggingFieldTagsTheObject: the tagging field is a Tagging
// XML document (as PutObjectTagging takes it) applied to the new object.
func TestPostUploadTaggingFieldTagsTheObject(t *testing.T) {
	w := newWire(t)
	w.must("CreateBucket", map[string]any{"Bucket": "tags"})
	target := w.endpoint.String() + "/tags"
	resp, body := postForm(t, w, target, map[string]string{"key": "t.txt", "tagging": postTagging}, "t.txt", []byte("tagged"))
	if resp.StatusCode != 204 {
		t.Fatalf("POST: %d %s", resp.StatusCode, body)
	}
	out, _ := w.must("GetObjectTagging", map[string]any{"Bucket": "tags", "Key": "t.txt"})
	set := out["TagSet"].([]any)
	got := map[string]any{}
	for _, tg := range set {
		m := tg.(map[string]any)
		got[m["Key"].(string)] = m["Value"]
	}
	if len(set) != 2 || got["team"] != "blue" || got["a b"] != "x&y=z" {
		t.Errorf("tags = %v", set)
	}
	head, _ := w.must("HeadObject", map[string]any{"Bucket": "tags", "Key": "t.txt"})
	if head["TagCount"] != nil && head["TagCount"] != int64(2) {
		t.Errorf("TagCount %v", head["TagCount"])
	}

	for _, c := range []struct{ name, doc, code, msg string }{
		{"not xml", "team=blue", "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema"},
		{"duplicate key", `<Tagging><TagSet><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></TagSet></Tagging>`,
			"InvalidTag", "Cannot provide multiple Tags with the same key"},
		{"empty key", `<Tagging><TagSet><Tag><Key></Key><Value>1</Value></Tag></TagSet></Tagging>`, "InvalidTag", "The TagKey you have provided is invalid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := postForm(t, w, target, map[string]string{"key": "bad-" + c.name, "tagging": c.doc}, "x", []byte("x"))
			if resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(body), "<Code>"+c.code+"</Code><Message>"+c.msg+"</Message>") {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			if _, r, err := w.call("HeadObject", map[string]any{"Bucket": "tags", "Key": "bad-" + c.name}); err == nil || r.StatusCode != 404 {
				t.Errorf("refused upload stored an object")
			}
		})
	}
}

// TestPostUploadChecksumFieldsAreVerified: x-amz-checksum-* fields are
// checked against the file as the headers of a PUT are (BadDigest naming
// the algorithm) and kept as the object's checksum.
func TestPostUploadChecksumFieldsAreVerified(t *testing.T) {
	w := newWire(t)
	w.must("CreateBucket", map[string]any{"Bucket": "sums"})
	target := w.endpoint.String() + "/sums"
	data := []byte("checksummed body")
	sha := sha256.Sum256(data)
	resp, body := postForm(t, w, target, map[string]string{"key": "ok", "x-amz-checksum-crc32": crc32B64(data),
		"x-amz-checksum-sha256": base64.StdEncoding.EncodeToString(sha[:])}, "f", data)
	if resp.StatusCode != 204 {
		t.Fatalf("POST: %d %s", resp.StatusCode, body)
	}
	out, _ := w.must("HeadObject", map[string]any{"Bucket": "sums", "Key": "ok", "ChecksumMode": "ENABLED"})
	if out["ChecksumCRC32"] != crc32B64(data) || out["ChecksumSHA256"] != base64.StdEncoding.EncodeToString(sha[:]) {
		t.Errorf("head %v", out)
	}
	for alg, field := range map[string]string{"CRC32": "x-amz-checksum-crc32", "SHA256": "x-amz-checksum-sha256"} {
		t.Run(alg, func(t *testing.T) {
			wrong := map[string]string{"CRC32": crc32B64([]byte("other")), "SHA256": base64.StdEncoding.EncodeToString(make([]byte, 32))}[alg]
			resp, body := postForm(t, w, target, map[string]string{"key": "bad", field: wrong}, "f", data)
			if resp.StatusCode != 400 || !strings.Contains(body, "<Code>BadDigest</Code><Message>The "+alg+" you specified did not match the calculated checksum.</Message>") {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}
	if _, r, err := w.call("HeadObject", map[string]any{"Bucket": "sums", "Key": "bad"}); err == nil || r.StatusCode != 404 {
		t.Errorf("a mismatched upload was stored")
	}
}

// TestPostUploadServerSideEncryptionIsEchoed: x-amz-server-side-encryption
// is accepted, stored and echoed on the POST answer; an unknown method is
// InvalidArgument.
func TestPostUploadServerSideEncryptionIsEchoed(t *testing.T) {
	w := newWire(t)
	w.must("CreateBucket", map[string]any{"Bucket": "sse"})
	target := w.endpoint.String() + "/sse"
	resp, body := postForm(t, w, target, map[string]string{"key": "k", "x-amz-server-side-encryption": "aws:kms"}, "f", []byte("x"))
	if resp.StatusCode != 204 || resp.Header.Get("x-amz-server-side-encryption") != "aws:kms" {
		t.Fatalf("POST: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	out, _ := w.must("HeadObject", map[string]any{"Bucket": "sse", "Key": "k"})
	if out["ServerSideEncryption"] != "aws:kms" {
		t.Errorf("head %v", out)
	}
	resp, _ = postForm(t, w, target, map[string]string{"key": "plain"}, "f", []byte("x"))
	if resp.Header.Get("x-amz-server-side-encryption") != "AES256" {
		t.Errorf("default SSE-S3 not echoed: %v", resp.Header)
	}
	resp, body = postForm(t, w, target, map[string]string{"key": "bad", "x-amz-server-side-encryption": "rot13"}, "f", []byte("x"))
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidArgument</Code><Message>The encryption method specified is not supported</Message>") ||
		!strings.Contains(body, "<ArgumentName>x-amz-server-side-encryption</ArgumentName>") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

// TestPostUploadWithTemporaryCredentialsNeedsTheirToken: a policy signed
// with an STS session's keys uploads only with its x-amz-security-token
// field (which boto3 adds to fields and conditions); without it, or with
// another token, S3 answers InvalidToken.
func TestPostUploadWithTemporaryCredentialsNeedsTheirToken(t *testing.T) {
	now := time.Now()
	w := newWire(t, func(o *emulator.Options) {
		o.VerifySignatures = true
		o.Clock = emulator.FixedClock(now)
		o.Credentials = map[string]string{account: "secret"}
		o.CredentialsLookup = func(ctx context.Context, akid string) (emulator.Credentials, bool) {
			if akid == "ASIATEMPPOST" {
				return emulator.Credentials{SecretAccessKey: "tempsecret", SessionToken: "session-token", Account: account}, true
			}
			return emulator.Credentials{}, false
		}
	})
	w.at = now
	w.signed(func() { w.must("CreateBucket", map[string]any{"Bucket": "temp"}) })
	for _, sv := range []string{"s3v4", ""} {
		t.Run("sig="+sv, func(t *testing.T) {
			s, err := session.New(session.Options{Region: "us-east-1", AccessKeyID: "ASIATEMPPOST", SecretAccessKey: "tempsecret", SessionToken: "session-token",
				Env: func(string) string { return "" }, ConfigFile: "/nonexistent/config", CredentialsFile: "/nonexistent/credentials"})
			if err != nil {
				t.Fatal(err)
			}
			c, err := s.Client("s3", session.ClientOptions{EndpointURL: "http://localhost:4566",
				Config: &session.Config{SignatureVersion: sv, S3: &session.S3Config{AddressingStyle: "path"}}})
			if err != nil {
				t.Fatal(err)
			}
			pp, err := c.GeneratePresignedPost(context.Background(), "temp", "k"+sv, nil, nil, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if pp.Fields["x-amz-security-token"] != "session-token" {
				t.Fatalf("fields %v", pp.Fields)
			}
			if resp, body := postForm(t, w, pp.URL, pp.Fields, "f", []byte("temp")); resp.StatusCode != 204 {
				t.Fatalf("with token: %d %s", resp.StatusCode, body)
			}
			for name, edit := range map[string]func(map[string]string){
				"missing": func(f map[string]string) { delete(f, "x-amz-security-token") },
				"other":   func(f map[string]string) { f["x-amz-security-token"] = "stolen" },
			} {
				f := map[string]string{}
				for k, v := range pp.Fields {
					f[k] = v
				}
				edit(f)
				resp, body := postForm(t, w, pp.URL, f, "f", []byte("temp"))
				if resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidToken</Code><Message>The provided token is malformed or otherwise invalid.</Message>") {
					t.Errorf("%s token: %d %s", name, resp.StatusCode, body)
				}
			}
		})
	}
}
