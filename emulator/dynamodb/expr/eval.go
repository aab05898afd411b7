package expr

import (
	"bytes"
	"sort"
	"strings"
)

// Get resolves a document path in an item.
func Get(item Item, path Path) (any, bool) {
	if len(path) == 0 || path[0].IsIndex {
		return nil, false
	}
	cur, ok := item[path[0].Name]
	if !ok {
		return nil, false
	}
	for _, e := range path[1:] {
		typ, v, _ := Type(cur)
		if e.IsIndex {
			l, isL := v.([]any)
			if typ != TL || !isL || e.Index >= len(l) {
				return nil, false
			}
			cur = l[e.Index]
		} else {
			m, isM := v.(map[string]any)
			if typ != TM || !isM {
				return nil, false
			}
			if cur, ok = m[e.Name]; !ok {
				return nil, false
			}
		}
	}
	return cur, true
}

// operandValue evaluates an operand for a condition; ok is false when a path
// is missing or a function has no value.
func operandValue(item Item, op Operand) (any, bool) {
	switch x := op.(type) {
	case Path:
		return Get(item, x)
	case *ValueRef:
		return x.Value, true
	case *Call:
		if x.Name != "size" {
			return nil, false
		}
		v, ok := operandValue(item, x.Args[0])
		if !ok {
			return nil, false
		}
		typ, pv, _ := Type(v)
		n := -1
		switch typ {
		case TS:
			n = len(asString(pv))
		case TB:
			b, _ := pv.([]byte)
			n = len(b)
		case TL, TSS, TNS, TBS:
			l, _ := pv.([]any)
			n = len(l)
		case TM:
			m, _ := pv.(map[string]any)
			n = len(m)
		}
		if n < 0 {
			return nil, false
		}
		return map[string]any{TN: itoa(n)}, true
	}
	return nil, false
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Eval evaluates a condition against an item (nil item: no item).
func Eval(c Cond, item Item) bool {
	switch x := c.(type) {
	case *Logic:
		if x.Op == "AND" {
			return Eval(x.L, item) && Eval(x.R, item)
		}
		return Eval(x.L, item) || Eval(x.R, item)
	case *Not:
		return !Eval(x.C, item)
	case *paren:
		return Eval(x.C, item)
	case *Comparison:
		l, ok1 := operandValue(item, x.L)
		r, ok2 := operandValue(item, x.R)
		if !ok1 || !ok2 {
			return x.Op == "<>" && (ok1 || ok2)
		}
		switch x.Op {
		case "=":
			return Equal(l, r)
		case "<>":
			return !Equal(l, r)
		}
		c, ok := Compare(l, r)
		if !ok {
			return false
		}
		switch x.Op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		case ">=":
			return c >= 0
		}
	case *Between:
		v, ok1 := operandValue(item, x.V)
		lo, ok2 := operandValue(item, x.Lo)
		hi, ok3 := operandValue(item, x.Hi)
		if !ok1 || !ok2 || !ok3 {
			return false
		}
		a, okA := Compare(lo, v)
		b, okB := Compare(v, hi)
		return okA && okB && a <= 0 && b <= 0
	case *In:
		v, ok := operandValue(item, x.V)
		if !ok {
			return false
		}
		for _, o := range x.List {
			if w, ok := operandValue(item, o); ok && Equal(v, w) {
				return true
			}
		}
		return false
	case *FuncCond:
		return evalFunc(x, item)
	}
	return false
}

func evalFunc(f *FuncCond, item Item) bool {
	v, found := operandValue(item, f.Args[0])
	switch f.Name {
	case "attribute_exists":
		return found
	case "attribute_not_exists":
		return !found
	}
	if !found {
		return false
	}
	arg, ok := operandValue(item, f.Args[1])
	if !ok {
		return false
	}
	typ, pv, _ := Type(v)
	atyp, apv, _ := Type(arg)
	switch f.Name {
	case "attribute_type":
		return atyp == TS && typ == asString(apv)
	case "begins_with":
		switch {
		case typ == TS && atyp == TS:
			return strings.HasPrefix(asString(pv), asString(apv))
		case typ == TB && atyp == TB:
			b, _ := pv.([]byte)
			p, _ := apv.([]byte)
			return bytes.HasPrefix(b, p)
		}
		return false
	case "contains":
		switch typ {
		case TS:
			return atyp == TS && strings.Contains(asString(pv), asString(apv))
		case TB:
			b, _ := pv.([]byte)
			p, _ := apv.([]byte)
			return atyp == TB && bytes.Contains(b, p)
		case TSS, TNS, TBS:
			if atyp+"S" != typ {
				return false
			}
			l, _ := pv.([]any)
			k := setKey(typ, apv)
			for _, e := range l {
				if setKey(typ, e) == k {
					return true
				}
			}
			return false
		case TL:
			l, _ := pv.([]any)
			for _, e := range l {
				if Equal(e, arg) {
					return true
				}
			}
		}
	}
	return false
}

// Project returns the parts of item the paths select; list elements picked
// by index are packed in index order, as DynamoDB returns them.
func Project(item Item, paths []Path) Item {
	root := &projNode{}
	for _, p := range paths {
		v, ok := Get(item, p)
		if !ok {
			continue
		}
		n := root
		for _, e := range p {
			n = n.child(e)
		}
		n.leaf, n.has = Copy(v), true
	}
	out := Item{}
	for k, c := range root.keys {
		if v, ok := c.build(); ok {
			out[k] = v
		}
	}
	return out
}

type projNode struct {
	keys map[string]*projNode
	idx  map[int]*projNode
	leaf any
	has  bool
}

func (n *projNode) child(e PathElem) *projNode {
	if e.IsIndex {
		if n.idx == nil {
			n.idx = map[int]*projNode{}
		}
		c := n.idx[e.Index]
		if c == nil {
			c = &projNode{}
			n.idx[e.Index] = c
		}
		return c
	}
	if n.keys == nil {
		n.keys = map[string]*projNode{}
	}
	c := n.keys[e.Name]
	if c == nil {
		c = &projNode{}
		n.keys[e.Name] = c
	}
	return c
}

func (n *projNode) build() (any, bool) {
	if n.has {
		return n.leaf, true
	}
	if n.idx != nil {
		ks := make([]int, 0, len(n.idx))
		for k := range n.idx {
			ks = append(ks, k)
		}
		sort.Ints(ks)
		var l []any
		for _, k := range ks {
			if v, ok := n.idx[k].build(); ok {
				l = append(l, v)
			}
		}
		if l == nil {
			return nil, false
		}
		return map[string]any{TL: l}, true
	}
	if n.keys != nil {
		m := map[string]any{}
		for k, c := range n.keys {
			if v, ok := c.build(); ok {
				m[k] = v
			}
		}
		if len(m) == 0 {
			return nil, false
		}
		return map[string]any{TM: m}, true
	}
	return nil, false
}

// TopNames lists the top-level attribute names a set of paths touches.
func TopNames(paths []Path) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		if len(p) > 0 && !seen[p[0].Name] {
			seen[p[0].Name] = true
			out = append(out, p[0].Name)
		}
	}
	return out
}
