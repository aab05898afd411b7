package rest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// NewIdempotencyToken makes the value of an idempotency token the caller left
// out: a random UUID v4. Tests replace it for deterministic requests.
var NewIdempotencyToken = func() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// FillIdempotencyTokens returns params with every absent top-level member
// marked idempotencyToken set to NewIdempotencyToken(), as botocore does.
// params itself is not modified; it is returned as is when nothing is filled.
func FillIdempotencyTokens(in *model.ShapeRef, params map[string]any) map[string]any {
	if in == nil || in.Shape == nil {
		return params
	}
	var out map[string]any
	for _, name := range in.Shape.MemberNames {
		ref := in.Shape.Members[name]
		if !ref.IdempotencyToken {
			continue
		}
		if v, ok := params[name]; ok && v != nil {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(params)+1)
			for k, v := range params {
				out[k] = v
			}
		}
		out[name] = NewIdempotencyToken()
	}
	if out == nil {
		return params
	}
	return out
}

// FormatFloat renders a float as AWS does outside JSON bodies: shortest
// round-trip decimal, and NaN, Infinity, -Infinity spelled out.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	if a := math.Abs(f); a != 0 && (a >= 1e21 || a < 1e-6) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// ParseFloat reads a float written by FormatFloat.
func ParseFloat(s string) (float64, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid number %q", s)
	}
	return f, nil
}

// FormatScalar renders a scalar value of ref's shape as text for a URI label,
// query string or header. tsDefault is the location's default timestamp format.
func FormatScalar(ref *model.ShapeRef, v any, tsDefault string) (string, error) {
	sh := ref.Shape
	switch sh.Type {
	case "string", "character": // character: the legacy suites' one-letter string type
		s, ok := v.(string)
		if !ok && ref.JSONValue {
			// A jsonvalue given as a Go value rather than JSON text (boto3
			// takes a dict): send its compact JSON, as botocore does.
			b, err := json.Marshal(v)
			if err != nil {
				return "", fmt.Errorf("jsonvalue: %w", err)
			}
			s, ok = string(b), true
		}
		if !ok {
			return "", fmt.Errorf("%T is not a string", v)
		}
		if ref.JSONValue {
			// The value is JSON text already (smithy's mediaType strings).
			return base64.StdEncoding.EncodeToString([]byte(s)), nil
		}
		return s, nil
	case "integer", "long", "short", "byte":
		n, ok := v.(int64)
		if !ok {
			return "", fmt.Errorf("%T is not an integer", v)
		}
		return strconv.FormatInt(n, 10), nil
	case "float", "double":
		f, ok := v.(float64)
		if !ok {
			return "", fmt.Errorf("%T is not a number", v)
		}
		return FormatFloat(f), nil
	case "boolean":
		b, ok := v.(bool)
		if !ok {
			return "", fmt.Errorf("%T is not a boolean", v)
		}
		return strconv.FormatBool(b), nil
	case "timestamp":
		t, ok := v.(time.Time)
		if !ok {
			return "", fmt.Errorf("%T is not a timestamp", v)
		}
		return protocol.FormatTimestamp(t, protocol.TimestampFormat(ref, tsDefault)), nil
	case "blob":
		b, ok := v.([]byte)
		if !ok {
			return "", fmt.Errorf("%T is not a blob", v)
		}
		return base64.StdEncoding.EncodeToString(b), nil
	case "bigInteger", "bigDecimal":
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("%T is not a decimal string", v)
		}
		return s, nil
	}
	return "", fmt.Errorf("a %s cannot be bound to a URI, query string or header", sh.Type)
}

// ParseScalar reads text written by FormatScalar back into a value of ref's shape.
func ParseScalar(ref *model.ShapeRef, s string, tsDefault string) (any, error) {
	sh := ref.Shape
	switch sh.Type {
	case "string", "character": // character: the legacy suites' one-letter string type
		if ref.JSONValue {
			b, err := protocol.DecodeBase64(s)
			if err != nil {
				return nil, fmt.Errorf("invalid base64 JSON value")
			}
			if !json.Valid(b) {
				return nil, fmt.Errorf("invalid JSON value")
			}
			return string(b), nil
		}
		return s, nil
	case "integer", "long", "short", "byte":
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid integer %q", s)
		}
		return n, nil
	case "float", "double":
		return ParseFloat(strings.TrimSpace(s))
	case "boolean":
		switch strings.TrimSpace(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("invalid boolean %q", s)
	case "timestamp":
		return protocol.ParseTimestamp(s, protocol.TimestampFormat(ref, tsDefault))
	case "blob":
		b, err := protocol.DecodeBase64(s)
		if err != nil {
			return nil, fmt.Errorf("invalid base64 value")
		}
		return b, nil
	case "bigInteger", "bigDecimal":
		return s, nil
	}
	return nil, fmt.Errorf("a %s cannot be bound to a URI, query string or header", sh.Type)
}
