package sns

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// msgAttr is one message attribute of a publish.
type msgAttr struct {
	DataType    string
	StringValue string
	BinaryValue []byte
}

// values are what a filter policy compares: a String.Array's elements, a
// Number as a number, a String as itself. Binary attributes never match.
func (a msgAttr) values() []any {
	switch {
	case a.DataType == "String.Array":
		var l []any
		if json.Unmarshal([]byte(a.StringValue), &l) == nil {
			return l
		}
		return nil
	case strings.HasPrefix(a.DataType, "Number"):
		if f, ok := num(a.StringValue); ok {
			return []any{f}
		}
	case strings.HasPrefix(a.DataType, "Binary"):
		return nil
	}
	return []any{a.StringValue}
}

func parseMsgAttrs(v any) (map[string]msgAttr, error) {
	m, _ := v.(map[string]any)
	out := map[string]msgAttr{}
	for name, raw := range m {
		a, _ := raw.(map[string]any)
		ma := msgAttr{DataType: str(a["DataType"]), StringValue: str(a["StringValue"])}
		ma.BinaryValue, _ = a["BinaryValue"].([]byte)
		switch {
		case ma.DataType == "":
			return nil, errInvalid("The message attribute '%s' must contain non-empty message attribute type.", name)
		case strings.HasPrefix(ma.DataType, "Binary"):
			if len(ma.BinaryValue) == 0 {
				return nil, errInvalid("The message attribute '%s' must contain non-empty message attribute value for message attribute type 'Binary'.", name)
			}
		case strings.HasPrefix(ma.DataType, "String") || strings.HasPrefix(ma.DataType, "Number"):
			if ma.StringValue == "" {
				return nil, errInvalid("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, ma.DataType)
			}
		default:
			return nil, errInvalid("The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
		}
		out[name] = ma
	}
	return out, nil
}

// envelope is SNS's JSON notification, fields in the order SNS writes them.
type envelope struct {
	Type              string                     `json:"Type"`
	MessageID         string                     `json:"MessageId"`
	SequenceNumber    string                     `json:"SequenceNumber,omitempty"` // FIFO topics; not signed
	Token             string                     `json:"Token,omitempty"`
	TopicArn          string                     `json:"TopicArn"`
	Subject           string                     `json:"Subject,omitempty"`
	Message           string                     `json:"Message"`
	SubscribeURL      string                     `json:"SubscribeURL,omitempty"`
	Timestamp         string                     `json:"Timestamp"`
	SignatureVersion  string                     `json:"SignatureVersion"`
	Signature         string                     `json:"Signature"`
	SigningCertURL    string                     `json:"SigningCertURL"`
	UnsubscribeURL    string                     `json:"UnsubscribeURL,omitempty"`
	MessageAttributes map[string]envelopeAttr    `json:"MessageAttributes,omitempty"`
	_                 struct{}                   `json:"-"`
	extra             map[string]json.RawMessage `json:"-"`
}

type envelopeAttr struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

func marshalNoEscape(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // SNS does not escape <, > and &
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

func endpointBase(req *emulator.Request) string {
	if req.HTTP != nil && req.HTTP.Host != "" {
		if req.HTTP.TLS != nil {
			return "https://" + req.HTTP.Host
		}
		return "http://" + req.HTTP.Host
	}
	return "http://sns." + req.Region + ".localhost"
}

// published is one message on its way to a topic's subscribers.
type published struct {
	id, subject, message, structure, group, dedup, seq string
	attrs                                              map[string]msgAttr
	sigs                                               sigMemo // one RSA signature per distinct signed text
}

// messageFor picks the text a protocol gets: with MessageStructure json,
// the protocol's key or "default".
func (p *published) messageFor(proto string) string {
	if p.structure != "json" {
		return p.message
	}
	var m map[string]string
	_ = json.Unmarshal([]byte(p.message), &m)
	if s, ok := m[proto]; ok {
		return s
	}
	return m["default"]
}

func (p *published) validate() error {
	if p.message == "" {
		return errInvalid("Empty message")
	}
	if len(p.message) > 262144 {
		return errInvalid("Message too long")
	}
	if p.structure != "" && p.structure != "json" {
		return errInvalid("Invalid parameter: Message Structure - Invalid value %s", p.structure)
	}
	if p.structure == "json" {
		var m map[string]any
		if json.Unmarshal([]byte(p.message), &m) != nil {
			return errInvalid("Message Structure - JSON message body failed to parse")
		}
		if _, ok := m["default"]; !ok {
			return errInvalid("Message Structure - No default entry in JSON message body")
		}
	}
	return nil
}

func publish(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	arn := str(req.Input["TopicArn"])
	if arn == "" {
		arn = str(req.Input["TargetArn"])
	}
	if arn == "" {
		if phone := str(req.Input["PhoneNumber"]); phone != "" {
			// SMS: accepted and recorded in the delivery log, not sent.
			msg := str(req.Input["Message"])
			if msg == "" {
				return nil, errInvalid("Empty message")
			}
			d := &delivery{Time: req.Clock.Now(), Type: "Notification", Protocol: "sms", Endpoint: phone,
				MessageID: req.IDs.UUID(), Message: msg, Payload: msg}
			if err := recordDelivery(req, d); err != nil {
				return nil, err
			}
			return map[string]any{"MessageId": d.MessageID}, nil
		}
		return nil, errInvalid("TopicArn or TargetArn Reason: no value for required parameter")
	}
	attrs, err := parseMsgAttrs(req.Input["MessageAttributes"])
	if err != nil {
		return nil, err
	}
	p := &published{subject: str(req.Input["Subject"]), message: str(req.Input["Message"]),
		structure: str(req.Input["MessageStructure"]), group: str(req.Input["MessageGroupId"]),
		dedup: str(req.Input["MessageDeduplicationId"]), attrs: attrs}
	req.Input["TopicArn"] = arn
	seq, err := deliver(ctx, req, p)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"MessageId": p.id}
	if seq != "" {
		out["SequenceNumber"] = seq
	}
	return out, nil
}

// deliver validates p against its topic and hands it to every matching
// confirmed subscription.
func deliver(ctx context.Context, req *emulator.Request, p *published) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	var t *topic
	var subs []*subscription
	err := withTopic(req, "TopicArn", false, func(tx *store.Tx, tp *topic) (bool, error) {
		t = tp
		var err error
		subs, err = topicSubs(tx, tp.Arn)
		return false, err
	})
	if err != nil {
		return "", err
	}
	seq := ""
	if t.fifo() {
		if p.group == "" {
			return "", errInvalid("The MessageGroupId parameter is required for FIFO topics")
		}
		if p.dedup == "" {
			if t.Attrs["ContentBasedDeduplication"] != "true" {
				return "", errInvalid("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
			}
			sum := sha256.Sum256([]byte(p.message))
			p.dedup = hex.EncodeToString(sum[:])
		}
		dup, err := fifoSequence(req, t, p)
		if err != nil || dup {
			return p.seq, err
		}
		seq = p.seq
	} else if p.group != "" || p.dedup != "" {
		return "", errInvalid("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type")
	} else {
		p.id = req.IDs.UUID()
	}
	now := req.Clock.Now()
	for _, s := range subs {
		if !s.Confirmed || !matches(s, p) {
			continue
		}
		switch s.Protocol {
		case "sqs":
			if err := toSQS(ctx, req, t, s, p, now); err != nil {
				return "", err
			}
		case "lambda", "firehose", "application", "email", "email-json", "sms":
			if err := recordNotification(req, t, s, p, now); err != nil {
				return "", err
			}
		case "http", "https":
			postJSON(s.Endpoint, "Notification", t.Arn, s.Arn, marshalNoEscape(notification(req, t, s, p, now, s.Protocol)),
				retryPolicy(t.Attrs["DeliveryPolicy"], s.Attrs["DeliveryPolicy"]))
		}
	}
	return seq, nil
}

func matches(s *subscription, p *published) bool {
	doc := s.Attrs["FilterPolicy"]
	if doc == "" {
		return true
	}
	pol, err := parsePolicy(doc)
	if err != nil {
		return false
	}
	if s.Attrs["FilterPolicyScope"] == "MessageBody" {
		var body any
		if json.Unmarshal([]byte(p.messageFor(s.Protocol)), &body) != nil {
			return false
		}
		return matchBody(pol, body)
	}
	return matchAttributes(pol, p.attrs)
}

func notification(req *emulator.Request, t *topic, s *subscription, p *published, now time.Time, proto string) *envelope {
	base := endpointBase(req)
	e := &envelope{Type: "Notification", MessageID: p.id, SequenceNumber: p.seq, TopicArn: t.Arn, Subject: p.subject,
		Message: p.messageFor(proto), Timestamp: now.UTC().Format("2006-01-02T15:04:05.000Z"),
		UnsubscribeURL: base + "/?Action=Unsubscribe&SubscriptionArn=" + url.QueryEscape(s.Arn)}
	e.MessageAttributes = notificationAttrs(p.attrs)
	signMemo(req, e, t.Attrs["SignatureVersion"], &p.sigs)
	return e
}

// notificationAttrs is how an envelope carries message attributes: Type
// and Value, a Binary value base64-encoded (nil when there are none).
func notificationAttrs(attrs map[string]msgAttr) map[string]envelopeAttr {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]envelopeAttr, len(attrs))
	for n, a := range attrs {
		v := a.StringValue
		if strings.HasPrefix(a.DataType, "Binary") {
			v = base64.StdEncoding.EncodeToString(a.BinaryValue)
		}
		out[n] = envelopeAttr{Type: a.DataType, Value: v}
	}
	return out
}

