// Package sns emulates Amazon SNS for fakecloud: topics (standard and
// FIFO), subscriptions, publishing with filter policies, and delivery.
//
// Importing the package registers the "sns" service. Deliveries to "sqs"
// subscriptions go to the emulated SQS through the emulator's cross-service
// interface (Request.Services().Call), never by importing emulator/sqs:
// either the raw message (RawMessageDelivery) or SNS's JSON notification
// envelope. "http"/"https" endpoints on loopback receive the
// SubscriptionConfirmation handshake and then notifications. Deliveries to
// protocols an emulator cannot reach (lambda, firehose, application,
// email, email-json, sms, and direct SMS publishes) are recorded in a
// delivery log a test reads from GET /_fakecloud/state under
// <account>/<region>/sns/deliveries/<TopicArn> (or "PhoneNumber:<number>"),
// oldest first, each with the payload the endpoint would have received (the
// Lambda event, the JSON notification, the raw message); an email
// subscription's confirmation is logged with its Token.
//
// # Message signatures
//
// Envelopes and http(s) messages are signed as SNS signs them
// (SignatureVersion 1 SHA1withRSA, 2 SHA256withRSA, per the topic's
// SignatureVersion attribute) with one RSA key per emulator state, kept in
// the store (snapshots keep it, a reset makes a new one). SigningCertURL
// points at the emulator itself, at the host and scheme the publishing
// request reached it by:
//
//	http://127.0.0.1:4566/_fakecloud/sns/SimpleNotificationService-<32 hex>.pem
//
// GET (or HEAD) of it answers the PEM certificate to any caller, without
// the control token (it is public in AWS too). AWS's URL is
// https://sns.<region>.amazonaws.com/SimpleNotificationService-<hash>.pem;
// ours keeps the file name and the .pem suffix but not the scheme, host
// or the path's root: a path at the root would be an S3 path-style key on
// an emulator that serves S3 on the same port. SDK message validators
// (the AWS SDK for PHP's MessageValidator, the sns-validator npm package,
// the Java SDK's SnsMessageManager) insist on https and a host matching
// ^sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?$, so a test that runs one
// against fakecloud must relax that check (sns-validator and PHP take a
// host pattern; the scheme check needs the emulator behind TLS or the
// validator's URL check disabled). The certificate is self-signed for
// sns.amazonaws.com: verify the signature with it, not its chain.
package sns
