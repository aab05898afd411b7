package session

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fakecloud/fakecloud/internal/model"
)

// Event is what a handler receives. Which fields are set depends on the
// event (item numbers are the checklist's):
//
//	provide-client-params, before-parameter-build  Params (mutable), Model, Context (5.12)
//	before-call                                    Params, Request (serialised, unsigned), Model, Context (5.13)
//	request-created, before-sign                   Request (mutable), SigningName, RegionName (5.14, 5.16)
//	choose-signer                                  SignatureVersion, SigningName, RegionName (5.15)
//	before-send                                    Request (final, signed) (5.17)
//	response-received, needs-retry                 Response, Parsed, Err, Attempts (5.18)
//	after-call                                     Response, Parsed, Model, Context (5.19)
//	after-call-error                               Err, Context (5.20)
//	choose-service-name                            ServiceName (a string result renames it) (5.11)
//	creating-client-class.<svc>                    Client (built, not yet returned) (5.11)
//	creating-resource-class.<svc>.<Type>           Client, ResourceType (5.11)
type Event struct {
	// Name is the full event name: "before-call.dynamodb.ListTables".
	Name string
	// Service is the service's event name (hyphenated service id) and
	// Operation the CamelCase operation name.
	Service   string
	Operation string

	Model    *model.Operation
	Params   map[string]any
	Request  *http.Request
	Response *http.Response
	Parsed   map[string]any
	Err      error
	// Attempts is the number of attempts made so far (needs-retry).
	Attempts int

	SignatureVersion string
	SigningName      string
	RegionName       string

	// Context is shared by every event of one call.
	Context map[string]any

	// ServiceName, Client and ResourceType are set by the client- and
	// resource-creation events. botocore hands creating-client-class the
	// class attributes and base classes to extend; Go has no classes, so the
	// handler gets the new client itself and extends it by registering on
	// Client.Events() (what botocore's customisations mostly do).
	ServiceName  string
	Client       *Client
	ResourceType string
}

// Handler handles an event. A non-nil result is the handler's response:
// the value of a short-circuit (before-call: *Output or error response;
// before-send: *http.Response; choose-signer: a signature version string;
// needs-retry: a time.Duration to sleep before retrying). An error aborts the
// call and reaches the caller unchanged (5.07).
type Handler func(ctx context.Context, e *Event) (any, error)

// RegisterOption tunes a registration.
type RegisterOption func(*registration)

// UniqueID names a registration: a second registration with the same id is
// ignored (5.05), and Unregister takes the id.
func UniqueID(id string) RegisterOption { return func(r *registration) { r.id = id; r.named = true } }

// UniqueIDUsesCount makes a UniqueID reference-counted: each registration
// adds one, each Unregister removes one, the handler goes with the last.
func UniqueIDUsesCount() RegisterOption { return func(r *registration) { r.counted = true } }

type registration struct {
	id      string
	named   bool
	counted bool
	count   int
	h       Handler
}

const (
	posFirst = iota
	posMiddle
	posLast
)

type node struct {
	children map[string]*node
	lists    [3][]*registration
}

// Events is botocore's hierarchical event emitter: handlers are registered on
// dotted names whose prefixes and "*" wildcards (one segment) match the
// emitted names (5.02), called most specific first and, at one name,
// RegisterFirst, Register, RegisterLast (5.03). It is safe for concurrent use.
type Events struct {
	mu     sync.RWMutex
	root   *node
	byID   map[string]*registration
	events map[string]string // id -> event name
}

var handlerSeq atomic.Int64

// NewEvents returns an empty emitter.
func NewEvents() *Events {
	return &Events{root: &node{}, byID: map[string]*registration{}, events: map[string]string{}}
}

// Register adds h for event and returns its id (the UniqueID, or a generated one).
func (e *Events) Register(event string, h Handler, opts ...RegisterOption) (string, error) {
	return e.register(event, h, posMiddle, opts)
}

// RegisterFirst adds h before the handlers registered with Register at the same name.
func (e *Events) RegisterFirst(event string, h Handler, opts ...RegisterOption) (string, error) {
	return e.register(event, h, posFirst, opts)
}

// RegisterLast adds h after the handlers registered with Register at the same name.
func (e *Events) RegisterLast(event string, h Handler, opts ...RegisterOption) (string, error) {
	return e.register(event, h, posLast, opts)
}

