package s3

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
)

// Event notifications: after a successful create or remove, S3 sends an
// event record to the queues and topics of the bucket's
// NotificationConfiguration whose events and key filters match. Delivery
// goes through req.Services().Call (SQS SendMessage, SNS Publish); a failed
// delivery does not fail the request, as in S3.

type filterRule struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type destConfig struct {
	ID       string   `json:"Id"`
	QueueArn string   `json:"QueueArn"`
	TopicArn string   `json:"TopicArn"`
	Events   []string `json:"Events"`
	Filter   struct {
		Key struct {
			FilterRules []filterRule `json:"FilterRules"`
		} `json:"Key"`
	} `json:"Filter"`
}

type notificationConfig struct {
	QueueConfigurations []destConfig `json:"QueueConfigurations"`
	TopicConfigurations []destConfig `json:"TopicConfigurations"`
}

func notificationsOf(m bucketMeta) notificationConfig {
	var c notificationConfig
	if raw, ok := m.Config["NotificationConfiguration"]; ok {
		_ = json.Unmarshal(raw, &c)
	}
	return c
}

func (c notificationConfig) all() []destConfig {
	return append(append([]destConfig(nil), c.QueueConfigurations...), c.TopicConfigurations...)
}

// eventMatches: "s3:ObjectCreated:*" covers every ObjectCreated event.
func eventMatches(patterns []string, event string) bool {
	for _, p := range patterns {
		if p == event || strings.HasSuffix(p, ":*") && strings.HasPrefix(event, strings.TrimSuffix(p, "*")) {
			return true
		}
	}
	return false
}

func (d destConfig) keyMatches(key string) bool {
	for _, r := range d.Filter.Key.FilterRules {
		switch strings.ToLower(r.Name) {
		case "prefix":
			if !strings.HasPrefix(key, r.Value) {
				return false
			}
		case "suffix":
			if !strings.HasSuffix(key, r.Value) {
				return false
			}
		}
	}
	return true
}

// objectEvent is what happened to one key.
type objectEvent struct {
	name      string // "s3:ObjectCreated:Put"
	key       string
	size      int64
	etag      string // quoted, as stored
	versionID string
	created   bool
}

// eventRecord renders the event as S3 sends it (eventVersion 2.1; the key
// URL-encoded, the ETag unquoted, a sequencer that grows for a key).
func eventRecord(req *emulator.Request, b *bucketRef, d destConfig, ev objectEvent) map[string]any {
	now := req.Clock.Now().UTC()
	obj := map[string]any{
		"key":       url.QueryEscape(ev.key),
		"sequencer": fmt.Sprintf("%018X", now.UnixNano()),
	}
	if ev.created {
		obj["size"] = ev.size
		obj["eTag"] = strings.Trim(ev.etag, `"`)
	}
	if ev.versionID != "" && b.meta.Versioning != "" {
		obj["versionId"] = ev.versionID
	}
	principal := "AWS:" + req.AccessKeyID
	if req.AccessKeyID == "" {
		principal = "AWS:" + req.Account
	}
	source := "127.0.0.1"
	if req.HTTP != nil {
		if host, _, ok := strings.Cut(req.HTTP.RemoteAddr, ":"); ok && host != "" && !strings.Contains(req.HTTP.RemoteAddr, "[") {
			source = host
		}
	}
	return map[string]any{"Records": []any{map[string]any{
		"eventVersion": "2.1",
		"eventSource":  "aws:s3",
		"awsRegion":    b.meta.Region,
		"eventTime":    now.Format("2006-01-02T15:04:05.000Z"),
		"eventName":    strings.TrimPrefix(ev.name, "s3:"),
		"userIdentity": map[string]any{"principalId": principal},
		"requestParameters": map[string]any{
			"sourceIPAddress": source,
		},
		"responseElements": map[string]any{
			"x-amz-request-id": req.RequestID,
			"x-amz-id-2":       req.IDs.Base64(76),
		},
		"s3": map[string]any{
			"s3SchemaVersion": "1.0",
			"configurationId": d.ID,
			"bucket": map[string]any{
				"name":          b.meta.Name,
				"ownerIdentity": map[string]any{"principalId": canonicalID(b.account)},
				"arn":           "arn:aws:s3:::" + b.meta.Name,
			},
			"object": obj,
		},
	}}}
}

// deliver sends body to a destination's queue or topic. It reports whether
// the destination accepted it.
func deliver(ctx context.Context, req *emulator.Request, d destConfig, body string) error {
	switch {
	case d.QueueArn != "":
		region, account, name, ok := splitArn(d.QueueArn, "sqs")
		if !ok {
			return fmt.Errorf("bad queue arn %q", d.QueueArn)
		}
		_, err := req.Services().Call(ctx, account, region, "sqs", "SendMessage", map[string]any{
			"QueueUrl": "http://sqs." + region + ".localhost/" + account + "/" + name, "MessageBody": body})
		return err
	case d.TopicArn != "":
		region, account, _, ok := splitArn(d.TopicArn, "sns")
		if !ok {
			return fmt.Errorf("bad topic arn %q", d.TopicArn)
		}
		_, err := req.Services().Call(ctx, account, region, "sns", "Publish", map[string]any{
			"TopicArn": d.TopicArn, "Message": body, "Subject": "Amazon S3 Notification"})
		return err
	}
	return nil
}

