package xmltest

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
)

// LoadBotocore parses ../shared/aws-data/botocore/<name>/<newest>/service-2.json,
// skipping the test (naming the directory) when it is absent.
func LoadBotocore(t testing.TB, name string) *model.Service {
	t.Helper()
	dir := protocoltest.Dir()
	if dir == "" {
		t.Skip("round-trip tests need ../shared/aws-data/botocore beside the repository; not found")
	}
	base := filepath.Join(dir, "..", "botocore", name)
	ents, err := os.ReadDir(base)
	if err != nil {
		t.Skipf("no botocore model for %s in %s", name, base)
	}
	var vers []string
	for _, e := range ents {
		if e.IsDir() {
			vers = append(vers, e.Name())
		}
	}
	sort.Strings(vers)
	if len(vers) == 0 {
		t.Skipf("no botocore model for %s in %s", name, base)
	}
	data, err := os.ReadFile(filepath.Join(base, vers[len(vers)-1], "service-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := model.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// Gen generates protocol values for shapes: deterministic for a seed,
// bounded in depth, lists and maps of one or two entries.
type Gen struct {
	R        *rand.Rand
	MaxDepth int
	// Skip reports members the wire under test does not carry in a body
	// (for rest protocols: header, uri, ... locations are still generated).
	Skip func(ref *model.ShapeRef) bool
	// Strings, when set, are the strings generated for string shapes
	// without an enum (default: a fixed sample with spaces, unicode, XML
	// specials, control characters and padding).
	Strings []string
}

// NewGen returns a generator with a fixed seed.
func NewGen(seed int64) *Gen { return &Gen{R: rand.New(rand.NewSource(seed)), MaxDepth: 5} }

var sample = []string{"a", "hello world", "ünï €", "x&y<z>\"'", "line\nbreak\ttab", "123", "/path/to key", "  padded  "}

// Value generates a value for ref; nil means "leave the member out".
func (g *Gen) Value(ref *model.ShapeRef, depth int) any {
	sh := ref.Shape
	if depth > g.MaxDepth {
		return nil
	}
	switch sh.Type {
	case "structure":
		m := map[string]any{}
		names := sh.MemberNames
		if sh.Union && len(names) > 0 {
			names = []string{names[g.R.Intn(len(names))]}
		}
		for _, n := range names {
			mref := sh.Members[n]
			if g.Skip != nil && g.Skip(mref) {
				continue
			}
			if mref.Shape.EventStream || mref.Shape.Document || mref.Shape.Streaming || mref.Streaming {
				continue
			}
			if !sh.Union && g.R.Intn(3) == 0 {
				continue
			}
			if v := g.Value(mref, depth+1); v != nil {
				m[n] = v
			}
		}
		if len(m) == 0 {
			return nil
		}
		return m
	case "list":
		n := 1 + g.R.Intn(2)
		out := []any{}
		for i := 0; i < n; i++ {
			if v := g.Value(sh.Member, depth+1); v != nil {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case "map":
		n := 1 + g.R.Intn(2)
		out := map[string]any{}
		for i := 0; i < n; i++ {
			k, _ := g.Value(sh.Key, depth+1).(string)
			if k == "" {
				k = fmt.Sprintf("k%d", i)
			}
			if v := g.Value(sh.Value, depth+1); v != nil {
				out[k] = v
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case "string":
		if len(sh.Enum) > 0 {
			return sh.Enum[g.R.Intn(len(sh.Enum))]
		}
		if len(g.Strings) > 0 {
			return g.Strings[g.R.Intn(len(g.Strings))]
		}
		return sample[g.R.Intn(len(sample))]
	case "integer", "long", "short", "byte":
		return int64(g.R.Intn(2000) - 1000)
	case "float", "double":
		switch g.R.Intn(5) {
		case 0:
			return math.Inf(1)
		case 1:
			return math.NaN()
		}
		return float64(g.R.Intn(100000)) / 64
	case "boolean":
		return g.R.Intn(2) == 0
	case "timestamp":
		return time.UnixMilli(1_600_000_000_000 + g.R.Int63n(1_000_000_000)*1000 + int64(g.R.Intn(2))*123).UTC()
	case "blob":
		b := make([]byte, g.R.Intn(8))
		g.R.Read(b)
		return b
	case "bigInteger":
		return "12345678901234567890"
	case "bigDecimal":
		return "1.5"
	}
	return nil
}

// RoundTrip checks, for every operation of svc and a few generated values
// each, that client marshal -> server decode and server encode -> client
// unmarshal are identities.
func RoundTrip(t *testing.T, svc *model.Service, codec protocol.Codec, rounds int, gen *Gen) {
	ep, _ := url.Parse("https://service.example.com")
	var ops, checks int
	for _, name := range svc.OperationNames() {
		op := svc.Operations[name]
		ops++
		for i := 0; i < rounds; i++ {
			if op.Input != nil {
				in, _ := gen.Value(op.Input, 0).(map[string]any)
				if in == nil {
					in = map[string]any{}
				}
				req, err := codec.MarshalRequest(context.Background(), op, ep, copyMap(in))
				if err != nil {
					t.Errorf("%s: marshal: %v", name, err)
					continue
				}
				sreq := httptest.NewRequest(req.Method, req.URL.String(), req.Body)
				sreq.Header = req.Header.Clone()
				sreq.Host = req.URL.Host
				got, err := codec.DecodeRequest(op, sreq)
				if err != nil {
					t.Errorf("%s: server decode: %v", name, err)
					continue
				}
				if d := Diff(stripIdem(op, in), stripIdem(op, readAll(got))); d != "" {
					t.Errorf("%s: request round trip: %s", name, d)
				}
				checks++
			}
			if op.Output != nil {
				out, _ := gen.Value(op.Output, 0).(map[string]any)
				if out == nil {
					out = map[string]any{}
				}
				rec := httptest.NewRecorder()
				if err := codec.EncodeResponse(rec, op, copyMap(out), protocol.ResponseMeta{RequestID: "rid"}); err != nil {
					t.Errorf("%s: encode: %v", name, err)
					continue
				}
				got, err := codec.UnmarshalResponse(op, rec.Result())
				if err != nil {
					t.Errorf("%s: unmarshal: %v", name, err)
					continue
				}
				if d := Diff(out, readAll(got)); d != "" {
					t.Errorf("%s: response round trip: %s\n%s", name, d, rec.Body.String())
				}
				checks++
			}
		}
	}
	t.Logf("%s: %d operations, %d round trips", svc.Metadata.ServiceID, ops, checks)
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
