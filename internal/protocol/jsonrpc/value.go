package jsonrpc

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
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
	return encode(buf, ref, v, nil)
}

func encode(buf *bytes.Buffer, ref *model.ShapeRef, v any, path *memberPath) error {
	sh := ref.Shape
	if v == nil {
		buf.WriteString("null")
		return nil
	}
	if sh.Document {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s: document: %w", path.enc(), err)
		}
		buf.Write(b)
		return nil
	}
	bad := func() error { return fmt.Errorf("%s: %T is not a valid %s", pathOr(path.enc(), sh.Name), v, sh.Type) }
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
			if err := encode(buf, mref, mv, &memberPath{up: path, key: name, idx: -1}); err != nil {
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
			if err := encode(buf, sh.Member, it, &memberPath{up: path, idx: i}); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		var small [16]string // most maps are small: sort their keys on the stack
		keys := small[:0]
		if len(m) > len(small) {
			keys = make([]string, 0, len(m))
		}
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
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
			if err := encode(buf, sh.Value, m[k], &memberPath{up: path, key: k, idx: -1}); err != nil {
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
		return fmt.Errorf("%s: unsupported shape type %q", pathOr(path.enc(), sh.Name), sh.Type)
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

// writeFloat writes f as encoding/json does (shortest repr, exponent form
// below 1e-6 and from 1e21, "e-07" cleaned to "e-7"), NaN and infinities as
// the AWS strings.
func writeFloat(buf *bytes.Buffer, f float64) {
	switch {
	case math.IsNaN(f):
		buf.WriteString(`"NaN"`)
	case math.IsInf(f, 1):
		buf.WriteString(`"Infinity"`)
	case math.IsInf(f, -1):
		buf.WriteString(`"-Infinity"`)
	default:
		var a [32]byte
		format := byte('f')
		if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
			format = 'e'
		}
		b := strconv.AppendFloat(a[:0], f, format, -1, 64)
		if format == 'e' {
			if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
				b[n-2] = b[n-1]
				b = b[:n-1]
			}
		}
		buf.Write(b)
	}
}

const hexDigits = "0123456789abcdef"

