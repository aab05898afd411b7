package s3_test

import (
	"strings"
	"testing"
)

func keysOf(out map[string]any) []string {
	var ks []string
	if c, ok := out["Contents"].([]any); ok {
		for _, o := range c {
			ks = append(ks, o.(map[string]any)["Key"].(string))
		}
	}
	return ks
}

func prefixesOf(out map[string]any) []string {
	var ps []string
	if c, ok := out["CommonPrefixes"].([]any); ok {
		for _, o := range c {
			ps = append(ps, o.(map[string]any)["Prefix"].(string))
		}
	}
	return ps
}

func TestListObjectsV2DelimiterPrefixesAndPages(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	keys := []string{"a/1", "a/2", "b", "c/x/y", "c/z", "d d", "e+f", "g%h", "h//i", "é", "z"}
	for _, k := range keys {
		h.put("bkt", k, k)
	}
	out := h.must("ListObjectsV2", map[string]any{"Bucket": "bkt", "Delimiter": "/"})
	if got := strings.Join(keysOf(out), ","); got != "b,d d,e+f,g%h,z,é" {
		t.Errorf("keys = %s", got)
	}
	if got := strings.Join(prefixesOf(out), ","); got != "a/,c/,h/" {
		t.Errorf("prefixes = %s", got)
	}
	if out["KeyCount"] != int64(9) || out["IsTruncated"] != false {
		t.Errorf("out = %v", out)
	}
	// Page through two at a time with opaque tokens: keys and prefixes count.
	var seen []string
	token := ""
	for i := 0; i < 20; i++ {
		in := map[string]any{"Bucket": "bkt", "Delimiter": "/", "MaxKeys": int64(2)}
		if token != "" {
			in["ContinuationToken"] = token
		}
		out := h.must("ListObjectsV2", in)
		seen = append(seen, keysOf(out)...)
		seen = append(seen, prefixesOf(out)...)
		if out["IsTruncated"] != true {
			break
		}
		token = out["NextContinuationToken"].(string)
	}
	if len(seen) != 9 {
		t.Errorf("paged = %v", seen)
	}
	out = h.must("ListObjectsV2", map[string]any{"Bucket": "bkt", "Prefix": "c/", "StartAfter": "c/x/y"})
	if got := strings.Join(keysOf(out), ","); got != "c/z" || out["StartAfter"] != "c/x/y" {
		t.Errorf("start-after = %v", out)
	}
	out = h.must("ListObjectsV2", map[string]any{"Bucket": "bkt", "Prefix": "d", "EncodingType": "url"})
	if got := strings.Join(keysOf(out), ","); got != "d d" || out["EncodingType"] != "url" {
		t.Errorf("url encoding = %v", out)
	}
	out = h.must("ListObjectsV2", map[string]any{"Bucket": "bkt", "MaxKeys": int64(0)})
	if out["KeyCount"] != int64(0) || out["IsTruncated"] != false {
		t.Errorf("max-keys 0 = %v", out)
	}
	out = h.must("ListObjectsV2", map[string]any{"Bucket": "bkt", "Prefix": "a/", "FetchOwner": true})
	if c := out["Contents"].([]any); c[0].(map[string]any)["Owner"] == nil {
		t.Errorf("fetch-owner = %v", out)
	}
	h.fails("ListObjectsV2", map[string]any{"Bucket": "bkt", "ContinuationToken": "!!"}, "InvalidArgument", 400)
	h.fails("ListObjectsV2", map[string]any{"Bucket": "bkt", "EncodingType": "xml"}, "InvalidArgument", 400)
}

func TestListObjectsV1NextMarkerOnlyWithDelimiter(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	for _, k := range []string{"a", "b/1", "b/2", "c"} {
		h.put("bkt", k, k)
	}
	out := h.must("ListObjects", map[string]any{"Bucket": "bkt", "MaxKeys": int64(2)})
	if out["IsTruncated"] != true || out["NextMarker"] != nil || strings.Join(keysOf(out), ",") != "a,b/1" {
		t.Fatalf("no delimiter = %v", out)
	}
	out = h.must("ListObjects", map[string]any{"Bucket": "bkt", "MaxKeys": int64(2), "Delimiter": "/"})
	if out["NextMarker"] != "b/" || strings.Join(prefixesOf(out), ",") != "b/" {
		t.Fatalf("delimiter = %v", out)
	}
	out = h.must("ListObjects", map[string]any{"Bucket": "bkt", "Marker": "b/", "Delimiter": "/"})
	if strings.Join(keysOf(out), ",") != "c" || out["IsTruncated"] != false {
		t.Fatalf("from marker = %v", out)
	}
}