func toSQS(ctx context.Context, req *emulator.Request, t *topic, s *subscription, p *published, now time.Time) error {
	parts := strings.Split(s.Endpoint, ":") // arn:aws:sqs:region:account:name
	region, account, name := parts[3], parts[4], parts[5]
	in := map[string]any{"QueueUrl": "http://sqs." + region + ".localhost/" + account + "/" + name}
	if strings.EqualFold(s.Attrs["RawMessageDelivery"], "true") {
		in["MessageBody"] = p.messageFor("sqs")
		if len(p.attrs) > 0 {
			m := map[string]any{}
			for n, a := range p.attrs {
				v := map[string]any{"DataType": a.DataType}
				if strings.HasPrefix(a.DataType, "Binary") {
					v["BinaryValue"] = a.BinaryValue
				} else {
					v["StringValue"] = a.StringValue
				}
				m[n] = v
			}
			in["MessageAttributes"] = m
		}
	} else {
		in["MessageBody"] = marshalNoEscape(notification(req, t, s, p, now, "sqs"))
	}
	if t.fifo() {
		in["MessageGroupId"], in["MessageDeduplicationId"] = p.group, p.dedup
	}
	// A delivery failure (queue deleted) does not fail the publish, as in SNS.
	_, _ = req.Services().Call(ctx, account, region, "sqs", "SendMessage", in)
	return nil
}

