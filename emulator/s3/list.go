package s3

import (
	"context"
	"encoding/base64"
	"sort"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// listParams are the common inputs of the listing operations.
type listParams struct {
	prefix, delimiter, after string // after: keys <= after are skipped
	max                      int64
	urlEncode                bool
}

// listed is one page of a listing: entries in key order, where an entry is
// an object (its entry) or a common prefix.
type listed struct {
	keys      []string
	entries   []*objectEntry
	prefixes  []string
	truncated bool
	last      string // the last key or common prefix returned
}

func maxKeys(in map[string]any, k string) (int64, error) {
	n, ok := i64(in, k)
	if !ok {
		return 1000, nil
	}
	if n < 0 {
		return 0, errInvalidArgument("Argument maxKeys must be an integer between 0 and 2147483647")
	}
	if n > 1000 {
		n = 1000
	}
	return n, nil
}

func encodingType(in map[string]any) (bool, error) {
	switch e := str(in, "EncodingType"); e {
	case "":
		return false, nil
	case "url":
		return true, nil
	default:
		return false, errInvalidArgument("Invalid Encoding Method specified in Request")
	}
}

// enc is the identity: with encoding-type=url the rest-xml codec encodes
// the key fields on the wire, so handlers keep keys raw.
func (p listParams) enc(s string) string { return s }

// scan lists keys in byte-wise order (bbolt's order, which is UTF-8's),
// rolling keys up to common prefixes at the delimiter. include decides
// whether a key's entry counts (delete-marker-only keys do not, for the
// current-version listings).
func scan(objs *store.Bucket, p listParams, include func(*objectEntry) bool) (*listed, error) {
	res := &listed{}
	if objs == nil || p.max == 0 {
		return res, nil
	}
	c := objs.Cursor()
	start := p.prefix
	if p.after >= start {
		start = p.after
	}
	k, v, ok := c.Seek(start)
	for ; ok; k, v, ok = c.Next() {
		if !strings.HasPrefix(k, p.prefix) {
			if k > p.prefix {
				break
			}
			continue
		}
		if k <= p.after {
			continue
		}
		if p.delimiter != "" {
			if i := strings.Index(k[len(p.prefix):], p.delimiter); i >= 0 {
				cp := k[:len(p.prefix)+i+len(p.delimiter)]
				if cp <= p.after {
					continue
				}
				if int64(len(res.keys)+len(res.prefixes)) == p.max {
					res.truncated = true
					return res, nil
				}
				res.prefixes = append(res.prefixes, cp)
				res.last = cp
				// Skip every key under this prefix: no UTF-8 byte is 0xff.
				k, v, ok = c.Seek(cp + "\xff")
				if !ok {
					break
				}
				k, v, ok = c.Prev()
				continue
			}
		}
		e, err := decodeListing(v)
		if err != nil {
			return nil, err
		}
		if !include(e) {
			continue
		}
		if int64(len(res.keys)+len(res.prefixes)) == p.max {
			res.truncated = true
			return res, nil
		}
		res.keys = append(res.keys, k)
		res.entries = append(res.entries, e)
		res.last = k
	}
	return res, nil
}

// listingRecord is the part of a stored objectEntry a listing reads: the
// JSON decoder skips the rest (headers, metadata, tags, blob references)
// without allocating, which made ListObjectsV2 decode every full record.
type listingRecord struct {
	Versions []listingVersion `json:"versions"`
}

type listingVersion struct {
	VersionID    string    `json:"versionId"`
	DeleteMarker bool      `json:"deleteMarker"`
	LastModified time.Time `json:"lastModified"`
	ETag         string    `json:"etag"`
	Size         int64     `json:"size"`
	Checksums    struct {
		CRC32     *string `json:"CRC32"`
		CRC32C    *string `json:"CRC32C"`
		CRC64NVME *string `json:"CRC64NVME"`
		SHA1      *string `json:"SHA1"`
		SHA256    *string `json:"SHA256"`
	} `json:"checksums"`
	ChecksumType string `json:"checksumType"`
	StorageClass string `json:"storageClass"`
}

// decodeListing decodes the listing fields of a stored objectEntry: the
// current (newest) version only, as the current-version listings need.
// Its checksum values are not kept, only which algorithms are present.
func decodeListing(data []byte) (*objectEntry, error) {
	var rec listingRecord
	if err := jsonUnmarshal(data, &rec); err != nil {
		return nil, err
	}
	if len(rec.Versions) == 0 {
		return &objectEntry{}, nil
	}
	lv := &rec.Versions[0]
	v := &version{VersionID: lv.VersionID, DeleteMarker: lv.DeleteMarker, LastModified: lv.LastModified, ETag: lv.ETag,
		Size: lv.Size, ChecksumType: lv.ChecksumType, StorageClass: lv.StorageClass}
	c := &lv.Checksums
	for i, p := range [...]*string{c.CRC32, c.CRC32C, c.CRC64NVME, c.SHA1, c.SHA256} {
		if p != nil {
			if v.Checksums == nil {
				v.Checksums = make(map[string]string, 1)
			}
			v.Checksums[checksumAlgs[i]] = ""
		}
	}
	return &objectEntry{Versions: []*version{v}}, nil
}

func currentLive(e *objectEntry) bool {
	cur := e.current()
	return cur != nil && !cur.DeleteMarker
}

func listObjectsIn(req *emulator.Request, p listParams) (*bucketRef, *listed, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, nil, err
	}
	var res *listed
	err = b.ns.View(func(tx *store.Tx) error {
		objs, err := objects(tx, b.meta.Name)
		if err != nil {
			return err
		}
		res, err = scan(objs, p, currentLive)
		return err
	})
	return b, res, err
}

