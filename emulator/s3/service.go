package s3

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// Name is the botocore service name S3 registers under.
const Name = "s3"

func init() { emulator.Register(Def()) }

// Def returns S3's service definition (the operation table). init registers
// it; tests may pass it in emulator.Options.ServiceDefs.
func Def() emulator.ServiceDef {
	ops := map[string]emulator.Handler{
		// bucket.go
		"CreateBucket":      createBucket,
		"HeadBucket":        headBucket,
		"DeleteBucket":      deleteBucket,
		"ListBuckets":       listBuckets,
		"GetBucketLocation": getBucketLocation,
		"GetBucketAcl":      getBucketACL,
		"PutBucketAcl":      putBucketACL,
		// object.go
		"PutObject":           putObject,
		"GetObject":           getObject,
		"HeadObject":          headObject,
		"DeleteObject":        deleteObject,
		"DeleteObjects":       deleteObjects,
		"CopyObject":          copyObject,
		"GetObjectAttributes": getObjectAttributes,
		"PutObjectTagging":    putObjectTagging,
		"GetObjectTagging":    getObjectTagging,
		"DeleteObjectTagging": deleteObjectTagging,
		"PutObjectAcl":        putObjectACL,
		"GetObjectAcl":        getObjectACL,
		// list.go
		"ListObjects":        listObjects,
		"ListObjectsV2":      listObjectsV2,
		"ListObjectVersions": listObjectVersions,
		// multipart.go
		"CreateMultipartUpload":   createMultipartUpload,
		"UploadPart":              uploadPart,
		"UploadPartCopy":          uploadPartCopy,
		"CompleteMultipartUpload": completeMultipartUpload,
		"AbortMultipartUpload":    abortMultipartUpload,
		"ListParts":               listParts,
		"ListMultipartUploads":    listMultipartUploads,
		// versioning.go
		"PutBucketVersioning": putBucketVersioning,
		"GetBucketVersioning": getBucketVersioning,
	}
	for name, h := range configHandlers() {
		ops[name] = h
	}
	for name, h := range ops {
		ops[name] = withCORS(withEvents(name, h))
	}
	raw := map[string]emulator.RawHandler{
		http.MethodOptions: preflight,  // cors.go
		http.MethodPost:    postUpload, // post.go
	}
	return emulator.ServiceDef{Name: Name, Operations: ops, Raw: raw}
}

// Global bucket-name index: names are unique across accounts and regions.
const (
	globalAccount = "global"
	globalRegion  = "aws-global"
	indexBucket   = "bucket-index"
	// In the owner's namespace:
	metaBucket = "buckets" // name -> bucketMeta
	dataPrefix = "b:"      // "b:<name>" holds nested "objects" and "uploads"
)

type indexEntry struct {
	Account string `json:"account"`
	Region  string `json:"region"`
}

// bucketMeta is a bucket's record in its owner's namespace.
type bucketMeta struct {
	Name       string    `json:"name"`
	Region     string    `json:"region"`
	Created    time.Time `json:"created"`
	Versioning string    `json:"versioning,omitempty"` // "", Enabled, Suspended
	MFADelete  string    `json:"mfaDelete,omitempty"`
	ACL        string    `json:"acl,omitempty"`
	// Config holds the stored sub-resources (cors, lifecycle, ...) as the
	// JSON of their decoded input values.
	Config map[string][]byte `json:"config,omitempty"`
}

// bucketRef is a located bucket: its owner namespace and record.
type bucketRef struct {
	ns      *store.NS
	account string
	meta    bucketMeta
}

func indexNS(req *emulator.Request) *store.NS {
	return req.Services().Store(globalAccount, globalRegion, Name)
}

// lookupBucket finds a bucket by name in the global index, whatever the
// caller's region (S3 serves a bucket from any regional endpoint here; real
// S3 would redirect, which SDKs follow).
func lookupBucket(req *emulator.Request, name string) (*bucketRef, error) {
	var ent indexEntry
	var found bool
	err := indexNS(req).View(func(tx *store.Tx) error {
		b := tx.Bucket(indexBucket)
		if b == nil {
			return nil
		}
		var err error
		found, err = b.GetJSON(name, &ent)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoSuchBucket(name)
	}
	ns := req.Services().Store(ent.Account, ent.Region, Name)
	ref := &bucketRef{ns: ns, account: ent.Account}
	err = ns.View(func(tx *store.Tx) error {
		b := tx.Bucket(metaBucket)
		if b == nil {
			found = false
			return nil
		}
		var err error
		found, err = b.GetJSON(name, &ref.meta)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoSuchBucket(name)
	}
	return ref, nil
}

// updateMeta rewrites a bucket's record with fn applied.
func (b *bucketRef) updateMeta(fn func(m *bucketMeta) error) error {
	return b.ns.Update(func(tx *store.Tx) error {
		mb, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		var m bucketMeta
		ok, err := mb.GetJSON(b.meta.Name, &m)
		if err != nil {
			return err
		}
		if !ok {
			return errNoSuchBucket(b.meta.Name)
		}
		if err := fn(&m); err != nil {
			return err
		}
		b.meta = m
		return mb.PutJSON(m.Name, m)
	})
}

// input accessors: decoded values follow internal/protocol's conventions.

func str(in map[string]any, k string) string {
	s, _ := in[k].(string)
	return s
}

func i64(in map[string]any, k string) (int64, bool) {
	v, ok := in[k].(int64)
	return v, ok
}

func boolean(in map[string]any, k string) bool {
	v, _ := in[k].(bool)
	return v
}

func tstamp(in map[string]any, k string) (time.Time, bool) {
	v, ok := in[k].(time.Time)
	return v, ok
}

func mapOf(in map[string]any, k string) map[string]any {
	v, _ := in[k].(map[string]any)
	return v
}

func listOf(in map[string]any, k string) []any {
	v, _ := in[k].([]any)
	return v
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// owner is the Owner element S3 returns: the canonical user id of the
// account (fakecloud derives a stable 64-hex id from the account number).
func owner(account string) map[string]any {
	return map[string]any{"ID": canonicalID(account), "DisplayName": "webfile"}
}

func canonicalID(account string) string {
	const hexd = "0123456789abcdef"
	b := make([]byte, 64)
	h := uint64(1469598103934665603)
	for i := range b {
		if i%16 == 0 {
			for _, c := range []byte(account) {
				h ^= uint64(c)
				h *= 1099511628211
			}
			h ^= uint64(i)
		}
		b[i] = hexd[h>>uint(60-4*(i%16))&0xf]
	}
	return string(b)
}

var _ = context.Background
