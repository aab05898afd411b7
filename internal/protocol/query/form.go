package query

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil"
)

// Style selects the parameter naming rules of the query family.
type Style int

const (
	// Query is awsQuery: member names from locationName, lists as
	// Name.member.N (or Name.<memberLocationName>.N), flattened lists as
	// Name.N, maps as Name.entry.N.key / .value, empty lists as "Name=".
	Query Style = iota
	// EC2 is the ec2 protocol: member names from queryName, else the
	// capitalized locationName, else the member name; every list is Name.N
	// and empty lists are not sent.
	EC2
)

// MaxListIndex bounds the N of Name.member.N a server accepts; AWS's own
// batch limits are far lower, and the cap keeps indexes from being used to
// request huge allocations.
const MaxListIndex = 1 << 20

// Param is one form parameter, kept in serialization order.
type Param struct{ Key, Value string }

// Params is an ordered form.
type Params []Param

// Add appends key=value.
func (p *Params) Add(key, value string) { *p = append(*p, Param{key, value}) }

// Encode renders the form as application/x-www-form-urlencoded, in order.
func (p Params) Encode() string {
	var b strings.Builder
	for i, kv := range p {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv.Key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv.Value))
	}
	return b.String()
}

// EncodeParams appends the members of structure sh from m to p.
func EncodeParams(p *Params, sh *model.Shape, m map[string]any, style Style) error {
	return encodeStruct(p, "", sh, m, style, 0)
}

const maxDepth = 64

// memberKey is the parameter name segment of a structure member.
func memberKey(name string, ref *model.ShapeRef, style Style) string {
	if style == EC2 {
		if ref.QueryName != "" {
			return ref.QueryName
		}
		if ref.LocationName != "" {
			r, n := utf8.DecodeRuneInString(ref.LocationName)
			return string(unicode.ToUpper(r)) + ref.LocationName[n:]
		}
		return name
	}
	if ref.LocationName != "" {
		return ref.LocationName
	}
	return name
}

func flattened(ref *model.ShapeRef) bool {
	return ref.Flattened || ref.Shape.Flattened
}

// memberPrefix is the full prefix of a structure member. A flattened query
// list whose member has a locationName is named by that locationName
// (botocore replaces the last segment).
func memberPrefix(prefix, name string, ref *model.ShapeRef, style Style) string {
	key := memberKey(name, ref, style)
	if style == Query && ref.Shape.Type == "list" && flattened(ref) && ref.Shape.Member.LocationName != "" {
		key = ref.Shape.Member.LocationName
	}
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func encodeStruct(p *Params, prefix string, sh *model.Shape, m map[string]any, style Style, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("value nested deeper than %d", maxDepth)
	}
	for _, name := range sh.MemberNames {
		ref := sh.Members[name]
		v, ok := m[name]
		if !ok || v == nil {
			continue
		}
		if err := encodeValue(p, memberPrefix(prefix, name, ref, style), ref, v, style, depth+1); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func encodeValue(p *Params, prefix string, ref *model.ShapeRef, v any, style Style, depth int) error {
	sh := ref.Shape
	switch sh.Type {
	case "structure":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%T is not a structure", v)
		}
		return encodeStruct(p, prefix, sh, m, style, depth)
	case "list":
		items, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%T is not a list", v)
		}
		listPrefix := prefix
		if style == Query {
			if len(items) == 0 {
				p.Add(prefix, "")
				return nil
			}
			if !flattened(ref) {
				mn := sh.Member.LocationName
				if mn == "" {
					mn = "member"
				}
				listPrefix = prefix + "." + mn
			}
		}
		for i, it := range items {
			if err := encodeValue(p, listPrefix+"."+strconv.Itoa(i+1), sh.Member, it, style, depth+1); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return nil
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%T is not a map", v)
		}
		full := prefix
		if !flattened(ref) {
			full = prefix + ".entry"
		}
		kn, vn := entryNames(sh)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			ip := full + "." + strconv.Itoa(i+1) + "."
			p.Add(ip+kn, k)
			if err := encodeValue(p, ip+vn, sh.Value, m[k], style, depth+1); err != nil {
				return fmt.Errorf("[%s]: %w", k, err)
			}
		}
		return nil
	}
	s, err := xmlutil.FormatScalar(v, ref, protocol.ISO8601)
	if err != nil {
		return err
	}
	p.Add(prefix, s)
	return nil
}

func entryNames(sh *model.Shape) (string, string) {
	kn, vn := "key", "value"
	if sh.Key.LocationName != "" {
		kn = sh.Key.LocationName
	}
	if sh.Value.LocationName != "" {
		vn = sh.Value.LocationName
	}
	return kn, vn
}

// FillIdempotencyTokens sets every absent top-level idempotencyToken member
// of sh in m to a fresh UUID, as the SDKs do.
func FillIdempotencyTokens(sh *model.Shape, m map[string]any) map[string]any {
	for _, name := range sh.MemberNames {
		ref := sh.Members[name]
		if !ref.IdempotencyToken {
			continue
		}
		if _, ok := m[name]; ok {
			continue
		}
		if m == nil {
			m = map[string]any{}
		}
		m[name] = NewUUID()
	}
	return m
}

// NewUUID returns a random version 4 UUID.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// node is one segment of the dotted parameter names.
type node struct {
	value    *string
	children map[string]*node
}

