// Package sigv4 implements AWS Signature Version 4 for fakecloud: signing and
// presigning requests on the client side (session/, recorder/), verifying them
// on the server side (emulator/), and the aws-chunked payload framings S3 uses
// for streaming uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, the -TRAILER
// variants and STREAMING-UNSIGNED-PAYLOAD-TRAILER) with their trailing
// x-amz-checksum-* headers.
//
// Signing follows AWS's canonical request rules exactly, including the S3
// exceptions: S3 (and the other s3v4 services) sign the path as sent, without
// normalising it and without the second round of URI encoding every other
// service applies, and always send x-amz-content-sha256.
//
// Verification errors are *Error values with a Kind; Error.AWS maps a kind to
// the code, HTTP status and message a given service flavour (S3, query, JSON)
// answers with, so the emulator never spells an authentication error by hand.
// ParseAuthorization reads the access key, region and service of a request
// (SigV4 header or query, legacy SigV2 header or query) without verifying it,
// which is what routing and account lookup need when verification is off.
//
// Only the HMAC-SHA256 algorithm is supported; SigV4a (ECDSA) is recognised
// and rejected as unsupported.
package sigv4
