package recorder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Mode says whether a recorder talks to the real endpoint, the cassette or
// both.
type Mode int

const (
	// Replay answers only from the cassette; a miss is an error and the
	// network is never used. It is the default.
	Replay Mode = iota
	// Record always calls the real endpoint and rewrites the cassette with
	// what this run saw.
	Record
	// ReplayOrRecord replays what the cassette has and records misses,
	// appending them as new episodes.
	ReplayOrRecord
	// RecordOnce records when the cassette does not exist and replays when
	// it does.
	RecordOnce
	// Passthrough sends everything to the real endpoint and keeps nothing.
	Passthrough
)

func (m Mode) String() string {
	switch m {
	case Replay:
		return "replay"
	case Record:
		return "record"
	case ReplayOrRecord:
		return "replay-or-record"
	case RecordOnce:
		return "record-once"
	case Passthrough:
		return "passthrough"
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// EnvVar is the environment variable that switches the mode of every
// recorder: all=Record, missing=ReplayOrRecord, none=Replay,
// passthrough=Passthrough.
const EnvVar = "FAKECLOUD_RECORD"

// ModeFromEnv returns the mode FAKECLOUD_RECORD selects and whether it is set.
func ModeFromEnv() (Mode, bool, error) {
	v := strings.TrimSpace(os.Getenv(EnvVar))
	switch strings.ToLower(v) {
	case "":
		return 0, false, nil
	case "all":
		return Record, true, nil
	case "missing":
		return ReplayOrRecord, true, nil
	case "none":
		return Replay, true, nil
	case "passthrough":
		return Passthrough, true, nil
	}
	return 0, false, fmt.Errorf("recorder: %s=%q: want all, missing, none or passthrough", EnvVar, v)
}

// Order says how recorded interactions may be consumed.
type Order int

const (
	// PerRequest (the default) replays each interaction once; among
	// interactions matching a request the earliest unused one answers, so
	// identical requests get their responses in recorded order while
	// unrelated requests may come in any order.
	PerRequest Order = iota
	// Strict demands that requests arrive in exactly the recorded order.
	Strict
)

// Option configures a Recorder.
type Option func(*config)

type config struct {
	mode      Mode
	modeSet   bool
	transport http.RoundTripper
	decoder   Decoder
	matchers  []Matcher
	ignore    map[string]bool
	order     Order
	repeat    bool
	latency   bool
	sideMin   int
	rd        *redactor
	keepDate  bool
	fallback  http.RoundTripper
	faults    []faultRule
	compact   bool
	skipEnv   bool
	noJournal bool
	seed      int64
	seedSet   bool
	sync      SyncPolicy
}

// WithMode sets the mode (FAKECLOUD_RECORD, when set, wins).
func WithMode(m Mode) Option { return func(c *config) { c.mode, c.modeSet = m, true } }

// WithTransport sets the real transport used when recording
// (http.DefaultTransport otherwise).
func WithTransport(rt http.RoundTripper) Option { return func(c *config) { c.transport = rt } }

// WithDecoder replaces DefaultDecoder (ModelDecoder with HeuristicDecoder as
// fallback), for example with HeuristicDecoder alone or a custom one.
func WithDecoder(d Decoder) Option { return func(c *config) { c.decoder = d } }

// WithMatcher adds a matcher; a recorded interaction answers a request only
// if every matcher agrees. The default service+operation+params comparison
// still applies; use ReplaceMatching to drop it.
func WithMatcher(m Matcher) Option {
	return func(c *config) { c.matchers = append(c.matchers, m) }
}

// IgnoreParams leaves top-level parameters out of matching (idempotency
// tokens, client request tokens, timestamps the test makes up).
func IgnoreParams(names ...string) Option {
	return func(c *config) {
		for _, n := range names {
			c.ignore[n] = true
		}
	}
}

// WithOrder sets how interactions may be consumed (PerRequest by default).
func WithOrder(o Order) Option { return func(c *config) { c.order = o } }

// AllowRepeats lets the last matching interaction answer again once all
// matching interactions were used (for polling loops of unknown length).
func AllowRepeats() Option { return func(c *config) { c.repeat = true } }

// WithLatency makes replay wait the recorded duration of each interaction.
// By default replay never sleeps.
func WithLatency() Option { return func(c *config) { c.latency = true } }

// WithSideFiles stores bodies of at least minSize bytes in files beside the
// cassette (<cassette>.bodies/<sha256>) instead of inline.
func WithSideFiles(minSize int) Option { return func(c *config) { c.sideMin = minSize } }

// WithCredentials names the credentials used while recording. Their key id
// becomes a placeholder, and Save refuses to write a cassette in which the
// secret key or session token appears.
func WithCredentials(accessKeyID, secretAccessKey, sessionToken string) Option {
	return func(c *config) {
		if accessKeyID != "" {
			c.rd.placeholder(accessKeyID)
		}
		c.rd.addSecret(secretAccessKey)
		c.rd.addSecret(sessionToken)
	}
}

// RedactFields blanks the values of more JSON or XML body members, in
// requests and responses.
func RedactFields(names ...string) Option {
	return func(c *config) {
		for _, n := range names {
			patterns(n)
			c.rd.fields = append(c.rd.fields, n)
		}
	}
}

// RedactSecretsManager blanks Secrets Manager SecretString and SecretBinary
// by name, also in traffic the models cannot place (model-decoded Secrets
// Manager calls have them blanked anyway: the model marks them sensitive).
func RedactSecretsManager() Option { return RedactFields(secretsManagerFields...) }

// RedactHook adds a function that edits each interaction before it is kept
// (after the built-in redaction). It also sees live requests before
// matching (with a nil Response), so both sides stay comparable.
func RedactHook(fn func(*Interaction) error) Option {
	return func(c *config) { c.rd.hooks = append(c.rd.hooks, fn) }
}

// RefreshDate asks for what replay does by default: the Date header of a
// replayed response is rewritten to the replay clock (see ReplayClock), so
// SDKs that compute clock skew from Date (aws-sdk-go-v2) do not sign later
// live requests in the past. Kept for callers that named it.
func RefreshDate() Option { return func(c *config) { c.keepDate = false } }

// KeepDate replays recorded Date headers unchanged (byte-for-byte replay,
// at the price of SDK clock-skew correction toward the recording's time).
func KeepDate() Option { return func(c *config) { c.keepDate = true } }

// WithSeed sets the seed written to the header of a new recording (by
// default one derived from the recording's start time). A test seeds its
// deterministic sources (emulator.Options.Seed, id generators) from
// Recorder.Seed so a replay sees the values the recording saw.
func WithSeed(seed int64) Option { return func(c *config) { c.seed, c.seedSet = seed, true } }

// WithoutJournal turns off the crash journal (<cassette>.journal): recorded
// interactions then reach disk only on Save.
func WithoutJournal() Option { return func(c *config) { c.noJournal = true } }

// IgnoreEnv makes the recorder ignore FAKECLOUD_RECORD.
func IgnoreEnv() Option { return func(c *config) { c.skipEnv = true } }

// Recorder is an http.RoundTripper that records and replays AWS traffic.
// It is safe for concurrent use.
type Recorder struct {
	path string
	cfg  config
	mode Mode

	mu       sync.Mutex
	cassette *Cassette
	calls    []Call   // decoded recorded requests, by index (valid where decoded)
	keys     []string // their canonical match keys
	used     []bool
	decoded  []bool          // calls[i] and keys[i] are set
	byOp     map[opKey][]int // undecoded stored interactions by recorded service and operation
	pending  int             // how many are not decoded yet
	next     int             // Strict: index of the next expected interaction
	dirty    bool
	now      time.Time // replay clock
	onMiss   func(error)

	replayStart time.Time
	faults      faultState

	journal    *os.File
	journalErr error
	recovered  int // interactions folded in from a journal
}

// New returns a recorder for the cassette at path. In Replay mode (the
// default) the cassette must exist.
func New(path string, opts ...Option) (*Recorder, error) {
	cfg := config{ignore: map[string]bool{}, rd: newRedactor(), decoder: DefaultDecoder}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.transport == nil {
		cfg.transport = http.DefaultTransport
	}
	mode := cfg.mode
	if !cfg.skipEnv {
		m, ok, err := ModeFromEnv()
		if err != nil {
			return nil, err
		}
		if ok {
			mode = m
		}
	}
	r := &Recorder{path: path, cfg: cfg, mode: mode, replayStart: time.Now().UTC()}
	if mode == Passthrough {
		return r, nil
	}
	c, err := LoadCassette(path)
	var journaled []*Interaction
	if mode != Record {
		// A run that died while recording left its interactions here.
		var jerr error
		if journaled, jerr = ReadJournal(path); jerr != nil {
			return nil, jerr
		}
		if len(journaled) > 0 && errors.Is(err, ErrCassetteNotFound) {
			c, err = &Cassette{Version: CassetteVersion, RecordedAt: journaled[0].RecordedAt}, nil
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrCassetteNotFound) && mode != Replay:
		c = nil
	case errors.Is(err, ErrCassetteNotFound):
		return nil, fmt.Errorf("%w (record it with %s=all or %s=missing)", err, EnvVar, EnvVar)
	default:
		return nil, err
	}
	switch {
	case mode == RecordOnce && c != nil:
		r.mode = Replay
	case mode == RecordOnce:
		r.mode = Record
	}
	if r.mode == Record || c == nil {
		now := time.Now().UTC()
		c = &Cassette{Version: CassetteVersion, RecordedAt: now, Seed: now.UnixNano()}
		r.dirty = r.mode == Record
		if r.mode == Record {
			// A fresh recording: an old journal belongs to a recording
			// this one replaces.
			_ = r.closeJournalLocked(true)
		}
	}
	if cfg.seedSet && (r.mode == Record || len(c.Interactions) == 0) {
		c.Seed = cfg.seed
	}
	if r.mode != Record && len(journaled) > 0 {
		for _, in := range journaled {
			in.ID = len(c.Interactions)
			c.Interactions = append(c.Interactions, in)
		}
		r.recovered = len(journaled)
		r.dirty = true
	}
	r.cassette = c
	r.now = c.RecordedAt
	// Stored requests are decoded for matching lazily, on the first
	// request for their recorded operation (see ensureDecodedLocked):
	// loading a large cassette costs only the YAML parse.
	n := len(c.Interactions)
	r.calls, r.keys, r.used, r.decoded = make([]Call, n), make([]string, n), make([]bool, n), make([]bool, n)
	r.byOp = map[opKey][]int{}
	for i, in := range c.Interactions {
		// Cassettes written before account ids were redacted still hold
		// them: learn them all now, so placeholders do not depend on
		// which interactions were decoded first.
		r.cfg.rd.findAccounts(in)
		k := opKey{in.Service, in.Operation}
		r.byOp[k] = append(r.byOp[k], i)
	}
	r.pending = n
	return r, nil
}

// Seed is the seed in the cassette header (see WithSeed).
func (r *Recorder) Seed() int64 {
	if r.cassette == nil {
		return 0
	}
	return r.cassette.Seed
}

// Mode is the effective mode (after FAKECLOUD_RECORD and RecordOnce).
func (r *Recorder) Mode() Mode { return r.mode }

// Path is the cassette path.
func (r *Recorder) Path() string { return r.path }

// Client returns an http.Client that uses the recorder.
func (r *Recorder) Client() *http.Client { return &http.Client{Transport: r} }

// Clock returns the recorder's clock. While replaying it reads the time the
// most recently replayed interaction was recorded (the cassette's start time
// before the first one), so code that stamps values with it sees what the
// recording saw. While recording it is time.Now.
func (r *Recorder) Clock() func() time.Time {
	return func() time.Time {
		if r.mode == Record || r.mode == Passthrough {
			return time.Now().UTC()
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.now
	}
}

// ReplayClock returns the replay clock: it started when the recorder was
// made and advances, call by call, as the recording's clock did (the time
// of the interaction last replayed, as an offset from the cassette's
// start). Replayed Date headers read it, so they are near the real time of
// the replay and in the recorded order.
func (r *Recorder) ReplayClock() func() time.Time {
	return func() time.Time {
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.replayStart.Add(r.offsetLocked(r.now))
	}
}

func (r *Recorder) offsetLocked(t time.Time) time.Duration {
	if r.cassette == nil || t.IsZero() || r.cassette.RecordedAt.IsZero() || t.Before(r.cassette.RecordedAt) {
		return 0
	}
	return t.Sub(r.cassette.RecordedAt)
}

// replayTimeLocked is the replay clock at the end of interaction in (the
// recorded Date is taken when the answer is sent).
func (r *Recorder) replayTimeLocked(in *Interaction) time.Time {
	return r.replayStart.Add(r.offsetLocked(in.RecordedAt) + in.Duration)
}

// Interactions returns the interactions as they stand (recorded and loaded).
func (r *Recorder) Interactions() []*Interaction {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cassette == nil {
		return nil
	}
	return append([]*Interaction(nil), r.cassette.Interactions...)
}

// Unused returns the recorded interactions that were never replayed.
func (r *Recorder) Unused() []*Interaction {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*Interaction
	for i, u := range r.used {
		if !u {
			out = append(out, r.cassette.Interactions[i])
		}
	}
	return out
}

// opKey is a recorded interaction's service and operation as the cassette
// names them.
type opKey struct{ service, operation string }

// decodeAtLocked decodes stored interaction i for matching if not yet done.
func (r *Recorder) decodeAtLocked(i int) {
	if r.decoded[i] {
		return
	}
	dc := r.decodeStored(r.cassette.Interactions[i])
	r.calls[i], r.keys[i], r.decoded[i] = dc, r.key(dc), true
	r.pending--
}

// ensureDecodedLocked decodes the stored interactions that can answer a
// request for live: those the cassette files under live's service and
// operation, and those it names no operation for. A cassette whose names
// disagree with what the decoder makes of its requests (hand edits, another
// decoder) is still matched: a miss decodes everything and looks again.
func (r *Recorder) ensureDecodedLocked(live Call) {
	if r.pending == 0 {
		return
	}
	for _, k := range [...]opKey{{live.Service, live.Operation}, {}} {
		idx, ok := r.byOp[k]
		if !ok {
			continue
		}
		for _, i := range idx {
			r.decodeAtLocked(i)
		}
		delete(r.byOp, k)
	}
}

// decodeAllLocked decodes every stored interaction.
func (r *Recorder) decodeAllLocked() {
	if r.pending == 0 {
		return
	}
	for i := range r.decoded {
		r.decodeAtLocked(i)
	}
	r.byOp = nil
}

func (r *Recorder) decodeStored(in *Interaction) Call {
	// Match through the same account placeholders live requests get (the
	// ids were learned when the cassette was loaded).
	cp := &Interaction{Request: Request{Method: in.Request.Method, URL: in.Request.URL,
		Headers: in.Request.Headers.Clone(), Body: in.Request.Body}}
	r.cfg.rd.replaceAccounts(cp)
	normalizeEnv(cp)
	hr, err := cp.Request.toHTTPRequest()
	if err != nil {
		return Call{Service: in.Service, Operation: in.Operation, Region: in.Region, Params: in.Params, AWS: in.Service != ""}
	}
	return r.decode(hr, cp.Request.Body)
}

func (r *Recorder) decode(hr *http.Request, body []byte) Call {
	var c Call
	if svc, op, params, ok := safeDecode(r.cfg.decoder, hr, body); ok {
		c = Call{Service: svc, Operation: op, Params: normalizeMap(params), AWS: true}
		_, c.Region = scope(hr.Header, hr.URL.Query())
	} else {
		c = rawCall(hr, body)
	}
	if c.Params == nil {
		c.Params = map[string]any{}
	}
	return c
}

// safeDecode shields the recorder from a panicking decoder.
func safeDecode(d Decoder, hr *http.Request, body []byte) (svc, op string, params map[string]any, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return d.Decode(hr, body)
}

// RoundTrip records or replays one request.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, errors.New("recorder: request without URL")
	}
	if r.mode == Passthrough {
		return r.cfg.transport.RoundTrip(req)
	}
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("recorder: read request body: %w", err)
		}
		body = b
	}
	live := &Interaction{Request: Request{Method: req.Method, URL: req.URL.String(), Headers: req.Header.Clone(), Body: body}}
	if live.Request.Headers == nil {
		live.Request.Headers = http.Header{}
	}
	if req.Host != "" && req.Host != req.URL.Host {
		live.Request.Headers.Set("Host", req.Host)
	}

	r.mu.Lock()
	if err := r.cfg.rd.redact(live); err != nil {
		r.mu.Unlock()
		return nil, err
	}
	r.redactSensitive(live)
	r.cfg.rd.replaceKnown(live)
	liveEnv := normalizeEnv(live)
	call := r.decodeLocked(live)
	if f, ok := r.faultFor(call); ok {
		r.mu.Unlock()
		return faultResponse(req, body, f)
	}
	if r.mode != Record {
		if idx, ok := r.findLocked(call, live); ok {
			in := r.cassette.Interactions[idx]
			if !in.RecordedAt.IsZero() {
				r.now = in.RecordedAt
			}
			date := r.replayTimeLocked(in)
			r.mu.Unlock()
			return r.replay(req, in, liveEnv, date)
		}
		if r.mode == Replay && r.cfg.fallback != nil {
			r.mu.Unlock()
			out := req.Clone(req.Context())
			out.Body = io.NopCloser(bytes.NewReader(body))
			out.ContentLength = int64(len(body))
			return r.cfg.fallback.RoundTrip(out)
		}
		if r.mode == Replay {
			err := r.mismatchLocked(call, live)
			r.mu.Unlock()
			return nil, r.reportMiss(err)
		}
	}
	r.mu.Unlock()
	return r.record(req, body)
}

