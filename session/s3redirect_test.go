package session

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// 4.96: a 200 whose body is an S3 <Error> is an error with its real code
// and status 500, and is retried; an empty 200 CopyObject body is success.
func TestS3ErrorInside200IsRetried_4_96(t *testing.T) {
	errBody := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>r1</RequestId><HostId>h1</HostId></Error>`
	ok := `<CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>`
	srv := newFakeAWS(t, cannedResponse{200, nil, errBody}, cannedResponse{200, nil, ok})
	c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	noSleep(c)
	out, err := c.Call(context.Background(), "CopyObject", Params{"Bucket": "b", "Key": "k", "CopySource": "src/k"})
	if err != nil || out.String("CopyObjectResult.ETag") != `"e"` || out.ResponseMetadata.RetryAttempts != 1 || len(srv.requests()) != 2 {
		t.Fatalf("out %+v err %v requests %d", out, err, len(srv.requests()))
	}

	srv = newFakeAWS(t, cannedResponse{200, nil, errBody})
	c, _ = testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL, Config: &Config{Retries: &RetryConfig{TotalMaxAttempts: Int(1)}}})
	_, err = c.Call(context.Background(), "CompleteMultipartUpload", Params{"Bucket": "b", "Key": "k", "UploadId": "u"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "InternalError" || ae.HTTPStatus != 500 || ae.RequestID != "r1" {
		t.Fatalf("err %#v", err)
	}

	srv = newFakeAWS(t, cannedResponse{200, nil, ``})
	c, _ = testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	if _, err := c.Call(context.Background(), "CopyObject", Params{"Bucket": "b", "Key": "k", "CopySource": "src/k"}); err != nil {
		t.Errorf("empty 200 CopyObject: %v", err)
	}
	// Other operations never look inside a 200.
	srv = newFakeAWS(t, cannedResponse{200, nil, errBody})
	c, _ = testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	if _, err := c.Call(context.Background(), "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "x"}); err != nil {
		t.Errorf("PutObject: %v", err)
	}
}

// regionalS3 answers like an S3 bucket living in bucketRegion: requests
// signed for another region get the given error.
type regionalS3 struct {
	mu     sync.Mutex
	scopes []string
	ops    []string
}

func newRegionalS3(t *testing.T, bucketRegion string, wrong func(w http.ResponseWriter, r *http.Request)) (*regionalS3, *httptest.Server) {
	rs := &regionalS3{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		rs.mu.Lock()
		rs.scopes = append(rs.scopes, scopeRegion(auth))
		rs.ops = append(rs.ops, r.Method+" "+r.URL.Path)
		rs.mu.Unlock()
		if scopeRegion(auth) != bucketRegion {
			wrong(w, r)
			return
		}
		w.Header().Set("ETag", `"e"`)
		_, _ = w.Write([]byte("data"))
	}))
	t.Cleanup(srv.Close)
	return rs, srv
}

func scopeRegion(auth string) string {
	parts := strings.Split(auth, "/")
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

// 4.97: PermanentRedirect with x-amz-bucket-region re-signs for that region
// and resends; the region is cached for the next call on the same client.
func TestS3RegionRedirect_4_97(t *testing.T) {
	rs, srv := newRegionalS3(t, "eu-west-1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amz-bucket-region", "eu-west-1")
		w.WriteHeader(301)
		_, _ = w.Write([]byte(`<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Bucket>b</Bucket></Error>`))
	})
	c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	if _, err := c.Call(context.Background(), "GetObject", Params{"Bucket": "b", "Key": "k"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(context.Background(), "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "x"}); err != nil {
		t.Fatal(err)
	}
	want := []string{"us-east-1", "eu-west-1", "eu-west-1"}
	if strings.Join(rs.scopes, ",") != strings.Join(want, ",") {
		t.Errorf("signing regions %v, want %v", rs.scopes, want)
	}
	// Another bucket is not affected by the cache.
	c.Call(context.Background(), "GetObject", Params{"Bucket": "other", "Key": "k"})
	if rs.scopes[3] != "us-east-1" {
		t.Errorf("other bucket signed for %s", rs.scopes[3])
	}
}

// 4.97: AuthorizationHeaderMalformed names the region in the body; a
// HeadObject 301 without any region asks HeadBucket.
func TestS3RegionRedirectFromBodyAndHeadBucket_4_97(t *testing.T) {
	rs, srv := newRegionalS3(t, "ap-south-1", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'us-east-1' is wrong; expecting 'ap-south-1'</Message><Region>ap-south-1</Region></Error>`))
	})
	c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	if _, err := c.Call(context.Background(), "GetObject", Params{"Bucket": "b", "Key": "k"}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(rs.scopes, ",") != "us-east-1,ap-south-1" {
		t.Errorf("scopes %v", rs.scopes)
	}

	rs, srv = newRegionalS3(t, "eu-north-1", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead && r.URL.Path == "/b" {
			w.Header().Set("x-amz-bucket-region", "eu-north-1")
		}
		w.WriteHeader(301)
	})
	c, _ = testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	if _, err := c.Call(context.Background(), "HeadObject", Params{"Bucket": "b", "Key": "k"}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(rs.ops, ",") != "HEAD /b/k,HEAD /b,HEAD /b/k" || rs.scopes[2] != "eu-north-1" {
		t.Errorf("ops %v scopes %v", rs.ops, rs.scopes)
	}
}
