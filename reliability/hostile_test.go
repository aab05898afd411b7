package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/session"
)

// hostile is one malicious or malformed request and the answer a real AWS
// endpoint gives it. Requests are written as raw HTTP/1.1 so that framing
// errors (bad Content-Length, NUL bytes) reach the server untouched.
type hostile struct {
	name   string
	req    string // raw request; "Host" and "Connection: close" are added
	status int
	code   string // AWS error code; "" when only the status is pinned (Go's own 4xx)
}

const (
	fakeScope   = "Authorization: AWS4-HMAC-SHA256 Credential=AKIDHOSTILE/20260101/us-east-1/%s/aws4_request, SignedHeaders=host, Signature=00\r\n"
	amzDate     = "X-Amz-Date: 20260101T000000Z\r\n"
	unsignedSHA = "X-Amz-Content-Sha256: UNSIGNED-PAYLOAD\r\n"
)

func authFor(service string) string { return fmt.Sprintf(fakeScope, service) + amzDate }

// jsonReq builds a JSON-protocol request for target (e.g. DynamoDB_20120810.PutItem).
func jsonReq(service, version, target, body string) string {
	return "POST / HTTP/1.1\r\n" + authFor(service) +
		"Content-Type: application/x-amz-json-" + version + "\r\nX-Amz-Target: " + target + "\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
}

func queryReq(service, body string) string {
	return "POST / HTTP/1.1\r\n" + authFor(service) + "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
}

func s3Req(method, path, extraHeaders, body string) string {
	return method + " " + path + " HTTP/1.1\r\n" + authFor("s3") + unsignedSHA + extraHeaders +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
}

