package restjson_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc/jsontest"
	"github.com/fakecloud/fakecloud/internal/protocol/protocoltest"
	"github.com/fakecloud/fakecloud/internal/protocol/restjson"
)

func TestProtocolCompliance(t *testing.T) {
	for _, f := range []string{"input/rest-json.json", "output/rest-json.json"} {
		t.Run(f, func(t *testing.T) {
			jsontest.Run(t, jsontest.Suite{File: f, Protocol: "rest-json", Codec: restjson.New(), ServerSkip: serverSkip})
		})
	}
}

// serverSkip names the input cases whose params a server cannot recover from
// the request they produce.
func serverSkip(c protocoltest.Case) string {
	switch c.ID {
	case "RestJsonAllQueryStringTypes", "RestJsonQueryStringEscaping", "RestJsonSupportsNaNFloatQueryValues",
		"RestJsonSupportsInfinityFloatQueryValues", "RestJsonSupportsNegativeInfinityFloatQueryValues",
		"RestJsonZeroAndFalseQueryValues":
		return "params repeat every named query member inside the free-form query map; the server gives named parameters to their members only (as RestJsonQueryParamsStringListMap expects)"
	case "RestJsonOmitsEmptyListQueryValues", "RestJsonHttpPrefixHeadersAreNotPresent":
		return "an empty list or map bound to the query string or headers sends nothing, so the server sees it absent"
	case "RestJsonHttpWithEmptyBlobPayload":
		return "the client names the blob payload's Content-Type even when unset (the legacy suite pins it), which the Content-Type-bound member reads back"
	case "RestJsonHttpWithEmptyStructurePayload", "RestJsonHttpWithHeadersButNoPayload":
		return "an unset structure payload is sent as {} (as the SDKs do), which the server reads as an empty structure"
	}
	return ""
}

// TestLegacyCompliance runs botocore's older rest-json suites
// (protocol-tests/legacy): list headers joined "a,b", jsonvalue given as a
// map, blob payload Content-Type, error members bound to headers and status.
func TestLegacyCompliance(t *testing.T) {
	for _, f := range []string{"legacy/input/rest-json.json", "legacy/output/rest-json.json"} {
		t.Run(f, func(t *testing.T) {
			jsontest.Run(t, jsontest.Suite{File: f, Protocol: "rest-json", Codec: restjson.New(), Skip: legacySkip, ServerSkip: legacyServerSkip})
		})
	}
}

func legacySkip(c protocoltest.Case) string {
	switch c.Description {
	case "Supports header maps 0":
		return "the case keeps response header names as sent (\"x-Foo\", \"X-bam\", prefix suffix \"Foo\"); Go's net/http canonicalises header names, and header maps here are keyed in lower case as AWS sends x-amz-meta-*"
	case "Tagged Unions 2":
		return "botocore reports an unknown union member as SDK_UNKNOWN_MEMBER; the codec drops members the model does not know"
	}
	return ""
}

func legacyServerSkip(c protocoltest.Case) string {
	switch c.Description {
	case "Structure payload 1", "Content-Type and JSON body 2", "Content-Type and JSON body 4":
		return "an unset structure payload is sent as {} (as the SDKs do), which the server reads as an empty structure"
	case "Content-Type and JSON body 6", "Content-Type and JSON body 7":
		return "the client names the blob payload's Content-Type, which a Content-Type-bound member reads back"
	case "List in header 1":
		return "an empty list bound to a header sends nothing (botocore), so the server sees it absent"
	}
	return ""
}
