package jsonrpc_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc/jsontest"
)

func TestEveryOperationRoundTrips(t *testing.T) {
	for _, svc := range []string{"dynamodb", "sqs"} {
		t.Run(svc, func(t *testing.T) {
			n := jsontest.RoundTrip(t, jsontest.LoadModel(t, svc), jsonrpc.New(), 8)
			t.Logf("%s: %d values round-tripped", svc, n)
		})
	}
}
