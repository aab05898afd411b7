package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Service is one parsed service model (botocore's service-2.json), with every
// shape reference resolved to its *Shape.
type Service struct {
	// Name is the botocore service name ("s3", "elbv2") when the model came
	// from a Loader; Parse leaves it empty.
	Name       string
	Metadata   Metadata
	Operations map[string]*Operation
	Shapes     map[string]*Shape
	Paginators map[string]*Paginator
	Waiters    map[string]*Waiter
	// Resources is boto3's resources-1.json for the service, or nil when boto3
	// has no resource model for it. It is kept raw: session.Resource interprets it.
	Resources json.RawMessage
	// ClientContextParams is the model's top-level clientContextParams
	// (endpoint ruleset parameters a client may configure, e.g. S3's
	// Accelerate).
	ClientContextParams map[string]any

	opOrder []string
}

// Metadata is the "metadata" object of a service model.
type Metadata struct {
	APIVersion          string         `json:"apiVersion"`
	EndpointPrefix      string         `json:"endpointPrefix"`
	GlobalEndpoint      string         `json:"globalEndpoint,omitempty"`
	JSONVersion         string         `json:"jsonVersion,omitempty"`
	Protocol            string         `json:"protocol"`
	Protocols           []string       `json:"protocols,omitempty"`
	ServiceAbbreviation string         `json:"serviceAbbreviation,omitempty"`
	ServiceFullName     string         `json:"serviceFullName,omitempty"`
	ServiceID           string         `json:"serviceId"`
	SignatureVersion    string         `json:"signatureVersion,omitempty"`
	SigningName         string         `json:"signingName,omitempty"`
	TargetPrefix        string         `json:"targetPrefix,omitempty"`
	UID                 string         `json:"uid,omitempty"`
	RIPServiceName      string         `json:"ripServiceName,omitempty"`
	XMLNamespace        string         `json:"xmlNamespace,omitempty"`
	ChecksumFormat      string         `json:"checksumFormat,omitempty"`
	Auth                []string       `json:"auth,omitempty"`
	AWSQueryCompatible  *struct{}      `json:"awsQueryCompatible,omitempty"`
	ProtocolSettings    map[string]any `json:"protocolSettings,omitempty"`
	Extra               map[string]any `json:"-"`
}

// ResolvedSigningName is the name used in the SigV4 credential scope:
// signingName when present, else endpointPrefix (botocore's rule).
func (m Metadata) ResolvedSigningName() string {
	if m.SigningName != "" {
		return m.SigningName
	}
	return m.EndpointPrefix
}

// Operation is one API operation.
type Operation struct {
	Name                 string
	Service              *Service `json:"-"`
	HTTP                 HTTP
	Input                *ShapeRef
	Output               *ShapeRef
	Errors               []*ShapeRef
	Endpoint             *EndpointTrait
	AuthType             string
	Auth                 []string
	HTTPChecksum         *HTTPChecksum
	HTTPChecksumRequired bool
	UnsignedPayload      bool
	Deprecated           bool
	DeprecatedMessage    string
	DeprecatedSince      string
	Idempotent           bool
	ReadOnly             bool
	EndpointDiscovery    map[string]any
	RequestCompression   *RequestCompression
	StaticContextParams  map[string]map[string]any
	// OperationContextParams maps endpoint ruleset parameters to JMESPath
	// paths into the input.
	OperationContextParams map[string]map[string]any
	// EndpointOperation marks the endpoint-discovery operation
	// (DynamoDB's DescribeEndpoints).
	EndpointOperation bool
}

// HTTP is an operation's http trait.
type HTTP struct {
	Method       string `json:"method"`
	RequestURI   string `json:"requestUri"`
	ResponseCode int    `json:"responseCode,omitempty"`
}

// EndpointTrait carries the hostPrefix of an operation ("{Bucket}." or "data.").
type EndpointTrait struct {
	HostPrefix string `json:"hostPrefix"`
}

// HTTPChecksum is the httpChecksum operation trait.
type HTTPChecksum struct {
	RequestChecksumRequired     bool     `json:"requestChecksumRequired,omitempty"`
	RequestAlgorithmMember      string   `json:"requestAlgorithmMember,omitempty"`
	RequestValidationModeMember string   `json:"requestValidationModeMember,omitempty"`
	ResponseAlgorithms          []string `json:"responseAlgorithms,omitempty"`
}

// RequestCompression is the requestcompression operation trait.
type RequestCompression struct {
	Encodings []string `json:"encodings"`
}

// XMLNamespace is the xmlNamespace trait: {"prefix": "xsi", "uri": "..."}.
// In service models it may also be a bare string (the uri).
type XMLNamespace struct {
	Prefix string `json:"prefix,omitempty"`
	URI    string `json:"uri"`
}

// UnmarshalJSON accepts both the object and the bare-string form.
func (x *XMLNamespace) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &x.URI)
	}
	type plain XMLNamespace
	return json.Unmarshal(b, (*plain)(x))
}

