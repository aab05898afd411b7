package recorder

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBodiesRoundTripByteForByte(t *testing.T) {
	cases := map[string][]byte{
		"compact json":       []byte(`{"a":1,"b":[true,null,"x\u00e9"],"c":{"d":"e"}}`),
		"spaced json":        []byte(`{"a": 1}`),
		"json with escapes":  []byte(`{"k":"a\/b\u0041"}`),
		"xml":                []byte("<?xml version=\"1.0\"?>\n<A>\n  <B>x</B>\n</A>\n"),
		"binary":             {0, 1, 2, 0xff, 0xfe, 'a'},
		"trailing spaces":    []byte("line  \n\tindented \r\nend   "),
		"yaml-looking":       []byte("- a: b\n---\n..."),
		"leading newline":    []byte("\n\nx"),
		"control characters": []byte("a\x00b\x1bc"),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			c := &Cassette{Version: 1, Interactions: []*Interaction{{
				Request:  Request{Method: "PUT", URL: "https://x/y", Headers: http.Header{"A": {"b"}}, Body: body},
				Response: &Response{Status: 200, Body: body},
			}}}
			data, _, err := marshalCassette(c, storeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseCassette(data, "")
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if got := back.Interactions[0].Response.Body; !bytes.Equal(got, body) {
				t.Errorf("response body %q, want %q\n%s", got, body, data)
			}
			if got := back.Interactions[0].Request.Body; !bytes.Equal(got, body) {
				t.Errorf("request body %q, want %q", got, body)
			}
		})
	}
}

func TestCompactJSONIsStoredPrettyAndBinaryAsBase64(t *testing.T) {
	c := &Cassette{Version: 1, Interactions: []*Interaction{{
		Request:  Request{Method: "POST", URL: "https://x/", Body: []byte(`{"QueueName":"q","Attributes":{"A":"1"}}`)},
		Response: &Response{Status: 200, Body: []byte{0xff, 0x00}},
	}}}
	data, _, err := marshalCassette(c, storeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{"body_encoding: json", "\"QueueName\": \"q\"", "body_encoding: base64", "/wA="} {
		if !strings.Contains(s, want) {
			t.Errorf("cassette lacks %q:\n%s", want, s)
		}
	}
	if !strings.HasPrefix(s, "version: 2\n") || !strings.HasSuffix(s, "count: 1\n") {
		t.Errorf("cassette does not start with its version:\n%s", s)
	}
}

func TestUnknownCassetteVersionIsRefused(t *testing.T) {
	for _, doc := range []string{"version: 3\ninteractions: []\ncount: 0\n", "version: 0\n", "interactions: []\n", "- a\n"} {
		_, err := ParseCassette([]byte(doc), "")
		if !errors.Is(err, ErrUnsupportedVersion) {
			t.Errorf("%q: err = %v", doc, err)
		}
	}
}

func TestLargeBodiesGoToSideFiles(t *testing.T) {
	aws := newFakeAWS(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "big.yaml")
	rec, _ := New(path, WithMode(Record), IgnoreEnv(), WithSideFiles(1024))
	big := strings.Repeat("0123456789", 500)
	s3 := signedClient(rec, "s3")
	call(t, s3, "PUT", aws.URL+"/b/k", nil, big)
	_, got, _ := call(t, s3, "GET", aws.URL+"/b/k", nil, "")
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte(big)) || !bytes.Contains(data, []byte("body_file: big.bodies/")) {
		t.Fatalf("body inline:\n%s", data)
	}
	aws.Close()
	play, err := New(path, IgnoreEnv())
	if err != nil {
		t.Fatal(err)
	}
	s3 = signedClient(play, "s3")
	call(t, s3, "PUT", aws.URL+"/b/k", nil, big)
	if _, b, _ := call(t, s3, "GET", aws.URL+"/b/k", nil, ""); !bytes.Equal(b, got) {
		t.Error("side-file body did not replay")
	}
}

func TestSideFilesCannotEscapeTheCassetteDirectory(t *testing.T) {
	doc := "version: 1\ninteractions:\n  - id: 0\n    request: {method: GET, url: 'http://x/', body_file: ../../etc/passwd}\n    response: {status: 200}\n"
	if _, err := ParseCassette([]byte(doc), t.TempDir()); err == nil || !strings.Contains(err.Error(), "escapes") {
		t.Fatalf("err = %v", err)
	}
}

