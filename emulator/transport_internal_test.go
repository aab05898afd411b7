package emulator

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The in-process transport hands the handler a request of its own: header
// keys canonicalized as a server sees them (differently-cased duplicates
// merged), Content-Length present, and whatever the handler changes (header
// values, appended values, URL, trailers) never reaches the client's request.
func TestTransportGivesTheHandlerItsOwnRequest(t *testing.T) {
	var seen http.Header
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		r.Header["X-B"][0] = "changed in place"
		r.Header.Add("X-B", "appended")
		r.Header.Set("X-C", "new")
		r.URL.Path = "/elsewhere"
		r.Trailer.Set("X-T", "server")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "gone")
	})
	req, err := http.NewRequest(http.MethodPut, "http://localhost:4566/bucket/key?x=1", strings.NewReader("body"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = http.Header{"x-a": {"lower"}, "X-A": {"canon"}, "X-B": {"b1", "b2"}}
	req.Trailer = http.Header{"X-T": {"client"}}
	resp, err := (&transport{h: h}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || resp.Status != "404 Not Found" || string(body) != "gone" {
		t.Fatalf("response %q %q", resp.Status, body)
	}
	if a := seen["X-A"]; len(a) != 2 || seen.Get("Content-Length") != "4" || seen["X-B"][1] != "b2" {
		t.Fatalf("handler saw %v", seen)
	}
	want := http.Header{"x-a": {"lower"}, "X-A": {"canon"}, "X-B": {"b1", "b2"}}
	if len(req.Header) != len(want) || req.Header["X-B"][0] != "b1" || len(req.Header["X-B"]) != 2 || req.Header.Get("X-C") != "" {
		t.Fatalf("client's headers changed: %v", req.Header)
	}
	if req.URL.Path != "/bucket/key" || req.Trailer.Get("X-T") != "client" {
		t.Fatalf("client's request changed: %s %v", req.URL.Path, req.Trailer)
	}
}

func TestTransportStatusLine(t *testing.T) {
	for code, want := range map[int]string{200: "200 OK", 204: "204 No Content", 503: "503 Service Unavailable"} {
		if got := statusLine(code); got != want {
			t.Errorf("statusLine(%d) = %q, want %q", code, got, want)
		}
	}
}

// The Date header is formatted once per second, and a clock in another
// location is formatted as before (as it is, uncached).
func TestDateCacheMatchesTimeFormat(t *testing.T) {
	var c dateCache
	base := time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC)
	for _, d := range []time.Duration{0, 300 * time.Millisecond, time.Second, 1500 * time.Millisecond, -time.Hour} {
		tm := base.Add(d)
		if got, want := c.format(tm), tm.Format(http.TimeFormat); got != want {
			t.Errorf("%v: %q, want %q", tm, got, want)
		}
	}
	loc := time.FixedZone("X", 3600)
	if got, want := c.format(base.In(loc)), base.In(loc).Format(http.TimeFormat); got != want {
		t.Errorf("fixed zone: %q, want %q", got, want)
	}
}
