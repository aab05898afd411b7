package emulator

import (
	"net/http/httptest"
	"testing"
	"time"
)

// MaxHeaderBytes is the request header limit of NewTestServer and
// `fakecloud serve`.
const MaxHeaderBytes = 1 << 20

// TestServer is an emulator behind an httptest server on 127.0.0.1.
type TestServer struct {
	URL      string // "http://127.0.0.1:port": the endpoint_url for any SDK
	Emulator *Emulator
	server   *httptest.Server
}

// NewTestServer starts an emulator on a loopback port for the test and stops
// it (server and state) in t.Cleanup. At most one Options may be given.
// It serves the registered services: import
// _ "github.com/fakecloud/fakecloud/emulator/services" (all of them) or the
// service packages the test needs, as New documents.
func NewTestServer(t testing.TB, opts ...Options) *TestServer {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	emu, err := New(o)
	if err != nil {
		t.Fatalf("emulator.NewTestServer: %v", err)
	}
	srv := httptest.NewUnstartedServer(emu)
	// As `fakecloud serve`: a 1 MiB header limit (Go answers 431 above it)
	// and a bound on slow headers.
	srv.Config.MaxHeaderBytes = MaxHeaderBytes
	srv.Config.ReadHeaderTimeout = 30 * time.Second
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Close()
	})
	return &TestServer{URL: srv.URL, Emulator: emu, server: srv}
}

// Close stops the server early (it is idempotent with the cleanup).
func (s *TestServer) Close() {
	s.server.Close()
	_ = s.Emulator.Close()
}
