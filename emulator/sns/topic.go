package sns

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

type topic struct {
	Arn   string            `json:"arn"`
	Name  string            `json:"name"`
	Attrs map[string]string `json:"attrs"`
	Tags  map[string]string `json:"tags,omitempty"`
}

func (t *topic) fifo() bool { return t.Attrs["FifoTopic"] == "true" }

const (
	topicsBucket = "topics"
	subsBucket   = "subs"
)

var topicNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

var topicSettable = map[string]bool{"DisplayName": true, "Policy": true, "DeliveryPolicy": true, "KmsMasterKeyId": true,
	"SignatureVersion": true, "TracingConfig": true, "FifoTopic": true, "ContentBasedDeduplication": true,
	"ArchivePolicy": true, "FifoThroughputScope": true}

func str(v any) string { s, _ := v.(string); return s }

func stringMap(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := map[string]string{}
	for k, x := range m {
		out[k] = str(x)
	}
	return out
}

func tagList(v any) map[string]string {
	l, _ := v.([]any)
	out := map[string]string{}
	for _, t := range l {
		m, _ := t.(map[string]any)
		out[str(m["Key"])] = str(m["Value"])
	}
	return out
}

func topicName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[2] != "sns" {
		return ""
	}
	return parts[5]
}

func loadTopic(tx *store.Tx, arn string) (*topic, error) {
	b := tx.Bucket(topicsBucket)
	name := topicName(arn)
	if b == nil || name == "" {
		return nil, nil
	}
	var t topic
	ok, err := b.GetJSON(name, &t)
	if err != nil || !ok || t.Arn != arn {
		return nil, err
	}
	return &t, nil
}

func saveTopic(tx *store.Tx, t *topic) error {
	b, err := tx.CreateBucketIfNotExists(topicsBucket)
	if err != nil {
		return err
	}
	return b.PutJSON(t.Name, t)
}

