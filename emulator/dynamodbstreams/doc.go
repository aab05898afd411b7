// Package dynamodbstreams emulates Amazon DynamoDB Streams for fakecloud:
// ListStreams, DescribeStream (one shard per stream), GetShardIterator
// (TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER) and
// GetRecords with Limit and NextShardIterator. Iterators expire 15 minutes
// after they are issued (ExpiredIteratorException) and records older than
// 24 hours are trimmed, both by the emulator clock.
//
// The records are written by the dynamodb service, in the same bbolt
// transaction as each item change. Service packages never import each
// other, so this package reads DynamoDB's namespace through
// req.Services().Store(account, region, "dynamodb") and decodes it with its
// own types. The layout (also documented in emulator/dynamodb/stream.go):
//
//	streams                    stream ARN -> {"StreamArn","StreamLabel",
//	                           "TableName","StreamViewType","StreamStatus",
//	                           "CreationRequestDateTime" (epoch seconds),
//	                           "KeySchema","ShardId","StartingSequenceNumber",
//	                           "EndingSequenceNumber" (once DISABLED)}
//	streamrecords/<stream ARN> sequence number -> the Record exactly as the
//	                           awsJson wire writes it (eventID, eventName,
//	                           eventVersion, eventSource, awsRegion, dynamodb{...})
//	streamseq                  "seq" -> last sequence counter (decimal)
//
// Sequence numbers are fixed-width 21-digit strings, so bbolt key order is
// sequence order and an iterator is a cursor position.
//
// The package registers itself from init; a blank import makes the service
// available:
//
//	import _ "github.com/fakecloud/fakecloud/emulator/dynamodbstreams"
package dynamodbstreams
