package emulator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"

	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// Handler implements one operation. It receives the decoded input (values as
// package protocol describes them) and returns the output, or an error.
// An *protocol.APIError (see Errorf) is sent to the client as the service's
// modeled error; any other error becomes a 500 InternalFailure and is logged.
// A nil output with a nil error is an empty output.
type Handler func(ctx context.Context, req *Request) (map[string]any, error)

// ServiceDef registers one emulated service.
type ServiceDef struct {
	// Name is the botocore service name ("s3", "sqs", "dynamodb"): the
	// directory of its model.
	Name string
	// Operations maps model operation names ("CreateQueue") to handlers.
	// Operations of the model missing here answer 501 NotImplemented.
	Operations map[string]Handler
	// State optionally renders the service's state of one namespace for
	// GET /_fakecloud/state (default: the raw store records).
	State func(ctx context.Context, sc *StateContext) (any, error)
	// Credentials, when set, looks up access keys this service issued (the
	// STS emulator's temporary credentials) for signature verification and
	// for the account of requests signed with them.
	Credentials CredentialSourceFunc
	// Model overrides the service model (tests, or services whose model is
	// not in botocore). Nil loads the model named Name.
	Model *model.Service
	// Raw serves, by HTTP method, requests for this service that match no
	// operation of its model: S3's CORS preflight (OPTIONS) and browser
	// POST uploads (multipart/form-data POST to a bucket). The router must
	// have named the service (for S3, its MethodNotAllowed answer does).
	Raw map[string]RawHandler
	// Public serves, by HTTP method, requests to /_fakecloud/<Name>/... that
	// anyone may make: documents AWS publishes openly, such as SNS's
	// message-signing certificate, which a subscriber's message validator
	// fetches from SigningCertURL. Unlike the rest of the control API they
	// need neither a loopback caller nor the control token, so they must
	// reveal nothing secret; and unlike an AWS path they cannot collide
	// with S3's path-style bucket/key space. req.HTTP.URL.Path is the full
	// path, Account and Region the emulator's defaults, Operation nil. The
	// handler writes its answer, or returns an error: an
	// *protocol.APIError's status and message become the control API's JSON
	// error, and ErrNotHandled a 404.
	Public map[string]RawHandler
}

// RawHandler serves a request no model operation describes (see
// ServiceDef.Raw). req.Operation is nil, req.Input empty, and req.HTTP is the
// request itself (path-style path, body unread): the handler reads the body.
// It writes a successful answer to w itself, or returns an error without
// writing anything: an *protocol.APIError is encoded in the service's error
// format as a Handler's would be, and ErrNotHandled answers the router's
// own error (the request was not one the handler serves).
type RawHandler func(ctx context.Context, req *Request, w http.ResponseWriter) error

// ErrNotHandled is what a RawHandler returns for a request it does not serve.
var ErrNotHandled = errors.New("emulator: request not handled")

// StateContext is what a ServiceDef.State function reads.
type StateContext struct {
	Account, Region string
	Store           *store.NS
}

// Request is one call of an operation, as a handler sees it.
type Request struct {
	Operation *model.Operation
	Service   *model.Service
	// Input is the decoded input; never nil (empty for operations without
	// input). A streaming blob member is an io.ReadCloser read from the
	// client as the handler consumes it.
	Input   map[string]any
	Account string // from the access key (a 12-digit key id is the account)
	Region  string // from the SigV4 credential scope
	// AccessKeyID is the caller's access key id ("" for anonymous requests).
	AccessKeyID string
	RequestID   string
	// HostID is S3's x-amz-id-2 for this request ("" for other services).
	HostID string
	Clock  Clock
	IDs    *IDSource
	// Store is the state namespace of Account/Region/Service.
	Store *store.NS
	// HTTP is the raw request, read-only, for the rare operation that needs
	// it (S3 presigned POST, CORS preflight). Its body belongs to the codec.
	HTTP *http.Request
	// ResponseHeader holds extra headers the handler wants on the response.
	ResponseHeader http.Header

	emu     *Emulator
	chunked *sigv4.ChunkedReader
}