func listEntry(p listParams, b *bucketRef, key string, v *version, withOwner bool) map[string]any {
	sc := v.StorageClass
	if sc == "" {
		sc = "STANDARD"
	}
	m := map[string]any{"Key": p.enc(key), "LastModified": v.LastModified, "ETag": v.ETag, "Size": v.Size, "StorageClass": sc}
	if withOwner {
		m["Owner"] = owner(b.account)
	}
	if algs := checksumAlgList(v); len(algs) > 0 {
		m["ChecksumAlgorithm"] = algs
		m["ChecksumType"] = v.ChecksumType
	}
	return m
}

func checksumAlgList(v *version) []any {
	var out []any
	for _, a := range checksumAlgs {
		if _, ok := v.Checksums[a]; ok {
			out = append(out, a)
		}
	}
	return out
}

func commonPrefixes(p listParams, cps []string) []any {
	out := make([]any, 0, len(cps))
	for _, cp := range cps {
		out = append(out, map[string]any{"Prefix": p.enc(cp)})
	}
	return out
}

// readListParams reads MaxKeys, EncodingType, Prefix and Delimiter of a
// listing request (errors in that order) and starts it after after.
func readListParams(in map[string]any, after string) (listParams, error) {
	n, err := maxKeys(in, "MaxKeys")
	if err != nil {
		return listParams{}, err
	}
	enc, err := encodingType(in)
	if err != nil {
		return listParams{}, err
	}
	return listParams{prefix: str(in, "Prefix"), delimiter: str(in, "Delimiter"), after: after, max: n, urlEncode: enc}, nil
}

// echo sets the Delimiter and EncodingType a listing answers with, when
// the request gave them.
func (p listParams) echo(out map[string]any) {
	if p.delimiter != "" {
		out["Delimiter"] = p.enc(p.delimiter)
	}
	if p.urlEncode {
		out["EncodingType"] = "url"
	}
}

// addPage sets a ListObjects(V2) page's Contents and CommonPrefixes, each
// only when not empty.
func (p listParams) addPage(out map[string]any, b *bucketRef, res *listed, fetchOwner bool) {
	contents := []any{}
	for i, k := range res.keys {
		contents = append(contents, listEntry(p, b, k, res.entries[i].current(), fetchOwner))
	}
	if len(contents) > 0 {
		out["Contents"] = contents
	}
	if len(res.prefixes) > 0 {
		out["CommonPrefixes"] = commonPrefixes(p, res.prefixes)
	}
}

func listObjects(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	p, err := readListParams(in, str(in, "Marker"))
	if err != nil {
		return nil, err
	}
	n := p.max
	b, res, err := listObjectsIn(req, p)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Name": b.meta.Name, "Prefix": p.enc(p.prefix), "Marker": p.enc(p.after), "MaxKeys": n,
		"IsTruncated": res.truncated}
	p.echo(out)
	p.addPage(out, b, res, true)
	// S3 sends NextMarker only when a delimiter was given; without one the
	// client continues from the last key.
	if res.truncated && p.delimiter != "" {
		out["NextMarker"] = p.enc(res.last)
	}
	return out, nil
}

