package jsonrpc

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// MaxBodySize caps a non-streaming JSON body a decoder reads (client or
// server): 16 MiB, above any AWS JSON API's request limit (DynamoDB's
// BatchWriteItem tops out at 16 MB).
const MaxBodySize = 16 << 20

// maxDepth bounds nesting in decoded documents so hostile input cannot
// exhaust the stack.
const maxDepth = 256

// ErrBodyTooLarge is returned (wrapped) when a body exceeds MaxBodySize.
var ErrBodyTooLarge = errors.New("body exceeds 16 MiB")

// Marshal renders v, a canonical value of ref's shape, as JSON the way the
// AWS JSON protocols do: members under their locationName, blobs base64,
// timestamps epoch seconds unless a timestampFormat trait says otherwise,
// NaN and infinities as strings, nil members omitted (nil items of sparse
// lists and maps written as null).
func Marshal(ref *model.ShapeRef, v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := AppendValue(&buf, ref, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// AppendValue writes the JSON of v (a value of ref's shape) to buf.
func AppendValue(buf *bytes.Buffer, ref *model.ShapeRef, v any) error {
	return encode(buf, ref, v, "")
}

func encode(buf *bytes.Buffer, ref *model.ShapeRef, v any, path string) error {
	sh := ref.Shape
	if v == nil {
		buf.WriteString("null")
		return nil
	}
	if sh.Document {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s: document: %w", path, err)
		}
		buf.Write(b)
		return nil
	}
	bad := func() error { return fmt.Errorf("%s: %T is not a valid %s", pathOr(path, sh.Name), v, sh.Type) }
	switch sh.Type {
	case "structure":
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		buf.WriteByte('{')
		first := true
		for _, name := range sh.MemberNames {
			mv, ok := m[name]
			if !ok || mv == nil {
				continue
			}
			mref := sh.Members[name]
			if !first {
				buf.WriteByte(',')
			}
			first = false
			writeString(buf, jsonName(mref, name))
			buf.WriteByte(':')
			if err := encode(buf, mref, mv, path+"."+name); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case "list":
		items, ok := v.([]any)
		if !ok {
			return bad()
		}
		buf.WriteByte('[')
		for i, it := range items {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encode(buf, sh.Member, it, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		buf.WriteByte('{')
		first := true
		for _, k := range keys {
			if m[k] == nil && !sh.Sparse {
				continue
			}
			if !first {
				buf.WriteByte(',')
			}
			first = false
			writeString(buf, k)
			buf.WriteByte(':')
			if err := encode(buf, sh.Value, m[k], path+"."+k); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case "string", "character": // character: the legacy suites' one-letter string type
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		writeString(buf, s)
	case "integer", "long", "short", "byte":
		n, ok := v.(int64)
		if !ok {
			return bad()
		}
		buf.WriteString(strconv.FormatInt(n, 10))
	case "float", "double":
		f, ok := v.(float64)
		if !ok {
			return bad()
		}
		writeFloat(buf, f)
	case "boolean":
		b, ok := v.(bool)
		if !ok {
			return bad()
		}
		buf.WriteString(strconv.FormatBool(b))
	case "timestamp":
		t, ok := v.(time.Time)
		if !ok {
			return bad()
		}
		switch f := protocol.TimestampFormat(ref, protocol.UnixTimestamp); f {
		case protocol.UnixTimestamp:
			if t.Nanosecond() == 0 {
				buf.WriteString(strconv.FormatInt(t.Unix(), 10))
			} else {
				buf.WriteString(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
			}
		default:
			writeString(buf, protocol.FormatTimestamp(t, f))
		}
	case "blob":
		b, ok := v.([]byte)
		if !ok {
			return bad()
		}
		buf.WriteByte('"')
		buf.WriteString(base64.StdEncoding.EncodeToString(b))
		buf.WriteByte('"')
	case "bigInteger", "bigDecimal":
		s, ok := v.(string)
		if !ok || !isJSONNumber(s) {
			return bad()
		}
		buf.WriteString(s)
	default:
		return fmt.Errorf("%s: unsupported shape type %q", pathOr(path, sh.Name), sh.Type)
	}
	return nil
}

func pathOr(path, name string) string {
	if path == "" {
		return name
	}
	return name + path
}

func isJSONNumber(s string) bool {
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil && s != ""
}

func jsonName(ref *model.ShapeRef, name string) string {
	if ref.LocationName != "" {
		return ref.LocationName
	}
	return name
}

func writeFloat(buf *bytes.Buffer, f float64) {
	switch {
	case math.IsNaN(f):
		buf.WriteString(`"NaN"`)
	case math.IsInf(f, 1):
		buf.WriteString(`"Infinity"`)
	case math.IsInf(f, -1):
		buf.WriteString(`"-Infinity"`)
	default:
		b, _ := json.Marshal(f) // finite floats always marshal
		buf.Write(b)
	}
}

func writeString(buf *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replace invalid bytes, as encoding/json does
	}
	b, _ := json.Marshal(s) // strings always marshal
	buf.Write(b)
}

// DecodeError is a JSON body that does not match its shape.
type DecodeError struct {
	Path string // member path, e.g. "Item.id.N"
	Msg  string // an AWS-style message
}

func (e *DecodeError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unmarshal parses data, a JSON document, as a value of ref's shape. Unknown
// members are ignored (clients must tolerate new fields). An empty body
// decodes to an empty structure.
func Unmarshal(ref *model.ShapeRef, data []byte) (any, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		if ref.Shape.Type == "structure" {
			return map[string]any{}, nil
		}
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, &DecodeError{Msg: "invalid JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &DecodeError{Msg: "invalid JSON: trailing data after the top-level value"}
	}
	return FromJSON(ref, raw)
}

// FromJSON converts a value decoded by encoding/json (with UseNumber) into
// the canonical value of ref's shape.
func FromJSON(ref *model.ShapeRef, raw any) (any, error) {
	return decode(ref, raw, "", 0)
}

func tokenName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "START_OBJECT"
	case []any:
		return "START_ARRAY"
	case string:
		return "STRING_VALUE"
	case json.Number:
		return "NUMBER_VALUE"
	case bool:
		return "BOOLEAN_VALUE"
	}
	return "VALUE"
}

var typeNames = map[string]string{
	"structure": "Structure", "list": "List", "map": "Map", "string": "String",
	"integer": "Integer", "long": "Long", "short": "Short", "byte": "Byte",
	"float": "Float", "double": "Double", "boolean": "Boolean", "timestamp": "Date",
	"blob": "ByteBuffer", "bigInteger": "BigInteger", "bigDecimal": "BigDecimal",
}

func decode(ref *model.ShapeRef, raw any, path string, depth int) (any, error) {
	sh := ref.Shape
	if raw == nil {
		return nil, nil
	}
	if depth > maxDepth {
		return nil, &DecodeError{Path: path, Msg: "document nested too deeply"}
	}
	if sh.Document {
		return documentValue(raw), nil
	}
	mismatch := func() error {
		// The Coral-style message AWS JSON services give for type mismatches.
		return &DecodeError{Path: path, Msg: fmt.Sprintf("%s cannot be converted to %s", tokenName(raw), typeNames[sh.Type])}
	}
	join := func(p, k string) string {
		if p == "" {
			return k
		}
		return p + "." + k
	}
	switch sh.Type {
	case "structure":
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, mismatch()
		}
		out := make(map[string]any, len(m))
		for _, name := range sh.MemberNames {
			mref := sh.Members[name]
			if mref.Location != "" {
				continue
			}
			mv, ok := m[jsonName(mref, name)]
			if !ok || mv == nil {
				continue
			}
			v, err := decode(mref, mv, join(path, name), depth+1)
			if err != nil {
				return nil, err
			}
			out[name] = v
		}
		return out, nil
	case "list":
		items, ok := raw.([]any)
		if !ok {
			return nil, mismatch()
		}
		out := make([]any, 0, len(items))
		for i, it := range items {
			if it == nil {
				if sh.Sparse {
					out = append(out, nil)
				}
				continue
			}
			v, err := decode(sh.Member, it, fmt.Sprintf("%s[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case "map":
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, mismatch()
		}
		out := make(map[string]any, len(m))
		for k, it := range m {
			if it == nil {
				if sh.Sparse {
					out[k] = nil
				}
				continue
			}
			v, err := decode(sh.Value, it, join(path, k), depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	case "string", "character": // character: the legacy suites' one-letter string type
		s, ok := raw.(string)
		if !ok {
			return nil, mismatch()
		}
		return s, nil
	case "integer", "long", "short", "byte":
		n, ok := raw.(json.Number)
		if !ok {
			return nil, mismatch()
		}
		i, err := n.Int64()
		if err != nil {
			f, ferr := n.Float64()
			if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
				return nil, &DecodeError{Path: path, Msg: fmt.Sprintf("%s is not a valid %s", n, typeNames[sh.Type])}
			}
			i = int64(f)
		}
		return i, nil
	case "float", "double":
		switch x := raw.(type) {
		case json.Number:
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return nil, mismatch()
			}
			return f, nil
		case string:
			switch x {
			case "NaN":
				return math.NaN(), nil
			case "Infinity":
				return math.Inf(1), nil
			case "-Infinity":
				return math.Inf(-1), nil
			}
		}
		return nil, mismatch()
	case "boolean":
		b, ok := raw.(bool)
		if !ok {
			return nil, mismatch()
		}
		return b, nil
	case "timestamp":
		switch x := raw.(type) {
		case json.Number:
			f, err := x.Float64()
			if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e14 {
				return nil, &DecodeError{Path: path, Msg: fmt.Sprintf("%s is not a valid timestamp", x)}
			}
			return protocol.EpochSeconds(f), nil
		case string:
			t, err := protocol.ParseTimestamp(x, protocol.TimestampFormat(ref, protocol.ISO8601))
			if err != nil {
				return nil, &DecodeError{Path: path, Msg: err.Error()}
			}
			return t, nil
		}
		return nil, mismatch()
	case "blob":
		s, ok := raw.(string)
		if !ok {
			return nil, mismatch()
		}
		b, err := protocol.DecodeBase64(s)
		if err != nil {
			return nil, &DecodeError{Path: path, Msg: "invalid base64 blob"}
		}
		return b, nil
	case "bigInteger", "bigDecimal":
		switch x := raw.(type) {
		case json.Number:
			return x.String(), nil
		case string:
			return x, nil
		}
		return nil, mismatch()
	}
	return nil, &DecodeError{Path: path, Msg: "unsupported shape type " + sh.Type}
}

// documentValue converts json.Number leaves to float64, the document convention.
func documentValue(raw any) any {
	switch x := raw.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return x.String()
		}
		return f
	case map[string]any:
		for k, v := range x {
			x[k] = documentValue(v)
		}
		return x
	case []any:
		for i, v := range x {
			x[i] = documentValue(v)
		}
		return x
	}
	return raw
}

// readBody reads at most MaxBodySize bytes of r.
func readBody(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxBodySize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBodySize {
		return nil, ErrBodyTooLarge
	}
	return b, nil
}

// ReadBody reads a JSON body of at most MaxBodySize bytes.
func ReadBody(r io.Reader) ([]byte, error) { return readBody(r) }
