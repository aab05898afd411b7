package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/bench"
	"github.com/fakecloud/fakecloud/emulator"
)

const benchUsage = `usage: fakecloud bench [--endpoint URL | --inprocess] --workload NAME[,NAME] [--concurrency N] [--duration D] [--floor]

Measures an AWS-compatible endpoint through fakecloud's session client and prints,
per workload, one human line (ops/s, p50, p99, p99.9, errors) and one JSON line.
--floor also runs each workload against an in-process loopback server answering
canned copies of the target's responses and quotes the result as a ratio to it.
--inprocess starts an emulator (temp state) in this process and calls it through
emu.Transport(), with no sockets. --workload all runs every workload.

Workloads:
`

func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, benchUsage)
		for _, w := range bench.Workloads() {
			fmt.Fprintf(stderr, "  %-22s %s\n", w.Name, w.Describe)
		}
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	endpoint := fs.String("endpoint", env("FAKECLOUD_ENDPOINT", "http://127.0.0.1:4566"), "endpoint URL to measure (FAKECLOUD_ENDPOINT)")
	workloads := fs.String("workload", "", "comma-separated workloads, or all")
	conc := fs.Int("concurrency", 16, "concurrent workers")
	dur := fs.Duration("duration", 10*time.Second, "measured time per workload (and per floor run)")
	floor := fs.Bool("floor", false, "also run each workload against the in-process loopback floor and print the ratio")
	inproc := fs.Bool("inprocess", false, "start an emulator in this process and call it through its socket-free transport")
	region := fs.String("region", "us-east-1", "region to sign for")
	noProgress := fs.Bool("quiet", false, "no progress line on stderr")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (client, floor and, with --inprocess, the emulator) to FILE")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *workloads == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("bench: --workload is required")
	}
	if *conc < 1 {
		return errors.New("bench: --concurrency must be at least 1")
	}
	var list []bench.Workload
	if *workloads == "all" {
		list = bench.Workloads()
	} else {
		for _, name := range strings.Split(*workloads, ",") {
			w, ok := bench.Lookup(strings.TrimSpace(name))
			if !ok {
				return fmt.Errorf("bench: unknown workload %q (fakecloud bench -h lists them)", name)
			}
			list = append(list, w)
		}
	}

	target := bench.Target{Name: "endpoint", Endpoint: *endpoint}
	if *inproc {
		emu, err := emulator.New(emulator.Options{})
		if err != nil {
			return err
		}
		defer emu.Close()
		target = bench.Target{Name: "inprocess", Endpoint: "http://127.0.0.1:4566", Transport: emu.Transport(), Services: emu.ServiceNames()}
	}
	opts := bench.Options{Concurrency: *conc, Duration: *dur}
	if !*noProgress {
		opts.Progress = stderr
	}
	r := &bench.Runner{Target: target, Options: opts, Floor: *floor, Region: *region, Log: stderr}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	ran, notRun := 0, 0
	for _, w := range list {
		res, fl, err := r.Run(ctx, w)
		if res != nil {
			printResult(stdout, res)
			if res.Ran() {
				ran++
			} else {
				notRun++
			}
		}
		if fl != nil {
			printResult(stdout, fl)
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "bench: %d workload(s) run, %d not run\n", ran, notRun)
	return nil
}

func printResult(w io.Writer, r *bench.Result) {
	fmt.Fprintln(w, r.String())
	b, err := json.Marshal(r)
	if err == nil {
		fmt.Fprintln(w, string(b))
	}
}
