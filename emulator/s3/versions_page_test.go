package s3_test

import "testing"

// TestListObjectVersionsPagesByKeyAndVersionMarkers: paging one entry at a
// time with NextKeyMarker/NextVersionIdMarker visits every version and
// delete marker once, newest first within a key, in key order; with a
// delimiter a common prefix is one entry and its NextKeyMarker is the
// prefix itself.
func TestListObjectVersionsPagesByKeyAndVersionMarkers(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	h.put("bkt", "a", "before versioning") // the "null" version
	h.must("PutBucketVersioning", map[string]any{"Bucket": "bkt", "VersioningConfiguration": map[string]any{"Status": "Enabled"}})
	for _, k := range []string{"a", "a", "dir/x", "dir/y", "z"} {
		h.put("bkt", k, k)
	}
	h.must("DeleteObject", map[string]any{"Bucket": "bkt", "Key": "z"})

	entries := func(out map[string]any) []string {
		var got []string
		for _, kind := range []string{"Versions", "DeleteMarkers"} {
			for _, v := range anyList(out, kind) {
				m := v.(map[string]any)
				got = append(got, kind[:1]+":"+m["Key"].(string)+"@"+m["VersionId"].(string))
			}
		}
		for _, p := range anyList(out, "CommonPrefixes") {
			got = append(got, "P:"+p.(map[string]any)["Prefix"].(string))
		}
		return got
	}
	for _, delim := range []string{"", "/"} {
		t.Run("delimiter="+delim, func(t *testing.T) {
			in := map[string]any{"Bucket": "bkt"}
			if delim != "" {
				in["Delimiter"] = delim
			}
			full := h.must("ListObjectVersions", in)
			want := entries(full)
			wantLen := 7 // a: 2 versions + null, dir/x, dir/y, z: version + marker
			if delim != "" {
				wantLen = 6 // dir/x and dir/y fold into dir/
			}
			if len(want) != wantLen || full["IsTruncated"] != false {
				t.Fatalf("full listing = %v", full)
			}
			var got []string
			keyMarker, vidMarker := "", ""
			for page := 0; page < 20; page++ {
				p := map[string]any{"Bucket": "bkt", "MaxKeys": int64(1)}
				for k, v := range in {
					p[k] = v
				}
				if keyMarker != "" {
					p["KeyMarker"] = keyMarker
				}
				if vidMarker != "" {
					p["VersionIdMarker"] = vidMarker
				}
				out := h.must("ListObjectVersions", p)
				e := entries(out)
				if len(e) != 1 {
					t.Fatalf("page %d has %d entries: %v", page, len(e), out)
				}
				got = append(got, e...)
				if out["IsTruncated"] != true {
					if _, ok := out["NextKeyMarker"]; ok {
						t.Errorf("last page carries NextKeyMarker: %v", out)
					}
					break
				}
				keyMarker, _ = out["NextKeyMarker"].(string)
				vidMarker, _ = out["NextVersionIdMarker"].(string)
				if e[0] == "P:dir/" && (keyMarker != "dir/" || vidMarker != "") {
					t.Errorf("prefix page markers = %q %q", keyMarker, vidMarker)
				}
			}
			// The full listing groups versions before markers, so compare
			// membership (each entry exactly once), not order.
			if !sameMembers(got, want) {
				t.Errorf("paged\n %v\nfull\n %v", got, want)
			}
		})
	}
	h.fails("ListObjectVersions", map[string]any{"Bucket": "bkt", "VersionIdMarker": "abc"}, "InvalidArgument", 400)
}

func anyList(out map[string]any, k string) []any { l, _ := out[k].([]any); return l }

func sameMembers(a, b []string) bool {
	count := map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		count[s]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return len(a) == len(b) && len(a) > 0
}
