package session

import (
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// Params are an operation's input: member name -> value. Values may be
// any Go type protocol.Normalize accepts (int, float64, string, time.Time,
// []byte, io.Reader, []any, map[string]any, typed slices and maps).
type Params map[string]any

// validate is botocore's ParamValidator (4.15–4.18): required members,
// unknown members, types, min length and min value. Max length, max value,
// enums and patterns are not checked, as in botocore (4.17).
func validate(in *model.ShapeRef, params map[string]any) error {
	var problems []string
	if in == nil || in.Shape == nil {
		if len(params) > 0 {
			keys := sortedKeys(params)
			for _, k := range keys {
				problems = append(problems, fmt.Sprintf("Unknown parameter in input: \"%s\", must be one of: ", k))
			}
			return &ParamValidationError{Problems: problems}
		}
		return nil
	}
	validateStruct(in.Shape, params, "input", "", &problems)
	if len(problems) > 0 {
		return &ParamValidationError{Problems: problems}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func validateStruct(sh *model.Shape, m map[string]any, where, prefix string, problems *[]string) {
	for _, req := range sh.Required {
		if v, ok := m[req]; !ok || v == nil {
			*problems = append(*problems, fmt.Sprintf("Missing required parameter in %s: \"%s\"", where, req))
		}
	}
	for _, k := range sortedKeys(m) {
		if _, ok := sh.Members[k]; !ok {
			*problems = append(*problems, fmt.Sprintf("Unknown parameter in %s: \"%s\", must be one of: %s", where, k, joinNames(sh.MemberNames)))
		}
	}
	for _, name := range sh.MemberNames {
		v, ok := m[name]
		if !ok || v == nil {
			continue
		}
		validateValue(sh.Members[name], v, join(prefix, name), problems)
	}
}

func joinNames(n []string) string {
	out := ""
	for i, s := range n {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

func pyType(v any) string {
	switch v.(type) {
	case string:
		return "<class 'str'>"
	case bool:
		return "<class 'bool'>"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "<class 'int'>"
	case float32, float64:
		return "<class 'float'>"
	case []byte:
		return "<class 'bytes'>"
	case time.Time:
		return "<class 'datetime.datetime'>"
	case nil:
		return "<class 'NoneType'>"
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.Slice, reflect.Array:
		return "<class 'list'>"
	case reflect.Map, reflect.Struct:
		return "<class 'dict'>"
	}
	return fmt.Sprintf("<class '%T'>", v)
}

func typeErr(path string, v any, valid string, problems *[]string) {
	*problems = append(*problems, fmt.Sprintf("Invalid type for parameter %s, value: %v, type: %s, valid types: %s", path, v, pyType(v), valid))
}

var isoTimestamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$`)

func validateValue(ref *model.ShapeRef, v any, path string, problems *[]string) {
	sh := ref.Shape
	if sh == nil {
		return
	}
	rv := reflect.ValueOf(v)
	switch sh.Type {
	case "structure":
		m, ok := toMap(v)
		if !ok {
			typeErr(path, v, "<class 'dict'>", problems)
			return
		}
		if sh.Document {
			return
		}
		validateStruct(sh, m, path, path, problems)
	case "map":
		m, ok := toMap(v)
		if !ok {
			typeErr(path, v, "<class 'dict'>", problems)
			return
		}
		checkMinLen(sh, path, len(m), problems)
		for _, k := range sortedKeys(m) {
			if sh.Key != nil {
				validateValue(sh.Key, k, path, problems)
			}
			if sh.Value != nil && m[k] != nil {
				validateValue(sh.Value, m[k], path+"."+k, problems)
			}
		}
	case "list":
		if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array || isBytes(v) {
			typeErr(path, v, "<class 'list'>, <class 'tuple'>", problems)
			return
		}
		checkMinLen(sh, path, rv.Len(), problems)
		for i := 0; i < rv.Len(); i++ {
			if e := rv.Index(i).Interface(); e != nil && sh.Member != nil {
				validateValue(sh.Member, e, fmt.Sprintf("%s[%d]", path, i), problems)
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			typeErr(path, v, "<class 'str'>", problems)
			return
		}
		checkMinLen(sh, path, len([]rune(s)), problems)
	case "integer", "long", "short", "byte", "bigInteger":
		n, ok := intValue(v)
		if !ok {
			typeErr(path, v, "<class 'int'>", problems)
			return
		}
		if sh.Min != nil && float64(n) < *sh.Min {
			*problems = append(*problems, fmt.Sprintf("Invalid value for parameter %s, value: %d, valid min value: %d", path, n, int64(*sh.Min)))
		}
	case "float", "double", "bigDecimal":
		f, ok := floatValue(v)
		if !ok {
			typeErr(path, v, "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>", problems)
			return
		}
		if sh.Min != nil && f < *sh.Min {
			*problems = append(*problems, fmt.Sprintf("Invalid value for parameter %s, value: %v, valid min value: %v", path, f, *sh.Min))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			typeErr(path, v, "<class 'bool'>", problems)
		}
	case "timestamp":
		switch t := v.(type) {
		case time.Time:
		case string:
			if !isoTimestamp.MatchString(t) {
				if _, err := protocol.Normalize(ref, t); err != nil {
					typeErr(path, v, "<class 'datetime.datetime'>, timestamp-string", problems)
				}
			}
		default:
			if _, ok := floatValue(v); !ok {
				typeErr(path, v, "<class 'datetime.datetime'>, timestamp-string", problems)
			}
		}
	case "blob":
		switch b := v.(type) {
		case []byte:
			checkMinLen(sh, path, len(b), problems)
		case string:
			checkMinLen(sh, path, len(b), problems)
		case io.Reader:
		default:
			typeErr(path, v, "<class 'bytes'>, <class 'bytearray'>, file-like object", problems)
		}
	}
}

func isBytes(v any) bool { _, ok := v.([]byte); return ok }

func checkMinLen(sh *model.Shape, path string, n int, problems *[]string) {
	if sh.Min != nil && float64(n) < *sh.Min {
		*problems = append(*problems, fmt.Sprintf("Invalid length for parameter %s, value: %d, valid min length: %d", path, n, int64(*sh.Min)))
	}
}

func toMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	if m, ok := v.(Params); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		out[it.Key().String()] = it.Value().Interface()
	}
	return out, true
}

func intValue(v any) (int64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(rv.Uint()), true
	}
	return 0, false
}

func floatValue(v any) (float64, bool) {
	if n, ok := intValue(v); ok {
		return float64(n), true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Float32 || rv.Kind() == reflect.Float64 {
		return rv.Float(), true
	}
	return 0, false
}
