package sqs

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// AddPermission and RemovePermission edit the queue's Policy attribute, as
// SQS does: each label is one statement (Sid = label) allowing the listed
// accounts' roots the listed SQS actions on the queue, in a policy whose Id
// is "<queue arn>/SQSDefaultPolicy". The policy is not enforced.

var labelRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// sharable are the actions a queue owner may grant to other accounts.
var sharable = map[string]bool{"*": true, "SendMessage": true, "ReceiveMessage": true, "DeleteMessage": true,
	"ChangeMessageVisibility": true, "GetQueueAttributes": true, "GetQueueUrl": true,
	"ListDeadLetterSourceQueues": true, "PurgeQueue": true, "ListQueueTags": true,
	"SendMessageBatch": true, "DeleteMessageBatch": true, "ChangeMessageVisibilityBatch": true}

type policyDoc struct {
	Version   string           `json:"Version"`
	ID        string           `json:"Id,omitempty"`
	Statement []map[string]any `json:"Statement"`
}

func loadPolicy(q *queue) (*policyDoc, error) {
	p := &policyDoc{Version: "2012-10-17", ID: q.arn() + "/SQSDefaultPolicy"}
	if s := q.Attrs["Policy"]; s != "" {
		if err := json.Unmarshal([]byte(s), p); err != nil {
			return nil, errInvalidValue("Policy")
		}
	}
	return p, nil
}

func strList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, str(x))
	}
	return out
}

// oneOrMany renders a policy element as SQS does: a single value bare, more
// as a list.
func oneOrMany(vals []string) any {
	if len(vals) == 1 {
		return vals[0]
	}
	l := make([]any, len(vals))
	for i, v := range vals {
		l[i] = v
	}
	return l
}

func addPermission(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	label := str(req.Input["Label"])
	accounts := strList(req.Input["AWSAccountIds"])
	actions := strList(req.Input["Actions"])
	switch {
	case label == "":
		return nil, errMissing("Label")
	case len(accounts) == 0:
		return nil, errMissing("AWSAccountId")
	case len(actions) == 0:
		return nil, errMissing("ActionName")
	}
	if !labelRE.MatchString(label) {
		return nil, errParam("Value %s for parameter Label is invalid. Reason: Must follow pattern ^([0-9a-zA-Z-_]{1,80})$", label)
	}
	if len(actions) > 7 {
		return nil, sqsError("OverLimit", "%d Actions were found, maximum allowed is 7.", len(actions))
	}
	for _, a := range actions {
		if !sharable[a] {
			return nil, errParam("Value SQS:%s for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.", a)
		}
	}
	now := req.Clock.Now()
	_, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		p, err := loadPolicy(q)
		if err != nil {
			return false, err
		}
		for _, st := range p.Statement {
			if st["Sid"] == label {
				return false, errParam("Value %s for parameter Label is invalid. Reason: Already exists.", label)
			}
		}
		principals := make([]string, len(accounts))
		for i, a := range accounts {
			principals[i] = "arn:aws:iam::" + a + ":root"
		}
		sqsActions := make([]string, len(actions))
		for i, a := range actions {
			sqsActions[i] = "SQS:" + a
		}
		sort.Strings(sqsActions)
		p.Statement = append(p.Statement, map[string]any{"Sid": label, "Effect": "Allow",
			"Principal": map[string]any{"AWS": oneOrMany(principals)}, "Action": oneOrMany(sqsActions),
			"Resource": q.arn()})
		return true, savePolicy(q, p, now)
	})
	return nil, err
}

func removePermission(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	label := str(req.Input["Label"])
	if label == "" {
		return nil, errMissing("Label")
	}
	now := req.Clock.Now()
	_, err := withQueue(req, true, func(tx *store.Tx, q *queue) (bool, error) {
		p, err := loadPolicy(q)
		if err != nil {
			return false, err
		}
		kept := p.Statement[:0]
		for _, st := range p.Statement {
			if st["Sid"] != label {
				kept = append(kept, st)
			}
		}
		if len(kept) == len(p.Statement) {
			return false, errParam("Value %s for parameter Label is invalid. Reason: can't find label on existing policy.", label)
		}
		p.Statement = kept
		return true, savePolicy(q, p, now)
	})
	return nil, err
}

// savePolicy stores p; a policy left without statements is removed, as SQS
// answers GetQueueAttributes without a Policy then.
func savePolicy(q *queue, p *policyDoc, now time.Time) error {
	q.Modified = now.Truncate(time.Second)
	if len(p.Statement) == 0 {
		delete(q.Attrs, "Policy")
		return nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	q.Attrs["Policy"] = string(b)
	return nil
}
