package xmlutil_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

const testModel = `{
 "metadata": {"protocol": "rest-xml", "apiVersion": "2020-01-01", "serviceId": "T", "endpointPrefix": "t"},
 "operations": {},
 "shapes": {
  "Top": {"type": "structure", "members": {
    "Id": {"shape": "String", "xmlAttribute": true, "locationName": "xsi:id"},
    "Name": {"shape": "String", "locationName": "name"},
    "Count": {"shape": "Integer"},
    "Ratio": {"shape": "Double"},
    "On": {"shape": "Boolean"},
    "When": {"shape": "Timestamp"},
    "Data": {"shape": "Blob"},
    "Tags": {"shape": "TagList"},
    "Flat": {"shape": "FlatList"},
    "Attrs": {"shape": "AttrMap"},
    "FlatMap": {"shape": "FlatMap", "locationName": "KV"},
    "Nested": {"shape": "Top"}
  }},
  "String": {"type": "string"},
  "Integer": {"type": "integer"},
  "Double": {"type": "double"},
  "Boolean": {"type": "boolean"},
  "Timestamp": {"type": "timestamp"},
  "Blob": {"type": "blob"},
  "TagList": {"type": "list", "member": {"shape": "String", "locationName": "Tag"}},
  "FlatList": {"type": "list", "member": {"shape": "String"}, "flattened": true},
  "AttrMap": {"type": "map", "key": {"shape": "String", "locationName": "Name"}, "value": {"shape": "String", "locationName": "Value"}},
  "FlatMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "Integer"}, "flattened": true}
 }
}`

func topShape(t testing.TB) *model.ShapeRef {
	t.Helper()
	svc, err := model.Parse([]byte(testModel))
	if err != nil {
		t.Fatal(err)
	}
	return &model.ShapeRef{ShapeName: "Top", Shape: svc.Shapes["Top"]}
}

func TestRoundTripAllTraits(t *testing.T) {
	ref := topShape(t)
	v := map[string]any{
		"Id":      "i-1",
		"Name":    "a <b> & \"c\"\r\n",
		"Count":   int64(-3),
		"Ratio":   math.Inf(-1),
		"On":      false,
		"When":    time.Date(2020, 1, 2, 3, 4, 5, 6e6, time.UTC),
		"Data":    []byte{0, 1, 2, 255},
		"Tags":    []any{"x", ""},
		"Flat":    []any{"p", "q"},
		"Attrs":   map[string]any{"k": "v", "k2": ""},
		"FlatMap": map[string]any{"a": int64(1)},
		"Nested":  map[string]any{"Name": "inner", "Tags": []any{}},
	}
	var buf bytes.Buffer
	if err := xmlutil.NewEncoder(&buf).Element("Top", ref, v); err != nil {
		t.Fatal(err)
	}
	n, err := xmlutil.ParseBytes(buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	got, err := xmlutil.Decode(n, ref)
	if err != nil {
		t.Fatal(err)
	}
	if d := xmltest.Diff(v, got); d != "" {
		t.Errorf("%s\n%s", d, buf.String())
	}
	for _, frag := range []string{`<Top xsi:id="i-1">`, `<Tags><Tag>x</Tag><Tag></Tag></Tags>`, `<Flat>p</Flat><Flat>q</Flat>`,
		`<Attrs><entry><Name>k</Name><Value>v</Value></entry>`, `<KV><key>a</key><value>1</value></KV>`, `<Ratio>-Infinity</Ratio>`,
		`<When>2020-01-02T03:04:05.006Z</When>`, `<Data>AAEC/w==</Data>`} {
		if !strings.Contains(buf.String(), frag) {
			t.Errorf("missing %s in\n%s", frag, buf.String())
		}
	}
}

func TestEmptyElementIsEmptyValueAbsentIsAbsent(t *testing.T) {
	ref := topShape(t)
	n, err := xmlutil.ParseBytes([]byte(`<Top><name/><Tags/><Attrs></Attrs></Top>`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := xmlutil.Decode(n, ref)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Name": "", "Tags": []any{}, "Attrs": map[string]any{}}
	if d := xmltest.Diff(want, got); d != "" {
		t.Error(d)
	}
}

func TestParseRejectsDoctypeAndEntities(t *testing.T) {
	for _, doc := range []string{
		`<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Top>&xxe;</Top>`,
		`<!DOCTYPE Top><Top/>`,
	} {
		if _, err := xmlutil.ParseBytes([]byte(doc)); !errors.Is(err, xmlutil.ErrDoctype) {
			t.Errorf("%s: err %v, want ErrDoctype", doc, err)
		}
	}
	if _, err := xmlutil.ParseBytes([]byte(`<Top>&undefined;</Top>`)); err == nil {
		t.Error("undefined entity accepted")
	}
}

func TestParseCapsDepthAndRejectsMalformed(t *testing.T) {
	deep := strings.Repeat("<a>", xmlutil.MaxDepth+1) + strings.Repeat("</a>", xmlutil.MaxDepth+1)
	if _, err := xmlutil.ParseBytes([]byte(deep)); err == nil {
		t.Error("document deeper than MaxDepth accepted")
	}
	ok := strings.Repeat("<a>", xmlutil.MaxDepth) + strings.Repeat("</a>", xmlutil.MaxDepth)
	if _, err := xmlutil.ParseBytes([]byte(ok)); err != nil {
		t.Errorf("MaxDepth document rejected: %v", err)
	}
	for _, bad := range []string{`<a>`, `<a></b>`, `<a/><b/>`, `text`, `<a>x</a>junk`} {
		if _, err := xmlutil.ParseBytes([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestInvalidScalarsAreErrors(t *testing.T) {
	ref := topShape(t)
	for _, doc := range []string{`<Top><Count>x</Count></Top>`, `<Top><On>yes</On></Top>`, `<Top><Ratio>1e999</Ratio></Top>`,
		`<Top><When>yesterday</When></Top>`, `<Top><Data>!!</Data></Top>`} {
		n, err := xmlutil.ParseBytes([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := xmlutil.Decode(n, ref); err == nil {
			t.Errorf("%s decoded without error", doc)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`<Top xsi:id="1"><name>n</name><Tags><Tag>a</Tag></Tags><KV><key>a</key><value>1</value></KV></Top>`,
		`<Top><Nested><Nested><Count>1</Count></Nested></Nested></Top>`, `<Top><Attrs><entry><Name>k</Name></entry></Attrs></Top>`} {
		f.Add([]byte(s))
	}
	ref := topShape(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := xmlutil.ParseBytes(data)
		if err != nil || n == nil {
			return
		}
		v, err := xmlutil.Decode(n, ref)
		if err != nil {
			return
		}
		// Whatever decodes must encode and decode to the same value.
		var buf bytes.Buffer
		if err := xmlutil.NewEncoder(&buf).Element("Top", ref, v); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		n2, err := xmlutil.ParseBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, buf.String())
		}
		v2, err := xmlutil.Decode(n2, ref)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if d := xmltest.Diff(v, v2); d != "" {
			t.Fatalf("unstable: %s", d)
		}
	})
}

func ExampleEncoder_Element() {
	svc, _ := model.Parse([]byte(testModel))
	ref := &model.ShapeRef{Shape: svc.Shapes["Top"]}
	var buf bytes.Buffer
	_ = xmlutil.NewEncoder(&buf).Element("Top", ref, map[string]any{
		"Name": "demo",
		"Tags": []any{"a", "b"},
	})
	fmt.Println(buf.String())
	// Output: <Top><name>demo</name><Tags><Tag>a</Tag><Tag>b</Tag></Tags></Top>
}
