package s3_test

import (
	"testing"
)

func TestBucketConfigurationMissingErrors(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	for _, tc := range []struct{ get, code string }{
		{"GetBucketTagging", "NoSuchTagSet"},
		{"GetBucketCors", "NoSuchCORSConfiguration"},
		{"GetBucketLifecycleConfiguration", "NoSuchLifecycleConfiguration"},
		{"GetBucketPolicy", "NoSuchBucketPolicy"},
		{"GetPublicAccessBlock", "NoSuchPublicAccessBlockConfiguration"},
		{"GetBucketWebsite", "NoSuchWebsiteConfiguration"},
		{"GetBucketOwnershipControls", "OwnershipControlsNotFoundError"},
	} {
		h.fails(tc.get, map[string]any{"Bucket": "bkt"}, tc.code, 404)
		h.fails(tc.get, map[string]any{"Bucket": "nobucket"}, "NoSuchBucket", 404)
	}
	// Every bucket is encrypted with SSE-S3 by default.
	enc := h.must("GetBucketEncryption", map[string]any{"Bucket": "bkt"})
	rules := enc["ServerSideEncryptionConfiguration"].(map[string]any)["Rules"].([]any)
	if rules[0].(map[string]any)["ApplyServerSideEncryptionByDefault"].(map[string]any)["SSEAlgorithm"] != "AES256" {
		t.Fatalf("encryption = %v", enc)
	}
	if out := h.must("GetBucketNotificationConfiguration", map[string]any{"Bucket": "bkt"}); len(out) != 0 {
		t.Errorf("notification = %v", out)
	}
}

func TestBucketConfigurationStoredFaithfully(t *testing.T) {
	h := newHarness(t)
	h.bucket("bkt")
	cors := map[string]any{"CORSRules": []any{map[string]any{"AllowedMethods": []any{"GET", "PUT"}, "AllowedOrigins": []any{"*"},
		"MaxAgeSeconds": int64(300), "ExposeHeaders": []any{"ETag"}}}}
	h.must("PutBucketCors", map[string]any{"Bucket": "bkt", "CORSConfiguration": cors})
	out := h.must("GetBucketCors", map[string]any{"Bucket": "bkt"})
	rule := out["CORSRules"].([]any)[0].(map[string]any)
	if rule["MaxAgeSeconds"] != int64(300) || rule["AllowedMethods"].([]any)[1] != "PUT" {
		t.Fatalf("cors = %v", out)
	}
	h.fails("PutBucketCors", map[string]any{"Bucket": "bkt", "CORSConfiguration": map[string]any{"CORSRules": []any{
		map[string]any{"AllowedMethods": []any{"PATCH"}, "AllowedOrigins": []any{"*"}}}}}, "InvalidRequest", 400)
	h.must("DeleteBucketCors", map[string]any{"Bucket": "bkt"})
	h.fails("GetBucketCors", map[string]any{"Bucket": "bkt"}, "NoSuchCORSConfiguration", 404)

	h.must("PutBucketTagging", map[string]any{"Bucket": "bkt", "Tagging": map[string]any{"TagSet": []any{map[string]any{"Key": "a", "Value": "b"}}}})
	if ts := h.must("GetBucketTagging", map[string]any{"Bucket": "bkt"})["TagSet"].([]any); len(ts) != 1 {
		t.Fatalf("tags = %v", ts)
	}
	h.fails("PutBucketPolicy", map[string]any{"Bucket": "bkt", "Policy": "not json"}, "MalformedPolicy", 400)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}]}`
	h.must("PutBucketPolicy", map[string]any{"Bucket": "bkt", "Policy": policy})
	if p := h.must("GetBucketPolicy", map[string]any{"Bucket": "bkt"})["Policy"]; p != policy {
		t.Fatalf("policy = %v", p)
	}
	lc := map[string]any{"Rules": []any{map[string]any{"ID": "expire", "Status": "Enabled", "Filter": map[string]any{"Prefix": "tmp/"},
		"Expiration": map[string]any{"Days": int64(7)}}}}
	h.must("PutBucketLifecycleConfiguration", map[string]any{"Bucket": "bkt", "LifecycleConfiguration": lc})
	got := h.must("GetBucketLifecycleConfiguration", map[string]any{"Bucket": "bkt"})
	if got["Rules"].([]any)[0].(map[string]any)["Expiration"].(map[string]any)["Days"] != int64(7) {
		t.Fatalf("lifecycle = %v", got)
	}
	h.must("PutPublicAccessBlock", map[string]any{"Bucket": "bkt", "PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true}})
	if pab := h.must("GetPublicAccessBlock", map[string]any{"Bucket": "bkt"}); pab["PublicAccessBlockConfiguration"].(map[string]any)["BlockPublicAcls"] != true {
		t.Fatalf("pab = %v", pab)
	}
	h.must("PutBucketWebsite", map[string]any{"Bucket": "bkt", "WebsiteConfiguration": map[string]any{"IndexDocument": map[string]any{"Suffix": "index.html"}}})
	if w := h.must("GetBucketWebsite", map[string]any{"Bucket": "bkt"}); w["IndexDocument"].(map[string]any)["Suffix"] != "index.html" {
		t.Fatalf("website = %v", w)
	}
}
