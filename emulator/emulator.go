package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/route"
)

// Version is reported by GET /_fakecloud/health and `fakecloud version`.
var Version = "0.1.0-dev"

// Options configure an Emulator. The zero value is usable.
type Options struct {
	// DataPath is the bbolt file holding state; "" keeps state in a
	// temporary file removed by Close.
	DataPath string
	// Sync fsyncs every commit (default for a DataPath; ignored without one).
	// NoSync turns it off for a DataPath whose durability does not matter.
	NoSync bool
	// Clock is the time handlers see (default RealClock()).
	Clock Clock
	// Seed seeds the IDSource: the same seed and calls give the same ids.
	Seed uint64
	// DefaultAccount is the account of requests whose access key is not a
	// 12-digit number (default "000000000000").
	DefaultAccount string
	// DefaultRegion is the region of unsigned requests (default "us-east-1").
	DefaultRegion string
	// Services limits the emulator to these registered services; nil means
	// all registered.
	Services []string
	// ServiceDefs adds (or replaces by name) services besides the registry.
	ServiceDefs []ServiceDef
	// VerifySignatures rejects requests whose SigV4 signature does not match
	// Credentials (access key id -> secret access key).
	VerifySignatures bool
	Credentials      map[string]string
	// Codecs overrides the codec lookup (default: internal/protocol/codecs).
	Codecs CodecFunc
	// Logger receives request logs (default: discard).
	Logger *slog.Logger
	// JournalSize bounds the request journal (default 1000 entries).
	JournalSize int
}

// Emulator is a fake AWS endpoint: an http.Handler serving every configured
// service, plus the control API under /_fakecloud/.
type Emulator struct {
	opts     Options
	db       *store.DB
	clock    Clock
	ids      *IDSource
	log      *slog.Logger
	codecs   CodecFunc
	router   *route.Router
	services map[string]*service // by ServiceDef.Name
	byModel  map[*model.Service]*service
	control  http.Handler
	journal  *journal
	faults   *faults

	closeOnce sync.Once
	closeErr  error
}

type service struct {
	def   ServiceDef
	model *model.Service
}

