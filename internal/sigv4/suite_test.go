package sigv4

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The AWS SigV4 test suite's fixed inputs (see its README in
// ../shared/aws-data/sigv4-tests).
var (
	suiteCreds = Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	suiteTime  = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
)

const suiteRegion, suiteService = "us-east-1", "service"

func suiteDir(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "aws-data", "sigv4-tests")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("SigV4 test suite not found at %s (../shared/aws-data/sigv4-tests): %v", dir, err)
	}
	return dir
}

// rawRequest is a .req/.sreq file: the request target is kept verbatim
// (the suite writes paths with raw spaces and UTF-8 that no HTTP parser
// accepts), headers in order with folded lines joined.
type rawRequest struct {
	method, path, query string
	headers             [][2]string
	body                []byte
}

func parseRaw(t testing.TB, data []byte) rawRequest {
	t.Helper()
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	head, body, _ := strings.Cut(s, "\n\n")
	lines := strings.Split(head, "\n")
	first := lines[0]
	method, rest, _ := strings.Cut(first, " ")
	i := strings.LastIndex(rest, " HTTP/")
	if i < 0 {
		t.Fatalf("bad request line %q", first)
	}
	target := rest[:i]
	var r rawRequest
	r.method = method
	r.path, r.query, _ = strings.Cut(target, "?")
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			r.headers[len(r.headers)-1][1] += " " + strings.TrimSpace(l)
			continue
		}
		k, v, _ := strings.Cut(l, ":")
		r.headers = append(r.headers, [2]string{k, v})
	}
	r.body = []byte(body)
	return r
}

func (r rawRequest) build(skip ...string) *http.Request {
	req := &http.Request{Method: r.method, URL: &url.URL{Opaque: r.path, RawQuery: r.query}, Header: http.Header{}}
outer:
	for _, h := range r.headers {
		for _, s := range skip {
			if strings.EqualFold(h[0], s) {
				continue outer
			}
		}
		if strings.EqualFold(h[0], "Host") {
			req.Host = h[1]
			continue
		}
		req.Header.Add(h[0], h[1])
	}
	if len(r.body) > 0 {
		req.Body = io.NopCloser(bytes.NewReader(r.body))
	}
	return req
}

type suiteCase struct {
	name, base string
}

func suiteCases(t *testing.T) []suiteCase {
	dir := suiteDir(t)
	var cases []suiteCase
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".req") {
			rel, _ := filepath.Rel(dir, strings.TrimSuffix(p, ".req"))
			cases = append(cases, suiteCase{name: filepath.ToSlash(filepath.Dir(rel)), base: strings.TrimSuffix(p, ".req")})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Fatalf("found only %d cases in %s", len(cases), dir)
	}
	return cases
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// sessionToken gives the token a case signs with and whether it goes on
// after signing (post-sts-header-after; see post-sts-token/readme.txt).
func caseCreds(t testing.TB, c suiteCase) (Credentials, []Option) {
	creds := suiteCreds
	sreq := parseRaw(t, []byte(readFile(t, c.base+".sreq")))
	for _, h := range sreq.headers {
		if strings.EqualFold(h[0], "X-Amz-Security-Token") {
			creds.SessionToken = h[1]
		}
	}
	if strings.HasSuffix(c.base, "-after") {
		return creds, []Option{SecurityTokenAfterSigning()}
	}
	return creds, nil
}

func TestSuiteSign(t *testing.T) {
	for _, c := range suiteCases(t) {
		t.Run(c.name, func(t *testing.T) {
			req := parseRaw(t, []byte(readFile(t, c.base+".req"))).build()
			creds, opts := caseCreds(t, c)
			res, err := Sign(req, creds, suiteService, suiteRegion, suiteTime, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if want := readFile(t, c.base+".creq"); res.CanonicalRequest != want {
				t.Errorf("canonical request:\n%s\nwant:\n%s", res.CanonicalRequest, want)
			}
			if want := readFile(t, c.base+".sts"); res.StringToSign != want {
				t.Errorf("string to sign:\n%s\nwant:\n%s", res.StringToSign, want)
			}
			if got, want := req.Header.Get("Authorization"), readFile(t, c.base+".authz"); got != want {
				t.Errorf("Authorization:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func suiteLookup(id string) (Credentials, bool) {
	if id == suiteCreds.AccessKeyID {
		return suiteCreds, true
	}
	return Credentials{}, false
}

// signedSuiteRequest is the suite's request as a server receives it: the
// .req plus the .authz Authorization header (and the session token).
// get-vanilla-with-session-token's .sreq carries a stale signature, so the
// .authz file is the reference.
func signedSuiteRequest(t testing.TB, c suiteCase) *http.Request {
	req := parseRaw(t, []byte(readFile(t, c.base+".req"))).build()
	creds, _ := caseCreds(t, c)
	if creds.SessionToken != "" {
		req.Header.Set("X-Amz-Security-Token", creds.SessionToken)
	}
	req.Header.Set("Authorization", readFile(t, c.base+".authz"))
	return req
}

func TestSuiteVerify(t *testing.T) {
	for _, c := range suiteCases(t) {
		t.Run(c.name, func(t *testing.T) {
			req := signedSuiteRequest(t, c)
			a, err := Verify(req, suiteLookup, suiteTime.Add(5*time.Minute))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if a.AccessKeyID != "AKIDEXAMPLE" || a.Region != suiteRegion || a.Service != suiteService || a.Date != "20150830" {
				t.Errorf("scope = %+v", a)
			}
		})
	}
}

func wantKind(t *testing.T, err error, k Kind) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *Error of kind %v", err, k)
	}
	if e.Kind != k {
		t.Fatalf("kind = %v (%v), want %v", e.Kind, err, k)
	}
}

func TestSuiteTamperedRequestsFailVerification(t *testing.T) {
	tampers := map[string]func(*http.Request){
		"path": func(r *http.Request) { r.URL.Opaque += "x" },
		"body": func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader("tampered")) },
		"date": func(r *http.Request) { r.Header.Set("X-Amz-Date", "20150830T123601Z") },
		"header": func(r *http.Request) {
			a, _ := ParseAuthorization(r)
			for _, h := range a.SignedHeaders {
				if h != "host" && h != "x-amz-date" {
					r.Header.Set(h, r.Header.Get(h)+"x")
					return
				}
			}
			r.Host = "other.amazonaws.com"
		},
		"query": func(r *http.Request) { r.URL.RawQuery += "&extra=1" },
	}
	for _, c := range suiteCases(t) {
		for name, tamper := range tampers {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				req := signedSuiteRequest(t, c)
				tamper(req)
				_, err := Verify(req, suiteLookup, suiteTime)
				wantKind(t, err, KindSignatureMismatch)
			})
		}
	}
}