func TestShowListsInteractions(t *testing.T) {
	path, _ := recordTwoOps(t)
	var b bytes.Buffer
	if err := Show(&b, path); err != nil {
		t.Fatal(err)
	}
	want := "#  SERVICE  OPERATION    PARAMS                    STATUS\n" +
		"0  sqs      GetQueueUrl  QueueName=orders          200\n" +
		"1  sqs      SendMessage  MessageBody=a QueueUrl=q  200\n"
	if b.String() != want {
		t.Errorf("Show:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestCassetteKeepsRecordedTimeAndDuration(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	c := &Cassette{Version: 1, RecordedAt: at, Interactions: []*Interaction{{RecordedAt: at, Duration: 1500 * time.Millisecond,
		Request: Request{Method: "GET", URL: "http://x/"}, Error: "connection refused"}}}
	data, _, _ := marshalCassette(c, storeOptions{})
	back, err := ParseCassette(data, "")
	if err != nil {
		t.Fatal(err)
	}
	in := back.Interactions[0]
	if !back.RecordedAt.Equal(at) || !in.RecordedAt.Equal(at) || in.Duration != 1500*time.Millisecond || in.Error != "connection refused" {
		t.Errorf("got %+v\n%s", in, data)
	}
}

func FuzzLoadCassette(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "cassettes", "*.yaml"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("version: 1\ninteractions: []\n"))
	f.Add([]byte("version: 1\ninteractions:\n  - id: 0\n    params: {a: [1, 2.5, {b: c}]}\n    duration: 3ms\n    request: {method: POST, url: 'http://h/?Action=X', body: '{}', body_encoding: json}\n    response: {status: 200, body: /wA=, body_encoding: base64}\n"))
	f.Add([]byte("version: 2\n"))
	f.Add([]byte("version: 1\ninteractions: [null]\n"))
	f.Add([]byte("version: 1\ninteractions:\n  - request: {method: GET, url: ':'}\n    error: boom\n"))
	f.Add([]byte("version: &a 1\nx: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCassette(data, "")
		if err != nil {
			return
		}
		// Whatever loads must survive a write and a reload, bodies intact,
		// and must be usable by a replaying recorder.
		out, _, err := marshalCassette(c, storeOptions{})
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		back, err := ParseCassette(out, "")
		if err != nil {
			t.Fatalf("reload: %v\n%s", err, out)
		}
		for i, in := range c.Interactions {
			if !bytes.Equal(in.Request.Body, back.Interactions[i].Request.Body) {
				t.Fatalf("request body %d changed", i)
			}
			if in.Response != nil && !bytes.Equal(in.Response.Body, back.Interactions[i].Response.Body) {
				t.Fatalf("response body %d changed", i)
			}
		}
		r := &Recorder{cfg: config{ignore: map[string]bool{}, rd: newRedactor(), decoder: HeuristicDecoder}, cassette: c}
		for _, in := range c.Interactions {
			dc := r.decodeStored(in)
			r.calls = append(r.calls, dc)
			r.keys = append(r.keys, r.key(dc))
			r.used = append(r.used, false)
			r.decoded = append(r.decoded, true)
		}
		if len(r.calls) > 0 {
			r.findLocked(r.calls[0], c.Interactions[0])
			_ = r.mismatchLocked(Call{Service: "x"}, c.Interactions[0]).Error()
		}
	})
}

func FuzzBodyEncoding(f *testing.F) {
	f.Add([]byte(`{"a":1}`))
	f.Add([]byte("<a>\n</a>\n"))
	f.Add([]byte{0xff})
	f.Add([]byte("  {\"a\":1}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := &Cassette{Version: 1, Interactions: []*Interaction{{Request: Request{Method: "GET", URL: "http://x/", Body: body}, Response: &Response{Status: 200, Body: body}}}}
		data, _, err := marshalCassette(c, storeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseCassette(data, "")
		if err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		if !bytes.Equal(back.Interactions[0].Response.Body, body) || !bytes.Equal(back.Interactions[0].Request.Body, body) {
			t.Fatalf("body %q did not round-trip:\n%s", body, data)
		}
	})
}

func FuzzHeuristicDecoder(f *testing.F) {
	f.Add("POST", "http://h/", "AmazonSQS.SendMessage", "application/x-amz-json-1.0", []byte(`{"a":[1,{"b":2}]}`))
	f.Add("POST", "http://h/", "", "application/x-www-form-urlencoded", []byte("Action=X&A.1=a&A.2=b"))
	f.Add("PUT", "http://h/b/k?uploads", "", "", []byte("5;chunk-signature=00\r\nhello\r\n0;chunk-signature=00\r\n\r\n"))
	f.Fuzz(func(t *testing.T, method, u, target, ct string, body []byte) {
		req, err := http.NewRequest(method, u, nil)
		if err != nil {
			return
		}
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request")
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
		HeuristicDecoder.Decode(req, body)
		rawCall(req, body)
	})
}
