package dynamodb

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// Decimal is a DynamoDB number kept as its decimal string, as boto3 uses
// decimal.Decimal: no float rounding on the way in or out.
type Decimal string

// Binary is a B value (boto3's Binary).
type Binary []byte

// StringSet, NumberSet and BinarySet are the SS, NS and BS set types.
type (
	StringSet []string
	NumberSet []Decimal
	BinarySet [][]byte
)

// ErrFloat is boto3's TypeError for float values: DynamoDB numbers must be
// exact, so floats are refused rather than rounded.
var ErrFloat = errors.New("Float types are not supported. Use Decimal types instead.")

// NumberError is boto3's decimal trap for a number DynamoDB cannot hold
// exactly (more than 38 significant digits, or out of range).
type NumberError struct {
	Value  string
	Reason string // "Inexact" (precision) , "Overflow", "Underflow" or "Invalid"
}

func (e *NumberError) Error() string {
	return fmt.Sprintf("dynamodb: number %q: %s", e.Value, e.Reason)
}

var numberRE = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// checkNumber applies boto3's DYNAMODB_CONTEXT (precision 38, Emax 126,
// Emin -128, Inexact/Rounded/Overflow/Underflow trapped).
func checkNumber(s string) error {
	m := numberRE.FindStringSubmatch(s)
	if m == nil {
		return &NumberError{s, "Invalid"}
	}
	intPart, frac, _ := strings.Cut(m[1], ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	exp := 0
	if m[2] != "" {
		fmt.Sscanf(m[2][1:], "%d", &exp)
	}
	if digits == "" {
		return nil // zero
	}
	// Rounded is trapped too, so even trailing zeros beyond 38 digits fail.
	if len(digits) > 38 {
		return &NumberError{s, "Inexact"}
	}
	// adjusted exponent of the leading digit
	lead := len(strings.TrimLeft(intPart, "0")) - 1
	if lead < 0 {
		lead = -(len(frac) - len(strings.TrimLeft(frac, "0"))) - 1
	}
	adj := lead + exp
	if adj > 126 {
		return &NumberError{s, "Overflow"}
	}
	if adj < -128 {
		return &NumberError{s, "Underflow"}
	}
	return nil
}

// Serialize is boto3's TypeSerializer.serialize: string → S, Decimal and
// integers → N, []byte/Binary → B, StringSet/NumberSet/BinarySet → SS/NS/BS,
// slices → L, string-keyed maps → M, nil → NULL, bool → BOOL. Floats are
// ErrFloat (6.15).
func Serialize(v any) (map[string]any, error) {
	switch x := v.(type) {
	case nil:
		return map[string]any{"NULL": true}, nil
	case bool:
		return map[string]any{"BOOL": x}, nil
	case string:
		return map[string]any{"S": x}, nil
	case Decimal:
		if err := checkNumber(string(x)); err != nil {
			return nil, err
		}
		return map[string]any{"N": string(x)}, nil
	case float32, float64:
		return nil, ErrFloat
	case []byte:
		return map[string]any{"B": x}, nil
	case Binary:
		return map[string]any{"B": []byte(x)}, nil
	case StringSet:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return map[string]any{"SS": l}, nil
	case NumberSet:
		l := make([]any, len(x))
		for i, n := range x {
			if err := checkNumber(string(n)); err != nil {
				return nil, err
			}
			l[i] = string(n)
		}
		return map[string]any{"NS": l}, nil
	case BinarySet:
		l := make([]any, len(x))
		for i, b := range x {
			l[i] = b
		}
		return map[string]any{"BS": l}, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"N": fmt.Sprint(rv.Int())}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"N": fmt.Sprint(rv.Uint())}, nil
	case reflect.Slice, reflect.Array:
		l := make([]any, rv.Len())
		for i := range l {
			av, err := Serialize(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			l[i] = av
		}
		return map[string]any{"L": l}, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		m := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			av, err := Serialize(it.Value().Interface())
			if err != nil {
				return nil, err
			}
			m[it.Key().String()] = av
		}
		return map[string]any{"M": m}, nil
	case reflect.Pointer:
		if rv.IsNil() {
			return map[string]any{"NULL": true}, nil
		}
		return Serialize(rv.Elem().Interface())
	}
	return nil, fmt.Errorf("Unsupported type \"%T\" for value \"%v\"", v, v)
}

// SerializeItem serialises every attribute of an item (Table.put_item's Item).
func SerializeItem(item map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(item))
	for k, v := range item {
		av, err := Serialize(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}

// Deserialize is boto3's TypeDeserializer.deserialize (6.16): N → Decimal,
// B → Binary, SS/NS/BS → the set types, L → []any, M → map[string]any,
// NULL → nil, BOOL → bool, S → string.
func Deserialize(av any) (any, error) {
	m, ok := av.(map[string]any)
	if !ok || len(m) != 1 {
		return nil, fmt.Errorf("Value must be a nonempty dictionary whose key is a valid dynamodb type.")
	}
	var typ string
	var v any
	for typ, v = range m {
	}
	bad := func() (any, error) { return nil, fmt.Errorf("dynamodb: %s value of type %T", typ, v) }
	switch typ {
	case "NULL":
		return nil, nil
	case "BOOL":
		b, ok := v.(bool)
		if !ok {
			return bad()
		}
		return b, nil
	case "S":
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		return s, nil
	case "N":
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		return Decimal(s), nil
	case "B":
		b, ok := v.([]byte)
		if !ok {
			return bad()
		}
		return Binary(b), nil
	case "SS", "NS", "BS", "L":
		l, ok := v.([]any)
		if !ok {
			return bad()
		}
		switch typ {
		case "SS":
			out := make(StringSet, len(l))
			for i, x := range l {
				if out[i], ok = x.(string); !ok {
					return bad()
				}
			}
			return out, nil
		case "NS":
			out := make(NumberSet, len(l))
			for i, x := range l {
				s, ok := x.(string)
				if !ok {
					return bad()
				}
				out[i] = Decimal(s)
			}
			return out, nil
		case "BS":
			out := make(BinarySet, len(l))
			for i, x := range l {
				if out[i], ok = x.([]byte); !ok {
					return bad()
				}
			}
			return out, nil
		}
		out := make([]any, len(l))
		for i, x := range l {
			d, err := Deserialize(x)
			if err != nil {
				return nil, err
			}
			out[i] = d
		}
		return out, nil
	case "M":
		mm, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		return DeserializeItem(mm)
	}
	return nil, fmt.Errorf("Dynamodb type %s is not supported", typ)
}

// DeserializeItem deserialises every attribute of an item.
func DeserializeItem(item map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(item))
	keys := make([]string, 0, len(item))
	for k := range item {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d, err := Deserialize(item[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = d
	}
	return out, nil
}
