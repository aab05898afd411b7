// Package xmltest holds the comparison helpers the XML-family codec tests
// share: value equality under the protocol value conventions, XML
// canonicalisation and form comparison.
package xmltest

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil"
)

// Diff returns "" when a and b are the same protocol value, else a
// description of the first difference. NaN equals NaN; times compare by
// instant; readers are read and compared as bytes.
func Diff(a, b any) string { return diff("$", a, b) }

func diff(path string, a, b any) string {
	if ra, ok := a.(io.Reader); ok {
		data, _ := io.ReadAll(ra)
		a = data
	}
	if rb, ok := b.(io.Reader); ok {
		data, _ := io.ReadAll(rb)
		b = data
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %T vs %T", path, a, b)
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			xv, xok := x[k]
			yv, yok := y[k]
			xok, yok = xok && xv != nil, yok && yv != nil // nil is absent
			if xok != yok {
				return fmt.Sprintf("%s.%s: present %v vs %v (%#v / %#v)", path, k, xok, yok, xv, yv)
			}
			if d := diff(path+"."+k, xv, yv); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok {
			return fmt.Sprintf("%s: %T vs %T", path, a, b)
		}
		if len(x) != len(y) {
			return fmt.Sprintf("%s: len %d vs %d", path, len(x), len(y))
		}
		for i := range x {
			if d := diff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); d != "" {
				return d
			}
		}
		return ""
	case float64:
		y, ok := b.(float64)
		if !ok || !(x == y || math.IsNaN(x) && math.IsNaN(y)) {
			return fmt.Sprintf("%s: %#v vs %#v", path, a, b)
		}
		return ""
	case time.Time:
		y, ok := b.(time.Time)
		if !ok || !x.Equal(y) {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		return ""
	case []byte:
		y, ok := b.([]byte)
		if !ok || !bytes.Equal(x, y) {
			return fmt.Sprintf("%s: %q vs %#v", path, x, b)
		}
		return ""
	}
	if a != b {
		return fmt.Sprintf("%s: %#v vs %#v", path, a, b)
	}
	return ""
}

// FormDiff compares two form bodies as sets of key/value pairs.
func FormDiff(want, got string) string {
	w, err := url.ParseQuery(want)
	if err != nil {
		return "want: " + err.Error()
	}
	g, err := url.ParseQuery(got)
	if err != nil {
		return "got: " + err.Error()
	}
	var out []string
	for k, v := range w {
		if gv, ok := g[k]; !ok || strings.Join(gv, "\x00") != strings.Join(v, "\x00") {
			out = append(out, fmt.Sprintf("%s: want %q got %q", k, v, g[k]))
		}
	}
	for k, v := range g {
		if _, ok := w[k]; !ok {
			out = append(out, fmt.Sprintf("%s: unexpected %q", k, v))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

// Canonical renders an XML document in a canonical form: no declaration,
// whitespace-only text between elements dropped, attributes sorted.
func Canonical(doc string) (string, error) {
	n, err := xmlutil.ParseBytes([]byte(doc))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	canon(&b, n)
	return b.String(), nil
}

func canon(b *strings.Builder, n *xmlutil.Node) {
	if n == nil {
		return
	}
	name := n.Name.Local
	if n.Name.Space != "" {
		name = n.Name.Space + ":" + name
	}
	b.WriteString("<" + name)
	attrs := make([]string, 0, len(n.Attr))
	for _, a := range n.Attr {
		an := a.Name.Local
		if a.Name.Space != "" {
			an = a.Name.Space + ":" + an
		}
		attrs = append(attrs, fmt.Sprintf(" %s=%q", an, a.Value))
	}
	sort.Strings(attrs)
	b.WriteString(strings.Join(attrs, ""))
	b.WriteString(">")
	if len(n.Children) == 0 {
		b.WriteString(n.Text)
	} else {
		if t := strings.TrimSpace(n.Text); t != "" {
			b.WriteString(t)
		}
		for _, c := range n.Children {
			canon(b, c)
		}
	}
	b.WriteString("</" + name + ">")
}

// XMLDiff compares two XML documents after canonicalisation.
func XMLDiff(want, got string) string {
	if strings.TrimSpace(want) == "" && strings.TrimSpace(got) == "" {
		return ""
	}
	w, err := Canonical(want)
	if err != nil {
		return "want: " + err.Error()
	}
	g, err := Canonical(got)
	if err != nil {
		return "got: " + err.Error()
	}
	if w == g {
		return ""
	}
	// Go maps do not keep the test's key order, so map entries may come out
	// in another order; accept documents equal up to sibling order (list
	// order is still checked by the value comparisons of the decoders).
	wn, _ := xmlutil.ParseBytes([]byte(want))
	gn, _ := xmlutil.ParseBytes([]byte(got))
	if sortedCanon(wn) == sortedCanon(gn) {
		return ""
	}
	return fmt.Sprintf("xml differs:\nwant %s\n got %s", w, g)
}

func sortedCanon(n *xmlutil.Node) string {
	if n == nil {
		return ""
	}
	kids := make([]string, len(n.Children))
	for i, c := range n.Children {
		kids[i] = sortedCanon(c)
	}
	sort.Strings(kids)
	var b strings.Builder
	leaf := *n
	leaf.Children = nil
	if len(n.Children) > 0 {
		leaf.Text = strings.TrimSpace(n.Text)
	}
	canon(&b, &leaf)
	return b.String() + "{" + strings.Join(kids, "") + "}"
}
