// Package jsonrpc is the awsJson 1.0 and 1.1 wire protocol (botocore's
// "json": DynamoDB, SQS, Kinesis, CloudWatch Logs ...) in both directions,
// and the shape-driven JSON value codec the rest-json protocol shares.
//
// Every request is POST to the endpoint's base path "/", naming the operation
// in X-Amz-Target ("DynamoDB_20120810.PutItem") with Content-Type
// application/x-amz-json-1.0 or -1.1 (metadata.jsonVersion). A request with
// no input still carries "{}".
//
// AWS quirks kept here:
//   - Timestamps are epoch seconds (fractional for milliseconds) unless a
//     timestampFormat trait says otherwise; blobs are base64; NaN and the
//     infinities are the strings "NaN", "Infinity", "-Infinity".
//   - Nulls are dropped except in sparse lists and maps; clients ignore
//     unknown members (services add fields without notice).
//   - Errors: the code is the x-amzn-ErrorType header, else the body's
//     __type, code or Code, minus any "namespace#" prefix and ":http..."
//     suffix; the message is message, Message or errorMessage.
//   - awsQueryCompatible services (SQS since 2023) answer errors with
//     x-amzn-query-error: "<query code>;Sender" so old query error codes
//     ("AWS.SimpleQueueService.NonExistentQueue") survive; clients send
//     x-amzn-query-mode: true and read that header back.
//   - A wrong or missing X-Amz-Target is UnknownOperationException (400,
//     no message: the body is only the coral __type, as AWS answers);
//     unparsable JSON or a value of the wrong type is SerializationException
//     (400) with a Coral-style message ("STRING_VALUE cannot be converted to
//     Integer"); bodies above MaxBodySize (16 MiB) are refused with 413.
//
// Not done: client-side request compression (the requestcompression trait);
// servers do accept gzip-encoded bodies.
package jsonrpc
