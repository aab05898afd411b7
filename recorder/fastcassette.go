package recorder

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A fast reader for the cassettes this package writes. yaml.v3 builds a
// node per scalar and runs a general scanner over every byte; for a
// 10,000-interaction cassette that is most of the load time. The YAML our
// encoder emits is regular: block mappings indented by two, header lists,
// plain or single-line quoted scalars, literal blocks for bodies. This
// reader takes exactly that layout (params, which may hold anything, go
// through yaml.v3 one small block at a time) and gives up on anything else
// (flow collections, anchors, tags, comments, folded quoted scalars, unknown
// keys, invalid values), in which case ParseCassette reads the file with
// yaml.v3 as before, errors and positions included. FuzzFastCassette checks
// that whenever it answers, it answers what yaml.v3 does.

var errNotFast = errors.New("recorder: not in the fast cassette layout")

type fastReader struct {
	lines [][]byte
	i     int
}

// fastParseCassette reads data in the canonical layout, or reports false.
func fastParseCassette(data []byte, baseDir string) (c *Cassette, ok bool) {
	defer func() {
		if recover() != nil {
			c, ok = nil, false
		}
	}()
	if !fastPrintable(data) {
		return nil, false
	}
	c, err := fastCassette(data, baseDir)
	if err != nil {
		return nil, false
	}
	return c, true
}

// fastPrintable accepts what YAML allows in a stream, less tabs, carriage
// returns and byte-order marks (the encoder escapes those).
func fastPrintable(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c != '\n' && (c < 0x20 || c == 0x7f) {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError || r == 0xFEFF || (r < 0xA0 && r != 0x85) || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF {
			return false
		}
		i += n
	}
	return true
}

func fastCassette(data []byte, baseDir string) (*Cassette, error) {
	r := &fastReader{lines: bytes.Split(data, []byte("\n"))}
	c := &Cassette{}
	seen := map[string]bool{}
	var count *int
	for r.i < len(r.lines) {
		l := r.lines[r.i]
		if len(bytes.TrimSpace(l)) == 0 {
			r.i++
			continue
		}
		key, val, err := splitKey(l, 0)
		if err != nil || seen[key] {
			return nil, errNotFast
		}
		seen[key] = true
		r.i++
		switch key {
		case "version":
			if c.Version, err = plainInt(val); err != nil {
				return nil, err
			}
		case "recorded_at":
			if c.RecordedAt, err = plainTime(val); err != nil {
				return nil, err
			}
			c.RecordedAt = c.RecordedAt.UTC()
		case "seed":
			s, err := strconv.ParseInt(string(val), 10, 64)
			if err != nil || !isDecimal(val) {
				return nil, errNotFast
			}
			c.Seed = s
		case "count":
			n, err := plainInt(val)
			if err != nil {
				return nil, err
			}
			count = &n
		case "interactions":
			if string(val) == "[]" {
				continue
			}
			if len(val) != 0 {
				return nil, errNotFast
			}
			for r.i < len(r.lines) && bytes.HasPrefix(r.lines[r.i], []byte("  - ")) {
				wi, err := r.interaction()
				if err != nil {
					return nil, err
				}
				in, err := wireToInteraction(wi, len(c.Interactions), baseDir)
				if err != nil {
					return nil, err
				}
				c.Interactions = append(c.Interactions, in)
			}
		default:
			return nil, errNotFast
		}
	}
	if !seen["version"] || c.Version < 1 || c.Version > CassetteVersion {
		return nil, errNotFast
	}
	if c.Version >= 2 && (count == nil || *count != len(c.Interactions)) {
		return nil, errNotFast
	}
	return c, nil
}

func isDecimal(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 || (len(b) > 1 && b[0] == '0') {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func plainInt(b []byte) (int, error) {
	if !isDecimal(b) {
		return 0, errNotFast
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return 0, errNotFast
	}
	return n, nil
}

func plainTime(b []byte) (time.Time, error) {
	// yaml.v3 reads an unquoted RFC 3339 time as a timestamp.
	if len(b) < 20 || b[4] != '-' || b[10] != 'T' {
		return time.Time{}, errNotFast
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return time.Time{}, errNotFast
	}
	return t, nil
}

// splitKey reads "<indent spaces>key: value" or "<indent>key:".
func splitKey(l []byte, indent int) (string, []byte, error) {
	if len(l) <= indent || !allSpaces(l[:indent]) || l[indent] == ' ' {
		return "", nil, errNotFast
	}
	l = l[indent:]
	var key string
	switch l[0] {
	case '"', '\'':
		return "", nil, errNotFast
	}
	k := bytes.Index(l, []byte(": "))
	if k < 0 {
		if l[len(l)-1] != ':' {
			return "", nil, errNotFast
		}
		k = len(l) - 1
	}
	key = string(l[:k])
	if !plainKey(key) {
		return "", nil, errNotFast
	}
	val := l[k+1:]
	if len(val) > 0 {
		val = val[1:]
	}
	return key, val, nil
}

// plainKey accepts keys yaml.v3 reads as the same plain string.
func plainKey(k string) bool {
	if k == "" || k == "<<" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || (c == '.' && i > 0)) {
			return false
		}
	}
	if _, err := strconv.ParseFloat(k, 64); err == nil {
		return false
	}
	switch strings.ToLower(k) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return false
	}
	return true
}