// writeString writes s as a JSON string exactly as json.Marshal would
// (HTML-escaped <, >, &; U+2028/U+2029 escaped; invalid UTF-8 replaced by
// U+FFFD), without reflection or an intermediate slice.
func writeString(buf *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replace invalid bytes, as encoding/json does
	}
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			buf.WriteString(s[start:i])
			switch b {
			case '\\', '"':
				buf.WriteByte('\\')
				buf.WriteByte(b)
			case '\b':
				buf.WriteString(`\b`)
			case '\f':
				buf.WriteString(`\f`)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			default: // other control bytes and <, >, &
				buf.WriteString(`\u00`)
				buf.WriteByte(hexDigits[b>>4])
				buf.WriteByte(hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == '\u2028' || c == '\u2029' {
			buf.WriteString(s[start:i])
			buf.WriteString(`\u202`)
			buf.WriteByte(hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}

// plainShapes caches plainMembers by *model.Shape.
var plainShapes sync.Map

// plainMembers reports whether every member of sh is found in JSON under its
// own name (no locationName other than the name), so a decoded object's
// keys are already the member names.
func plainMembers(sh *model.Shape) bool {
	if v, ok := plainShapes.Load(sh); ok {
		return v.(bool)
	}
	plain := true
	for name, ref := range sh.Members {
		if ref == nil || (ref.LocationName != "" && ref.LocationName != name) {
			plain = false
			break
		}
	}
	plainShapes.Store(sh, plain)
	return plain
}

// memberPath is the path of the value being encoded or decoded, rendered
// only when an error names it (building it eagerly cost an allocation per
// member). idx >= 0 marks a list item, else key is a member or map key.
type memberPath struct {
	up  *memberPath
	key string
	idx int
}

// enc renders the path as encode's errors show it: ".A.B[2]".
func (p *memberPath) enc() string {
	if p == nil {
		return ""
	}
	s := p.up.enc()
	if p.idx >= 0 {
		return s + "[" + strconv.Itoa(p.idx) + "]"
	}
	return s + "." + p.key
}

// dec renders the path as DecodeError.Path: "A.B[2]".
func (p *memberPath) dec() string {
	if p == nil {
		return ""
	}
	s := p.up.dec()
	if p.idx >= 0 {
		return s + "[" + strconv.Itoa(p.idx) + "]"
	}
	if s == "" {
		return p.key
	}
	return s + "." + p.key
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
	if raw, ok := parseJSON(data); ok {
		// The tree is ours alone: convert its maps and lists in place.
		return decode(ref, raw, nil, 0, true)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, &DecodeError{Msg: "invalid JSON: " + err.Error()}
	}
	// Only whitespace may follow the value, and data ends in none: the
	// value must end the input (cheaper than asking dec.Token for io.EOF).
	if dec.InputOffset() != int64(len(data)) {
		return nil, &DecodeError{Msg: "invalid JSON: trailing data after the top-level value"}
	}
	return FromJSON(ref, raw)
}

// FromJSON converts a value decoded by encoding/json (with UseNumber) into
// the canonical value of ref's shape.
func FromJSON(ref *model.ShapeRef, raw any) (any, error) {
	return decode(ref, raw, nil, 0, false)
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

// decode converts raw to ref's shape. With own, raw is a tree nobody else
// holds (parsed by Unmarshal) and its maps and lists are reused for the
// result rather than copied; the result is the same either way.
func decode(ref *model.ShapeRef, raw any, path *memberPath, depth int, own bool) (any, error) {
	sh := ref.Shape
	if raw == nil {
		return nil, nil
	}
	if depth > maxDepth {
		return nil, &DecodeError{Path: path.dec(), Msg: "document nested too deeply"}
	}
	if sh.Document {
		return documentValue(raw), nil
	}
	mismatch := func() error {
		// The Coral-style message AWS JSON services give for type mismatches.
		return &DecodeError{Path: path.dec(), Msg: fmt.Sprintf("%s cannot be converted to %s", tokenName(raw), typeNames[sh.Type])}
	}
	switch sh.Type {
	case "structure":
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, mismatch()
		}
		if own && plainMembers(sh) {
			// Same members as the copy below: drop what it would not copy
			// first, then decode in model order (the same first error).
			for k, v := range m {
				if mref := sh.Members[k]; mref == nil || mref.Location != "" || v == nil {
					delete(m, k)
				}
			}
			for _, name := range sh.MemberNames {
				mv, ok := m[name]
				if !ok {
					continue
				}
				v, err := decode(sh.Members[name], mv, &memberPath{up: path, key: name, idx: -1}, depth+1, own)
				if err != nil {
					return nil, err
				}
				m[name] = v
			}
			return m, nil
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
			v, err := decode(mref, mv, &memberPath{up: path, key: name, idx: -1}, depth+1, own)
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
		out := items[:0] // own: write back over the items already read
		if !own {
			out = make([]any, 0, len(items))
		}
		for i, it := range items {
			if it == nil {
				if sh.Sparse {
					out = append(out, nil)
				}
				continue
			}
			v, err := decode(sh.Member, it, &memberPath{up: path, idx: i}, depth+1, own)
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
		out := m // own: replace values under the same keys
		if !own {
			out = make(map[string]any, len(m))
		}
		for k, it := range m {
			if it == nil {
				if sh.Sparse {
					out[k] = nil
				} else if own {
					delete(out, k)
				}
				continue
			}
			v, err := decode(sh.Value, it, &memberPath{up: path, key: k, idx: -1}, depth+1, own)
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
				return nil, &DecodeError{Path: path.dec(), Msg: fmt.Sprintf("%s is not a valid %s", n, typeNames[sh.Type])}
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
				return nil, &DecodeError{Path: path.dec(), Msg: fmt.Sprintf("%s is not a valid timestamp", x)}
			}
			return protocol.EpochSeconds(f), nil
		case string:
			t, err := protocol.ParseTimestamp(x, protocol.TimestampFormat(ref, protocol.ISO8601))
			if err != nil {
				return nil, &DecodeError{Path: path.dec(), Msg: err.Error()}
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
			return nil, &DecodeError{Path: path.dec(), Msg: "invalid base64 blob"}
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
	return nil, &DecodeError{Path: path.dec(), Msg: "unsupported shape type " + sh.Type}
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
