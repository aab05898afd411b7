package model

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Protocol variants are older models of a service that spoke another wire
// protocol. SQS moved from awsQuery to awsJson (it is awsQueryCompatible),
// and the current model lost the query-only traits (flattened lists and
// maps, locationName "SendMessageBatchRequestEntry", "Message", "Attribute"
// ...). Clients built before the move (boto3 < 1.34 / botocore 1.29, AWS CLI
// 2.9) still send and expect those shapes, so a server answering them needs
// the old model. Member names are the same in both models, so decoded values
// are interchangeable.
//
// variants/sqs.query.json.gz: botocore 1.29.27 (Debian python3-botocore
// 1.29.27+repack-1) data/sqs/2012-11-05/service-2.json, Apache-2.0,
// documentation stripped, produced by the go:generate line below.
//
//go:generate go run ./variantgen -in /usr/lib/python3/dist-packages/botocore/data/sqs/2012-11-05/service-2.json -out variants/sqs.query.json.gz
//go:embed variants/*.json.gz
var variantData embed.FS

// ErrNoVariant is returned (wrapped) by LoadProtocolVariant for a service
// and protocol with no embedded variant.
var ErrNoVariant = errors.New("model: no protocol variant")

type variantCall struct {
	once sync.Once
	svc  *Service
	err  error
}

var variants sync.Map // "service.protocol" -> *variantCall

// LoadProtocolVariant returns the embedded model of service as it was when
// it spoke protocol ("query" for "sqs"): the model a client of that era
// uses. Without one it returns an error wrapping ErrNoVariant. The model is
// decoded once and shared; callers must not modify it.
func LoadProtocolVariant(service, protocol string) (*Service, error) {
	if !validName(service) || !validName(protocol) || strings.Contains(service+protocol, ".") {
		return nil, fmt.Errorf("%w for %q over %q", ErrNoVariant, service, protocol)
	}
	key := service + "." + protocol
	if _, err := variantData.Open(variantFile(key)); err != nil {
		return nil, fmt.Errorf("%w for %q over %q", ErrNoVariant, service, protocol)
	}
	v, _ := variants.LoadOrStore(key, &variantCall{})
	c := v.(*variantCall)
	c.once.Do(func() { c.svc, c.err = decodeVariant(service, key) })
	return c.svc, c.err
}

// ProtocolVariants lists the embedded variants as "service.protocol", sorted.
func ProtocolVariants() []string {
	ents, _ := variantData.ReadDir("variants")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".json.gz"))
	}
	sort.Strings(out)
	return out
}

func variantFile(key string) string { return "variants/" + key + ".json.gz" }

func decodeVariant(service, key string) (*Service, error) {
	file := variantFile(key)
	gz, err := variantData.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", file, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", file, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", file, err)
	}
	svc, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", file, err)
	}
	inheritLocationNames(svc)
	svc.Name = service
	svc.Paginators = map[string]*Paginator{}
	svc.Waiters = map[string]*Waiter{}
	return svc, nil
}

// inheritLocationNames gives every member reference without a locationName
// the one of its shape, as botocore resolves a ShapeRef (the shape's
// serialization traits under the reference's). The old query models rely on
// it: TagQueueRequest.Tags names no location, its TagMap shape says "Tag",
// so boto3 1.26 sends Tag.1.Key; the codecs read traits from references.
func inheritLocationNames(svc *Service) {
	inherit := func(r *ShapeRef) {
		if r != nil && r.LocationName == "" && r.Shape != nil && r.Shape.LocationName != "" {
			r.LocationName = r.Shape.LocationName
		}
	}
	for _, sh := range svc.Shapes {
		for _, r := range sh.Members {
			inherit(r)
		}
		inherit(sh.Member)
		inherit(sh.Key)
		inherit(sh.Value)
	}
}
