package interop

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// AWS_ENDPOINT_URL alone (no BaseEndpoint in code) sends an unchanged
// program's calls to fakecloud: the SDK's standard config resolution.
func TestAWSEndpointURLFromEnvironment(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", binary.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", Region)
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, err := GetHealth(ctx, binary.URL)
	if err != nil {
		t.Fatal(err)
	}
	// The program under test: nothing fakecloud-specific in it.
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	if h.Serves("s3") {
		ran++
		c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
		bucket := uniq("go-envurl")
		must(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})).ok(t)
		out := must(c.ListBuckets(ctx, &s3.ListBucketsInput{})).ok(t)
		found := false
		for _, b := range out.Buckets {
			found = found || aws.ToString(b.Name) == bucket
		}
		if !found {
			t.Errorf("ListBuckets via AWS_ENDPOINT_URL does not list %s", bucket)
		}
	}
	if h.Serves("sqs") {
		ran++
		c := sqs.NewFromConfig(cfg)
		q := must(c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(uniq("go-envurl"))})).ok(t)
		if aws.ToString(q.QueueUrl) == "" {
			t.Error("CreateQueue via AWS_ENDPOINT_URL returned no QueueUrl")
		}
	}
	if ran == 0 {
		t.Skip("fakecloud serves neither s3 nor sqs yet")
	}
}
