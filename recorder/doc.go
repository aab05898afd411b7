// Package recorder records real AWS traffic into cassettes and replays it
// deterministically, matching requests by AWS meaning (service, operation and
// decoded parameters) rather than by raw bytes.
//
// A [Recorder] is an [http.RoundTripper]; plug it into any SDK's http.Client
// (fakecloud's session, aws-sdk-go-v2, or plain net/http). In tests use
// [ForTest], which keeps the cassette under testdata/cassettes/<name>.yaml and
// saves it on t.Cleanup:
//
//	rec := recorder.ForTest(t, "sqs-send")
//	client := rec.Client()
//
// # Modes
//
// The mode is an option value ([Replay] is the default, so a test never
// reaches the network unless asked to). The environment variable
// FAKECLOUD_RECORD overrides the mode of every recorder in a suite:
//
//	FAKECLOUD_RECORD=all          -> Record          (re-record everything, cassette rewritten)
//	FAKECLOUD_RECORD=missing      -> ReplayOrRecord  (replay hits, record misses as new episodes)
//	FAKECLOUD_RECORD=none         -> Replay          (never touch the network)
//	FAKECLOUD_RECORD=passthrough  -> Passthrough     (no cassette at all)
//
// # Cassettes
//
// Cassettes are YAML (go.yaml.in/yaml/v3): block scalars keep XML and JSON
// bodies readable and diffable, and keys come out in a fixed order. The file
// starts with "version: 2" (version 1 is still read) and ends with "count: N",
// so a truncated file is an error; any other version is refused with
// [ErrUnsupportedVersion]. Bodies are stored so that replay is byte-for-byte:
//
//   - valid UTF-8 text is stored as is (YAML strings round-trip exactly);
//   - a compact JSON body is stored pretty-printed with body_encoding "json",
//     but only when compacting the pretty text gives back the exact original
//     bytes (checked when writing), so the readable view is lossless;
//   - anything else (binary, invalid UTF-8) is base64 with body_encoding "base64";
//   - with [WithSideFiles], bodies above a size go to <cassette>.bodies/<sha256>
//     beside the cassette.
//
// Each interaction stores service, operation, region, decoded parameters,
// the raw (redacted) request and response, the time it was recorded and its
// latency.
//
// # Matching
//
// A [Decoder] turns a request into (service, operation, params). The default,
// [DefaultDecoder], is [ModelDecoder]: it identifies the operation from the
// botocore service models as an AWS endpoint would (credential scope,
// X-Amz-Target, Action, REST path templates, S3 virtual-host buckets) and
// decodes its input with the same protocol codecs the emulator uses, so every
// protocol, REST included, matches on the operation's input members:
// JSON key order, query parameter order, header order and path-style versus
// virtual-host S3 addressing do not matter. Members with the idempotencyToken
// trait never take part (SDKs make a fresh one per call). Traffic no model
// claims falls back to [HeuristicDecoder] (method, path, query, x-amz-*
// headers and body). SigV4 headers, dates, SDK invocation ids and User-Agent
// never take part. Identical requests replay in recorded order; [Strict]
// demands the whole recorded sequence.
// A miss is a [*MismatchError] carrying a go-cmp diff against the closest
// recorded interaction.
//
// # Redaction
//
// Redaction runs on every interaction before it is kept, and cannot be switched
// off: SigV4 signatures, security tokens, presigned query signatures, and
// credentials in STS, SSO, Cognito Identity and ECR responses (an explicit
// list: the models do not flag those session and authorization tokens) are
// replaced, and access key ids become stable placeholders of the same length
// (so Content-Length stays true). Every member whose shape the service model
// marks sensitive (SSM parameter values, IAM passwords, S3 SSE-C keys, ...) is
// blanked in requests and successful responses, wherever it sits: body,
// header or query. Account ids in ARNs, queue URLs, hosts and account members
// become placeholders 000000000001, 000000000002, ... in order of first
// appearance, in requests and responses alike; live requests are mapped the
// same way before matching, so a test using its real account id still
// replays. Recorder.Save refuses to write a cassette that still contains a
// secret it knows of (WithCredentials, sensitive values, or credentials seen
// in responses). Check scans cassettes for anything that looks like a secret.
//
// # Crash safety, clocks, environments, faults
//
// Interactions are journaled to <cassette>.journal as they are recorded, so
// a test that dies keeps them (folded in by the next recorder, or Recover);
// loading reads the layout this package writes without yaml.v3's node tree
// (any other YAML still loads) and decodes stored requests only on the
// first request for their operation, so a 10,000-interaction cassette
// loads in tens of milliseconds;
// a journal entry that does not parse is a *FormatError at its line. Save
// fsyncs the cassette; WithSync(SyncEachAppend) also fsyncs each journal
// append, WithSync(SyncNever) neither.
// Replayed Date headers follow ReplayClock (KeepDate opts out); waiter
// polling sequences are recognised from the models (CompactWaiters).
// Custom endpoints and regions become EndpointPlaceholder and
// RegionPlaceholder, restored from the live request on replay. Handler
// serves a cassette (fakecloud replay), WithFallback serves misses from an
// emulator, Verify diffs a cassette against one, and InjectFault answers
// chosen calls with throttling, 5xx or transport faults.
package recorder
