package protocol

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
)

// Timestamp formats, as the timestampFormat trait names them.
const (
	ISO8601       = "iso8601"
	RFC822        = "rfc822"
	UnixTimestamp = "unixTimestamp"
)

// TimestampFormat returns the format for a member: the trait on the
// reference, else on the shape, else the protocol's default for its location.
func TimestampFormat(ref *model.ShapeRef, def string) string {
	if ref != nil && ref.TimestampFormat != "" {
		return ref.TimestampFormat
	}
	if ref != nil && ref.Shape != nil && ref.Shape.TimestampFormat != "" {
		return ref.Shape.TimestampFormat
	}
	return def
}

// FormatTimestamp renders t in format. iso8601 uses millisecond precision only
// when the time has a fractional second, as the AWS SDKs do.
func FormatTimestamp(t time.Time, format string) string {
	t = t.UTC()
	switch format {
	case RFC822:
		return t.Format(http1123)
	case UnixTimestamp:
		if t.Nanosecond() == 0 {
			return strconv.FormatInt(t.Unix(), 10)
		}
		ms := t.UnixMilli()
		return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
	default:
		if t.Nanosecond() != 0 {
			return t.Format("2006-01-02T15:04:05.000Z")
		}
		return t.Format("2006-01-02T15:04:05Z")
	}
}

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

// ParseTimestamp reads a timestamp in any of the three formats; format is a
// hint tried first.
func ParseTimestamp(s, format string) (time.Time, error) {
	s = strings.TrimSpace(s)
	try := []string{format, ISO8601, RFC822, UnixTimestamp}
	for _, f := range try {
		switch f {
		case UnixTimestamp:
			if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
				return EpochSeconds(v), nil
			}
		case RFC822:
			for _, layout := range []string{http1123, time.RFC1123, time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 GMT"} {
				if t, err := time.Parse(layout, s); err == nil {
					return t.UTC(), nil
				}
			}
		case ISO8601:
			for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "20060102T150405Z"} {
				if t, err := time.Parse(layout, s); err == nil {
					return t.UTC(), nil
				}
			}
		}
	}
	return time.Time{}, fmt.Errorf("invalid timestamp %q", s)
}

// EpochSeconds converts fractional epoch seconds to a UTC time, rounded to
// the millisecond as AWS timestamps are.
func EpochSeconds(v float64) time.Time {
	ms := math.Round(v * 1000)
	return time.UnixMilli(int64(ms)).UTC()
}

// Normalize converts a loosely typed Go value into the canonical form for
// the shape of ref (see the package documentation). It accepts, per type:
// integers of any Go width, float32/64 and json.Number for numbers; time.Time,
// epoch numbers and timestamp strings for timestamps; []byte, string and
// io.Reader for blobs; map[string]any and []any (or typed slices/maps of
// those) for aggregates. Unknown structure members are an error.
func Normalize(ref *model.ShapeRef, v any) (any, error) {
	if ref == nil || ref.Shape == nil {
		return nil, fmt.Errorf("normalize: no shape")
	}
	return normalize(ref, v, "")
}

func normalize(ref *model.ShapeRef, v any, path string) (any, error) {
	sh := ref.Shape
	if v == nil {
		return nil, nil
	}
	if path == "" {
		path = sh.Name
	}
	bad := func() (any, error) {
		return nil, fmt.Errorf("%s: %T is not a valid %s", path, v, sh.Type)
	}
	if sh.Document {
		return v, nil
	}
	if ref.JSONValue && (sh.Type == "string" || sh.Type == "character") {
		switch v.(type) {
		case string, []byte, fmt.Stringer:
		default:
			// A jsonvalue member given as a Go value (a map, as boto3 takes
			// a dict) is carried as its compact JSON text.
			b, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("%s: jsonvalue: %w", path, err)
			}
			return string(b), nil
		}
	}
	switch sh.Type {
	case "structure":
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		out := make(map[string]any, len(m))
		for k, mv := range m {
			mref, ok := sh.Members[k]
			if !ok {
				return nil, fmt.Errorf("%s: unknown member %q", path, k)
			}
			nv, err := normalize(mref, mv, path+"."+k)
			if err != nil {
				return nil, err
			}
			out[k] = nv
		}
		return out, nil
	case "list":
		items, ok := asList(v)
		if !ok {
			return bad()
		}
		out := make([]any, len(items))
		for i, it := range items {
			nv, err := normalize(sh.Member, it, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = nv
		}
		return out, nil
	case "map":
		m, ok := asMap(v)
		if !ok {
			return bad()
		}
		out := make(map[string]any, len(m))
		for k, mv := range m {
			nv, err := normalize(sh.Value, mv, path+"."+k)
			if err != nil {
				return nil, err
			}
			out[k] = nv
		}
		return out, nil
	case "string", "character": // character: the legacy suites' one-letter string type
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case fmt.Stringer:
			return x.String(), nil
		}
		return bad()
	case "integer", "long", "short", "byte":
		switch x := v.(type) {
		case int:
			return int64(x), nil
		case int8:
			return int64(x), nil
		case int16:
			return int64(x), nil
		case int32:
			return int64(x), nil
		case int64:
			return x, nil
		case uint:
			return int64(x), nil
		case uint8:
			return int64(x), nil
		case uint16:
			return int64(x), nil
		case uint32:
			return int64(x), nil
		case uint64:
			if x > math.MaxInt64 {
				return bad()
			}
			return int64(x), nil
		case float64:
			if x != math.Trunc(x) {
				return bad()
			}
			return int64(x), nil
		case float32:
			if float64(x) != math.Trunc(float64(x)) {
				return bad()
			}
			return int64(x), nil
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				return bad()
			}
			return n, nil
		}
		return bad()
	case "float", "double":
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int:
			return float64(x), nil
		case int64:
			return float64(x), nil
		case int32:
			return float64(x), nil
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				return bad()
			}
			return f, nil
		case string:
			// The protocol tests spell special values as strings.
			switch x {
			case "NaN":
				return math.NaN(), nil
			case "Infinity":
				return math.Inf(1), nil
			case "-Infinity":
				return math.Inf(-1), nil
			}
		}
		return bad()
	case "boolean":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return bad()
	case "timestamp":
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case float64:
			return EpochSeconds(x), nil
		case int64:
			return time.Unix(x, 0).UTC(), nil
		case int:
			return time.Unix(int64(x), 0).UTC(), nil
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				return bad()
			}
			return EpochSeconds(f), nil
		case string:
			t, err := ParseTimestamp(x, ISO8601)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return t, nil
		}
		return bad()
	case "blob":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		case io.Reader:
			if sh.Streaming || ref.Streaming {
				return x, nil
			}
			b, err := io.ReadAll(x)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return b, nil
		}
		return bad()
	case "bigInteger", "bigDecimal":
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case int:
			return strconv.Itoa(x), nil
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		}
		return bad()
	}
	return nil, fmt.Errorf("%s: unsupported shape type %q", path, sh.Type)
}

func asList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	case []map[string]any:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	case []int:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	case []int64:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

func asMap(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case map[string]any:
		return x, true
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out, true
	}
	return nil, false
}

// DecodeBase64 decodes standard base64, with or without padding.
func DecodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}
