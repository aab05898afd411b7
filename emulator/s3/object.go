package s3

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

const (
	objectsBucket = "objects" // in "b:<name>": key -> objectEntry
	uploadsBucket = "uploads" // in "b:<name>": upload id -> upload
	nullVersion   = "null"
)

// objectEntry is every version of one key, newest first.
type objectEntry struct {
	Versions []*version `json:"versions"`
}

// version is one object version or delete marker.
type version struct {
	VersionID    string         `json:"versionId"`
	DeleteMarker bool           `json:"deleteMarker,omitempty"`
	LastModified time.Time      `json:"lastModified"`
	ETag         string         `json:"etag,omitempty"` // quoted
	Size         int64          `json:"size"`
	Blob         *store.BlobRef `json:"blob,omitempty"`
	PartSizes    []int64        `json:"partSizes,omitempty"` // multipart objects
	// PartChecksums are the parts' checksums (base64, of the object's one
	// algorithm) of a multipart object with a COMPOSITE checksum.
	PartChecksums []string          `json:"partChecksums,omitempty"`
	Headers       objectHeaders     `json:"headers"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
	Tags          []tag             `json:"tags,omitempty"`
	Checksums     map[string]string `json:"checksums,omitempty"`
	ChecksumType  string            `json:"checksumType,omitempty"`
	ACL           string            `json:"acl,omitempty"`
	StorageClass  string            `json:"storageClass,omitempty"`
}

// objectHeaders are the stored representation headers of an object.
type objectHeaders struct {
	ContentType             string     `json:"contentType,omitempty"`
	ContentEncoding         string     `json:"contentEncoding,omitempty"`
	ContentDisposition      string     `json:"contentDisposition,omitempty"`
	ContentLanguage         string     `json:"contentLanguage,omitempty"`
	CacheControl            string     `json:"cacheControl,omitempty"`
	Expires                 *time.Time `json:"expires,omitempty"`
	WebsiteRedirectLocation string     `json:"websiteRedirectLocation,omitempty"`
	ServerSideEncryption    string     `json:"sse,omitempty"`
	SSEKMSKeyID             string     `json:"kmsKeyId,omitempty"`
}

type tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

func headersFrom(in map[string]any) objectHeaders {
	h := objectHeaders{
		ContentType: str(in, "ContentType"), ContentEncoding: str(in, "ContentEncoding"),
		ContentDisposition: str(in, "ContentDisposition"), ContentLanguage: str(in, "ContentLanguage"),
		CacheControl: str(in, "CacheControl"), WebsiteRedirectLocation: str(in, "WebsiteRedirectLocation"),
		ServerSideEncryption: str(in, "ServerSideEncryption"), SSEKMSKeyID: str(in, "SSEKMSKeyId"),
	}
	// aws-chunked is a transfer framing, not the object's encoding.
	if enc := strings.TrimSpace(strings.ReplaceAll(h.ContentEncoding, "aws-chunked", "")); enc != h.ContentEncoding {
		h.ContentEncoding = strings.Trim(enc, ", ")
	}
	if t, ok := tstamp(in, "Expires"); ok {
		h.Expires = &t
	}
	if h.ContentType == "" {
		h.ContentType = "binary/octet-stream"
	}
	if h.ServerSideEncryption == "" {
		h.ServerSideEncryption = "AES256" // S3 encrypts every new object with SSE-S3 by default
	}
	return h
}

// checkSSE accepts the server-side encryption methods S3 knows (SSE-S3,
// SSE-KMS, DSSE-KMS); any other x-amz-server-side-encryption value is
// InvalidArgument.
func checkSSE(v string) error {
	switch v {
	case "", "AES256", "aws:kms", "aws:kms:dsse":
		return nil
	}
	return withFields(errInvalidArgument("The encryption method specified is not supported"),
		"ArgumentName", "x-amz-server-side-encryption", "ArgumentValue", v)
}

// parseTagging reads x-amz-tagging's URL-query form ("k1=v1&k2=v2").
func parseTagging(s string) ([]tag, error) {
	if s == "" {
		return nil, nil
	}
	vals, err := url.ParseQuery(s)
	if err != nil {
		return nil, errInvalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	}
	var tags []tag
	for k, vs := range vals {
		if len(vs) > 1 {
			return nil, errInvalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
		}
		tags = append(tags, tag{k, vs[0]})
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	return tags, validateTags(tags)
}

func validateTags(tags []tag) error {
	if len(tags) > 10 {
		return errInvalidTag("Object tags cannot be greater than 10")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			return errInvalidTag("Cannot provide multiple Tags with the same key")
		}
		seen[t.Key] = true
		if len(t.Key) == 0 || len([]rune(t.Key)) > 128 {
			return errInvalidTag("The TagKey you have provided is invalid")
		}
		if len([]rune(t.Value)) > 256 {
			return errInvalidTag("The TagValue you have provided is too long, max 256")
		}
	}
	return nil
}

func errInvalidTag(msg string) *protocol.APIError {
	return emulator.Errorf("InvalidTag", http.StatusBadRequest, "%s", msg)
}

func tagsFromSet(set []any) []tag {
	var tags []tag
	for _, t := range set {
		m, _ := t.(map[string]any)
		tags = append(tags, tag{str(m, "Key"), str(m, "Value")})
	}
	return tags
}

func tagSet(tags []tag) []any {
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		out = append(out, map[string]any{"Key": t.Key, "Value": t.Value})
	}
	return out
}

// objects returns the bucket's objects sub-bucket (nil in a read-only
// transaction of a bucket without objects).
func objects(tx *store.Tx, bucket string) (*store.Bucket, error) {
	return dataSub(tx, bucket, objectsBucket)
}

// dataSub returns the sub-bucket name of the bucket's data, created in a
// writable transaction; in a read-only one it is nil when the bucket or the
// sub-bucket does not exist. A writable transaction of a missing bucket
// answers NoSuchBucket.
func dataSub(tx *store.Tx, bucket, name string) (*store.Bucket, error) {
	data := tx.Bucket(dataPrefix + bucket)
	if data == nil {
		if !tx.Writable() {
			return nil, nil
		}
		return nil, errNoSuchBucket(bucket)
	}
	if !tx.Writable() {
		return data.Bucket(name), nil
	}
	return data.CreateBucketIfNotExists(name)
}

func getEntry(b *store.Bucket, key string) (*objectEntry, error) {
	var e objectEntry
	if b == nil {
		return &e, nil
	}
	if _, err := b.GetJSON(key, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

func putEntry(b *store.Bucket, key string, e *objectEntry) error {
	if len(e.Versions) == 0 {
		return b.Delete(key)
	}
	return b.PutJSON(key, e)
}

func (e *objectEntry) current() *version {
	if len(e.Versions) == 0 {
		return nil
	}
	return e.Versions[0]
}

func (e *objectEntry) find(id string) *version {
	for _, v := range e.Versions {
		if v.VersionID == id {
			return v
		}
	}
	return nil
}

// addVersion puts v on top. In a bucket that is not versioning-enabled the
// new version is the "null" version and replaces the previous one; the
// blobs of replaced versions are released.
func (e *objectEntry) addVersion(tx *store.Tx, v *version, versioning string) error {
	if versioning != "Enabled" {
		v.VersionID = nullVersion
		kept := e.Versions[:0]
		for _, old := range e.Versions {
			if old.VersionID == nullVersion {
				if err := releaseBlob(tx, old); err != nil {
					return err
				}
				continue
			}
			kept = append(kept, old)
		}
		e.Versions = kept
	}
	e.Versions = append([]*version{v}, e.Versions...)
	return nil
}

func releaseBlob(tx *store.Tx, v *version) error {
	if v.Blob == nil || v.Blob.ID == "" {
		return nil
	}
	return tx.DeleteBlob(*v.Blob)
}

func newVersionID(req *emulator.Request, versioning string) string {
	if versioning == "Enabled" {
		return req.IDs.Alnum(32)
	}
	return nullVersion
}

// versionHeader is the x-amz-version-id S3 sends: only for buckets that
// have had versioning turned on.
func versionHeader(b *bucketRef, v *version) string {
	if b.meta.Versioning == "" {
		return ""
	}
	return v.VersionID
}

func putObject(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	sawBucket(ctx, b)
	key := str(req.Input, "Key")
	if key == "" {
		return nil, errInvalidArgument("Key must not be empty")
	}
	if len(key) > 1024 {
		return nil, emulator.Errorf("KeyTooLongError", http.StatusBadRequest, "Your key is too long")
	}
	tags, err := parseTagging(str(req.Input, "Tagging"))
	if err != nil {
		return nil, err
	}
	if err := checkSSE(str(req.Input, "ServerSideEncryption")); err != nil {
		return nil, err
	}
	ifMatch, ifNoneMatch := str(req.Input, "IfMatch"), str(req.Input, "IfNoneMatch")
	if ifNoneMatch != "" && ifNoneMatch != "*" {
		return nil, emulator.Errorf("NotImplemented", http.StatusNotImplemented, "A header you provided implies functionality that is not implemented")
	}
	// Fail fast before reading the body; the check is repeated atomically below.
	if ifMatch != "" || ifNoneMatch != "" {
		if err := b.ns.View(func(tx *store.Tx) error {
			objs, err := objects(tx, b.meta.Name)
			if err != nil {
				return err
			}
			e, err := getEntry(objs, key)
			if err != nil {
				return err
			}
			return writePrecondition(e.current(), key, ifMatch, ifNoneMatch)
		}); err != nil {
			return nil, err
		}
	}
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	ing, err := stageBody(req, b.ns, body, req.Input)
	if err != nil {
		return nil, err
	}
	v := &version{
		LastModified: req.Clock.Now(), ETag: `"` + ing.ref.MD5 + `"`, Size: ing.ref.Size, Blob: &ing.ref,
		Headers: headersFrom(req.Input), Metadata: mapOf(req.Input, "Metadata"), Tags: tags,
		Checksums: ing.checksums, ChecksumType: "FULL_OBJECT", ACL: str(req.Input, "ACL"),
		StorageClass: str(req.Input, "StorageClass"),
	}
	if err := commitVersion(req, b, key, v, ifMatch, ifNoneMatch); err != nil {
		discardBlob(b.ns, ing.ref)
		return nil, err
	}
	out := map[string]any{"ETag": v.ETag, "ServerSideEncryption": v.Headers.ServerSideEncryption, "ChecksumType": "FULL_OBJECT"}
	if vid := versionHeader(b, v); vid != "" {
		out["VersionId"] = vid
	}
	for a, s := range v.Checksums {
		out[checksumMember(a)] = s
	}
	if v.Headers.SSEKMSKeyID != "" {
		out["SSEKMSKeyId"] = v.Headers.SSEKMSKeyID
	}
	return out, nil
}

// commitVersion stores v as the newest version of key, checking the write
// preconditions atomically.
func commitVersion(req *emulator.Request, b *bucketRef, key string, v *version, ifMatch, ifNoneMatch string) error {
	return b.ns.Update(func(tx *store.Tx) error {
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
		if v.Blob != nil {
			if err := tx.AttachBlob(b.meta.Name+"/"+key, *v.Blob); err != nil {
				return err
			}
		}
		// Re-read versioning inside the transaction: it may have changed.
		// Only that field is decoded: the rest of the record (CORS, policy,
		// notification configurations ...) would be allocated and dropped.
		if mb := tx.Bucket(metaBucket); mb != nil {
			var m struct {
				Versioning string `json:"versioning,omitempty"`
			}
			if ok, err := mb.GetJSON(b.meta.Name, &m); err == nil && ok {
				b.meta.Versioning = m.Versioning
			}
		}
		v.VersionID = newVersionID(req, b.meta.Versioning)
		if err := e.addVersion(tx, v, b.meta.Versioning); err != nil {
			return err
		}
		return putEntry(objs, key, e)
	})
}

// writePrecondition is PutObject's If-Match / If-None-Match: * check.
func writePrecondition(cur *version, key, ifMatch, ifNoneMatch string) error {
	live := cur != nil && !cur.DeleteMarker
	if ifNoneMatch == "*" && live {
		return errPreconditionFailed("If-None-Match")
	}
	if ifMatch != "" {
		if !live {
			return errNoSuchKey(key)
		}
		if !etagMatches(ifMatch, cur.ETag) {
			return errPreconditionFailed("If-Match")
		}
	}
	return nil
}

func etagMatches(cond, etag string) bool {
	for _, c := range strings.Split(cond, ",") {
		c = strings.TrimSpace(c)
		if c == "*" || strings.Trim(strings.TrimPrefix(c, "W/"), `"`) == strings.Trim(etag, `"`) {
			return true
		}
	}
	return false
}

// resolveVersion finds the version a read addresses. A current delete
// marker is NoSuchKey (404 with x-amz-delete-marker); a delete marker named
// by version id is 405 MethodNotAllowed.
func resolveVersion(req *emulator.Request, b *bucketRef, key, versionID, method string) (*version, error) {
	var v *version
	err := b.ns.View(func(tx *store.Tx) error {
		objs, err := objects(tx, b.meta.Name)
		if err != nil {
			return err
		}
		e, err := getEntry(objs, key)
		if err != nil {
			return err
		}
		if versionID == "" {
			v = e.current()
		} else {
			v = e.find(versionID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if v == nil {
		if versionID != "" {
			if versionID != nullVersion && len(versionID) != 32 {
				return nil, errInvalidVersionID()
			}
			return nil, errNoSuchVersion(key, versionID)
		}
		return nil, errNoSuchKey(key)
	}
	if v.DeleteMarker {
		if versionID != "" {
			e := errMethodNotAllowed(method, "DeleteMarker")
			e.Header = http.Header{"X-Amz-Delete-Marker": {"true"}, "X-Amz-Version-Id": {v.VersionID},
				"Last-Modified": {v.LastModified.Format(http.TimeFormat)}}
			return nil, e
		}
		e := errNoSuchKey(key)
		e.Header = http.Header{"X-Amz-Delete-Marker": {"true"}}
		if vid := versionHeader(b, v); vid != "" {
			e.Header.Set("X-Amz-Version-Id", vid)
		}
		return nil, e
	}
	return v, nil
}

// readPreconditions applies GET/HEAD conditional headers with RFC 7232's
// precedence, as S3 does: If-Match wins over If-Unmodified-Since, and
// If-None-Match over If-Modified-Since; a failed If-Match or
// If-Unmodified-Since is 412, a failed If-None-Match or If-Modified-Since
// 304.
func readPreconditions(in map[string]any, v *version) error {
	lm := v.LastModified.Truncate(time.Second)
	ifMatch, ifNoneMatch := str(in, "IfMatch"), str(in, "IfNoneMatch")
	if ifMatch != "" {
		if !etagMatches(ifMatch, v.ETag) {
			return errPreconditionFailed("If-Match")
		}
	} else if t, ok := tstamp(in, "IfUnmodifiedSince"); ok && lm.After(t) {
		return errPreconditionFailed("If-Unmodified-Since")
	}
	if ifNoneMatch != "" {
		if etagMatches(ifNoneMatch, v.ETag) {
			return notModified(v)
		}
	} else if t, ok := tstamp(in, "IfModifiedSince"); ok && !lm.After(t) {
		return notModified(v)
	}
	return nil
}

func notModified(v *version) error {
	e := errNotModified()
	e.Header = http.Header{"Etag": {v.ETag}, "Last-Modified": {v.LastModified.Format(http.TimeFormat)}}
	return e
}

// byteRange parses a Range header against size. ok is false for a header
// S3 ignores (not "bytes=", several ranges, malformed): the whole object is
// sent. An unsatisfiable range is InvalidRange.
func byteRange(h string, size int64) (start, end int64, ok bool, err error) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, nil
	}
	first, last, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false, nil
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" { // suffix: the last N bytes
		n, perr := strconv.ParseInt(last, 10, 64)
		if perr != nil || n < 0 {
			return 0, 0, false, nil
		}
		if n == 0 || size == 0 {
			return 0, 0, false, errInvalidRange(size, h)
		}
		if n > size {
			n = size
		}
		return size - n, size - 1, true, nil
	}
	s, perr := strconv.ParseInt(first, 10, 64)
	if perr != nil || s < 0 {
		return 0, 0, false, nil
	}
	e := size - 1
	if last != "" {
		if e, perr = strconv.ParseInt(last, 10, 64); perr != nil || e < s {
			return 0, 0, false, nil
		}
		if e > size-1 {
			e = size - 1
		}
	}
	if s >= size {
		return 0, 0, false, errInvalidRange(size, h)
	}
	return s, e, true, nil
}

// objectOutput is the header part shared by GetObject and HeadObject.
func objectOutput(b *bucketRef, v *version, in map[string]any) map[string]any {
	out := map[string]any{
		"ETag": v.ETag, "LastModified": v.LastModified, "ContentLength": v.Size, "AcceptRanges": "bytes",
		"ContentType": v.Headers.ContentType, "ServerSideEncryption": v.Headers.ServerSideEncryption,
	}
	set := func(k, val string) {
		if val != "" {
			out[k] = val
		}
	}
	set("ContentEncoding", v.Headers.ContentEncoding)
	set("ContentDisposition", v.Headers.ContentDisposition)
	set("ContentLanguage", v.Headers.ContentLanguage)
	set("CacheControl", v.Headers.CacheControl)
	set("WebsiteRedirectLocation", v.Headers.WebsiteRedirectLocation)
	set("SSEKMSKeyId", v.Headers.SSEKMSKeyID)
	set("VersionId", versionHeader(b, v))
	if v.Headers.Expires != nil {
		out["Expires"] = *v.Headers.Expires
	}
	if v.StorageClass != "" && v.StorageClass != "STANDARD" {
		out["StorageClass"] = v.StorageClass
	}
	if len(v.Metadata) > 0 {
		out["Metadata"] = v.Metadata
	}
	if len(v.Tags) > 0 {
		out["TagCount"] = int64(len(v.Tags))
	}
	// response-* query parameters override the stored headers (GetObject).
	for _, o := range []string{"CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType"} {
		set(o, str(in, "Response"+o))
	}
	if t, ok := tstamp(in, "ResponseExpires"); ok {
		out["Expires"] = t
	}
	if strings.EqualFold(str(in, "ChecksumMode"), "ENABLED") {
		for a, s := range v.Checksums {
			out[checksumMember(a)] = s
		}
		if v.ChecksumType != "" && len(v.Checksums) > 0 {
			out["ChecksumType"] = v.ChecksumType
		}
	}
	return out
}

// readObject is GetObject and HeadObject: the version, preconditions, part
// or range selection, and the output headers. withBody opens the blob.
func readObject(req *emulator.Request, method string, withBody bool) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	key := str(req.Input, "Key")
	v, err := resolveVersion(req, b, key, str(req.Input, "VersionId"), method)
	if err != nil {
		return nil, err
	}
	if err := readPreconditions(req.Input, v); err != nil {
		return nil, err
	}
	out := objectOutput(b, v, req.Input)
	start, n := int64(0), v.Size
	rng := str(req.Input, "Range")
	if pn, ok := i64(req.Input, "PartNumber"); ok {
		if rng != "" {
			return nil, errInvalidRequest("Cannot specify both Range header and partNumber query parameter")
		}
		sizes := v.PartSizes
		if len(sizes) == 0 {
			sizes = []int64{v.Size}
		}
		if pn < 1 || pn > int64(len(sizes)) {
			return nil, emulator.Errorf("InvalidPartNumber", http.StatusRequestedRangeNotSatisfiable, "The requested partnumber is not satisfiable")
		}
		for _, s := range sizes[:pn-1] {
			start += s
		}
		n = sizes[pn-1]
		out["PartsCount"] = int64(len(sizes))
		if len(v.PartSizes) > 0 {
			out["ContentRange"] = fmt.Sprintf("bytes %d-%d/%d", start, start+n-1, v.Size)
			delete(out, "ChecksumCRC64NVME") // a part has its own checksum
		}
	} else if rng != "" {
		s, e, ok, err := byteRange(rng, v.Size)
		if err != nil {
			return nil, err
		}
		if ok {
			start, n = s, e-s+1
			out["ContentRange"] = fmt.Sprintf("bytes %d-%d/%d", s, e, v.Size)
			for _, a := range checksumAlgs { // checksums describe the whole object
				delete(out, checksumMember(a))
			}
			delete(out, "ChecksumType")
		}
	} else if len(v.PartSizes) > 0 {
		out["PartsCount"] = int64(len(v.PartSizes))
		delete(out, "PartsCount") // only with partNumber
	}
	out["ContentLength"] = n
	if withBody {
		body, err := openSection(b.ns, v.Blob, start, n)
		if err != nil {
			return nil, err
		}
		out["Body"] = body
	}
	return out, nil
}

func getObject(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	return readObject(req, http.MethodGet, true)
}

func headObject(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	return readObject(req, http.MethodHead, false)
}

// deleteKey deletes key (or one of its versions) in a transaction and says
// what happened: the version id removed or the delete marker created.
func deleteKey(req *emulator.Request, tx *store.Tx, b *bucketRef, key, versionID string) (out map[string]any, err error) {
	objs, err := objects(tx, b.meta.Name)
	if err != nil {
		return nil, err
	}
	e, err := getEntry(objs, key)
	if err != nil {
		return nil, err
	}
	out = map[string]any{}
	if versionID != "" {
		for i, v := range e.Versions {
			if v.VersionID == versionID {
				if err := releaseBlob(tx, v); err != nil {
					return nil, err
				}
				e.Versions = append(e.Versions[:i], e.Versions[i+1:]...)
				out["VersionId"] = versionID
				if v.DeleteMarker {
					out["DeleteMarker"] = true
				}
				return out, putEntry(objs, key, e)
			}
		}
		if versionID != nullVersion && len(versionID) != 32 {
			return nil, errInvalidVersionID()
		}
		out["VersionId"] = versionID // deleting a missing version succeeds
		return out, nil
	}
	switch b.meta.Versioning {
	case "":
		if cur := e.current(); cur != nil {
			if err := releaseBlob(tx, cur); err != nil {
				return nil, err
			}
		}
		return out, objs.Delete(key)
	default:
		// Versioned: a delete marker becomes the current version (the null
		// one when versioning is suspended).
		if len(e.Versions) == 0 && b.meta.Versioning == "Enabled" {
			// S3 still writes a marker for a key that never existed.
		}
		dm := &version{DeleteMarker: true, LastModified: req.Clock.Now(), VersionID: newVersionID(req, b.meta.Versioning)}
		if err := e.addVersion(tx, dm, b.meta.Versioning); err != nil {
			return nil, err
		}
		out["DeleteMarker"] = true
		out["VersionId"] = dm.VersionID
		return out, putEntry(objs, key, e)
	}
}

func deleteObject(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	var out map[string]any
	err = b.ns.Update(func(tx *store.Tx) error {
		var err error
		out, err = deleteKey(req, tx, b, str(req.Input, "Key"), str(req.Input, "VersionId"))
		return err
	})
	return out, err
}

func deleteObjects(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	del := mapOf(req.Input, "Delete")
	objs := listOf(del, "Objects")
	if del == nil || len(objs) == 0 {
		return nil, errMalformedXML()
	}
	if len(objs) > 1000 {
		return nil, errMalformedXML()
	}
	quiet := boolean(del, "Quiet")
	deleted, errs := []any{}, []any{}
	err = b.ns.Update(func(tx *store.Tx) error {
		for _, o := range objs {
			m, _ := o.(map[string]any)
			key, vid := str(m, "Key"), str(m, "VersionId")
			res, err := deleteKey(req, tx, b, key, vid)
			if err != nil {
				if ae, ok := err.(*protocol.APIError); ok {
					ent := map[string]any{"Key": key, "Code": ae.Code, "Message": ae.Message}
					if vid != "" {
						ent["VersionId"] = vid
					}
					errs = append(errs, ent)
					continue
				}
				return err
			}
			if quiet {
				continue
			}
			ent := map[string]any{"Key": key}
			if vid != "" {
				ent["VersionId"] = vid
				if boolean(res, "DeleteMarker") {
					ent["DeleteMarker"] = true
					ent["DeleteMarkerVersionId"] = vid
				}
			} else if boolean(res, "DeleteMarker") {
				ent["DeleteMarker"] = true
				ent["DeleteMarkerVersionId"] = res["VersionId"]
			}
			deleted = append(deleted, ent)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if len(deleted) > 0 {
		out["Deleted"] = deleted
	}
	if len(errs) > 0 {
		out["Errors"] = errs
	}
	return out, nil
}

// parseCopySource reads x-amz-copy-source: "bucket/key[?versionId=id]",
// URL-encoded, with an optional leading slash.
func parseCopySource(s string) (bucket, key, versionID string, err error) {
	s = strings.TrimPrefix(s, "/")
	path, query, _ := strings.Cut(s, "?")
	if query != "" {
		q, perr := url.ParseQuery(query)
		if perr != nil {
			return "", "", "", errInvalidArgument("Invalid copy source encoding")
		}
		versionID = q.Get("versionId")
	}
	dec, perr := url.PathUnescape(path)
	if perr != nil {
		return "", "", "", errInvalidArgument("Invalid copy source encoding")
	}
	bucket, key, ok := strings.Cut(dec, "/")
	if !ok || bucket == "" || key == "" {
		return "", "", "", errInvalidArgument("Invalid copy source object key")
	}
	return bucket, key, versionID, nil
}

// copySource resolves and checks the source of CopyObject/UploadPartCopy.
func copySource(req *emulator.Request) (*bucketRef, string, *version, error) {
	sb, sk, svid, err := parseCopySource(str(req.Input, "CopySource"))
	if err != nil {
		return nil, "", nil, err
	}
	src, err := lookupBucket(req, sb)
	if err != nil {
		return nil, "", nil, err
	}
	v, err := resolveVersion(req, src, sk, svid, http.MethodGet)
	if err != nil {
		if ae, ok := err.(*protocol.APIError); ok && ae.StatusCode == http.StatusMethodNotAllowed {
			return nil, "", nil, errInvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.")
		}
		return nil, "", nil, err
	}
	// x-amz-copy-source-if-*: all failures are 412 (RFC 7232 precedence
	// between each pair, as for GET).
	in := req.Input
	lm := v.LastModified.Truncate(time.Second)
	if c := str(in, "CopySourceIfMatch"); c != "" {
		if !etagMatches(c, v.ETag) {
			return nil, "", nil, errPreconditionFailed("x-amz-copy-source-If-Match")
		}
	} else if t, ok := tstamp(in, "CopySourceIfUnmodifiedSince"); ok && lm.After(t) {
		return nil, "", nil, errPreconditionFailed("x-amz-copy-source-If-Unmodified-Since")
	}
	if c := str(in, "CopySourceIfNoneMatch"); c != "" {
		if etagMatches(c, v.ETag) {
			return nil, "", nil, errPreconditionFailed("x-amz-copy-source-If-None-Match")
		}
	} else if t, ok := tstamp(in, "CopySourceIfModifiedSince"); ok && !lm.After(t) {
		return nil, "", nil, errPreconditionFailed("x-amz-copy-source-If-Modified-Since")
	}
	return src, sk, v, nil
}

func copyObject(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	key := str(req.Input, "Key")
	src, srcKey, sv, err := copySource(req)
	if err != nil {
		return nil, err
	}
	mdDir, tagDir := str(req.Input, "MetadataDirective"), str(req.Input, "TaggingDirective")
	if mdDir != "" && mdDir != "COPY" && mdDir != "REPLACE" {
		return nil, errInvalidArgument("Unknown metadata directive.")
	}
	if tagDir != "" && tagDir != "COPY" && tagDir != "REPLACE" {
		return nil, errInvalidArgument("Unknown tagging directive.")
	}
	same := src.meta.Name == b.meta.Name && srcKey == key
	if same && mdDir != "REPLACE" && str(req.Input, "StorageClass") == "" && str(req.Input, "ServerSideEncryption") == "" &&
		str(req.Input, "WebsiteRedirectLocation") == "" && str(req.Input, "SSEKMSKeyId") == "" {
		return nil, errInvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	nv := &version{LastModified: req.Clock.Now(), ETag: sv.ETag, Size: sv.Size, PartSizes: sv.PartSizes, PartChecksums: sv.PartChecksums,
		Headers: sv.Headers, Metadata: sv.Metadata, Tags: sv.Tags, Checksums: sv.Checksums, ChecksumType: sv.ChecksumType,
		ACL: str(req.Input, "ACL"), StorageClass: str(req.Input, "StorageClass")}
	if mdDir == "REPLACE" {
		nv.Headers = headersFrom(req.Input)
		nv.Metadata = mapOf(req.Input, "Metadata")
	} else if sse := str(req.Input, "ServerSideEncryption"); sse != "" {
		nv.Headers.ServerSideEncryption = sse
	}
	if tagDir == "REPLACE" {
		if nv.Tags, err = parseTagging(str(req.Input, "Tagging")); err != nil {
			return nil, err
		}
	}
	// From here S3 is copying and has answered 200: a failure is an
	// <Error> inside that 200 (errDuringCopy).
	if sv.Blob != nil && sv.Blob.ID != "" {
		r, err := openSection(src.ns, sv.Blob, 0, sv.Size)
		if err != nil {
			return nil, errDuringCopy(err)
		}
		ref, err := b.ns.StageBlob(r)
		if c, ok := r.(io.Closer); ok {
			_ = c.Close()
		}
		if err != nil {
			return nil, errDuringCopy(err)
		}
		nv.Blob = &ref
	}
	if err := commitVersion(req, b, key, nv, str(req.Input, "IfMatch"), str(req.Input, "IfNoneMatch")); err != nil {
		if nv.Blob != nil {
			discardBlob(b.ns, *nv.Blob)
		}
		return nil, errDuringCopy(err)
	}
	res := map[string]any{"ETag": nv.ETag, "LastModified": nv.LastModified}
	if ca := str(req.Input, "ChecksumAlgorithm"); ca != "" {
		if s, ok := nv.Checksums[ca]; ok {
			res[checksumMember(ca)] = s
		}
	}
	out := map[string]any{"CopyObjectResult": res, "ServerSideEncryption": nv.Headers.ServerSideEncryption}
	if vid := versionHeader(b, nv); vid != "" {
		out["VersionId"] = vid
	}
	if svid := versionHeader(src, sv); svid != "" {
		out["CopySourceVersionId"] = svid
	}
	return out, nil
}

// objectVersionFor locates the version of a tagging/ACL/attributes call.
func objectVersionFor(req *emulator.Request) (*bucketRef, *version, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, nil, err
	}
	v, err := resolveVersion(req, b, str(req.Input, "Key"), str(req.Input, "VersionId"), req.Operation.HTTP.Method)
	return b, v, err
}

// updateVersion applies fn to the addressed version in a transaction.
func updateVersion(req *emulator.Request, fn func(v *version) error) (*bucketRef, *version, error) {
	b, v, err := objectVersionFor(req)
	if err != nil {
		return nil, nil, err
	}
	key := str(req.Input, "Key")
	err = b.ns.Update(func(tx *store.Tx) error {
		objs, err := objects(tx, b.meta.Name)
		if err != nil {
			return err
		}
		e, err := getEntry(objs, key)
		if err != nil {
			return err
		}
		cur := e.find(v.VersionID)
		if cur == nil {
			return errNoSuchKey(key)
		}
		if err := fn(cur); err != nil {
			return err
		}
		v = cur
		return putEntry(objs, key, e)
	})
	return b, v, err
}

func putObjectTagging(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	tags := tagsFromSet(listOf(mapOf(req.Input, "Tagging"), "TagSet"))
	if err := validateTags(tags); err != nil {
		return nil, err
	}
	b, v, err := updateVersion(req, func(v *version) error { v.Tags = tags; return nil })
	if err != nil {
		return nil, err
	}
	return versionOut(b, v), nil
}

func getObjectTagging(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, v, err := objectVersionFor(req)
	if err != nil {
		return nil, err
	}
	out := versionOut(b, v)
	out["TagSet"] = tagSet(v.Tags)
	return out, nil
}

func deleteObjectTagging(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, v, err := updateVersion(req, func(v *version) error { v.Tags = nil; return nil })
	if err != nil {
		return nil, err
	}
	return versionOut(b, v), nil
}

func versionOut(b *bucketRef, v *version) map[string]any {
	out := map[string]any{}
	if vid := versionHeader(b, v); vid != "" {
		out["VersionId"] = vid
	}
	return out
}

func putObjectACL(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	acl, err := aclValue(req.Input)
	if err != nil {
		return nil, err
	}
	_, _, err = updateVersion(req, func(v *version) error { v.ACL = acl; return nil })
	return nil, err
}

func getObjectACL(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, v, err := objectVersionFor(req)
	if err != nil {
		return nil, err
	}
	return aclOutput(req, b.account, v.ACL, "GetObjectAcl")
}

func getObjectAttributes(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, v, err := objectVersionFor(req)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, a := range listOf(req.Input, "ObjectAttributes") {
		s, _ := a.(string)
		want[s] = true
	}
	if len(want) == 0 {
		return nil, errInvalidArgument("Invalid attribute name specified.")
	}
	out := map[string]any{"LastModified": v.LastModified}
	if vid := versionHeader(b, v); vid != "" {
		out["VersionId"] = vid
	}
	if want["ETag"] {
		out["ETag"] = strings.Trim(v.ETag, `"`) // S3 sends it unquoted here
	}
	if want["ObjectSize"] {
		out["ObjectSize"] = v.Size
	}
	if want["StorageClass"] {
		sc := v.StorageClass
		if sc == "" {
			sc = "STANDARD"
		}
		out["StorageClass"] = sc
	}
	if want["Checksum"] && len(v.Checksums) > 0 {
		cs := map[string]any{"ChecksumType": v.ChecksumType}
		for a, s := range v.Checksums {
			cs[checksumMember(a)] = s
		}
		out["Checksum"] = cs
	}
	if want["ObjectParts"] && len(v.PartSizes) > 0 {
		out["ObjectParts"] = objectParts(req.Input, v)
	}
	return out, nil
}

