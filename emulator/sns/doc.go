// Package sns emulates Amazon SNS for fakecloud: topics (standard and
// FIFO), subscriptions, publishing with filter policies, and delivery.
//
// Importing the package registers the "sns" service. Deliveries to "sqs"
// subscriptions go to the emulated SQS through the emulator's cross-service
// interface (Request.Services().Call), never by importing emulator/sqs:
// either the raw message (RawMessageDelivery) or SNS's JSON notification
// envelope. "http"/"https" endpoints on loopback receive the
// SubscriptionConfirmation handshake and then notifications; other
// protocols are recorded as subscriptions without delivery.
package sns
