package jsontest

import (
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
)

// LoadModel parses ../shared/aws-data/botocore/<service>/<newest version>/service-2.json,
// skipping the test (naming the directory) when the data is absent.
func LoadModel(t testing.TB, service string) *model.Service {
	t.Helper()
	pt := protocoltest.Dir()
	if pt == "" {
		t.Skip("needs ../shared/aws-data/botocore beside the repository; not found")
	}
	dir := filepath.Join(pt, "..", "botocore", service)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("needs %s: %v", dir, err)
	}
	var versions []string
	for _, e := range ents {
		if e.IsDir() {
			versions = append(versions, e.Name())
		}
	}
	sort.Strings(versions)
	if len(versions) == 0 {
		t.Skipf("no model versions under %s", dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, versions[len(versions)-1], "service-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := model.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// Generator makes random canonical values for shapes, deterministic for a
// seed. Values are chosen so every HTTP location can carry them: strings are
// non-empty and header-safe, lists and maps are non-empty, timestamps are
// whole seconds, map keys are lower case (header maps come back lower-cased).
type Generator struct {
	Rand     *rand.Rand
	MaxDepth int
}

// NewGenerator returns a generator seeded with seed, nesting at most 4 deep.
func NewGenerator(seed int64) *Generator {
	return &Generator{Rand: rand.New(rand.NewSource(seed)), MaxDepth: 4}
}

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~ /:+=é😹"

func (g *Generator) word(n int, chars string) string {
	rs := []rune(chars)
	out := make([]rune, n)
	for i := range out {
		out[i] = rs[g.Rand.Intn(len(rs))]
	}
	return string(out)
}

// Value generates a value for ref at nesting depth.
func (g *Generator) Value(ref *model.ShapeRef, depth int) any {
	sh := ref.Shape
	if sh.Document {
		return map[string]any{"a": float64(g.Rand.Intn(100)), "b": []any{"x", true}}
	}
	switch sh.Type {
	case "structure":
		out := map[string]any{}
		if depth > g.MaxDepth {
			return out
		}
		if sh.Union {
			if len(sh.MemberNames) == 0 {
				return out
			}
			n := sh.MemberNames[g.Rand.Intn(len(sh.MemberNames))]
			if v := g.Value(sh.Members[n], depth+1); v != nil {
				out[n] = v
			}
			return out
		}
		for _, n := range sh.MemberNames {
			m := sh.Members[n]
			if m.Location == "statusCode" {
				// Always set: an unset one reads back as the HTTP status.
				out[n] = int64(200)
				continue
			}
			// A Content-Type member reads back as the codec's default, and an
			// unset structure payload as {}: keep both set.
			always := sh.IsRequired(n) || m.Location == "uri" ||
				m.Location == "header" && http.CanonicalHeaderKey(m.LocationName) == "Content-Type" ||
				sh.Payload == n && m.Shape.Type == "structure"
			if !always && g.Rand.Intn(4) == 0 {
				continue
			}
			if m.HostLabel {
				out[n] = g.word(1+g.Rand.Intn(8), "abcdefghijklmnopqrstuvwxyz0123456789")
				continue
			}
			v := g.Value(m, depth+1)
			if m.Location == "header" && m.Shape.Type == "string" && !m.JSONValue {
				v = g.word(1+g.Rand.Intn(10), "abcdefghijklmnopqrstuvwxyz0123456789-_./")
			}
			if m.Location == "headers" {
				v = map[string]any{g.word(1+g.Rand.Intn(6), "abcdefghijklmnopqrstuvwxyz"): g.word(1+g.Rand.Intn(10), "abcdefghijklmnopqrstuvwxyz0123456789")}
			}
			if m.Location == "querystring" && m.Shape.Type == "map" {
				// Free-form keys that cannot collide with named parameters.
				k := "zz" + g.word(4, "abcdefghijklmnopqrstuvwxyz")
				if m.Shape.Value.Shape.Type == "list" {
					v = map[string]any{k: []any{g.word(3, "abc")}}
				} else {
					v = map[string]any{k: g.word(3, "abc")}
				}
			}
			if v != nil {
				out[n] = v
			}
		}
		return out
	case "list":
		if depth > g.MaxDepth {
			return nil
		}
		n := 1 + g.Rand.Intn(3)
		out := make([]any, 0, n)
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
		if depth > g.MaxDepth {
			return nil
		}
		n := 1 + g.Rand.Intn(2)
		out := make(map[string]any, n)
		for i := 0; i < n; i++ {
			var k string
			if len(sh.Key.Shape.Enum) > 0 {
				k = sh.Key.Shape.Enum[g.Rand.Intn(len(sh.Key.Shape.Enum))]
			} else {
				k = g.word(1+g.Rand.Intn(6), "abcdefghijklmnopqrstuvwxyz")
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
		if ref.JSONValue {
			return fmt.Sprintf(`{"k":%d}`, g.Rand.Intn(100))
		}
		if len(sh.Enum) > 0 {
			return sh.Enum[g.Rand.Intn(len(sh.Enum))]
		}
		return g.word(1+g.Rand.Intn(12), alphabet)
	case "integer", "short", "byte":
		return int64(g.Rand.Intn(2000) - 1000)
	case "long":
		if g.Rand.Intn(3) == 0 {
			return int64(1)<<60 + int64(g.Rand.Intn(1000))
		}
		return int64(g.Rand.Intn(100000))
	case "float", "double":
		return float64(g.Rand.Intn(100000)) / 8
	case "boolean":
		return g.Rand.Intn(2) == 0
	case "timestamp":
		return time.Unix(1_500_000_000+int64(g.Rand.Intn(300_000_000)), 0).UTC()
	case "blob":
		b := make([]byte, 1+g.Rand.Intn(16))
		g.Rand.Read(b)
		return b
	case "bigInteger":
		return fmt.Sprint(g.Rand.Int63())
	case "bigDecimal":
		return fmt.Sprintf("%d.%d", g.Rand.Intn(1000), 1+g.Rand.Intn(9))
	}
	return nil
}

// LoadModelOrNil is LoadModel for fuzz targets' optional seeds: nil, not a
// skip, when the data is absent.
func LoadModelOrNil(t testing.TB, service string) *model.Service {
	if protocoltest.Dir() == "" {
		return nil
	}
	return LoadModel(t, service)
}
