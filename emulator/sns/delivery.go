package sns

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// Protocols fakecloud cannot reach (lambda, firehose, application, email,
// email-json, sms, and direct SMS publishes to a PhoneNumber) get their
// deliveries recorded instead, in a delivery log per account and region,
// so a test can assert what would have been sent. GET /_fakecloud/state
// (or Emulator.State) shows it as
//
//	<account> / <region> / sns / deliveries / <TopicArn> : [delivery, ...]
//
// oldest first (direct SMS publishes under "PhoneNumber:<number>"). Each
// delivery has the subscription, the message fields and Payload: the bytes
// the endpoint would receive (the Lambda event, the JSON notification for
// email-json and firehose, the raw message with RawMessageDelivery, the
// message text for email, sms and application). An email or email-json
// subscription's SubscriptionConfirmation is recorded too, with the Token
// a test passes to ConfirmSubscription. The log keeps the last
// maxDeliveries entries of each account and region.

const (
	deliveriesBucket = "deliveries"
	maxDeliveries    = 1000
)

// delivery is one recorded delivery.
type delivery struct {
	Time              time.Time               `json:"time"`
	Type              string                  `json:"type"` // Notification or SubscriptionConfirmation
	TopicArn          string                  `json:"topicArn,omitempty"`
	SubscriptionArn   string                  `json:"subscriptionArn,omitempty"`
	Protocol          string                  `json:"protocol"`
	Endpoint          string                  `json:"endpoint"`
	MessageID         string                  `json:"messageId"`
	Subject           string                  `json:"subject,omitempty"`
	Message           string                  `json:"message"`
	MessageAttributes map[string]envelopeAttr `json:"messageAttributes,omitempty"`
	MessageGroupID    string                  `json:"messageGroupId,omitempty"`
	SequenceNumber    string                  `json:"sequenceNumber,omitempty"`
	Token             string                  `json:"token,omitempty"`
	Payload           string                  `json:"payload"`
}

// recorded reports whether a protocol's deliveries go to the log.
func recorded(proto string) bool {
	switch proto {
	case "lambda", "firehose", "application", "email", "email-json", "sms":
		return true
	}
	return false
}

// recordDelivery appends d to the log of req's account and region.
func recordDelivery(req *emulator.Request, d *delivery) error {
	return req.Store.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists(deliveriesBucket)
		if err != nil {
			return err
		}
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		if err := b.PutJSON(fmt.Sprintf("%020d", n), d); err != nil {
			return err
		}
		if n > maxDeliveries {
			return b.Delete(fmt.Sprintf("%020d", n-maxDeliveries))
		}
		return nil
	})
}

// recordNotification records a notification to a subscription of a
// recorded protocol.
func recordNotification(req *emulator.Request, t *topic, s *subscription, p *published, now time.Time) error {
	env := notification(req, t, s, p, now, s.Protocol)
	d := &delivery{Time: now, Type: "Notification", TopicArn: t.Arn, SubscriptionArn: s.Arn, Protocol: s.Protocol,
		Endpoint: s.Endpoint, MessageID: p.id, Subject: p.subject, Message: env.Message,
		MessageAttributes: env.MessageAttributes, MessageGroupID: p.group, SequenceNumber: p.seq}
	raw := strings.EqualFold(s.Attrs["RawMessageDelivery"], "true")
	switch s.Protocol {
	case "lambda":
		d.Payload = lambdaEvent(s, env)
	case "email-json":
		d.Payload = marshalNoEscape(env)
	case "firehose":
		d.Payload = marshalNoEscape(env)
		if raw {
			d.Payload = env.Message
		}
	default: // email, sms, application: the message text
		d.Payload = env.Message
	}
	return recordDelivery(req, d)
}

// lambdaEvent is the event Lambda hands a function subscribed to a topic.
func lambdaEvent(s *subscription, e *envelope) string {
	type snsRecord struct {
		Type              string                  `json:"Type"`
		MessageID         string                  `json:"MessageId"`
		TopicArn          string                  `json:"TopicArn"`
		Subject           *string                 `json:"Subject"`
		Message           string                  `json:"Message"`
		Timestamp         string                  `json:"Timestamp"`
		SignatureVersion  string                  `json:"SignatureVersion"`
		Signature         string                  `json:"Signature"`
		SigningCertURL    string                  `json:"SigningCertUrl"`
		UnsubscribeURL    string                  `json:"UnsubscribeUrl"`
		MessageAttributes map[string]envelopeAttr `json:"MessageAttributes"`
	}
	type record struct {
		EventSource          string    `json:"EventSource"`
		EventVersion         string    `json:"EventVersion"`
		EventSubscriptionArn string    `json:"EventSubscriptionArn"`
		Sns                  snsRecord `json:"Sns"`
	}
	r := snsRecord{Type: e.Type, MessageID: e.MessageID, TopicArn: e.TopicArn, Message: e.Message, Timestamp: e.Timestamp,
		SignatureVersion: e.SignatureVersion, Signature: e.Signature, SigningCertURL: e.SigningCertURL,
		UnsubscribeURL: e.UnsubscribeURL, MessageAttributes: e.MessageAttributes}
	if e.Subject != "" {
		r.Subject = &e.Subject
	}
	if r.MessageAttributes == nil {
		r.MessageAttributes = map[string]envelopeAttr{}
	}
	return marshalNoEscape(map[string][]record{"Records": {{EventSource: "aws:sns", EventVersion: "1.0",
		EventSubscriptionArn: s.Arn, Sns: r}}})
}

// state renders SNS's namespace for GET /_fakecloud/state: the raw
// records, with the delivery log grouped by topic, and the signing
// namespace as its certificate only (never the private key).
func state(ctx context.Context, sc *emulator.StateContext) (any, error) {
	out := map[string]any{}
	err := sc.Store.View(func(tx *store.Tx) error {
		return tx.ForEachBucket(func(name string) error {
			b := tx.Bucket(name)
			switch {
			case name == signingBucket && sc.Account == signingAccount && sc.Region == signingRegion:
				var sk storedKey
				if ok, err := b.GetJSON("key", &sk); err != nil || !ok {
					return err
				}
				s, err := parseSigner(sk)
				if err != nil {
					return err
				}
				out["signingCertificate"] = map[string]any{"name": s.name, "pem": string(s.certPEM)}
				return nil
			case name == deliveriesBucket:
				byTopic := map[string][]*delivery{}
				err := b.ForEach(func(k string, v []byte) error {
					var d delivery
					if err := json.Unmarshal(v, &d); err != nil {
						return err
					}
					key := d.TopicArn
					if key == "" {
						key = "PhoneNumber:" + d.Endpoint
					}
					byTopic[key] = append(byTopic[key], &d)
					return nil
				})
				out[name] = byTopic
				return err
			}
			m := map[string]any{}
			err := b.ForEach(func(k string, v []byte) error {
				var x any
				if json.Unmarshal(v, &x) != nil {
					x = string(v)
				}
				m[k] = x
				return nil
			})
			out[name] = m
			return err
		})
	})
	return out, err
}
