package s3_test

import (
	"net/http"
	"testing"
)

func TestCreateBucketLocationConstraintRules(t *testing.T) {
	h := newHarness(t)
	h.must("CreateBucket", map[string]any{"Bucket": "east"})
	// us-east-1 answers 200 to re-creating your own bucket.
	h.must("CreateBucket", map[string]any{"Bucket": "east"})
	h.fails("CreateBucket", map[string]any{"Bucket": "x-east", "CreateBucketConfiguration": map[string]any{"LocationConstraint": "us-east-1"}},
		"InvalidLocationConstraint", 400)
	eu := h.in("eu-west-1")
	eu.fails("CreateBucket", map[string]any{"Bucket": "eu-bucket"}, "IllegalLocationConstraintException", 400)
	eu.fails("CreateBucket", map[string]any{"Bucket": "eu-bucket", "CreateBucketConfiguration": map[string]any{"LocationConstraint": "us-west-2"}},
		"IllegalLocationConstraintException", 400)
	eu.bucket("eu-bucket")
	eu.fails("CreateBucket", map[string]any{"Bucket": "eu-bucket", "CreateBucketConfiguration": map[string]any{"LocationConstraint": "eu-west-1"}},
		"BucketAlreadyOwnedByYou", 409)
	// Names are global: another account, any region.
	h.as("210987654321").fails("CreateBucket", map[string]any{"Bucket": "east"}, "BucketAlreadyExists", 409)
	h.as("210987654321").in("eu-west-1").fails("CreateBucket", map[string]any{"Bucket": "eu-bucket",
		"CreateBucketConfiguration": map[string]any{"LocationConstraint": "eu-west-1"}}, "BucketAlreadyExists", 409)
	if out := h.must("GetBucketLocation", map[string]any{"Bucket": "eu-bucket"}); out["LocationConstraint"] != "eu-west-1" {
		t.Errorf("location = %v", out)
	}
	if out := h.must("GetBucketLocation", map[string]any{"Bucket": "east"}); out["LocationConstraint"] != nil {
		t.Errorf("us-east-1 location should be empty, got %v", out)
	}
	if out := h.must("HeadBucket", map[string]any{"Bucket": "eu-bucket"}); out["BucketRegion"] != "eu-west-1" {
		t.Errorf("head = %v", out)
	}
}

func TestCreateBucketInvalidNames(t *testing.T) {
	h := newHarness(t)
	for _, name := range []string{"ab", "UPPER", "a..b", "-ab", "ab-", "192.168.5.4", "xn--abc", "bucket-s3alias",
		"under_score", "a.-b", string(make([]byte, 64))} {
		h.fails("CreateBucket", map[string]any{"Bucket": name}, "InvalidBucketName", 400)
	}
	for _, name := range []string{"abc", "my.bucket-1", "1.2.3.bucket"} {
		h.must("CreateBucket", map[string]any{"Bucket": name})
	}
}

func TestHeadAndDeleteMissingBucketIsNoSuchBucket(t *testing.T) {
	h := newHarness(t)
	e := h.fails("HeadBucket", map[string]any{"Bucket": "nope"}, "NoSuchBucket", http.StatusNotFound)
	if e.Fields["BucketName"] != "nope" {
		t.Errorf("fields = %v", e.Fields)
	}
	h.fails("DeleteBucket", map[string]any{"Bucket": "nope"}, "NoSuchBucket", 404)
	h.fails("PutObject", map[string]any{"Bucket": "nope", "Key": "k"}, "NoSuchBucket", 404)
}

func TestDeleteBucketNotEmptyIsBucketNotEmpty(t *testing.T) {
	h := newHarness(t)
	h.bucket("full")
	h.put("full", "k", "v")
	h.fails("DeleteBucket", map[string]any{"Bucket": "full"}, "BucketNotEmpty", 409)
	h.must("DeleteObject", map[string]any{"Bucket": "full", "Key": "k"})
	h.must("DeleteBucket", map[string]any{"Bucket": "full"})
	h.fails("HeadBucket", map[string]any{"Bucket": "full"}, "NoSuchBucket", 404)
	// The name is free again, for anyone.
	h.as("210987654321").must("CreateBucket", map[string]any{"Bucket": "full"})
}

func TestListBucketsPaginatesAndFilters(t *testing.T) {
	h := newHarness(t)
	for _, n := range []string{"a-1", "a-2", "b-1", "a-3"} {
		h.bucket(n)
	}
	h.in("eu-west-1").bucket("a-eu")
	h.as("210987654321").bucket("a-other")
	out := h.must("ListBuckets", map[string]any{"MaxBuckets": int64(2), "Prefix": "a-"})
	names := bucketNames(out)
	if len(names) != 2 || names[0] != "a-1" || names[1] != "a-2" || out["ContinuationToken"] == nil || out["Prefix"] != "a-" {
		t.Fatalf("page 1 = %v", out)
	}
	out = h.must("ListBuckets", map[string]any{"MaxBuckets": int64(2), "Prefix": "a-", "ContinuationToken": out["ContinuationToken"]})
	if names := bucketNames(out); len(names) != 2 || names[0] != "a-3" || names[1] != "a-eu" || out["ContinuationToken"] != nil {
		t.Fatalf("page 2 = %v", out)
	}
	out = h.must("ListBuckets", map[string]any{"BucketRegion": "eu-west-1"})
	if names := bucketNames(out); len(names) != 1 || names[0] != "a-eu" {
		t.Fatalf("region filter = %v", out)
	}
	h.fails("ListBuckets", map[string]any{"MaxBuckets": int64(0)}, "InvalidArgument", 400)
}

func bucketNames(out map[string]any) []string {
	var names []string
	for _, b := range out["Buckets"].([]any) {
		names = append(names, b.(map[string]any)["Name"].(string))
	}
	return names
}