// ShapeRef is a reference to a shape from a member, a list member, a map key or
// value, or an operation's input/output/error. Traits may sit on the reference or
// on the shape; the accessor methods look at both, reference first.
type ShapeRef struct {
	ShapeName         string         `json:"shape"`
	Shape             *Shape         `json:"-"`
	Location          string         `json:"location,omitempty"` // header, headers, uri, querystring, statusCode
	LocationName      string         `json:"locationName,omitempty"`
	QueryName         string         `json:"queryName,omitempty"`
	Flattened         bool           `json:"flattened,omitempty"`
	XMLNamespace      *XMLNamespace  `json:"xmlNamespace,omitempty"`
	XMLAttribute      bool           `json:"xmlAttribute,omitempty"`
	Streaming         bool           `json:"streaming,omitempty"`
	TimestampFormat   string         `json:"timestampFormat,omitempty"`
	JSONValue         bool           `json:"jsonvalue,omitempty"`
	IdempotencyToken  bool           `json:"idempotencyToken,omitempty"`
	HostLabel         bool           `json:"hostLabel,omitempty"`
	EventPayload      bool           `json:"eventpayload,omitempty"`
	Deprecated        bool           `json:"deprecated,omitempty"`
	DeprecatedMessage string         `json:"deprecatedMessage,omitempty"`
	DeprecatedSince   string         `json:"deprecatedSince,omitempty"`
	Box               bool           `json:"box,omitempty"`
	ContextParam      map[string]any `json:"contextParam,omitempty"`
	ResultWrapper     string         `json:"resultWrapper,omitempty"` // operation output refs (query protocol)
	Wrapper           bool           `json:"wrapper,omitempty"`
}

// Shape is a named shape of the model.
type Shape struct {
	Name string `json:"-"`
	Type string `json:"type"` // structure list map string integer long float double boolean timestamp blob byte short bigInteger bigDecimal
	// Members of a structure, by member name; MemberNames keeps model order,
	// which the XML and query protocols serialize in.
	Members     map[string]*ShapeRef `json:"-"`
	MemberNames []string             `json:"-"`
	Member      *ShapeRef            `json:"member,omitempty"` // list
	Key         *ShapeRef            `json:"key,omitempty"`    // map
	Value       *ShapeRef            `json:"value,omitempty"`  // map

	Required          []string       `json:"required,omitempty"`
	Payload           string         `json:"payload,omitempty"`
	Flattened         bool           `json:"flattened,omitempty"`
	LocationName      string         `json:"locationName,omitempty"`
	XMLNamespace      *XMLNamespace  `json:"xmlNamespace,omitempty"`
	XMLOrder          []string       `json:"xmlOrder,omitempty"`
	Min               *float64       `json:"min,omitempty"`
	Max               *float64       `json:"max,omitempty"`
	Pattern           string         `json:"pattern,omitempty"`
	Enum              []string       `json:"enum,omitempty"`
	Streaming         bool           `json:"streaming,omitempty"`
	RequiresLength    bool           `json:"requiresLength,omitempty"`
	TimestampFormat   string         `json:"timestampFormat,omitempty"`
	Sensitive         bool           `json:"sensitive,omitempty"`
	Exception         bool           `json:"exception,omitempty"`
	Fault             bool           `json:"fault,omitempty"`
	Error             *ErrorTrait    `json:"error,omitempty"`
	Document          bool           `json:"document,omitempty"`
	Union             bool           `json:"union,omitempty"`
	EventStream       bool           `json:"eventstream,omitempty"`
	Event             bool           `json:"event,omitempty"`
	Wrapper           bool           `json:"wrapper,omitempty"`
	Box               bool           `json:"box,omitempty"`
	Sparse            bool           `json:"sparse,omitempty"`
	Deprecated        bool           `json:"deprecated,omitempty"`
	DeprecatedMessage string         `json:"deprecatedMessage,omitempty"`
	DeprecatedSince   string         `json:"deprecatedSince,omitempty"`
	Retryable         map[string]any `json:"retryable,omitempty"`
	Synthetic         bool           `json:"synthetic,omitempty"`

	required map[string]bool
}

// ErrorTrait is the "error" trait of an exception shape.
type ErrorTrait struct {
	Code           string `json:"code,omitempty"`
	HTTPStatusCode int    `json:"httpStatusCode,omitempty"`
	SenderFault    bool   `json:"senderFault,omitempty"`
}

// IsRequired reports whether member name is in the structure's required list.
func (s *Shape) IsRequired(name string) bool { return s.required[name] }

