// Package interop runs real AWS clients against fakecloud: aws-sdk-go-v2
// here in Go, and (driven by run.sh) boto3 under two Python interpreters,
// two generations of the AWS CLI and the AWS SDK for JavaScript v3.
//
// It is a separate Go module so that aws-sdk-go-v2 never enters fakecloud's
// own go.mod. Every Go test runs against two targets: an in-process
// emulator.NewTestServer and the real fakecloud binary started on a free
// 127.0.0.1 port, so the HTTP server, flags and graceful shutdown of
// cmd/fakecloud are exercised too. FAKECLOUD_INTEROP_ENDPOINT=http://host:port
// adds a third target, an outside fakecloud the tests do not start. A test for a service the emulator does not
// serve yet is skipped with a message naming the service.
//
// The helpers here are small: Targets lists the endpoints a test should hit,
// Config builds an aws.Config for one of them, and StartBinary runs
// `fakecloud serve` for callers that want their own process.
package interop