// sendConfirmation posts the SubscriptionConfirmation an http(s) endpoint
// must answer by calling ConfirmSubscription (or visiting SubscribeURL).
func sendConfirmation(req *emulator.Request, t *topic, s *subscription) {
	postJSON(s.Endpoint, "SubscriptionConfirmation", t.Arn, s.Arn, marshalNoEscape(confirmation(req, t, s)), retryPolicy(t.Attrs["DeliveryPolicy"], ""))
}

// recordConfirmation logs the confirmation an email or email-json endpoint
// would get, Token included, in the delivery log.
func recordConfirmation(req *emulator.Request, t *topic, s *subscription) error {
	e := confirmation(req, t, s)
	d := &delivery{Time: req.Clock.Now(), Type: e.Type, TopicArn: t.Arn, SubscriptionArn: s.Arn, Protocol: s.Protocol,
		Endpoint: s.Endpoint, MessageID: e.MessageID, Message: e.Message, Token: s.Token, Payload: e.Message + "\n" + e.SubscribeURL}
	if s.Protocol == "email-json" {
		d.Payload = marshalNoEscape(e)
	}
	return recordDelivery(req, d)
}

// confirmation is the signed SubscriptionConfirmation message.
func confirmation(req *emulator.Request, t *topic, s *subscription) *envelope {
	base := endpointBase(req)
	e := &envelope{Type: "SubscriptionConfirmation", MessageID: req.IDs.UUID(), Token: s.Token, TopicArn: t.Arn,
		Message:      "You have chosen to subscribe to the topic " + t.Arn + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.",
		SubscribeURL: base + "/?Action=ConfirmSubscription&TopicArn=" + url.QueryEscape(t.Arn) + "&Token=" + s.Token,
		Timestamp:    req.Clock.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	sign(req, e, t.Attrs["SignatureVersion"])
	return e
}

var httpClient = &http.Client{Timeout: 5 * time.Second}

// postJSON delivers to an http(s) endpoint in the background. Only loopback
// endpoints are contacted: an emulator must not reach out to the network.
// Delivery retries a failed POST (a connection error or a status outside
// a 5xx answer) per the healthyRetryPolicy:
// numRetries more attempts minDelayTarget seconds apart. SNS's default is 3
// retries 20 s apart; a subscription's or topic's DeliveryPolicy overrides
// it. Waits are real time (the endpoint is a real server), bounded by
// SNS's own limits (100 retries, 3600 s).
type retries struct {
	n     int
	delay time.Duration
}

func retryPolicy(topicDoc, subDoc string) retries {
	r := retries{n: 3, delay: 20 * time.Second}
	for _, doc := range []string{topicDoc, subDoc} {
		var p struct {
			HTTP struct {
				Healthy *struct {
					NumRetries     *int `json:"numRetries"`
					MinDelayTarget *int `json:"minDelayTarget"`
				} `json:"defaultHealthyRetryPolicy"`
			} `json:"http"`
			Healthy *struct {
				NumRetries     *int `json:"numRetries"`
				MinDelayTarget *int `json:"minDelayTarget"`
			} `json:"healthyRetryPolicy"`
		}
		if doc == "" || json.Unmarshal([]byte(doc), &p) != nil {
			continue
		}
		h := p.Healthy
		if h == nil {
			h = p.HTTP.Healthy
		}
		if h == nil {
			continue
		}
		if h.NumRetries != nil && *h.NumRetries >= 0 && *h.NumRetries <= 100 {
			r.n = *h.NumRetries
		}
		if h.MinDelayTarget != nil && *h.MinDelayTarget >= 0 && *h.MinDelayTarget <= 3600 {
			r.delay = time.Duration(*h.MinDelayTarget) * time.Second
		}
	}
	return r
}

func postJSON(endpoint, typ, topicArn, subArn, body string, policy retries) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return
	}
	switch h := u.Hostname(); h {
	case "127.0.0.1", "localhost", "::1":
	default:
		return
	}
	go func() {
		for attempt := 0; attempt <= policy.n; attempt++ {
			if attempt > 0 {
				time.Sleep(policy.delay)
			}
			r, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(body))
			if err != nil {
				return
			}
			r.Header.Set("Content-Type", "text/plain; charset=UTF-8")
			r.Header.Set("x-amz-sns-message-type", typ)
			r.Header.Set("x-amz-sns-topic-arn", topicArn)
			if typ == "Notification" {
				r.Header.Set("x-amz-sns-subscription-arn", subArn)
			}
			resp, err := httpClient.Do(r)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode < 500 {
					return // 2xx delivered; 4xx is the endpoint's refusal, not retried
				}
			}
		}
	}()
}