// New creates an emulator serving the registered services (or
// Options.Services of them). Services register themselves when their package
// is imported: import _ "github.com/fakecloud/fakecloud/emulator/services"
// for all of them, or the service packages you want
// (_ "github.com/fakecloud/fakecloud/emulator/sqs"). Without any import
// only Options.ServiceDefs are served.
func New(opts Options) (*Emulator, error) {
	if opts.DefaultAccount == "" {
		opts.DefaultAccount = "000000000000"
	}
	if opts.DefaultRegion == "" {
		opts.DefaultRegion = "us-east-1"
	}
	if opts.Clock == nil {
		opts.Clock = RealClock()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Codecs == nil {
		opts.Codecs = defaultCodecs
	}
	if opts.VerifySignatures {
		// internal/sigv4 is not in the module yet; refusing is better than
		// silently accepting every signature.
		return nil, errors.New("emulator: signature verification needs internal/sigv4, which is not available yet")
	}
	e := &Emulator{
		opts: opts, clock: opts.Clock, ids: NewIDSource(opts.Seed), log: opts.Logger,
		codecs: opts.Codecs, services: map[string]*service{}, byModel: map[*model.Service]*service{},
		journal: newJournal(opts.JournalSize), faults: newFaults(opts.Seed),
	}
	defs := map[string]ServiceDef{}
	if opts.Services == nil {
		for _, n := range Registered() {
			d, _ := registered(n)
			defs[n] = d
		}
	} else {
		for _, n := range opts.Services {
			d, ok := registered(n)
			if !ok {
				if !hasDef(opts.ServiceDefs, n) {
					return nil, fmt.Errorf("emulator: service %q is not registered (registered: %v)", n, Registered())
				}
				continue
			}
			defs[n] = d
		}
	}
	for _, d := range opts.ServiceDefs {
		if d.Name == "" {
			return nil, errors.New("emulator: ServiceDef with empty Name")
		}
		defs[d.Name] = d
	}
	var models []*model.Service
	for name, d := range defs {
		m := d.Model
		if m == nil {
			var err error
			if m, err = loadModel(name); err != nil {
				return nil, err
			}
		}
		for op := range d.Operations {
			if _, ok := m.Operations[op]; !ok {
				return nil, fmt.Errorf("emulator: service %q registers unknown operation %q", name, op)
			}
		}
		s := &service{def: d, model: m}
		e.services[name] = s
		e.byModel[m] = s
		models = append(models, m)
	}
	e.router = route.New(models)
	db, err := store.Open(opts.DataPath, &store.Options{Sync: opts.DataPath != "" && !opts.NoSync})
	if err != nil {
		return nil, err
	}
	e.db = db
	e.control = e.controlRouter()
	return e, nil
}

func hasDef(defs []ServiceDef, name string) bool {
	for _, d := range defs {
		if d.Name == name {
			return true
		}
	}
	return false
}

// Close releases the state database (removing it when temporary).
func (e *Emulator) Close() error {
	e.closeOnce.Do(func() { e.closeErr = e.db.Close() })
	return e.closeErr
}

// Handler returns the emulator as an http.Handler.
func (e *Emulator) Handler() http.Handler { return e }

// DB is the state database, for fixtures and assertions.
func (e *Emulator) DB() *store.DB { return e.db }

// Reset empties all state and the journal.
func (e *Emulator) Reset() error {
	e.journal.clear()
	return e.db.Reset()
}

// ServiceNames returns the served services' names, sorted.
func (e *Emulator) ServiceNames() []string {
	names := make([]string, 0, len(e.services))
	for n := range e.services {
		names = append(names, n)
	}
	sortStrings(names)
	return names
}

var twelveDigits = regexp.MustCompile(`^[0-9]{12}$`)

// accountFor maps an access key to an account: a 12-digit key id is that
// account (LocalStack's convention), anything else the default account.
func (e *Emulator) accountFor(accessKey string) string {
	if twelveDigits.MatchString(accessKey) {
		return accessKey
	}
	return e.opts.DefaultAccount
}

// ServeHTTP serves one AWS request, or the control API.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isControl(r.URL.Path) {
		e.control.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	requestID := e.ids.UUID()
	ent := entry{Time: e.clock.Now(), Method: r.Method, Path: r.URL.Path, RequestID: requestID}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler { // a dropped-connection fault
				ent.Status = 0
				ent.Duration = time.Since(start)
				e.journal.add(ent)
				panic(p)
			}
			// A panic is our bug, never the client's: answer 500 and log it.
			e.log.Error("handler panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if !sw.wrote {
				route.WriteError(sw, "json", &route.Error{APIError: protocol.NewError("InternalFailure", 500, "internal error")}, requestID)
			}
			ent.ErrorCode = "InternalFailure"
		}
		ent.Status = sw.status
		ent.Duration = time.Since(start)
		e.journal.add(ent)
		e.log.Info("request", "service", ent.Service, "operation", ent.Operation, "status", ent.Status,
			"error", ent.ErrorCode, "account", ent.Account, "region", ent.Region, "duration", ent.Duration)
	}()
	sw.Header().Set("Date", ent.Time.Format(http.TimeFormat))

	res, rerr := e.router.Route(r)
	if rerr != nil {
		ent.ErrorCode = rerr.Code
		if rerr.Service != nil {
			ent.Service = e.byModel[rerr.Service].def.Name
		}
		e.writeRouteError(sw, r, rerr, requestID)
		return
	}
	svc := e.byModel[res.Service]
	ent.Service, ent.Operation = svc.def.Name, res.Operation.Name
	account := e.accountFor(res.Scope.AccessKeyID)
	region := res.Scope.Region
	if region == "" {
		region = e.opts.DefaultRegion
	}
	ent.Account, ent.Region = account, region

	meta := protocol.ResponseMeta{RequestID: requestID}
	if svc.model.Metadata.EndpointPrefix == "s3" {
		meta.HostID = e.ids.Base64(76)
	}
	codec, err := e.codecs(res.Service, res.Protocol)
	if err != nil {
		apiErr := Errorf("NotImplemented", http.StatusNotImplemented, "fakecloud cannot speak %s for %s: %v", res.Protocol, svc.def.Name, err)
		ent.ErrorCode = apiErr.Code
		route.WriteError(sw, res.Protocol, &route.Error{APIError: apiErr}, requestID)
		return
	}
	if f := e.faults.pick(svc.def.Name, res.Operation.Name); f != nil {
		if done := e.applyFault(sw, r, f, codec, res.Operation, meta, &ent); done {
			return
		}
	}
	dr := r
	if res.Path != "" {
		dr = r.Clone(r.Context())
		u := *r.URL
		u.RawPath = res.Path
		u.Path = unescapePath(res.Path)
		dr.URL = &u
	}
	input, err := codec.DecodeRequest(res.Operation, dr)
	if err != nil {
		e.writeError(sw, codec, res.Operation, err, meta, &ent)
		return
	}
	if input == nil {
		input = map[string]any{}
	}
	ent.Input = summarize(res.Operation, input)
	defer closeStreams(input)
	h := svc.def.Operations[res.Operation.Name]
	if h == nil {
		e.writeError(sw, codec, res.Operation, NotImplemented(svc.model.Metadata.ServiceID, res.Operation.Name), meta, &ent)
		return
	}
	req := &Request{
		Operation: res.Operation, Service: res.Service, Input: input,
		Account: account, Region: region, AccessKeyID: res.Scope.AccessKeyID, RequestID: requestID,
		Clock: e.clock, IDs: e.ids, Store: e.db.Namespace(account, region, svc.def.Name),
		HTTP: r, ResponseHeader: http.Header{}, emu: e,
	}
	out, err := h(r.Context(), req)
	if err != nil {
		e.writeError(sw, codec, res.Operation, err, meta, &ent)
		return
	}
	if out == nil {
		out = map[string]any{}
	}
	for k, vs := range req.ResponseHeader {
		sw.Header()[k] = vs
	}
	if err := codec.EncodeResponse(sw, res.Operation, out, meta); err != nil {
		e.log.Error("encode response", "service", svc.def.Name, "operation", res.Operation.Name, "err", err)
		if !sw.wrote {
			e.writeError(sw, codec, res.Operation, err, meta, &ent)
		}
	}
}

