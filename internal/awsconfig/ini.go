package awsconfig

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseError is a malformed config or credentials file (botocore's
// ConfigParseError). Line is the 1-based line configparser reported, or 0 when the
// problem is in a nested sub-section detected after reading.
type ParseError struct {
	Path   string
	Line   int
	Reason string
}

func (e *ParseError) Error() string {
	msg := "Unable to parse config file: " + e.Path
	if e.Line > 0 {
		msg += fmt.Sprintf(" (line %d: %s)", e.Line, e.Reason)
	} else if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	return msg
}

// Value is one option of a section: either a plain string or, when the option's
// value was empty and followed by indented "k = v" lines, a nested sub-section
// (item 2.16).
type Value struct {
	String string
	// Nested is non-nil for a sub-section such as "s3 =" with indented lines.
	// Nested keys keep their case, as botocore's _parse_nested does.
	Nested map[string]string
}

// Section is an ordered set of options. Option names are lower-cased (item 2.15).
type Section struct {
	keys []string
	vals map[string]Value
}

func newSection() *Section { return &Section{vals: map[string]Value{}} }

// Get returns the plain string value of key (lower-case). A nested sub-section
// is reported as absent; use Nested for it.
func (s *Section) Get(key string) (string, bool) {
	if s == nil {
		return "", false
	}
	v, ok := s.vals[strings.ToLower(key)]
	if !ok || v.Nested != nil {
		return "", false
	}
	return v.String, true
}

// Has reports whether key is present (as a string or a sub-section), which is
// how botocore tests for e.g. "aws_access_key_id in profile".
func (s *Section) Has(key string) bool {
	if s == nil {
		return false
	}
	_, ok := s.vals[strings.ToLower(key)]
	return ok
}

// Nested returns the sub-section stored under key (item 2.16).
func (s *Section) Nested(key string) (map[string]string, bool) {
	if s == nil {
		return nil, false
	}
	v, ok := s.vals[strings.ToLower(key)]
	if !ok || v.Nested == nil {
		return nil, false
	}
	return v.Nested, true
}

// Value returns the raw value of key.
func (s *Section) Value(key string) (Value, bool) {
	if s == nil {
		return Value{}, false
	}
	v, ok := s.vals[strings.ToLower(key)]
	return v, ok
}

// Keys returns the option names in file order.
func (s *Section) Keys() []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s.keys...)
}

// Len is the number of options.
func (s *Section) Len() int {
	if s == nil {
		return 0
	}
	return len(s.keys)
}

func (s *Section) set(key string, v Value) {
	if _, ok := s.vals[key]; !ok {
		s.keys = append(s.keys, key)
	}
	s.vals[key] = v
}

func (s *Section) clone() *Section {
	c := newSection()
	for _, k := range s.keys {
		c.set(k, s.vals[k])
	}
	return c
}

// rawFile is the result of configparser plus botocore's raw_config_parse:
// sections in file order (DEFAULT excluded, its options inherited by every
// section as configparser does).
type rawFile struct {
	names    []string
	sections map[string]*Section
}

const defaultSection = "DEFAULT"

// isPySpace matches Python's str.isspace: Unicode white space plus the
// information separators U+001C..U+001F.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

func pyStrip(s string) string { return strings.TrimFunc(s, isPySpace) }

type iniOption struct {
	lines []string
}

type iniSection struct {
	keys []string
	opts map[string]*iniOption
}

func newINISection() *iniSection { return &iniSection{opts: map[string]*iniOption{}} }

