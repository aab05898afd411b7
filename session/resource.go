package session

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"sort"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/internal/model"
)

// Resource models (boto3's resources-1.json, 6.14).
type resDoc struct {
	Service   resDef            `json:"service"`
	Resources map[string]resDef `json:"resources"`
}

type resDef struct {
	Identifiers []struct {
		Name       string `json:"name"`
		MemberName string `json:"memberName"`
	} `json:"identifiers"`
	Shape string `json:"shape"`
	Load  *struct {
		Request resRequest `json:"request"`
		Path    string     `json:"path"`
	} `json:"load"`
	Actions map[string]resAction `json:"actions"`
	Has     map[string]resAction `json:"has"`
	HasMany map[string]resAction `json:"hasMany"`
	Waiters map[string]resWaiter `json:"waiters"`
	Batch   map[string]resAction `json:"batchActions"`
}

type resRequest struct {
	Operation string     `json:"operation"`
	Params    []resParam `json:"params"`
}

type resParam struct {
	Target string `json:"target"`
	Source string `json:"source"`
	Name   string `json:"name"`
	Path   string `json:"path"`
	Value  any    `json:"value"`
}

type resAction struct {
	Request  *resRequest `json:"request"`
	Resource *struct {
		Type        string     `json:"type"`
		Identifiers []resParam `json:"identifiers"`
		Path        string     `json:"path"`
	} `json:"resource"`
}

type resWaiter struct {
	WaiterName string     `json:"waiterName"`
	Params     []resParam `json:"params"`
}

// ResourceNotExistsError is boto3's ResourceNotExistsError (1.44).
type ResourceNotExistsError struct {
	Service   string
	Available []string
	HasClient bool
}

func (e *ResourceNotExistsError) Error() string {
	msg := fmt.Sprintf("The '%s' resource does not exist.\nThe available resources are:\n   - %s\n", e.Service, strings.Join(e.Available, "\n   - "))
	if e.HasClient {
		msg += fmt.Sprintf("\nConsider using a boto3.client('%s') instead of a resource for '%s'", e.Service, e.Service)
	}
	return msg
}

// ServiceResource is boto3's service resource (6.01, 6.02).
type ServiceResource struct {
	c   *Client
	doc *resDoc
}

// Resource is boto3's resource() (1.44): a service resource over a new client.
func (s *Session) Resource(service string, opts ClientOptions) (*ServiceResource, error) {
	svc, err := s.loader.Load(service)
	if err != nil || len(svc.Resources) == 0 {
		return nil, &ResourceNotExistsError{Service: service, Available: s.AvailableResources(), HasClient: err == nil}
	}
	var doc resDoc
	if err := json.Unmarshal(svc.Resources, &doc); err != nil {
		return nil, fmt.Errorf("session: %s resources-1.json: %w", service, err)
	}
	c, err := s.Client(service, opts)
	if err != nil {
		return nil, err
	}
	if service == "dynamodb" {
		registerDynamoDBHighLevel(c)
	}
	sr := &ServiceResource{c: c, doc: &doc}
	if err := sr.emitClass("ServiceResource"); err != nil {
		return nil, err
	}
	return sr, nil
}

// emitClass emits boto3's creating-resource-class.<svc>.<Type> (5.11). boto3
// builds a class per resource it makes; here it fires per resource built.
func (sr *ServiceResource) emitClass(typ string) error {
	_, err := sr.c.sess.events.Emit(context.Background(), &Event{Name: "creating-resource-class." + sr.c.evName + "." + typ,
		Service: sr.c.evName, ServiceName: sr.c.meta.ServiceName, Client: sr.c, ResourceType: typ})
	return err
}

// Client is resource.meta.client (6.01).
func (sr *ServiceResource) Client() *Client { return sr.c }

