package xmlutil

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits on documents Parse accepts. AWS's own XML APIs cap request bodies
// far below MaxBytes (S3 CompleteMultipartUpload, the largest, lists at most
// 10,000 parts); the caps exist so no client input can exhaust memory or stack.
const (
	MaxDepth = 128      // deepest element nesting
	MaxBytes = 32 << 20 // largest document, in bytes
)

// ErrDoctype is returned for documents carrying a DOCTYPE declaration: AWS
// XML never has one, and rejecting it rules out entity tricks entirely.
var ErrDoctype = errors.New("xmlutil: DOCTYPE is not allowed")

// Node is one element of a parsed document.
type Node struct {
	Name     xml.Name
	Attr     []xml.Attr
	Children []*Node
	// Text is the element's own character data (CDATA included), not
	// trimmed; whitespace between child elements is part of it too.
	Text string
}

// Child returns the first child element whose local name is name.
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name.Local == name {
			return c
		}
	}
	return nil
}

// ChildrenNamed returns every child element whose local name is name.
func (n *Node) ChildrenNamed(name string) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, c := range n.Children {
		if c.Name.Local == name {
			out = append(out, c)
		}
	}
	return out
}

// ChildText is the text of the first child named name, and whether it exists.
func (n *Node) ChildText(name string) (string, bool) {
	c := n.Child(name)
	if c == nil {
		return "", false
	}
	return c.Text, true
}

// Find returns the first element named name in a depth-first walk from n
// (n included).
func (n *Node) Find(name string) *Node {
	if n == nil {
		return nil
	}
	if n.Name.Local == name {
		return n
	}
	for _, c := range n.Children {
		if f := c.Find(name); f != nil {
			return f
		}
	}
	return nil
}

// attr returns the attribute matching name, which may be "prefix:local" (as
// locationName spells namespaced attributes, e.g. "xsi:type") or a local name.
func (n *Node) attr(name string) (string, bool) {
	local := name
	if i := strings.IndexByte(name, ':'); i >= 0 {
		local = name[i+1:]
	}
	for _, a := range n.Attr {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
}

// Parse reads one XML document into a tree. It enforces MaxBytes and
// MaxDepth, rejects DOCTYPE declarations, and requires exactly one root
// element. An empty (or whitespace-only) body gives a nil node and no error.
func Parse(r io.Reader) (*Node, error) {
	lr := &io.LimitedReader{R: r, N: MaxBytes + 1}
	data, err := io.ReadAll(lr)
	if err != nil {
		return nil, fmt.Errorf("xmlutil: read: %w", err)
	}
	if int64(len(data)) > MaxBytes {
		return nil, fmt.Errorf("xmlutil: document larger than %d bytes", MaxBytes)
	}
	return ParseBytes(data)
}

// ParseBytes is Parse over a byte slice.
func ParseBytes(data []byte) (*Node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("xmlutil: document larger than %d bytes", MaxBytes)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var (
		stack []*Node
		root  *Node
		text  [][]byte
	)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("xmlutil: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("xmlutil: more than one root element")
			}
			if len(stack) >= MaxDepth {
				return nil, fmt.Errorf("xmlutil: elements nested deeper than %d", MaxDepth)
			}
			n := &Node{Name: t.Name, Attr: append([]xml.Attr(nil), t.Attr...)}
			if len(stack) == 0 {
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("xmlutil: unexpected end element")
			}
			top := stack[len(stack)-1]
			if top.Name != t.Name {
				return nil, fmt.Errorf("xmlutil: element <%s> closed by </%s>", top.Name.Local, t.Name.Local)
			}
			top.Text = string(text[len(text)-1])
			stack = stack[:len(stack)-1]
			text = text[:len(text)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) != 0 {
					return nil, errors.New("xmlutil: text outside the root element")
				}
				continue
			}
			text[len(text)-1] = append(text[len(text)-1], t...)
		case xml.Directive:
			return nil, ErrDoctype
		case xml.ProcInst, xml.Comment:
		}
	}
	if len(stack) != 0 {
		return nil, errors.New("xmlutil: unexpected end of document")
	}
	if root == nil {
		return nil, errors.New("xmlutil: no root element")
	}
	return root, nil
}