// sendRaw writes req on a fresh connection and reads one response.
func sendRaw(t *testing.T, addr, req string) (int, http.Header, string, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, nil, "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(15 * time.Second))
	head, rest, _ := strings.Cut(req, "\r\n")
	req = head + "\r\nHost: " + addr + "\r\nConnection: close\r\n" + rest
	go func() { _, _ = io.WriteString(conn, req) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, resp.Header, string(b), nil
}

var xmlCodeRE = regexp.MustCompile(`<Code>([^<]*)</Code>`)

// errorCode extracts the AWS error code from any protocol's error answer.
func errorCode(h http.Header, body string) string {
	if m := xmlCodeRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	var j struct {
		Type string `json:"__type"`
		Code string `json:"code"`
	}
	if json.Unmarshal([]byte(body), &j) == nil {
		c := j.Type
		if c == "" {
			c = j.Code
		}
		if i := strings.LastIndex(c, "#"); i >= 0 {
			c = c[i+1:]
		}
		if c != "" {
			return c
		}
	}
	if c := h.Get("X-Amzn-Errortype"); c != "" {
		c, _, _ = strings.Cut(c, ":")
		return c
	}
	return ""
}

func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Tagging><TagSet><Tag><Key>k</Key><Value>&lol9;</Value></Tag></TagSet></Tagging>`

const xxe = `<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Tagging><TagSet><Tag><Key>k</Key><Value>&xxe;</Value></Tag></TagSet></Tagging>`

func hostileCases() []hostile {
	const ddb = "DynamoDB_20120810."
	var cs []hostile
	add := func(name, req string, status int, code string) {
		cs = append(cs, hostile{name: name, req: req, status: status, code: code})
	}

	// JSON services: bodies that are not JSON, or JSON of the wrong shape,
	// are SerializationException 400 on DynamoDB, KMS and Secrets Manager.
	badJSON := map[string]string{
		"empty object truncated": `{"TableName":`,
		"lone bracket":           `[`,
		"bare word":              `nul`,
		"missing value":          `{"a":}`,
		"trailing comma":         `{"TableName":"t",}`,
		"single quotes":          `{'TableName':'t'}`,
		"unterminated string":    `{"TableName":"t`,
		"array top level":        `[1,2,3]`,
		"number top level":       `12`,
		"nested arrays 100k":     nested("[", "]", 100000),
		"nested objects 10k":     `{"TableName":` + strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000) + `}`,
		"NUL byte":               "{\"TableName\"\x00:\"t\"}",
		"two documents":          `{"TableName":"t"}{"TableName":"u"}`,
	}
	for name, body := range badJSON {
		add("dynamodb PutItem "+name, jsonReq("dynamodb", "1.0", ddb+"PutItem", body), 400, "SerializationException")
		add("kms Encrypt "+name, jsonReq("kms", "1.1", "TrentService.Encrypt", body), 400, "SerializationException")
		add("secretsmanager GetSecretValue "+name, jsonReq("secretsmanager", "1.1", "secretsmanager.GetSecretValue", body), 400, "SerializationException")
	}
	wrongTypes := map[string]string{
		"TableName number":    `{"TableName":5,"Item":{}}`,
		"TableName object":    `{"TableName":{"S":"x"},"Item":{}}`,
		"Item array":          `{"TableName":"t","Item":[]}`,
		"Item string":         `{"TableName":"t","Item":"x"}`,
		"AttributeValue list": `{"TableName":"t","Item":{"pk":[1]}}`,
		"ReturnValues number": `{"TableName":"t","Item":{"pk":{"S":"a"}},"ReturnValues":1}`,
	}
	for name, body := range wrongTypes {
		add("dynamodb PutItem wrong type "+name, jsonReq("dynamodb", "1.0", ddb+"PutItem", body), 400, "SerializationException")
	}
	add("dynamodb unknown operation", jsonReq("dynamodb", "1.0", ddb+"DropEverything", `{}`), 400, "UnknownOperationException")
	add("dynamodb missing TableName", jsonReq("dynamodb", "1.0", ddb+"PutItem", `{"Item":{"pk":{"S":"a"}}}`), 400, "ValidationException")
	// Unknown members are ignored (AWS's JSON services are lenient), so a
	// deep document under an unknown name reaches validation.
	// Table names are held to DynamoDB's pattern and length before any lookup.
	for name, tn := range map[string]string{"traversal": `../../etc/passwd`, "NUL": `a\u0000b`, "too short": `ab`, "slash": `a/b`} {
		add("dynamodb DescribeTable invalid name "+name, jsonReq("dynamodb", "1.0", ddb+"DescribeTable", `{"TableName":"`+tn+`"}`), 400, "ValidationException")
	}
	// AttributeValues nest at most 32 levels.
	deepL := `{"S":"x"}`
	for range 40 {
		deepL = `{"L":[` + deepL + `]}`
	}
	add("dynamodb PutItem value nested 40 levels", jsonReq("dynamodb", "1.0", ddb+"PutItem", `{"TableName":"hostile","Item":{"pk":{"S":"deep"},"v":`+deepL+`}}`), 400, "ValidationException")
	add("dynamodb deep unknown member", jsonReq("dynamodb", "1.0", ddb+"PutItem", `{"x":`+nested("[", "]", 5000)+`}`), 400, "ValidationException")

	// Query protocol (STS): garbage form bodies.
	add("sts unknown action", queryReq("sts", "Action=DropEverything&Version=2011-06-15"), 400, "InvalidAction")
	add("sts no action", queryReq("sts", "Version=2011-06-15"), 400, "MissingAction")
	add("sts bad percent encoding", queryReq("sts", "Action=GetCallerIdentity&Version=2011-06-15&x=%zz"), 400, "")
	add("sts AssumeRole missing RoleArn", queryReq("sts", "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s"), 400, "ValidationError")

	// S3: malformed XML bodies.
	badXML := map[string]string{
		"truncated":         `<Tagging><TagSet><Tag><Key>k</Key>`,
		"not xml":           `{"TagSet":[]}`,
		"mismatched tags":   `<Tagging><TagSet></Tagging></TagSet>`,
		"billion laughs":    billionLaughs,
		"external entity":   xxe,
		"invalid utf8":      "<Tagging><TagSet><Tag><Key>\xff</Key><Value>v</Value></Tag></TagSet></Tagging>",
		"control character": "<Tagging><TagSet><Tag><Key>\x01</Key><Value>v</Value></Tag></TagSet></Tagging>",
		"deep nesting":      nested("<a>", "</a>", 50000),
		"empty":             ``,
	}
	for name, body := range badXML {
		add("s3 PutBucketTagging "+name, s3Req("PUT", "/hostile?tagging", "Content-MD5: "+md5b64(body)+"\r\n", body), 400, "MalformedXML")
	}
	add("s3 DeleteObjects truncated", s3Req("POST", "/hostile?delete", "Content-MD5: "+md5b64(`<Delete><Object>`)+"\r\n", `<Delete><Object>`), 400, "MalformedXML")
	add("s3 CompleteMultipartUpload not xml", s3Req("POST", "/hostile/mpu?uploadId=nope", "", `garbage`), 400, "MalformedXML")
	add("s3 CreateBucket bad location xml", s3Req("PUT", "/hostile-new", "", `<CreateBucketConfiguration><LocationConstraint>`), 400, "MalformedXML")

	// S3 bucket names with traversal and invalid characters.
	for _, b := range []string{"..", "%2e%2e", "a..b", "UPPER", "a_b", "-lead", "ab", strings.Repeat("a", 64), "192.168.0.1", "a%00b", "a%2fb"} {
		add("s3 CreateBucket invalid name "+b, s3Req("PUT", "/"+b, "", ""), 400, "InvalidBucketName")
	}
	add("s3 GetObject on missing bucket with traversal key", s3Req("GET", "/nobucket/..%2F..%2Fetc%2Fpasswd", "", ""), 404, "NoSuchBucket")
	add("s3 GetObject missing key with traversal", s3Req("GET", "/hostile/..%2F..%2Fetc%2Fpasswd", "", ""), 404, "NoSuchKey")
	add("s3 GetObject absolute key", s3Req("GET", "/hostile//etc/passwd", "", ""), 404, "NoSuchKey")
	add("s3 key too long", s3Req("PUT", "/hostile/"+strings.Repeat("k", 1025), "", "x"), 400, "KeyTooLongError")

	// Content-Length and framing attacks (Go's HTTP server answers the
	// unparseable ones with a bare 400 before any handler runs).
	add("negative Content-Length", "POST / HTTP/1.1\r\n"+authFor("dynamodb")+"X-Amz-Target: "+ddb+"ListTables\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: -1\r\n\r\n{}", 400, "")
	add("two Content-Lengths", "POST / HTTP/1.1\r\n"+authFor("dynamodb")+"X-Amz-Target: "+ddb+"ListTables\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, "")
	// (Content-Length together with Transfer-Encoding: chunked is accepted
	// by Go's net/http, chunked winning as RFC 9112 allows; see FINDINGS.md.)
	add("huge Content-Length json", "POST / HTTP/1.1\r\n"+authFor("dynamodb")+"X-Amz-Target: "+ddb+"ListTables\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 99999999999999\r\n\r\n{}", 413, "RequestEntityTooLarge")
	add("huge Content-Length s3 put", "PUT /hostile/big HTTP/1.1\r\n"+authFor("s3")+unsignedSHA+"Content-Length: 6000000000\r\n\r\nabc", 400, "EntityTooLarge")
	add("overflowing Content-Length", "POST / HTTP/1.1\r\n"+authFor("dynamodb")+"Content-Length: 999999999999999999999999\r\n\r\n{}", 400, "")
	add("oversize header", "POST / HTTP/1.1\r\n"+authFor("dynamodb")+"X-Big: "+strings.Repeat("a", emulator.MaxHeaderBytes+4096)+"\r\nContent-Length: 2\r\n\r\n{}", 431, "")
	add("NUL in header value", "POST / HTTP/1.1\r\n"+authFor("dynamodb")+"X-Bad: a\x00b\r\nContent-Length: 2\r\n\r\n{}", 400, "")
	add("control char in header name", "POST / HTTP/1.1\r\n"+authFor("dynamodb")+"X-B\x01ad: a\r\nContent-Length: 2\r\n\r\n{}", 400, "")
	add("bad chunked framing", "POST / HTTP/1.1\r\n"+authFor("dynamodb")+"X-Amz-Target: "+ddb+"ListTables\r\nContent-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "")

	// aws-chunked uploads whose framing is broken.
	chunkedAs := func(name, body string, status int, code string) {
		add("s3 aws-chunked "+name, "PUT /hostile/chunked HTTP/1.1\r\n"+authFor("s3")+
			"X-Amz-Content-Sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nContent-Encoding: aws-chunked\r\nX-Amz-Decoded-Content-Length: 5\r\n"+
			fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))+body, status, code)
	}
	chunked := func(name, body string) { chunkedAs(name, body, 400, "IncompleteBody") }
	chunked("truncated chunk", "5\r\nhel")
	chunked("missing final chunk", "5\r\nhello\r\n")
	chunked("size longer than decoded length", "9\r\nhelloworl\r\n0\r\n\r\n")
	chunked("size shorter than decoded length", "3\r\nhel\r\n0\r\n\r\n")
	chunked("chunk size not hexadecimal", "zz\r\nhello\r\n0\r\n\r\n")
	chunked("no CRLF after chunk data", "5\r\nhelloX\r\n0\r\n\r\n")
	chunked("LF-only framing", "5\nhello\n0\n\n")
	chunked("no final CRLF", "5\r\nhello\r\n0\r\n")
	// Every chunk but the last non-empty one must carry 8 KiB: S3 answers
	// 403 InvalidChunkSizeError with <Chunk>2</Chunk><BadChunkSize>3</BadChunkSize>
	// (TestHostileSmallChunkFields checks the fields).
	chunkedAs("small non-final chunk", "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", 403, "InvalidChunkSizeError")
	chunkedAs("small first chunk then a byte past decoded length", "5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n", 403, "InvalidChunkSizeError")
	return cs
}

// TestHostileInput sends the catalogue to an emulator whose state lives
// under a temporary root and checks each answer's status and AWS error code,
// that the server stays healthy, and that no file appears outside the data
// directory.
func TestHostileInput(t *testing.T) {
	root := t.TempDir()
	dataDir := filepath.Join(root, "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	ts := emulator.NewTestServer(t, emulator.Options{DataPath: filepath.Join(dataDir, "state.db"), NoSync: true})
	addr := strings.TrimPrefix(ts.URL, "http://")
	cs := clients(t, newSession(t), ts.URL, nil, "s3", "dynamodb")
	mustCall(t, cs["s3"], "CreateBucket", session.Params{"Bucket": "hostile"})
	mustCall(t, cs["dynamodb"], "CreateTable", session.Params{
		"TableName":            "hostile",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"}},
		"BillingMode":          "PAY_PER_REQUEST",
	})

	cases := hostileCases()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body, err := sendRaw(t, addr, tc.req)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			if status != tc.status {
				t.Errorf("status %d, want %d; body %.300s", status, tc.status, body)
			}
			if got := errorCode(h, body); tc.code != "" && got != tc.code {
				t.Errorf("code %q, want %q; body %.300s", got, tc.code, body)
			}
		})
	}
	n := len(cases)
	n += hostileKeys(t, cs["s3"])
	checkHealth(t, ts.URL)
	checkConfined(t, root, dataDir)
	t.Logf("hostile input: %d cases, server healthy, nothing written outside %s", n, dataDir)
}

