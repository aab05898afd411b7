package sqs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// queue is one queue's record in the "queues" bucket.
type queue struct {
	Name      string            `json:"name"`
	Account   string            `json:"account"`
	Region    string            `json:"region"`
	Attrs     map[string]string `json:"attrs"` // settable attributes, defaults filled in
	Tags      map[string]string `json:"tags,omitempty"`
	Created   time.Time         `json:"created"`
	Modified  time.Time         `json:"modified"`
	LastPurge time.Time         `json:"lastPurge,omitzero"`
}

const (
	queuesBucket  = "queues"
	deletedBucket = "deleted" // name -> deletion time, for QueueDeletedRecently
)

func msgBucket(name string) string   { return "m/" + name }
func dedupBucket(name string) string { return "d/" + name }

func (q *queue) fifo() bool { return q.Attrs["FifoQueue"] == "true" }

func (q *queue) arn() string { return "arn:aws:sqs:" + q.Region + ":" + q.Account + ":" + q.Name }

func (q *queue) intAttr(name string) int64 {
	v, _ := strconv.ParseInt(q.Attrs[name], 10, 64)
	return v
}

// redrive is a parsed RedrivePolicy.
type redrive struct {
	DeadLetterTargetArn string `json:"deadLetterTargetArn"`
	MaxReceiveCount     any    `json:"maxReceiveCount"` // SQS accepts a number or a numeric string
}

func (q *queue) redrive() (arn string, max int64) {
	s := q.Attrs["RedrivePolicy"]
	if s == "" {
		return "", 0
	}
	var r redrive
	if json.Unmarshal([]byte(s), &r) != nil {
		return "", 0
	}
	return r.DeadLetterTargetArn, anyInt(r.MaxReceiveCount)
}

func anyInt(v any) int64 {
	switch v := v.(type) {
	case float64:
		return int64(v)
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return -1
		}
		return n
	}
	return -1
}

// maxMessageSize is SQS's message size limit, body and attributes
// together, and of a whole SendMessageBatch: 1 MiB since AWS raised it from
// 256 KiB in August 2025 (also MaximumMessageSize's default and maximum).
const maxMessageSize = 1 << 20

var defaultAttrs = map[string]string{
	"DelaySeconds":                  "0",
	"MaximumMessageSize":            strconv.Itoa(maxMessageSize),
	"MessageRetentionPeriod":        "345600",
	"ReceiveMessageWaitTimeSeconds": "0",
	"VisibilityTimeout":             "30",
	"SqsManagedSseEnabled":          "true",
}

var fifoDefaults = map[string]string{
	"FifoQueue":                 "true",
	"ContentBasedDeduplication": "false",
	"DeduplicationScope":        "queue",
	"FifoThroughputLimit":       "perQueue",
}

// settable lists the attributes CreateQueue and SetQueueAttributes accept,
// with their validators.
var settable = map[string]func(string) bool{
	"DelaySeconds":                  intRange(0, 900),
	"MaximumMessageSize":            intRange(1024, maxMessageSize),
	"MessageRetentionPeriod":        intRange(60, 1209600),
	"ReceiveMessageWaitTimeSeconds": intRange(0, 20),
	"VisibilityTimeout":             intRange(0, 43200),
	"KmsDataKeyReusePeriodSeconds":  intRange(60, 86400),
	"Policy":                        validJSON,
	"RedrivePolicy":                 func(s string) bool { return s == "" || validJSON(s) },
	"RedriveAllowPolicy":            func(s string) bool { return s == "" || validJSON(s) },
	"KmsMasterKeyId":                func(string) bool { return true },
	"SqsManagedSseEnabled":          boolean,
	"FifoQueue":                     boolean,
	"ContentBasedDeduplication":     boolean,
	"DeduplicationScope":            oneOf("messageGroup", "queue"),
	"FifoThroughputLimit":           oneOf("perQueue", "perMessageGroupId"),
}

var fifoOnly = map[string]bool{"ContentBasedDeduplication": true, "DeduplicationScope": true, "FifoThroughputLimit": true}

