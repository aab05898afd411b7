package jsonrpc

import (
	"encoding/json"
	"unicode/utf8"
)

// parseJSON parses data (already trimmed of white space) into the tree
// encoding/json builds with UseNumber: map[string]any, []any, string,
// json.Number, bool and nil. It reports false for anything it is not sure
// of (a syntax error, deep nesting), and the caller falls back to
// encoding/json, which then produces the same value or the same error.
// Strings with escapes go through json.Unmarshal so their decoding is
// encoding/json's own.
func parseJSON(data []byte) (any, bool) {
	p := jsonParser{d: data}
	v, ok := p.value(0)
	if !ok {
		return nil, false
	}
	p.ws()
	return v, p.i == len(p.d)
}

// fastMaxDepth bounds the fast parser's recursion; deeper documents take
// encoding/json's path (and decode's own maxDepth check).
const fastMaxDepth = 200

type jsonParser struct {
	d []byte
	i int
}

func (p *jsonParser) ws() {
	for p.i < len(p.d) {
		switch p.d[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, bool) {
	p.ws()
	if p.i >= len(p.d) {
		return nil, false
	}
	switch c := p.d[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		return s, true
	case c == 't':
		return true, p.lit("true")
	case c == 'f':
		return false, p.lit("false")
	case c == 'n':
		return nil, p.lit("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, false
}

func (p *jsonParser) lit(s string) bool {
	if len(p.d)-p.i < len(s) || string(p.d[p.i:p.i+len(s)]) != s {
		return false
	}
	p.i += len(s)
	return true
}

func (p *jsonParser) object(depth int) (any, bool) {
	if depth >= fastMaxDepth {
		return nil, false
	}
	p.i++ // {
	m := map[string]any{}
	p.ws()
	if p.i < len(p.d) && p.d[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		p.ws()
		if p.i >= len(p.d) || p.d[p.i] != '"' {
			return nil, false
		}
		k, ok := p.str()
		if !ok {
			return nil, false
		}
		p.ws()
		if p.i >= len(p.d) || p.d[p.i] != ':' {
			return nil, false
		}
		p.i++
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		m[k] = v // a repeated key: the last wins, as in encoding/json
		p.ws()
		if p.i >= len(p.d) {
			return nil, false
		}
		switch p.d[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *jsonParser) array(depth int) (any, bool) {
	if depth >= fastMaxDepth {
		return nil, false
	}
	p.i++ // [
	a := []any{}
	p.ws()
	if p.i < len(p.d) && p.d[p.i] == ']' {
		p.i++
		return a, true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		p.ws()
		if p.i >= len(p.d) {
			return nil, false
		}
		switch p.d[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return a, true
		default:
			return nil, false
		}
	}
}

// str reads the string at p.i (its opening quote).
func (p *jsonParser) str() (string, bool) {
	start := p.i + 1
	ascii := true
	for j := start; j < len(p.d); j++ {
		switch c := p.d[j]; {
		case c == '"':
			raw := p.d[start:j]
			if !ascii && !utf8.Valid(raw) {
				return p.slowStr(j)
			}
			p.i = j + 1
			return string(raw), true
		case c == '\\':
			return p.slowStr(-1)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// slowStr hands a string with escapes (or invalid UTF-8) to encoding/json.
// end is its closing quote when known, else -1.
func (p *jsonParser) slowStr(end int) (string, bool) {
	if end < 0 {
		for j := p.i + 1; j < len(p.d); j++ {
			if c := p.d[j]; c == '\\' {
				j++
			} else if c == '"' {
				end = j
				break
			}
		}
		if end < 0 {
			return "", false
		}
	}
	var s string
	if err := json.Unmarshal(p.d[p.i:end+1], &s); err != nil {
		return "", false
	}
	p.i = end + 1
	return s, true
}

// number reads a JSON number as json.Number, checking its grammar.
func (p *jsonParser) number() (any, bool) {
	d, i := p.d, p.i
	start := i
	if d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if digits() == 0 {
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	p.i = i
	return json.Number(d[start:i]), true
}
