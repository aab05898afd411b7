package xmlutil

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// DecodeStruct decodes the members of structure shape sh from the children
// and attributes of n. Members with a location (header, uri, ...) are left
// to the caller; only body members are read.
func DecodeStruct(n *Node, sh *model.Shape) (map[string]any, error) {
	return decodeStruct(n, sh, 0)
}

// Decode decodes element n as a value of ref's shape.
func Decode(n *Node, ref *model.ShapeRef) (any, error) {
	return decodeValue(n, ref, 0)
}

// MemberName is the element name of a structure member in XML: the flattened
// list's member locationName when it has one, else the reference's
// locationName, else the member name.
func MemberName(name string, ref *model.ShapeRef) string {
	if ref.Shape != nil && ref.Shape.Type == "list" && isFlattened(ref) && ref.Shape.Member.LocationName != "" {
		return ref.Shape.Member.LocationName
	}
	if ref.LocationName != "" {
		return ref.LocationName
	}
	return name
}

func isFlattened(ref *model.ShapeRef) bool {
	return ref.Flattened || (ref.Shape != nil && ref.Shape.Flattened)
}

func decodeStruct(n *Node, sh *model.Shape, depth int) (map[string]any, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("xmlutil: value nested deeper than %d", MaxDepth)
	}
	out := map[string]any{}
	if n == nil {
		return out, nil
	}
	for _, name := range sh.MemberNames {
		ref := sh.Members[name]
		if ref.Location != "" {
			continue
		}
		if ref.XMLAttribute {
			an := ref.LocationName
			if an == "" {
				an = name
			}
			if s, ok := n.attr(an); ok {
				v, err := decodeScalar(s, ref)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				out[name] = v
			}
			continue
		}
		ename := MemberName(name, ref)
		if isFlattened(ref) && (ref.Shape.Type == "list" || ref.Shape.Type == "map") {
			nodes := n.ChildrenNamed(ename)
			if len(nodes) == 0 {
				continue
			}
			var (
				v   any
				err error
			)
			if ref.Shape.Type == "list" {
				v, err = decodeListItems(nodes, ref.Shape.Member, depth+1)
			} else {
				v, err = decodeMapEntries(nodes, ref.Shape, depth+1)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			out[name] = v
			continue
		}
		c := n.Child(ename)
		if c == nil {
			continue
		}
		v, err := decodeValue(c, ref, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = v
	}
	return out, nil
}

func decodeValue(n *Node, ref *model.ShapeRef, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("xmlutil: value nested deeper than %d", MaxDepth)
	}
	sh := ref.Shape
	switch sh.Type {
	case "structure":
		return decodeStruct(n, sh, depth)
	case "list":
		if isFlattened(ref) {
			return decodeListItems([]*Node{n}, sh.Member, depth+1)
		}
		return decodeListItems(n.Children, sh.Member, depth+1)
	case "map":
		if isFlattened(ref) {
			return decodeMapEntries([]*Node{n}, sh, depth+1)
		}
		return decodeMapEntries(n.Children, sh, depth+1)
	}
	return decodeScalar(n.Text, ref)
}

func decodeListItems(nodes []*Node, member *model.ShapeRef, depth int) ([]any, error) {
	out := make([]any, 0, len(nodes))
	for i, c := range nodes {
		v, err := decodeValue(c, member, depth)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func decodeMapEntries(entries []*Node, sh *model.Shape, depth int) (map[string]any, error) {
	kn, vn := entryNames(sh)
	out := make(map[string]any, len(entries))
	for _, e := range entries {
		k, ok := e.ChildText(kn)
		if !ok {
			continue
		}
		vnode := e.Child(vn)
		if vnode == nil {
			continue
		}
		v, err := decodeValue(vnode, sh.Value, depth)
		if err != nil {
			return nil, fmt.Errorf("[%s]: %w", k, err)
		}
		out[k] = v
	}
	return out, nil
}

func entryNames(sh *model.Shape) (key, value string) {
	key, value = "key", "value"
	if sh.Key.LocationName != "" {
		key = sh.Key.LocationName
	}
	if sh.Value.LocationName != "" {
		value = sh.Value.LocationName
	}
	return key, value
}

// decodeScalar converts element or attribute text to a value of ref's shape.
func decodeScalar(s string, ref *model.ShapeRef) (any, error) {
	return ParseScalar(s, ref, protocol.ISO8601)
}

// ParseScalar converts wire text to a scalar of ref's shape; tsDefault is
// the protocol's timestamp format where the model gives none. It is shared
// by the XML and query decoders.
func ParseScalar(s string, ref *model.ShapeRef, tsDefault string) (any, error) {
	sh := ref.Shape
	switch sh.Type {
	case "string", "character", "bigInteger", "bigDecimal":
		return s, nil
	case "integer", "long", "short", "byte":
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid %s %q", sh.Type, s)
		}
		return v, nil
	case "float", "double":
		return ParseFloat(s)
	case "boolean":
		switch strings.TrimSpace(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("invalid boolean %q", s)
	case "timestamp":
		t, err := protocol.ParseTimestamp(s, protocol.TimestampFormat(ref, tsDefault))
		if err != nil {
			return nil, err
		}
		return t, nil
	case "blob":
		b, err := protocol.DecodeBase64(s)
		if err != nil {
			return nil, fmt.Errorf("invalid base64 blob")
		}
		return b, nil
	}
	return nil, fmt.Errorf("unsupported scalar type %q", sh.Type)
}

// ParseFloat reads a float as AWS spells it, NaN and ±Infinity included.
func ParseFloat(s string) (float64, error) {
	switch s = strings.TrimSpace(s); s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("invalid number %q", s)
	}
	return f, nil
}

// FormatFloat writes a float as AWS does: shortest round-trip decimal, and
// NaN, Infinity, -Infinity for the special values.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
