// Command rss100k measures the memory of `fakecloud serve` holding many
// small S3 objects: it starts the given binary (temp state, or --data), puts
// -n objects of -size bytes (distinct keys, -c concurrent clients through
// fakecloud's own session client), reads some back, and prints the server's
// VmRSS, VmHWM, RssAnon and RssFile from /proc/<pid>/status, plus the state
// file's size. RssFile is the mmapped bbolt file's resident pages (clean,
// reclaimable); RssAnon is the Go heap and runtime.
//
//	go run ./bench/rss100k -bin ./fakecloud [-n 100000] [-size 4096] [-c 16] [-data DIR/state.db]
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fakecloud/fakecloud/session"
)

func main() {
	bin := flag.String("bin", "fakecloud", "fakecloud binary to start")
	n := flag.Int("n", 100000, "objects to put")
	size := flag.Int("size", 4096, "bytes per object")
	conc := flag.Int("c", 16, "concurrent clients")
	data := flag.String("data", "", "state file (--data); empty: temp state")
	flag.Parse()
	if err := run(*bin, *n, *size, *conc, *data); err != nil {
		fmt.Fprintln(os.Stderr, "rss100k:", err)
		os.Exit(1)
	}
}

var urlRE = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)

func run(bin string, n, size, conc int, data string) error {
	args := []string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn", "--services", "s3"}
	if data != "" {
		args = append(args, "--data", data, "--sync", "batch")
	}
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		return fmt.Errorf("no ready line from %s", bin)
	}
	endpoint := urlRE.FindString(sc.Text())
	if endpoint == "" {
		return fmt.Errorf("no URL in ready line %q", sc.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	pid := cmd.Process.Pid
	fmt.Printf("start:   %s\n", status(pid))

	s, err := session.New(session.Options{Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test",
		LookupEnv: func(string) (string, bool) { return "", false }, ConfigFile: os.DevNull, CredentialsFile: os.DevNull})
	if err != nil {
		return err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conc + 16
	c, err := s.Client("s3", session.ClientOptions{EndpointURL: endpoint, HTTPClient: &http.Client{Transport: tr},
		Config: &session.Config{S3: &session.S3Config{AddressingStyle: "path"}}})
	if err != nil {
		return err
	}
	ctx := context.Background()
	if _, err := c.Call(ctx, "CreateBucket", session.Params{"Bucket": "rss"}); err != nil {
		return err
	}
	body := bytes.Repeat([]byte("x"), size)
	key := func(i int64) string { return "obj/" + strconv.FormatInt(i, 10) }
	t0 := time.Now()
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || firstErr.Load() != nil {
					return
				}
				if _, err := c.Call(ctx, "PutObject", session.Params{"Bucket": "rss", "Key": key(i), "Body": bytes.NewReader(body)}); err != nil {
					firstErr.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Printf("put %d x %d B in %.1fs (%.0f/s)\n", n, size, el.Seconds(), float64(n)/el.Seconds())
	fmt.Printf("after puts: %s\n", status(pid))
	for i := int64(0); i < 1000; i++ { // a few reads, spread over the keys
		o, err := c.Call(ctx, "GetObject", session.Params{"Bucket": "rss", "Key": key(i * int64(n) / 1000)})
		if err != nil {
			return err
		}
		if v, ok := o.Get("Body"); ok {
			if r, ok := v.(io.ReadCloser); ok {
				_, _ = io.Copy(io.Discard, r)
				r.Close()
			}
		}
	}
	fmt.Printf("after 1000 gets: %s\n", status(pid))
	if data != "" {
		if fi, err := os.Stat(data); err == nil {
			fmt.Printf("state file %s: %d MB\n", filepath.Base(data), fi.Size()>>20)
		}
	} else if f := stateFile(pid); f != "" {
		if fi, err := os.Stat(f); err == nil {
			fmt.Printf("state file %s: %d MB\n", f, fi.Size()>>20)
		}
	}
	return nil
}

// status is the memory lines of /proc/<pid>/status, in MB.
func status(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return err.Error()
	}
	var parts []string
	for _, line := range strings.Split(string(b), "\n") {
		for _, k := range []string{"VmRSS", "VmHWM", "RssAnon", "RssFile"} {
			if v, ok := strings.CutPrefix(line, k+":"); ok {
				kb, _ := strconv.Atoi(strings.Fields(v)[0])
				parts = append(parts, fmt.Sprintf("%s=%.1fMB", k, float64(kb)/1024))
			}
		}
	}
	return strings.Join(parts, " ")
}

// stateFile finds the temp state.db the server has open.
func stateFile(pid int) string {
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	for _, fd := range fds {
		if t, err := os.Readlink(fd); err == nil && strings.HasSuffix(t, "state.db") {
			return t
		}
	}
	return ""
}