// ErrorCode is the code AWS puts on the wire for an exception shape: the error
// trait's code when given, else the shape name.
func (s *Shape) ErrorCode() string {
	if s.Error != nil && s.Error.Code != "" {
		return s.Error.Code
	}
	return s.Name
}

// ErrorStatus is the HTTP status of an exception shape (400 when unmodeled,
// 500 for faults without a status).
func (s *Shape) ErrorStatus() int {
	if s.Error != nil && s.Error.HTTPStatusCode != 0 {
		return s.Error.HTTPStatusCode
	}
	if s.Fault {
		return 500
	}
	return 400
}

// Paginator is one entry of paginators-1.json. InputToken, OutputToken and
// ResultKey may be a string or a list of strings in the file; here they are
// always lists.
type Paginator struct {
	InputToken       []string `json:"-"`
	OutputToken      []string `json:"-"`
	LimitKey         string   `json:"limit_key,omitempty"`
	MoreResults      string   `json:"more_results,omitempty"`
	ResultKey        []string `json:"-"`
	NonAggregateKeys []string `json:"non_aggregate_keys,omitempty"`
}

// Waiter is one entry of waiters-2.json.
type Waiter struct {
	Delay       int        `json:"delay"`
	MaxAttempts int        `json:"maxAttempts"`
	Operation   string     `json:"operation"`
	Description string     `json:"description,omitempty"`
	Acceptors   []Acceptor `json:"acceptors"`
}

// Acceptor is a waiter acceptor: matcher is path, pathAll, pathAny, status or error.
type Acceptor struct {
	Matcher  string `json:"matcher"`
	Expected any    `json:"expected"`
	State    string `json:"state"` // success, failure, retry
	Argument string `json:"argument,omitempty"`
}

// OperationNames returns the operation names in model order.
func (s *Service) OperationNames() []string { return append([]string(nil), s.opOrder...) }

// Operation returns the named operation. It accepts the model name
// ("PutObject") and boto3's snake_case name ("put_object").
func (s *Service) Operation(name string) (*Operation, bool) {
	if op, ok := s.Operations[name]; ok {
		return op, true
	}
	for _, n := range s.opOrder {
		if XFormName(n) == name {
			return s.Operations[n], true
		}
	}
	return nil, false
}

// ErrorShape returns the exception shape with the given wire code, searching
// every shape marked exception.
func (s *Service) ErrorShape(code string) (*Shape, bool) {
	if sh, ok := s.Shapes[code]; ok && sh.Exception {
		return sh, true
	}
	for _, sh := range s.Shapes {
		if sh.Exception && sh.ErrorCode() == code {
			return sh, true
		}
	}
	return nil, false
}

