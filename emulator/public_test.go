package emulator_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
)

// TestPublicHandlerServesWithoutControlToken: ServiceDef.Public answers
// /_fakecloud/<service>/... for any caller (a non-loopback address, no
// token), while the rest of the control API still refuses that caller and
// a path no Public handler serves is not handed to the service.
func TestPublicHandlerServesWithoutControlToken(t *testing.T) {
	def := counterDef()
	def.Public = map[string]emulator.RawHandler{
		http.MethodGet: func(ctx context.Context, req *emulator.Request, w http.ResponseWriter) error {
			switch req.HTTP.URL.Path {
			case "/_fakecloud/counter/doc.pem":
				_, err := io.WriteString(w, "public "+req.Account+" "+req.Region)
				return err
			case "/_fakecloud/counter/gone":
				return emulator.Errorf("NotFound", http.StatusNotFound, "no such document")
			}
			return emulator.ErrNotHandled
		},
	}
	emu, err := emulator.New(emulator.Options{Services: []string{}, ServiceDefs: []emulator.ServiceDef{def}, ControlToken: "tok", Codecs: allTestCodecs})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	do := func(method, path string) (int, string) {
		r := httptest.NewRequest(method, "http://localhost:4566"+path, nil)
		r.RemoteAddr = "192.0.2.7:5555" // not loopback
		w := httptest.NewRecorder()
		emu.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/_fakecloud/counter/doc.pem", 200, "public 000000000000 us-east-1"},
		{"GET", "/_fakecloud/counter/gone", 404, "NotFound: no such document"},
		{"GET", "/_fakecloud/counter/other", 404, "no counter endpoint GET /_fakecloud/counter/other"},
		{"POST", "/_fakecloud/counter/doc.pem", 403, "control API"},      // no POST handler: the control API's check
		{"GET", "/_fakecloud/state", 403, "control API"},                 // still guarded
		{"GET", "/_fakecloud/nosuchservice/doc.pem", 403, "control API"}, // unknown service
	} {
		status, body := do(tc.method, tc.path)
		if status != tc.status || !strings.Contains(body, tc.body) {
			t.Errorf("%s %s = %d %q, want %d containing %q", tc.method, tc.path, status, body, tc.status, tc.body)
		}
	}
}
