package s3_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func putCORS(t *testing.T, w *wire, bucket string) {
	t.Helper()
	w.must("CreateBucket", map[string]any{"Bucket": bucket})
	w.must("PutBucketCors", map[string]any{"Bucket": bucket, "CORSConfiguration": map[string]any{"CORSRules": []any{
		map[string]any{"AllowedOrigins": []any{"https://*.example.com"}, "AllowedMethods": []any{"GET", "PUT"},
			"AllowedHeaders": []any{"x-amz-*", "Content-Type"}, "ExposeHeaders": []any{"ETag"}, "MaxAgeSeconds": int64(600)},
		map[string]any{"AllowedOrigins": []any{"*"}, "AllowedMethods": []any{"GET"}},
	}}})
}

// TestCORSHeadersOnResponsesWhenOriginMatches: a request with Origin gets
// the Access-Control-* headers of the first rule allowing origin and method.
func TestCORSHeadersOnResponsesWhenOriginMatches(t *testing.T) {
	bothWires(t, func(t *testing.T, w *wire) {
		putCORS(t, w, "cors")
		w.must("PutObject", map[string]any{"Bucket": "cors", "Key": "k", "Body": strings.NewReader("v")})
		do := func(method, origin string) http.Header {
			req, _ := http.NewRequest(method, w.endpoint.String()+"/cors/k", strings.NewReader("v"))
			sign(req, "us-east-1")
			if origin != "" {
				req.Header.Set("Origin", origin)
			}
			resp, err := w.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("%s %s: %d", method, origin, resp.StatusCode)
			}
			return resp.Header
		}
		h := do("PUT", "https://app.example.com")
		if h.Get("Access-Control-Allow-Origin") != "https://app.example.com" || h.Get("Access-Control-Allow-Methods") != "GET, PUT" ||
			h.Get("Access-Control-Expose-Headers") != "ETag" || h.Get("Access-Control-Max-Age") != "600" || h.Get("Access-Control-Allow-Credentials") != "true" {
			t.Errorf("first rule: %v", h)
		}
		h = do("GET", "https://elsewhere.org")
		if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Methods") != "GET" || h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("wildcard rule: %v", h)
		}
		if h = do("PUT", "https://elsewhere.org"); h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("no rule allows PUT from elsewhere: %v", h)
		}
		if h = do("GET", ""); h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("no Origin, no CORS headers: %v", h)
		}
	})
}