// parseINI reproduces configparser.RawConfigParser.read (Python 3.11, strict,
// delimiters '=' and ':', full-line comment prefixes '#' and ';', empty lines
// allowed in values) followed by botocore's raw_config_parse.
func parseINI(path string, data []byte) (*rawFile, error) {
	text := string(data)
	if !utf8.ValidString(text) {
		// Python decodes the file first; a UnicodeDecodeError becomes ConfigParseError.
		line := 1 + strings.Count(text[:firstInvalidUTF8(text)], "\n")
		return nil, &ParseError{Path: path, Line: line, Reason: "invalid UTF-8"}
	}
	// Universal newlines: \r\n and \r end lines too.
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.SplitAfter(text, "\n")

	var (
		names      []string
		sections   = map[string]*iniSection{}
		defaults   = newINISection()
		cur        *iniSection
		sectName   string
		optName    string
		haveOpt    bool
		indent     int
		added      = map[string]bool{}
		pendingErr *ParseError
	)
	for i, line := range lines {
		lineno := i + 1
		if line == "" {
			continue
		}
		stripped := pyStrip(line)
		comment := strings.HasPrefix(stripped, "#") || strings.HasPrefix(stripped, ";")
		value := stripped
		if comment {
			value = ""
		}
		if value == "" {
			// A blank line inside a value is kept (joined later); a comment line is
			// skipped without ending the value.
			if !comment && cur != nil && haveOpt {
				o := cur.opts[optName]
				o.lines = append(o.lines, "")
			}
			continue
		}
		curIndent := 0
		for _, r := range line {
			if !isPySpace(r) {
				break
			}
			curIndent++
		}
		if cur != nil && haveOpt && curIndent > indent {
			o := cur.opts[optName]
			o.lines = append(o.lines, value)
			continue
		}
		indent = curIndent
		if header, ok := sectionHeader(value); ok {
			switch {
			case sections[header] != nil:
				return nil, &ParseError{Path: path, Line: lineno, Reason: fmt.Sprintf("section %q already exists", header)}
			case header == defaultSection:
				cur = defaults
			default:
				cur = newINISection()
				sections[header] = cur
				names = append(names, header)
			}
			sectName = header
			haveOpt = false
			continue
		}
		if cur == nil {
			return nil, &ParseError{Path: path, Line: lineno, Reason: "file contains no section headers"}
		}
		d := strings.IndexAny(value, "=:")
		if d < 0 {
			if pendingErr == nil {
				pendingErr = &ParseError{Path: path, Line: lineno, Reason: "line is not a section header or key = value"}
			}
			continue
		}
		name := strings.ToLower(strings.TrimRightFunc(value[:d], isPySpace))
		if name == "" && pendingErr == nil {
			pendingErr = &ParseError{Path: path, Line: lineno, Reason: "option with an empty name"}
		}
		key := sectName + "\x00" + name
		if added[key] {
			return nil, &ParseError{Path: path, Line: lineno, Reason: fmt.Sprintf("option %q in section %q already exists", name, sectName)}
		}
		added[key] = true
		if _, ok := cur.opts[name]; !ok {
			cur.keys = append(cur.keys, name)
		}
		cur.opts[name] = &iniOption{lines: []string{pyStrip(value[d+1:])}}
		optName, haveOpt = name, true
	}
	if pendingErr != nil {
		return nil, pendingErr
	}

	join := func(o *iniOption) string {
		return strings.TrimRightFunc(strings.Join(o.lines, "\n"), isPySpace)
	}
	out := &rawFile{sections: map[string]*Section{}}
	for _, n := range names {
		src := sections[n]
		sec := newSection()
		keys := append([]string(nil), src.keys...)
		for _, k := range defaults.keys {
			if _, ok := src.opts[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			o := src.opts[k]
			if o == nil {
				o = defaults.opts[k]
			}
			s := join(o)
			v := Value{String: s}
			if strings.HasPrefix(s, "\n") {
				nested, err := parseNested(s)
				if err != nil {
					return nil, &ParseError{Path: path, Reason: err.Error()}
				}
				v = Value{Nested: nested}
			}
			sec.set(k, v)
		}
		out.names = append(out.names, n)
		out.sections[n] = sec
	}
	return out, nil
}

func firstInvalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return i
			}
		}
	}
	return len(s)
}

// sectionHeader matches configparser's SECTCRE "\[(?P<header>.+)\]" (a prefix
// match with a greedy header: the last ']' closes it).
func sectionHeader(v string) (string, bool) {
	if !strings.HasPrefix(v, "[") {
		return "", false
	}
	end := strings.LastIndexByte(v, ']')
	if end < 2 {
		return "", false
	}
	return v[1:end], true
}

// pySplitLines splits like Python's str.splitlines.
func pySplitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			return true
		}
		return false
	})
}

// parseNested is botocore's _parse_nested: every non-blank line must contain '='.
func parseNested(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, line := range pySplitLines(s) {
		line = pyStrip(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, errors.New("nested line without '=': " + line)
		}
		out[pyStrip(k)] = pyStrip(v)
	}
	return out, nil
}

// shlexSplit is Python's shlex.split(s) (POSIX mode, no comments), used by
// botocore to split section names such as `profile "spaced name"` (item 2.14)
// and credential_process command lines (item 2.28).
func shlexSplit(s string) ([]string, error) {
	var (
		tokens  []string
		cur     strings.Builder
		inToken bool
	)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\r' || r == '\n':
			if inToken {
				tokens = append(tokens, cur.String())
				cur.Reset()
				inToken = false
			}
		case r == '\\':
			if i+1 >= len(rs) {
				return nil, errors.New("No escaped character")
			}
			i++
			cur.WriteRune(rs[i])
			inToken = true
		case r == '\'':
			inToken = true
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				cur.WriteRune(rs[j])
				j++
			}
			if j >= len(rs) {
				return nil, errors.New("No closing quotation")
			}
			i = j
		case r == '"':
			inToken = true
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					if n := rs[j+1]; n == '"' || n == '\\' {
						cur.WriteRune(n)
						j++
						continue
					}
				}
				cur.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, errors.New("No closing quotation")
			}
			i = j
		default:
			cur.WriteRune(r)
			inToken = true
		}
	}
	if inToken {
		tokens = append(tokens, cur.String())
	}
	return tokens, nil
}