func createTopic(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name := str(req.Input["Name"])
	attrs := stringMap(req.Input["Attributes"])
	fifo := attrs["FifoTopic"] == "true"
	base := strings.TrimSuffix(name, ".fifo")
	if !topicNameRE.MatchString(base) || (fifo != strings.HasSuffix(name, ".fifo")) {
		return nil, errInvalid("Topic Name")
	}
	for k := range attrs {
		if !topicSettable[k] {
			return nil, errInvalid("Attributes Reason: Unknown attribute %s", k)
		}
	}
	arn := "arn:aws:sns:" + req.Region + ":" + req.Account + ":" + name
	err := req.Store.Update(func(tx *store.Tx) error {
		old, err := loadTopic(tx, arn)
		if err != nil {
			return err
		}
		if old != nil {
			// Same name: idempotent, unless attributes differ.
			for k, v := range attrs {
				if old.Attrs[k] != v {
					return errInvalid("Attributes Reason: Topic already exists with different attributes")
				}
			}
			return nil
		}
		t := &topic{Arn: arn, Name: name, Attrs: attrs, Tags: tagList(req.Input["Tags"])}
		if fifo && t.Attrs["ContentBasedDeduplication"] == "" {
			t.Attrs["ContentBasedDeduplication"] = "false"
		}
		return saveTopic(tx, t)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TopicArn": arn}, nil
}

func deleteTopic(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	arn := str(req.Input["TopicArn"])
	err := req.Store.Update(func(tx *store.Tx) error {
		t, err := loadTopic(tx, arn)
		if err != nil || t == nil {
			return err // deleting a missing topic succeeds, as SNS does
		}
		if err := tx.Bucket(topicsBucket).Delete(t.Name); err != nil {
			return err
		}
		if b := tx.Bucket(fifoBucket); b != nil {
			if err := b.Delete(t.Name); err != nil {
				return err
			}
		}
		subs, err := topicSubs(tx, arn)
		if err != nil {
			return err
		}
		for _, s := range subs {
			if err := tx.Bucket(subsBucket).Delete(s.id()); err != nil {
				return err
			}
		}
		return nil
	})
	return nil, err
}

// page returns up to 100 items after token (the last key of the previous
// page), as SNS pages its lists.
func page(keys []string, token string) (out []string, next string) {
	sort.Strings(keys)
	for _, k := range keys {
		if token != "" && k <= token {
			continue
		}
		if len(out) == 100 {
			return out, out[len(out)-1]
		}
		out = append(out, k)
	}
	return out, ""
}

func listTopics(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	var arns []string
	err := req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket(topicsBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k string, v []byte) error {
			arns = append(arns, "arn:aws:sns:"+req.Region+":"+req.Account+":"+k)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	got, next := page(arns, str(req.Input["NextToken"]))
	topics := []any{}
	for _, a := range got {
		topics = append(topics, map[string]any{"TopicArn": a})
	}
	out := map[string]any{"Topics": topics}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

func withTopic(req *emulator.Request, arnKey string, write bool, fn func(tx *store.Tx, t *topic) (bool, error)) error {
	arn := str(req.Input[arnKey])
	run := func(tx *store.Tx) error {
		t, err := loadTopic(tx, arn)
		if err != nil {
			return err
		}
		if t == nil {
			if topicName(arn) == "" {
				return errInvalid("%s", arnKey)
			}
			return errNotFound("Topic does not exist")
		}
		changed, err := fn(tx, t)
		if err != nil || !changed {
			return err
		}
		return saveTopic(tx, t)
	}
	if write {
		return req.Store.Update(run)
	}
	return req.Store.View(run)
}

func getTopicAttributes(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	attrs := map[string]any{}
	err := withTopic(req, "TopicArn", false, func(tx *store.Tx, t *topic) (bool, error) {
		for k, v := range t.Attrs {
			attrs[k] = v
		}
		attrs["TopicArn"] = t.Arn
		attrs["Owner"] = req.Account
		if _, ok := attrs["DisplayName"]; !ok {
			attrs["DisplayName"] = ""
		}
		if _, ok := attrs["Policy"]; !ok {
			attrs["Policy"] = `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"` + t.Arn + `","Condition":{"StringEquals":{"AWS:SourceOwner":"` + req.Account + `"}}}]}`
		}
		subs, err := topicSubs(tx, t.Arn)
		if err != nil {
			return false, err
		}
		confirmed, pending := 0, 0
		for _, s := range subs {
			if s.Confirmed {
				confirmed++
			} else {
				pending++
			}
		}
		attrs["SubscriptionsConfirmed"] = strconv.Itoa(confirmed)
		attrs["SubscriptionsPending"] = strconv.Itoa(pending)
		attrs["SubscriptionsDeleted"] = "0"
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Attributes": attrs}, nil
}

func setTopicAttributes(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, value := str(req.Input["AttributeName"]), str(req.Input["AttributeValue"])
	if !topicSettable[name] || name == "FifoTopic" {
		return nil, errInvalid("AttributeName")
	}
	return nil, withTopic(req, "TopicArn", true, func(tx *store.Tx, t *topic) (bool, error) {
		if t.Attrs == nil {
			t.Attrs = map[string]string{}
		}
		t.Attrs[name] = value
		return true, nil
	})
}

func tagResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	tags := tagList(req.Input["Tags"])
	return map[string]any{}, withTopic(req, "ResourceArn", true, func(tx *store.Tx, t *topic) (bool, error) {
		if t.Tags == nil {
			t.Tags = map[string]string{}
		}
		for k, v := range tags {
			t.Tags[k] = v
		}
		if len(t.Tags) > 50 {
			return false, errBatch("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded")
		}
		return true, nil
	})
}

func untagResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	keys, _ := req.Input["TagKeys"].([]any)
	return map[string]any{}, withTopic(req, "ResourceArn", true, func(tx *store.Tx, t *topic) (bool, error) {
		for _, k := range keys {
			delete(t.Tags, str(k))
		}
		return true, nil
	})
}

func listTagsForResource(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	tags := []any{}
	err := withTopic(req, "ResourceArn", false, func(tx *store.Tx, t *topic) (bool, error) {
		for _, k := range sortedKeys(t.Tags) {
			tags = append(tags, map[string]any{"Key": k, "Value": t.Tags[k]})
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Tags": tags}, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
