package s3

import (
	"errors"
	"net/http"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// The S3 errors this package returns, with AWS's codes, statuses and
// messages. Fields carry the extra elements S3 puts in the <Error> body
// (BucketName, Key, ...).

func withFields(e *protocol.APIError, kv ...string) *protocol.APIError {
	if len(kv) > 0 && e.Fields == nil {
		e.Fields = map[string]any{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Fields[kv[i]] = kv[i+1]
	}
	return e
}

func errNoSuchBucket(bucket string) *protocol.APIError {
	return withFields(emulator.Errorf("NoSuchBucket", http.StatusNotFound, "The specified bucket does not exist"), "BucketName", bucket)
}

func errNoSuchKey(key string) *protocol.APIError {
	return withFields(emulator.Errorf("NoSuchKey", http.StatusNotFound, "The specified key does not exist."), "Key", key)
}

func errNoSuchVersion(key, version string) *protocol.APIError {
	return withFields(emulator.Errorf("NoSuchVersion", http.StatusNotFound, "The specified version does not exist."), "Key", key, "VersionId", version)
}

func errInvalidVersionID() *protocol.APIError {
	return emulator.Errorf("InvalidArgument", http.StatusBadRequest, "Invalid version id specified")
}

func errBucketNotEmpty(bucket string) *protocol.APIError {
	return withFields(emulator.Errorf("BucketNotEmpty", http.StatusConflict, "The bucket you tried to delete is not empty"), "BucketName", bucket)
}

func errBucketAlreadyOwnedByYou(bucket string) *protocol.APIError {
	return withFields(emulator.Errorf("BucketAlreadyOwnedByYou", http.StatusConflict,
		"Your previous request to create the named bucket succeeded and you already own it."), "BucketName", bucket)
}

func errBucketAlreadyExists(bucket string) *protocol.APIError {
	return withFields(emulator.Errorf("BucketAlreadyExists", http.StatusConflict,
		"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."), "BucketName", bucket)
}

func errInvalidBucketName(bucket string) *protocol.APIError {
	return withFields(emulator.Errorf("InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid."), "BucketName", bucket)
}

func errInvalidArgument(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidArgument", http.StatusBadRequest, format, args...)
}

func errInvalidRequest(format string, args ...any) *protocol.APIError {
	return emulator.Errorf("InvalidRequest", http.StatusBadRequest, format, args...)
}

func errMalformedXML() *protocol.APIError {
	return emulator.Errorf("MalformedXML", http.StatusBadRequest,
		"The XML you provided was not well-formed or did not validate against our published schema")
}

func errPreconditionFailed(cond string) *protocol.APIError {
	return withFields(emulator.Errorf("PreconditionFailed", http.StatusPreconditionFailed,
		"At least one of the pre-conditions you specified did not hold"), "Condition", cond)
}

// errNotModified is S3's 304: the codec sends it without a body.
func errNotModified() *protocol.APIError {
	return emulator.Errorf("NotModified", http.StatusNotModified, "Not Modified")
}

func errInvalidRange(size int64, rng string) *protocol.APIError {
	return withFields(emulator.Errorf("InvalidRange", http.StatusRequestedRangeNotSatisfiable,
		"The requested range is not satisfiable"), "ActualObjectSize", itoa(size), "RangeRequested", rng)
}

func errBadDigest() *protocol.APIError {
	return emulator.Errorf("BadDigest", http.StatusBadRequest, "The Content-MD5 you specified did not match what we received.")
}

func errInvalidDigest() *protocol.APIError {
	return emulator.Errorf("InvalidDigest", http.StatusBadRequest, "The Content-MD5 you specified is not valid.")
}

func errChecksumMismatch(alg string) *protocol.APIError {
	return emulator.Errorf("BadDigest", http.StatusBadRequest,
		"The %s you specified did not match the calculated checksum.", alg)
}

func errNoSuchUpload(id string) *protocol.APIError {
	return withFields(emulator.Errorf("NoSuchUpload", http.StatusNotFound,
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."), "UploadId", id)
}

func errInvalidPart() *protocol.APIError {
	return emulator.Errorf("InvalidPart", http.StatusBadRequest,
		"One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
}

func errInvalidPartOrder() *protocol.APIError {
	return emulator.Errorf("InvalidPartOrder", http.StatusBadRequest,
		"The list of parts was not in ascending order. Parts must be ordered by part number.")
}

func errEntityTooSmall(size int64) *protocol.APIError {
	return withFields(emulator.Errorf("EntityTooSmall", http.StatusBadRequest,
		"Your proposed upload is smaller than the minimum allowed object size."), "ProposedSize", itoa(size), "MinSizeAllowed", itoa(minPartSize))
}

func errMethodNotAllowed(method, resource string) *protocol.APIError {
	return withFields(emulator.Errorf("MethodNotAllowed", http.StatusMethodNotAllowed,
		"The specified method is not allowed against this resource."), "Method", method, "ResourceType", resource)
}

func errNoSuchConfig(code, msg, bucket string) *protocol.APIError {
	return withFields(emulator.Errorf(code, http.StatusNotFound, "%s", msg), "BucketName", bucket)
}

// errDuringCopy is the error of a CopyObject, UploadPartCopy or
// CompleteMultipartUpload that failed after the copy began: S3 has already
// answered 200 (it sends whitespace while it works), so the <Error> document
// arrives inside the 200 body. Status 200 tells the codec so. Modeled
// errors found before or while committing (PreconditionFailed,
// NoSuchUpload ...) keep their own status, as S3 checks them up front.
func errDuringCopy(err error) error {
	if err == nil {
		return nil
	}
	var ae *protocol.APIError
	if errors.As(err, &ae) {
		return err
	}
	return emulator.Errorf("InternalError", http.StatusOK, "We encountered an internal error. Please try again.")
}
