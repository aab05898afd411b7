package jsonrpc_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc/jsontest"
)

func TestProtocolCompliance(t *testing.T) {
	for _, f := range []struct{ file, proto string }{
		{"input/json.json", "json"},
		{"input/json_1_0.json", "json_1_0"},
		{"input/json_1_0-query-compatible.json", "json_1_0"},
		{"output/json.json", "json"},
		{"output/json_1_0.json", "json_1_0"},
		{"output/json_1_0-query-compatible.json", "json_1_0"},
	} {
		t.Run(f.file, func(t *testing.T) {
			jsontest.Run(t, jsontest.Suite{File: f.file, Protocol: f.proto, Codec: jsonrpc.New()})
		})
	}
}
