package session

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// sensitiveHeaders are never logged with their values (8.12).
var sensitiveHeaders = map[string]bool{
	"authorization":                                         true,
	"proxy-authorization":                                   true,
	"x-amz-security-token":                                  true,
	"x-amz-server-side-encryption-customer-key":             true,
	"x-amz-copy-source-server-side-encryption-customer-key": true,
}

// sensitiveQuery are presigned-URL parameters never logged with values.
var sensitiveQuery = []string{"X-Amz-Signature", "X-Amz-Security-Token", "Signature", "SecurityToken", "x-amz-security-token"}

func (c *Client) logf(msg string, args ...any) {
	if c.log == nil {
		return
	}
	c.log.LogAttrs(context.Background(), slog.LevelDebug, msg, toAttrs(args)...)
}

func toAttrs(args []any) []slog.Attr {
	out := make([]slog.Attr, 0, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		k, _ := args[i].(string)
		out = append(out, slog.Any(k, args[i+1]))
	}
	return out
}

// redactHeaders renders headers sorted by name with secret values replaced.
func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if sensitiveHeaders[strings.ToLower(k)] {
			out[k] = "REDACTED"
			continue
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}

// redactURL hides presign signatures and tokens in a URL's query.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.RawQuery == "" {
		return u.String()
	}
	q := u.Query()
	changed := false
	for _, k := range sensitiveQuery {
		if q.Has(k) {
			q.Set(k, "REDACTED")
			changed = true
		}
	}
	if !changed {
		return u.String()
	}
	cp := *u
	cp.RawQuery = q.Encode()
	return cp.String()
}
