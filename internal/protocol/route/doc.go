// Package route identifies the AWS service and operation of an incoming
// request, the way a real endpoint's front door would, so the emulator can
// decode it with the right codec.
//
// Evidence is weighed in this order:
//
//  1. the SigV4 credential scope (Authorization header, or X-Amz-Credential
//     for presigned URLs), read by internal/sigv4's ParseAuthorization,
//     gives the signing name, narrowing the candidates;
//     without it the Host's first label (sqs.us-east-1.amazonaws.com) may;
//  2. X-Amz-Target ("DynamoDB_20120810.PutItem") for the json protocols;
//  3. the query Action parameter (form body or query string) for query/ec2,
//     and for old SDKs still sending query requests to services that moved to
//     json with awsQueryCompatible (SQS), including queue-URL-style paths;
//  4. REST path templates with method and required query literals, most
//     specific first, with S3 virtual-host buckets (bucket.localhost:4566,
//     bucket.s3.localhost, bucket.s3.us-east-1.amazonaws.com) rewritten to
//     path style.
//
// When nothing matches, Route returns an *Error carrying the error a real
// endpoint gives (UnknownOperationException for json, InvalidAction for
// query, MethodNotAllowed for S3), and WriteError can encode it when no
// service codec is at hand.
package route
