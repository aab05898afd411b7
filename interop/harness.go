package interop

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/logging"
)

// Region is the region every interop client uses.
const Region = "us-east-1"

// Health is the body of GET /_fakecloud/health.
type Health struct {
	Status   string   `json:"status"`
	Version  string   `json:"version"`
	Services []string `json:"services"`
}

// Serves reports whether the health report lists service.
func (h Health) Serves(service string) bool { return slices.Contains(h.Services, service) }

// GetHealth asks a running fakecloud at endpoint for its health report.
func GetHealth(ctx context.Context, endpoint string) (Health, error) {
	var h Health
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(endpoint, "/")+"/_fakecloud/health", nil)
	if err != nil {
		return h, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return h, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return h, fmt.Errorf("health: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return h, fmt.Errorf("health: %w", err)
	}
	return h, nil
}

// Config returns an aws.Config for endpoint with static test credentials,
// Region and BaseEndpoint set, and nothing read from the environment or
// ~/.aws (so a developer's real credentials are never used).
func Config(ctx context.Context, endpoint string, optFns ...func(*config.LoadOptions) error) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(Region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
		config.WithBaseEndpoint(endpoint),
		// An empty file list keeps a developer's ~/.aws out of the tests.
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithRetryMaxAttempts(1),
		// Silence "Response has no supported checksum" notes on ranged GETs.
		config.WithLogger(logging.Nop{}),
	}
	return config.LoadDefaultConfig(ctx, append(opts, optFns...)...)
}

// Process is a `fakecloud serve` child process.
type Process struct {
	URL    string // "http://127.0.0.1:port"
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{}
	err    error
	once   sync.Once
}

// StartBinary starts `bin serve --addr 127.0.0.1:0` with extra args, reads
// the URL from its ready line and waits (up to 30s) until
// /_fakecloud/health answers. Stop ends it.
func StartBinary(ctx context.Context, bin string, args ...string) (*Process, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "FAKECLOUD_ADDR=", "FAKECLOUD_DATA=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &Process{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "export AWS_ENDPOINT_URL="); ok && !sent {
				urlc <- strings.TrimSpace(u)
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	select {
	case p.URL = <-urlc:
	case <-p.done:
		return nil, fmt.Errorf("fakecloud exited before it was ready (%v): %s", p.err, p.stderr.String())
	case <-deadline.C:
		p.kill()
		return nil, fmt.Errorf("fakecloud printed no ready line in 30s: %s", p.stderr.String())
	case <-ctx.Done():
		p.kill()
		return nil, ctx.Err()
	}
	for i := 0; ; i++ {
		hctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := GetHealth(hctx, p.URL)
		cancel()
		if err == nil {
			return p, nil
		}
		select {
		case <-deadline.C:
			p.kill()
			return nil, fmt.Errorf("fakecloud at %s not healthy in 30s: %v", p.URL, err)
		case <-p.done:
			return nil, fmt.Errorf("fakecloud exited (%v): %s", p.err, p.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (p *Process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// Stop sends SIGTERM and waits up to 30s for a clean exit; a non-zero exit
// or a kill after the timeout is an error that includes the server's log.
func (p *Process) Stop() error {
	var err error
	p.once.Do(func() {
		if e := p.cmd.Process.Signal(syscall.SIGTERM); e != nil && !errors.Is(e, os.ErrProcessDone) {
			err = e
		}
		select {
		case <-p.done:
			if p.err != nil {
				err = fmt.Errorf("fakecloud exit after SIGTERM: %w: %s", p.err, p.stderr.String())
			}
		case <-time.After(30 * time.Second):
			p.kill()
			err = fmt.Errorf("fakecloud did not exit 30s after SIGTERM: %s", p.stderr.String())
		}
	})
	return err
}

// Stderr is what the server logged so far.
func (p *Process) Stderr() string { return p.stderr.String() }

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 { // keep the last log small; it is for error messages
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// LocalhostDialer dials 127.0.0.1 for any "*.localhost" host (RFC 6761
// reserves the name for loopback, but resolvers differ in resolving
// subdomains), so S3 virtual-hosted-style requests to
// bucket.localhost:port reach a local fakecloud.
func LocalhostDialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 10 * time.Second}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}
}
