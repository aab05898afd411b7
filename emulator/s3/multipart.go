package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// minPartSize is S3's minimum size of every part but the last.
const minPartSize = 5 << 20

type upload struct {
	ID                string          `json:"id"`
	Key               string          `json:"key"`
	Initiated         time.Time       `json:"initiated"`
	Headers           objectHeaders   `json:"headers"`
	Metadata          map[string]any  `json:"metadata,omitempty"`
	Tags              []tag           `json:"tags,omitempty"`
	ACL               string          `json:"acl,omitempty"`
	StorageClass      string          `json:"storageClass,omitempty"`
	ChecksumAlgorithm string          `json:"checksumAlgorithm,omitempty"`
	ChecksumType      string          `json:"checksumType,omitempty"`
	Parts             map[string]part `json:"parts,omitempty"` // part number -> part
}

type part struct {
	Number       int64         `json:"n"`
	ETag         string        `json:"etag"`
	Size         int64         `json:"size"`
	Blob         store.BlobRef `json:"blob"`
	LastModified time.Time     `json:"lastModified"`
	Checksum     string        `json:"checksum,omitempty"` // of the upload's algorithm
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// uploads returns the bucket's multipart uploads sub-bucket (see dataSub).
func uploads(tx *store.Tx, bucket string) (*store.Bucket, error) {
	return dataSub(tx, bucket, uploadsBucket)
}

func getUpload(tx *store.Tx, bucket, id, key string) (*store.Bucket, *upload, error) {
	ub, err := uploads(tx, bucket)
	if err != nil {
		return nil, nil, err
	}
	var u upload
	ok := false
	if ub != nil {
		if ok, err = ub.GetJSON(id, &u); err != nil {
			return nil, nil, err
		}
	}
	if !ok || (key != "" && u.Key != key) {
		return nil, nil, errNoSuchUpload(id)
	}
	return ub, &u, nil
}

func deletePartBlobs(tx *store.Tx, u upload) error {
	for _, p := range u.Parts {
		if err := tx.DeleteBlob(p.Blob); err != nil {
			return err
		}
	}
	return nil
}

func createMultipartUpload(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	key := str(req.Input, "Key")
	tags, err := parseTagging(str(req.Input, "Tagging"))
	if err != nil {
		return nil, err
	}
	u := upload{ID: req.IDs.Base64(64), Key: key, Initiated: req.Clock.Now(), Headers: headersFrom(req.Input),
		Metadata: mapOf(req.Input, "Metadata"), Tags: tags, ACL: str(req.Input, "ACL"), StorageClass: str(req.Input, "StorageClass"),
		ChecksumAlgorithm: sigv4.ChecksumAlgorithm(str(req.Input, "ChecksumAlgorithm")), ChecksumType: str(req.Input, "ChecksumType")}
	u.ID = strings.NewReplacer("+", "-", "/", "_").Replace(u.ID) // URL-safe, as S3's are
	if u.ChecksumAlgorithm != "" && u.ChecksumType == "" {
		u.ChecksumType = "COMPOSITE"
		if u.ChecksumAlgorithm == sigv4.ChecksumCRC64NVME {
			u.ChecksumType = "FULL_OBJECT"
		}
	}
	if u.ChecksumType == "FULL_OBJECT" && (u.ChecksumAlgorithm == sigv4.ChecksumSHA1 || u.ChecksumAlgorithm == sigv4.ChecksumSHA256) {
		return nil, errInvalidRequest("The FULL_OBJECT checksum type cannot be used with the %s checksum algorithm.", strings.ToLower(u.ChecksumAlgorithm))
	}
	err = b.ns.Update(func(tx *store.Tx) error {
		ub, err := uploads(tx, b.meta.Name)
		if err != nil {
			return err
		}
		return ub.PutJSON(u.ID, u)
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Bucket": b.meta.Name, "Key": key, "UploadId": u.ID, "ServerSideEncryption": u.Headers.ServerSideEncryption}
	if u.ChecksumAlgorithm != "" {
		out["ChecksumAlgorithm"] = u.ChecksumAlgorithm
		out["ChecksumType"] = u.ChecksumType
	}
	return out, nil
}

func partNumber(in map[string]any) (int64, error) {
	pn, ok := i64(in, "PartNumber")
	if !ok || pn < 1 || pn > 10000 {
		return 0, errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive")
	}
	return pn, nil
}

// storePart records a staged part under its upload, replacing an earlier
// upload of the same part number.
func storePart(req *emulator.Request, b *bucketRef, id, key string, p part) error {
	return b.ns.Update(func(tx *store.Tx) error {
		ub, u, err := getUpload(tx, b.meta.Name, id, key)
		if err != nil {
			return err
		}
		pk := strconv.FormatInt(p.Number, 10)
		if old, ok := u.Parts[pk]; ok {
			if err := tx.DeleteBlob(old.Blob); err != nil {
				return err
			}
		}
		if err := tx.AttachBlob(b.meta.Name+"/"+key+"#"+pk, p.Blob); err != nil {
			return err
		}
		if u.Parts == nil {
			u.Parts = map[string]part{}
		}
		u.Parts[pk] = p
		return ub.PutJSON(id, u)
	})
}

func uploadAlgorithm(b *bucketRef, id, key string) (string, error) {
	var alg string
	err := b.ns.View(func(tx *store.Tx) error {
		_, u, err := getUpload(tx, b.meta.Name, id, key)
		if err != nil {
			return err
		}
		alg = u.ChecksumAlgorithm
		return nil
	})
	return alg, err
}

// partTarget is where UploadPart and UploadPartCopy put a part: the
// bucket, part number, upload and key, and the upload's checksum algorithm.
type partTarget struct {
	b            *bucketRef
	pn           int64
	id, key, alg string
}

// lookupPartTarget resolves the bucket, validates the part number and
// finds the upload, in that order (the order of their errors).
func lookupPartTarget(req *emulator.Request) (partTarget, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return partTarget{}, err
	}
	pn, err := partNumber(req.Input)
	if err != nil {
		return partTarget{}, err
	}
	id, key := str(req.Input, "UploadId"), str(req.Input, "Key")
	alg, err := uploadAlgorithm(b, id, key)
	if err != nil {
		return partTarget{}, err
	}
	return partTarget{b: b, pn: pn, id: id, key: key, alg: alg}, nil
}

func uploadPart(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	t, err := lookupPartTarget(req)
	if err != nil {
		return nil, err
	}
	b, pn, id, key, alg := t.b, t.pn, t.id, t.key, t.alg
	in := req.Input
	if alg != "" && str(in, "ChecksumAlgorithm") == "" {
		in = copyMap(in)
		in["ChecksumAlgorithm"] = alg
	}
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	ing, err := stageBody(req, b.ns, body, in)
	if err != nil {
		return nil, err
	}
	p := part{Number: pn, ETag: `"` + ing.ref.MD5 + `"`, Size: ing.ref.Size, Blob: ing.ref, LastModified: req.Clock.Now(),
		Checksum: ing.checksums[alg]}
	if err := storePart(req, b, id, key, p); err != nil {
		discardBlob(b.ns, ing.ref)
		return nil, err
	}
	out := map[string]any{"ETag": p.ETag, "ServerSideEncryption": "AES256"}
	for a, s := range ing.checksums {
		if a == alg || str(in, checksumMember(a)) != "" || str(in, "ChecksumAlgorithm") == a {
			out[checksumMember(a)] = s
		}
	}
	return out, nil
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func uploadPartCopy(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	t, err := lookupPartTarget(req)
	if err != nil {
		return nil, err
	}
	b, pn, id, key, alg := t.b, t.pn, t.id, t.key, t.alg
	src, _, sv, err := copySource(req)
	if err != nil {
		return nil, err
	}
	start, n := int64(0), sv.Size
	if r := str(req.Input, "CopySourceRange"); r != "" {
		spec, ok := strings.CutPrefix(r, "bytes=")
		first, last, ok2 := strings.Cut(spec, "-")
		s, err1 := strconv.ParseInt(first, 10, 64)
		e, err2 := strconv.ParseInt(last, 10, 64)
		if !ok || !ok2 || err1 != nil || err2 != nil || s < 0 || e < s || e >= sv.Size {
			return nil, errInvalidArgument("Range specified is not valid for source object of size: %d", sv.Size)
		}
		start, n = s, e-s+1
	}
	// From here S3 is copying and has answered 200 (errDuringCopy).
	r, err := openSection(src.ns, sv.Blob, start, n)
	if err != nil {
		return nil, errDuringCopy(err)
	}
	var h hash.Hash
	if alg != "" {
		h, _ = sigv4.NewChecksum(alg)
		r = readSeekTee(r, h)
	}
	ref, err := b.ns.StageBlob(r)
	if c, ok := r.(io.Closer); ok {
		_ = c.Close()
	}
	if err != nil {
		return nil, errDuringCopy(err)
	}
	p := part{Number: pn, ETag: `"` + ref.MD5 + `"`, Size: ref.Size, Blob: ref, LastModified: req.Clock.Now()}
	res := map[string]any{"ETag": p.ETag, "LastModified": p.LastModified}
	if h != nil {
		p.Checksum = sigv4.ChecksumString(h)
		res[checksumMember(alg)] = p.Checksum
	}
	if err := storePart(req, b, id, key, p); err != nil {
		discardBlob(b.ns, ref)
		return nil, errDuringCopy(err)
	}
	out := map[string]any{"CopyPartResult": res, "ServerSideEncryption": "AES256"}
	if vid := versionHeader(src, sv); vid != "" {
		out["CopySourceVersionId"] = vid
	}
	return out, nil
}

type teeSection struct {
	io.ReadSeeker
	w io.Writer
}

func (t *teeSection) Read(p []byte) (int, error) {
	n, err := t.ReadSeeker.Read(p)
	_, _ = t.w.Write(p[:n])
	return n, err
}

func (t *teeSection) Close() error {
	if c, ok := t.ReadSeeker.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

func readSeekTee(r io.ReadSeeker, w io.Writer) io.ReadSeeker { return &teeSection{r, w} }

func completeMultipartUpload(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	id, key := str(req.Input, "UploadId"), str(req.Input, "Key")
	var u *upload
	if err := b.ns.View(func(tx *store.Tx) error {
		var err error
		_, u, err = getUpload(tx, b.meta.Name, id, key)
		return err
	}); err != nil {
		return nil, err
	}
	reqParts := listOf(mapOf(req.Input, "MultipartUpload"), "Parts")
	if len(reqParts) == 0 {
		return nil, errMalformedXML()
	}
	var chosen []part
	last := int64(0)
	for _, rp := range reqParts {
		m, _ := rp.(map[string]any)
		pn, _ := i64(m, "PartNumber")
		if pn <= last {
			return nil, errInvalidPartOrder()
		}
		last = pn
		p, ok := u.Parts[strconv.FormatInt(pn, 10)]
		if !ok || !etagMatches(str(m, "ETag"), p.ETag) {
			return nil, errInvalidPart()
		}
		if u.ChecksumAlgorithm != "" && u.ChecksumType == "COMPOSITE" {
			if c := str(m, checksumMember(u.ChecksumAlgorithm)); c != "" && c != p.Checksum {
				return nil, errInvalidPart()
			}
		}
		chosen = append(chosen, p)
	}
	for _, p := range chosen[:len(chosen)-1] {
		if p.Size < minPartSize {
			return nil, errEntityTooSmall(p.Size)
		}
	}
	// Concatenate the parts into one blob, streaming from disk to disk.
	md5s := md5.New()
	var composite hash.Hash
	fullAlg := sigv4.ChecksumCRC64NVME
	if u.ChecksumType == "FULL_OBJECT" && u.ChecksumAlgorithm != "" {
		fullAlg = u.ChecksumAlgorithm
	}
	if u.ChecksumType == "COMPOSITE" {
		composite, _ = sigv4.NewChecksum(u.ChecksumAlgorithm)
		fullAlg = ""
	}
	var full hash.Hash
	if fullAlg != "" {
		full, _ = sigv4.NewChecksum(fullAlg)
	}
	var readers []io.Reader
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			_ = c.Close()
		}
	}()
	sizes := make([]int64, 0, len(chosen))
	var partSums []string
	for _, p := range chosen {
		if composite != nil {
			partSums = append(partSums, p.Checksum)
		}
		raw, _ := hex.DecodeString(p.Blob.MD5)
		md5s.Write(raw)
		if composite != nil {
			cs, _ := base64.StdEncoding.DecodeString(p.Checksum)
			composite.Write(cs)
		}
		// S3 has answered 200 and is assembling the parts: a failure
		// from here is an <Error> inside that 200 (errDuringCopy).
		f, err := b.ns.OpenBlob(p.Blob)
		if err != nil {
			return nil, errDuringCopy(err)
		}
		closers = append(closers, f)
		readers = append(readers, f)
		sizes = append(sizes, p.Size)
	}
	var src io.Reader = io.MultiReader(readers...)
	if full != nil {
		src = io.TeeReader(src, full)
	}
	ref, err := b.ns.StageBlob(src)
	if err != nil {
		return nil, errDuringCopy(err)
	}
	etag := fmt.Sprintf(`"%x-%d"`, md5s.Sum(nil), len(chosen))
	v := &version{LastModified: req.Clock.Now(), ETag: etag, Size: ref.Size, Blob: &ref, PartSizes: sizes,
		Headers: u.Headers, Metadata: u.Metadata, Tags: u.Tags, ACL: u.ACL, StorageClass: u.StorageClass,
		Checksums: map[string]string{}}
	if composite != nil {
		v.Checksums[u.ChecksumAlgorithm] = fmt.Sprintf("%s-%d", sigv4.ChecksumString(composite), len(chosen))
		v.ChecksumType = "COMPOSITE"
		v.PartChecksums = partSums
	} else {
		v.Checksums[fullAlg] = sigv4.ChecksumString(full)
		v.ChecksumType = "FULL_OBJECT"
		if want := str(req.Input, checksumMember(fullAlg)); want != "" && want != v.Checksums[fullAlg] {
			discardBlob(b.ns, ref)
			return nil, errChecksumMismatch(fullAlg)
		}
	}
	ifMatch, ifNoneMatch := str(req.Input, "IfMatch"), str(req.Input, "IfNoneMatch")
	err = b.ns.Update(func(tx *store.Tx) error {
		ub, cur, err := getUpload(tx, b.meta.Name, id, key)
		if err != nil {
			return err
		}
		objs, err := objects(tx, b.meta.Name)
		if err != nil {
			return err
		}
		e, err := getEntry(objs, key)
		if err != nil {
			return err
		}
		if err := writePrecondition(e.current(), key, ifMatch, ifNoneMatch); err != nil {
			return err
		}
		if err := tx.AttachBlob(b.meta.Name+"/"+key, ref); err != nil {
			return err
		}
		if err := deletePartBlobs(tx, *cur); err != nil {
			return err
		}
		if err := ub.Delete(id); err != nil {
			return err
		}
		if mb := tx.Bucket(metaBucket); mb != nil {
			var m bucketMeta
			if ok, err := mb.GetJSON(b.meta.Name, &m); err == nil && ok {
				b.meta = m
			}
		}
		v.VersionID = newVersionID(req, b.meta.Versioning)
		if err := e.addVersion(tx, v, b.meta.Versioning); err != nil {
			return err
		}
		return putEntry(objs, key, e)
	})
	if err != nil {
		discardBlob(b.ns, ref)
		return nil, errDuringCopy(err)
	}
	out := map[string]any{"Location": "https://" + b.meta.Name + ".s3." + b.meta.Region + ".amazonaws.com/" + (&url.URL{Path: key}).EscapedPath(),
		"Bucket": b.meta.Name, "Key": key, "ETag": etag, "ServerSideEncryption": v.Headers.ServerSideEncryption,
		"ChecksumType": v.ChecksumType}
	for a, s := range v.Checksums {
		out[checksumMember(a)] = s
	}
	if vid := versionHeader(b, v); vid != "" {
		out["VersionId"] = vid
	}
	return out, nil
}

func abortMultipartUpload(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	id, key := str(req.Input, "UploadId"), str(req.Input, "Key")
	err = b.ns.Update(func(tx *store.Tx) error {
		ub, u, err := getUpload(tx, b.meta.Name, id, key)
		if err != nil {
			return err
		}
		if err := deletePartBlobs(tx, *u); err != nil {
			return err
		}
		return ub.Delete(id)
	})
	return nil, err
}

func listParts(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	id, key := str(req.Input, "UploadId"), str(req.Input, "Key")
	var u *upload
	if err := b.ns.View(func(tx *store.Tx) error {
		var err error
		_, u, err = getUpload(tx, b.meta.Name, id, key)
		return err
	}); err != nil {
		return nil, err
	}
	maxParts, ok := i64(req.Input, "MaxParts")
	if !ok || maxParts > 1000 {
		maxParts = 1000
	}
	if maxParts < 0 {
		return nil, errInvalidArgument("Argument max-parts must be an integer between 0 and 2147483647")
	}
	marker, _ := i64(req.Input, "PartNumberMarker")
	ps := make([]part, 0, len(u.Parts))
	for _, p := range u.Parts {
		if p.Number > marker {
			ps = append(ps, p)
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Number < ps[j].Number })
	truncated := int64(len(ps)) > maxParts
	if truncated {
		ps = ps[:maxParts]
	}
	parts := []any{}
	next := int64(0)
	for _, p := range ps {
		m := map[string]any{"PartNumber": p.Number, "LastModified": p.LastModified, "ETag": p.ETag, "Size": p.Size}
		if u.ChecksumAlgorithm != "" && p.Checksum != "" {
			m[checksumMember(u.ChecksumAlgorithm)] = p.Checksum
		}
		parts = append(parts, m)
		next = p.Number
	}
	sc := u.StorageClass
	if sc == "" {
		sc = "STANDARD"
	}
	own := owner(b.account)
	out := map[string]any{"Bucket": b.meta.Name, "Key": key, "UploadId": id, "PartNumberMarker": marker,
		"NextPartNumberMarker": next, "MaxParts": maxParts, "IsTruncated": truncated, "Initiator": own, "Owner": own,
		"StorageClass": sc}
	if len(parts) > 0 {
		out["Parts"] = parts
	}
	if u.ChecksumAlgorithm != "" {
		out["ChecksumAlgorithm"] = u.ChecksumAlgorithm
		out["ChecksumType"] = u.ChecksumType
	}
	return out, nil
}

func listMultipartUploads(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	b, err := lookupBucket(req, str(in, "Bucket"))
	if err != nil {
		return nil, err
	}
	enc, err := encodingType(in)
	if err != nil {
		return nil, err
	}
	maxUploads, ok := i64(in, "MaxUploads")
	if !ok || maxUploads > 1000 {
		maxUploads = 1000
	}
	if maxUploads < 0 {
		return nil, errInvalidArgument("Argument max-uploads must be an integer between 0 and 2147483647")
	}
	p := listParams{prefix: str(in, "Prefix"), delimiter: str(in, "Delimiter"), urlEncode: enc}
	keyMarker, idMarker := str(in, "KeyMarker"), str(in, "UploadIdMarker")
	var all []upload
	if err := b.ns.View(func(tx *store.Tx) error {
		ub, err := uploads(tx, b.meta.Name)
		if err != nil || ub == nil {
			return err
		}
		return ub.ForEach(func(k string, v []byte) error {
			var u upload
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			all = append(all, u)
			return nil
		})
	}); err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Key != all[j].Key {
			return all[i].Key < all[j].Key
		}
		if !all[i].Initiated.Equal(all[j].Initiated) {
			return all[i].Initiated.Before(all[j].Initiated)
		}
		return all[i].ID < all[j].ID
	})
	ups, cps := []any{}, []any{}
	seenCP := map[string]bool{}
	count := int64(0)
	truncated := false
	var nextKey, nextID string
	passedMarker := idMarker == ""
	for _, u := range all {
		if !strings.HasPrefix(u.Key, p.prefix) {
			continue
		}
		if u.Key < keyMarker || (u.Key == keyMarker && idMarker == "") {
			continue
		}
		if u.Key == keyMarker && !passedMarker {
			if u.ID == idMarker {
				passedMarker = true
			}
			continue
		}
		if p.delimiter != "" {
			if i := strings.Index(u.Key[len(p.prefix):], p.delimiter); i >= 0 {
				cp := u.Key[:len(p.prefix)+i+len(p.delimiter)]
				if seenCP[cp] || cp <= keyMarker {
					continue
				}
				if count == maxUploads {
					truncated = true
					break
				}
				seenCP[cp] = true
				cps = append(cps, map[string]any{"Prefix": p.enc(cp)})
				count++
				nextKey, nextID = cp, ""
				continue
			}
		}
		if count == maxUploads {
			truncated = true
			break
		}
		sc := u.StorageClass
		if sc == "" {
			sc = "STANDARD"
		}
		m := map[string]any{"UploadId": u.ID, "Key": p.enc(u.Key), "Initiated": u.Initiated, "StorageClass": sc,
			"Owner": owner(b.account), "Initiator": owner(b.account)}
		if u.ChecksumAlgorithm != "" {
			m["ChecksumAlgorithm"] = u.ChecksumAlgorithm
			m["ChecksumType"] = u.ChecksumType
		}
		ups = append(ups, m)
		count++
		nextKey, nextID = u.Key, u.ID
	}
	out := map[string]any{"Bucket": b.meta.Name, "KeyMarker": p.enc(keyMarker), "UploadIdMarker": idMarker,
		"MaxUploads": maxUploads, "IsTruncated": truncated, "Prefix": p.enc(p.prefix)}
	if truncated {
		out["NextKeyMarker"] = p.enc(nextKey)
		out["NextUploadIdMarker"] = nextID
	}
	p.echo(out)
	if len(ups) > 0 {
		out["Uploads"] = ups
	}
	if len(cps) > 0 {
		out["CommonPrefixes"] = cps
	}
	return out, nil
}

var _ = http.StatusOK