// hostileKeys stores objects whose keys look like traversal: S3 keys are
// opaque strings, so each must round-trip as an ordinary object.
func hostileKeys(t *testing.T, c *session.Client) int {
	keys := []string{"../../../../tmp/fakecloud-escape", "/etc/fakecloud-escape", "..", ".", "a/../../b", "%2e%2e/%2e%2e/x",
		"..\\..\\windows", "key\x01with\x1fcontrol", "ünïcødé/../ключ", "./././x", "a//b///c", "~/.ssh/authorized_keys"}
	for _, k := range keys {
		t.Run("s3 key round trip "+fmt.Sprintf("%q", k), func(t *testing.T) {
			ctx := context.Background()
			body := "body of " + k
			if _, err := c.Call(ctx, "PutObject", session.Params{"Bucket": "hostile", "Key": k, "Body": strings.NewReader(body)}); err != nil {
				t.Fatalf("PutObject: %v", err)
			}
			out, err := c.Call(ctx, "GetObject", session.Params{"Bucket": "hostile", "Key": k})
			if err != nil {
				t.Fatalf("GetObject: %v", err)
			}
			b, _ := readBody(out.Data["Body"])
			if string(b) != body {
				t.Errorf("body %q", b)
			}
		})
	}
	return len(keys)
}

