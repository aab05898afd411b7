package ec2_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/ec2"
	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

func TestComplianceInput(t *testing.T) {
	xmltest.RunInput(t, "ec2.json", "ec2", ec2.New(), func(s protocoltest.Suite, c protocoltest.Case) string {
		if c.ID == "Ec2EmptyQueryLists" {
			// ec2 sends nothing for an empty list, so a server sees it absent.
			return xmltest.ServerOnly + "an empty list is not on the wire"
		}
		return ""
	})
}

func TestComplianceOutput(t *testing.T) {
	xmltest.RunOutput(t, "ec2.json", "ec2", ec2.New(), nil)
}
