package interop

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// Send, receive and delete over SQS's JSON protocol; the SDK checks
// MD5OfMessageBody and MD5OfMessageAttributes on every send and receive, so
// a wrong digest fails the call.
func TestSQSSendReceiveDelete(t *testing.T) {
	eachTarget(t, "sqs", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := sqs.NewFromConfig(cfg)
		name := uniq("go-q")
		q := must(c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &name, Attributes: map[string]string{"VisibilityTimeout": "30"}})).ok(t)
		url := must(c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: &name})).ok(t)
		if aws.ToString(url.QueueUrl) != aws.ToString(q.QueueUrl) {
			t.Errorf("GetQueueUrl = %s, CreateQueue = %s", aws.ToString(url.QueueUrl), aws.ToString(q.QueueUrl))
		}
		body := "hello from aws-sdk-go-v2"
		sent := must(c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: &body,
			MessageAttributes: map[string]types.MessageAttributeValue{
				"kind": {DataType: aws.String("String"), StringValue: aws.String("greeting")},
				"n":    {DataType: aws.String("Number"), StringValue: aws.String("42")},
			}})).ok(t)
		sum := md5.Sum([]byte(body))
		if aws.ToString(sent.MD5OfMessageBody) != hex.EncodeToString(sum[:]) {
			t.Errorf("MD5OfMessageBody = %s", aws.ToString(sent.MD5OfMessageBody))
		}
		batch := must(c.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: q.QueueUrl, Entries: []types.SendMessageBatchRequestEntry{
			{Id: aws.String("a"), MessageBody: aws.String("one")}, {Id: aws.String("b"), MessageBody: aws.String("two")},
		}})).ok(t)
		if len(batch.Successful) != 2 || len(batch.Failed) != 0 {
			t.Errorf("SendMessageBatch: %d ok, %v failed", len(batch.Successful), batch.Failed)
		}
		attrs := must(c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})).ok(t)
		if n, _ := strconv.Atoi(attrs.Attributes["ApproximateNumberOfMessages"]); n != 3 {
			t.Errorf("ApproximateNumberOfMessages = %q, want 3", attrs.Attributes["ApproximateNumberOfMessages"])
		}
		if attrs.Attributes["VisibilityTimeout"] != "30" {
			t.Errorf("VisibilityTimeout = %q", attrs.Attributes["VisibilityTimeout"])
		}

		got := map[string]bool{}
		for i := 0; i < 5 && len(got) < 3; i++ {
			r := must(c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10,
				MessageAttributeNames: []string{"All"}, WaitTimeSeconds: 1})).ok(t)
			for _, m := range r.Messages {
				got[aws.ToString(m.Body)] = true
				if aws.ToString(m.Body) == body && aws.ToString(m.MessageAttributes["kind"].StringValue) != "greeting" {
					t.Errorf("attribute kind = %v", m.MessageAttributes["kind"])
				}
				must(c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: m.ReceiptHandle})).ok(t)
			}
		}
		if !got[body] || !got["one"] || !got["two"] {
			t.Errorf("received %v", got)
		}
		list := must(c.ListQueues(ctx, &sqs.ListQueuesInput{QueueNamePrefix: &name})).ok(t)
		if len(list.QueueUrls) != 1 {
			t.Errorf("ListQueues(%s) = %v", name, list.QueueUrls)
		}
		must(c.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: q.QueueUrl})).ok(t)
		_, err := c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: &name})
		if code, status := apiErr(err); code != "AWS.SimpleQueueService.NonExistentQueue" && code != "QueueDoesNotExist" || status != 400 {
			t.Errorf("GetQueueUrl of a deleted queue: code %q status %d (%v)", code, status, err)
		}
	})
}

// A FIFO queue keeps order within a message group and drops a duplicate
// MessageDeduplicationId.
func TestSQSFIFOOrderAndDeduplication(t *testing.T) {
	eachTarget(t, "sqs", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := sqs.NewFromConfig(cfg)
		q := must(c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(uniq("go-fifo") + ".fifo"),
			Attributes: map[string]string{"FifoQueue": "true"}})).ok(t)
		for _, b := range []string{"1", "2", "2", "3"} {
			must(c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String(b),
				MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d" + b)})).ok(t)
		}
		var order []string
		for i := 0; i < 5 && len(order) < 3; i++ {
			r := must(c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10})).ok(t)
			for _, m := range r.Messages {
				order = append(order, aws.ToString(m.Body))
				must(c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: m.ReceiptHandle})).ok(t)
			}
		}
		if len(order) != 3 || order[0] != "1" || order[1] != "2" || order[2] != "3" {
			t.Errorf("FIFO received %v, want [1 2 3]", order)
		}
	})
}
