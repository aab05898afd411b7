package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/route"
	"github.com/fakecloud/fakecloud/internal/sigv4"
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
	// SyncPolicy, when set, overrides NoSync and applies to temporary state
	// too: store.SyncAlways, SyncBatch (group commit) or SyncNone.
	SyncPolicy store.SyncPolicy
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
	// VerifySignatures rejects requests whose signature (SigV4 header or
	// presigned URL, S3's legacy SigV2) does not match the credentials of
	// their access key, answering as the service does
	// (SignatureDoesNotMatch, InvalidAccessKeyId, UnrecognizedClientException
	// ...). Request times and presigned-URL expiry are checked against
	// Options.Clock, so a FixedClock far from now rejects real SDK requests
	// as RequestTimeTooSkewed. Credentials are looked up in Credentials, then
	// CredentialsLookup, then every served service's ServiceDef.Credentials
	// (the STS emulator's temporary credentials).
	VerifySignatures bool
	// Credentials maps access key ids to secret access keys.
	Credentials map[string]string
	// CredentialsLookup finds credentials Credentials does not hold.
	CredentialsLookup CredentialsFunc
	// Codecs overrides the codec lookup (default: internal/protocol/codecs).
	Codecs CodecFunc
	// Logger receives request logs (default: discard).
	Logger *slog.Logger
	// ControlToken lets callers other than loopback use the control API
	// (/_fakecloud/...) when they send it as X-Fakecloud-Token or
	// "Authorization: Bearer <token>"; without it only loopback callers
	// may. A wrong token is refused even from loopback.
	ControlToken string
	// MaxBodyBytes bounds the body of operations without a streaming
	// payload (default 64 MiB); larger requests are refused with 413
	// RequestEntityTooLarge before anything reads them. Streaming uploads
	// (S3 PutObject, UploadPart) are bounded by S3's 5 GiB instead
	// (400 EntityTooLarge).
	MaxBodyBytes int64
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
	// credSources are the served services' ServiceDef.Credentials, by name.
	credSources []CredentialSourceFunc
	byModel     map[*model.Service]*service
	control     http.Handler
	journal     *journal
	faults      *faults
	dates       dateCache
	redactions  sync.Map // journal redactions by *model.Operation (summarize)

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
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
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
	for _, name := range e.ServiceNames() {
		if src := e.services[name].def.Credentials; src != nil {
			e.credSources = append(e.credSources, src)
		}
	}
	db, err := store.Open(opts.DataPath, &store.Options{Sync: opts.DataPath != "" && !opts.NoSync, SyncPolicy: opts.SyncPolicy})
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

