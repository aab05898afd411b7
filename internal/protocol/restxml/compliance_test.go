package restxml_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
	"github.com/fakecloud/fakecloud/internal/protocol/xmlutil/xmltest"
)

// Known gaps, each with its reason; everything else in rest-xml.json runs.
var known = map[string]string{
	// The output case wants {} for an absent prefix-header map (botocore's
	// response parser always sets it); on the request side an empty map
	// puts no header on the wire, so the server cannot see it.
	"HttpPrefixHeadersAreNotPresent": xmltest.ServerOnly + "an empty prefix-header map sends no header, so the server sees it absent",
	"IgnoreQueryParamsInResponse":    "a uri-bound output member should be read from the body; xmlutil skips every located member",
	"XmlLists":                       "request body differs in the flattened structure list with member locationName; not yet resolved",
}

func skip(s protocoltest.Suite, c protocoltest.Case) string { return known[c.ID] }

func TestComplianceInput(t *testing.T) {
	xmltest.RunInput(t, "rest-xml.json", "rest-xml", restxml.New(), skip)
}

func TestComplianceOutput(t *testing.T) {
	xmltest.RunOutput(t, "rest-xml.json", "rest-xml", restxml.New(), skip)
}
