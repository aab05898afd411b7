package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestServeRejectsUnknownSyncPolicy(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0", "--sync", "sometimes"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, &stdout, &stderr)
		if code == 0 || !strings.Contains(stderr.String(), "--sync") {
			t.Errorf("%v: code %d stderr %s", args, code, stderr.String())
		}
	}
	t.Setenv("FAKECLOUD_SYNC", "never")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), "never") {
		t.Errorf("FAKECLOUD_SYNC=never: code %d stderr %s", code, stderr.String())
	}
}
