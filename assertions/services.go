package assertions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
)

// SNSMessage is what SNSPublished looks for: a message and, when set, a
// subject and string message attributes.
type SNSMessage struct {
	Message    string
	Subject    string
	Attributes map[string]string
}

// SNSPublished asserts that a message like want was published to topic (a
// name or an ARN) with Publish: its Message and, when want sets it, its
// Subject.
//
// It reads the request journal (emu.Journal()), not the topic's
// subscribers: nothing is subscribed, received or changed, so it cannot
// disturb the code under test, and it sees messages no subscription
// matched. The journal keeps only each request's top-level scalar
// members, so message attributes and PublishBatch entries are not there:
// for those use SNSDelivered on a subscribed queue (want.Attributes set
// here is a failure saying so). Not seen either: publishes made in-process
// with Emulator.Call (only requests over HTTP or Emulator.Transport are
// journaled), publishes that failed, and requests older than the journal's
// bound (Options.JournalSize, 1000 by default).
func SNSPublished(t assert.TestingT, emu *emulator.Emulator, topic string, want SNSMessage, opts ...cmp.Option) bool {
	helper(t)
	w, opts := whereOf(opts)
	if want.Attributes != nil {
		return assert.Fail(t, "SNSPublished cannot compare message attributes (the journal keeps top-level members only); use SNSDelivered on a subscribed queue")
	}
	var seen []SNSMessage
	batches := 0
	for _, e := range emu.Journal() {
		if e.Service != "sns" || e.Status/100 != 2 || !w.journaled(e) {
			continue
		}
		arn := str(e.Input["TopicArn"])
		if arn == "" {
			arn = str(e.Input["TargetArn"])
		}
		if arn != topic && arn[strings.LastIndex(arn, ":")+1:] != topic {
			continue
		}
		switch e.Operation {
		case "PublishBatch":
			batches++
			continue
		case "Publish":
		default:
			continue
		}
		got := SNSMessage{Message: str(e.Input["Message"])}
		if want.Subject != "" {
			got.Subject = str(e.Input["Subject"])
		}
		if cmp.Equal(want, got, opts...) {
			return true
		}
		seen = append(seen, got)
	}
	note := ""
	if batches > 0 {
		note = fmt.Sprintf(" (%d PublishBatch calls to it are not looked into: use SNSDelivered)", batches)
	}
	if len(seen) == 0 {
		return assert.Fail(t, fmt.Sprintf("nothing was published to topic %s (journal: requests over HTTP only)%s; want %+v", topic, note, want))
	}
	return assert.Fail(t, fmt.Sprintf("no message published to topic %s matches%s:\n%s", topic, note, diffs(want, seen, opts)))
}

func diffs(want SNSMessage, seen []SNSMessage, opts []cmp.Option) string {
	var b strings.Builder
	for i, s := range seen {
		if i == 10 {
			fmt.Fprintf(&b, "… and %d more\n", len(seen)-i)
			break
		}
		fmt.Fprintf(&b, "message %d (-want +got):\n%s", i, cmp.Diff(want, s, opts...))
	}
	return b.String()
}

// SNSDelivered asserts that an SNS message like want (message, and subject
// and string attributes when set) reached queue (a name or URL) through a
// subscription: the SNS JSON envelope, or the raw message with
// RawMessageDelivery. Unlike SNSPublished it sees attributes and
// PublishBatch entries, and in-process publishes.
//
// SQS cannot show a message without receiving it, so SNSDelivered
// snapshots the emulator's state, receives, and restores the snapshot:
// the queue is left exactly as it was (receive counts included), but state
// written by other goroutines while it looks is lost. Only the first 100
// visible messages are looked at.
func SNSDelivered(t assert.TestingT, emu *emulator.Emulator, queue string, want SNSMessage, opts ...cmp.Option) bool {
	helper(t)
	w, opts := whereOf(opts)
	url, err := w.queueURL(emu, queue)
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("queue %s: %v", queue, err))
	}
	var snap bytes.Buffer
	if err := emu.DB().Snapshot(&snap); err != nil {
		return assert.Fail(t, fmt.Sprintf("snapshot before reading %s: %v", queue, err))
	}
	seen, found, err := w.receiveSNS(emu, url, want, opts)
	if rerr := emu.DB().Restore(&snap); rerr != nil {
		return assert.Fail(t, fmt.Sprintf("restoring state after reading %s: %v", queue, rerr))
	}
	switch {
	case err != nil:
		return assert.Fail(t, fmt.Sprintf("ReceiveMessage %s: %v", queue, err))
	case found:
		return true
	case len(seen) == 0:
		return assert.Fail(t, fmt.Sprintf("queue %s has no visible messages; want %+v", queue, want))
	}
	return assert.Fail(t, fmt.Sprintf("no SNS message in queue %s matches:\n%s", queue, diffs(want, seen, opts)))
}

