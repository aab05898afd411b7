package recorder

import (
	"errors"
	"net/http"
	"path/filepath"
	"strings"
)

// TB is the part of testing.TB that ForTest uses.
type TB interface {
	Helper()
	Name() string
	Cleanup(func())
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// ForTest returns a recorder for the cassette testdata/cassettes/<name>.yaml
// (name may contain slashes; a name ending in .yaml is kept as is). The
// cassette is saved on t.Cleanup. A replay miss fails the test through
// t.Errorf as well as being returned as the request's error, so a caller
// that swallows errors still sees it.
func ForTest(t TB, name string, opts ...Option) *Recorder {
	t.Helper()
	if name == "" {
		name = t.Name()
	}
	if !strings.HasSuffix(name, ".yaml") {
		name += ".yaml"
	}
	path := filepath.Join("testdata", "cassettes", filepath.FromSlash(name))
	r, err := New(path, opts...)
	if err != nil {
		t.Fatalf("recorder.ForTest(%q): %v", name, err)
		return nil
	}
	r.onMiss = func(err error) { t.Errorf("%v", err) }
	t.Cleanup(func() {
		if err := r.Stop(); err != nil {
			t.Errorf("recorder: saving %s: %v", path, err)
		}
	})
	return r
}

// reportMiss lets ForTest see replay misses.
func (r *Recorder) reportMiss(err error) error {
	var me *MismatchError
	if r.onMiss != nil && errors.As(err, &me) {
		r.onMiss(err)
	}
	return err
}

var _ http.RoundTripper = (*Recorder)(nil)