// Trailer returns the trailing headers of an aws-chunked upload (S3's
// x-amz-checksum-crc32 and friends sent after the payload), once the
// streaming body member has been read to io.EOF; nil before that and for
// other requests. The emulator has already checked a trailing checksum
// against the payload: a body read to EOF without error matched it, and a
// mismatch is a read error the emulator answers with S3's BadDigest-family
// code, so a handler must not store an object whose body read failed.
func (r *Request) Trailer() http.Header {
	if r.chunked == nil {
		return nil
	}
	return r.chunked.Trailer()
}

// TrailerChecksums returns the trailing checksums of an aws-chunked upload
// by S3 member name ({"ChecksumCRC32": "base64..."}), valid after the body
// was read to io.EOF; nil when there are none. A checksum sent as a header
// instead is already in Input under the same name.
func (r *Request) TrailerChecksums() map[string]string {
	var out map[string]string
	for k, vs := range r.Trailer() {
		alg := sigv4.ChecksumAlgorithm(k)
		if alg == "" || len(vs) == 0 {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out["Checksum"+alg] = vs[0]
	}
	return out
}

// Services is the in-process view of every registered service, for
// cross-service effects (SNS delivering to SQS, S3 event notifications).
// Service packages never import each other; they call through this.
type Services interface {
	// Call invokes another service's operation as if a client in account and
	// region had sent input. Errors are *protocol.APIError as the handler
	// returned them.
	Call(ctx context.Context, account, region, service, operation string, input map[string]any) (map[string]any, error)
	// Store returns the state namespace of another service, for reads that
	// need no operation (for example checking that a queue ARN exists).
	Store(account, region, service string) *store.NS
}

// VerifiesSignatures reports whether the emulator checks signatures
// (Options.VerifySignatures): a handler that verifies a signature of its
// own (S3's POST policy) does so only then.
func (r *Request) VerifiesSignatures() bool { return r.emu != nil && r.emu.opts.VerifySignatures }

// Credentials looks up the credentials of an access key id as signature
// verification does (Options.Credentials, CredentialsLookup, then the
// services' credential sources); ok is false for an unknown key.
func (r *Request) Credentials(ctx context.Context, accessKeyID string) (creds Credentials, ok bool) {
	if r.emu == nil {
		return Credentials{}, false
	}
	return r.emu.lookupCredentials(ctx, accessKeyID)
}

// Services returns the cross-service interface.
func (r *Request) Services() Services { return r.emu }

// Store returns the namespace of a service in an account and region.
func (e *Emulator) Store(account, region, service string) *store.NS {
	return e.db.Namespace(account, region, service)
}

// Errorf returns an AWS error with a wire code, HTTP status and message: the
// value a handler returns for a modeled error ("NoSuchBucket", 404, ...).
func Errorf(code string, status int, format string, args ...any) *protocol.APIError {
	return protocol.NewError(code, status, format, args...)
}

// NotImplemented is the error for an operation fakecloud does not emulate.
func NotImplemented(service, operation string) *protocol.APIError {
	return Errorf("NotImplemented", http.StatusNotImplemented,
		"fakecloud does not implement %s.%s yet", service, operation)
}

var (
	registryMu sync.RWMutex
	registry   = map[string]ServiceDef{}
)

// Register makes a service available to every emulator created afterwards;
// call it from the service package's init. Registering a name twice panics
// (a programming error, like http.Handle).
func Register(def ServiceDef) {
	if def.Name == "" {
		panic("emulator: Register with empty Name")
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[def.Name]; dup {
		panic(fmt.Sprintf("emulator: service %q registered twice", def.Name))
	}
	registry[def.Name] = def
}

// Registered returns the names of the registered services, sorted.
func Registered() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func registered(name string) (ServiceDef, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	d, ok := registry[name]
	return d, ok
}
