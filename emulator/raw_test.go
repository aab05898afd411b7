package emulator_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
)

// TestRawHandlerServesWhatNoOperationDescribes: a ServiceDef.Raw handler
// gets the requests of its method the router cannot map (path-style path,
// body unread); its errors are encoded in the service's dialect, and
// ErrNotHandled leaves the router's own answer.
func TestRawHandlerServesWhatNoOperationDescribes(t *testing.T) {
	def := miniS3Def()
	var seen []string
	def.Raw = map[string]emulator.RawHandler{
		http.MethodOptions: func(ctx context.Context, req *emulator.Request, w http.ResponseWriter) error {
			seen = append(seen, req.HTTP.URL.Path)
			switch req.HTTP.URL.Path {
			case "/bkt/denied":
				return emulator.Errorf("AccessForbidden", http.StatusForbidden, "CORSResponse: no")
			case "/":
				return emulator.ErrNotHandled
			}
			body, _ := io.ReadAll(req.HTTP.Body)
			w.Header().Set("X-Seen", string(body)+"|"+req.Account+"|"+req.Region)
			w.WriteHeader(http.StatusOK)
			return nil
		},
	}
	emu, err := emulator.New(emulator.Options{Services: []string{}, ServiceDefs: []emulator.ServiceDef{def, counterDef()}, Codecs: allTestCodecs})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	do := func(url, body string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodOptions, url, strings.NewReader(body))
		resp, err := (&http.Client{Transport: emu.Transport()}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	if resp, _ := do("http://localhost:4566/bkt/k", "hello"); resp.StatusCode != 200 || resp.Header.Get("X-Seen") != "hello|000000000000|us-east-1" {
		t.Errorf("served: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := do("http://bkt.localhost:4566/vk", ""); resp.StatusCode != 200 {
		t.Errorf("virtual host: %d", resp.StatusCode)
	}
	if resp, body := do("http://localhost:4566/bkt/denied", ""); resp.StatusCode != 403 || !strings.Contains(body, "<Error><Code>AccessForbidden</Code>") || strings.Contains(body, "ErrorResponse") {
		t.Errorf("error: %d %s", resp.StatusCode, body)
	}
	if resp, body := do("http://localhost:4566/", ""); resp.StatusCode != 405 || !strings.Contains(body, "<Error><Code>MethodNotAllowed</Code>") {
		t.Errorf("not handled: %d %s", resp.StatusCode, body)
	}
	if want := "/bkt/k /bkt/vk /bkt/denied /"; strings.Join(seen, " ") != want {
		t.Errorf("paths %q, want %q", strings.Join(seen, " "), want)
	}
}
