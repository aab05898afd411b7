package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fakecloud")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// start runs `fakecloud serve` and returns its endpoint URL.
func start(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		i := strings.Index(line, " at http://")
		if !ok || i < 0 {
			t.Fatalf("no ready line (%q); stderr:\n%s", line, stderr.String())
		}
		go func() {
			for range lines {
			}
		}()
		return cmd, line[i+4:]
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not start; stderr:\n%s", stderr.String())
	}
	return nil, ""
}

func TestServeHealthAndSIGTERM(t *testing.T) {
	bin := build(t)
	data := filepath.Join(t.TempDir(), "state.db")
	cmd, url := start(t, bin, "--data", data)
	var health map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url + "/_fakecloud/health")
		if err == nil {
			_ = json.NewDecoder(resp.Body).Decode(&health)
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if health["status"] != "ok" {
		t.Errorf("health %v", health)
	}

	// A second server on the same --data fails clearly instead of hanging.
	out, err := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", data).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "locked") {
		t.Errorf("second serve: err=%v out=%s", err, out)
	}

	// Snapshot through the CLI while it runs.
	snap := filepath.Join(t.TempDir(), "snap")
	if out, err := exec.Command(bin, "snapshot", "--endpoint", url, "-o", snap).CombinedOutput(); err != nil {
		t.Fatalf("snapshot: %v %s", err, out)
	}
	if out, err := exec.Command(bin, "restore", "--endpoint", url, snap).CombinedOutput(); err != nil {
		t.Fatalf("restore: %v %s", err, out)
	}
	if out, err := exec.Command(bin, "reset", "--endpoint", url).CombinedOutput(); err != nil {
		t.Fatalf("reset: %v %s", err, out)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
}

func TestCorruptDataFileIsAClearErrorAndUntouched(t *testing.T) {
	data := filepath.Join(t.TempDir(), "state.db")
	junk := bytes.Repeat([]byte("garbage!"), 1024)
	if err := os.WriteFile(data, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, &stdout, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), data) {
		t.Errorf("code %d stderr %s", code, stderr.String())
	}
	if after, _ := os.ReadFile(data); !bytes.Equal(after, junk) {
		t.Error("corrupt file modified")
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if run(context.Background(), []string{"version"}, &out, &errb) != 0 || !strings.HasPrefix(out.String(), "fakecloud ") {
		t.Errorf("version: %q", out.String())
	}
	if run(context.Background(), []string{"frobnicate"}, &out, &errb) == 0 {
		t.Error("unknown command succeeded")
	}
}

func TestServeFixturesSeedsStateBeforeReady(t *testing.T) {
	dir := t.TempDir()
	fixture := "version: 1\nregion: us-east-1\ns3:\n  buckets:\n    - name: seeded-bucket\n      objects:\n        - key: a.txt\n          body: hi\nsqs:\n  queues:\n    - name: seeded-queue\n"
	if err := os.WriteFile(filepath.Join(dir, "seed.yaml"), []byte(fixture), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := build(t)
	_, url := start(t, bin, "--fixtures", dir)
	resp, err := http.Get(url + "/_fakecloud/state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"seeded-bucket", "seeded-queue"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("state after --fixtures lacks %s:\n%.2000s", want, body)
		}
	}

	// A bad fixture stops start-up with the file and line named.
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "bad.yaml"), []byte("version: 1\ns3:\n  buckets:\n    - nme: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--fixtures", bad).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "bad.yaml") {
		t.Errorf("bad fixture: err=%v out=%s", err, out)
	}
}
