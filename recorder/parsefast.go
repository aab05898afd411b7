package recorder

import (
	"net/http"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// Reading a cassette walks the yaml.Node tree by hand for the shapes this
// package writes (plain strings, decimal ints, RFC 3339 times, header lists)
// and leaves anything else to yaml.v3's reflective Node.Decode, which is
// several times slower on a large cassette but knows every YAML form. Both
// paths fill the same wireInteraction.

// decodeWireInteraction fills wi from a mapping node.
func decodeWireInteraction(item *yaml.Node, wi *wireInteraction) error {
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i].Value, item.Content[i+1]
		var err error
		switch k {
		case "id":
			err = nodeInt(v, &wi.ID)
		case "service":
			err = nodeString(v, &wi.Service)
		case "operation":
			err = nodeString(v, &wi.Operation)
		case "region":
			err = nodeString(v, &wi.Region)
		case "params":
			err = v.Decode(&wi.Params)
		case "recorded_at":
			err = nodeTime(v, &wi.RecordedAt)
		case "duration":
			err = nodeString(v, &wi.Duration)
		case "request":
			err = decodeWireRequest(v, &wi.Request)
		case "response":
			if isNull(v) {
				wi.Response = nil
				continue
			}
			wi.Response = &wireResponse{}
			err = decodeWireResponse(v, wi.Response)
		case "error":
			err = nodeString(v, &wi.Error)
		case "waiter":
			err = nodeString(v, &wi.Waiter)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func decodeWireRequest(n *yaml.Node, w *wireRequest) error {
	if n.Kind != yaml.MappingNode {
		return n.Decode(w)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		var err error
		switch k {
		case "method":
			err = nodeString(v, &w.Method)
		case "url":
			err = nodeString(v, &w.URL)
		case "headers":
			err = nodeHeader(v, &w.Headers)
		default:
			err = decodeWireBodyField(k, v, &w.wireBody)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func decodeWireResponse(n *yaml.Node, w *wireResponse) error {
	if n.Kind != yaml.MappingNode {
		return n.Decode(w)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		var err error
		switch k {
		case "status":
			err = nodeInt(v, &w.Status)
		case "headers":
			err = nodeHeader(v, &w.Headers)
		default:
			err = decodeWireBodyField(k, v, &w.wireBody)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func decodeWireBodyField(k string, v *yaml.Node, w *wireBody) error {
	switch k {
	case "body":
		return nodeString(v, &w.Body)
	case "body_encoding":
		return nodeString(v, &w.Encoding)
	case "body_file":
		return nodeString(v, &w.File)
	case "body_size":
		return nodeInt(v, &w.Size)
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func nodeString(n *yaml.Node, out *string) error {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		*out = n.Value
		return nil
	}
	return n.Decode(out)
}

func nodeInt(n *yaml.Node, out *int) error {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			*out = v
			return nil
		}
	}
	return n.Decode(out)
}

func nodeTime(n *yaml.Node, out *time.Time) error {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!timestamp" {
		if t, err := time.Parse(time.RFC3339Nano, n.Value); err == nil {
			*out = t
			return nil
		}
	}
	return n.Decode(out)
}

func nodeHeader(n *yaml.Node, out *http.Header) error {
	if n.Kind != yaml.MappingNode {
		return n.Decode(out)
	}
	h := make(http.Header, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind != yaml.ScalarNode || kn.ShortTag() != "!!str" || vn.Kind != yaml.SequenceNode {
			return n.Decode(out)
		}
		vs := make([]string, len(vn.Content))
		for j, e := range vn.Content {
			if e.Kind != yaml.ScalarNode || e.ShortTag() != "!!str" {
				return n.Decode(out)
			}
			vs[j] = e.Value
		}
		h[kn.Value] = vs
	}
	*out = h
	return nil
}
