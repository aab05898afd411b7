package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/session"
)

const (
	postAKID   = "AKIDPOSTEXAMPLE"
	postSecret = "post-secret"
)

// newPostWire is a wire whose emulator verifies signatures (S3 checks the
// POST policy signature) with the clock at now.
func newPostWire(t *testing.T, now time.Time) *wire {
	t.Helper()
	w := newWire(t, func(o *emulator.Options) {
		o.VerifySignatures = true
		o.Clock = emulator.FixedClock(now)
		o.Credentials = map[string]string{postAKID: postSecret, account: "secret"}
	})
	w.at = now
	return w
}

// presignPost asks our session (boto3's generate_presigned_post) for a form.
func presignPost(t *testing.T, sigVersion, bucket, key string, fields map[string]string, conds []any) *session.PresignedPost {
	t.Helper()
	s, err := session.New(session.Options{Region: "us-east-1", AccessKeyID: postAKID, SecretAccessKey: postSecret,
		Env: func(string) string { return "" }, ConfigFile: "/nonexistent/config", CredentialsFile: "/nonexistent/credentials"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Client("s3", session.ClientOptions{EndpointURL: "http://localhost:4566",
		Config: &session.Config{SignatureVersion: sigVersion, S3: &session.S3Config{AddressingStyle: "path"}}})
	if err != nil {
		t.Fatal(err)
	}
	pp, err := c.GeneratePresignedPost(context.Background(), bucket, key, fields, conds, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return pp
}

// postForm sends fields (key first, then sorted, as a browser form lists
// them) and a file named filename to target.
func postForm(t *testing.T, w *wire, target string, fields map[string]string, filename string, file []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	names := make([]string, 0, len(fields))
	for k := range fields {
		if k != "key" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	if _, ok := fields["key"]; ok {
		names = append([]string{"key"}, names...)
	}
	for _, k := range names {
		mw.WriteField(k, fields[k])
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, target, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := w.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func md5Hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// TestPresignedPostUploadsWithSessionForm: the forms our session's
// GeneratePresignedPost builds (SigV4 and the legacy SigV2 boto3 uses by
// default) upload through a multipart POST: ${filename} expands, fields
// become the object's Content-Type and metadata, 201 answers a PostResponse.
func TestPresignedPostUploadsWithSessionForm(t *testing.T) {
	for _, sv := range []string{"s3v4", ""} {
		t.Run("sig="+sv, func(t *testing.T) {
			w := newPostWire(t, time.Now())
			w.signed(func() { w.must("CreateBucket", map[string]any{"Bucket": "forms"}) })
			pp := presignPost(t, sv, "forms", "uploads/${filename}",
				map[string]string{"Content-Type": "image/png", "x-amz-meta-owner": "alice", "success_action_status": "201"},
				[]any{[]any{"starts-with", "$Content-Type", "image/"}, map[string]any{"x-amz-meta-owner": "alice"},
					map[string]any{"success_action_status": "201"}, []any{"content-length-range", 1, 1 << 20}})
			if !strings.HasSuffix(pp.URL, "/forms") {
				t.Fatalf("url %s", pp.URL)
			}
			data := bytes.Repeat([]byte("png!"), 300)
			resp, body := postForm(t, w, pp.URL, pp.Fields, "photo.png", data)
			etag := `"` + md5Hex(data) + `"`
			if resp.StatusCode != 201 || resp.Header.Get("ETag") != etag || resp.Header.Get("Location") != "http://localhost:4566/forms/uploads/photo.png" {
				t.Fatalf("POST: %d %v %s", resp.StatusCode, resp.Header, body)
			}
			want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n<PostResponse><Location>http://localhost:4566/forms/uploads/photo.png</Location><Bucket>forms</Bucket><Key>uploads/photo.png</Key><ETag>&#34;" + md5Hex(data) + "&#34;</ETag></PostResponse>"
			if html.UnescapeString(body) != html.UnescapeString(want) {
				t.Errorf("PostResponse\n got %s\nwant %s", body, want)
			}
			var out map[string]any
			w.signed(func() { out, _ = w.must("GetObject", map[string]any{"Bucket": "forms", "Key": "uploads/photo.png"}) })
			got, _ := io.ReadAll(out["Body"].(io.Reader))
			if !bytes.Equal(got, data) || out["ContentType"] != "image/png" || out["Metadata"].(map[string]any)["owner"] != "alice" || out["ETag"] != etag {
				t.Errorf("stored object: %d bytes, %v", len(got), out)
			}
		})
	}
}

// signed runs f with the wire's requests signed by a key the verifying
// emulator knows.
func (w *wire) signed(f func()) {
	w.verified = true
	defer func() { w.verified = false }()
	f()
}

// TestPostUploadAnswers: without success_action_status S3 answers 204,
// "200" answers 200, success_action_redirect 303 to the URL with bucket,
// key and etag; every answer carries ETag and Location.
func TestPostUploadAnswers(t *testing.T) {
	bothWires(t, func(t *testing.T, w *wire) {
		w.must("CreateBucket", map[string]any{"Bucket": "answers"})
		target := w.endpoint.String() + "/answers"
		resp, body := postForm(t, w, target, map[string]string{"key": "a.txt", "Content-Type": "text/plain"}, "x", []byte("hello"))
		if resp.StatusCode != 204 || body != "" || resp.Header.Get("ETag") != `"5d41402abc4b2a76b9719d911017c592"` || !strings.HasSuffix(resp.Header.Get("Location"), "/answers/a.txt") {
			t.Errorf("default: %d %v %q", resp.StatusCode, resp.Header, body)
		}
		if resp, _ = postForm(t, w, target, map[string]string{"key": "b", "success_action_status": "200"}, "x", []byte("b")); resp.StatusCode != 200 {
			t.Errorf("200: %d", resp.StatusCode)
		}
		if resp, _ = postForm(t, w, target, map[string]string{"key": "c", "success_action_status": "404"}, "x", []byte("c")); resp.StatusCode != 204 {
			t.Errorf("invalid status falls back to 204: %d", resp.StatusCode)
		}
		w.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, _ = postForm(t, w, target, map[string]string{"key": "dir/d e", "success_action_redirect": "https://app.example.com/done?x=1"}, "x", []byte("d"))
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != 303 || loc.Host != "app.example.com" || loc.Query().Get("x") != "1" || loc.Query().Get("bucket") != "answers" ||
			loc.Query().Get("key") != "dir/d e" || loc.Query().Get("etag") != `"`+md5Hex([]byte("d"))+`"` {
			t.Errorf("redirect: %d %v", resp.StatusCode, resp.Header)
		}
		out, _ := w.must("HeadObject", map[string]any{"Bucket": "answers", "Key": "a.txt"})
		if out["ContentType"] != "text/plain" || out["ContentLength"] != int64(5) {
			t.Errorf("head %v", out)
		}
	})
}

// TestPostUploadRefusals pins S3's codes and messages for forms it refuses.
func TestPostUploadRefusals(t *testing.T) {
	now := time.Now()
	w := newPostWire(t, now)
	w.signed(func() { w.must("CreateBucket", map[string]any{"Bucket": "refuse"}) })
	base := func() (map[string]string, string) {
		pp := presignPost(t, "s3v4", "refuse", "uploads/${filename}", map[string]string{"Content-Type": "image/jpeg"},
			[]any{[]any{"starts-with", "$Content-Type", "image/"}, []any{"content-length-range", 2, 10}})
		return pp.Fields, pp.URL
	}
	type tc struct {
		name   string
		edit   func(f map[string]string)
		file   []byte
		status int
		code   string
		msg    string
		fields []string
	}
	cases := []tc{
		{"condition failed", func(f map[string]string) { f["Content-Type"] = "text/html" }, []byte("abc"), 403, "AccessDenied",
			`Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]`, nil},
		{"key outside prefix", func(f map[string]string) { f["key"] = "other/x" }, []byte("abc"), 403, "AccessDenied",
			`Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]`, nil},
		{"extra field", func(f map[string]string) { f["x-amz-meta-extra"] = "1" }, []byte("abc"), 403, "AccessDenied",
			"Invalid according to Policy: Extra input fields: x-amz-meta-extra", nil},
		{"too large", nil, []byte("0123456789abc"), 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
			[]string{"<ProposedSize>13</ProposedSize>", "<MaxSizeAllowed>10</MaxSizeAllowed>"}},
		{"too small", nil, []byte("a"), 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
			[]string{"<ProposedSize>1</ProposedSize>", "<MinSizeAllowed>2</MinSizeAllowed>"}},
		{"tampered policy", func(f map[string]string) {
			p, _ := base64.StdEncoding.DecodeString(f["policy"])
			f["policy"] = base64.StdEncoding.EncodeToString(bytes.Replace(p, []byte(`"image/"`), []byte(`"text/"`), 1))
		}, []byte("abc"), 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", nil},
		{"unknown key", func(f map[string]string) {
			f["x-amz-credential"] = strings.Replace(f["x-amz-credential"], postAKID, "AKIDUNKNOWN", 1)
		}, []byte("abc"), 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", nil},
		{"missing signature", func(f map[string]string) { delete(f, "x-amz-signature") }, []byte("abc"), 400, "InvalidArgument",
			"Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.", []string{"<ArgumentName>X-Amz-Signature</ArgumentName>"}},
		{"missing key", func(f map[string]string) { delete(f, "key") }, []byte("abc"), 400, "InvalidArgument",
			"Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", []string{"<ArgumentName>key</ArgumentName>"}},
		{"missing file", nil, nil, 400, "InvalidArgument", "POST requires exactly one file upload per request.",
			[]string{"<ArgumentName>file</ArgumentName>", "<ArgumentValue>0</ArgumentValue>"}},
		{"no policy while verifying", func(f map[string]string) {
			for k := range f {
				if k != "key" {
					delete(f, k)
				}
			}
		}, []byte("abc"), 403, "AccessDenied", "Access Denied", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, target := base()
			if c.edit != nil {
				c.edit(f)
			}
			resp, body := postForm(t, w, target, f, "pic.jpg", c.file)
			plain := html.UnescapeString(body)
			if resp.StatusCode != c.status || !strings.Contains(plain, "<Error><Code>"+c.code+"</Code><Message>"+c.msg+"</Message>") {
				t.Fatalf("%d %s", resp.StatusCode, plain)
			}
			for _, want := range c.fields {
				if !strings.Contains(body, want) {
					t.Errorf("no %s in %s", want, body)
				}
			}
		})
	}
	t.Run("nothing stored", func(t *testing.T) {
		var out map[string]any
		w.signed(func() { out, _ = w.must("ListObjectsV2", map[string]any{"Bucket": "refuse"}) })
		if out["KeyCount"] != int64(0) {
			t.Errorf("refused uploads left objects: %v", out)
		}
	})
	t.Run("expired", func(t *testing.T) {
		late := newPostWire(t, now.Add(2*time.Hour))
		late.signed(func() { late.must("CreateBucket", map[string]any{"Bucket": "refuse"}) })
		f, target := base()
		resp, body := postForm(t, late, target, f, "pic.jpg", []byte("abc"))
		if resp.StatusCode != 403 || !strings.Contains(body, "<Message>Invalid according to Policy: Policy expired.</Message>") {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("not multipart", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, w.endpoint.String()+"/refuse", strings.NewReader("key=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := w.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 412 || !strings.Contains(string(b), "<Code>PreconditionFailed</Code>") ||
			!strings.Contains(string(b), "<Condition>Bucket POST must be of the enclosure-type multipart/form-data</Condition>") {
			t.Errorf("%d %s", resp.StatusCode, b)
		}
	})
}

// TestPostUploadStreamsLargeFile: a multi-MiB file goes through the
// streaming path intact (its ETag is its MD5) over a real socket.
func TestPostUploadStreamsLargeFile(t *testing.T) {
	w := newLoopbackWire(t)
	w.must("CreateBucket", map[string]any{"Bucket": "big"})
	data := bytes.Repeat([]byte("0123456789abcdef"), 3<<16) // 3 MiB
	resp, body := postForm(t, w, w.endpoint.String()+"/big", map[string]string{"key": "blob"}, "blob.bin", data)
	if resp.StatusCode != 204 || resp.Header.Get("ETag") != `"`+md5Hex(data)+`"` {
		t.Fatalf("%d %v %s", resp.StatusCode, resp.Header, body)
	}
	out, _ := w.must("HeadObject", map[string]any{"Bucket": "big", "Key": "blob"})
	if out["ContentLength"] != int64(len(data)) {
		t.Errorf("head %v", out)
	}
}