// ServeHTTP serves one AWS request, or the control API.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isControl(r.URL.Path) {
		if e.servePublic(w, r) {
			return
		}
		if ok, why := e.controlAllowed(r); !ok {
			ctlError(w, http.StatusForbidden, "%s", why)
			return
		}
		e.control.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	st := new(serveState) // one allocation for the writer, request and body wrapper
	sw := &st.sw
	sw.ResponseWriter = w
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
		// Building the attributes costs allocations even when the handler
		// drops them (the default logger discards): ask first.
		if e.log.Enabled(r.Context(), slog.LevelInfo) {
			e.log.Info("request", "service", ent.Service, "operation", ent.Operation, "status", ent.Status,
				"error", ent.ErrorCode, "account", ent.Account, "region", ent.Region, "duration", ent.Duration)
		}
	}()
	sw.Header()["Date"] = []string{e.dates.format(ent.Time)} // canonical key: Set without the lookup

	res, rerr := e.router.Route(r)
	if rerr != nil {
		ent.ErrorCode = rerr.Code
		meta := protocol.ResponseMeta{RequestID: requestID}
		if rerr.Service != nil {
			svc := e.byModel[rerr.Service]
			ent.Service = svc.def.Name
			if svc.model.Metadata.EndpointPrefix == "s3" {
				meta.HostID = e.ids.Base64(76)
			}
			if h := svc.def.Raw[r.Method]; h != nil && e.serveRaw(sw, r, svc, rerr, h, meta, &ent) {
				return
			}
		}
		e.writeRouteError(sw, r, rerr, meta)
		return
	}
	svc := e.byModel[res.Service]
	ent.Service, ent.Operation = svc.def.Name, res.Operation.Name
	region := res.Scope.Region
	if region == "" {
		region = e.opts.DefaultRegion
	}
	ent.Region = region

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
	flavor := flavorOf(svc.model, res.Protocol)
	streaming := hasStreamingPayload(res.Operation)
	if apiErr := e.checkLength(r, streaming, flavor); apiErr != nil {
		ent.Account = e.accountFor(r.Context(), res.Scope.AccessKeyID, nil)
		e.writeError(sw, codec, res.Operation, apiErr, meta, &ent)
		return
	}
	if !streaming && r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(sw, r.Body, e.opts.MaxBodyBytes)
	}
	var auth *sigv4.Auth
	var creds *Credentials
	if e.opts.VerifySignatures {
		var apiErr *protocol.APIError
		if auth, creds, apiErr = e.authenticate(r, res.Path, flavor); apiErr != nil {
			ent.Account = e.accountFor(r.Context(), res.Scope.AccessKeyID, nil)
			e.writeError(sw, codec, res.Operation, apiErr, meta, &ent)
			return
		}
	}
	account := e.accountFor(r.Context(), res.Scope.AccessKeyID, creds)
	ent.Account = account
	if f := e.faults.pick(svc.def.Name, res.Operation.Name); f != nil {
		if done := e.applyFault(sw, r, f, codec, res.Operation, meta, &ent); done {
			return
		}
	}
	chunked := isChunked(r)
	dr := r
	if res.Path != "" || chunked {
		dr = r.Clone(r.Context())
	}
	if res.Path != "" {
		u := *r.URL
		u.RawPath = res.Path
		u.Path = unescapePath(res.Path)
		dr.URL = &u
	}
	var cr *sigv4.ChunkedReader
	if chunked {
		if cr, err = unchunk(dr, auth); err != nil {
			if ae := authError(err, flavor); ae != nil {
				err = ae
			} else {
				err = Errorf("InvalidArgument", http.StatusBadRequest, "%v", err)
			}
			e.writeError(sw, codec, res.Operation, err, meta, &ent)
			return
		}
		dr.Body = struct {
			io.Reader
			io.Closer
		}{cr, dr.Body}
		fixChunkedHeaders(dr)
	}
	var body *bodyReader
	if dr.Body != nil && dr.Body != http.NoBody {
		body = &st.body
		body.r, body.closer = dr.Body, dr.Body
		dr.Body = body
	}
	// payloadErr prefers a sigv4 failure met while reading the body (a
	// content hash, chunk signature or trailing checksum that does not
	// match) over whatever the codec or handler made of the read error.
	payloadErr := func(err error) error {
		if isAuthFailure(err) {
			return authError(err, flavor)
		}
		f := body.failure()
		if isAuthFailure(f) {
			return authError(f, flavor)
		}
		if tooLarge(err) || tooLarge(f) {
			return e.tooLarge(flavor)
		}
		return err
	}
	input, err := codec.DecodeRequest(res.Operation, dr)
	if err != nil {
		e.writeError(sw, codec, res.Operation, payloadErr(err), meta, &ent)
		return
	}
	if input == nil {
		input = map[string]any{}
	}
	queueURLFromPath(dr, res, input)
	ent.Input = summarize(&e.redactions, res.Operation, input)
	defer closeStreams(input)
	h := svc.def.Operations[res.Operation.Name]
	if h == nil {
		e.writeError(sw, codec, res.Operation, NotImplemented(svc.model.Metadata.ServiceID, res.Operation.Name), meta, &ent)
		return
	}
	req := &st.req
	*req = Request{
		Operation: res.Operation, Service: res.Service, Input: input,
		Account: account, Region: region, AccessKeyID: res.Scope.AccessKeyID, RequestID: requestID,
		Clock: e.clock, IDs: e.ids, Store: e.db.Namespace(account, region, svc.def.Name),
		HTTP: dr, ResponseHeader: http.Header{}, emu: e, chunked: cr,
	}
	out, err := h(r.Context(), req)
	if err != nil {
		e.writeError(sw, codec, res.Operation, payloadErr(err), meta, &ent)
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

// serveState holds what ServeHTTP allocates for every request, so that it
// is one allocation rather than three.
type serveState struct {
	sw   statusWriter
	req  Request
	body bodyReader
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

func (e *Emulator) writeRouteError(w http.ResponseWriter, r *http.Request, rerr *route.Error, meta protocol.ResponseMeta) {
	if rerr.Service != nil {
		if codec, err := e.codecs(rerr.Service, rerr.Protocol); err == nil {
			var op *model.Operation
			if rerr.Protocol == "rest-xml" {
				op = unroutedOp(rerr.Service, r)
			}
			if err := codec.EncodeError(w, op, rerr.APIError, meta); err == nil {
				return
			}
		}
	}
	route.WriteError(w, rerr.Protocol, rerr, meta.RequestID)
}

// unroutedOp stands for the operation of a request no operation claims, so
// a rest-xml codec knows the service (S3 answers with its bare <Error> and
// its own request ids) and the method (a HEAD answer has no body).
func unroutedOp(svc *model.Service, r *http.Request) *model.Operation {
	return &model.Operation{Service: svc, HTTP: model.HTTP{Method: r.Method}}
}

// serveRaw hands a request the router could not map to an operation to the
// service's RawHandler for its method. It reports false when the handler
// declined (ErrNotHandled) and nothing was written.
func (e *Emulator) serveRaw(w *statusWriter, r *http.Request, svc *service, rerr *route.Error, h RawHandler, meta protocol.ResponseMeta, ent *entry) bool {
	scope, _ := route.ParseScope(r)
	region := scope.Region
	if region == "" {
		region = e.opts.DefaultRegion
	}
	account := e.accountFor(r.Context(), scope.AccessKeyID, nil)
	dr := r
	if rerr.Path != "" {
		dr = r.Clone(r.Context())
		u := *r.URL
		u.RawPath = rerr.Path
		u.Path = unescapePath(rerr.Path)
		dr.URL = &u
	}
	req := &Request{
		Service: svc.model, Input: map[string]any{},
		Account: account, Region: region, AccessKeyID: scope.AccessKeyID, RequestID: meta.RequestID, HostID: meta.HostID,
		Clock: e.clock, IDs: e.ids, Store: e.db.Namespace(account, region, svc.def.Name),
		HTTP: dr, ResponseHeader: http.Header{}, emu: e,
	}
	err := h(r.Context(), req, w)
	if errors.Is(err, ErrNotHandled) {
		return false
	}
	ent.Operation, ent.ErrorCode, ent.Account, ent.Region = r.Method, "", account, region
	if err != nil {
		codec, cerr := e.codecs(svc.model, rerr.Protocol)
		if cerr != nil {
			route.WriteError(w, rerr.Protocol, &route.Error{APIError: Errorf("InternalFailure", http.StatusInternalServerError, "%v", cerr)}, meta.RequestID)
			return true
		}
		for k, vs := range req.ResponseHeader {
			w.Header()[k] = vs
		}
		e.writeError(w, codec, unroutedOp(svc.model, r), err, meta, ent)
	}
	return true
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
