package dynamodbstreams

import "github.com/fakecloud/fakecloud/emulator"

// Name is the botocore service name DynamoDB Streams registers under.
const Name = "dynamodbstreams"

// source is the service whose namespace holds the streams.
const source = "dynamodb"

func init() { emulator.Register(Def()) }

// Def returns the service definition (the operation table). init registers
// it; tests may pass it in emulator.Options.ServiceDefs.
func Def() emulator.ServiceDef {
	return emulator.ServiceDef{
		Name: Name,
		Operations: map[string]emulator.Handler{
			"ListStreams":      listStreams,
			"DescribeStream":   describeStream,
			"GetShardIterator": getShardIterator,
			"GetRecords":       getRecords,
		},
	}
}
