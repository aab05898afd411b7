package session

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ResponseMetadata is boto3's ResponseMetadata (4.03, 4.04, 4.31).
type ResponseMetadata struct {
	RequestID          string
	HostID             string
	HTTPStatusCode     int
	HTTPHeaders        http.Header
	RetryAttempts      int
	MaxAttemptsReached bool
	RetryQuotaReached  bool
}

// Output is an operation's parsed output: the members that were present
// (4.03), as the protocol layer's values (structures map[string]any, lists
// []any, integers int64, timestamps time.Time, blobs []byte, streaming
// bodies io.ReadCloser), with typed accessors by path.
type Output struct {
	Data             map[string]any
	ResponseMetadata ResponseMetadata
}

// Get returns the value at a path of member names, dots and list indexes:
// "Table.KeySchema[0].AttributeName". Missing members give (nil, false).
func (o *Output) Get(path string) (any, bool) {
	if o == nil {
		return nil, false
	}
	return lookupPath(o.Data, path)
}

// String returns the string at path, "" when absent or not a string.
func (o *Output) String(path string) string {
	v, _ := o.Get(path)
	s, _ := v.(string)
	return s
}

// Int returns the integer at path (int64 or a whole float64), 0 when absent.
func (o *Output) Int(path string) int64 {
	v, _ := o.Get(path)
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// Bool returns the boolean at path, false when absent.
func (o *Output) Bool(path string) bool {
	v, _ := o.Get(path)
	b, _ := v.(bool)
	return b
}

// Time returns the timestamp at path, the zero time when absent.
func (o *Output) Time(path string) time.Time {
	v, _ := o.Get(path)
	t, _ := v.(time.Time)
	return t
}

// List returns the list at path, nil when absent.
func (o *Output) List(path string) []any {
	v, _ := o.Get(path)
	l, _ := v.([]any)
	return l
}

// Map returns the structure or map at path, nil when absent.
func (o *Output) Map(path string) map[string]any {
	v, _ := o.Get(path)
	m, _ := v.(map[string]any)
	return m
}

func lookupPath(root any, path string) (any, bool) {
	cur := root
	if path == "" || path == "@" {
		return cur, cur != nil
	}
	for _, seg := range strings.Split(path, ".") {
		name := seg
		var idx []int
		if i := strings.IndexByte(seg, '['); i >= 0 {
			name = seg[:i]
			rest := seg[i:]
			for len(rest) > 0 {
				if rest[0] != '[' {
					return nil, false
				}
				j := strings.IndexByte(rest, ']')
				if j < 0 {
					return nil, false
				}
				n, err := strconv.Atoi(rest[1:j])
				if err != nil {
					return nil, false
				}
				idx = append(idx, n)
				rest = rest[j+1:]
			}
		}
		if name != "" {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[name]; !ok {
				return nil, false
			}
		}
		for _, n := range idx {
			l, ok := cur.([]any)
			if !ok {
				return nil, false
			}
			if n < 0 {
				n += len(l)
			}
			if n < 0 || n >= len(l) {
				return nil, false
			}
			cur = l[n]
		}
	}
	return cur, true
}

// GoString shows the data for debugging.
func (o *Output) GoString() string { return fmt.Sprintf("&session.Output{Data:%#v}", o.Data) }
