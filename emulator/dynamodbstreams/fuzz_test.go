package dynamodbstreams_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/emulator/dynamodbstreams"
	"github.com/fakecloud/fakecloud/internal/model"
)

// Shard iterators come from clients: no token may panic the decoder.
func FuzzDecodeIterator(f *testing.F) {
	f.Add("arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-05-01T12:00:00.000|1|eyJzIjoic2hhcmRJZC0xIiwidCI6IjIwMjQtMDUtMDFUMTI6MDA6MDBaIn0")
	f.Add("|1|")
	f.Add("x|1|!!!")
	f.Add("x|1|e30")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) { _ = dynamodbstreams.DecodeIterator(tok) })
}

// Stored streams and records are decoded by this package's own types; a
// damaged entry is an error, never a panic.
func FuzzDecodeStored(f *testing.F) {
	svc, err := model.Load("dynamodbstreams")
	if err != nil {
		f.Skip(err)
	}
	f.Add([]byte(`{"StreamArn":"a","ShardId":"s","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`))
	f.Add([]byte(`{"eventID":"e","eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1714564800,"Keys":{"pk":{"S":"a"}},"NewImage":{"b":{"B":"AAEC"}},"SequenceNumber":"100000000000000000001","SizeBytes":5}}`))
	f.Add([]byte(`{"dynamodb":{"ApproximateCreationDateTime":"x"}}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = dynamodbstreams.DecodeStream(b)
		_ = dynamodbstreams.RecordCreated(b)
		_, _ = dynamodbstreams.DecodeRecord(svc, b)
	})
}
