package sqs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// Message move tasks redrive a dead-letter queue: back to the queues its
// messages came from, or to a DestinationArn. A task counts the DLQ's
// visible messages when it starts (ApproximateNumberOfMessagesToMove) and
// moves them at MaxNumberOfMessagesPerSecond on the emulator clock, so a
// test steps the clock to watch a RUNNING task progress; without a rate
// the task moves everything at once, as SQS's "system optimized" rate
// appears to a test. Progress is applied whenever a task is looked at
// (start, list, cancel) and on every receive in the namespace.

const tasksBucket = "movetasks" // "<dlq name>\n<started key>" -> moveTask

type moveTask struct {
	ID          string    `json:"id"`
	SourceArn   string    `json:"source"`
	Destination string    `json:"dest,omitempty"`
	Rate        int64     `json:"rate,omitempty"`
	Status      string    `json:"status"`
	Moved       int64     `json:"moved"`
	ToMove      int64     `json:"toMove"`
	Started     time.Time `json:"started"`
	Failure     string    `json:"failure,omitempty"`
}

// taskHandle is what SQS returns: base64 of {"taskId", "sourceArn"}.
type taskHandle struct {
	TaskID    string `json:"taskId"`
	SourceArn string `json:"sourceArn"`
}

func (t *moveTask) handle() string {
	b, _ := json.Marshal(taskHandle{TaskID: t.ID, SourceArn: t.SourceArn})
	return base64.StdEncoding.EncodeToString(b)
}

func taskKey(queue string, started time.Time, id string) string {
	return queue + "\n" + started.UTC().Format("20060102T150405.000000000") + "\n" + id
}

// isDLQ reports whether some queue of the namespace names arn in its
// RedrivePolicy.
func isDLQ(tx *store.Tx, arn string) (bool, error) {
	b := tx.Bucket(queuesBucket)
	if b == nil {
		return false, nil
	}
	found := false
	err := b.ForEach(func(k string, v []byte) error {
		var q queue
		if err := json.Unmarshal(v, &q); err != nil {
			return err
		}
		if a, _ := q.redrive(); a == arn {
			found = true
		}
		return nil
	})
	return found, err
}

func errNoResource(param string) error {
	return sqsError("ResourceNotFoundException", "The resource that you specified for the %s parameter doesn't exist.", param)
}

