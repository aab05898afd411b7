package recorder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// FormatError is a cassette that cannot be read: truncated, hand-edited into
// something invalid, or of an unknown version. File and Line (1-based; 0 when
// unknown) say where, so an editor can jump to it.
type FormatError struct {
	File   string
	Line   int
	Column int
	Err    error
}

func (e *FormatError) Error() string {
	pos := e.File
	if e.Line > 0 {
		if pos != "" {
			pos += ":"
		}
		pos += strconv.Itoa(e.Line)
		if e.Column > 0 {
			pos += ":" + strconv.Itoa(e.Column)
		}
	}
	if pos == "" {
		return "recorder: " + e.Err.Error()
	}
	return "recorder: " + pos + ": " + e.Err.Error()
}

func (e *FormatError) Unwrap() error { return e.Err }

func formatErr(n *yaml.Node, format string, args ...any) *FormatError {
	e := &FormatError{Err: fmt.Errorf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

var yamlLine = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: ?`)

// yamlErr turns a yaml.v3 error ("yaml: line 7: did not find expected key")
// into a FormatError at that line.
func yamlErr(err error, at *yaml.Node) *FormatError {
	msg := err.Error()
	e := &FormatError{}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			e.Column, _ = strconv.Atoi(m[2])
		}
		msg = yamlLine.ReplaceAllString(msg, "")
	} else if at != nil {
		e.Line, e.Column = at.Line, at.Column
	}
	e.Err = errors.New(msg)
	return e
}

// LoadCassette reads a cassette file. Side-file bodies are read relative to
// the cassette's directory. A cassette that cannot be read is a
// [*FormatError] naming the file and line.
func LoadCassette(path string) (*Cassette, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrCassetteNotFound, path)
		}
		return nil, fmt.Errorf("recorder: %w", err)
	}
	c, err := ParseCassette(b, filepath.Dir(path))
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) && fe.File == "" {
			fe.File = path
			return nil, fe
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

var (
	rootKeys        = keySet("version", "recorded_at", "seed", "interactions", "count")
	interactionKeys = keySet("id", "service", "operation", "region", "params", "recorded_at", "duration", "request", "response", "error", "waiter")
	requestKeys     = keySet("method", "url", "headers", "body", "body_encoding", "body_file", "body_size")
	responseKeys    = keySet("status", "headers", "body", "body_encoding", "body_file", "body_size")
)

func keySet(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// checkKeys refuses keys a hand edit misspelled (a "respone:" would
// otherwise vanish silently).
func checkKeys(n *yaml.Node, allowed map[string]bool, what string) error {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !allowed[k.Value] {
			return formatErr(k, "unknown %s field %q", what, k.Value)
		}
	}
	return nil
}

func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// ParseCassette decodes cassette bytes. baseDir locates side files; it may be
// empty when the cassette has none.
func ParseCassette(data []byte, baseDir string) (*Cassette, error) {
	if c, ok := fastParseCassette(data, baseDir); ok {
		return c, nil
	}
	return parseCassetteYAML(data, baseDir)
}

// parseCassetteYAML is ParseCassette through yaml.v3's node tree: any YAML,
// and errors at their lines.
func parseCassetteYAML(data []byte, baseDir string) (*Cassette, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlErr(fmt.Errorf("cassette is not valid YAML: %w", err), nil)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &FormatError{Line: 1, Err: fmt.Errorf("%w: not a cassette (want a mapping starting with version: %d)", ErrUnsupportedVersion, CassetteVersion)}
	}
	root := doc.Content[0]
	vn := child(root, "version")
	if vn == nil {
		return nil, formatErr(root, "%w: no version field (want version: %d)", ErrUnsupportedVersion, CassetteVersion)
	}
	var version int
	if err := vn.Decode(&version); err != nil || version < 1 || version > CassetteVersion {
		return nil, formatErr(vn, "%w: version %s (this fakecloud reads versions 1 to %d)", ErrUnsupportedVersion, vn.Value, CassetteVersion)
	}
	if err := checkKeys(root, rootKeys, "cassette"); err != nil {
		return nil, err
	}
	c := &Cassette{Version: version}
	if n := child(root, "recorded_at"); n != nil {
		if err := n.Decode(&c.RecordedAt); err != nil {
			return nil, yamlErr(err, n)
		}
		c.RecordedAt = c.RecordedAt.UTC()
	}
	if n := child(root, "seed"); n != nil {
		if err := n.Decode(&c.Seed); err != nil {
			return nil, yamlErr(err, n)
		}
	}
	list := child(root, "interactions")
	if list != nil && list.Kind != yaml.SequenceNode && !(list.Kind == yaml.ScalarNode && list.Tag == "!!null") {
		return nil, formatErr(list, "interactions must be a list")
	}
	if list != nil && list.Kind == yaml.SequenceNode {
		for i, item := range list.Content {
			in, err := parseInteraction(item, i, baseDir)
			if err != nil {
				return nil, err
			}
			c.Interactions = append(c.Interactions, in)
		}
	}
	if version >= 2 {
		cn := child(root, "count")
		if cn == nil {
			return nil, &FormatError{Line: lastLine(data), Err: fmt.Errorf("cassette is truncated: the closing \"count:\" line is missing (%d interactions read)", len(c.Interactions))}
		}
		var n int
		if err := cn.Decode(&n); err != nil {
			return nil, yamlErr(err, cn)
		}
		if n != len(c.Interactions) {
			return nil, formatErr(cn, "count: %d but the file holds %d interactions (truncated, or edited without updating count)", n, len(c.Interactions))
		}
	}
	return c, nil
}

func bytesTrimRightNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func lastLine(b []byte) int {
	n := 1
	for _, c := range bytesTrimRightNL(b) {
		if c == '\n' {
			n++
		}
	}
	return n
}

func parseInteraction(item *yaml.Node, i int, baseDir string) (*Interaction, error) {
	if item.Kind != yaml.MappingNode {
		return nil, formatErr(item, "interaction %d is not a mapping", i)
	}
	if err := checkKeys(item, interactionKeys, "interaction"); err != nil {
		return nil, err
	}
	if err := checkKeys(child(item, "request"), requestKeys, "request"); err != nil {
		return nil, err
	}
	if err := checkKeys(child(item, "response"), responseKeys, "response"); err != nil {
		return nil, err
	}
	var wi wireInteraction
	if err := decodeWireInteraction(item, &wi); err != nil {
		return nil, yamlErr(fmt.Errorf("interaction %d: %w", i, err), item)
	}
	in := &Interaction{ID: wi.ID, Service: wi.Service, Operation: wi.Operation, Region: wi.Region,
		Params: normalizeMap(wi.Params), RecordedAt: wi.RecordedAt.UTC(), Error: wi.Error, Waiter: wi.Waiter}
	if wi.Duration != "" {
		d, err := time.ParseDuration(wi.Duration)
		if err != nil || d < 0 {
			return nil, formatErr(child(item, "duration"), "interaction %d: bad duration %q", i, wi.Duration)
		}
		in.Duration = d
	}
	reqNode := child(item, "request")
	if reqNode == nil {
		reqNode = item
	}
	if wi.Request.Method == "" || wi.Request.URL == "" {
		return nil, formatErr(reqNode, "interaction %d: request needs method and url", i)
	}
	in.Request = Request{Method: wi.Request.Method, URL: wi.Request.URL, Headers: wi.Request.Headers}
	body, err := decodeBody(wi.Request.wireBody, baseDir)
	if err != nil {
		return nil, formatErr(reqNode, "interaction %d request: %w", i, err)
	}
	in.Request.Body = body
	if wi.Response == nil && wi.Error == "" {
		return nil, formatErr(item, "interaction %d has neither response nor error", i)
	}
	if wi.Response != nil {
		respNode := child(item, "response")
		if wi.Response.Status < 100 || wi.Response.Status > 999 {
			return nil, formatErr(child(respNode, "status"), "interaction %d: bad status %d", i, wi.Response.Status)
		}
		body, err := decodeBody(wi.Response.wireBody, baseDir)
		if err != nil {
			return nil, formatErr(respNode, "interaction %d response: %w", i, err)
		}
		in.Response = &Response{Status: wi.Response.Status, Headers: wi.Response.Headers, Body: body}
	}
	return in, nil
}
