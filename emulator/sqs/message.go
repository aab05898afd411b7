package sqs

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// message is one message's record in the queue's "m/<name>" bucket, keyed by
// a zero-padded sequence so cursor order is send order.
type message struct {
	ID           string               `json:"id"`
	Body         string               `json:"body"`
	MD5Body      string               `json:"md5"`
	Attrs        map[string]attrValue `json:"attrs,omitempty"`
	MD5Attrs     string               `json:"md5a,omitempty"`
	Sys          map[string]attrValue `json:"sys,omitempty"`
	MD5Sys       string               `json:"md5s,omitempty"`
	Sent         time.Time            `json:"sent"`
	VisibleAt    time.Time            `json:"visibleAt"`
	Received     int64                `json:"received"`
	FirstReceive time.Time            `json:"firstReceive,omitzero"`
	Receipt      string               `json:"receipt,omitempty"`
	SenderID     string               `json:"sender"`
	GroupID      string               `json:"group,omitempty"`
	DedupID      string               `json:"dedup,omitempty"`
	SeqNum       string               `json:"seq,omitempty"`
	DLQSource    string               `json:"dlqSource,omitempty"`
}

type dedupEntry struct {
	MessageID string    `json:"id"`
	SeqNum    string    `json:"seq"`
	Expires   time.Time `json:"expires"`
}

const dedupWindow = 5 * time.Minute

func msgKey(seq uint64) string { return fmt.Sprintf("%020d", seq) }

// receipt handles carry the queue name, the message key and a nonce that
// changes with every receive.
func makeReceipt(req *emulator.Request, queue, key string) string {
	return base64.StdEncoding.EncodeToString([]byte(queue + "\n" + key + "\n" + req.IDs.Base64(64)))
}

func parseReceipt(h string) (queue, key string, ok bool) {
	b, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(string(b), "\n")
	if len(parts) != 3 || len(parts[1]) != 20 {
		return "", "", false
	}
	return parts[0], parts[1], true
}

func errBadReceipt(h string) *protocol.APIError {
	return sqsError("ReceiptHandleIsInvalid", "The input receipt handle \"%s\" is not a valid receipt handle.", h)
}

// validBody reports whether s has only the characters SQS allows: #x9 #xA
// #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF.
func validBody(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == 0x9 || r == 0xA || r == 0xD:
		case r >= 0x20 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		case r >= 0x10000 && r <= 0x10FFFF:
		default:
			return false
		}
	}
	return true
}

// parseAttrs converts a MessageAttributes input map, validating it as SQS
// does, and returns its size in bytes (names, types and values count toward
// the message size limit).
func parseAttrs(v any, system bool) (map[string]attrValue, int, error) {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil, 0, nil
	}
	if len(m) > 10 {
		return nil, 0, errParam("Number of message attributes [%d] exceeds the allowed maximum [10].", len(m))
	}
	out := make(map[string]attrValue, len(m))
	size := 0
	for _, name := range sortedKeys(m) {
		a, _ := m[name].(map[string]any)
		if system && name != "AWSTraceHeader" {
			return nil, 0, errParam("Message system attribute name '%s' is invalid.", name)
		}
		if !system {
			lower := strings.ToLower(name)
			if name == "" || len(name) > 256 || strings.HasPrefix(lower, "aws.") || strings.HasPrefix(lower, "amazon.") ||
				strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
				return nil, 0, errParam("Message (user) attribute name '%s' is invalid.", name)
			}
		}
		dt := str(a["DataType"])
		if dt == "" {
			return nil, 0, errParam("The message attribute '%s' must contain non-empty message attribute type.", name)
		}
		base := dt
		if i := strings.IndexByte(dt, '.'); i >= 0 {
			base = dt[:i]
		}
		av := attrValue{DataType: dt}
		switch base {
		case "String", "Number":
			s, ok := a["StringValue"].(string)
			if !ok || s == "" {
				return nil, 0, errParam("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, base)
			}
			if base == "Number" {
				if _, err := strconv.ParseFloat(s, 64); err != nil {
					return nil, 0, errParam("Can't cast the value of message (user) attribute '%s' to a number.", name)
				}
			}
			if !validBody(s) {
				return nil, 0, sqsError("InvalidMessageContents", "Invalid characters found in the message attribute '%s'.", name)
			}
			av.StringValue = &s
			size += len(s)
		case "Binary":
			b, _ := a["BinaryValue"].([]byte)
			if len(b) == 0 {
				return nil, 0, errParam("The message attribute '%s' must contain non-empty message attribute value for message attribute type 'Binary'.", name)
			}
			av.BinaryValue = b
			size += len(b)
		default:
			return nil, 0, errParam("The type of message (user) attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", name)
		}
		size += len(name) + len(dt)
		out[name] = av
	}
	return out, size, nil
}

