package query_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/query"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

// TestRoundTripRealModels runs every operation of SQS (forced to awsQuery,
// its legacy protocol), SNS and STS through client marshal -> server decode
// and server encode -> client unmarshal.
func TestRoundTripRealModels(t *testing.T) {
	for i, name := range []string{"sqs", "sns", "sts", "iam", "cloudformation"} {
		t.Run(name, func(t *testing.T) {
			svc := xmltest.LoadBotocore(t, name)
			xmltest.RoundTrip(t, svc, query.New(), 3, xmltest.NewGen(int64(i+1)))
		})
	}
}
