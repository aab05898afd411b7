package expr

import (
	"sort"
)

func updErr(format string, args ...any) *Error {
	e := errorf(format, args...)
	e.Message = "Invalid UpdateExpression: " + e.Message
	return e
}

// Apply runs an update on item (nil: a new item) and returns the new item.
// Every SET value is computed from the original item, as DynamoDB does. The
// input item is not modified.
func (u *Update) Apply(item Item) (Item, error) {
	old := item
	if old == nil {
		old = Item{}
	}
	vals := make([]any, len(u.Set))
	for i, s := range u.Set {
		v, err := setValue(old, s.Value)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	out := CopyItem(old)
	for i, s := range u.Set {
		if err := setPath(out, s.Path, vals[i]); err != nil {
			return nil, err
		}
	}
	// REMOVE of several indexes of one list refers to the original
	// positions: remove from the highest index down.
	rem := append([]Path(nil), u.Remove...)
	sort.SliceStable(rem, func(i, j int) bool {
		a, b := rem[i], rem[j]
		if len(a) == len(b) && len(a) > 0 && a[len(a)-1].IsIndex && b[len(b)-1].IsIndex && overlaps(a[:len(a)-1], b[:len(b)-1]) {
			return a[len(a)-1].Index > b[len(b)-1].Index
		}
		return false
	})
	for _, p := range rem {
		removePath(out, p)
	}
	for _, a := range u.Add {
		v := a.Value.(*ValueRef).Value
		cur, found := Get(out, a.Path)
		typ, pv, _ := Type(v)
		switch typ {
		case TN:
			n, err := ParseNumber(asString(pv))
			if err != nil {
				return nil, err
			}
			if found {
				ct, cv, _ := Type(cur)
				if ct != TN {
					return nil, updErr("Incorrect operand type for operator or function; operator: ADD, operand type: %s", typeName(ct))
				}
				c, err := ParseNumber(asString(cv))
				if err != nil {
					return nil, err
				}
				if n, err = c.Add(n); err != nil {
					return nil, err
				}
			}
			if err := setPath(out, a.Path, map[string]any{TN: n.String()}); err != nil {
				return nil, err
			}
		case TSS, TNS, TBS:
			l, _ := pv.([]any)
			if found {
				ct, cv, _ := Type(cur)
				if ct != typ {
					return nil, updErr("An operand in the update expression has an incorrect data type")
				}
				cl, _ := cv.([]any)
				have := setKeys(typ, cl)
				merged := append([]any(nil), cl...)
				for _, e := range l {
					if k := setKey(typ, e); !have[k] {
						have[k] = true
						merged = append(merged, e)
					}
				}
				l = merged
			}
			if err := setPath(out, a.Path, map[string]any{typ: Copy(l)}); err != nil {
				return nil, err
			}
		default:
			return nil, updErr("Incorrect operand type for operator or function; operator: ADD, operand type: %s", typeName(typ))
		}
	}
	for _, d := range u.Delete {
		v := d.Value.(*ValueRef).Value
		typ, pv, _ := Type(v)
		if typ != TSS && typ != TNS && typ != TBS {
			return nil, updErr("Incorrect operand type for operator or function; operator: DELETE, operand type: %s", typeName(typ))
		}
		cur, found := Get(out, d.Path)
		if !found {
			continue
		}
		ct, cv, _ := Type(cur)
		if ct != typ {
			return nil, updErr("An operand in the update expression has an incorrect data type")
		}
		drop := setKeys(typ, pv.([]any))
		var keep []any
		for _, e := range cv.([]any) {
			if !drop[setKey(typ, e)] {
				keep = append(keep, e)
			}
		}
		if len(keep) == 0 {
			removePath(out, d.Path)
		} else if err := setPath(out, d.Path, map[string]any{typ: keep}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func typeName(t string) string {
	switch t {
	case TS:
		return "STRING"
	case TN:
		return "NUMBER"
	case TB:
		return "BINARY"
	case TBOOL:
		return "BOOLEAN"
	case TNULL:
		return "NULL"
	case TL:
		return "LIST"
	case TM:
		return "MAP"
	case TSS:
		return "SS"
	case TNS:
		return "NS"
	case TBS:
		return "BS"
	}
	return t
}

func setValue(item Item, op Operand) (any, error) {
	switch x := op.(type) {
	case Path:
		v, ok := Get(item, x)
		if !ok {
			return nil, updErr("The provided expression refers to an attribute that does not exist in the item")
		}
		return Copy(v), nil
	case *ValueRef:
		return Copy(x.Value), nil
	case *Call:
		switch x.Name {
		case "if_not_exists":
			if v, ok := Get(item, x.Args[0].(Path)); ok {
				return Copy(v), nil
			}
			return setValue(item, x.Args[1])
		case "list_append":
			a, err := setValue(item, x.Args[0])
			if err != nil {
				return nil, err
			}
			b, err := setValue(item, x.Args[1])
			if err != nil {
				return nil, err
			}
			ta, va, _ := Type(a)
			tb, vb, _ := Type(b)
			if ta != TL {
				return nil, updErr("Incorrect operand type for operator or function; operator or function: list_append, operand type: %s", typeName(ta))
			}
			if tb != TL {
				return nil, updErr("Incorrect operand type for operator or function; operator or function: list_append, operand type: %s", typeName(tb))
			}
			la, _ := va.([]any)
			lb, _ := vb.([]any)
			return map[string]any{TL: append(append([]any{}, la...), lb...)}, nil
		}
		return nil, updErr("The function is not allowed in an update expression; function: %s", x.Name)
	case *Arith:
		a, err := setValue(item, x.L)
		if err != nil {
			return nil, err
		}
		b, err := setValue(item, x.R)
		if err != nil {
			return nil, err
		}
		ta, va, _ := Type(a)
		tb, vb, _ := Type(b)
		if ta != TN || tb != TN {
			return nil, updErr("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", string(x.Op), typeName(map[bool]string{true: tb, false: ta}[ta == TN]))
		}
		na, err := ParseNumber(asString(va))
		if err != nil {
			return nil, err
		}
		nb, err := ParseNumber(asString(vb))
		if err != nil {
			return nil, err
		}
		var r *Number
		if x.Op == '+' {
			r, err = na.Add(nb)
		} else {
			r, err = na.Sub(nb)
		}
		if err != nil {
			return nil, err
		}
		return map[string]any{TN: r.String()}, nil
	}
	return nil, updErr("unsupported operand")
}

var errBadPath = errorf("The document path provided in the update expression is invalid for update")

// setPath writes v at path, creating nothing but the last step: the parent
// must exist (DynamoDB rejects SET a.b when a is missing). An index past the
// end of a list appends.
func setPath(item Item, path Path, v any) error {
	if len(path) == 1 {
		item[path[0].Name] = v
		return nil
	}
	parent, ok := Get(item, path[:len(path)-1])
	if !ok {
		return errBadPath
	}
	last := path[len(path)-1]
	typ, pv, _ := Type(parent)
	pm := parent.(map[string]any)
	if last.IsIndex {
		l, isL := pv.([]any)
		if typ != TL || !isL {
			return errBadPath
		}
		if last.Index < len(l) {
			l[last.Index] = v
		} else {
			pm[TL] = append(l, v)
		}
		return nil
	}
	m, isM := pv.(map[string]any)
	if typ != TM || !isM {
		return errBadPath
	}
	m[last.Name] = v
	return nil
}

func removePath(item Item, path Path) {
	if len(path) == 1 {
		delete(item, path[0].Name)
		return
	}
	parent, ok := Get(item, path[:len(path)-1])
	if !ok {
		return
	}
	last := path[len(path)-1]
	typ, pv, _ := Type(parent)
	pm := parent.(map[string]any)
	if last.IsIndex {
		l, isL := pv.([]any)
		if typ == TL && isL && last.Index < len(l) {
			pm[TL] = append(append([]any{}, l[:last.Index]...), l[last.Index+1:]...)
		}
		return
	}
	if m, isM := pv.(map[string]any); typ == TM && isM {
		delete(m, last.Name)
	}
}
