package jsonrpc

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol/jsonrpc/jsontest"
)

var inplaceSeeds = []string{
	`{"TableName":"t","Item":{"id":{"S":"k"},"n":{"N":"1"},"l":{"L":[{"S":"a"},null,{"BOOL":true}]},"m":{"M":{"x":{"NULL":true},"y":null}},"ss":{"SS":["a","b"]},"b":{"B":"AAEC"}},"Unknown":1,"ReturnValues":null}`,
	`{"TableName":"t","Key":{"id":{"S":"k"}},"ConsistentRead":true,"ProjectionExpression":"#a","ExpressionAttributeNames":{"#a":"a","#b":null}}`,
	`{"RequestItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"1"}}}},{"DeleteRequest":{"Key":{"id":{"N":"2"}}}}]}}`,
	`{"TableName":"t","Limit":"x"}`, `{"TableName":5}`, `{"Item":{"a":{"N":1}}}`, `{"Item":[1]}`, `[]`, `{"Limit":1.5}`,
	`{"QueueUrl":"u","MessageBody":"b","DelaySeconds":3,"MessageAttributes":{"a":{"DataType":"String","StringValue":"v","BinaryValue":"AA=="}}}`,
	`{"QueueUrl":"u","Entries":[{"Id":"1","MessageBody":"x"},null,{"Id":"2","MessageBody":"y","DelaySeconds":"no"}]}`,
}

// decode over Unmarshal's own tree (maps and lists reused) gives what the
// copying conversion of encoding/json's tree gives, errors included.
func TestInPlaceDecodeMatchesCopy(t *testing.T) {
	refs := inplaceRefs(t)
	for _, s := range inplaceSeeds {
		for _, ref := range refs {
			checkInPlace(t, ref, []byte(s))
		}
	}
}

func FuzzInPlaceDecode(f *testing.F) {
	for _, s := range inplaceSeeds {
		f.Add([]byte(s), uint8(0))
	}
	refs := inplaceRefs(f)
	f.Fuzz(func(t *testing.T, data []byte, i uint8) {
		checkInPlace(t, refs[int(i)%len(refs)], data)
	})
}

func inplaceRefs(t testing.TB) []*model.ShapeRef {
	var refs []*model.ShapeRef
	for svc, ops := range map[string][]string{
		"dynamodb": {"PutItem", "GetItem", "Query", "BatchWriteItem", "TransactWriteItems", "UpdateItem"},
		"sqs":      {"SendMessage", "SendMessageBatch", "ReceiveMessage"},
	} {
		m := jsontest.LoadModel(t, svc)
		for _, op := range ops {
			refs = append(refs, m.Operations[op].Input)
		}
	}
	return refs
}

func checkInPlace(t *testing.T, ref *model.ShapeRef, data []byte) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return // an empty body is {} by design, not JSON
	}
	got, gerr := Unmarshal(ref, data)
	raw, ok := stdJSON(data)
	if !ok {
		if gerr == nil {
			t.Fatalf("%s: Unmarshal(%q) succeeded, encoding/json rejects it", ref.ShapeName, data)
		}
		return
	}
	want, werr := FromJSON(ref, raw)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%s: Unmarshal(%q) error %v, copying decode error %v", ref.ShapeName, data, gerr, werr)
	}
	if gerr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Unmarshal(%q) = %#v\ncopying decode = %#v", ref.ShapeName, data, got, want)
	}
}
