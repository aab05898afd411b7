package codecs_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

// The legacy rest-xml suite runs here rather than in package restxml's own
// tests while that package is being changed for S3. Each skip names whose
// code the case waits on.
var restXMLLegacyKnown = map[string]string{
	"REST XML Event Stream 0": "event stream responses (application/vnd.amazon.eventstream framing) are not decoded by the codec layer",
	"REST XML Event Stream 1": "event stream responses are not decoded by the codec layer",
	"REST XML Event Stream 2": "event stream responses are not decoded by the codec layer",
	"Unions 2":                "botocore reports an unknown union member as SDK_UNKNOWN_MEMBER; the codec drops members the model does not know",
	"List in header 1":        xmltest.ServerOnly + "an empty list bound to a header sends nothing (botocore), so the server sees it absent",
}

func restXMLLegacySkip(s protocoltest.Suite, c protocoltest.Case) string {
	return restXMLLegacyKnown[c.Description]
}

func TestRestXMLLegacyComplianceInput(t *testing.T) {
	xmltest.RunInput(t, "legacy/rest-xml.json", "rest-xml", restxml.New(), restXMLLegacySkip)
}

func TestRestXMLLegacyComplianceOutput(t *testing.T) {
	xmltest.RunOutput(t, "legacy/rest-xml.json", "rest-xml", restxml.New(), restXMLLegacySkip)
}
