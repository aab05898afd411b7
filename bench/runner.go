package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/session"
)

// Target is the endpoint a workload measures.
type Target struct {
	// Name labels results: "endpoint", "inprocess", "floor" ...
	Name string
	// Endpoint is the endpoint_url clients use (for an in-process transport
	// any URL; it is never dialed).
	Endpoint string
	// Transport carries the requests; nil uses a pooled http.Transport
	// sized for the concurrency.
	Transport http.RoundTripper
	// Services, when known, lists the services the target serves: a
	// workload needing another is unavailable without a request. Nil means
	// unknown (the set-up and warm-up calls find out).
	Services []string
}

// Clients gives an Op the session clients of its workload's services.
type Clients interface {
	// Client returns the client for a service the workload declared; nil
	// for any other.
	Client(service string) *session.Client
}

type clientSet map[string]*session.Client

func (c clientSet) Client(service string) *session.Client { return c[service] }

// Env is what a workload's Setup gets: the clients and the run's shape.
type Env struct {
	Clients
	// Concurrency is the number of workers that will call the Op.
	Concurrency int
	// Prefix makes resource names unique to this run ("fcb-<time>-").
	Prefix string
}

// Runner measures workloads against one target, each with the same client
// settings: region, static credentials, no retries (an error is counted, not
// hidden) and a connection pool as large as the concurrency.
type Runner struct {
	Target  Target
	Options Options
	// Floor also runs every workload against the loopback floor and sets
	// Result.FloorRatio.
	Floor bool
	// Region, AccessKeyID and SecretAccessKey sign the requests (default
	// us-east-1, "test", "test").
	Region, AccessKeyID, SecretAccessKey string
	// Log, when set, receives one line per phase (set-up, floor).
	Log io.Writer
}

func (r *Runner) logf(format string, args ...any) {
	if r.Log != nil {
		fmt.Fprintf(r.Log, format+"\n", args...)
	}
}

// newTransport is a keep-alive pool big enough that no worker ever opens a
// fresh connection once warm (http.DefaultTransport keeps only 2 idle per host).
func newTransport(conc int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conc + 16
	t.MaxIdleConnsPerHost = conc + 16
	t.MaxConnsPerHost = 0
	t.ForceAttemptHTTP2 = false
	return t
}

func (r *Runner) clients(ctx context.Context, endpoint string, rt http.RoundTripper, services []string) (clientSet, error) {
	region := r.Region
	if region == "" {
		region = "us-east-1"
	}
	ak, sk := r.AccessKeyID, r.SecretAccessKey
	if ak == "" {
		ak, sk = "test", "test"
	}
	noEnv := func(string) (string, bool) { return "", false }
	s, err := session.New(session.Options{Region: region, AccessKeyID: ak, SecretAccessKey: sk,
		LookupEnv: noEnv, ConfigFile: "/nonexistent/fakecloud-bench", CredentialsFile: "/nonexistent/fakecloud-bench"})
	if err != nil {
		return nil, err
	}
	cfg := &session.Config{
		Retries:            &session.RetryConfig{TotalMaxAttempts: session.Int(1)},
		MaxPoolConnections: r.Options.Concurrency + 16,
		S3:                 &session.S3Config{AddressingStyle: "path"},
	}
	hc := &http.Client{Transport: rt}
	cs := clientSet{}
	for _, name := range services {
		c, err := s.Client(name, session.ClientOptions{EndpointURL: endpoint, HTTPClient: hc, Config: cfg})
		if err != nil {
			return nil, fmt.Errorf("%s client: %w", name, err)
		}
		cs[name] = c
	}
	return cs, nil
}

// Prepare runs w's set-up against the target and returns its Op and the
// clients to call it with, for callers that drive the Op themselves (go test
// benchmarks). It makes no warm-up call.
func (r *Runner) Prepare(ctx context.Context, w Workload) (Op, Clients, error) {
	r.Options = r.Options.withDefaults()
	rt := r.Target.Transport
	if rt == nil {
		rt = newTransport(r.Options.Concurrency)
	}
	op, cs, err := r.prepare(ctx, w, rt)
	if err != nil {
		return nil, nil, err
	}
	return op, cs, nil
}