func publishBatch(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	entries, _ := req.Input["PublishBatchRequestEntries"].([]any)
	if len(entries) == 0 {
		return nil, errBatch("EmptyBatchRequest", "The batch request doesn't contain any entries.")
	}
	if len(entries) > 10 {
		return nil, errBatch("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.")
	}
	seen := map[string]bool{}
	for _, e := range entries {
		id := str(e.(map[string]any)["Id"])
		if seen[id] {
			return nil, errBatch("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.")
		}
		seen[id] = true
	}
	// The whole batch, messages and attributes, is bounded like one message.
	total := 0
	for _, raw := range entries {
		e, _ := raw.(map[string]any)
		total += len(str(e["Message"]))
		attrs, _ := e["MessageAttributes"].(map[string]any)
		for n, a := range attrs {
			m, _ := a.(map[string]any)
			b, _ := m["BinaryValue"].([]byte)
			total += len(n) + len(str(m["DataType"])) + len(str(m["StringValue"])) + len(b)
		}
	}
	if total > 262144 {
		return nil, errBatch("BatchRequestTooLong", "The length of all the messages put together is more than the limit.")
	}
	ok, bad := []any{}, []any{}
	for _, raw := range entries {
		e := raw.(map[string]any)
		id := str(e["Id"])
		attrs, err := parseMsgAttrs(e["MessageAttributes"])
		var seq string
		p := &published{subject: str(e["Subject"]), message: str(e["Message"]), structure: str(e["MessageStructure"]),
			group: str(e["MessageGroupId"]), dedup: str(e["MessageDeduplicationId"]), attrs: attrs}
		if err == nil {
			seq, err = deliver(ctx, req, p)
		}
		if err != nil {
			x, isAPI := err.(*apiError)
			if !isAPI || x.StatusCode == 404 {
				return nil, err // a missing topic fails the whole batch
			}
			code, msg := x.Code, x.Message
			bad = append(bad, map[string]any{"Id": id, "Code": code, "Message": msg, "SenderFault": true})
			continue
		}
		r := map[string]any{"Id": id, "MessageId": p.id}
		if seq != "" {
			r["SequenceNumber"] = seq
		}
		ok = append(ok, r)
	}
	return map[string]any{"Successful": ok, "Failed": bad}, nil
}

