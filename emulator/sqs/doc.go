// Package sqs emulates Amazon SQS for fakecloud: queues (standard and FIFO),
// messages with attributes and SQS's MD5 digests, visibility timeouts,
// delays, retention, long polling, dead-letter queues and tags.
//
// Importing the package registers the "sqs" service with package emulator.
// SQS speaks awsJson 1.0 and, for older SDKs, awsQuery; the emulator picks
// the codec per request, so both reach the same queues. Errors carry the
// awsJson shape name as Code and the legacy query code as QueryCode
// ("QueueDoesNotExist" / "AWS.SimpleQueueService.NonExistentQueue").
//
// All time-dependent behaviour (visibility, delays, retention, purge and
// deduplication windows) follows the emulator's clock; long polling waits in
// real time, bounded by WaitTimeSeconds, and wakes as soon as a message is
// sent to the queue.
package sqs