// objectParts is GetObjectAttributes' ObjectParts of a multipart object.
// S3 lists the parts (as ListParts would, paged by MaxParts and
// PartNumberMarker, each with its checksum) only for an object uploaded
// with a COMPOSITE additional checksum; for any other multipart object it
// reports the parts count alone.
func objectParts(in map[string]any, v *version) map[string]any {
	total := int64(len(v.PartSizes))
	alg := ""
	for a := range v.Checksums {
		alg = a
	}
	if v.ChecksumType != "COMPOSITE" || alg == "" || len(v.PartChecksums) != len(v.PartSizes) {
		return map[string]any{"TotalPartsCount": total}
	}
	maxParts, ok := i64(in, "MaxParts")
	if !ok || maxParts <= 0 || maxParts > 1000 {
		maxParts = 1000
	}
	marker, _ := i64(in, "PartNumberMarker")
	if marker < 0 {
		marker = 0
	}
	parts := []any{}
	var next int64
	truncated := false
	for i, s := range v.PartSizes {
		pn := int64(i + 1)
		if pn <= marker {
			continue
		}
		if int64(len(parts)) == maxParts {
			truncated = true
			break
		}
		parts = append(parts, map[string]any{"PartNumber": pn, "Size": s, checksumMember(alg): v.PartChecksums[i]})
		next = pn
	}
	return map[string]any{"TotalPartsCount": total, "PartNumberMarker": marker,
		"NextPartNumberMarker": next, "MaxParts": maxParts, "IsTruncated": truncated, "Parts": parts}
}

var _ = json.Marshal
