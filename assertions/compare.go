package assertions

import (
	"math/big"
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// IgnoreResponseMetadata ignores the ResponseMetadata key of output maps
// (request ids, HTTP headers and retry counts differ between calls).
func IgnoreResponseMetadata() cmp.Option {
	return cmpopts.IgnoreMapEntries(func(k string, _ any) bool { return k == "ResponseMetadata" })
}

// EmptyEqualsNil treats empty and missing (nil) maps, lists and strings as
// equal, as AWS outputs often omit empty members.
func EmptyEqualsNil() cmp.Option {
	return cmp.Options{
		cmpopts.EquateEmpty(),
		cmpopts.IgnoreMapEntries(func(_ string, v any) bool { return isEmpty(v) }),
	}
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	case []byte:
		return len(x) == 0
	}
	return false
}

// CanonicalAttributeValue rewrites a DynamoDB AttributeValue ({"N": "1.0"},
// {"SS": [...]}, nested M and L) so that values equal in meaning are equal
// Go values: numbers in lowest terms ("1.0" and "1" are both "1"), sets
// sorted, blobs as strings.
func CanonicalAttributeValue(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for t, x := range m {
		switch t {
		case "N":
			s, _ := x.(string)
			out[t] = canonicalNumber(s)
		case "B":
			out[t] = blobString(x)
		case "SS", "NS", "BS":
			l, _ := x.([]any)
			ss := make([]string, 0, len(l))
			for _, e := range l {
				switch t {
				case "SS":
					s, _ := e.(string)
					ss = append(ss, s)
				case "NS":
					s, _ := e.(string)
					ss = append(ss, canonicalNumber(s))
				default:
					ss = append(ss, blobString(e))
				}
			}
			sort.Strings(ss)
			out[t] = ss
		case "L":
			l, _ := x.([]any)
			cl := make([]any, len(l))
			for i, e := range l {
				cl[i] = CanonicalAttributeValue(e)
			}
			out[t] = cl
		case "M":
			out[t] = CanonicalItem(asMap(x))
		default:
			out[t] = x
		}
	}
	return out
}

// CanonicalItem applies CanonicalAttributeValue to every attribute.
func CanonicalItem(item map[string]any) map[string]any {
	out := make(map[string]any, len(item))
	for k, v := range item {
		out[k] = CanonicalAttributeValue(v)
	}
	return out
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func blobString(v any) string {
	switch b := v.(type) {
	case []byte:
		return string(b)
	case string:
		return b
	}
	return ""
}

func canonicalNumber(s string) string {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return s
	}
	return r.RatString()
}
