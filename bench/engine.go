package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Op is one unit of a workload: one or more calls that count as one
// operation. worker is the caller's index (0..Concurrency-1) and n its
// sequence number, so an Op can pick keys without sharing state. It must be
// safe for concurrent use by different workers.
type Op func(ctx context.Context, c Clients, worker int, n int64) error

// Options configure a measured run.
type Options struct {
	// Concurrency is the number of workers, each calling Op in a closed
	// loop (default 1).
	Concurrency int
	// Duration bounds the run (default 10 s). A run also ends when ctx is
	// done or MaxOps operations have started.
	Duration time.Duration
	// MaxOps, when positive, caps the number of operations.
	MaxOps int64
	// Progress, when set, receives a progress line about once a second
	// (rewritten in place with '\r') and a final newline.
	Progress io.Writer
	// ProgressInterval overrides the one-second progress period.
	ProgressInterval time.Duration
}

func (o Options) withDefaults() Options {
	if o.Concurrency < 1 {
		o.Concurrency = 1
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.ProgressInterval <= 0 {
		o.ProgressInterval = time.Second
	}
	return o
}

// Result is one measured run. Latencies are of successful and failed
// operations alike (a fast error is still a completed request).
type Result struct {
	Workload    string        `json:"workload"`
	Target      string        `json:"target"`
	Concurrency int           `json:"concurrency"`
	Elapsed     time.Duration `json:"-"`
	Ops         int64         `json:"ops"`
	Errors      int64         `json:"errors"`
	// FirstError is the text of the first failed operation.
	FirstError string `json:"first_error,omitempty"`
	// Unavailable says why the workload was not run (no numbers then).
	Unavailable string `json:"unavailable,omitempty"`
	// Hist holds every operation's latency.
	Hist *Histogram `json:"-"`
	// FloorRatio is OpsPerSec divided by the loopback floor's, when a floor
	// run was made (0 otherwise).
	FloorRatio float64 `json:"floor_ratio,omitempty"`
}

// Ran reports whether the workload was measured.
func (r *Result) Ran() bool { return r.Unavailable == "" }

// OpsPerSec is the completed operations per second of elapsed time.
func (r *Result) OpsPerSec() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Ops) / r.Elapsed.Seconds()
}

func (r *Result) q(p float64) time.Duration {
	if r.Hist == nil {
		return 0
	}
	return r.Hist.Quantile(p)
}

// String is the one human line for the run.
func (r *Result) String() string {
	if !r.Ran() {
		return fmt.Sprintf("%-22s %-9s unavailable: %s", r.Workload, r.Target, r.Unavailable)
	}
	s := fmt.Sprintf("%-22s %-9s c=%-3d %5.1fs ops=%-8d %9.1f ops/s  p50=%-8s p99=%-8s p99.9=%-8s max=%-8s errors=%d",
		r.Workload, r.Target, r.Concurrency, r.Elapsed.Seconds(), r.Ops, r.OpsPerSec(),
		fmtDur(r.q(0.5)), fmtDur(r.q(0.99)), fmtDur(r.q(0.999)), fmtDur(r.q(1)), r.Errors)
	if r.FloorRatio > 0 {
		s += fmt.Sprintf("  floor=%.0f%%", 100*r.FloorRatio)
	}
	if r.FirstError != "" {
		s += "  first error: " + r.FirstError
	}
	return s
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

func us(d time.Duration) *float64 {
	v := math.Round(float64(d)/10) / 100 // µs with two decimals
	return &v
}

// MarshalJSON writes the machine-readable line: the fields above plus
// duration_s, ops_per_sec and p50_us, p99_us, p999_us, max_us, mean_us.
func (r *Result) MarshalJSON() ([]byte, error) {
	var durS, rate float64
	var p50, p99, p999, pmax, mean *float64
	if r.Ran() {
		durS = math.Round(r.Elapsed.Seconds()*1000) / 1000
		rate = math.Round(r.OpsPerSec()*10) / 10
		p50, p99, p999, pmax = us(r.q(0.5)), us(r.q(0.99)), us(r.q(0.999)), us(r.q(1))
		if r.Hist != nil {
			mean = us(r.Hist.Mean())
		}
	}
	return json.Marshal(struct {
		Workload    string   `json:"workload"`
		Target      string   `json:"target"`
		Concurrency int      `json:"concurrency,omitempty"`
		DurationS   float64  `json:"duration_s,omitempty"`
		Ops         int64    `json:"ops"`
		Errors      int64    `json:"errors"`
		OpsPerSec   float64  `json:"ops_per_sec"`
		P50us       *float64 `json:"p50_us,omitempty"`
		P99us       *float64 `json:"p99_us,omitempty"`
		P999us      *float64 `json:"p999_us,omitempty"`
		MaxUs       *float64 `json:"max_us,omitempty"`
		MeanUs      *float64 `json:"mean_us,omitempty"`
		FloorRatio  float64  `json:"floor_ratio,omitempty"`
		FirstError  string   `json:"first_error,omitempty"`
		Unavailable string   `json:"unavailable,omitempty"`
	}{r.Workload, r.Target, r.Concurrency, durS, r.Ops, r.Errors, rate,
		p50, p99, p999, pmax, mean, math.Round(r.FloorRatio*1000) / 1000, r.FirstError, r.Unavailable})
}

// Run calls op from opts.Concurrency workers in a closed loop until
// opts.Duration has passed, opts.MaxOps operations have started or ctx is
// done, and returns the counts and latency histogram. A failed operation is
// counted in Errors and the loop goes on. label names the run in progress
// lines.
func Run(ctx context.Context, opts Options, label string, c Clients, op Op) *Result {
	opts = opts.withDefaults()
	res := &Result{Concurrency: opts.Concurrency, Hist: &Histogram{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var started, done, errs atomic.Int64
	var firstErr sync.Once
	hists := make([]Histogram, opts.Concurrency)
	start := time.Now()
	deadline := start.Add(opts.Duration)

	stopProgress := make(chan struct{})
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		if opts.Progress == nil {
			return
		}
		t := time.NewTicker(opts.ProgressInterval)
		defer t.Stop()
		for {
			select {
			case <-stopProgress:
				fmt.Fprint(opts.Progress, "\r"+strings.Repeat(" ", 79)+"\r")
				return
			case now := <-t.C:
				el := now.Sub(start)
				fmt.Fprintf(opts.Progress, "\r%s %4.1fs/%.0fs ops=%d errors=%d %.0f ops/s   ",
					label, el.Seconds(), opts.Duration.Seconds(), done.Load(), errs.Load(), float64(done.Load())/el.Seconds())
			}
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < opts.Concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			h := &hists[w]
			for n := int64(0); ; n++ {
				if ctx.Err() != nil {
					return
				}
				if opts.MaxOps > 0 && started.Add(1) > opts.MaxOps {
					return
				}
				t0 := time.Now()
				if t0.After(deadline) {
					return
				}
				err := op(ctx, c, w, n)
				if err != nil && ctx.Err() != nil {
					return // cancelled by the caller: not a server error
				}
				h.Record(time.Since(t0))
				done.Add(1)
				if err != nil {
					errs.Add(1)
					firstErr.Do(func() { res.FirstError = err.Error() })
				}
			}
		}(w)
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	close(stopProgress)
	<-progressDone
	for i := range hists {
		res.Hist.Merge(&hists[i])
	}
	res.Ops = done.Load()
	res.Errors = errs.Load()
	return res
}
