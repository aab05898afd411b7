package query_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
	"github.com/fakecloud/fakecloud/internal/protocol/query"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

func TestComplianceInput(t *testing.T) {
	xmltest.RunInput(t, "query.json", "query", query.New(), func(s protocoltest.Suite, c protocoltest.Case) string {
		if c.ID == "QueryEmptyQueryMaps" {
			// awsQuery sends nothing for an empty map, so a server sees the member absent.
			return xmltest.ServerOnly + "an empty map is not on the wire"
		}
		return ""
	})
}

func TestComplianceOutput(t *testing.T) {
	xmltest.RunOutput(t, "query.json", "query", query.New(), nil)
}
