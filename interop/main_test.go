package interop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
)

// binary is the fakecloud process shared by every test of the package.
var binary *Process

// TestMain builds cmd/fakecloud (or uses $FAKECLOUD_BIN, as run.sh does),
// starts it once for the package and checks that it stops cleanly on
// SIGTERM at the end.
func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := os.Getenv("FAKECLOUD_BIN")
	if bin == "" {
		dir, err := os.MkdirTemp("", "fakecloud-interop-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "interop:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "fakecloud")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/fakecloud")
		build.Dir = repoRoot()
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "interop: building ../cmd/fakecloud:", err)
			return 1
		}
	}
	p, err := StartBinary(ctx, bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		return 1
	}
	binary = p
	code := m.Run()
	if err := p.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "interop: stopping fakecloud:", err)
		return 1
	}
	return code
}

// repoRoot is fakecloud's module root: the parent of this file's directory.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// target is one fakecloud endpoint a test talks to.
type target struct {
	name     string // "inproc" or "binary"
	url      string
	services []string
}

func (tg target) serves(s string) bool {
	for _, x := range tg.services {
		if x == s {
			return true
		}
	}
	return false
}

// targets returns a fresh in-process test server and the shared binary,
// and, when FAKECLOUD_INTEROP_ENDPOINT names one, an outside fakecloud
// (say a container or a `fakecloud serve` started by hand) as "external".
func targets(t *testing.T) []target {
	t.Helper()
	ts := emulator.NewTestServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h, err := GetHealth(ctx, binary.URL)
	if err != nil {
		t.Fatalf("binary health: %v\n%s", err, binary.Stderr())
	}
	tgs := []target{
		{name: "inproc", url: ts.URL, services: ts.Emulator.ServiceNames()},
		{name: "binary", url: binary.URL, services: h.Services},
	}
	if ext := strings.TrimRight(os.Getenv("FAKECLOUD_INTEROP_ENDPOINT"), "/"); ext != "" {
		eh, err := GetHealth(ctx, ext)
		if err != nil {
			t.Fatalf("FAKECLOUD_INTEROP_ENDPOINT=%s: health: %v", ext, err)
		}
		tgs = append(tgs, target{name: "external", url: ext, services: eh.Services})
	}
	return tgs
}

// eachTarget runs fn as a subtest per target, skipping targets that do not
// serve service (it has not landed in emulator/services yet).
func eachTarget(t *testing.T, service string, fn func(t *testing.T, ctx context.Context, cfg aws.Config, tg target)) {
	t.Helper()
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			if !tg.serves(service) {
				t.Skipf("fakecloud does not serve %s yet (not in emulator/services)", service)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cfg, err := Config(ctx, tg.url)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, ctx, cfg, tg)
		})
	}
}

var uniqN atomic.Int64

// uniq makes resource names (valid S3 bucket names too) distinct between
// tests that share the binary.
func uniq(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), uniqN.Add(1))
}

// gap checks AWS behaviour that fakecloud is known not to match yet (each
// id is a section of KNOWN_GAPS.md). It logs the mismatch, and fails the
// test when INTEROP_STRICT=1, so the gap stays visible and checkable without
// turning CI red for another engineer's package.
func gap(t *testing.T, id string, ok bool, format string, args ...any) {
	t.Helper()
	if ok {
		return
	}
	msg := fmt.Sprintf("known gap %s (KNOWN_GAPS.md): ", id) + fmt.Sprintf(format, args...)
	if os.Getenv("INTEROP_STRICT") == "1" {
		t.Error(msg)
	} else {
		t.Log(msg)
	}
}

// apiErr returns the AWS error code and HTTP status of an SDK error.
func apiErr(err error) (code string, status int) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return code, status
}

// must(c.Op(ctx, in)).ok(t) returns the output or fails the test.
func must[T any](v T, err error) result[T] { return result[T]{v, err} }

type result[T any] struct {
	v   T
	err error
}

func (r result[T]) ok(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}