func intRange(lo, hi int64) func(string) bool {
	return func(s string) bool {
		n, err := strconv.ParseInt(s, 10, 64)
		return err == nil && n >= lo && n <= hi
	}
}

func validJSON(s string) bool { return json.Valid([]byte(s)) }

func boolean(s string) bool { return s == "true" || s == "false" }

func oneOf(vals ...string) func(string) bool {
	return func(s string) bool {
		for _, v := range vals {
			if s == v {
				return true
			}
		}
		return false
	}
}

// computed are the read-only attributes GetQueueAttributes adds.
var computed = []string{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
	"ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn"}

var queueNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// validateAttrs checks attribute names and values as SQS does.
func validateAttrs(tx *store.Tx, q *queue, attrs map[string]string, creating bool) error {
	for _, name := range sortedKeys(attrs) {
		v := attrs[name]
		check, ok := settable[name]
		if !ok || (!creating && name == "FifoQueue") {
			return sqsError("InvalidAttributeName", "Unknown Attribute %s.", name)
		}
		if fifoOnly[name] && !q.fifo() && !(creating && attrs["FifoQueue"] == "true") {
			return sqsError("InvalidAttributeName", "Unknown Attribute %s.", name)
		}
		if !check(v) {
			return errInvalidValue(name)
		}
		if name == "RedrivePolicy" && v != "" {
			if err := validateRedrive(tx, q, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func validateRedrive(tx *store.Tx, q *queue, v string) error {
	var r redrive
	if err := json.Unmarshal([]byte(v), &r); err != nil || r.DeadLetterTargetArn == "" {
		return errParam("Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.", v)
	}
	n := anyInt(r.MaxReceiveCount)
	if n < 1 || n > 1000 {
		return errParam("Value %s for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: %v, valid values are from 1 to 1000 both inclusive.", v, r.MaxReceiveCount)
	}
	dlq, err := queueByArn(tx, r.DeadLetterTargetArn)
	if err != nil {
		return err
	}
	if dlq == nil {
		return errParam("Value %s for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.", v)
	}
	if dlq.fifo() != (q.fifo() || q.Attrs["FifoQueue"] == "true") {
		return errParam("Value %s for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..", v)
	}
	return nil
}

// queueByArn finds a queue of this namespace by ARN; dead-letter queues live
// in the source queue's account and region.
func queueByArn(tx *store.Tx, arn string) (*queue, error) {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[2] != "sqs" {
		return nil, nil
	}
	q, err := loadQueue(tx, parts[5])
	if err != nil || q == nil || q.arn() != arn {
		return nil, err
	}
	return q, nil
}

func loadQueue(tx *store.Tx, name string) (*queue, error) {
	b := tx.Bucket(queuesBucket)
	if b == nil {
		return nil, nil
	}
	var q queue
	ok, err := b.GetJSON(name, &q)
	if err != nil || !ok {
		return nil, err
	}
	return &q, nil
}

func saveQueue(tx *store.Tx, q *queue) error {
	b, err := tx.CreateBucketIfNotExists(queuesBucket)
	if err != nil {
		return err
	}
	return b.PutJSON(q.Name, q)
}

// queueURL is http://<host>/<account>/<name>, with the host the client used.
func queueURL(req *emulator.Request, account, name string) string {
	host := ""
	if req.HTTP != nil {
		host = req.HTTP.Host
	}
	if host == "" {
		host = "sqs." + req.Region + ".localhost"
	}
	return "http://" + host + "/" + account + "/" + name
}

// target is a resolved QueueUrl: the namespace holding the queue and its name.
type target struct {
	ns   *store.NS
	name string
	url  string
}

// resolve parses a QueueUrl. Any host is accepted (the client's endpoint,
// sqs.<region>.localhost, sqs.<region>.amazonaws.com); the path is
// /<account>/<name>. A queue of another account is reached in that
// account's namespace, as SQS allows with a queue policy.
func resolve(req *emulator.Request, raw string) (*target, error) {
	if raw == "" {
		return nil, errMissing("QueueUrl")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, sqsError("InvalidAddress", "The address %s is not valid for this endpoint.", raw)
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	name := segs[len(segs)-1]
	account := req.Account
	if len(segs) >= 2 {
		account = segs[len(segs)-2]
	}
	if name == "" || (u.Host == "" && len(segs) < 2) {
		return nil, sqsError("InvalidAddress", "The address %s is not valid for this endpoint.", raw)
	}
	if !validAccount(account) {
		// A path such as 0//00 names no account: SQS knows no such queue
		// (it must not reach the store as an empty namespace part).
		return nil, errNoQueue()
	}
	region := req.Region
	if h := strings.Split(u.Hostname(), "."); len(h) >= 3 && h[0] == "sqs" && h[1] != "" && !strings.Contains(h[1], "amazonaws") {
		region = h[1]
	}
	ns := req.Store
	if account != req.Account || region != req.Region {
		ns = req.Services().Store(account, region, "sqs")
	}
	return &target{ns: ns, name: name, url: raw}, nil
}

// validAccount reports whether an account named by a QueueUrl path or
// QueueOwnerAWSAccountId can hold queues: not empty and free of control
// characters (the store reserves names starting with NUL). Anything else
// names no queue, so callers answer QueueDoesNotExist.
func validAccount(a string) bool {
	if a == "" {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] < 0x20 || a[i] == 0x7f {
			return false
		}
	}
	return true
}

func stringMap(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := make(map[string]string, len(m))
	for k, x := range m {
		s, _ := x.(string)
		out[k] = s
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func createQueue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, _ := req.Input["QueueName"].(string)
	if name == "" {
		return nil, errMissing("QueueName")
	}
	attrs := stringMap(req.Input["Attributes"])
	tags := stringMap(req.Input["tags"])
	isFifo := attrs["FifoQueue"] == "true"
	base := name
	if strings.HasSuffix(name, ".fifo") {
		base = strings.TrimSuffix(name, ".fifo")
	}
	if !queueNameRE.MatchString(base) || len(name) > 80 || (strings.HasSuffix(name, ".fifo") && !isFifo) {
		return nil, errParam("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	}
	if isFifo && !strings.HasSuffix(name, ".fifo") {
		return nil, errParam("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
	}
	if v, ok := attrs["FifoQueue"]; ok && v == "false" && strings.HasSuffix(name, ".fifo") {
		return nil, errInvalidValue("FifoQueue")
	}
	now := req.Clock.Now()
	err := req.Store.Update(func(tx *store.Tx) error {
		q := &queue{Name: name, Account: req.Account, Region: req.Region, Attrs: map[string]string{},
			Created: now.Truncate(time.Second), Modified: now.Truncate(time.Second)}
		for k, v := range defaultAttrs {
			q.Attrs[k] = v
		}
		if isFifo {
			for k, v := range fifoDefaults {
				q.Attrs[k] = v
			}
		}
		if err := validateAttrs(tx, q, attrs, true); err != nil {
			return err
		}
		old, err := loadQueue(tx, name)
		if err != nil {
			return err
		}
		if old != nil {
			// Re-creating with the same attributes returns the URL; any
			// difference is QueueAlreadyExists.
			for _, k := range sortedKeys(attrs) {
				if old.Attrs[k] != attrs[k] {
					return sqsError("QueueNameExists", "A queue already exists with the same name and a different value for attribute %s", k)
				}
			}
			return nil
		}
		if d := tx.Bucket(deletedBucket); d != nil {
			var at time.Time
			if ok, _ := d.GetJSON(name, &at); ok && now.Sub(at) < 60*time.Second {
				return sqsError("QueueDeletedRecently", "You must wait 60 seconds after deleting a queue before you can create another queue with the same name.")
			}
		}
		for k, v := range attrs {
			q.Attrs[k] = v
		}
		if len(tags) > 0 {
			q.Tags = tags
		}
		if _, err := tx.CreateBucketIfNotExists(msgBucket(name)); err != nil {
			return err
		}
		return saveQueue(tx, q)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"QueueUrl": queueURL(req, req.Account, name)}, nil
}

func getQueueURL(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	name, _ := req.Input["QueueName"].(string)
	if name == "" {
		return nil, errMissing("QueueName")
	}
	account := req.Account
	ns := req.Store
	if owner, _ := req.Input["QueueOwnerAWSAccountId"].(string); owner != "" && owner != req.Account {
		if !validAccount(owner) {
			return nil, errNoQueue()
		}
		account = owner
		ns = req.Services().Store(owner, req.Region, "sqs")
	}
	var found bool
	err := ns.View(func(tx *store.Tx) error {
		q, err := loadQueue(tx, name)
		found = q != nil
		return err
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoQueue()
	}
	return map[string]any{"QueueUrl": queueURL(req, account, name)}, nil
}

func listQueues(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	prefix, _ := req.Input["QueueNamePrefix"].(string)
	token, _ := req.Input["NextToken"].(string)
	max, hasMax := req.Input["MaxResults"].(int64)
	if hasMax && (max < 1 || max > 1000) {
		return nil, errParam("Value %d for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.", max)
	}
	if !hasMax {
		max = 1000
	}
	after := ""
	if token != "" {
		b, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return nil, errParam("Invalid NextToken value.")
		}
		after = string(b)
	}
	var names []string
	more := false
	err := req.Store.View(func(tx *store.Tx) error {
		b := tx.Bucket(queuesBucket)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		k, _, ok := c.Seek(prefix)
		for ; ok && strings.HasPrefix(k, prefix); k, _, ok = c.Next() {
			if after != "" && k <= after {
				continue
			}
			if int64(len(names)) == max {
				more = true
				break
			}
			names = append(names, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if len(names) > 0 {
		urls := make([]any, len(names))
		for i, n := range names {
			urls[i] = queueURL(req, req.Account, n)
		}
		out["QueueUrls"] = urls
	}
	if more && hasMax {
		out["NextToken"] = base64.RawURLEncoding.EncodeToString([]byte(names[len(names)-1]))
	}
	return out, nil
}

func deleteQueue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	t, err := resolve(req, str(req.Input["QueueUrl"]))
	if err != nil {
		return nil, err
	}
	now := req.Clock.Now()
	err = t.ns.Update(func(tx *store.Tx) error {
		q, err := loadQueue(tx, t.name)
		if err != nil {
			return err
		}
		if q == nil {
			return errNoQueue()
		}
		if err := tx.Bucket(queuesBucket).Delete(t.name); err != nil {
			return err
		}
		if err := tx.DeleteBucket(msgBucket(t.name)); err != nil {
			return err
		}
		if err := tx.DeleteBucket(dedupBucket(t.name)); err != nil {
			return err
		}
		if err := tx.DeleteBucket(attemptBucket(t.name)); err != nil {
			return err
		}
		d, err := tx.CreateBucketIfNotExists(deletedBucket)
		if err != nil {
			return err
		}
		return d.PutJSON(t.name, now)
	})
	if err != nil {
		return nil, err
	}
	notify(t.ns, t.name)
	return nil, nil
}

// withQueue runs fn on the queue of QueueUrl in a read-write transaction and
// saves it afterwards when fn reports a change.
func withQueue(req *emulator.Request, write bool, fn func(tx *store.Tx, q *queue) (changed bool, err error)) (*target, error) {
	t, err := resolve(req, str(req.Input["QueueUrl"]))
	if err != nil {
		return nil, err
	}
	run := func(tx *store.Tx) error {
		q, err := loadQueue(tx, t.name)
		if err != nil {
			return err
		}
		if q == nil {
			return errNoQueue()
		}
		changed, err := fn(tx, q)
		if err != nil || !changed {
			return err
		}
		return saveQueue(tx, q)
	}
	if write {
		err = t.ns.Update(run)
	} else {
		err = t.ns.View(run)
	}
	return t, err
}

func str(v any) string { s, _ := v.(string); return s }

func getQueueAttributes(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	names, _ := req.Input["AttributeNames"].([]any)
	want := map[string]bool{}
	for _, n := range names {
		s := str(n)
		if s != "All" && settable[s] == nil && !contains(computed, s) {
			return nil, sqsError("InvalidAttributeName", "Unknown Attribute %s.", s)
		}
		want[s] = true
	}
	attrs := map[string]any{}
	now := req.Clock.Now()
	_, err := withQueue(req, false, func(tx *store.Tx, q *queue) (bool, error) {
		all := map[string]string{}
		for k, v := range q.Attrs {
			if v != "" {
				all[k] = v
			}
		}
		all["CreatedTimestamp"] = strconv.FormatInt(q.Created.Unix(), 10)
		all["LastModifiedTimestamp"] = strconv.FormatInt(q.Modified.Unix(), 10)
		all["QueueArn"] = q.arn()
		if want["All"] || want["ApproximateNumberOfMessages"] || want["ApproximateNumberOfMessagesNotVisible"] || want["ApproximateNumberOfMessagesDelayed"] {
			vis, inflight, delayed, err := countMessages(tx, q, now)
			if err != nil {
				return false, err
			}
			all["ApproximateNumberOfMessages"] = strconv.Itoa(vis)
			all["ApproximateNumberOfMessagesNotVisible"] = strconv.Itoa(inflight)
			all["ApproximateNumberOfMessagesDelayed"] = strconv.Itoa(delayed)
		}
		for k, v := range all {
			if want["All"] || want[k] {
				attrs[k] = v
			}
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if len(attrs) == 0 {
		return map[string]any{}, nil
	}
	return map[string]any{"Attributes": attrs}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func setQueueAttributes(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	attrs := stringMap(req.Input["Attributes"])
	now := req.Clock.Now()
	_, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		if err := validateAttrs(tx, q, attrs, false); err != nil {
			return false, err
		}
		for k, v := range attrs {
			q.Attrs[k] = v
		}
		q.Modified = now.Truncate(time.Second)
		return true, nil
	})
	return nil, err
}

func purgeQueue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	now := req.Clock.Now()
	t, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		if !q.LastPurge.IsZero() && now.Sub(q.LastPurge) < 60*time.Second {
			return false, sqsError("PurgeQueueInProgress", "Only one PurgeQueue operation on %s is allowed every 60 seconds.", q.Name)
		}
		q.LastPurge = now
		if err := tx.DeleteBucket(msgBucket(q.Name)); err != nil {
			return false, err
		}
		_, err := tx.CreateBucketIfNotExists(msgBucket(q.Name))
		return true, err
	})
	if err != nil {
		return nil, err
	}
	notify(t.ns, t.name)
	return nil, nil
}

func tagQueue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	tags := stringMap(req.Input["Tags"])
	if len(tags) == 0 {
		return nil, errMissing("Tags")
	}
	_, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		if q.Tags == nil {
			q.Tags = map[string]string{}
		}
		for k, v := range tags {
			q.Tags[k] = v
		}
		if len(q.Tags) > 50 {
			return false, errParam("Too many tags added for queue %s.", q.Name)
		}
		return true, nil
	})
	return nil, err
}

func untagQueue(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	keys, _ := req.Input["TagKeys"].([]any)
	if len(keys) == 0 {
		return nil, errMissing("TagKeys")
	}
	_, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		for _, k := range keys {
			delete(q.Tags, str(k))
		}
		return true, nil
	})
	return nil, err
}

func listQueueTags(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	out := map[string]any{}
	_, err := withQueue(req, false, func(tx *store.Tx, q *queue) (bool, error) {
		if len(q.Tags) > 0 {
			tags := map[string]any{}
			for k, v := range q.Tags {
				tags[k] = v
			}
			out["Tags"] = tags
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func listDeadLetterSourceQueues(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	var urls []any
	_, err := withQueue(req, false, func(tx *store.Tx, dlq *queue) (bool, error) {
		return false, tx.Bucket(queuesBucket).ForEach(func(k string, v []byte) error {
			var q queue
			if err := json.Unmarshal(v, &q); err != nil {
				return err
			}
			if arn, _ := q.redrive(); arn == dlq.arn() {
				urls = append(urls, queueURL(req, q.Account, q.Name))
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if urls == nil {
		urls = []any{}
	}
	return map[string]any{"queueUrls": urls}, nil
}
