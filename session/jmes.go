package session

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	jmespath "github.com/jmespath-community/go-jmespath"
)

// simplePath matches expressions made only of dotted identifiers, which are
// read and written on the raw output values directly.
var simplePath = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)

var (
	jmesMu    sync.Mutex
	jmesCache = map[string]jmespath.JMESPath{}
)

func compileJMES(expr string) (jmespath.JMESPath, error) {
	jmesMu.Lock()
	defer jmesMu.Unlock()
	if p, ok := jmesCache[expr]; ok {
		return p, nil
	}
	p, err := jmespath.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("session: JMESPath %q: %w", expr, err)
	}
	if len(jmesCache) < 1024 {
		jmesCache[expr] = p
	}
	return p, nil
}

// jmesSearch evaluates a JMESPath expression on an output value. Simple
// paths read the raw values; other expressions see a JSON-like copy (numbers
// float64, timestamps RFC 3339 strings, blobs strings).
func jmesSearch(expr string, data any) (any, error) {
	if expr == "@" || simplePath.MatchString(expr) {
		v, _ := lookupPath(data, expr)
		return v, nil
	}
	p, err := compileJMES(expr)
	if err != nil {
		return nil, err
	}
	return p.Search(jsonish(data))
}

func jsonish(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonish(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonish(e)
		}
		return out
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return string(x)
	case io.Reader:
		return nil
	}
	return v
}

// setPath sets a dotted path in data, creating structures on the way
// (botocore's set_value_from_jmespath).
func setPath(data map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	cur := data
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = v
}
