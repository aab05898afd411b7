// Package protocoltest reads the AWS SDKs' shared protocol compliance tests
// (../shared/aws-data/protocol-tests) for the codec packages' table tests.
//
// Each file holds suites; a suite has metadata, shapes and cases; each case
// has a "given" operation. Service builds a *model.Service for one case so a
// codec can be run against it.
package protocoltest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
)

// Suite is one test suite of a protocol-tests file.
type Suite struct {
	Description    string          `json:"description"`
	Metadata       json.RawMessage `json:"metadata"`
	Shapes         json.RawMessage `json:"shapes"`
	ClientEndpoint string          `json:"clientEndpoint"`
	Cases          []Case          `json:"cases"`
}

// Case is one test case: an input case has Params and Serialized; an output
// case has Response and either Result or Error/ErrorCode.
type Case struct {
	ID           string          `json:"id"`
	Description  string          `json:"description"`
	Given        json.RawMessage `json:"given"`
	Params       map[string]any  `json:"params"`
	Serialized   *Serialized     `json:"serialized"`
	Response     *Response       `json:"response"`
	Result       map[string]any  `json:"result"`
	Error        map[string]any  `json:"error"`
	ErrorCode    string          `json:"errorCode"`
	ErrorMessage string          `json:"errorMessage"`
}

// Name is the case id, or its description when it has none (legacy files).
func (c Case) Name() string {
	if c.ID != "" {
		return c.ID
	}
	return c.Description
}

// Serialized is the request a client must produce.
type Serialized struct {
	Method         string            `json:"method"`
	URI            string            `json:"uri"`
	Host           string            `json:"host"`
	Body           string            `json:"body"`
	Headers        map[string]string `json:"headers"`
	RequireHeaders []string          `json:"requireHeaders"`
	ForbidHeaders  []string          `json:"forbidHeaders"`
}

