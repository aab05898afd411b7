// Package eventstream reads and writes the application/vnd.amazon.eventstream
// framing that AWS uses for streaming operations (S3 SelectObjectContent,
// Transcribe, Kinesis SubscribeToShard, Bedrock InvokeModelWithResponseStream
// ...).
//
// A message is
//
//	total length   uint32, big endian (whole message, CRCs included)
//	headers length uint32, big endian
//	prelude CRC    CRC32 (IEEE) of the 8 bytes above
//	headers        name length (1 byte), name, type (1 byte), value
//	payload        total - headers - 16 bytes
//	message CRC    CRC32 (IEEE) of everything before it
//
// Header value types: 0 true, 1 false (no value bytes), 2 byte, 3 int16,
// 4 int32, 5 int64, 6 byte array and 7 string (uint16 length + bytes),
// 8 timestamp (int64 milliseconds since the epoch), 9 UUID (16 bytes).
// In Go they are bool, int8, int16, int32, int64, []byte, string,
// time.Time (UTC, millisecond precision) and UUID.
//
// Decoding never trusts a length before checking it: a message is at most
// MaxMessageSize bytes and its headers at most MaxHeadersSize, both CRCs are
// checked, and every malformed input is an error, never a panic. Mapping
// messages to a model's event shapes (":message-type", ":event-type",
// ":exception-type") is the codecs' job and not done here yet.
package eventstream