func allSpaces(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

func indentOf(l []byte) int {
	n := 0
	for n < len(l) && l[n] == ' ' {
		n++
	}
	return n
}

// interaction reads one "  - " item (its keys at indent 4).
func (r *fastReader) interaction() (*wireInteraction, error) {
	first := append([]byte("    "), r.lines[r.i][4:]...)
	r.lines[r.i] = first
	wi := &wireInteraction{}
	seen := map[string]bool{}
	for r.i < len(r.lines) {
		l := r.lines[r.i]
		if len(l) == 0 || indentOf(l) < 4 {
			break
		}
		key, val, err := splitKey(l, 4)
		if err != nil || seen[key] {
			return nil, errNotFast
		}
		seen[key] = true
		r.i++
		switch key {
		case "id":
			wi.ID, err = plainInt(val)
		case "service":
			wi.Service, err = r.str(val, 4)
		case "operation":
			wi.Operation, err = r.str(val, 4)
		case "region":
			wi.Region, err = r.str(val, 4)
		case "params":
			wi.Params, err = r.params(val, 4)
		case "recorded_at":
			wi.RecordedAt, err = plainTime(val)
		case "duration":
			wi.Duration, err = r.str(val, 4)
		case "error":
			wi.Error, err = r.str(val, 4)
		case "waiter":
			wi.Waiter, err = r.str(val, 4)
		case "request":
			if len(val) != 0 {
				return nil, errNotFast
			}
			err = r.message(6, &wi.Request.Method, &wi.Request.URL, nil, &wi.Request.Headers, &wi.Request.wireBody)
		case "response":
			if len(val) != 0 {
				return nil, errNotFast
			}
			wi.Response = &wireResponse{}
			err = r.message(6, nil, nil, &wi.Response.Status, &wi.Response.Headers, &wi.Response.wireBody)
		default:
			return nil, errNotFast
		}
		if err != nil {
			return nil, errNotFast
		}
	}
	if !seen["request"] {
		return nil, errNotFast
	}
	return wi, nil
}

// message reads a request or response mapping at indent.
func (r *fastReader) message(indent int, method, url *string, status *int, headers *http.Header, body *wireBody) error {
	seen := map[string]bool{}
	for r.i < len(r.lines) {
		l := r.lines[r.i]
		if len(l) == 0 || indentOf(l) < indent {
			break
		}
		key, val, err := splitKey(l, indent)
		if err != nil || seen[key] {
			return errNotFast
		}
		seen[key] = true
		r.i++
		switch {
		case key == "method" && method != nil:
			*method, err = r.str(val, indent)
		case key == "url" && url != nil:
			*url, err = r.str(val, indent)
		case key == "status" && status != nil:
			*status, err = plainInt(val)
		case key == "headers":
			*headers, err = r.headers(val, indent)
		case key == "body":
			body.Body, err = r.str(val, indent)
		case key == "body_encoding":
			body.Encoding, err = r.str(val, indent)
		case key == "body_file":
			body.File, err = r.str(val, indent)
		case key == "body_size":
			body.Size, err = plainInt(val)
		default:
			return errNotFast
		}
		if err != nil {
			return errNotFast
		}
	}
	return nil
}

func (r *fastReader) headers(val []byte, indent int) (http.Header, error) {
	if string(val) == "{}" {
		return http.Header{}, nil
	}
	if len(val) != 0 {
		return nil, errNotFast
	}
	h := http.Header{}
	in := indent + 2
	for r.i < len(r.lines) {
		l := r.lines[r.i]
		if len(l) == 0 || indentOf(l) < in {
			break
		}
		key, v, err := splitKey(l, in)
		if err != nil {
			return nil, errNotFast
		}
		if _, dup := h[key]; dup {
			return nil, errNotFast
		}
		r.i++
		if string(v) == "[]" {
			h[key] = []string{}
			continue
		}
		if len(v) != 0 {
			return nil, errNotFast
		}
		vs := []string{}
		li := in + 2 // the encoder indents list items under their key
		for r.i < len(r.lines) {
			l := r.lines[r.i]
			if len(l) < li+2 || indentOf(l) != li || l[li] != '-' || l[li+1] != ' ' {
				break
			}
			r.i++
			s, err := r.str(l[li+2:], li)
			if err != nil {
				return nil, err
			}
			vs = append(vs, s)
		}
		if len(vs) == 0 {
			return nil, errNotFast
		}
		h[key] = vs
	}
	if len(h) == 0 {
		return nil, errNotFast
	}
	return h, nil
}

// params hands the block to yaml.v3: it may hold any YAML value.
func (r *fastReader) params(val []byte, indent int) (map[string]any, error) {
	if len(val) != 0 {
		return nil, errNotFast
	}
	var doc bytes.Buffer
	doc.WriteString("params:\n")
	for r.i < len(r.lines) {
		l := r.lines[r.i]
		if len(bytes.TrimSpace(l)) != 0 && indentOf(l) <= indent {
			break
		}
		if len(bytes.TrimSpace(l)) == 0 && r.i+1 >= len(r.lines) {
			break // the file's end
		}
		if len(l) >= indent {
			doc.Write(l[indent:])
		}
		doc.WriteByte('\n')
		r.i++
	}
	var out struct {
		Params map[string]any `yaml:"params"`
	}
	if err := yaml.Unmarshal(doc.Bytes(), &out); err != nil {
		return nil, errNotFast
	}
	return out.Params, nil
}

// str reads a string scalar whose text starts at val, on a line whose key
// (or "- ") sits at indent; literal blocks continue on the next lines.
func (r *fastReader) str(val []byte, indent int) (string, error) {
	if len(val) == 0 {
		return "", errNotFast
	}
	switch val[0] {
	case '"':
		return doubleQuoted(val)
	case '\'':
		if len(val) < 2 || val[len(val)-1] != '\'' {
			return "", errNotFast
		}
		inner := val[1 : len(val)-1]
		s := strings.ReplaceAll(string(inner), "''", "'")
		if strings.Count(string(inner), "'") != 2*strings.Count(s, "'") {
			return "", errNotFast
		}
		return s, nil
	case '|':
		return r.literal(val, indent)
	}
	// A plain scalar: it must read as a string (not null, bool, number,
	// time) for the value to be its text in every yaml.v3 path.
	if !plainString(val) {
		return "", errNotFast
	}
	if r.i < len(r.lines) && len(r.lines[r.i]) > 0 && indentOf(r.lines[r.i]) > indent {
		return "", errNotFast // a folded plain scalar
	}
	return string(val), nil
}

func plainString(v []byte) bool {
	switch v[0] {
	case '>', '&', '*', '!', '{', '[', ']', '}', '%', '@', '`', '#', ',', '?', ':', ' ', '|', '\'', '"':
		return false
	case '-':
		if len(v) < 2 || !(v[1] >= 'a' && v[1] <= 'z' || v[1] >= 'A' && v[1] <= 'Z') {
			return false
		}
	}
	if v[len(v)-1] == ' ' || v[len(v)-1] == ':' || bytes.Contains(v, []byte(": ")) || bytes.Contains(v, []byte(" #")) {
		return false
	}
	s := string(v)
	switch strings.ToLower(s) {
	case "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf", ".nan", "<<":
		return false
	}
	if c := s[0]; c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.' {
		// Numbers and timestamps resolve to other types: leave them to
		// yaml.v3 unless plainly not a number.
		if _, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil {
			return false
		}
		if _, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64); err == nil {
			return false
		}
		if len(s) >= 8 && s[4] == '-' {
			return false // may be a timestamp
		}
	}
	return true
}