// Parse decodes a service-2.json document. Shape references are resolved;
// a reference to a shape that does not exist is an error.
func Parse(data []byte) (*Service, error) {
	var raw struct {
		Metadata            json.RawMessage            `json:"metadata"`
		ClientContextParams map[string]any             `json:"clientContextParams"`
		Operations          map[string]json.RawMessage `json:"operations"`
		Shapes              map[string]json.RawMessage `json:"shapes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decode service model: %w", err)
	}
	if raw.Metadata == nil {
		return nil, fmt.Errorf("service model has no metadata")
	}
	svc := &Service{Operations: map[string]*Operation{}, Shapes: map[string]*Shape{}, ClientContextParams: raw.ClientContextParams}
	if err := json.Unmarshal(raw.Metadata, &svc.Metadata); err != nil {
		return nil, fmt.Errorf("decode metadata: %w", err)
	}
	for name, b := range raw.Shapes {
		sh, err := parseShape(name, b)
		if err != nil {
			return nil, err
		}
		svc.Shapes[name] = sh
	}
	opOrder, err := objectKeys(data, "operations")
	if err != nil {
		return nil, err
	}
	for name, b := range raw.Operations {
		op, err := parseOperation(name, b)
		if err != nil {
			return nil, err
		}
		op.Service = svc
		svc.Operations[name] = op
	}
	svc.opOrder = opOrder
	if len(svc.opOrder) != len(svc.Operations) {
		svc.opOrder = svc.opOrder[:0]
		for n := range svc.Operations {
			svc.opOrder = append(svc.opOrder, n)
		}
		sort.Strings(svc.opOrder)
	}
	if err := svc.resolve(); err != nil {
		return nil, err
	}
	return svc, nil
}

func (svc *Service) resolve() error {
	var res func(where string, r *ShapeRef) error
	res = func(where string, r *ShapeRef) error {
		if r == nil {
			return nil
		}
		sh, ok := svc.Shapes[r.ShapeName]
		if !ok {
			return fmt.Errorf("%s refers to unknown shape %q", where, r.ShapeName)
		}
		r.Shape = sh
		return nil
	}
	for name, sh := range svc.Shapes {
		for _, m := range sh.MemberNames {
			if err := res("shape "+name+" member "+m, sh.Members[m]); err != nil {
				return err
			}
		}
		for _, r := range []*ShapeRef{sh.Member, sh.Key, sh.Value} {
			if err := res("shape "+name, r); err != nil {
				return err
			}
		}
		switch sh.Type {
		case "list":
			if sh.Member == nil {
				return fmt.Errorf("list shape %s has no member", name)
			}
		case "map":
			if sh.Key == nil || sh.Value == nil {
				return fmt.Errorf("map shape %s has no key or value", name)
			}
		}
	}
	for name, op := range svc.Operations {
		if err := res("operation "+name+" input", op.Input); err != nil {
			return err
		}
		if err := res("operation "+name+" output", op.Output); err != nil {
			return err
		}
		for _, e := range op.Errors {
			if err := res("operation "+name+" error", e); err != nil {
				return err
			}
		}
	}
	return nil
}

func parseOperation(name string, b []byte) (*Operation, error) {
	var o struct {
		Name                   string                    `json:"name"`
		HTTP                   HTTP                      `json:"http"`
		Input                  *ShapeRef                 `json:"input"`
		Output                 *ShapeRef                 `json:"output"`
		Errors                 []*ShapeRef               `json:"errors"`
		Endpoint               *EndpointTrait            `json:"endpoint"`
		AuthType               string                    `json:"authtype"`
		Auth                   []string                  `json:"auth"`
		HTTPChecksum           *HTTPChecksum             `json:"httpChecksum"`
		HTTPChecksumRequired   bool                      `json:"httpChecksumRequired"`
		UnsignedPayload        bool                      `json:"unsignedPayload"`
		Deprecated             bool                      `json:"deprecated"`
		DeprecatedMessage      string                    `json:"deprecatedMessage"`
		Idempotent             bool                      `json:"idempotent"`
		ReadOnly               bool                      `json:"readonly"`
		EndpointDiscovery      map[string]any            `json:"endpointdiscovery"`
		RequestCompression     *RequestCompression       `json:"requestcompression"`
		StaticContextParams    map[string]map[string]any `json:"staticContextParams"`
		DeprecatedSince        string                    `json:"deprecatedSince"`
		OperationContextParams map[string]map[string]any `json:"operationContextParams"`
		EndpointOperation      bool                      `json:"endpointoperation"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("decode operation %s: %w", name, err)
	}
	if o.Name == "" {
		o.Name = name
	}
	return &Operation{
		Name: o.Name, HTTP: o.HTTP, Input: o.Input, Output: o.Output, Errors: o.Errors,
		Endpoint: o.Endpoint, AuthType: o.AuthType, Auth: o.Auth, HTTPChecksum: o.HTTPChecksum,
		HTTPChecksumRequired: o.HTTPChecksumRequired, UnsignedPayload: o.UnsignedPayload,
		Deprecated: o.Deprecated, DeprecatedMessage: o.DeprecatedMessage, Idempotent: o.Idempotent,
		ReadOnly: o.ReadOnly, EndpointDiscovery: o.EndpointDiscovery,
		RequestCompression: o.RequestCompression, StaticContextParams: o.StaticContextParams,
		DeprecatedSince: o.DeprecatedSince, OperationContextParams: o.OperationContextParams,
		EndpointOperation: o.EndpointOperation,
	}, nil
}

func parseShape(name string, b []byte) (*Shape, error) {
	sh := &Shape{Name: name}
	if err := json.Unmarshal(b, sh); err != nil {
		return nil, fmt.Errorf("decode shape %s: %w", name, err)
	}
	if sh.Type == "" {
		return nil, fmt.Errorf("shape %s has no type", name)
	}
	var m struct {
		Members map[string]*ShapeRef `json:"members"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode shape %s members: %w", name, err)
	}
	if len(m.Members) > 0 {
		order, err := objectKeys(b, "members")
		if err != nil {
			return nil, fmt.Errorf("shape %s: %w", name, err)
		}
		sh.Members = m.Members
		sh.MemberNames = order
	} else if sh.Type == "structure" {
		sh.Members = map[string]*ShapeRef{}
	}
	for n, r := range sh.Members {
		if r == nil {
			return nil, fmt.Errorf("shape %s member %s is null", name, n)
		}
	}
	sh.required = make(map[string]bool, len(sh.Required))
	for _, r := range sh.Required {
		sh.required[r] = true
	}
	return sh, nil
}

// objectKeys returns, in document order, the keys of the object stored under
// key in the top-level object doc.
func objectKeys(doc []byte, key string) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("expected an object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := tok.(string)
		if k != key {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
			continue
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, err
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return nil, fmt.Errorf("%s is not an object", key)
		}
		var keys []string
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			name, _ := tok.(string)
			keys = append(keys, name)
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
		return keys, nil
	}
	return nil, nil
}
