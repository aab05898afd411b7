package expr

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
)

// Error is a validation failure; Message is DynamoDB's text.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

func errorf(format string, args ...any) *Error {
	if len(args) == 0 {
		return &Error{Message: format}
	}
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// Item is a decoded DynamoDB item: attribute name to AttributeValue.
type Item = map[string]any

// AttributeValue type names.
const (
	TS    = "S"
	TN    = "N"
	TB    = "B"
	TBOOL = "BOOL"
	TNULL = "NULL"
	TL    = "L"
	TM    = "M"
	TSS   = "SS"
	TNS   = "NS"
	TBS   = "BS"
)

// Type returns the type key of an AttributeValue and its payload; ok is false
// when av is not a map with exactly one key.
func Type(av any) (typ string, v any, ok bool) {
	m, isMap := av.(map[string]any)
	if !isMap || len(m) != 1 {
		return "", nil, false
	}
	for k, x := range m {
		return k, x, true
	}
	return "", nil, false
}

// Validate checks an AttributeValue as DynamoDB does on input: exactly one
// type, valid numbers, sets non-empty and without duplicates.
func Validate(av any) error { return validate(av, 1) }

// MaxNesting is DynamoDB's limit on nested levels of an AttributeValue: a
// top-level value is level 1, each L or M around it one more.
const MaxNesting = 32

var errTooDeep = errorf("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")

func validate(av any, depth int) error {
	if depth > MaxNesting {
		return errTooDeep
	}
	m, ok := av.(map[string]any)
	if !ok || len(m) == 0 {
		return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	}
	if len(m) > 1 {
		return errorf("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
	}
	typ, v, _ := Type(av)
	switch typ {
	case TS:
		if _, ok := v.(string); !ok {
			return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
		}
	case TN:
		s, _ := v.(string)
		if _, err := ParseNumber(s); err != nil {
			return err
		}
	case TB:
		if _, ok := v.([]byte); !ok {
			return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
		}
	case TBOOL:
		if _, ok := v.(bool); !ok {
			return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
		}
	case TNULL:
		if b, _ := v.(bool); !b {
			return errorf("One or more parameter values were invalid: Null attribute value types must have the value of true")
		}
	case TL:
		l, ok := v.([]any)
		if !ok {
			return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
		}
		for _, e := range l {
			if err := validate(e, depth+1); err != nil {
				return err
			}
		}
	case TM:
		mm, ok := v.(map[string]any)
		if !ok {
			return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
		}
		for _, e := range mm {
			if err := validate(e, depth+1); err != nil {
				return err
			}
		}
	case TSS, TNS, TBS:
		return validateSet(typ, v)
	default:
		return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	}
	return nil
}

func validateSet(typ string, v any) error {
	l, _ := v.([]any)
	if len(l) == 0 {
		name := map[string]string{TSS: "string", TNS: "number", TBS: "binary"}[typ]
		// DynamoDB's message has the double space.
		return errorf("One or more parameter values were invalid: An %s set  may not be empty", name)
	}
	seen := map[string]bool{}
	var shown []string
	for _, e := range l {
		var k string
		switch typ {
		case TSS:
			s, ok := e.(string)
			if !ok {
				return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
			}
			k, shown = s, append(shown, s)
		case TNS:
			s, _ := e.(string)
			n, err := ParseNumber(s)
			if err != nil {
				return err
			}
			k, shown = n.String(), append(shown, s)
		case TBS:
			b, ok := e.([]byte)
			if !ok {
				return errorf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
			}
			k, shown = string(b), append(shown, base64.StdEncoding.EncodeToString(b))
		}
		if seen[k] {
			return errorf("One or more parameter values were invalid: Input collection [%s] contains duplicates.", strings.Join(shown, ", "))
		}
		seen[k] = true
	}
	return nil
}

// ValidateItem validates every attribute of an item.
func ValidateItem(item Item) error {
	for _, v := range item {
		if err := Validate(v); err != nil {
			return err
		}
	}
	return nil
}

// Equal reports whether two AttributeValues are equal as DynamoDB compares
// them: numbers numerically, sets regardless of order. A malformed value (a
// member whose Go type does not match its type key, such as {"S":[]}) is
// equal to nothing; Equal never panics.
func Equal(a, b any) bool {
	ta, va, ok1 := Type(a)
	tb, vb, ok2 := Type(b)
	if !ok1 || !ok2 || ta != tb {
		return false
	}
	switch ta {
	case TS:
		x, ok1 := va.(string)
		y, ok2 := vb.(string)
		return ok1 && ok2 && x == y
	case TN:
		x, e1 := ParseNumber(asString(va))
		y, e2 := ParseNumber(asString(vb))
		return e1 == nil && e2 == nil && x.Cmp(y) == 0
	case TB:
		x, ok1 := va.([]byte)
		y, ok2 := vb.([]byte)
		return ok1 && ok2 && bytes.Equal(x, y)
	case TBOOL, TNULL:
		x, ok1 := va.(bool)
		y, ok2 := vb.(bool)
		return ok1 && ok2 && x == y
	case TL:
		x, ok1 := va.([]any)
		y, ok2 := vb.([]any)
		if !ok1 || !ok2 || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case TM:
		x, ok1 := va.(map[string]any)
		y, ok2 := vb.(map[string]any)
		if !ok1 || !ok2 || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok || !Equal(e, f) {
				return false
			}
		}
		return true
	case TSS, TNS, TBS:
		x, ok1 := va.([]any)
		y, ok2 := vb.([]any)
		if !ok1 || !ok2 || len(x) != len(y) {
			return false
		}
		ks := make(map[string]bool, len(x))
		for _, e := range x {
			k, ok := setElemKey(ta, e)
			if !ok {
				return false
			}
			ks[k] = true
		}
		for _, e := range y {
			if k, ok := setElemKey(ta, e); !ok || !ks[k] {
				return false
			}
		}
		return true
	}
	return false
}

// setElemKey is setKey for an element that must have the set's Go type (a
// string for SS and NS, a valid number for NS, []byte for BS).
func setElemKey(typ string, e any) (string, bool) {
	switch typ {
	case TNS:
		s, ok := e.(string)
		if !ok {
			return "", false
		}
		n, err := ParseNumber(s)
		if err != nil {
			return "", false
		}
		return n.String(), true
	case TBS:
		b, ok := e.([]byte)
		return string(b), ok
	}
	s, ok := e.(string)
	return s, ok
}

func asString(v any) string { s, _ := v.(string); return s }

func setKey(typ string, e any) string {
	switch typ {
	case TNS:
		if n, err := ParseNumber(asString(e)); err == nil {
			return n.String()
		}
		return asString(e)
	case TBS:
		b, _ := e.([]byte)
		return string(b)
	}
	return asString(e)
}

func setKeys(typ string, l []any) map[string]bool {
	m := make(map[string]bool, len(l))
	for _, e := range l {
		m[setKey(typ, e)] = true
	}
	return m
}

// Compare orders two scalars of the same type (S, N or B); ok is false for
// other types or a type mismatch: DynamoDB's <, >, BETWEEN are then false.
func Compare(a, b any) (int, bool) {
	ta, va, ok1 := Type(a)
	tb, vb, ok2 := Type(b)
	if !ok1 || !ok2 || ta != tb {
		return 0, false
	}
	switch ta {
	case TS:
		return strings.Compare(asString(va), asString(vb)), true
	case TN:
		x, e1 := ParseNumber(asString(va))
		y, e2 := ParseNumber(asString(vb))
		if e1 != nil || e2 != nil {
			return 0, false
		}
		return x.Cmp(y), true
	case TB:
		x, _ := va.([]byte)
		y, _ := vb.([]byte)
		return bytes.Compare(x, y), true
	}
	return 0, false
}

// Size is the stored size of an AttributeValue in bytes, as DynamoDB counts
// it for the 400 KB item limit and capacity units.
func Size(av any) int {
	typ, v, ok := Type(av)
	if !ok {
		return 0
	}
	switch typ {
	case TS:
		return len(asString(v))
	case TN:
		return numberSize(asString(v))
	case TB:
		b, _ := v.([]byte)
		return len(b)
	case TBOOL, TNULL:
		return 1
	case TL:
		l, _ := v.([]any)
		n := 3
		for _, e := range l {
			n += 1 + Size(e)
		}
		return n
	case TM:
		m, _ := v.(map[string]any)
		n := 3
		for k, e := range m {
			n += 1 + len(k) + Size(e)
		}
		return n
	case TSS, TBS:
		l, _ := v.([]any)
		n := 0
		for _, e := range l {
			switch x := e.(type) {
			case string:
				n += len(x)
			case []byte:
				n += len(x)
			}
		}
		return n
	case TNS:
		l, _ := v.([]any)
		n := 0
		for _, e := range l {
			n += numberSize(asString(e))
		}
		return n
	}
	return 0
}

// numberSize: "numbers are variable length, with up to 38 significant
// digits; leading and trailing zeroes are trimmed; approximately one byte per
// two significant digits, plus one byte".
func numberSize(s string) int {
	n, err := ParseNumber(s)
	if err != nil {
		return len(s)
	}
	return (n.digits()+1)/2 + 1
}

// ItemSize is the size of an item: attribute names plus values.
func ItemSize(item Item) int {
	n := 0
	for k, v := range item {
		n += len(k) + Size(v)
	}
	return n
}

// Canonical returns av with numbers normalised as DynamoDB returns them
// ("1.50" -> "1.5") and sets in a deterministic order.
func Canonical(av any) any {
	typ, v, ok := Type(av)
	if !ok {
		return av
	}
	switch typ {
	case TN:
		if n, err := ParseNumber(asString(v)); err == nil {
			return map[string]any{TN: n.String()}
		}
	case TL:
		l, _ := v.([]any)
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = Canonical(e)
		}
		return map[string]any{TL: out}
	case TM:
		m, _ := v.(map[string]any)
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = Canonical(e)
		}
		return map[string]any{TM: out}
	case TNS:
		l, _ := v.([]any)
		out := make([]any, len(l))
		for i, e := range l {
			if n, err := ParseNumber(asString(e)); err == nil {
				out[i] = n.String()
			} else {
				out[i] = e
			}
		}
		return map[string]any{TNS: out}
	}
	return av
}

// CanonicalItem applies Canonical to every attribute.
func CanonicalItem(item Item) Item {
	out := make(Item, len(item))
	for k, v := range item {
		out[k] = Canonical(v)
	}
	return out
}

// Copy returns a deep copy of an AttributeValue.
func Copy(av any) any {
	switch x := av.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, v := range x {
			m[k] = Copy(v)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, v := range x {
			l[i] = Copy(v)
		}
		return l
	case []byte:
		return append([]byte(nil), x...)
	}
	return av
}

// CopyItem deep-copies an item.
func CopyItem(item Item) Item {
	if item == nil {
		return nil
	}
	return Copy(item).(map[string]any)
}

// sortedKeys returns a map's keys in order (deterministic output).
func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