func listObjectsV2(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	p, err := readListParams(in, str(in, "StartAfter"))
	if err != nil {
		return nil, err
	}
	n := p.max
	token := str(in, "ContinuationToken")
	if token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(raw) == 0 || raw[0] != 'k' {
			return nil, errInvalidArgument("The continuation token provided is incorrect")
		}
		p.after = string(raw[1:])
	}
	b, res, err := listObjectsIn(req, p)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Name": b.meta.Name, "Prefix": p.enc(p.prefix), "MaxKeys": n, "IsTruncated": res.truncated,
		"KeyCount": int64(len(res.keys) + len(res.prefixes))}
	p.echo(out)
	if sa := str(in, "StartAfter"); sa != "" {
		out["StartAfter"] = p.enc(sa)
	}
	if token != "" {
		out["ContinuationToken"] = token
	}
	p.addPage(out, b, res, boolean(in, "FetchOwner"))
	if res.truncated {
		out["NextContinuationToken"] = base64.RawURLEncoding.EncodeToString([]byte("k" + res.last))
	}
	return out, nil
}

func listObjectVersions(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	p, err := readListParams(in, "")
	if err != nil {
		return nil, err
	}
	n := p.max
	keyMarker, vidMarker := str(in, "KeyMarker"), str(in, "VersionIdMarker")
	if vidMarker != "" && keyMarker == "" {
		return nil, errInvalidArgument("A version-id marker cannot be specified without a key marker.")
	}
	b, err := lookupBucket(req, str(in, "Bucket"))
	if err != nil {
		return nil, err
	}
	versions, markers, cps := []any{}, []any{}, []string{}
	count := int64(0)
	truncated := false
	var nextKey, nextVid string
	err = b.ns.View(func(tx *store.Tx) error {
		objs, err := objects(tx, b.meta.Name)
		if err != nil || objs == nil || n == 0 {
			return err
		}
		c := objs.Cursor()
		k, v, ok := c.Seek(p.prefix)
		for ; ok; k, v, ok = c.Next() {
			if !strings.HasPrefix(k, p.prefix) {
				if k > p.prefix {
					break
				}
				continue
			}
			if k < keyMarker || (k == keyMarker && vidMarker == "") {
				continue
			}
			if p.delimiter != "" {
				if i := strings.Index(k[len(p.prefix):], p.delimiter); i >= 0 {
					cp := k[:len(p.prefix)+i+len(p.delimiter)]
					if cp <= keyMarker {
						continue
					}
					if count == n {
						truncated = true
						return nil
					}
					cps = append(cps, cp)
					count++
					nextKey, nextVid = cp, ""
					if k, v, ok = c.Seek(cp + "\xff"); !ok {
						break
					}
					k, v, ok = c.Prev()
					continue
				}
			}
			var e objectEntry
			if err := jsonUnmarshal(v, &e); err != nil {
				return err
			}
			skipping := k == keyMarker && vidMarker != ""
			for i, ver := range e.Versions {
				if skipping {
					if ver.VersionID == vidMarker {
						skipping = false
					}
					continue
				}
				if count == n {
					truncated = true
					return nil
				}
				m := map[string]any{"Key": p.enc(k), "VersionId": ver.VersionID, "IsLatest": i == 0,
					"LastModified": ver.LastModified, "Owner": owner(b.account)}
				if ver.DeleteMarker {
					markers = append(markers, m)
				} else {
					sc := ver.StorageClass
					if sc == "" {
						sc = "STANDARD"
					}
					m["ETag"], m["Size"], m["StorageClass"] = ver.ETag, ver.Size, sc
					if algs := checksumAlgList(ver); len(algs) > 0 {
						m["ChecksumAlgorithm"] = algs
						m["ChecksumType"] = ver.ChecksumType
					}
					versions = append(versions, m)
				}
				count++
				nextKey, nextVid = k, ver.VersionID
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Name": b.meta.Name, "Prefix": p.enc(p.prefix), "KeyMarker": p.enc(keyMarker),
		"VersionIdMarker": vidMarker, "MaxKeys": n, "IsTruncated": truncated}
	p.echo(out)
	if len(versions) > 0 {
		out["Versions"] = versions
	}
	if len(markers) > 0 {
		out["DeleteMarkers"] = markers
	}
	if len(cps) > 0 {
		out["CommonPrefixes"] = commonPrefixes(p, cps)
	}
	if truncated {
		out["NextKeyMarker"] = p.enc(nextKey)
		if nextVid != "" {
			out["NextVersionIdMarker"] = nextVid
		}
	}
	return out, nil
}

var _ = sort.Strings
