package sqs

import (
	"regexp"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// ReceiveRequestAttemptId deduplicates FIFO receives: a retry with the
// same id within five minutes returns the same messages with the same
// receipt handles (and restarts their visibility timeout), as long as none
// of them was deleted or had its visibility changed since; otherwise the
// retry is an ordinary receive. Standard queues ignore the id.

var attemptIDRE = regexp.MustCompile(`^[!-~]{1,128}$`)

func attemptBucket(name string) string { return "a/" + name }

// attempt is one remembered receive.
type attempt struct {
	Keys      []string    `json:"keys"`
	Receipts  []string    `json:"receipts"`
	VisibleAt []time.Time `json:"visibleAt"`
	Expires   time.Time   `json:"expires"`
}

func saveAttempt(tx *store.Tx, q *queue, id string, a *attempt) error {
	b, err := tx.CreateBucketIfNotExists(attemptBucket(q.Name))
	if err != nil {
		return err
	}
	return b.PutJSON(id, a)
}

// retryAttempt answers a receive whose attempt id was seen: done reports
// whether msgs is the answer.
func retryAttempt(req *emulator.Request, tx *store.Tx, q *queue, o *receiveOpts, now time.Time) (msgs []any, done bool, err error) {
	ab := tx.Bucket(attemptBucket(q.Name))
	if ab == nil {
		return nil, false, nil
	}
	var a attempt
	ok, err := ab.GetJSON(o.attemptID, &a)
	if err != nil || !ok {
		return nil, false, err
	}
	if !now.Before(a.Expires) || len(a.Keys) != len(a.Receipts) || len(a.Keys) != len(a.VisibleAt) {
		return nil, false, ab.Delete(o.attemptID)
	}
	b := tx.Bucket(msgBucket(q.Name))
	if b == nil {
		return nil, false, ab.Delete(o.attemptID)
	}
	ms := make([]*message, len(a.Keys))
	for i, k := range a.Keys {
		var m message
		found, err := b.GetJSON(k, &m)
		if err != nil {
			return nil, false, err
		}
		if !found || m.Receipt != a.Receipts[i] || !m.VisibleAt.Equal(a.VisibleAt[i]) {
			return nil, false, ab.Delete(o.attemptID)
		}
		ms[i] = &m
	}
	vis := o.visibility
	if vis < 0 {
		vis = q.intAttr("VisibilityTimeout")
	}
	for i, m := range ms {
		m.VisibleAt = now.Add(time.Duration(vis) * time.Second)
		a.VisibleAt[i] = m.VisibleAt
		if err := b.PutJSON(a.Keys[i], m); err != nil {
			return nil, false, err
		}
		msgs = append(msgs, o.render(q, m))
	}
	return msgs, true, ab.PutJSON(o.attemptID, &a)
}
