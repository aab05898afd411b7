package restjson_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc/jsontest"
	"github.com/fakecloud/fakecloud/internal/protocol/restjson"
)

func TestEveryOperationRoundTrips(t *testing.T) {
	for _, svc := range []string{"lambda", "apigateway"} {
		t.Run(svc, func(t *testing.T) {
			n := jsontest.RoundTrip(t, jsontest.LoadModel(t, svc), restjson.New(), 6)
			t.Logf("%s: %d values round-tripped", svc, n)
		})
	}
}
