package s3

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// subresource is one stored bucket configuration (?cors, ?lifecycle ...):
// Put stores the input member, Get returns it, Delete removes it.
type subresource struct {
	put, get, del string // operation names ("" when S3 has none)
	member        string // the Put input member holding the configuration
	// missing is the error for Get when nothing is stored; nil means Get
	// answers def (or an empty output).
	missingCode, missingMsg string
	def                     func() any
	validate                func(v any) error
}

var subresources = []subresource{
	{put: "PutBucketTagging", get: "GetBucketTagging", del: "DeleteBucketTagging", member: "Tagging",
		missingCode: "NoSuchTagSet", missingMsg: "The TagSet does not exist", validate: validateBucketTags},
	{put: "PutBucketCors", get: "GetBucketCors", del: "DeleteBucketCors", member: "CORSConfiguration",
		missingCode: "NoSuchCORSConfiguration", missingMsg: "The CORS configuration does not exist", validate: validateCORS},
	{put: "PutBucketLifecycleConfiguration", get: "GetBucketLifecycleConfiguration", del: "DeleteBucketLifecycle",
		member: "LifecycleConfiguration", missingCode: "NoSuchLifecycleConfiguration", missingMsg: "The lifecycle configuration does not exist"},
	{put: "PutBucketPolicy", get: "GetBucketPolicy", del: "DeleteBucketPolicy", member: "Policy",
		missingCode: "NoSuchBucketPolicy", missingMsg: "The bucket policy does not exist", validate: validatePolicy},
	// S3 encrypts every bucket with SSE-S3 unless told otherwise, and
	// GetBucketEncryption says so rather than answering
	// ServerSideEncryptionConfigurationNotFoundError.
	{put: "PutBucketEncryption", get: "GetBucketEncryption", del: "DeleteBucketEncryption", member: "ServerSideEncryptionConfiguration",
		def: defaultEncryption},
	{put: "PutPublicAccessBlock", get: "GetPublicAccessBlock", del: "DeletePublicAccessBlock", member: "PublicAccessBlockConfiguration",
		missingCode: "NoSuchPublicAccessBlockConfiguration", missingMsg: "The public access block configuration was not found"},
	{put: "PutBucketOwnershipControls", get: "GetBucketOwnershipControls", del: "DeleteBucketOwnershipControls", member: "OwnershipControls",
		missingCode: "OwnershipControlsNotFoundError", missingMsg: "The bucket ownership controls were not found"},
	{put: "PutBucketNotificationConfiguration", get: "GetBucketNotificationConfiguration", member: "NotificationConfiguration",
		def: func() any { return map[string]any{} }},
	{put: "PutBucketWebsite", get: "GetBucketWebsite", del: "DeleteBucketWebsite", member: "WebsiteConfiguration",
		missingCode: "NoSuchWebsiteConfiguration", missingMsg: "The specified bucket does not have a website configuration"},
	{put: "PutBucketLogging", get: "GetBucketLogging", member: "BucketLoggingStatus",
		def: func() any { return map[string]any{} }},
	{put: "PutBucketAccelerateConfiguration", get: "GetBucketAccelerateConfiguration", member: "AccelerateConfiguration",
		def: func() any { return map[string]any{} }},
	{put: "PutBucketRequestPayment", get: "GetBucketRequestPayment", member: "RequestPaymentConfiguration",
		def: func() any { return map[string]any{"Payer": "BucketOwner"} }},
}

func defaultEncryption() any {
	return map[string]any{"Rules": []any{map[string]any{
		"ApplyServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": false}}}
}

func configHandlers() map[string]emulator.Handler {
	hs := map[string]emulator.Handler{}
	for _, sr := range subresources {
		sr := sr
		hs[sr.put] = sr.putHandler
		hs[sr.get] = sr.getHandler
		if sr.del != "" {
			hs[sr.del] = sr.delHandler
		}
	}
	return hs
}

func (sr subresource) putHandler(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	v, ok := req.Input[sr.member]
	if !ok {
		return nil, errMalformedXML()
	}
	if sr.validate != nil {
		if err := sr.validate(v); err != nil {
			return nil, err
		}
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return nil, b.updateMeta(func(m *bucketMeta) error {
		if m.Config == nil {
			m.Config = map[string][]byte{}
		}
		m.Config[sr.member] = raw
		return nil
	})
}

func (sr subresource) getHandler(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	var v any
	if raw, ok := b.meta.Config[sr.member]; ok {
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
	} else if sr.def != nil {
		v = sr.def()
	} else {
		return nil, errNoSuchConfig(sr.missingCode, sr.missingMsg, b.meta.Name)
	}
	out := map[string]any{}
	if payload := req.Operation.Output.Shape.Payload; payload != "" {
		out[payload] = v
	} else if m, ok := v.(map[string]any); ok {
		out = m
	}
	return normalizeOutput(req, out)
}

func (sr subresource) delHandler(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	b, err := lookupBucket(req, str(req.Input, "Bucket"))
	if err != nil {
		return nil, err
	}
	return nil, b.updateMeta(func(m *bucketMeta) error {
		delete(m.Config, sr.member)
		return nil
	})
}

// normalizeOutput brings values read back from JSON (float64 numbers, time
// strings) to the canonical types of the operation's output shape.
func normalizeOutput(req *emulator.Request, out map[string]any) (map[string]any, error) {
	if req.Operation == nil || req.Operation.Output == nil {
		return out, nil
	}
	v, err := protocol.Normalize(req.Operation.Output, out)
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	return m, nil
}

func validateBucketTags(v any) error {
	m, _ := v.(map[string]any)
	tags := tagsFromSet(listOf(m, "TagSet"))
	if len(tags) > 50 {
		return errInvalidTag("Bucket tag count cannot be greater than 50")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			return errInvalidTag("Cannot provide multiple Tags with the same key")
		}
		seen[t.Key] = true
		if strings.HasPrefix(t.Key, "aws:") {
			return errInvalidTag("System tags cannot be added/updated by requester")
		}
	}
	return nil
}

func validateCORS(v any) error {
	m, _ := v.(map[string]any)
	rules := listOf(m, "CORSRules")
	if len(rules) == 0 || len(rules) > 100 {
		return errMalformedXML()
	}
	for _, r := range rules {
		rm, _ := r.(map[string]any)
		for _, meth := range listOf(rm, "AllowedMethods") {
			switch meth {
			case "GET", "PUT", "POST", "DELETE", "HEAD":
			default:
				return errInvalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is %v", meth)
			}
		}
		if len(listOf(rm, "AllowedOrigins")) == 0 || len(listOf(rm, "AllowedMethods")) == 0 {
			return errMalformedXML()
		}
	}
	return nil
}

func validatePolicy(v any) error {
	s, _ := v.(string)
	var doc map[string]any
	if !strings.HasPrefix(strings.TrimSpace(s), "{") || json.Unmarshal([]byte(s), &doc) != nil {
		return emulator.Errorf("MalformedPolicy", http.StatusBadRequest, "Policies must be valid JSON and the first byte must be '{'")
	}
	if _, ok := doc["Statement"]; !ok {
		return emulator.Errorf("MalformedPolicy", http.StatusBadRequest, "Missing required field Statement")
	}
	return nil
}
