package s3

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/model"
)

// FuzzByteRange: any Range header gives a window inside the object, an
// InvalidRange error, or "ignore" — never a panic or an out-of-bounds window.
func FuzzByteRange(f *testing.F) {
	for _, s := range []string{"bytes=0-3", "bytes=-5", "bytes=7-", "bytes=0-1,2-3", "bytes=-0", "bytes=99-", "bytes=a-b", "bytes=--1", ""} {
		f.Add(s, int64(10))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			size = -size
		}
		start, end, ok, err := byteRange(h, size)
		if err != nil || !ok {
			return
		}
		if start < 0 || end < start || end >= size {
			t.Fatalf("byteRange(%q, %d) = %d-%d", h, size, start, end)
		}
	})
}

// FuzzParseCopySource: x-amz-copy-source is client input.
func FuzzParseCopySource(f *testing.F) {
	for _, s := range []string{"bkt/key", "/bkt/a%20b?versionId=x", "bkt", "%zz/k", "b/k?%", "/b/k/?versionId="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, k, _, err := parseCopySource(s)
		if err == nil && (b == "" || k == "") {
			t.Fatalf("parseCopySource(%q) accepted an empty bucket or key", s)
		}
	})
}

// FuzzParseTagging: x-amz-tagging is client input.
func FuzzParseTagging(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "a=1&a=2", "%zz", "=", strings.Repeat("k=v&", 11)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags, err := parseTagging(s)
		if err == nil && len(tags) > 10 {
			t.Fatalf("parseTagging(%q) accepted %d tags", s, len(tags))
		}
	})
}

// FuzzContinuationToken: tokens are opaque to clients but decoded here.
func FuzzContinuationToken(f *testing.F) {
	f.Add(base64.RawURLEncoding.EncodeToString([]byte("kabc")))
	f.Add("!!")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw) == 0 || raw[0] != 'k' {
			return
		}
		_ = string(raw[1:])
	})
}

// FuzzPostForm: a browser POST body and its policy are client input: the
// form reader, the policy decoder and the condition check never panic.
func FuzzPostForm(f *testing.F) {
	body := "--xx\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nup/${filename}\r\n" +
		"--xx\r\nContent-Disposition: form-data; name=\"Content-Type\"\r\n\r\nimage/png\r\n" +
		"--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nDATA\r\n--xx--\r\n"
	pol := base64.StdEncoding.EncodeToString([]byte(`{"expiration":"2030-01-01T00:00:00Z","conditions":[{"bucket":"b"},["starts-with","$key","up/"],["eq","$Content-Type","image/png"],["content-length-range",1,10]]}`))
	f.Add("xx", []byte(body), pol)
	f.Add("xx", []byte("--xx\r\n\r\n--xx--"), base64.StdEncoding.EncodeToString([]byte(`{"expiration":"x","conditions":[[1,2,3],{"a":"b","c":"d"}]}`)))
	f.Add("", []byte{}, "!!!")
	f.Add("xx", []byte("--xx\r\nContent-Disposition: form-data; name=\"tagging\"\r\n\r\n<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>\r\n--xx--\r\n"), "")
	f.Add("xx", []byte("--xx\r\nContent-Disposition: form-data; name=\"tagging\"\r\n\r\n<Tagging><TagSet><Tag>\r\n--xx--\r\n"), "")
	svc, err := model.Load("s3")
	if err != nil {
		f.Fatal(err)
	}
	req := &emulator.Request{Service: svc}
	f.Fuzz(func(t *testing.T, boundary string, body []byte, policy string) {
		if boundary == "" {
			boundary = "b"
		}
		form, file, err := readPostForm(multipart.NewReader(bytes.NewReader(body), boundary))
		if err == nil && file != nil {
			_, _ = io.Copy(io.Discard, file)
		}
		p, perr := parsePolicy(policy)
		if perr == nil && err == nil {
			_ = p.check(form, "b")
		}
		if form != nil {
			if _, err := postInput(req, form, "b", "k"); err != nil && !strings.Contains(err.Error(), "Expires") &&
				!strings.Contains(err.Error(), "MalformedXML") && !strings.Contains(err.Error(), "InvalidTag") {
				t.Fatalf("postInput: %v", err)
			}
		}
	})
}
