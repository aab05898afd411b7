package reliability

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/session"
)

// newSession returns a session isolated from the environment and the
// user's AWS files, with static test credentials.
func newSession(t testing.TB) *session.Session {
	t.Helper()
	s, err := session.New(session.Options{
		Region: "us-east-1", AccessKeyID: "AKIDRELIABILITY", SecretAccessKey: "secret",
		Env:        func(string) string { return "" },
		ConfigFile: "/nonexistent/config", CredentialsFile: "/nonexistent/credentials",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clients builds one client per service against endpoint, without retries
// (a retry after a kill would blur which attempt was acknowledged) and with
// short timeouts so a killed server fails calls fast.
func clients(t testing.TB, s *session.Session, endpoint string, hc *http.Client, services ...string) map[string]*session.Client {
	t.Helper()
	zero := 0
	cfg := &session.Config{
		Retries:        &session.RetryConfig{TotalMaxAttempts: ptr(1)},
		ConnectTimeout: 5 * time.Second, ReadTimeout: 20 * time.Second,
	}
	_ = zero
	out := map[string]*session.Client{}
	for _, name := range services {
		c, err := s.Client(name, session.ClientOptions{EndpointURL: endpoint, Config: cfg, HTTPClient: hc})
		if err != nil {
			t.Fatal(err)
		}
		out[name] = c
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// readBody drains and closes a streaming output member.
func readBody(v any) ([]byte, error) {
	switch b := v.(type) {
	case io.ReadCloser:
		defer b.Close()
		return io.ReadAll(b)
	case io.Reader:
		return io.ReadAll(b)
	case []byte:
		return b, nil
	case nil:
		return nil, nil
	}
	return nil, io.ErrUnexpectedEOF
}

func md5b64(s string) string {
	h := md5.Sum([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:])
}
