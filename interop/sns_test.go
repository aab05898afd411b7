package interop

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// snsEnvelope is the JSON notification SNS delivers to an SQS subscriber
// without RawMessageDelivery.
type snsEnvelope struct {
	Type              string
	MessageId         string
	TopicArn          string
	Subject           string
	Message           string
	Timestamp         string
	SignatureVersion  string
	Signature         string
	SigningCertURL    string
	UnsubscribeURL    string
	MessageAttributes map[string]struct{ Type, Value string }
}

// A topic fans a publish out to two SQS subscriptions: one gets SNS's JSON
// envelope (with the message attributes inside it), the raw one gets the
// bare body with the attributes as SQS message attributes.
func TestSNSPublishToSQSEnvelopeAndRaw(t *testing.T) {
	eachTarget(t, "sns", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		if !tg.serves("sqs") {
			t.Skip("fakecloud does not serve sqs yet")
		}
		n, q := sns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
		topic := must(n.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(uniq("go-topic"))})).ok(t)
		if !strings.HasPrefix(aws.ToString(topic.TopicArn), "arn:aws:sns:us-east-1:") {
			t.Fatalf("TopicArn = %s", aws.ToString(topic.TopicArn))
		}
		queue := func(name string) (url, arn string) {
			u := must(q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(uniq(name))})).ok(t).QueueUrl
			a := must(q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: u,
				AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})).ok(t)
			return aws.ToString(u), a.Attributes["QueueArn"]
		}
		envURL, envARN := queue("go-env")
		rawURL, rawARN := queue("go-raw")
		envSub := must(n.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"),
			Endpoint: &envARN, ReturnSubscriptionArn: true})).ok(t)
		must(n.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"),
			Endpoint: &rawARN, Attributes: map[string]string{"RawMessageDelivery": "true"}})).ok(t)
		subs := must(n.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: topic.TopicArn})).ok(t)
		if len(subs.Subscriptions) != 2 {
			t.Errorf("ListSubscriptionsByTopic = %d subscriptions, want 2", len(subs.Subscriptions))
		}
		attrs := must(n.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: envSub.SubscriptionArn})).ok(t)
		if attrs.Attributes["Protocol"] != "sqs" || attrs.Attributes["Endpoint"] != envARN || attrs.Attributes["TopicArn"] != aws.ToString(topic.TopicArn) {
			t.Errorf("GetSubscriptionAttributes = %v", attrs.Attributes)
		}

		pub := must(n.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("hello sns"),
			Subject: aws.String("greeting"), MessageAttributes: map[string]snstypes.MessageAttributeValue{
				"kind": {DataType: aws.String("String"), StringValue: aws.String("hi")}}})).ok(t)

		recv := func(url string) sqstypes.Message {
			for i := 0; i < 5; i++ {
				r := must(q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &url, WaitTimeSeconds: 1,
					MessageAttributeNames: []string{"All"}})).ok(t)
				if len(r.Messages) > 0 {
					return r.Messages[0]
				}
			}
			t.Fatalf("no message delivered to %s", url)
			return sqstypes.Message{}
		}
		var env snsEnvelope
		if err := json.Unmarshal([]byte(aws.ToString(recv(envURL).Body)), &env); err != nil {
			t.Fatalf("envelope is not JSON: %v", err)
		}
		if env.Type != "Notification" || env.MessageId != aws.ToString(pub.MessageId) || env.TopicArn != aws.ToString(topic.TopicArn) ||
			env.Message != "hello sns" || env.Subject != "greeting" || env.SignatureVersion != "1" || env.Signature == "" ||
			env.SigningCertURL == "" || !strings.Contains(env.UnsubscribeURL, "Action=Unsubscribe") || env.Timestamp == "" {
			t.Errorf("envelope = %+v", env)
		}
		if a := env.MessageAttributes["kind"]; a.Type != "String" || a.Value != "hi" {
			t.Errorf("envelope MessageAttributes = %v", env.MessageAttributes)
		}
		raw := recv(rawURL)
		if aws.ToString(raw.Body) != "hello sns" || aws.ToString(raw.MessageAttributes["kind"].StringValue) != "hi" {
			t.Errorf("raw delivery body %q attributes %v", aws.ToString(raw.Body), raw.MessageAttributes)
		}

		batch := must(n.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: topic.TopicArn, PublishBatchRequestEntries: []snstypes.PublishBatchRequestEntry{
			{Id: aws.String("a"), Message: aws.String("one")}, {Id: aws.String("b"), Message: aws.String("two")}}})).ok(t)
		if len(batch.Successful) != 2 || len(batch.Failed) != 0 {
			t.Errorf("PublishBatch: %d ok, %v failed", len(batch.Successful), batch.Failed)
		}
		must(n.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: envSub.SubscriptionArn})).ok(t)
		must(n.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: topic.TopicArn})).ok(t)
		_, err := n.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: topic.TopicArn})
		var nf *snstypes.NotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("GetTopicAttributes of a deleted topic: %v, want NotFoundException", err)
		}
	})
}

// A filter policy on the subscription drops messages whose attributes do
// not match it.
func TestSNSFilterPolicy(t *testing.T) {
	eachTarget(t, "sns", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		if !tg.serves("sqs") {
			t.Skip("fakecloud does not serve sqs yet")
		}
		n, q := sns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
		topic := must(n.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(uniq("go-filter"))})).ok(t)
		u := must(q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(uniq("go-filtered"))})).ok(t).QueueUrl
		arn := must(q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: u,
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})).ok(t).Attributes["QueueArn"]
		must(n.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: &arn,
			Attributes: map[string]string{"RawMessageDelivery": "true", "FilterPolicy": `{"color":["red"],"size":[{"numeric":[">",10]}]}`}})).ok(t)
		for _, m := range []struct{ body, color, size string }{{"blue-20", "blue", "20"}, {"red-5", "red", "5"}, {"red-20", "red", "20"}} {
			must(n.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String(m.body),
				MessageAttributes: map[string]snstypes.MessageAttributeValue{
					"color": {DataType: aws.String("String"), StringValue: aws.String(m.color)},
					"size":  {DataType: aws.String("Number"), StringValue: aws.String(m.size)}}})).ok(t)
		}
		var got []string
		for i := 0; i < 3; i++ {
			r := must(q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: u, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})).ok(t)
			for _, m := range r.Messages {
				got = append(got, aws.ToString(m.Body))
				must(q.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: u, ReceiptHandle: m.ReceiptHandle})).ok(t)
			}
			if len(got) > 0 {
				break
			}
		}
		if len(got) != 1 || got[0] != "red-20" {
			t.Errorf("filtered delivery = %v, want [red-20]", got)
		}
	})
}
