package s3_test

import (
	"html"
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

func preflightReq(t *testing.T, w *wire, path string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, w.endpoint.String()+path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// TestCORSPreflightAnsweredFromBucketRules: an unsigned OPTIONS with Origin
// and Access-Control-Request-Method is answered 200 with the first matching
// rule's Access-Control-Allow-* headers, or 403 AccessForbidden
// CORSResponse, or 400 BadRequest without Origin or method.
func TestCORSPreflightAnsweredFromBucketRules(t *testing.T) {
	bothWires(t, func(t *testing.T, w *wire) {
		putCORS(t, w, "cors")
		w.must("CreateBucket", map[string]any{"Bucket": "plain"})
		resp, body := preflightReq(t, w, "/cors/some/key", map[string]string{"Origin": "https://app.example.com",
			"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "Content-Type, X-Amz-Meta-Foo"})
		h := resp.Header
		if resp.StatusCode != 200 || body != "" || h.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
			h.Get("Access-Control-Allow-Methods") != "GET, PUT" || h.Get("Access-Control-Allow-Headers") != "content-type, x-amz-meta-foo" ||
			h.Get("Access-Control-Max-Age") != "600" || h.Get("Access-Control-Expose-Headers") != "ETag" ||
			h.Get("Vary") != "Origin, Access-Control-Request-Headers, Access-Control-Request-Method" ||
			!s3RequestIDRe.MatchString(h.Get("x-amz-request-id")) || h.Get("x-amz-id-2") == "" {
			t.Errorf("allowed preflight: %d %q %v", resp.StatusCode, body, h)
		}
		// The second rule: any origin, GET only, no headers.
		resp, _ = preflightReq(t, w, "/cors", map[string]string{"Origin": "https://other.org", "Access-Control-Request-Method": "GET"})
		if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("wildcard rule: %d %v", resp.StatusCode, resp.Header)
		}
		for _, tc := range []struct {
			name, path string
			hdr        map[string]string
			status     int
			code, msg  string
			fields     []string
		}{
			{"method not allowed", "/cors/k", map[string]string{"Origin": "https://other.org", "Access-Control-Request-Method": "DELETE"}, 403, "AccessForbidden",
				"CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
				[]string{"<Method>DELETE</Method>", "<ResourceType>OBJECT</ResourceType>"}},
			{"header not allowed", "/cors", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization"}, 403, "AccessForbidden",
				"CORSResponse: This CORS request is not allowed.", []string{"<ResourceType>BUCKET</ResourceType>"}},
			{"no cors config", "/plain/k", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}, 403, "AccessForbidden",
				"CORSResponse: CORS is not enabled for this bucket.", []string{"<Method>GET</Method>"}},
			{"no origin", "/cors/k", map[string]string{"Access-Control-Request-Method": "GET"}, 400, "BadRequest", "Insufficient information. Origin request header needed.", nil},
			{"no method", "/cors/k", map[string]string{"Origin": "https://app.example.com"}, 400, "BadRequest", "Invalid Access-Control-Request-Method: null", nil},
			{"no bucket", "/nobucket/k", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}, 404, "NoSuchBucket", "", nil},
			{"service root", "/", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}, 405, "MethodNotAllowed", "", nil},
		} {
			resp, body := preflightReq(t, w, tc.path, tc.hdr)
			if resp.StatusCode != tc.status || !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>"+tc.code+"</Code>") ||
				!strings.Contains(html.UnescapeString(body), "<Message>"+tc.msg) || !strings.Contains(body, "<HostId>") {
				t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
			}
			for _, f := range tc.fields {
				if !strings.Contains(body, f) {
					t.Errorf("%s: no %s in %s", tc.name, f, body)
				}
			}
			if resp.Header.Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("%s: CORS headers on a refusal: %v", tc.name, resp.Header)
			}
		}
	})
}

// TestUnroutedS3RequestsGetS3Errors: a request S3 cannot map to an
// operation (PATCH, a signed OPTIONS without a bucket) is answered with S3's
// bare <Error> (no <ErrorResponse> wrapper), S3 request ids, and no body for
// HEAD.
func TestUnroutedS3RequestsGetS3Errors(t *testing.T) {
	bothWires(t, func(t *testing.T, w *wire) {
		w.must("CreateBucket", map[string]any{"Bucket": "unrouted"})
		for _, method := range []string{"PATCH", "OPTIONS"} {
			req, _ := http.NewRequest(method, w.endpoint.String()+"/", nil)
			sign(req, "us-east-1")
			resp, err := w.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if resp.StatusCode != 405 || !strings.Contains(body, "\n<Error><Code>MethodNotAllowed</Code>") || strings.Contains(body, "ErrorResponse") ||
				!s3RequestIDRe.MatchString(resp.Header.Get("x-amz-request-id")) || !strings.Contains(body, "<RequestId>"+resp.Header.Get("x-amz-request-id")+"</RequestId>") {
				t.Errorf("%s: %d %v %s", method, resp.StatusCode, resp.Header, body)
			}
		}
	})
}
