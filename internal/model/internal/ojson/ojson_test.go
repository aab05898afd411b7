package ojson

import (
	"bytes"
	"testing"
)

func roundTrip(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDecodeEncodeKeepsKeyOrderAndNumbers(t *testing.T) {
	in := `{"z":1,"a":{"y":[1.50,2e3,true,null,"<&>"],"b":"x"},"m":-0}`
	v, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := roundTrip(t, v); got != in {
		t.Errorf("round trip = %s, want %s", got, in)
	}
	for _, bad := range []string{``, `{`, `{"a":1}x`, `{"a":1}{}`, `[1,]`, `{1:2}`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
}

// DeepMerge is botocore.utils.deep_merge: objects merge recursively, other
// values replace in place, new keys go last.
func TestDeepMergeLikeBotocore(t *testing.T) {
	base, _ := Decode([]byte(`{"shapes":{"S":{"type":"structure","members":{"B":{"shape":"X"},"A":{"shape":"X"}}},"L":{"type":"list","enum":["a"]}},"v":1}`))
	extra, _ := Decode([]byte(`{"shapes":{"S":{"members":{"C":{"shape":"X"},"B":{"shape":"Y"}}},"L":{"enum":["b"]},"N":{"type":"string"}},"v":{"x":1}}`))
	DeepMerge(base.(*Object), extra.(*Object))
	want := `{"shapes":{"S":{"type":"structure","members":{"B":{"shape":"Y"},"A":{"shape":"X"},"C":{"shape":"X"}}},"L":{"type":"list","enum":["b"]},"N":{"type":"string"}},"v":{"x":1}}`
	if got := roundTrip(t, base); got != want {
		t.Errorf("merged = %s\nwant     %s", got, want)
	}
}

func TestStripDocsKeepsMembersNamedLikeDocs(t *testing.T) {
	v, _ := Decode([]byte(`{"documentation":"d","operations":{"examples":{"documentation":"x","name":"examples"}},"shapes":{"S":{"type":"structure","documentationUrl":"u","members":{"documentation":{"shape":"T","documentation":"y"},"members":{"shape":"T","documentation":"z"}}}},"examples":{}}`))
	StripDocs(v)
	want := `{"operations":{"examples":{"name":"examples"}},"shapes":{"S":{"type":"structure","members":{"documentation":{"shape":"T"},"members":{"shape":"T"}}}}}`
	if got := roundTrip(t, v); got != want {
		t.Errorf("stripped = %s\nwant       %s", got, want)
	}
}