func (r *Runner) prepare(ctx context.Context, w Workload, rt http.RoundTripper) (Op, clientSet, error) {
	cs, err := r.clients(ctx, r.Target.Endpoint, rt, w.Services)
	if err != nil {
		return nil, nil, err
	}
	env := &Env{Clients: cs, Concurrency: r.Options.Concurrency, Prefix: fmt.Sprintf("fcb-%d-", time.Now().UnixNano()%1e9)}
	r.logf("%s: set-up", w.Name)
	op, err := w.Setup(ctx, env)
	if err != nil {
		return nil, nil, fmt.Errorf("set-up: %s", shortErr(err))
	}
	return op, cs, nil
}

// Run measures one workload: set-up, one warm-up operation (which must
// succeed, else the workload is unavailable), the measured run and, with
// Floor, the floor run. A workload that cannot run comes back with
// Unavailable set and no numbers; the error is only for a cancelled ctx.
func (r *Runner) Run(ctx context.Context, w Workload) (res *Result, floor *Result, err error) {
	opts := r.Options.withDefaults()
	r.Options = opts
	unavailable := func(why string) (*Result, *Result, error) {
		return &Result{Workload: w.Name, Target: r.Target.Name, Concurrency: opts.Concurrency, Unavailable: why}, nil, ctx.Err()
	}
	if w.Unavailable != "" {
		return unavailable(w.Unavailable)
	}
	if r.Target.Services != nil {
		for _, s := range w.Services {
			if !contains(r.Target.Services, s) {
				return unavailable(fmt.Sprintf("service %s is not served by this target", s))
			}
		}
	}
	rt := r.Target.Transport
	if rt == nil {
		t := newTransport(opts.Concurrency)
		defer t.CloseIdleConnections()
		rt = t
	}
	var rec *recordingTransport
	if r.Floor {
		rec = &recordingTransport{base: rt}
		rt = rec
	}
	op, cs, err := r.prepare(ctx, w, rt)
	if err != nil {
		return unavailable(err.Error())
	}
	if rec != nil {
		rec.start()
	}
	if err := op(ctx, cs, 0, 0); err != nil {
		return unavailable("warm-up: " + shortErr(err))
	}
	var canned *CannedSet
	if rec != nil {
		canned = rec.stop()
	}
	label := fmt.Sprintf("%s [%s]", w.Name, r.Target.Name)
	res = Run(ctx, opts, label, cs, op)
	res.Workload, res.Target = w.Name, r.Target.Name
	if ctx.Err() != nil {
		return res, nil, ctx.Err()
	}
	if canned == nil {
		return res, nil, nil
	}
	r.logf("%s: floor (%d canned responses)", w.Name, canned.len())
	floor, err = r.runFloor(ctx, w, op, canned, label)
	if err != nil {
		return res, nil, err
	}
	if f := floor.OpsPerSec(); f > 0 {
		res.FloorRatio = res.OpsPerSec() / f
	}
	return res, floor, ctx.Err()
}

func (r *Runner) runFloor(ctx context.Context, w Workload, op Op, canned *CannedSet, label string) (*Result, error) {
	srv, err := StartFloor(canned)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	rt := newTransport(r.Options.Concurrency)
	defer rt.CloseIdleConnections()
	cs, err := r.clients(ctx, srv.URL, rt, w.Services)
	if err != nil {
		return nil, err
	}
	fl := Run(ctx, r.Options, strings.Replace(label, r.Target.Name, "floor", 1), cs, op)
	fl.Workload, fl.Target = w.Name, "floor"
	return fl, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// shortErr keeps an error to one line of reasonable length for the report.
func shortErr(err error) string {
	var ae *session.APIError
	if errors.As(err, &ae) {
		msg := ae.Message
		if len(msg) > 160 {
			msg = msg[:160] + "…"
		}
		return fmt.Sprintf("%s %s (HTTP %d): %s", ae.Operation, ae.Code, ae.HTTPStatus, msg)
	}
	s := strings.ReplaceAll(err.Error(), "\n", " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