func (e *Emulator) writeError(w http.ResponseWriter, codec protocol.Codec, op *model.Operation, err error, meta protocol.ResponseMeta, ent *entry) {
	var apiErr *protocol.APIError
	if !errors.As(err, &apiErr) {
		e.log.Error("handler error", "operation", op.Name, "err", err)
		apiErr = protocol.NewError("InternalFailure", http.StatusInternalServerError, "%v", err)
	}
	ent.ErrorCode = apiErr.Code
	if apiErr.RequestID == "" {
		apiErr.RequestID = meta.RequestID
	}
	if err := codec.EncodeError(w, op, apiErr, meta); err != nil {
		e.log.Error("encode error", "operation", op.Name, "err", err)
	}
}

func (e *Emulator) writeRouteError(w http.ResponseWriter, r *http.Request, rerr *route.Error, requestID string) {
	if rerr.Service != nil {
		if codec, err := e.codecs(rerr.Service, rerr.Protocol); err == nil {
			if err := codec.EncodeError(w, nil, rerr.APIError, protocol.ResponseMeta{RequestID: requestID}); err == nil {
				return
			}
		}
	}
	route.WriteError(w, rerr.Protocol, rerr, requestID)
}

// Call invokes a registered handler in-process (see Services).
func (e *Emulator) Call(ctx context.Context, account, region, service, operation string, input map[string]any) (out map[string]any, err error) {
	svc, ok := e.services[service]
	if !ok {
		return nil, fmt.Errorf("emulator: service %q is not served", service)
	}
	op, ok := svc.model.Operations[operation]
	if !ok {
		return nil, fmt.Errorf("emulator: %s has no operation %q", service, operation)
	}
	h := svc.def.Operations[operation]
	if h == nil {
		return nil, NotImplemented(svc.model.Metadata.ServiceID, operation)
	}
	if input == nil {
		input = map[string]any{}
	}
	defer func() {
		if p := recover(); p != nil {
			e.log.Error("handler panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = protocol.NewError("InternalFailure", 500, "internal error in %s.%s", service, operation)
		}
	}()
	req := &Request{
		Operation: op, Service: svc.model, Input: input, Account: account, Region: region,
		RequestID: e.ids.UUID(), Clock: e.clock, IDs: e.ids, Store: e.db.Namespace(account, region, service),
		ResponseHeader: http.Header{}, emu: e,
	}
	return h(ctx, req)
}

func closeStreams(input map[string]any) {
	for _, v := range input {
		if c, ok := v.(io.Closer); ok {
			_ = c.Close()
		}
	}
}
