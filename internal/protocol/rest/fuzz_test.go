package rest

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzDecodeRequest feeds arbitrary paths, queries and header values to the
// server-side binding: it must answer with an error, never panic.
func FuzzDecodeRequest(f *testing.F) {
	f.Add("/b/k%20ey", "x-id=PutObject&token=t&z=1", "Mon, 16 Dec 2019 23:48:18 GMT", `a, "b,c"`)
	f.Add("/b/", "%zz", "garbage", `"unterminated`)
	f.Add("//", "", "", `\`)
	op := load(f).Operations["PutObject"]
	f.Fuzz(func(t *testing.T, path, query, expires, tags string) {
		r := &http.Request{Method: "PUT", URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{}}
		r.Header.Set("Expires", expires)
		r.Header.Set("X-Tags", tags)
		_, _ = DecodeRequest(op, r)
	})
}
