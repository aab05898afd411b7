package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/recorder"
)

// replayCmd serves a cassette at an endpoint so boto3, the AWS CLI and the
// JS SDK replay the same recording as Go tests:
//
//	fakecloud replay CASSETTE [--addr 127.0.0.1:4566] [--strict] [--fallback-emulator [--seed N]]
//
// A request no interaction answers gets status 599 and the mismatch report,
// or, with --fallback-emulator, the answer of an in-process emulator
// (replay-or-emulate; state in a temp file, gone on exit, nothing recorded).
func replayCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:4566", "listen address (port 0 picks a free port)")
	strict := fs.Bool("strict", false, "demand the recorded order of every interaction")
	fallback := fs.Bool("fallback-emulator", false, "answer requests the cassette lacks from an in-process emulator instead of 599")
	seed := fs.Uint64("seed", 0, "with --fallback-emulator: the emulator's id seed")
	var cassette string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cassette, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cassette == "" && fs.NArg() == 1 {
		cassette = fs.Arg(0)
	}
	if cassette == "" {
		return errors.New("usage: fakecloud replay CASSETTE [--addr HOST:PORT] [--strict] [--fallback-emulator [--seed N]]")
	}
	opts := []recorder.Option{recorder.WithMode(recorder.Replay), recorder.IgnoreEnv(), recorder.WithoutJournal()}
	if *strict {
		opts = append(opts, recorder.WithOrder(recorder.Strict))
	}
	if *fallback {
		emu, err := emulator.New(emulator.Options{Seed: *seed, Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		if err != nil {
			return err
		}
		defer emu.Close()
		opts = append(opts, recorder.WithFallback(emu.Transport()))
	}
	rec, err := recorder.New(cassette, opts...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: rec.Handler(), ReadHeaderTimeout: 30 * time.Second}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	mode := ""
	if *fallback {
		mode = ", misses answered by the emulator"
	}
	fmt.Fprintf(stdout, "fakecloud replaying %s (%d interactions%s) at %s\nexport AWS_ENDPOINT_URL=%s\n", cassette, len(rec.Interactions()), mode, url, url)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if u := rec.Unused(); len(u) > 0 {
		fmt.Fprintf(stderr, "fakecloud: %d recorded interaction(s) were not replayed\n", len(u))
	}
	return nil
}