// splitArn parses arn:aws:<service>:<region>:<account>:<name>.
func splitArn(arn, service string) (region, account, name string, ok bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[2] != service || p[3] == "" || p[4] == "" || p[5] == "" {
		return "", "", "", false
	}
	return p[3], p[4], p[5], true
}

func marshalEvent(v any) string {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(sb.String(), "\n")
}

// notify delivers ev to every matching destination of the bucket.
func notify(ctx context.Context, req *emulator.Request, b *bucketRef, ev objectEvent) {
	for _, d := range notificationsOf(b.meta).all() {
		if eventMatches(d.Events, ev.name) && d.keyMatches(ev.key) {
			_ = deliver(ctx, req, d, marshalEvent(eventRecord(req, b, d, ev)))
		}
	}
}

// validateNotifications checks that every destination exists, sending
// each the s3:TestEvent as S3 does when the configuration is put; S3
// refuses the configuration with InvalidArgument naming the destinations it
// could not reach.
func validateNotifications(ctx context.Context, req *emulator.Request, bucket string, cfg map[string]any) error {
	raw, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	var c notificationConfig
	if err := json.Unmarshal(raw, &c); err != nil {
		return errMalformedXML()
	}
	test := marshalEvent(map[string]any{"Service": "Amazon S3", "Event": "s3:TestEvent",
		"Time": req.Clock.Now().UTC().Format("2006-01-02T15:04:05.000Z"), "Bucket": bucket,
		"RequestId": req.RequestID, "HostId": req.IDs.Base64(76)})
	var failed []string
	for _, d := range c.all() {
		if len(d.Events) == 0 {
			return errMalformedXML()
		}
		for _, e := range d.Events {
			if !strings.HasPrefix(e, "s3:") {
				return errInvalidArgument("The event is not supported for notifications")
			}
		}
		if err := deliver(ctx, req, d, test); err != nil {
			failed = append(failed, d.QueueArn+d.TopicArn)
		}
	}
	if len(failed) > 0 {
		e := errInvalidArgument("Unable to validate the following destination configurations")
		return withFields(e, "ArgumentName", failed[0], "ArgumentValue", "Permissions on the destination queue do not allow S3 to publish notifications from this bucket")
	}
	return nil
}

// withEvents emits the event of a successful create or remove operation.
func withEvents(op string, h emulator.Handler) emulator.Handler {
	var kind string
	switch op {
	case "PutObject":
		kind = "s3:ObjectCreated:Put"
	case "CopyObject":
		kind = "s3:ObjectCreated:Copy"
	case "PostObject": // a browser POST upload (post.go)
		kind = "s3:ObjectCreated:Post"
	case "CompleteMultipartUpload":
		kind = "s3:ObjectCreated:CompleteMultipartUpload"
	case "DeleteObject", "DeleteObjects":
		kind = "s3:ObjectRemoved:Delete"
	case "PutBucketNotificationConfiguration":
		return func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
			if _, err := lookupBucket(req, str(req.Input, "Bucket")); err != nil {
				return nil, err
			}
			if cfg := mapOf(req.Input, "NotificationConfiguration"); cfg != nil && !boolean(req.Input, "SkipDestinationValidation") {
				if err := validateNotifications(ctx, req, str(req.Input, "Bucket"), cfg); err != nil {
					return nil, err
				}
			}
			return h(ctx, req)
		}
	default:
		return h
	}
	return func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
		seen := new(bucketSeen)
		out, err := h(context.WithValue(ctx, bucketSeenKey{}, seen), req)
		if err != nil {
			return out, err
		}
		b, lerr := seen.ref, error(nil)
		if b == nil {
			b, lerr = lookupBucket(req, str(req.Input, "Bucket"))
		}
		if lerr != nil || len(notificationsOf(b.meta).all()) == 0 {
			return out, err
		}
		switch op {
		case "DeleteObject":
			notify(ctx, req, b, removedEvent(str(req.Input, "Key"), out))
		case "DeleteObjects":
			for _, d := range listOf(out, "Deleted") {
				dm, _ := d.(map[string]any)
				notify(ctx, req, b, removedEvent(str(dm, "Key"), dm))
			}
		default:
			key := str(req.Input, "Key")
			ev := objectEvent{name: kind, key: key, created: true, versionID: str(out, "VersionId")}
			if v, verr := resolveVersion(req, b, key, ev.versionID, http.MethodHead); verr == nil {
				ev.size, ev.etag, ev.versionID = v.Size, v.ETag, v.VersionID
			}
			notify(ctx, req, b, ev)
		}
		return out, err
	}
}

// bucketSeen carries the bucket a write handler looked up (its
// configuration is unchanged by the write) to withEvents, which would
// otherwise read the index and the bucket record a second time for every
// PutObject only to learn that no notification is configured.
type bucketSeen struct{ ref *bucketRef }

type bucketSeenKey struct{}

// sawBucket hands b to the withEvents wrapper of the call, if any.
func sawBucket(ctx context.Context, b *bucketRef) {
	if s, ok := ctx.Value(bucketSeenKey{}).(*bucketSeen); ok {
		s.ref = b
	}
}

func removedEvent(key string, out map[string]any) objectEvent {
	ev := objectEvent{name: "s3:ObjectRemoved:Delete", key: key, versionID: str(out, "VersionId")}
	if boolean(out, "DeleteMarker") {
		ev.name = "s3:ObjectRemoved:DeleteMarkerCreated"
		if v := str(out, "DeleteMarkerVersionId"); v != "" {
			ev.versionID = v
		}
	}
	return ev
}
