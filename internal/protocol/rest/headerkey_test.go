package rest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
)

var prefixSeeds = [][2]string{
	{"X-Amz-Meta-Who", "x-amz-meta-"}, {"x-amz-meta-", "x-amz-meta-"}, {"X-Amz-Met", "x-amz-meta-"},
	{"Content-Type", "x-amz-meta-"}, {"X-Amz-Meta-\u212a", "x-amz-meta-"}, {"\u212a-a", "k-"}, {"", ""}, {"abc", ""},
}

// mayHavePrefix only filters: whenever ToLower(k) has the prefix it says yes.
func checkPrefix(t *testing.T, k, prefix string) {
	prefix = strings.ToLower(prefix)
	if strings.HasPrefix(strings.ToLower(k), prefix) && !mayHavePrefix(k, prefix) {
		t.Fatalf("mayHavePrefix(%q, %q) = false, but ToLower(k) has the prefix", k, prefix)
	}
}

func TestMayHavePrefix(t *testing.T) {
	for _, c := range prefixSeeds {
		checkPrefix(t, c[0], c[1])
	}
	if mayHavePrefix("Content-Type", "x-amz-meta-") {
		t.Error("an ASCII header without the prefix should be filtered out")
	}
}

func FuzzMayHavePrefix(f *testing.F) {
	for _, c := range prefixSeeds {
		f.Add(c[0], c[1])
	}
	f.Fuzz(checkPrefix)
}

// headerKey is http.CanonicalHeaderKey of the member's location name.
func TestHeaderKeyIsCanonical(t *testing.T) {
	for _, c := range []struct{ loc, name, want string }{
		{"x-amz-meta-foo", "M", "X-Amz-Meta-Foo"}, {"ETag", "ETag", "Etag"}, {"", "Content-MD5", "Content-Md5"},
	} {
		ref := &model.ShapeRef{LocationName: c.loc}
		for range 2 { // computed, then cached
			if got := headerKey(ref, c.name); got != c.want || got != http.CanonicalHeaderKey(locName(ref, c.name)) {
				t.Errorf("headerKey(%q, %q) = %q, want %q", c.loc, c.name, got, c.want)
			}
		}
	}
}
