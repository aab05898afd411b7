package model_test

import (
	"fmt"

	"github.com/fakecloud/fakecloud/internal/model"
)

// The legacy SQS query model names the wire forms old clients use.
func ExampleLoadProtocolVariant() {
	svc, err := model.LoadProtocolVariant("sqs", "query")
	if err != nil {
		panic(err)
	}
	entries := svc.Operations["SendMessageBatch"].Input.Shape.Members["Entries"]
	fmt.Println(svc.Metadata.Protocol, entries.Shape.Flattened, entries.Shape.Member.LocationName)
	// Output: query true SendMessageBatchRequestEntry
}