func doubleQuoted(v []byte) (string, error) {
	if len(v) < 2 || v[len(v)-1] != '"' {
		return "", errNotFast
	}
	in := v[1 : len(v)-1]
	if bytes.IndexByte(in, '\\') < 0 {
		if bytes.IndexByte(in, '"') >= 0 {
			return "", errNotFast
		}
		return string(in), nil
	}
	var b strings.Builder
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c == '"' {
			return "", errNotFast
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(in) {
			return "", errNotFast
		}
		switch in[i] {
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte('\v')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case ' ', '"', '/', '\\':
			b.WriteByte(in[i])
		case 'N':
			b.WriteString("\u0085")
		case '_':
			b.WriteString("\u00a0")
		case 'L':
			b.WriteString("\u2028")
		case 'P':
			b.WriteString("\u2029")
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[in[i]]
			if i+n >= len(in) {
				return "", errNotFast
			}
			cp, err := strconv.ParseUint(string(in[i+1:i+1+n]), 16, 32)
			if err != nil || !utf8.ValidRune(rune(cp)) {
				return "", errNotFast
			}
			b.WriteRune(rune(cp))
			i += n
		default:
			return "", errNotFast
		}
	}
	return b.String(), nil
}

// literal reads a "|" block scalar (header in val) whose parent key is at
// indent.
func (r *fastReader) literal(val []byte, indent int) (string, error) {
	h := string(val[1:])
	chomp := byte(0)
	explicit := 0
	for _, c := range []byte(h) {
		switch {
		case (c == '-' || c == '+') && chomp == 0:
			chomp = c
		case c >= '1' && c <= '9' && explicit == 0:
			explicit = int(c - '0')
		default:
			return "", errNotFast
		}
	}
	blockIndent := 0
	if explicit > 0 {
		blockIndent = indent + explicit
	} else {
		for j := r.i; j < len(r.lines); j++ {
			if len(bytes.TrimRight(r.lines[j], " ")) > 0 {
				blockIndent = indentOf(r.lines[j])
				break
			}
			if len(r.lines[j]) > 0 {
				return "", errNotFast // leading space-only lines: leave to yaml.v3
			}
		}
		if blockIndent <= indent {
			return "", errNotFast
		}
	}
	var content []string
	for r.i < len(r.lines) {
		l := r.lines[r.i]
		if len(bytes.TrimRight(l, " ")) == 0 {
			if len(l) > blockIndent {
				content = append(content, string(l[blockIndent:]))
			} else {
				content = append(content, "")
			}
			r.i++
			continue
		}
		if indentOf(l) < blockIndent {
			break
		}
		content = append(content, string(l[blockIndent:]))
		r.i++
	}
	// The last line of the file (after its final newline) is not content.
	if r.i == len(r.lines) && len(content) > 0 && len(r.lines[len(r.lines)-1]) == 0 {
		content = content[:len(content)-1]
	}
	// Trailing empty lines belong to the block only with "+"; give them
	// back to the reader otherwise (they are blank lines in the mapping).
	n := len(content)
	for n > 0 && content[n-1] == "" {
		n--
	}
	body := strings.Join(content[:n], "\n")
	trailing := len(content) - n
	switch chomp {
	case '-':
	case '+':
		if n > 0 {
			body += "\n"
		}
		body += strings.Repeat("\n", trailing)
		return body, nil
	default:
		if n > 0 {
			body += "\n"
		}
	}
	return body, nil
}