func startMessageMoveTask(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	src := str(req.Input["SourceArn"])
	if src == "" {
		return nil, errMissing("SourceArn")
	}
	dest := str(req.Input["DestinationArn"])
	rate, hasRate := req.Input["MaxNumberOfMessagesPerSecond"].(int64)
	if hasRate && (rate < 1 || rate > 500) {
		return nil, errParam("Value %d for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.", rate)
	}
	now := req.Clock.Now()
	var task *moveTask
	var touched []string
	err := req.Store.Update(func(tx *store.Tx) error {
		dlq, err := queueByArn(tx, src)
		if err != nil {
			return err
		}
		if dlq == nil {
			return errNoResource("SourceArn")
		}
		if ok, err := isDLQ(tx, src); err != nil {
			return err
		} else if !ok {
			return errParam("Source queue must be configured as a Dead Letter Queue.")
		}
		if dest != "" {
			if !strings.HasPrefix(dest, "arn:") {
				return errParam("You must use this format to specify the DestinationArn: arn:<partition>:<service>:<region>:<account-id>:<resource-id>")
			}
			if dest == src {
				return errParam("Source queue arn and destination queue arn cannot be the same.")
			}
			d, err := queueByArn(tx, dest)
			if err != nil {
				return err
			}
			if d == nil {
				return errNoResource("DestinationArn")
			}
		}
		if touched, err = advanceTasks(req, tx, now); err != nil {
			return err
		}
		running := false
		if err := eachTask(tx, dlq.Name, func(_ string, t *moveTask) bool {
			running = running || t.Status == "RUNNING"
			return true
		}); err != nil {
			return err
		}
		if running {
			return errParam("There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
		}
		visible, _, _, err := countMessages(tx, dlq, now)
		if err != nil {
			return err
		}
		task = &moveTask{ID: req.IDs.UUID(), SourceArn: src, Destination: dest, Rate: rate, Status: "RUNNING",
			ToMove: int64(visible), Started: now}
		b, err := tx.CreateBucketIfNotExists(tasksBucket)
		if err != nil {
			return err
		}
		if err := b.PutJSON(taskKey(dlq.Name, now, task.ID), task); err != nil {
			return err
		}
		more, err := advanceTasks(req, tx, now)
		touched = append(touched, more...)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, n := range touched {
		notify(req.Store, n)
	}
	return map[string]any{"TaskHandle": task.handle()}, nil
}

// eachTask calls fn on the tasks of one DLQ, newest first, until it
// returns false.
func eachTask(tx *store.Tx, dlq string, fn func(key string, t *moveTask) bool) error {
	b := tx.Bucket(tasksBucket)
	if b == nil {
		return nil
	}
	var keys []string
	var tasks []*moveTask
	c := b.Cursor()
	prefix := dlq + "\n"
	for k, v, ok := c.Seek(prefix); ok && strings.HasPrefix(k, prefix); k, v, ok = c.Next() {
		var t moveTask
		if err := json.Unmarshal(v, &t); err != nil {
			return err
		}
		keys = append(keys, k)
		tasks = append(tasks, &t)
	}
	for i := len(tasks) - 1; i >= 0; i-- {
		if !fn(keys[i], tasks[i]) {
			break
		}
	}
	return nil
}

// advanceTasks moves the messages every RUNNING task of the namespace owes
// by now. It returns the names of the queues that received messages.
func advanceTasks(req *emulator.Request, tx *store.Tx, now time.Time) ([]string, error) {
	b := tx.Bucket(tasksBucket)
	if b == nil {
		return nil, nil
	}
	type pending struct {
		key string
		t   *moveTask
	}
	var run []pending
	err := b.ForEach(func(k string, v []byte) error {
		var t moveTask
		if err := json.Unmarshal(v, &t); err != nil {
			return err
		}
		if t.Status == "RUNNING" {
			run = append(run, pending{k, &t})
		}
		return nil
	})
	if err != nil || len(run) == 0 {
		return nil, err
	}
	var touched []string
	for _, p := range run {
		names, err := advance(req, tx, p.t, now)
		if err != nil {
			return nil, err
		}
		touched = append(touched, names...)
		if err := b.PutJSON(p.key, p.t); err != nil {
			return nil, err
		}
	}
	return touched, nil
}

// advance moves the messages t owes by now from its DLQ.
func advance(req *emulator.Request, tx *store.Tx, t *moveTask, now time.Time) ([]string, error) {
	dlq, err := queueByArn(tx, t.SourceArn)
	if err != nil {
		return nil, err
	}
	if dlq == nil {
		t.Status, t.Failure = "FAILED", "AWS.SimpleQueueService.NonExistentQueue"
		return nil, nil
	}
	due := t.ToMove
	if t.Rate > 0 {
		elapsed := now.Sub(t.Started)
		if elapsed < 0 {
			elapsed = 0
		}
		due = min(t.ToMove, int64(elapsed/time.Second)*t.Rate)
	}
	src := tx.Bucket(msgBucket(dlq.Name))
	var touched []string
	seen := map[string]bool{}
	retention := time.Duration(dlq.intAttr("MessageRetentionPeriod")) * time.Second
	for t.Moved < due {
		if src == nil {
			break
		}
		// The next visible message, oldest first.
		var key string
		var m message
		c := src.Cursor()
		for k, v, ok := c.First(); ok; k, v, ok = c.Next() {
			var x message
			if err := json.Unmarshal(v, &x); err != nil {
				return nil, err
			}
			if !now.Before(x.VisibleAt) && now.Before(x.Sent.Add(retention)) {
				key, m = k, x
				break
			}
		}
		if key == "" {
			break // fewer messages than counted: they were received or expired
		}
		destArn := t.Destination
		if destArn == "" {
			destArn = m.DLQSource
		}
		var dq *queue
		if destArn != "" {
			if dq, err = queueByArn(tx, destArn); err != nil {
				return nil, err
			}
		}
		if dq == nil {
			t.Status, t.Failure = "FAILED", "CouldNotDetermineMessageSource"
			return touched, nil
		}
		if err := src.Delete(key); err != nil {
			return nil, err
		}
		// A redriven message is a new message in its destination.
		db, err := tx.CreateBucketIfNotExists(msgBucket(dq.Name))
		if err != nil {
			return nil, err
		}
		seq, err := db.NextSequence()
		if err != nil {
			return nil, err
		}
		m.ID = req.IDs.UUID()
		m.Received, m.Receipt, m.FirstReceive, m.DLQSource = 0, "", time.Time{}, ""
		m.Sent, m.VisibleAt = now, now
		if dq.fifo() {
			m.SeqNum = fifoSeq(seq)
		} else {
			m.SeqNum, m.GroupID, m.DedupID = "", "", ""
		}
		if err := db.PutJSON(msgKey(seq), &m); err != nil {
			return nil, err
		}
		t.Moved++
		if !seen[dq.Name] {
			seen[dq.Name] = true
			touched = append(touched, dq.Name)
		}
	}
	if t.Moved >= t.ToMove {
		t.Status = "COMPLETED"
	}
	return touched, nil
}

func listMessageMoveTasks(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	src := str(req.Input["SourceArn"])
	if src == "" {
		return nil, errMissing("SourceArn")
	}
	max := int64(1)
	if n, ok := req.Input["MaxResults"].(int64); ok {
		if n < 1 || n > 10 {
			return nil, errParam("Value %d for parameter MaxResults is invalid. Reason: Must be between 1 and 10.", n)
		}
		max = n
	}
	results := []any{}
	var touched []string
	err := req.Store.Update(func(tx *store.Tx) error {
		dlq, err := queueByArn(tx, src)
		if err != nil {
			return err
		}
		if dlq == nil {
			return errNoResource("SourceArn")
		}
		if touched, err = advanceTasks(req, tx, req.Clock.Now()); err != nil {
			return err
		}
		return eachTask(tx, dlq.Name, func(_ string, t *moveTask) bool {
			r := map[string]any{"Status": t.Status, "SourceArn": t.SourceArn,
				"ApproximateNumberOfMessagesMoved": t.Moved, "ApproximateNumberOfMessagesToMove": t.ToMove,
				"StartedTimestamp": t.Started.UnixMilli()}
			if t.Status == "RUNNING" {
				r["TaskHandle"] = t.handle()
			}
			if t.Destination != "" {
				r["DestinationArn"] = t.Destination
			}
			if t.Rate > 0 {
				r["MaxNumberOfMessagesPerSecond"] = t.Rate
			}
			if t.Failure != "" {
				r["FailureReason"] = t.Failure
			}
			results = append(results, r)
			return int64(len(results)) < max
		})
	})
	if err != nil {
		return nil, err
	}
	for _, n := range touched {
		notify(req.Store, n)
	}
	return map[string]any{"Results": results}, nil
}

func cancelMessageMoveTask(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	raw := str(req.Input["TaskHandle"])
	if raw == "" {
		return nil, errMissing("TaskHandle")
	}
	var h taskHandle
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(b, &h) != nil || h.TaskID == "" || h.SourceArn == "" {
		return nil, errParam("Value for parameter TaskHandle is invalid.")
	}
	var moved int64
	var touched []string
	err = req.Store.Update(func(tx *store.Tx) error {
		dlq, err := queueByArn(tx, h.SourceArn)
		if err != nil {
			return err
		}
		if dlq == nil {
			return errNoResource("SourceArn")
		}
		if touched, err = advanceTasks(req, tx, req.Clock.Now()); err != nil {
			return err
		}
		var key string
		var task *moveTask
		if err := eachTask(tx, dlq.Name, func(k string, t *moveTask) bool {
			if t.ID == h.TaskID && t.Status == "RUNNING" {
				key, task = k, t
				return false
			}
			return true
		}); err != nil {
			return err
		}
		if task == nil {
			return sqsError("ResourceNotFoundException", "Task does not exist.")
		}
		task.Status = "CANCELLED"
		moved = task.Moved
		return tx.Bucket(tasksBucket).PutJSON(key, task)
	})
	if err != nil {
		return nil, err
	}
	for _, n := range touched {
		notify(req.Store, n)
	}
	return map[string]any{"ApproximateNumberOfMessagesMoved": moved}, nil
}
