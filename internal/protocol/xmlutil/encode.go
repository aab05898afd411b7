package xmlutil

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// Encoder writes shape-driven XML into a buffer.
type Encoder struct {
	buf *bytes.Buffer
}

// NewEncoder returns an Encoder appending to buf.
func NewEncoder(buf *bytes.Buffer) *Encoder { return &Encoder{buf: buf} }

// Element writes v as one element named name (for flattened lists and maps:
// as the repeated elements) with the shape of ref. Namespace traits on ref
// or its shape become xmlns attributes; xmlAttribute members of a structure
// become attributes of its element.
func (e *Encoder) Element(name string, ref *model.ShapeRef, v any) error {
	return e.element(name, ref, v, 0)
}

// Members writes the body members of structure sh from m, in model order,
// without an enclosing element (a query Result, an ec2 response).
func (e *Encoder) Members(sh *model.Shape, m map[string]any) error {
	return e.members(sh, m, 0)
}

// StartTag writes <name attrs...>; attrs are name/value pairs.
func (e *Encoder) StartTag(name string, attrs ...string) {
	e.buf.WriteByte('<')
	e.buf.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		e.attr(attrs[i], attrs[i+1])
	}
	e.buf.WriteByte('>')
}

// EndTag writes </name>.
func (e *Encoder) EndTag(name string) {
	e.buf.WriteString("</")
	e.buf.WriteString(name)
	e.buf.WriteByte('>')
}

// Text writes escaped character data.
func (e *Encoder) Text(s string) { escape(e.buf, s) }

// TextElement writes <name>text</name>.
func (e *Encoder) TextElement(name, text string) {
	e.StartTag(name)
	e.Text(text)
	e.EndTag(name)
}

func (e *Encoder) attr(name, value string) {
	e.buf.WriteByte(' ')
	e.buf.WriteString(name)
	e.buf.WriteString(`="`)
	escape(e.buf, value)
	e.buf.WriteByte('"')
}

func escape(buf *bytes.Buffer, s string) {
	// xml.EscapeText escapes <, >, &, quotes, \t, \n and \r (so they survive
	// the parser's newline normalisation), and replaces invalid characters.
	_ = xml.EscapeText(buf, []byte(s))
}

func namespaceAttr(ref *model.ShapeRef) (string, string, bool) {
	ns := ref.XMLNamespace
	if ns == nil && ref.Shape != nil {
		ns = ref.Shape.XMLNamespace
	}
	if ns == nil || ns.URI == "" {
		return "", "", false
	}
	if ns.Prefix != "" {
		return "xmlns:" + ns.Prefix, ns.URI, true
	}
	return "xmlns", ns.URI, true
}

func (e *Encoder) open(name string, ref *model.ShapeRef, m map[string]any) error {
	e.buf.WriteByte('<')
	e.buf.WriteString(name)
	if an, av, ok := namespaceAttr(ref); ok {
		e.attr(an, av)
	}
	if m != nil && ref.Shape.Type == "structure" {
		for _, mn := range ref.Shape.MemberNames {
			mref := ref.Shape.Members[mn]
			if !mref.XMLAttribute || mref.Location != "" {
				continue
			}
			v, ok := m[mn]
			if !ok || v == nil {
				continue
			}
			s, err := FormatScalar(v, mref, protocol.ISO8601)
			if err != nil {
				return fmt.Errorf("%s: %w", mn, err)
			}
			an := mref.LocationName
			if an == "" {
				an = mn
			}
			e.attr(an, s)
		}
	}
	e.buf.WriteByte('>')
	return nil
}

func (e *Encoder) element(name string, ref *model.ShapeRef, v any, depth int) error {
	if depth > MaxDepth {
		return fmt.Errorf("xmlutil: value nested deeper than %d", MaxDepth)
	}
	sh := ref.Shape
	switch sh.Type {
	case "structure":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%T is not a structure", v)
		}
		if err := e.open(name, ref, m); err != nil {
			return err
		}
		if err := e.members(sh, m, depth+1); err != nil {
			return err
		}
		e.EndTag(name)
		return nil
	case "list":
		items, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%T is not a list", v)
		}
		if isFlattened(ref) {
			for i, it := range items {
				if err := e.element(name, sh.Member, it, depth+1); err != nil {
					return fmt.Errorf("[%d]: %w", i, err)
				}
			}
			return nil
		}
		if err := e.open(name, ref, nil); err != nil {
			return err
		}
		mn := sh.Member.LocationName
		if mn == "" {
			mn = "member"
		}
		for i, it := range items {
			if err := e.element(mn, sh.Member, it, depth+1); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		e.EndTag(name)
		return nil
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%T is not a map", v)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		kn, vn := entryNames(sh)
		flat := isFlattened(ref)
		if !flat {
			if err := e.open(name, ref, nil); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if flat {
				if err := e.open(name, ref, nil); err != nil {
					return err
				}
			} else {
				e.StartTag("entry")
			}
			if err := e.element(kn, sh.Key, k, depth+1); err != nil {
				return err
			}
			if err := e.element(vn, sh.Value, m[k], depth+1); err != nil {
				return fmt.Errorf("[%s]: %w", k, err)
			}
			if flat {
				e.EndTag(name)
			} else {
				e.EndTag("entry")
			}
		}
		if !flat {
			e.EndTag(name)
		}
		return nil
	}
	s, err := FormatScalar(v, ref, protocol.ISO8601)
	if err != nil {
		return err
	}
	if err := e.open(name, ref, nil); err != nil {
		return err
	}
	e.Text(s)
	e.EndTag(name)
	return nil
}

func (e *Encoder) members(sh *model.Shape, m map[string]any, depth int) error {
	for _, mn := range sh.MemberNames {
		ref := sh.Members[mn]
		if ref.Location != "" || ref.XMLAttribute {
			continue
		}
		v, ok := m[mn]
		if !ok || v == nil {
			continue
		}
		if err := e.element(MemberName(mn, ref), ref, v, depth); err != nil {
			return fmt.Errorf("%s: %w", mn, err)
		}
	}
	return nil
}

// FormatScalar renders a scalar value of ref's shape as wire text;
// tsDefault is the protocol's timestamp format where the model gives none.
func FormatScalar(v any, ref *model.ShapeRef, tsDefault string) (string, error) {
	sh := ref.Shape
	switch sh.Type {
	case "string", "character", "bigInteger", "bigDecimal":
		if s, ok := v.(string); ok {
			return s, nil
		}
	case "integer", "long", "short", "byte":
		if n, ok := v.(int64); ok {
			return strconv.FormatInt(n, 10), nil
		}
	case "float", "double":
		if f, ok := v.(float64); ok {
			return FormatFloat(f), nil
		}
	case "boolean":
		if b, ok := v.(bool); ok {
			return strconv.FormatBool(b), nil
		}
	case "timestamp":
		if t, ok := v.(time.Time); ok {
			return protocol.FormatTimestamp(t, protocol.TimestampFormat(ref, tsDefault)), nil
		}
	case "blob":
		switch b := v.(type) {
		case []byte:
			return base64.StdEncoding.EncodeToString(b), nil
		case io.Reader:
			data, err := io.ReadAll(b)
			if err != nil {
				return "", err
			}
			return base64.StdEncoding.EncodeToString(data), nil
		}
	default:
		return "", fmt.Errorf("unsupported scalar type %q", sh.Type)
	}
	return "", fmt.Errorf("%T is not a valid %s", v, sh.Type)
}