func (w where) receiveSNS(emu *emulator.Emulator, url string, want SNSMessage, opts []cmp.Option) ([]SNSMessage, bool, error) {
	var seen []SNSMessage
	for len(seen) < 100 {
		got, err := w.call(emu, "sqs", "ReceiveMessage", map[string]any{"QueueUrl": url, "MaxNumberOfMessages": int64(10),
			"VisibilityTimeout": int64(60), "MessageAttributeNames": []any{"All"}})
		if err != nil {
			return nil, false, err
		}
		msgs := listOf(got["Messages"])
		if len(msgs) == 0 {
			break
		}
		for _, m := range msgs {
			sm := snsFromSQS(asMap(m), want)
			if cmp.Equal(want, sm, opts...) {
				return nil, true, nil
			}
			seen = append(seen, sm)
		}
	}
	return seen, false, nil
}

// snsFromSQS reads an SQS message delivered by SNS: the JSON envelope
// ({"Type": "Notification", "Message", "Subject", "MessageAttributes":
// {name: {"Type", "Value"}}}) or, for raw delivery, the body with SQS
// message attributes.
func snsFromSQS(m map[string]any, want SNSMessage) SNSMessage {
	body := str(m["Body"])
	var env struct {
		Type              string
		Message           string
		Subject           string
		MessageAttributes map[string]struct{ Type, Value string }
	}
	var got SNSMessage
	if json.Unmarshal([]byte(body), &env) == nil && env.Type == "Notification" {
		got.Message, got.Subject = env.Message, env.Subject
		if want.Attributes != nil {
			got.Attributes = map[string]string{}
			for k, v := range env.MessageAttributes {
				got.Attributes[k] = v.Value
			}
		}
	} else {
		got.Message = body
		if want.Attributes != nil {
			got.Attributes = map[string]string{}
			for k, v := range asMap(m["MessageAttributes"]) {
				got.Attributes[k] = str(asMap(v)["StringValue"])
			}
		}
	}
	if want.Subject == "" {
		got.Subject = ""
	}
	return got
}

func str(v any) string { s, _ := v.(string); return s }

// SecretEquals asserts the current (AWSCURRENT) value of a Secrets Manager
// secret (name or ARN): its SecretString, or its SecretBinary as a string.
func SecretEquals(t assert.TestingT, emu *emulator.Emulator, secretID, want string, msgAndArgs ...any) bool {
	helper(t)
	w, msgAndArgs := whereOf(msgAndArgs)
	got, err := w.call(emu, "secretsmanager", "GetSecretValue", map[string]any{"SecretId": secretID})
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("GetSecretValue %s: %v", secretID, err), msgAndArgs...)
	}
	live, ok := got["SecretString"].(string)
	if !ok {
		b, _ := got["SecretBinary"].([]byte)
		live = string(b)
	}
	if d := cmp.Diff(want, live); d != "" {
		return assert.Fail(t, fmt.Sprintf("secret %s differs (-want +got):\n%s", secretID, d), msgAndArgs...)
	}
	return true
}

// ParameterEquals asserts the value of an SSM parameter (name, or
// name:version / name:label), SecureString values decrypted.
func ParameterEquals(t assert.TestingT, emu *emulator.Emulator, name, want string, msgAndArgs ...any) bool {
	helper(t)
	w, msgAndArgs := whereOf(msgAndArgs)
	got, err := w.call(emu, "ssm", "GetParameter", map[string]any{"Name": name, "WithDecryption": true})
	if err != nil {
		return assert.Fail(t, fmt.Sprintf("GetParameter %s: %v", name, err), msgAndArgs...)
	}
	live := str(asMap(got["Parameter"])["Value"])
	if d := cmp.Diff(want, live); d != "" {
		return assert.Fail(t, fmt.Sprintf("parameter %s differs (-want +got):\n%s", name, d), msgAndArgs...)
	}
	return true
}
