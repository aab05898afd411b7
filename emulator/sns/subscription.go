package sns

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

type subscription struct {
	Arn       string            `json:"arn"`
	TopicArn  string            `json:"topicArn"`
	Protocol  string            `json:"protocol"`
	Endpoint  string            `json:"endpoint"`
	Owner     string            `json:"owner"`
	Attrs     map[string]string `json:"attrs,omitempty"`
	Confirmed bool              `json:"confirmed"`
	Token     string            `json:"token,omitempty"`
}

// id is the subscription's key: its ARN's last part.
func (s *subscription) id() string { return s.Arn[strings.LastIndexByte(s.Arn, ':')+1:] }

var subSettable = map[string]bool{"RawMessageDelivery": true, "FilterPolicy": true, "FilterPolicyScope": true,
	"DeliveryPolicy": true, "RedrivePolicy": true, "SubscriptionRoleArn": true}

var protocols = map[string]bool{"http": true, "https": true, "email": true, "email-json": true, "sms": true,
	"sqs": true, "application": true, "lambda": true, "firehose": true}

func topicSubs(tx *store.Tx, topicArn string) ([]*subscription, error) {
	b := tx.Bucket(subsBucket)
	if b == nil {
		return nil, nil
	}
	var out []*subscription
	err := b.ForEach(func(k string, v []byte) error {
		var s subscription
		if err := json.Unmarshal(v, &s); err != nil {
			return err
		}
		if topicArn == "" || s.TopicArn == topicArn {
			out = append(out, &s)
		}
		return nil
	})
	return out, err
}

func saveSub(tx *store.Tx, s *subscription) error {
	b, err := tx.CreateBucketIfNotExists(subsBucket)
	if err != nil {
		return err
	}
	return b.PutJSON(s.id(), s)
}

func loadSub(tx *store.Tx, arn string) (*subscription, error) {
	b := tx.Bucket(subsBucket)
	if b == nil || !strings.HasPrefix(arn, "arn:") {
		return nil, nil
	}
	var s subscription
	ok, err := b.GetJSON(arn[strings.LastIndexByte(arn, ':')+1:], &s)
	if err != nil || !ok || s.Arn != arn {
		return nil, err
	}
	return &s, nil
}

func validateSubAttr(name, value string) error {
	if !subSettable[name] {
		return errInvalid("AttributeName")
	}
	switch name {
	case "RawMessageDelivery":
		if v := strings.ToLower(value); v != "true" && v != "false" {
			return errInvalid("Attributes Reason: RawMessageDelivery: Invalid value [%s]. Must be true or false.", value)
		}
	case "FilterPolicy":
		if value != "" {
			if _, err := parsePolicy(value); err != nil {
				return errInvalid("%v", err)
			}
		}
	case "FilterPolicyScope":
		if value != "MessageAttributes" && value != "MessageBody" {
			return errInvalid("Attributes Reason: FilterPolicyScope: Invalid value [%s]. Please use either MessageBody or MessageAttributes", value)
		}
	}
	return nil
}

func subscribe(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	proto, endpoint := str(req.Input["Protocol"]), str(req.Input["Endpoint"])
	if !protocols[proto] {
		return nil, errInvalid("Amazon SNS does not support this protocol string: %s", proto)
	}
	switch proto {
	case "sqs":
		if p := strings.Split(endpoint, ":"); len(p) != 6 || p[2] != "sqs" {
			return nil, errInvalid("Invalid parameter: SQS endpoint ARN")
		}
	case "http", "https":
		if !strings.HasPrefix(endpoint, proto+"://") {
			return nil, errInvalid("Endpoint must match the specified protocol")
		}
	}
	attrs := stringMap(req.Input["Attributes"])
	for k, v := range attrs {
		if err := validateSubAttr(k, v); err != nil {
			return nil, err
		}
	}
	var s *subscription
	var t *topic
	err := withTopic(req, "TopicArn", true, func(tx *store.Tx, tp *topic) (bool, error) {
		t = tp
		subs, err := topicSubs(tx, tp.Arn)
		if err != nil {
			return false, err
		}
		for _, old := range subs {
			if old.Protocol == proto && old.Endpoint == endpoint {
				s = old // subscribing twice returns the existing subscription
				return false, nil
			}
		}
		s = &subscription{Arn: tp.Arn + ":" + req.IDs.UUID(), TopicArn: tp.Arn, Protocol: proto, Endpoint: endpoint,
			Owner: req.Account, Attrs: attrs}
		// sqs and lambda subscriptions in the account need no confirmation;
		// http(s) and email wait for ConfirmSubscription.
		s.Confirmed = proto == "sqs" || proto == "lambda" || proto == "firehose" || proto == "application" || proto == "sms"
		if !s.Confirmed {
			s.Token = req.IDs.Hex(256)
		}
		return false, saveSub(tx, s)
	})
	if err != nil {
		return nil, err
	}
	if !s.Confirmed && (proto == "http" || proto == "https") {
		sendConfirmation(req, t, s)
	}
	if !s.Confirmed && (proto == "email" || proto == "email-json") {
		if err := recordConfirmation(req, t, s); err != nil {
			return nil, err
		}
	}
	arn := s.Arn
	if !s.Confirmed && req.Input["ReturnSubscriptionArn"] != true {
		arn = "pending confirmation"
	}
	return map[string]any{"SubscriptionArn": arn}, nil
}