func checkHealth(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url + "/_fakecloud/health")
	if err != nil {
		t.Fatalf("health: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health: %d", resp.StatusCode)
	}
}

// checkConfined fails if anything but the data directory appeared under
// root, or if a traversal target exists.
func checkConfined(t *testing.T, root, dataDir string) {
	t.Helper()
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return nil
		}
		if p != dataDir && !strings.HasPrefix(p, dataDir+string(filepath.Separator)) {
			t.Errorf("file outside the data dir: %s", p)
		}
		return nil
	})
	for _, p := range []string{"/tmp/fakecloud-escape", "/etc/fakecloud-escape", filepath.Join(filepath.Dir(root), "fakecloud-escape")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("traversal created %s", p)
		}
	}
}

// TestHostileSmallChunkFields pins S3's whole InvalidChunkSizeError answer to
// a small non-final aws-chunked chunk, signed or not: 403, the message, and
// Chunk / BadChunkSize naming the chunk that revealed it and the bad size.
func TestHostileSmallChunkFields(t *testing.T) {
	ts := emulator.NewTestServer(t, emulator.Options{NoSync: true})
	addr := strings.TrimPrefix(ts.URL, "http://")
	mustCall(t, clients(t, newSession(t), ts.URL, nil, "s3")["s3"], "CreateBucket", session.Params{"Bucket": "hostile"})
	body := "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"
	req := "PUT /hostile/chunked HTTP/1.1\r\n" + authFor("s3") +
		"X-Amz-Content-Sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nContent-Encoding: aws-chunked\r\nX-Amz-Decoded-Content-Length: 5\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
	status, _, got, err := sendRaw(t, addr, req)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<Code>InvalidChunkSizeError</Code>", "<Message>Only the last chunk is allowed to have a size less than 8192 bytes</Message>", "<Chunk>2</Chunk>", "<BadChunkSize>3</BadChunkSize>"} {
		if !strings.Contains(got, want) {
			t.Errorf("answer lacks %s:\n%s", want, got)
		}
	}
	if status != 403 {
		t.Errorf("status %d, want 403", status)
	}
	checkHealth(t, ts.URL)
}