func (e *Events) register(event string, h Handler, pos int, opts []RegisterOption) (string, error) {
	event = aliasEventName(event)
	if h == nil {
		return "", fmt.Errorf("session: nil handler for event %q", event)
	}
	r := &registration{h: h, count: 1}
	for _, o := range opts {
		o(r)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !r.named {
		r.id = fmt.Sprintf("handler-%d", handlerSeq.Add(1))
	} else if old, ok := e.byID[r.id]; ok {
		if old.counted != r.counted {
			return "", fmt.Errorf("Unique ID %s was specified to use a counter. Subsequent register calls to unique id must specify use of a counter as well.", r.id)
		}
		if old.counted {
			old.count++
		}
		return r.id, nil
	}
	n := e.root
	for _, part := range strings.Split(event, ".") {
		if n.children == nil {
			n.children = map[string]*node{}
		}
		c, ok := n.children[part]
		if !ok {
			c = &node{}
			n.children[part] = c
		}
		n = c
	}
	n.lists[pos] = append(n.lists[pos], r)
	e.byID[r.id] = r
	e.events[r.id] = event
	return r.id, nil
}

// Unregister removes the handler with id (the one Register returned) from
// event. A counted UniqueID is removed when its count reaches zero.
func (e *Events) Unregister(event, id string) {
	event = aliasEventName(event)
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.byID[id]
	if !ok || e.events[id] != event {
		return
	}
	if r.counted {
		r.count--
		if r.count > 0 {
			return
		}
	}
	delete(e.byID, id)
	delete(e.events, id)
	n := e.root
	for _, part := range strings.Split(event, ".") {
		n = n.children[part]
		if n == nil {
			return
		}
	}
	for p := range n.lists {
		l := n.lists[p]
		for i, x := range l {
			if x == r {
				n.lists[p] = append(l[:i:i], l[i+1:]...)
				break
			}
		}
	}
}

// handlers returns the handlers for an emitted name in botocore's order:
// a depth-first walk preferring the exact segment over "*", each visited
// node's handlers put in front of those collected so far.
func (e *Events) handlers(name string) []Handler {
	e.mu.RLock()
	defer e.mu.RUnlock()
	parts := strings.Split(name, ".")
	type frame struct {
		n *node
		i int
	}
	var collected []Handler
	stack := []frame{{e.root, 0}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		var here []Handler
		for _, l := range f.n.lists {
			for _, r := range l {
				here = append(here, r.h)
			}
		}
		if len(here) > 0 {
			collected = append(here, collected...)
		}
		if f.i < len(parts) && f.n.children != nil {
			if w := f.n.children["*"]; w != nil {
				stack = append(stack, frame{w, f.i + 1})
			}
			if d := f.n.children[parts[f.i]]; d != nil {
				stack = append(stack, frame{d, f.i + 1})
			}
		}
	}
	return collected
}

// Emit calls every handler for ev.Name and returns their non-nil responses
// in call order (botocore's emit). A handler error stops it.
func (e *Events) Emit(ctx context.Context, ev *Event) ([]any, error) {
	var out []any
	for _, h := range e.handlers(ev.Name) {
		v, err := h(ctx, ev)
		if err != nil {
			return out, err
		}
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// EmitUntilResponse calls handlers until one returns a non-nil response
// and returns it (botocore's emit_until_response).
func (e *Events) EmitUntilResponse(ctx context.Context, ev *Event) (any, error) {
	for _, h := range e.handlers(ev.Name) {
		v, err := h(ctx, ev)
		if err != nil {
			return nil, err
		}
		if v != nil {
			return v, nil
		}
	}
	return nil, nil
}

// clone copies the emitter: a client gets a copy of its session's handlers
// at creation, so later registrations on either side stay apart (5.09).
func (e *Events) clone() *Events {
	e.mu.RLock()
	defer e.mu.RUnlock()
	c := NewEvents()
	regs := map[*registration]*registration{}
	var walk func(src, dst *node)
	walk = func(src, dst *node) {
		for p, l := range src.lists {
			for _, r := range l {
				cp := *r
				regs[r] = &cp
				dst.lists[p] = append(dst.lists[p], &cp)
			}
		}
		for k, ch := range src.children {
			if dst.children == nil {
				dst.children = map[string]*node{}
			}
			d := &node{}
			dst.children[k] = d
			walk(ch, d)
		}
	}
	walk(e.root, c.root)
	for id, r := range e.byID {
		c.byID[id] = regs[r]
		c.events[id] = e.events[id]
	}
	return c
}

// serviceEventName is botocore's hyphenized service id: "DynamoDB" ->
// "dynamodb", "Elastic Load Balancing v2" -> "elastic-load-balancing-v2" (5.01).
func serviceEventName(svc *model.Service) string {
	id := svc.Metadata.ServiceID
	if id == "" {
		id = svc.Name
	}
	return strings.ReplaceAll(strings.ToLower(id), " ", "-")
}

// eventAliases is botocore's EVENT_ALIASES (botocore 1.29.27, in its dict
// order, which decides between overlapping entries): legacy endpoint-prefix
// names in a registered event name are rewritten to the service's event name
// (5.08), so "before-call.elbv2" reaches elastic-load-balancing-v2 clients
// and "before-call.elasticloadbalancing" reaches only classic ELB ones.
var eventAliases = [][2]string{
	{"api.mediatailor", "mediatailor"},
	{"api.pricing", "pricing"},
	{"api.sagemaker", "sagemaker"},
	{"apigateway", "api-gateway"},
	{"application-autoscaling", "application-auto-scaling"},
	{"appstream2", "appstream"},
	{"autoscaling", "auto-scaling"},
	{"autoscaling-plans", "auto-scaling-plans"},
	{"ce", "cost-explorer"},
	{"cloudhsmv2", "cloudhsm-v2"},
	{"cloudsearchdomain", "cloudsearch-domain"},
	{"cognito-idp", "cognito-identity-provider"},
	{"config", "config-service"},
	{"cur", "cost-and-usage-report-service"},
	{"data.iot", "iot-data-plane"},
	{"data.jobs.iot", "iot-jobs-data-plane"},
	{"data.mediastore", "mediastore-data"},
	{"datapipeline", "data-pipeline"},
	{"devicefarm", "device-farm"},
	{"directconnect", "direct-connect"},
	{"discovery", "application-discovery-service"},
	{"dms", "database-migration-service"},
	{"ds", "directory-service"},
	{"dynamodbstreams", "dynamodb-streams"},
	{"elasticbeanstalk", "elastic-beanstalk"},
	{"elasticfilesystem", "efs"},
	{"elasticloadbalancing", "elastic-load-balancing"},
	{"elasticmapreduce", "emr"},
	{"elb", "elastic-load-balancing"},
	{"elbv2", "elastic-load-balancing-v2"},
	{"email", "ses"},
	{"entitlement.marketplace", "marketplace-entitlement-service"},
	{"es", "elasticsearch-service"},
	{"events", "eventbridge"},
	{"cloudwatch-events", "eventbridge"},
	{"iot-data", "iot-data-plane"},
	{"iot-jobs-data", "iot-jobs-data-plane"},
	{"kinesisanalytics", "kinesis-analytics"},
	{"kinesisvideo", "kinesis-video"},
	{"lex-models", "lex-model-building-service"},
	{"lex-runtime", "lex-runtime-service"},
	{"logs", "cloudwatch-logs"},
	{"machinelearning", "machine-learning"},
	{"marketplace-entitlement", "marketplace-entitlement-service"},
	{"marketplacecommerceanalytics", "marketplace-commerce-analytics"},
	{"metering.marketplace", "marketplace-metering"},
	{"meteringmarketplace", "marketplace-metering"},
	{"mgh", "migration-hub"},
	{"models.lex", "lex-model-building-service"},
	{"monitoring", "cloudwatch"},
	{"mturk-requester", "mturk"},
	{"resourcegroupstaggingapi", "resource-groups-tagging-api"},
	{"route53", "route-53"},
	{"route53domains", "route-53-domains"},
	{"runtime.lex", "lex-runtime-service"},
	{"runtime.sagemaker", "sagemaker-runtime"},
	{"sdb", "simpledb"},
	{"secretsmanager", "secrets-manager"},
	{"serverlessrepo", "serverlessapplicationrepository"},
	{"servicecatalog", "service-catalog"},
	{"states", "sfn"},
	{"stepfunctions", "sfn"},
	{"storagegateway", "storage-gateway"},
	{"streams.dynamodb", "dynamodb-streams"},
	{"tagging", "resource-groups-tagging-api"},
}

// aliasEventName is botocore's EventAliaser._alias_event_name: the first
// alias whose old name is a whole segment (or, for dotted old names, a run
// of segments) of the event name is replaced.
func aliasEventName(name string) string {
	parts := strings.Split(name, ".")
	for _, a := range eventAliases {
		old, repl := a[0], a[1]
		if !strings.Contains(old, ".") {
			for i, p := range parts {
				if p == old {
					parts[i] = repl
					return strings.Join(parts, ".")
				}
			}
			continue
		}
		if !strings.Contains(name, old) {
			continue
		}
		oldParts := strings.Split(old, ".")
		for i := 0; i+len(oldParts) <= len(parts); i++ {
			if strings.Join(parts[i:i+len(oldParts)], ".") == old {
				parts = append(parts[:i:i], append([]string{repl}, parts[i+len(oldParts):]...)...)
				break
			}
		}
		return strings.Join(parts, ".")
	}
	return name
}
