// Command fakecloud serves the emulator as a standalone AWS endpoint and
// drives a running one.
//
//	fakecloud [serve] [--addr 127.0.0.1:4566] [--data FILE] [--seed N] [--services s3,sqs]
//	                  [--sync always|batch|none] [--fixtures DIR] [--log-level info]
//	                  [--verify-signatures --credentials FILE] [--control-token TOKEN]
//	fakecloud reset    [--endpoint URL] [--control-token TOKEN]
//	fakecloud snapshot [--endpoint URL] [--control-token TOKEN] [-o FILE]
//	fakecloud restore  [--endpoint URL] [--control-token TOKEN] FILE
//	fakecloud bench    --endpoint URL | --inprocess  --workload NAME[,NAME] [--concurrency N] [--duration D] [--floor]
//	fakecloud cassette show FILE | check FILE|DIR...
//	fakecloud replay   CASSETTE [--addr 127.0.0.1:4566]
//	fakecloud version
//
// Every serve flag has an environment equivalent: FAKECLOUD_ADDR,
// FAKECLOUD_DATA, FAKECLOUD_SEED, FAKECLOUD_SERVICES, FAKECLOUD_SYNC,
// FAKECLOUD_FIXTURES, FAKECLOUD_LOG_LEVEL, FAKECLOUD_VERIFY_SIGNATURES,
// FAKECLOUD_CREDENTIALS, FAKECLOUD_CONTROL_TOKEN;
// the client commands read FAKECLOUD_ENDPOINT and FAKECLOUD_CONTROL_TOKEN.
//
// The control API (/_fakecloud/) answers loopback callers only, unless
// --control-token is set and the caller sends it (X-Fakecloud-Token header
// or Authorization: Bearer).
//
// --credentials FILE (for --verify-signatures) accepts the AWS shared
// credentials file format (~/.aws/credentials: sections with
// aws_access_key_id, aws_secret_access_key and optionally
// aws_session_token), a JSON object {"ACCESS_KEY_ID": "SECRET", ...}, or
// lines "ACCESS_KEY_ID SECRET" with '#' comments.
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
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services" // every emulated service
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/fixtures"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, stdout, stderr)
	case "reset":
		err = control(args, stdout, "reset")
	case "snapshot":
		err = control(args, stdout, "snapshot")
	case "restore":
		err = control(args, stdout, "restore")
	case "bench":
		err = benchCmd(ctx, args, stdout, stderr)
	case "cassette":
		err = cassetteCmd(args, stdout, stderr)
	case "replay":
		err = replayCmd(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "fakecloud", emulator.Version)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: fakecloud [serve|reset|snapshot|restore|bench|cassette|replay|version] [flags]")
	default:
		err = fmt.Errorf("unknown command %q (serve, reset, snapshot, restore, version)", cmd)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "fakecloud:", err)
		return 1
	}
	return 0
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", env("FAKECLOUD_ADDR", "127.0.0.1:4566"), "listen address (FAKECLOUD_ADDR)")
	data := fs.String("data", env("FAKECLOUD_DATA", ""), "bbolt state file; empty keeps state in a temp file (FAKECLOUD_DATA)")
	seed := fs.Uint64("seed", 0, "seed for ids (FAKECLOUD_SEED)")
	services := fs.String("services", env("FAKECLOUD_SERVICES", ""), "comma-separated services to serve; empty = all (FAKECLOUD_SERVICES)")
	noSync := fs.Bool("no-sync", envBool("FAKECLOUD_NO_SYNC"), "skip fsync on commit of a --data file (FAKECLOUD_NO_SYNC); same as --sync=none")
	syncFlag := fs.String("sync", env("FAKECLOUD_SYNC", ""), "when commits reach the disk: always (fsync each commit; default with --data), batch (group commit: concurrent writes share an fsync, still acknowledged only once on disk) or none (default for temp state) (FAKECLOUD_SYNC)")
	verify := fs.Bool("verify-signatures", envBool("FAKECLOUD_VERIFY_SIGNATURES"), "reject bad SigV4 signatures (FAKECLOUD_VERIFY_SIGNATURES)")
	creds := fs.String("credentials", env("FAKECLOUD_CREDENTIALS", ""), "credentials for --verify-signatures: an AWS credentials file (INI), a JSON object {\"AKID\":\"secret\"} or 'AKID SECRET' lines (FAKECLOUD_CREDENTIALS)")
	fixturesDir := fs.String("fixtures", env("FAKECLOUD_FIXTURES", ""), "seed state from every .yaml/.yml/.json fixture in this directory at start-up (FAKECLOUD_FIXTURES)")
	controlToken := fs.String("control-token", env("FAKECLOUD_CONTROL_TOKEN", ""), "lets non-loopback callers use /_fakecloud/ when they send it as X-Fakecloud-Token or Bearer (FAKECLOUD_CONTROL_TOKEN)")
	level := fs.String("log-level", env("FAKECLOUD_LOG_LEVEL", "info"), "debug, info, warn or error (FAKECLOUD_LOG_LEVEL)")
	if s := os.Getenv("FAKECLOUD_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("FAKECLOUD_SEED: %w", err)
		}
		*seed = v
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lv}))
	policy, err := store.ParseSyncPolicy(*syncFlag)
	if err != nil {
		return fmt.Errorf("--sync: %w", err)
	}
	opts := emulator.Options{DataPath: *data, NoSync: *noSync, SyncPolicy: policy, Seed: *seed, Logger: log, VerifySignatures: *verify, ControlToken: *controlToken}
	if *services != "" {
		for _, s := range strings.Split(*services, ",") {
			if s = strings.TrimSpace(s); s != "" {
				opts.Services = append(opts.Services, s)
			}
		}
	}
	if *creds != "" {
		lookup, n, err := readCredentials(*creds)
		if err != nil {
			return err
		}
		opts.CredentialsLookup = lookup
		log.Info("credentials loaded", "file", *creds, "keys", n)
	} else if *verify {
		log.Warn("--verify-signatures without --credentials: only keys a service issues (STS) are accepted")
	}
	emu, err := emulator.New(opts)
	if err != nil {
		return err
	}
	defer emu.Close()
	if *fixturesDir != "" {
		// Seeding happens before the listener opens, so no client ever sees
		// half-seeded state; a bad fixture stops start-up.
		if err := fixtures.LoadDir(emu, *fixturesDir); err != nil {
			return fmt.Errorf("--fixtures: %w", err)
		}
		log.Info("fixtures loaded", "dir", *fixturesDir)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		log.Warn("listening on all interfaces: anyone who can reach this machine can use the emulator", "addr", ln.Addr().String())
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, port)
	srv := &http.Server{
		Handler:           emu,
		ReadHeaderTimeout: 30 * time.Second,
		MaxHeaderBytes:    emulator.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	fmt.Fprintf(stdout, "fakecloud %s serving %v at %s\n", emulator.Version, emu.ServiceNames(), url)
	fmt.Fprintf(stdout, "export AWS_ENDPOINT_URL=%s\nexport AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1\n", url)
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return emu.Close()
}

