// Package s3 emulates Amazon S3 for fakecloud: buckets, objects, listing,
// multipart uploads, versioning and bucket configuration, with AWS's error
// codes and HTTP statuses.
//
// It registers itself with the emulator core from init; import it (usually
// through the blank-import aggregator) and every emulator.New serves S3:
//
//	import _ "github.com/fakecloud/fakecloud/emulator/s3"
//
// Handlers follow the core's contract: they receive decoded inputs (a
// streaming Body as an io.Reader) and return output maps (Body as an
// io.ReadSeeker over a stored blob) or *protocol.APIError. Wire formats are
// internal/protocol/restxml's job.
//
// Bucket names are global across accounts and regions, as in AWS: a name
// index lives in its own store namespace (account "global"), and a bucket's
// objects live in the namespace of the account and region that created it.
// Object bodies go to the store's blob files, so a large upload streams to
// disk instead of memory.
package s3
