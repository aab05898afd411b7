package model

import (
	"errors"
	"reflect"
	"testing"
)

func TestLoadProtocolVariantSQSQueryIsTheLegacyQueryModel(t *testing.T) {
	svc, err := LoadProtocolVariant("sqs", "query")
	if err != nil {
		t.Fatal(err)
	}
	if svc.Name != "sqs" || svc.Metadata.Protocol != "query" || svc.Metadata.APIVersion != "2012-11-05" {
		t.Fatalf("variant = %s %s %s", svc.Name, svc.Metadata.Protocol, svc.Metadata.APIVersion)
	}
	if got, want := svc.Metadata.XMLNamespace, "http://queue.amazonaws.com/doc/2012-11-05/"; got != want {
		t.Errorf("xmlNamespace = %q, want %q", got, want)
	}
	// The query-only traits the JSON-era model lost.
	batch := svc.Operations["SendMessageBatch"].Input.Shape.Members["Entries"]
	if !batch.Shape.Flattened || batch.Shape.Member.LocationName != "SendMessageBatchRequestEntry" {
		t.Errorf("SendMessageBatch.Entries flattened=%v locationName=%q", batch.Shape.Flattened, batch.Shape.Member.LocationName)
	}
	recv := svc.Operations["ReceiveMessage"]
	if recv.Output.ResultWrapper != "ReceiveMessageResult" {
		t.Errorf("ReceiveMessage resultWrapper = %q", recv.Output.ResultWrapper)
	}
	msgs := recv.Output.Shape.Members["Messages"]
	if !msgs.Shape.Flattened || msgs.Shape.Member.LocationName != "Message" {
		t.Errorf("ReceiveMessageResult.Messages flattened=%v member locationName=%q", msgs.Shape.Flattened, msgs.Shape.Member.LocationName)
	}
	attrs := svc.Operations["GetQueueAttributes"].Output.Shape.Members["Attributes"]
	if !attrs.Shape.Flattened || attrs.LocationName != "Attribute" || attrs.Shape.Key.LocationName != "Name" || attrs.Shape.Value.LocationName != "Value" {
		t.Errorf("GetQueueAttributesResult.Attributes = flattened %v %q key %q value %q",
			attrs.Shape.Flattened, attrs.LocationName, attrs.Shape.Key.LocationName, attrs.Shape.Value.LocationName)
	}
	// botocore resolves a reference with its shape's locationName: TagMap
	// says "Tag", so boto3 1.26 sends TagQueue's Tags as Tag.1.Key.
	if tags := svc.Operations["TagQueue"].Input.Shape.Members["Tags"]; tags.LocationName != "Tag" {
		t.Errorf("TagQueueRequest.Tags locationName = %q, want Tag (from TagMap)", tags.LocationName)
	}
	again, _ := LoadProtocolVariant("sqs", "query")
	if again != svc {
		t.Error("second load decoded the variant again")
	}
}

func TestLoadProtocolVariantUnknownIsErrNoVariant(t *testing.T) {
	for _, c := range [][2]string{{"sqs", "json"}, {"s3", "query"}, {"", "query"}, {"../sqs", "query"}, {"sqs.query", ""}, {"sqs", "query/.."}} {
		if _, err := LoadProtocolVariant(c[0], c[1]); !errors.Is(err, ErrNoVariant) {
			t.Errorf("LoadProtocolVariant(%q, %q) = %v, want ErrNoVariant", c[0], c[1], err)
		}
	}
	if got, want := ProtocolVariants(), []string{"sqs.query"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ProtocolVariants() = %v, want %v", got, want)
	}
}

// Handlers are written against the current model and receive decoded values
// keyed by its member names, so a variant is only usable where every
// structure reachable from an operation's input and output has the same
// member names and types as the current model's (the current model may add
// members and operations). This pins that for every SQS operation.
func TestSQSQueryVariantMembersMatchCurrentModel(t *testing.T) {
	cur, err := NewLoader().Load("sqs")
	if err != nil {
		t.Fatal(err)
	}
	old, err := LoadProtocolVariant("sqs", "query")
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Operations) < 20 {
		t.Fatalf("variant has %d operations", len(old.Operations))
	}
	for name, oop := range old.Operations {
		cop, ok := cur.Operations[name]
		if !ok {
			t.Errorf("%s: in the query variant, not in the current model", name)
			continue
		}
		compareRefs(t, name+" input", oop.Input, cop.Input, map[string]bool{})
		compareRefs(t, name+" output", oop.Output, cop.Output, map[string]bool{})
	}
}

func compareRefs(t *testing.T, path string, old, cur *ShapeRef, seen map[string]bool) {
	t.Helper()
	if old == nil || cur == nil {
		if old != nil {
			t.Errorf("%s: only the variant has it", path)
		}
		return
	}
	o, c := old.Shape, cur.Shape
	if o.Type != c.Type {
		t.Errorf("%s: type %s in the variant, %s now", path, o.Type, c.Type)
		return
	}
	if seen[o.Name] {
		return
	}
	seen[o.Name] = true
	switch o.Type {
	case "structure":
		for _, m := range o.MemberNames {
			if _, ok := c.Members[m]; !ok {
				t.Errorf("%s.%s: member only in the variant", path, m)
				continue
			}
			compareRefs(t, path+"."+m, o.Members[m], c.Members[m], seen)
		}
	case "list":
		compareRefs(t, path+"[]", o.Member, c.Member, seen)
	case "map":
		compareRefs(t, path+"{key}", o.Key, c.Key, seen)
		compareRefs(t, path+"{value}", o.Value, c.Value, seen)
	}
}
