package ec2_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/ec2"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

func TestLegacyComplianceInput(t *testing.T) {
	xmltest.RunInput(t, "legacy/ec2.json", "ec2", ec2.New(), nil)
}

func TestLegacyComplianceOutput(t *testing.T) {
	xmltest.RunOutput(t, "legacy/ec2.json", "ec2", ec2.New(), nil)
}