func control(args []string, stdout io.Writer, what string) error {
	fs := flag.NewFlagSet(what, flag.ContinueOnError)
	endpoint := fs.String("endpoint", env("FAKECLOUD_ENDPOINT", "http://127.0.0.1:4566"), "emulator URL (FAKECLOUD_ENDPOINT)")
	out := fs.String("o", "", "snapshot: write to this file instead of stdout")
	token := fs.String("control-token", env("FAKECLOUD_CONTROL_TOKEN", ""), "control token of a non-loopback emulator (FAKECLOUD_CONTROL_TOKEN)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	base := strings.TrimRight(*endpoint, "/")
	client := &http.Client{Timeout: 60 * time.Second}
	var body io.Reader
	if what == "restore" {
		if fs.NArg() != 1 {
			return errors.New("usage: fakecloud restore [--endpoint URL] FILE")
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		body = f
	}
	req, err := http.NewRequest(http.MethodPost, base+"/_fakecloud/"+what, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	if *token != "" {
		req.Header.Set("X-Fakecloud-Token", *token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("%s: %s: %s", what, resp.Status, strings.TrimSpace(string(msg)))
	}
	dst := stdout
	if what == "snapshot" && *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		dst = f
	}
	_, err = io.Copy(dst, resp.Body)
	return err
}