// wireToInteraction is parseInteraction's checks and conversions without
// node positions: any error sends the cassette to yaml.v3, which reports it
// at its line.
func wireToInteraction(wi *wireInteraction, i int, baseDir string) (*Interaction, error) {
	in := &Interaction{ID: wi.ID, Service: wi.Service, Operation: wi.Operation, Region: wi.Region,
		Params: normalizeMap(wi.Params), RecordedAt: wi.RecordedAt.UTC(), Error: wi.Error, Waiter: wi.Waiter}
	if wi.Duration != "" {
		d, err := time.ParseDuration(wi.Duration)
		if err != nil || d < 0 {
			return nil, errNotFast
		}
		in.Duration = d
	}
	if wi.Request.Method == "" || wi.Request.URL == "" {
		return nil, errNotFast
	}
	in.Request = Request{Method: wi.Request.Method, URL: wi.Request.URL, Headers: wi.Request.Headers}
	body, err := decodeBody(wi.Request.wireBody, baseDir)
	if err != nil {
		return nil, errNotFast
	}
	in.Request.Body = body
	if wi.Response == nil && wi.Error == "" {
		return nil, errNotFast
	}
	if wi.Response != nil {
		if wi.Response.Status < 100 || wi.Response.Status > 999 {
			return nil, errNotFast
		}
		body, err := decodeBody(wi.Response.wireBody, baseDir)
		if err != nil {
			return nil, errNotFast
		}
		in.Response = &Response{Status: wi.Response.Status, Headers: wi.Response.Headers, Body: body}
	}
	return in, nil
}