// Response is the HTTP response a client must parse.
type Response struct {
	StatusCode int               `json:"status_code"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
}

// Dir is the protocol-tests directory, found relative to this source file
// (the repository's ../shared). It is "" when absent.
func Dir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// internal/protocol/protocoltest -> repo root -> ../shared
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	dir := filepath.Join(root, "..", "shared", "aws-data", "protocol-tests")
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir
	}
	return ""
}

// Load reads a protocol-tests file by its path below the protocol-tests
// directory ("input/query.json", "legacy/output/json.json"). Legacy cases,
// which have no id or description, are named "<suite description> <index>". The test is skipped, naming the directory,
// when ../shared/aws-data is absent.
func Load(t testing.TB, rel string) []Suite {
	t.Helper()
	dir := Dir()
	if dir == "" {
		t.Skip("protocol tests need ../shared/aws-data/protocol-tests beside the repository; not found")
	}
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	var suites []Suite
	if err := json.Unmarshal(b, &suites); err != nil {
		t.Fatalf("decode %s: %v", rel, err)
	}
	for si := range suites {
		for i := range suites[si].Cases {
			c := &suites[si].Cases[i]
			if c.ID == "" && c.Description == "" {
				// Legacy cases carry neither: name them after their suite.
				c.Description = fmt.Sprintf("%s %d", suites[si].Description, i)
			}
		}
	}
	return suites
}

// Service builds the service model a case runs against: the suite's metadata
// and shapes plus the case's given operation. It returns the operation too.
func (s Suite) Service(c Case) (*model.Service, *model.Operation, error) {
	var given struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(c.Given, &given); err != nil {
		return nil, nil, fmt.Errorf("case %s: given: %w", c.Name(), err)
	}
	shapes, err := legacyShapes(s.Shapes, c.Given)
	if err != nil {
		return nil, nil, fmt.Errorf("case %s: %w", c.Name(), err)
	}
	doc := map[string]json.RawMessage{
		"metadata":   s.Metadata,
		"shapes":     shapes,
		"operations": mustJSON(map[string]json.RawMessage{given.Name: c.Given}),
	}
	svc, err := model.Parse(mustJSON(doc))
	if err != nil {
		return nil, nil, fmt.Errorf("case %s: %w", c.Name(), err)
	}
	return svc, svc.Operations[given.Name], nil
}

// legacyShapes applies the serialization traits the legacy suites write
// where the model package does not read them, as botocore's ShapeResolver
// does (it merges a reference's and a shape's serialization traits):
// "payload" on the operation's input/output reference moves to the shape, and
// "location" (with "locationName") written on a shape moves onto every member
// reference to it that names no location of its own. Current botocore models
// write both only in the places internal/model reads.
func legacyShapes(raw, given json.RawMessage) (json.RawMessage, error) {
	var shapes map[string]map[string]any
	if err := json.Unmarshal(raw, &shapes); err != nil {
		return nil, fmt.Errorf("shapes: %w", err)
	}
	var g struct {
		Input, Output map[string]any
	}
	if err := json.Unmarshal(given, &g); err != nil {
		return nil, fmt.Errorf("given: %w", err)
	}
	for _, ref := range []map[string]any{g.Input, g.Output} {
		name, _ := ref["shape"].(string)
		if p, ok := ref["payload"]; ok && shapes[name] != nil {
			if _, has := shapes[name]["payload"]; !has {
				shapes[name]["payload"] = p
			}
		}
	}
	for _, sh := range shapes {
		members, _ := sh["members"].(map[string]any)
		for _, m := range members {
			ref, _ := m.(map[string]any)
			target := shapes[fmt.Sprint(ref["shape"])]
			loc, ok := target["location"]
			if ref == nil || !ok {
				continue
			}
			if _, has := ref["location"]; has {
				continue
			}
			ref["location"] = loc
			if _, has := ref["locationName"]; !has {
				if ln, ok := target["locationName"]; ok {
					ref["locationName"] = ln
				}
			}
		}
	}
	return json.Marshal(shapes)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of raw JSON reach here
	}
	return b
}

// Ignored reports whether botocore's own ignore list
// (protocol-tests-ignore-list.json) skips this case for protocol ("query",
// "json", "json_1_0", "rest-json", "rest-xml", "ec2") and direction ("input"
// or "output"). The reason a case is listed is that the SDK behaviour it pins
// is disputed or unsupported by botocore; a codec may still pass it.
func Ignored(protocol, direction string, s Suite, c Case) bool {
	ig := ignoreList()
	if ig == nil {
		return false
	}
	for _, name := range ig.General[direction].Suites {
		if name == s.Description {
			return true
		}
	}
	p := ig.Protocols[protocol][direction]
	for _, id := range p.Cases {
		if id == c.ID {
			return true
		}
	}
	for _, name := range p.Suites {
		if name == s.Description {
			return true
		}
	}
	return false
}

type ignoreEntry struct {
	Suites []string `json:"suites"`
	Cases  []string `json:"cases"`
}

type ignoreFile struct {
	General   map[string]ignoreEntry            `json:"general"`
	Protocols map[string]map[string]ignoreEntry `json:"protocols"`
}

func ignoreList() *ignoreFile {
	dir := Dir()
	if dir == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, "protocol-tests-ignore-list.json"))
	if err != nil {
		return nil
	}
	var f ignoreFile
	if json.Unmarshal(b, &f) != nil {
		return nil
	}
	return &f
}

// HeaderEqual reports whether a header value a client produced matches the
// one a case wants, allowing the two spellings the suites disagree on:
//   - list headers: the legacy suites and botocore join with "," and the
//     newer suites with ", " — whitespace after a comma outside quotes is
//     not significant to any AWS parser;
//   - Content-Type of query/ec2 forms: botocore sends
//     "application/x-www-form-urlencoded; charset=utf-8" (the legacy suites
//     pin it), the newer suites write the bare media type.
func HeaderEqual(name, got, want string) bool {
	if got == want {
		return true
	}
	if strings.EqualFold(name, "Content-Type") {
		const form = "application/x-www-form-urlencoded"
		return want == form && strings.EqualFold(got, form+"; charset=utf-8")
	}
	return squeezeCommas(got) == squeezeCommas(want)
}

// squeezeCommas drops spaces and tabs that follow a comma outside double quotes.
func squeezeCommas(s string) string {
	var b strings.Builder
	quoted, afterComma := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case afterComma && (c == ' ' || c == '\t'):
			continue
		case c == '\\' && quoted && i+1 < len(s):
			b.WriteByte(c)
			i++
			c = s[i]
		case c == '"':
			quoted = !quoted
		}
		afterComma = c == ',' && !quoted
		b.WriteByte(c)
	}
	return b.String()
}