func (r *Recorder) decodeLocked(in *Interaction) Call {
	hr, err := in.Request.toHTTPRequest()
	if err != nil {
		return Call{Params: map[string]any{"$url": in.Request.URL}}
	}
	return r.decode(hr, in.Request.Body)
}

func (r *Recorder) replay(req *http.Request, in *Interaction, live env, date time.Time) (*http.Response, error) {
	if r.cfg.latency && in.Duration > 0 {
		t := time.NewTimer(in.Duration)
		select {
		case <-t.C:
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		}
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	if in.Response == nil {
		return nil, &ReplayedError{Msg: in.Error}
	}
	h := in.Response.Headers.Clone()
	if h == nil {
		h = http.Header{}
	}
	out := &Response{Status: in.Response.Status, Headers: h, Body: append([]byte(nil), in.Response.Body...)}
	restoreEnv(out, live)
	if !r.cfg.keepDate && h.Get("Date") != "" {
		h.Set("Date", date.UTC().Format(http.TimeFormat))
	}
	body := out.Body
	if h.Get("Content-Length") != "" {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return &http.Response{
		Status:        strconv.Itoa(in.Response.Status) + " " + http.StatusText(in.Response.Status),
		StatusCode:    in.Response.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

// ReplayedError is a transport error that was recorded and is replayed.
type ReplayedError struct{ Msg string }

func (e *ReplayedError) Error() string { return "recorder: replayed transport error: " + e.Msg }

func (r *Recorder) record(req *http.Request, body []byte) (*http.Response, error) {
	out := req.Clone(req.Context())
	if body != nil {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		out.ContentLength = int64(len(body))
	}
	start := time.Now()
	resp, err := r.cfg.transport.RoundTrip(out)
	in := &Interaction{RecordedAt: start.UTC(), Request: Request{Method: req.Method, URL: req.URL.String(), Headers: req.Header.Clone(), Body: append([]byte(nil), body...)}}
	if in.Request.Headers == nil {
		in.Request.Headers = http.Header{}
	}
	if req.Host != "" && req.Host != req.URL.Host {
		in.Request.Headers.Set("Host", req.Host)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err // the test's own cancellation is not AWS behaviour
		}
		in.Error = err.Error()
	} else {
		rb, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if rerr != nil {
			return nil, fmt.Errorf("recorder: read response body: %w", rerr)
		}
		resp.Body = io.NopCloser(bytes.NewReader(rb))
		resp.ContentLength = int64(len(rb))
		h := resp.Header.Clone()
		if h == nil {
			h = http.Header{}
		}
		in.Response = &Response{Status: resp.StatusCode, Headers: h, Body: append([]byte(nil), rb...)}
	}
	in.Duration = time.Since(start).Round(time.Millisecond)
	if in.Duration == 0 {
		in.Duration = time.Millisecond
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if rerr := r.cfg.rd.redact(in); rerr != nil {
		return nil, rerr
	}
	r.redactSensitive(in)
	r.cfg.rd.replaceKnown(in)
	recEnv := normalizeEnv(in)
	call := r.decodeLocked(in)
	in.Service, in.Operation, in.Region = call.Service, call.Operation, call.Region
	if recEnv.region != "" {
		in.Region = recEnv.region // for readers; matching never uses it
	}
	if call.AWS {
		// Params are for readers and Show; matching decodes the stored
		// request again. A REST body is already in the request: not twice.
		in.Params = call.Params
		if _, ok := in.Params["$body"]; ok {
			in.Params = make(map[string]any, len(call.Params))
			for k, v := range call.Params {
				if k != "$body" {
					in.Params[k] = v
				}
			}
		}
	}
	in.ID = len(r.cassette.Interactions)
	r.cassette.Interactions = append(r.cassette.Interactions, in)
	r.calls = append(r.calls, call)
	r.keys = append(r.keys, r.key(call))
	r.used = append(r.used, true)
	r.decoded = append(r.decoded, true)
	r.dirty = true
	r.journalLocked(in)
	return resp, err
}

// Save writes the cassette if anything was recorded. It refuses (with
// ErrSecretInCassette) when a known secret would be written.
func (r *Recorder) Save() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.saveLocked()
}

func (r *Recorder) saveLocked() error {
	if r.mode == Passthrough || r.cassette == nil || !r.dirty {
		return nil
	}
	// Redaction state may have grown since earlier interactions were kept
	// (a key id or token learned later): apply it to all of them again.
	for _, in := range r.cassette.Interactions {
		r.cfg.rd.replaceKnown(in)
	}
	r.decodeAllLocked()
	if runs := r.waiterRunsLocked(); r.cfg.compact {
		r.compactWaitersLocked(runs)
	}
	data, side, err := marshalCassette(r.cassette, r.storeOptions())
	if err != nil {
		return err
	}
	all := [][]byte{data}
	for _, b := range side {
		all = append(all, b)
	}
	for _, b := range all {
		if l := r.cfg.rd.leaks(b); len(l) > 0 {
			return fmt.Errorf("%w: %s would contain %s", ErrSecretInCassette, r.path, strings.Join(l, ", "))
		}
	}
	if err := writeCassette(r.path, data, side, r.cfg.sync != SyncNever); err != nil {
		return err
	}
	r.dirty = false
	r.journalErr = nil
	return r.closeJournalLocked(true)
}

// Stop ends a recording session: it saves the cassette when something was
// recorded. Requests after Stop still work, and a later Save or Stop writes
// them. Stop is safe to call more than once.
func (r *Recorder) Stop() error { return r.Save() }
