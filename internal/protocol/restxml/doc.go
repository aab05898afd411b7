// Package restxml is the rest-xml wire protocol (S3, Route 53, CloudFront)
// in both directions: the HTTP binding of package rest plus XML bodies
// encoded by package xmlutil.
//
// AWS quirks kept here:
//   - A payload member replaces the body: a structure is an XML document
//     named by its locationName (with the member's or shape's xmlNamespace),
//     a blob or string is sent raw, a streaming blob is an io.Reader passed
//     through unbuffered in both directions.
//   - Without a payload, the body members form a document named by the input
//     shape's locationName, with its xmlNamespace.
//   - S3 errors are a bare <Error><Code/><Message/><RequestId/><HostId/></Error>
//     (noErrorWrapping); other services wrap them in <ErrorResponse>.
//     x-amz-request-id and x-amz-id-2 carry the ids on S3 responses.
//   - HEAD errors have no body: the client reports the status as the code
//     ("404", "Not Found"), as botocore does.
//   - CopyObject, UploadPartCopy and CompleteMultipartUpload can fail inside
//     an HTTP 200 body; the client detects the <Error> root and reports it
//     with StatusCode 500 (as botocore does, so it is retried). A server
//     emits one with EncodeErrorIn200, or by EncodeError of an *APIError
//     whose StatusCode is 200 (an error met after the copy started).
//     Validation errors (InvalidPart, NoSuchKey ...) are ordinary 4xx.
//   - GetBucketLocation answers a bare <LocationConstraint>, empty for
//     us-east-1.
//   - ListObjects, ListObjectsV2, ListObjectVersions and ListMultipartUploads
//     with EncodingType=url carry keys URL-encoded: the server encodes them
//     and the client decodes them, unless the request's context says not to
//     (WithListKeyDecoding(ctx, false): boto3 leaves keys encoded when the
//     caller, not boto3, asked for EncodingType=url).
//   - Malformed request XML is MalformedXML (400); a malformed HTTP binding
//     (bad header or query value) is InvalidArgument (400).
package restxml
