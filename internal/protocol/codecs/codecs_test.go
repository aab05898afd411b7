package codecs

import (
	"fmt"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
)

func TestForPrefersFirstSupportedProtocol(t *testing.T) {
	svc := &model.Service{Metadata: model.Metadata{Protocol: "json", Protocols: []string{"smithy-rpc-v2-cbor", "rest-json", "json"}}}
	c, err := For(svc)
	if err != nil || c.Name() != "rest-json" {
		t.Fatalf("For = %v, %v; want rest-json", c, err)
	}
	svc.Metadata.Protocols = []string{"smithy-rpc-v2-cbor"}
	if c, err := For(svc); err != nil || c.Name() != "json" {
		t.Fatalf("fallback: For = %v, %v; want json", c, err)
	}
	svc.Metadata.Protocol = "smithy-rpc-v2-cbor"
	if _, err := For(svc); err == nil {
		t.Fatal("unsupported protocol accepted")
	}
}

func ExampleByName() {
	c, err := ByName("json")
	fmt.Println(c.Name(), err)
	// Output: json <nil>
}
