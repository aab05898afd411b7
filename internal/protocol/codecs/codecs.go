// Package codecs picks the protocol.Codec for a service model.
//
// A model lists the protocols it speaks in metadata.protocols, preferred
// first (newer botocore models may list "smithy-rpc-v2-cbor" before "json");
// For takes the first one fakecloud implements, falling back to
// metadata.protocol, as botocore does.
package codecs

import (
	"fmt"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/ec2"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
	"github.com/fakecloud/fakecloud/internal/protocol/query"
	"github.com/fakecloud/fakecloud/internal/protocol/restjson"
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
)

// ByName returns the codec for a botocore protocol name ("json",
// "rest-json", ...). Codecs are stateless, so one value serves every service.
func ByName(name string) (protocol.Codec, error) {
	switch name {
	case "json":
		return jsonrpc.New(), nil
	case "rest-json":
		return restjson.New(), nil
	case "query":
		return query.New(), nil
	case "ec2":
		return ec2.New(), nil
	case "rest-xml":
		return restxml.New(), nil
	default:
		return nil, fmt.Errorf("codecs: unsupported protocol %q", name)
	}
}

// For returns the codec for svc: the first supported entry of
// metadata.protocols, else metadata.protocol.
func For(svc *model.Service) (protocol.Codec, error) {
	for _, p := range svc.Metadata.Protocols {
		if c, err := ByName(p); err == nil {
			return c, nil
		}
	}
	c, err := ByName(svc.Metadata.Protocol)
	if err != nil {
		return nil, fmt.Errorf("codecs: service %s: no supported protocol in %v / %q", svc.Metadata.ServiceID, svc.Metadata.Protocols, svc.Metadata.Protocol)
	}
	return c, nil
}