// SubResources lists the resource types (get_available_subresources).
func (sr *ServiceResource) SubResources() []string {
	out := make([]string, 0, len(sr.doc.Service.Has))
	for n := range sr.doc.Service.Has {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Resource builds a resource from its identifiers in model order (6.03).
func (sr *ServiceResource) Resource(typ string, ids ...string) (*Resource, error) {
	def, ok := sr.doc.Resources[typ]
	if !ok {
		return nil, fmt.Errorf("session: %s has no resource %q", sr.c.meta.ServiceName, typ)
	}
	r := &Resource{sr: sr, typ: typ, def: def, ids: map[string]string{}}
	for i, id := range def.Identifiers {
		if i >= len(ids) || ids[i] == "" {
			return nil, fmt.Errorf("Required parameter %s not set", model.XFormName(id.Name))
		}
		r.ids[id.Name] = ids[i]
	}
	if err := sr.emitClass(typ); err != nil {
		return nil, err
	}
	return r, nil
}

// Action runs a service-level action ("CreateBucket" or "create_bucket").
func (sr *ServiceResource) Action(ctx context.Context, name string, params Params) (*ActionResult, error) {
	a, ok := findAction(sr.doc.Service.Actions, name)
	if !ok {
		return nil, &UnknownClientMethodError{Method: name}
	}
	return runAction(ctx, sr, nil, a, params)
}

// Collection returns a service-level collection ("Buckets" / "buckets").
func (sr *ServiceResource) Collection(name string) (*Collection, error) {
	a, ok := findAction(sr.doc.Service.HasMany, name)
	if !ok {
		return nil, fmt.Errorf("session: no collection %q", name)
	}
	return &Collection{sr: sr, a: a}, nil
}

func findAction(m map[string]resAction, name string) (resAction, bool) {
	if a, ok := m[name]; ok {
		return a, true
	}
	for n, a := range m {
		if model.XFormName(n) == name {
			return a, true
		}
	}
	return resAction{}, false
}

// Resource is one boto3 resource instance (6.03–6.12).
type Resource struct {
	sr   *ServiceResource
	typ  string
	def  resDef
	ids  map[string]string
	data map[string]any
}

// Type is the resource type name ("Bucket").
func (r *Resource) Type() string { return r.typ }

// Identifier returns an identifier value by model name ("Name", "BucketName").
func (r *Resource) Identifier(name string) string { return r.ids[name] }

// String is boto3's repr: s3.Bucket(name='bkt') (6.04).
func (r *Resource) String() string {
	parts := make([]string, 0, len(r.def.Identifiers))
	for _, id := range r.def.Identifiers {
		parts = append(parts, fmt.Sprintf("%s='%s'", model.XFormName(id.Name), r.ids[id.Name]))
	}
	return fmt.Sprintf("%s.%s(%s)", r.sr.c.meta.ServiceName, r.typ, strings.Join(parts, ", "))
}

// Data is the loaded attribute data (meta.data), nil before a load.
func (r *Resource) Data() map[string]any { return r.data }

// Load fetches the attributes (6.05, 6.06); S3 buckets load through
// ListBuckets as boto3 injects (6.07).
func (r *Resource) Load(ctx context.Context) error {
	if r.def.Load == nil {
		if r.sr.c.svc.Name == "s3" && r.typ == "Bucket" {
			out, err := r.sr.c.Call(ctx, "ListBuckets", nil)
			if err != nil {
				return err
			}
			r.data = map[string]any{}
			for _, b := range out.List("Buckets") {
				if m, ok := b.(map[string]any); ok && m["Name"] == r.ids["Name"] {
					r.data = m
				}
			}
			return nil
		}
		return fmt.Errorf("%s has no load method", r.typ)
	}
	p, err := buildParams(r.def.Load.Request.Params, r, nil, nil)
	if err != nil {
		return err
	}
	out, err := r.sr.c.Call(ctx, r.def.Load.Request.Operation, p)
	if err != nil {
		return err
	}
	v, _ := jmesSearch(r.def.Load.Path, out.Data)
	m, _ := v.(map[string]any)
	r.data = m
	return nil
}

// Get returns an attribute by member or snake_case name, loading on first
// use (6.05).
func (r *Resource) Get(ctx context.Context, attr string) (any, error) {
	if r.data == nil {
		if err := r.Load(ctx); err != nil {
			return nil, err
		}
	}
	if v, ok := r.data[attr]; ok {
		return v, nil
	}
	for k, v := range r.data {
		if model.XFormName(k) == attr {
			return v, nil
		}
	}
	return nil, nil
}

// Action runs an action with identifiers filled in (6.08).
func (r *Resource) Action(ctx context.Context, name string, params Params) (*ActionResult, error) {
	a, ok := findAction(r.def.Actions, name)
	if !ok {
		return nil, &UnknownClientMethodError{Method: name}
	}
	return runAction(ctx, r.sr, r, a, params)
}

// Has builds a related resource without a request (6.11).
func (r *Resource) Has(name string, ids ...string) (*Resource, error) {
	a, ok := findAction(r.def.Has, name)
	if !ok || a.Resource == nil {
		return nil, fmt.Errorf("session: %s has no sub-resource %q", r.typ, name)
	}
	in := map[string]any{}
	res, err := buildResources(r.sr, r, a, in, nil, ids)
	if err != nil || len(res) == 0 {
		return nil, err
	}
	return res[0], nil
}

// Collection returns one of the resource's collections ("Objects").
func (r *Resource) Collection(name string) (*Collection, error) {
	a, ok := findAction(r.def.HasMany, name)
	if !ok {
		return nil, fmt.Errorf("session: %s has no collection %q", r.typ, name)
	}
	return &Collection{sr: r.sr, parent: r, a: a}, nil
}

// Wait runs a resource waiter ("Exists" / "wait_until_exists", 6.12).
func (r *Resource) Wait(ctx context.Context, name string, cfg WaiterConfig) error {
	name = strings.TrimPrefix(name, "wait_until_")
	var w resWaiter
	found := false
	for n, x := range r.def.Waiters {
		if n == name || model.XFormName(n) == name {
			w, found = x, true
		}
	}
	if !found {
		return fmt.Errorf("Waiter does not exist: %s", name)
	}
	p, err := buildParams(w.Params, r, nil, nil)
	if err != nil {
		return err
	}
	cw, err := r.sr.c.Waiter(w.WaiterName)
	if err != nil {
		return err
	}
	return cw.Wait(ctx, p, cfg)
}

// ActionResult is an action's raw output and the resources it declares.
type ActionResult struct {
	Output    *Output
	Resources []*Resource
}

func runAction(ctx context.Context, sr *ServiceResource, parent *Resource, a resAction, params Params) (*ActionResult, error) {
	if a.Request == nil {
		return nil, fmt.Errorf("session: action without request")
	}
	p, err := buildParams(a.Request.Params, parent, nil, params)
	if err != nil {
		return nil, err
	}
	out, err := sr.c.Call(ctx, a.Request.Operation, p)
	if err != nil {
		return nil, err
	}
	res := &ActionResult{Output: out}
	if a.Resource != nil {
		res.Resources, err = buildResources(sr, parent, a, p, out.Data, nil)
	}
	return res, err
}

// buildParams fills a request's params from identifiers, data and constants
// and merges the caller's params under them.
func buildParams(ps []resParam, r *Resource, resp map[string]any, user Params) (Params, error) {
	p := Params{}
	for k, v := range user {
		p[k] = v
	}
	for _, x := range ps {
		var v any
		switch x.Source {
		case "identifier":
			if r == nil {
				return nil, fmt.Errorf("session: identifier %s without a resource", x.Name)
			}
			v = r.ids[x.Name]
		case "string", "integer", "boolean":
			v = x.Value
		case "data":
			if r != nil {
				v, _ = jmesSearch(x.Path, r.data)
			}
		case "response":
			v, _ = jmesSearch(x.Path, resp)
		default:
			continue
		}
		setTarget(map[string]any(p), x.Target, v)
	}
	return p, nil
}

// setTarget sets a request target path: "Bucket", "Delete.Objects[].Key",
// "Filters[0].Values[0]".
func setTarget(m map[string]any, target string, v any) {
	parts := strings.SplitN(target, ".", 2)
	head := parts[0]
	rest := ""
	if len(parts) == 2 {
		rest = parts[1]
	}
	name, idx := head, ""
	if i := strings.IndexByte(head, '['); i >= 0 {
		name, idx = head[:i], strings.Trim(head[i:], "[]")
	}
	if idx == "" && !strings.Contains(head, "[") {
		if rest == "" {
			m[name] = v
			return
		}
		sub, ok := m[name].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[name] = sub
		}
		setTarget(sub, rest, v)
		return
	}
	l, _ := m[name].([]any)
	n := len(l)
	if idx != "" {
		n, _ = strconv.Atoi(idx)
	}
	for len(l) <= n {
		l = append(l, nil)
	}
	if rest == "" {
		l[n] = v
	} else {
		sub, ok := l[n].(map[string]any)
		if !ok {
			sub = map[string]any{}
		}
		setTarget(sub, rest, v)
		l[n] = sub
	}
	m[name] = l
}

// buildResources makes the resources an action or collection page declares:
// one per list element when an identifier comes from a list (6.08, 6.09).
func buildResources(sr *ServiceResource, parent *Resource, a resAction, req map[string]any, resp map[string]any, input []string) ([]*Resource, error) {
	rd := a.Resource
	def, ok := sr.doc.Resources[rd.Type]
	if !ok {
		return nil, fmt.Errorf("session: unknown resource type %s", rd.Type)
	}
	n := 1
	values := map[string]any{}
	inputIdx := 0
	for _, id := range rd.Identifiers {
		var v any
		switch id.Source {
		case "identifier":
			v = parent.ids[id.Name]
		case "input":
			if inputIdx < len(input) {
				v = input[inputIdx]
			}
			inputIdx++
		case "requestParameter":
			v, _ = jmesSearch(id.Path, req)
		case "response":
			v, _ = jmesSearch(id.Path, resp)
			if v == nil {
				n = 0 // an empty page
			}
		case "string":
			v = id.Value
		}
		if l, ok := v.([]any); ok && n > 0 {
			n = len(l)
		}
		values[id.Target] = v
	}
	var datas []any
	if rd.Path != "" && resp != nil {
		d, _ := jmesSearch(rd.Path, resp)
		if l, ok := d.([]any); ok {
			datas = l
		} else if d != nil {
			datas = []any{d}
		}
	}
	out := make([]*Resource, 0, n)
	for i := 0; i < n; i++ {
		if err := sr.emitClass(rd.Type); err != nil {
			return nil, err
		}
		r := &Resource{sr: sr, typ: rd.Type, def: def, ids: map[string]string{}}
		for _, id := range def.Identifiers {
			v := values[id.Name]
			if l, ok := v.([]any); ok {
				if i < len(l) {
					v = l[i]
				} else {
					v = nil
				}
			}
			s, _ := v.(string)
			if s == "" && v != nil {
				s = fmt.Sprint(v)
			}
			if s == "" {
				return nil, fmt.Errorf("Required parameter %s not set", model.XFormName(id.Name))
			}
			r.ids[id.Name] = s
		}
		if i < len(datas) {
			r.data, _ = datas[i].(map[string]any)
		}
		out = append(out, r)
	}
	return out, nil
}

// Collection is a lazy resource collection (6.09): nothing is sent until
// All is ranged over.
type Collection struct {
	sr       *ServiceResource
	parent   *Resource
	a        resAction
	params   Params
	limit    int
	pageSize int
}

// Filter returns a copy whose requests carry params.
func (c *Collection) Filter(params Params) *Collection {
	cp := *c
	cp.params = Params{}
	for k, v := range c.params {
		cp.params[k] = v
	}
	for k, v := range params {
		cp.params[k] = v
	}
	return &cp
}

// Limit returns a copy that stops after n resources.
func (c *Collection) Limit(n int) *Collection { cp := *c; cp.limit = n; return &cp }

// PageSize returns a copy that asks for n items per request.
func (c *Collection) PageSize(n int) *Collection { cp := *c; cp.pageSize = n; return &cp }

// All iterates the collection's resources, paging through the operation.
func (c *Collection) All(ctx context.Context) iter.Seq2[*Resource, error] {
	return func(yield func(*Resource, error) bool) {
		for page, err := range c.pages(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, r := range page {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}

// pages yields the collection's resources a response page at a time,
// stopping after Limit resources (boto3's ResourceCollection.pages).
func (c *Collection) pages(ctx context.Context) iter.Seq2[[]*Resource, error] {
	return func(yield func([]*Resource, error) bool) {
		p, err := buildParams(c.a.Request.Params, c.parent, nil, c.params)
		if err != nil {
			yield(nil, err)
			return
		}
		client := c.sr.c
		var pages iter.Seq2[*Output, error]
		if client.CanPaginate(c.a.Request.Operation) {
			pg, _ := client.Paginator(c.a.Request.Operation)
			pages = pg.Pages(ctx, p, PaginationConfig{PageSize: c.pageSize}).All()
		} else {
			pages = func(y func(*Output, error) bool) { y(client.Call(ctx, c.a.Request.Operation, p)) }
		}
		count := 0
		for page, err := range pages {
			if err != nil {
				yield(nil, err)
				return
			}
			rs, err := buildResources(c.sr, c.parent, c.a, p, page.Data, nil)
			if err != nil {
				yield(nil, err)
				return
			}
			if c.limit > 0 && count+len(rs) > c.limit {
				rs = rs[:c.limit-count]
			}
			count += len(rs)
			if !yield(rs, nil) || (c.limit > 0 && count >= c.limit) {
				return
			}
		}
	}
}

// BatchActions lists the batch actions of the collection's resource type
// (S3 objects: "Delete"), sorted.
func (c *Collection) BatchActions() []string {
	var names []string
	if c.a.Resource != nil {
		for n := range c.sr.doc.Resources[c.a.Resource.Type].Batch {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// BatchAction runs a batch action (resources-1.json batchActions) as boto3's
// BatchAction does (6.10): once per page of the collection, its request
// params built from every resource of the page — a target "Delete.Objects[*].Key"
// or "Delete.Objects[].Key" takes the i-th resource's value at index i —
// with params merged over them.
// It stops at the first empty page and returns one output per request.
// name is the model name ("Delete") or its snake_case form ("delete").
func (c *Collection) BatchAction(ctx context.Context, name string, params Params) ([]*Output, error) {
	var a resAction
	found := false
	if c.a.Resource != nil {
		for n, x := range c.sr.doc.Resources[c.a.Resource.Type].Batch {
			if n == name || model.XFormName(n) == name {
				a, found = x, true
			}
		}
	}
	if !found || a.Request == nil {
		return nil, fmt.Errorf("session: collection has no batch action %s", name)
	}
	var outs []*Output
	for page, err := range c.pages(ctx) {
		if err != nil {
			return outs, err
		}
		p := Params{}
		for i, r := range page {
			ps := make([]resParam, len(a.Request.Params))
			for j, x := range a.Request.Params {
				// "[*]" is the resource's index; "[]" appends, which
				// for one such target per resource is the same index.
				idx := "[" + strconv.Itoa(i) + "]"
				x.Target = strings.ReplaceAll(strings.ReplaceAll(x.Target, "[*]", idx), "[]", idx)
				ps[j] = x
			}
			rp, err := buildParams(ps, r, nil, nil)
			if err != nil {
				return outs, err
			}
			mergeParams(p, rp)
		}
		if len(p) == 0 {
			break
		}
		for k, v := range params {
			p[k] = v
		}
		out, err := c.sr.c.Call(ctx, a.Request.Operation, p)
		if err != nil {
			return outs, err
		}
		outs = append(outs, out)
	}
	return outs, nil
}

// mergeParams deep-merges src into dst: maps key by key, lists element by
// element (a nil element of src leaves dst's alone).
func mergeParams(dst, src map[string]any) {
	for k, v := range src {
		switch sv := v.(type) {
		case map[string]any:
			if dv, ok := dst[k].(map[string]any); ok {
				mergeParams(dv, sv)
				continue
			}
		case []any:
			if dv, ok := dst[k].([]any); ok {
				for len(dv) < len(sv) {
					dv = append(dv, nil)
				}
				for i, e := range sv {
					if e == nil {
						continue
					}
					if em, ok := e.(map[string]any); ok {
						if dm, ok := dv[i].(map[string]any); ok {
							mergeParams(dm, em)
							continue
						}
					}
					dv[i] = e
				}
				dst[k] = dv
				continue
			}
		}
		dst[k] = v
	}
}