func buildTree(form url.Values) *node {
	root := &node{}
	for k, vs := range form {
		if k == "Action" || k == "Version" || len(vs) == 0 {
			continue
		}
		n := root
		for _, seg := range strings.Split(k, ".") {
			if n.children == nil {
				n.children = map[string]*node{}
			}
			c := n.children[seg]
			if c == nil {
				c = &node{}
				n.children[seg] = c
			}
			n = c
		}
		v := vs[0]
		n.value = &v
	}
	return root
}

// ParamError is a parameter that does not fit its shape; the codecs turn it
// into the protocol's validation error.
type ParamError struct {
	Param string
	Value string
	Err   error
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("value %q for parameter %s is invalid: %v", e.Value, e.Param, e.Err)
}

// DecodeParams rebuilds the input value of structure sh from a form.
// Parameters the shape does not name are ignored, as AWS ignores them.
func DecodeParams(form url.Values, sh *model.Shape, style Style) (map[string]any, error) {
	return decodeStruct(buildTree(form), "", sh, style, 0)
}

func join(prefix, seg string) string {
	if prefix == "" {
		return seg
	}
	return prefix + "." + seg
}

func decodeStruct(n *node, prefix string, sh *model.Shape, style Style, depth int) (map[string]any, error) {
	if depth > maxDepth {
		return nil, &ParamError{Param: prefix, Err: fmt.Errorf("nested deeper than %d", maxDepth)}
	}
	out := map[string]any{}
	for _, name := range sh.MemberNames {
		ref := sh.Members[name]
		key := memberKey(name, ref, style)
		if style == Query && ref.Shape.Type == "list" && flattened(ref) && ref.Shape.Member.LocationName != "" {
			key = ref.Shape.Member.LocationName
		}
		c := n.children[key]
		if c == nil {
			continue
		}
		v, ok, err := decodeValue(c, join(prefix, key), ref, style, depth+1)
		if err != nil {
			return nil, err
		}
		if ok {
			out[name] = v
		}
	}
	return out, nil
}

// indexed returns the children of n named by positive integers, in order.
func indexed(n *node, prefix string) ([]*node, error) {
	type ent struct {
		i int
		n *node
	}
	var ents []ent
	for k, c := range n.children {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || i > MaxListIndex {
			return nil, &ParamError{Param: join(prefix, k), Err: fmt.Errorf("list index must be an integer from 1 to %d", MaxListIndex)}
		}
		ents = append(ents, ent{i, c})
	}
	sort.Slice(ents, func(a, b int) bool { return ents[a].i < ents[b].i })
	out := make([]*node, len(ents))
	for i, e := range ents {
		out[i] = e.n
	}
	return out, nil
}

func decodeValue(n *node, prefix string, ref *model.ShapeRef, style Style, depth int) (any, bool, error) {
	if depth > maxDepth {
		return nil, false, &ParamError{Param: prefix, Err: fmt.Errorf("nested deeper than %d", maxDepth)}
	}
	sh := ref.Shape
	switch sh.Type {
	case "structure":
		if n.children == nil {
			return nil, false, nil
		}
		m, err := decodeStruct(n, prefix, sh, style, depth)
		// A structure with no known member set is not on the wire at all
		// (an empty structure serializes to nothing), so treat it as absent.
		return m, err == nil && len(m) > 0, err
	case "list":
		items := n
		itemsPrefix := prefix
		if style == Query && !flattened(ref) {
			mn := sh.Member.LocationName
			if mn == "" {
				mn = "member"
			}
			items = n.children[mn]
			itemsPrefix = join(prefix, mn)
			if items == nil {
				if n.value != nil && *n.value == "" && n.children == nil {
					return []any{}, true, nil // "Name=" is the empty list
				}
				return nil, false, nil
			}
		} else if n.children == nil {
			if style == Query && n.value != nil && *n.value == "" {
				return []any{}, true, nil
			}
			return nil, false, nil
		}
		nodes, err := indexed(items, itemsPrefix)
		if err != nil {
			return nil, false, err
		}
		out := make([]any, 0, len(nodes))
		for i, c := range nodes {
			v, ok, err := decodeValue(c, itemsPrefix+"."+strconv.Itoa(i+1), sh.Member, style, depth+1)
			if err != nil {
				return nil, false, err
			}
			if ok {
				out = append(out, v)
			}
		}
		if len(out) == 0 && style == EC2 {
			return nil, false, nil // ec2 never sends an empty list
		}
		return out, true, nil
	case "map":
		entries := n
		ep := prefix
		if !flattened(ref) {
			entries = n.children["entry"]
			ep = join(prefix, "entry")
			if entries == nil {
				return nil, false, nil
			}
		}
		nodes, err := indexed(entries, ep)
		if err != nil {
			return nil, false, err
		}
		kn, vn := entryNames(sh)
		out := make(map[string]any, len(nodes))
		for _, c := range nodes {
			kc, vc := c.children[kn], c.children[vn]
			if kc == nil || kc.value == nil || vc == nil {
				continue
			}
			v, ok, err := decodeValue(vc, ep+"."+*kc.value, sh.Value, style, depth+1)
			if err != nil {
				return nil, false, err
			}
			if ok {
				out[*kc.value] = v
			}
		}
		// An empty map is never on the wire.
		return out, len(out) > 0, nil
	}
	if n.value == nil {
		return nil, false, nil
	}
	v, err := xmlutil.ParseScalar(*n.value, ref, protocol.ISO8601)
	if err != nil {
		return nil, false, &ParamError{Param: prefix, Value: *n.value, Err: err}
	}
	return v, true, nil
}