const (
	fifoBucket  = "fifo"
	dedupWindow = 5 * time.Minute
)

// fifoState is a FIFO topic's sequence and deduplication window.
type fifoState struct {
	Seq   int64                `json:"seq"`
	Dedup map[string]fifoDedup `json:"dedup,omitempty"`
}

type fifoDedup struct {
	MessageID string    `json:"messageId"`
	Seq       string    `json:"seq"`
	At        time.Time `json:"at"`
}

// fifoSequence gives a FIFO publish its MessageId and SequenceNumber. A
// deduplication id seen on the topic within the last 5 minutes is a
// duplicate: the publish succeeds with the first message's MessageId and
// SequenceNumber and nothing is delivered (dup true), as SNS FIFO topics
// deliver each message once. Sequence numbers grow strictly per topic
// (the emulator clock's nanoseconds, or one more than the last), so a
// fixed clock still orders them.
func fifoSequence(req *emulator.Request, t *topic, p *published) (dup bool, err error) {
	now := req.Clock.Now()
	err = req.Store.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists(fifoBucket)
		if err != nil {
			return err
		}
		var st fifoState
		if _, err := b.GetJSON(t.Name, &st); err != nil {
			return err
		}
		for k, d := range st.Dedup {
			if now.Sub(d.At) >= dedupWindow {
				delete(st.Dedup, k)
			}
		}
		if d, ok := st.Dedup[p.dedup]; ok {
			p.id, p.seq, dup = d.MessageID, d.Seq, true
			return nil
		}
		st.Seq = max(st.Seq+1, now.UnixNano())
		p.id, p.seq = req.IDs.UUID(), fmt.Sprintf("1%019d", st.Seq)
		if st.Dedup == nil {
			st.Dedup = map[string]fifoDedup{}
		}
		st.Dedup[p.dedup] = fifoDedup{MessageID: p.id, Seq: p.seq, At: now}
		return b.PutJSON(t.Name, &st)
	})
	return dup, err
}
