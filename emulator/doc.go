// Package emulator is fakecloud's fake AWS endpoint: an http.Handler that
// identifies each request's service and operation, decodes it with the
// protocol layer, calls the service's handler and encodes the answer as AWS
// would, keeping state in bbolt (package emulator/store).
//
// Use it in-process three ways:
//
//	emu, _ := emulator.New(emulator.Options{})      // an http.Handler
//	ts := emulator.NewTestServer(t)                  // ts.URL is the endpoint_url
//	client := &http.Client{Transport: emu.Transport()} // no sockets at all
//
// or standalone with `fakecloud serve`.
//
// Services register themselves when their package is imported. Import
// them all with
//
//	import _ "github.com/fakecloud/fakecloud/emulator/services"
//
// or only the ones a test needs (_ "github.com/fakecloud/fakecloud/emulator/sqs").
//
// # Writing a service
//
// A service lives in its own package (emulator/sqs, emulator/s3 …) and
// registers itself from init:
//
//	func init() {
//		emulator.Register(emulator.ServiceDef{
//			Name: "sqs", // botocore service name: the model directory
//			Operations: map[string]emulator.Handler{
//				"CreateQueue": createQueue,
//				"SendMessage": sendMessage,
//			},
//		})
//	}
//
//	func createQueue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
//		name, _ := req.Input["QueueName"].(string)
//		err := req.Store.Update(func(tx *store.Tx) error {
//			b, err := tx.CreateBucketIfNotExists("queues")
//			if err != nil {
//				return err
//			}
//			return b.PutJSON(name, queue{Name: name, Created: req.Clock.Now()})
//		})
//		if err != nil {
//			return nil, err
//		}
//		return map[string]any{"QueueUrl": "..."}, nil
//	}
//
// The contract:
//
//   - Input and output are plain values as package internal/protocol
//     documents (structure = map[string]any, integers int64, timestamps
//     time.Time ...). Handlers never see XML, JSON, query strings or headers.
//   - Errors: return emulator.Errorf("QueueDoesNotExist", 400, "...") (a
//     *protocol.APIError); the codec encodes it exactly as the service does.
//     Any other error is a 500 InternalFailure and is logged; a panic is
//     recovered into the same.
//   - req.Store is the bbolt namespace of the caller's account, region and
//     service; req.Clock and req.IDs are the only sources of time and
//     randomness, so the same Options.Seed and calls give the same bytes.
//   - Operations of the model without a handler answer 501 NotImplemented
//     naming the operation.
//   - Cross-service effects (SNS to SQS, S3 notifications) go through
//     req.Services().Call(ctx, account, region, "sqs", "SendMessage", input),
//     never through package imports.
//   - req.HTTP is the raw request, read-only, for the rare operation that
//     needs it; extra response headers go in req.ResponseHeader.
//
// # Authentication
//
// Every request's access key, region and signing service come from
// internal/sigv4's ParseAuthorization (SigV4 header or presigned query, S3's
// legacy SigV2 header or query). The account is the Credentials.Account of a
// known key (temporary credentials), else a 12-digit access key id itself,
// else Options.DefaultAccount.
//
// With Options.VerifySignatures, signatures are checked against
// Options.Credentials, Options.CredentialsLookup and the services'
// ServiceDef.Credentials hooks (the STS emulator registers one for the
// temporary credentials it issues; their session token must then be sent).
// Failures are answered in the service's dialect: S3 (403
// SignatureDoesNotMatch, InvalidAccessKeyId, AccessDenied "Request has
// expired"), query services (403 SignatureDoesNotMatch,
// InvalidClientTokenId) and json services (400 InvalidSignatureException,
// UnrecognizedClientException). Request times and presigned-URL expiry are
// judged by Options.Clock.
//
// # Request bodies a handler sees
//
//   - aws-chunked uploads (x-amz-content-sha256 STREAMING-*, or
//     Content-Encoding: aws-chunked) are decoded before the codec runs:
//     Content-Length is x-amz-decoded-content-length, aws-chunked is removed
//     from Content-Encoding, chunk signatures are verified when
//     verification is on, and the trailing x-amz-checksum-* is checked
//     against the payload. After reading the streaming body member to
//     io.EOF, a handler finds the trailing checksums in
//     req.TrailerChecksums() ({"ChecksumCRC32": "..."}; a checksum sent as a
//     header is in Input as usual) and all trailers in req.Trailer().
//   - A body that fails mid-stream (forged chunk, wrong trailing checksum,
//     truncated framing, x-amz-content-sha256 not matching) is a read error.
//     The handler must then store nothing and return the error (wrapped
//     with %w or not): the emulator answers with the code sigv4 gives
//     (SignatureDoesNotMatch, BadDigest, IncompleteBody,
//     XAmzContentSHA256Mismatch ...), never 500.
//   - A query request posted to a queue URL path (/<account>/<queue>, as old
//     SQS SDKs send it) gets Input["QueueUrl"] = "http://<host>/<account>/<queue>"
//     when its body carries none and the operation has a QueueUrl member.
//   - req.HTTP is the request as decoded: path-style for S3 virtual-host
//     requests, aws-chunked already removed.
//
// # Control API
//
// Under /_fakecloud/: GET health, POST reset, POST snapshot, POST restore,
// GET state, GET journal, POST/GET/DELETE faults; and moto's POST
// /moto-api/reset. Only loopback callers may use it, unless
// Options.ControlToken is set and sent as X-Fakecloud-Token or
// "Authorization: Bearer <token>" (a wrong token is refused from anywhere).
// The journal never shows secrets: members whose model shape is sensitive
// and a deny list (SecretString, SecretBinary, Password, SessionToken,
// SecretAccessKey ...) read "(redacted)".
//
// # Limits
//
// Bodies of operations without a streaming payload are bounded by
// Options.MaxBodyBytes (64 MiB; 413 RequestEntityTooLarge, S3
// MaxMessageLengthExceeded), streaming uploads by S3's 5 GiB (400
// EntityTooLarge); NewTestServer and `fakecloud serve` bound request
// headers to MaxHeaderBytes (Go answers 431).
package emulator
