package s3

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/protocol/restxml"
)

// corsRule is one stored CORSRule (PutBucketCors' decoded input, as JSON).
type corsRule struct {
	AllowedOrigins []string `json:"AllowedOrigins"`
	AllowedMethods []string `json:"AllowedMethods"`
	AllowedHeaders []string `json:"AllowedHeaders"`
	ExposeHeaders  []string `json:"ExposeHeaders"`
	MaxAgeSeconds  *int64   `json:"MaxAgeSeconds"`
}

func corsRules(m bucketMeta) []corsRule {
	raw, ok := m.Config["CORSConfiguration"]
	if !ok {
		return nil
	}
	var cfg struct {
		CORSRules []corsRule `json:"CORSRules"`
	}
	if json.Unmarshal(raw, &cfg) != nil {
		return nil
	}
	return cfg.CORSRules
}

// wildMatch matches s against a CORS pattern with at most one '*' (S3
// allows one wildcard in an AllowedOrigin or AllowedHeader).
func wildMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

func anyMatch(patterns []string, s string, fold bool) (string, bool) {
	for _, p := range patterns {
		if wildMatch(p, s, fold) {
			return p, true
		}
	}
	return "", false
}

// matchCORS finds the first rule that allows origin and method and, for a
// preflight, every requested header: S3 evaluates rules in order and uses
// the first match.
func matchCORS(rules []corsRule, origin, method string, reqHeaders []string) (*corsRule, string) {
	for i := range rules {
		r := &rules[i]
		pat, ok := anyMatch(r.AllowedOrigins, origin, false)
		if !ok {
			continue
		}
		if _, ok := anyMatch(r.AllowedMethods, method, false); !ok {
			continue
		}
		allHeaders := true
		for _, h := range reqHeaders {
			if _, ok := anyMatch(r.AllowedHeaders, h, true); !ok {
				allHeaders = false
				break
			}
		}
		if allHeaders {
			return r, pat
		}
	}
	return nil, ""
}

// setCORSHeaders writes the Access-Control-* headers S3 sends for a matched
// rule: the origin echoed (or * for a "*" rule, then without credentials),
// the rule's methods, exposed headers and max age, and the requested
// headers on a preflight.
func setCORSHeaders(h http.Header, r *corsRule, pattern, origin string, reqHeaders []string) {
	if pattern == "*" {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(r.AllowedMethods, ", "))
	if len(reqHeaders) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(reqHeaders, ", "))
	}
	if len(r.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(r.ExposeHeaders, ", "))
	}
	if r.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.FormatInt(*r.MaxAgeSeconds, 10))
	}
	h.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

// splitHeaderList splits Access-Control-Request-Headers ("a, B") into
// lower-case names.
func splitHeaderList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// withCORS adds the CORS headers of a matching rule to the answer of a
// request that carries Origin, as S3 does for every bucket operation.
func withCORS(h emulator.Handler) emulator.Handler {
	return func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
		out, err := h(ctx, req)
		if err != nil || req.HTTP == nil {
			return out, err
		}
		origin := req.HTTP.Header.Get("Origin")
		bucket := str(req.Input, "Bucket")
		if origin == "" || bucket == "" {
			return out, err
		}
		b, lerr := lookupBucket(req, bucket)
		if lerr != nil {
			return out, err
		}
		if r, pat := matchCORS(corsRules(b.meta), origin, req.HTTP.Method, nil); r != nil {
			setCORSHeaders(req.ResponseHeader, r, pat, origin, nil)
		}
		return out, err
	}
}

// preflight answers a CORS preflight (OPTIONS /bucket[/key] with Origin and
// Access-Control-Request-Method) from the bucket's CORS rules, as S3 does:
// 200 with the Access-Control-Allow-* headers of the first rule allowing
// origin, method and every requested header; 403 AccessForbidden when no
// rule does or the bucket has no CORS configuration; 400 BadRequest when
// Origin or the requested method is missing or not one S3 knows.
func preflight(ctx context.Context, req *emulator.Request, w http.ResponseWriter) error {
	bucket, key := bucketKey(req.HTTP)
	if bucket == "" {
		return emulator.ErrNotHandled
	}
	r := req.HTTP
	origin := r.Header.Get("Origin")
	if origin == "" {
		return emulator.Errorf("BadRequest", http.StatusBadRequest, "Insufficient information. Origin request header needed.")
	}
	method := r.Header.Get("Access-Control-Request-Method")
	switch method {
	case "GET", "PUT", "POST", "DELETE", "HEAD":
	default:
		if method == "" {
			method = "null"
		}
		return emulator.Errorf("BadRequest", http.StatusBadRequest, "Invalid Access-Control-Request-Method: %s", method)
	}
	b, err := lookupBucket(req, bucket)
	if err != nil {
		return err
	}
	resource := "BUCKET"
	if key != "" {
		resource = "OBJECT"
	}
	rules := corsRules(b.meta)
	if len(rules) == 0 {
		return withFields(errCORSNotAllowed("CORS is not enabled for this bucket."), "Method", method, "ResourceType", resource)
	}
	reqHeaders := splitHeaderList(r.Header.Get("Access-Control-Request-Headers"))
	rule, pat := matchCORS(rules, origin, method, reqHeaders)
	if rule == nil {
		// S3's message, spelling ("evalution") included.
		return withFields(errCORSNotAllowed("This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."),
			"Method", method, "ResourceType", resource)
	}
	setCORSHeaders(w.Header(), rule, pat, origin, reqHeaders)
	return restxml.WriteS3Raw(w, http.StatusOK, meta(req), nil)
}

func errCORSNotAllowed(msg string) *protocol.APIError {
	return emulator.Errorf("AccessForbidden", http.StatusForbidden, "CORSResponse: %s", msg)
}

// meta is the response metadata of req for answers written by hand.
func meta(req *emulator.Request) protocol.ResponseMeta {
	return protocol.ResponseMeta{RequestID: req.RequestID, HostID: req.HostID}
}

// bucketKey splits a path-style request path into bucket and key.
func bucketKey(r *http.Request) (bucket, key string) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ = strings.Cut(p, "/")
	return bucket, key
}