func attrsOut(attrs map[string]attrValue) map[string]any {
	out := make(map[string]any, len(attrs))
	for n, a := range attrs {
		v := map[string]any{"DataType": a.DataType}
		if a.StringValue != nil {
			v["StringValue"] = *a.StringValue
		}
		if a.BinaryValue != nil {
			v["BinaryValue"] = a.BinaryValue
		}
		out[n] = v
	}
	return out
}

// sendInput is one message to send: SendMessage's input or a batch entry.
type sendInput = map[string]any

// send validates and stores one message in q. It returns SendMessage's
// output members.
func send(req *emulator.Request, tx *store.Tx, q *queue, in sendInput, now time.Time) (map[string]any, error) {
	body, ok := in["MessageBody"].(string)
	if !ok || body == "" {
		return nil, errMissing("MessageBody")
	}
	if !validBody(body) {
		return nil, sqsError("InvalidMessageContents", "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
	}
	attrs, asize, err := parseAttrs(in["MessageAttributes"], false)
	if err != nil {
		return nil, err
	}
	sys, _, err := parseAttrs(in["MessageSystemAttributes"], true)
	if err != nil {
		return nil, err
	}
	if max := q.intAttr("MaximumMessageSize"); int64(len(body)+asize) > max {
		return nil, errParam("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", max)
	}
	delay := q.intAttr("DelaySeconds")
	if d, ok := in["DelaySeconds"].(int64); ok {
		if d < 0 || d > 900 {
			return nil, errParam("Value %d for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.", d)
		}
		if q.fifo() {
			return nil, errParam("Value %d for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.", d)
		}
		delay = d
	}
	group, _ := in["MessageGroupId"].(string)
	dedup, _ := in["MessageDeduplicationId"].(string)
	m := &message{
		ID: req.IDs.UUID(), Body: body, MD5Body: md5Hex([]byte(body)),
		Attrs: attrs, MD5Attrs: md5OfAttributes(attrs), Sys: sys, MD5Sys: md5OfAttributes(sys),
		Sent: now, VisibleAt: now.Add(time.Duration(delay) * time.Second), SenderID: senderID(req),
	}
	b, err := tx.CreateBucketIfNotExists(msgBucket(q.Name))
	if err != nil {
		return nil, err
	}
	var dedupKey string
	var db *store.Bucket
	if q.fifo() {
		if group == "" {
			return nil, errMissing("MessageGroupId")
		}
		if dedup == "" {
			if q.Attrs["ContentBasedDeduplication"] != "true" {
				return nil, errParam("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
			}
			sum := sha256.Sum256([]byte(body))
			dedup = hex.EncodeToString(sum[:])
		}
		if len(dedup) > 128 {
			return nil, errParam("Value %s for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.", dedup)
		}
		m.GroupID, m.DedupID = group, dedup
		dedupKey = dedup
		if q.Attrs["DeduplicationScope"] == "messageGroup" {
			dedupKey = group + "\n" + dedup
		}
		if db, err = tx.CreateBucketIfNotExists(dedupBucket(q.Name)); err != nil {
			return nil, err
		}
		var prev dedupEntry
		if ok, err := db.GetJSON(dedupKey, &prev); err != nil {
			return nil, err
		} else if ok && now.Before(prev.Expires) {
			// A duplicate within five minutes is accepted and not enqueued.
			return sendResult(m, prev.MessageID, prev.SeqNum), nil
		}
	} else if dedup != "" {
		return nil, errParam("Value %s for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.", dedup)
	}
	seq, err := b.NextSequence()
	if err != nil {
		return nil, err
	}
	if q.fifo() {
		m.SeqNum = fifoSeq(seq)
		if err := db.PutJSON(dedupKey, dedupEntry{MessageID: m.ID, SeqNum: m.SeqNum, Expires: now.Add(dedupWindow)}); err != nil {
			return nil, err
		}
	}
	if err := b.PutJSON(msgKey(seq), m); err != nil {
		return nil, err
	}
	return sendResult(m, m.ID, m.SeqNum), nil
}

// fifoSeq is a FIFO message's SequenceNumber: 20 digits, increasing.
func fifoSeq(seq uint64) string { return fmt.Sprintf("%020d", 18000000000000000000+seq) }

func sendResult(m *message, id, seq string) map[string]any {
	out := map[string]any{"MessageId": id, "MD5OfMessageBody": m.MD5Body}
	if m.MD5Attrs != "" {
		out["MD5OfMessageAttributes"] = m.MD5Attrs
	}
	if m.MD5Sys != "" {
		out["MD5OfMessageSystemAttributes"] = m.MD5Sys
	}
	if seq != "" {
		out["SequenceNumber"] = seq
	}
	return out
}

func senderID(req *emulator.Request) string {
	if req.AccessKeyID != "" {
		return req.AccessKeyID
	}
	return req.Account
}

func sendMessage(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	var out map[string]any
	now := req.Clock.Now()
	t, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		var err error
		out, err = send(req, tx, q, req.Input, now)
		return false, err
	})
	if err != nil {
		return nil, err
	}
	notify(t.ns, t.name)
	return out, nil
}

var batchIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// batchEntries validates the Entries of a batch request as SQS does.
func batchEntries(req *emulator.Request, kind string) ([]map[string]any, error) {
	list, _ := req.Input["Entries"].([]any)
	if len(list) == 0 {
		return nil, sqsError("EmptyBatchRequest", "There should be at least one %s in the request.", kind)
	}
	if len(list) > 10 {
		return nil, sqsError("TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent %d.", len(list))
	}
	seen := map[string]bool{}
	entries := make([]map[string]any, len(list))
	for i, e := range list {
		m, _ := e.(map[string]any)
		id := str(m["Id"])
		if !batchIDRE.MatchString(id) {
			return nil, sqsError("InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
		}
		if seen[id] {
			return nil, sqsError("BatchEntryIdsNotDistinct", "Id %s repeated.", id)
		}
		seen[id] = true
		entries[i] = m
	}
	return entries, nil
}

func failed(id string, err error) (map[string]any, error) {
	apiErr, ok := err.(*protocol.APIError)
	if !ok {
		return nil, err
	}
	return map[string]any{"Id": id, "SenderFault": apiErr.StatusCode < 500, "Code": apiErr.Code, "Message": apiErr.Message}, nil
}

func sendMessageBatch(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	entries, err := batchEntries(req, "SendMessageBatchRequestEntry")
	if err != nil {
		return nil, err
	}
	total := 0
	for _, e := range entries {
		total += len(str(e["MessageBody"]))
		_, n, _ := parseAttrs(e["MessageAttributes"], false)
		total += n
	}
	if total > maxMessageSize {
		return nil, sqsError("BatchRequestTooLong", "Batch requests cannot be longer than %d bytes. You have sent %d bytes.", maxMessageSize, total)
	}
	ok, bad := []any{}, []any{}
	now := req.Clock.Now()
	t, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		for _, e := range entries {
			res, err := send(req, tx, q, e, now)
			if err != nil {
				f, err := failed(str(e["Id"]), err)
				if err != nil {
					return false, err
				}
				bad = append(bad, f)
				continue
			}
			res["Id"] = e["Id"]
			ok = append(ok, res)
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	notify(t.ns, t.name)
	return map[string]any{"Successful": ok, "Failed": bad}, nil
}

// receiveOpts are ReceiveMessage's parsed options.
type receiveOpts struct {
	max        int
	visibility int64 // -1: the queue's
	sysNames   map[string]bool
	attrNames  []string
	attemptID  string // ReceiveRequestAttemptId (FIFO queues only)
}

func parseReceive(in map[string]any) (*receiveOpts, error) {
	o := &receiveOpts{max: 1, visibility: -1, sysNames: map[string]bool{}}
	if n, ok := in["MaxNumberOfMessages"].(int64); ok {
		if n < 1 || n > 10 {
			return nil, errParam("Value %d for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.", n)
		}
		o.max = int(n)
	}
	if n, ok := in["VisibilityTimeout"].(int64); ok {
		if n < 0 || n > 43200 {
			return nil, errParam("Value %d for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.", n)
		}
		o.visibility = n
	}
	for _, key := range []string{"AttributeNames", "MessageSystemAttributeNames"} {
		l, _ := in[key].([]any)
		for _, n := range l {
			o.sysNames[str(n)] = true
		}
	}
	if id, ok := in["ReceiveRequestAttemptId"].(string); ok {
		if !attemptIDRE.MatchString(id) {
			return nil, errParam("Value %s for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.", id)
		}
		o.attemptID = id
	}
	l, _ := in["MessageAttributeNames"].([]any)
	for _, n := range l {
		o.attrNames = append(o.attrNames, str(n))
	}
	return o, nil
}

func (o *receiveOpts) wantAttr(name string) bool {
	for _, p := range o.attrNames {
		if p == "All" || p == ".*" || p == name ||
			(strings.HasSuffix(p, ".*") && strings.HasPrefix(name, strings.TrimSuffix(p, "*"))) {
			return true
		}
	}
	return false
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func (o *receiveOpts) render(q *queue, m *message) map[string]any {
	out := map[string]any{"MessageId": m.ID, "ReceiptHandle": m.Receipt, "MD5OfBody": m.MD5Body, "Body": m.Body}
	sys := map[string]string{
		"SenderId":                         m.SenderID,
		"SentTimestamp":                    ms(m.Sent),
		"ApproximateReceiveCount":          strconv.FormatInt(m.Received, 10),
		"ApproximateFirstReceiveTimestamp": ms(m.FirstReceive),
	}
	if q.fifo() {
		sys["MessageGroupId"], sys["MessageDeduplicationId"], sys["SequenceNumber"] = m.GroupID, m.DedupID, m.SeqNum
	}
	if a, ok := m.Sys["AWSTraceHeader"]; ok && a.StringValue != nil {
		sys["AWSTraceHeader"] = *a.StringValue
	}
	if m.DLQSource != "" {
		sys["DeadLetterQueueSourceArn"] = m.DLQSource
	}
	attrs := map[string]any{}
	for k, v := range sys {
		if o.sysNames["All"] || o.sysNames[k] {
			attrs[k] = v
		}
	}
	if len(attrs) > 0 {
		out["Attributes"] = attrs
	}
	if len(m.Attrs) > 0 {
		sel := map[string]attrValue{}
		for n, a := range m.Attrs {
			if o.wantAttr(n) {
				sel[n] = a
			}
		}
		if len(sel) > 0 {
			// SDKs check the digest against the attributes returned.
			out["MessageAttributes"] = attrsOut(sel)
			out["MD5OfMessageAttributes"] = md5OfAttributes(sel)
		} else {
			out["MD5OfMessageAttributes"] = m.MD5Attrs
		}
	}
	return out
}

// receiveOnce takes up to o.max receivable messages from the queue, moving
// messages past the redrive policy's maxReceiveCount to the dead-letter
// queue. It reports the queue's default wait time too.
func receiveOnce(req *emulator.Request, t *target, o *receiveOpts) (msgs []any, wait int64, moved []string, err error) {
	now := req.Clock.Now()
	err = t.ns.Update(func(tx *store.Tx) error {
		q, err := loadQueue(tx, t.name)
		if err != nil {
			return err
		}
		if q == nil {
			return errNoQueue()
		}
		if moved, err = advanceTasks(req, tx, now); err != nil {
			return err
		}
		if q.fifo() && o.attemptID != "" {
			var done bool
			if msgs, done, err = retryAttempt(req, tx, q, o, now); err != nil || done {
				return err
			}
		}
		wait = q.intAttr("ReceiveMessageWaitTimeSeconds")
		b, err := tx.CreateBucketIfNotExists(msgBucket(q.Name))
		if err != nil {
			return err
		}
		vis := o.visibility
		if vis < 0 {
			vis = q.intAttr("VisibilityTimeout")
		}
		retention := time.Duration(q.intAttr("MessageRetentionPeriod")) * time.Second
		dlqArn, maxReceives := q.redrive()
		var dlq *queue
		if maxReceives > 0 {
			if dlq, err = queueByArn(tx, dlqArn); err != nil {
				return err
			}
		}
		blocked := map[string]bool{} // FIFO groups with a message in flight
		var expired []string
		type update struct {
			key string
			m   *message
		}
		var updates []update
		var toDLQ []update
		c := b.Cursor()
		for k, v, ok := c.First(); ok && len(msgs) < o.max; k, v, ok = c.Next() {
			var m message
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if !now.Before(m.Sent.Add(retention)) {
				expired = append(expired, k)
				continue
			}
			if q.fifo() && blocked[m.GroupID] {
				continue
			}
			if now.Before(m.VisibleAt) {
				if q.fifo() {
					blocked[m.GroupID] = true
				}
				continue
			}
			if dlq != nil && m.Received >= maxReceives {
				toDLQ = append(toDLQ, update{k, &m})
				continue
			}
			m.Received++
			if m.FirstReceive.IsZero() {
				m.FirstReceive = now
			}
			m.VisibleAt = now.Add(time.Duration(vis) * time.Second)
			m.Receipt = makeReceipt(req, q.Name, k)
			updates = append(updates, update{k, &m})
			msgs = append(msgs, o.render(q, &m))
		}
		for _, k := range expired {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		for _, u := range updates {
			if err := b.PutJSON(u.key, u.m); err != nil {
				return err
			}
		}
		if len(toDLQ) > 0 {
			db, err := tx.CreateBucketIfNotExists(msgBucket(dlq.Name))
			if err != nil {
				return err
			}
			for _, u := range toDLQ {
				if err := b.Delete(u.key); err != nil {
					return err
				}
				seq, err := db.NextSequence()
				if err != nil {
					return err
				}
				m := u.m
				m.Received, m.Receipt, m.VisibleAt, m.DLQSource = 0, "", now, q.arn()
				m.FirstReceive = time.Time{}
				if err := db.PutJSON(msgKey(seq), m); err != nil {
					return err
				}
			}
			moved = append(moved, dlq.Name)
		}
		if q.fifo() && o.attemptID != "" && len(updates) > 0 {
			a := attempt{Expires: now.Add(dedupWindow)}
			for _, u := range updates {
				a.Keys = append(a.Keys, u.key)
				a.Receipts = append(a.Receipts, u.m.Receipt)
				a.VisibleAt = append(a.VisibleAt, u.m.VisibleAt)
			}
			if err := saveAttempt(tx, q, o.attemptID, &a); err != nil {
				return err
			}
		}
		return nil
	})
	return msgs, wait, moved, err
}

func receiveMessage(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	t, err := resolve(req, str(req.Input["QueueUrl"]))
	if err != nil {
		return nil, err
	}
	o, err := parseReceive(req.Input)
	if err != nil {
		return nil, err
	}
	reqWait, hasWait := req.Input["WaitTimeSeconds"].(int64)
	if hasWait && (reqWait < 0 || reqWait > 20) {
		return nil, errParam("Value %d for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.", reqWait)
	}
	var timer *time.Timer
	var tick *time.Ticker
	for {
		ch := waitChan(t.ns, t.name)
		msgs, qWait, moved, err := receiveOnce(req, t, o)
		if err != nil {
			return nil, err
		}
		for _, n := range moved {
			notify(t.ns, n)
		}
		if len(msgs) > 0 {
			return map[string]any{"Messages": msgs}, nil
		}
		if timer == nil {
			wait := qWait
			if hasWait {
				wait = reqWait
			}
			if wait == 0 {
				return map[string]any{}, nil
			}
			timer = time.NewTimer(time.Duration(wait) * time.Second)
			defer timer.Stop()
			// Delays and visibility timeouts run on the emulator clock, which
			// no channel announces: look again now and then.
			tick = time.NewTicker(250 * time.Millisecond)
			defer tick.Stop()
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-timer.C:
			return map[string]any{}, nil
		case <-ctx.Done():
			return map[string]any{}, nil
		}
	}
}

// inflight finds the message a receipt handle names, for delete and
// visibility changes.
func findByReceipt(tx *store.Tx, q *queue, h string) (*store.Bucket, string, *message, error) {
	name, key, ok := parseReceipt(h)
	if !ok || name != q.Name {
		return nil, "", nil, errBadReceipt(h)
	}
	b := tx.Bucket(msgBucket(q.Name))
	if b == nil {
		return nil, key, nil, nil
	}
	var m message
	found, err := b.GetJSON(key, &m)
	if err != nil || !found {
		return b, key, nil, err
	}
	return b, key, &m, nil
}

func deleteOne(tx *store.Tx, q *queue, h string) error {
	if h == "" {
		return errMissing("ReceiptHandle")
	}
	b, key, m, err := findByReceipt(tx, q, h)
	if err != nil {
		return err
	}
	// A handle of a message already deleted, or from an earlier receive,
	// succeeds without effect, as SQS does.
	if m == nil || m.Receipt != h {
		return nil
	}
	return b.Delete(key)
}

func deleteMessage(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	h := str(req.Input["ReceiptHandle"])
	_, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		return false, deleteOne(tx, q, h)
	})
	return nil, err
}

func batchRun(req *emulator.Request, kind string, fn func(tx *store.Tx, q *queue, e map[string]any) error) (map[string]any, error) {
	entries, err := batchEntries(req, kind)
	if err != nil {
		return nil, err
	}
	ok, bad := []any{}, []any{}
	t, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		for _, e := range entries {
			if err := fn(tx, q, e); err != nil {
				f, err := failed(str(e["Id"]), err)
				if err != nil {
					return false, err
				}
				bad = append(bad, f)
				continue
			}
			ok = append(ok, map[string]any{"Id": e["Id"]})
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	notify(t.ns, t.name)
	return map[string]any{"Successful": ok, "Failed": bad}, nil
}

func deleteMessageBatch(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	return batchRun(req, "DeleteMessageBatchRequestEntry", func(tx *store.Tx, q *queue, e map[string]any) error {
		return deleteOne(tx, q, str(e["ReceiptHandle"]))
	})
}

func changeVisibility(req *emulator.Request, tx *store.Tx, q *queue, h string, v any) error {
	if h == "" {
		return errMissing("ReceiptHandle")
	}
	vt, ok := v.(int64)
	if !ok {
		return errMissing("VisibilityTimeout")
	}
	if vt < 0 || vt > 43200 {
		return errParam("Value %d for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.", vt)
	}
	b, key, m, err := findByReceipt(tx, q, h)
	if err != nil {
		return err
	}
	now := req.Clock.Now()
	if m == nil || m.Receipt != h || !now.Before(m.VisibleAt) {
		return sqsError("MessageNotInflight", "Message does not exist or is not available for visibility timeout change.")
	}
	m.VisibleAt = now.Add(time.Duration(vt) * time.Second)
	return b.PutJSON(key, m)
}

func changeMessageVisibility(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	t, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		return false, changeVisibility(req, tx, q, str(req.Input["ReceiptHandle"]), req.Input["VisibilityTimeout"])
	})
	if err != nil {
		return nil, err
	}
	notify(t.ns, t.name)
	return nil, nil
}

func changeMessageVisibilityBatch(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	return batchRun(req, "ChangeMessageVisibilityBatchRequestEntry", func(tx *store.Tx, q *queue, e map[string]any) error {
		return changeVisibility(req, tx, q, str(e["ReceiptHandle"]), e["VisibilityTimeout"])
	})
}

// countMessages computes ApproximateNumberOfMessages (visible),
// ...NotVisible (in flight) and ...Delayed at now.
func countMessages(tx *store.Tx, q *queue, now time.Time) (visible, inflight, delayed int, err error) {
	b := tx.Bucket(msgBucket(q.Name))
	if b == nil {
		return 0, 0, 0, nil
	}
	retention := time.Duration(q.intAttr("MessageRetentionPeriod")) * time.Second
	err = b.ForEach(func(k string, v []byte) error {
		var m message
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		switch {
		case !now.Before(m.Sent.Add(retention)):
		case !now.Before(m.VisibleAt):
			visible++
		case m.Received > 0:
			inflight++
		default:
			delayed++
		}
		return nil
	})
	return visible, inflight, delayed, err
}