func confirmSubscription(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	token := str(req.Input["Token"])
	var arn string
	err := withTopic(req, "TopicArn", false, func(tx *store.Tx, t *topic) (bool, error) { return false, nil })
	if err != nil {
		return nil, err
	}
	err = req.Store.Update(func(tx *store.Tx) error {
		subs, err := topicSubs(tx, str(req.Input["TopicArn"]))
		if err != nil {
			return err
		}
		for _, s := range subs {
			if s.Token != "" && s.Token == token {
				s.Confirmed = true
				arn = s.Arn
				return saveSub(tx, s)
			}
		}
		return errInvalid("Token")
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"SubscriptionArn": arn}, nil
}

func unsubscribe(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	arn := str(req.Input["SubscriptionArn"])
	return nil, req.Store.Update(func(tx *store.Tx) error {
		s, err := loadSub(tx, arn)
		if err != nil {
			return err
		}
		if s == nil {
			return errNotFound("Subscription does not exist")
		}
		return tx.Bucket(subsBucket).Delete(s.id())
	})
}

func listSubs(req *emulator.Request, topicArn string) (map[string]any, error) {
	var subs []*subscription
	err := req.Store.View(func(tx *store.Tx) error {
		var err error
		subs, err = topicSubs(tx, topicArn)
		return err
	})
	if err != nil {
		return nil, err
	}
	byArn := map[string]*subscription{}
	var keys []string
	for _, s := range subs {
		byArn[s.Arn] = s
		keys = append(keys, s.Arn)
	}
	got, next := page(keys, str(req.Input["NextToken"]))
	list := []any{}
	for _, a := range got {
		s := byArn[a]
		arn := s.Arn
		if !s.Confirmed {
			arn = "PendingConfirmation"
		}
		list = append(list, map[string]any{"SubscriptionArn": arn, "Owner": s.Owner, "Protocol": s.Protocol,
			"Endpoint": s.Endpoint, "TopicArn": s.TopicArn})
	}
	out := map[string]any{"Subscriptions": list}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

func listSubscriptions(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	return listSubs(req, "")
}

func listSubscriptionsByTopic(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	if err := withTopic(req, "TopicArn", false, func(*store.Tx, *topic) (bool, error) { return false, nil }); err != nil {
		return nil, err
	}
	return listSubs(req, str(req.Input["TopicArn"]))
}

func withSub(req *emulator.Request, write bool, fn func(s *subscription) bool) error {
	arn := str(req.Input["SubscriptionArn"])
	run := func(tx *store.Tx) error {
		s, err := loadSub(tx, arn)
		if err != nil {
			return err
		}
		if s == nil {
			return errNotFound("Subscription does not exist")
		}
		if fn(s) {
			return saveSub(tx, s)
		}
		return nil
	}
	if write {
		return req.Store.Update(run)
	}
	return req.Store.View(run)
}

func getSubscriptionAttributes(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	attrs := map[string]any{}
	err := withSub(req, false, func(s *subscription) bool {
		for k, v := range s.Attrs {
			attrs[k] = v
		}
		attrs["SubscriptionArn"], attrs["TopicArn"], attrs["Protocol"], attrs["Endpoint"], attrs["Owner"] =
			s.Arn, s.TopicArn, s.Protocol, s.Endpoint, s.Owner
		attrs["PendingConfirmation"] = boolStr(!s.Confirmed)
		attrs["ConfirmationWasAuthenticated"] = boolStr(s.Confirmed)
		if _, ok := attrs["RawMessageDelivery"]; !ok {
			attrs["RawMessageDelivery"] = "false"
		}
		if _, ok := attrs["FilterPolicy"]; ok {
			if _, ok := attrs["FilterPolicyScope"]; !ok {
				attrs["FilterPolicyScope"] = "MessageAttributes"
			}
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Attributes": attrs}, nil
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func setSubscriptionAttributes(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, value := str(req.Input["AttributeName"]), str(req.Input["AttributeValue"])
	if err := validateSubAttr(name, value); err != nil {
		return nil, err
	}
	return nil, withSub(req, true, func(s *subscription) bool {
		if s.Attrs == nil {
			s.Attrs = map[string]string{}
		}
		s.Attrs[name] = value
		return true
	})
}
