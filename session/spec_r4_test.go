package session

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ddb "github.com/fakecloud/fakecloud/session/dynamodb"
)

func bigMetricData(n int) []any {
	var md []any
	for i := 0; i < n; i++ {
		md = append(md, map[string]any{"MetricName": fmt.Sprintf("metric-%04d-padding-padding", i), "Value": float64(i)})
	}
	return md
}

// 3.22: an operation with the requestcompression trait (CloudWatch
// PutMetricData) is gzipped when the body reaches
// request_min_compression_size_bytes, with Content-Encoding: gzip; below it,
// or with disable_request_compression, it goes out as it is.
func TestRequestCompression_3_22(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, map[string]string{"Content-Type": "application/x-amz-json-1.0"}, `{}`})
	s := testSession(t)
	ctx := context.Background()
	cases := []struct {
		name    string
		cfg     *Config
		n       int
		gzipped bool
	}{
		{"large default", nil, 400, true},
		{"small default", nil, 2, false},
		{"small with low minimum", &Config{RequestMinCompressionSizeBytes: 1}, 2, true},
		{"large disabled", &Config{DisableRequestCompression: Bool(true)}, 400, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := s.Client("cloudwatch", ClientOptions{EndpointURL: srv.URL, Config: tc.cfg})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Call(ctx, "PutMetricData", Params{"Namespace": "ns", "MetricData": bigMetricData(tc.n)}); err != nil {
				t.Fatal(err)
			}
			r := srv.requests()[i]
			body := []byte(r.Body)
			if got := r.Header.Get("Content-Encoding") == "gzip"; got != tc.gzipped {
				t.Fatalf("Content-Encoding = %q, want gzip=%v", r.Header.Get("Content-Encoding"), tc.gzipped)
			}
			if tc.gzipped {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Contains(body, []byte("metric-0001")) {
				t.Errorf("decoded body lacks the metric data: %.200q", body)
			}
			// The signature covers the compressed bytes the server received.
			if !strings.Contains(r.Header.Get("Authorization"), "Signature=") {
				t.Error("request not signed")
			}
		})
	}
	// The env variable turns it off too (3.22 via AWS_DISABLE_REQUEST_COMPRESSION).
	s2, err := New(Options{Region: "us-east-1", AccessKeyID: "AK", SecretAccessKey: "SK",
		Env: writeFiles(t, "", "", map[string]string{"AWS_DISABLE_REQUEST_COMPRESSION": "true"})})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s2.Client("cloudwatch", ClientOptions{EndpointURL: srv.URL})
	if _, err := c.Call(ctx, "PutMetricData", Params{"Namespace": "ns", "MetricData": bigMetricData(400)}); err != nil {
		t.Fatal(err)
	}
	if ce := srv.requests()[len(cases)].Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("AWS_DISABLE_REQUEST_COMPRESSION=true still sent Content-Encoding %q", ce)
	}
	// Operations without the trait are never compressed.
	d, _ := s.Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{RequestMinCompressionSizeBytes: 1}})
	if _, err := d.Call(ctx, "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	if ce := srv.requests()[len(cases)+1].Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("ListTables compressed: %q", ce)
	}
}

// 3.19: inject_host_prefix (default true) prepends the model's hostPrefix
// even to a custom endpoint (servicediscovery DiscoverInstances →
// data-<host>); false leaves the host alone.
func TestInjectHostPrefix_3_19(t *testing.T) {
	s := testSession(t)
	var hosts []string
	for _, inject := range []*bool{nil, Bool(false)} {
		c, err := s.Client("servicediscovery", ClientOptions{EndpointURL: "http://localhost:1", Config: &Config{InjectHostPrefix: inject}})
		if err != nil {
			t.Fatal(err)
		}
		c.Events().Register("before-send", func(_ context.Context, e *Event) (any, error) {
			hosts = append(hosts, e.Request.URL.Host)
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`))}, nil
		})
		if _, err := c.Call(context.Background(), "DiscoverInstances", Params{"NamespaceName": "ns", "ServiceName": "svc"}); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"data-localhost:1", "localhost:1"}; fmt.Sprint(hosts) != fmt.Sprint(want) {
		t.Errorf("hosts = %v, want %v", hosts, want)
	}
}

// writeCert makes a self-signed ECDSA certificate for cn and writes the
// cert and key PEM files, returning their paths and the combined file.
func writeCert(t *testing.T, cn string) (certFile, keyFile, combined string, cert tls.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cp := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	kp := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	dir := t.TempDir()
	certFile, keyFile, combined = filepath.Join(dir, cn+".crt"), filepath.Join(dir, cn+".key"), filepath.Join(dir, cn+".pem")
	for f, b := range map[string][]byte{certFile: cp, keyFile: kp, combined: append(append([]byte{}, cp...), kp...)} {
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cert, err = tls.X509KeyPair(cp, kp)
	if err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, combined, cert
}

// 3.18: client_cert presents a TLS client certificate (mutual TLS), as a
// combined PEM path or a (cert, key) pair; a server that requires one
// refuses a client without it.
func TestClientCert_3_18(t *testing.T) {
	certFile, keyFile, combined, _ := writeCert(t, "fakecloud-client")
	_, _, _, serverCert := writeCert(t, "server")
	pool := x509.NewCertPool()
	pem, _ := os.ReadFile(certFile)
	pool.AppendCertsFromPEM(pem)
	var seen []string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.TLS.PeerCertificates[0].Subject.CommonName)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		io.WriteString(w, `{"TableNames":[]}`)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.Config.ErrorLog = stdlog.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	s := testSession(t)
	ctx := context.Background()
	for _, cfg := range []*Config{{ClientCert: combined}, {ClientCert: certFile, ClientKey: keyFile}} {
		c, err := s.Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Verify: Bool(false), Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Call(ctx, "ListTables", nil); err != nil {
			t.Fatalf("with client cert %+v: %v", cfg, err)
		}
		c.Close()
	}
	if fmt.Sprint(seen) != "[fakecloud-client fakecloud-client]" {
		t.Errorf("server saw client certs %v", seen)
	}
	c, _ := s.Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Verify: Bool(false), Config: &Config{Retries: &RetryConfig{TotalMaxAttempts: Int(1)}}})
	noSleep(c)
	var ce *EndpointConnectionError
	if _, err := c.Call(ctx, "ListTables", nil); !errors.As(err, &ce) {
		t.Errorf("without client cert: %v, want EndpointConnectionError", err)
	}
	if _, err := s.Client("dynamodb", ClientOptions{Config: &Config{ClientCert: filepath.Join(t.TempDir(), "missing.pem")}}); err == nil {
		t.Error("a missing client_cert file made a client")
	}
}

// 5.11: choose-service-name may rename the service; creating-client-class.<svc>
// receives the new client (a handler extends it by registering on its
// events, and an error fails creation); boto3's
// creating-resource-class.<svc>.<Type> fires for the service resource and
// for each resource built.
func TestClientCreationEvents_5_11(t *testing.T) {
	s := testSession(t)
	var names []string
	s.Events().Register("choose-service-name", func(_ context.Context, e *Event) (any, error) {
		names = append(names, e.Name+":"+e.ServiceName)
		if e.ServiceName == "my-alias" {
			return "sqs", nil
		}
		return nil, nil
	})
	s.Events().Register("creating-client-class", func(_ context.Context, e *Event) (any, error) {
		names = append(names, e.Name)
		if e.Client == nil {
			return nil, errors.New("no client")
		}
		// A customisation: every call of this client is short-circuited.
		e.Client.Events().Register("before-call", func(context.Context, *Event) (any, error) {
			return &Output{Data: map[string]any{"Customised": true}}, nil
		})
		return nil, nil
	})
	s.Events().Register("creating-resource-class.dynamodb", func(_ context.Context, e *Event) (any, error) {
		names = append(names, e.Name+":"+e.ResourceType)
		return nil, nil
	})
	c, err := s.Client("my-alias", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Meta().ServiceName != "sqs" {
		t.Errorf("renamed service = %q", c.Meta().ServiceName)
	}
	out, err := c.Call(context.Background(), "ListQueues", nil)
	if err != nil || out.Data["Customised"] != true {
		t.Errorf("customised client: %v %v", out, err)
	}
	r, err := s.Resource("dynamodb", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Resource("Table", "t1"); err != nil {
		t.Fatal(err)
	}
	want := "[choose-service-name:my-alias creating-client-class.sqs choose-service-name:dynamodb creating-client-class.dynamodb " +
		"creating-resource-class.dynamodb.ServiceResource:ServiceResource creating-resource-class.dynamodb.Table:Table]"
	if fmt.Sprint(names) != want {
		t.Errorf("events:\n got %v\nwant %s", names, want)
	}
	s.Events().Register("creating-client-class.s3", func(context.Context, *Event) (any, error) { return nil, errors.New("refused") })
	if _, err := s.Client("s3", ClientOptions{}); err == nil || err.Error() != "refused" {
		t.Errorf("a failing creating-client-class handler: %v", err)
	}
}

// 8.12: with a Logger the client writes botocore-like debug lines (request
// made, http request sent, response, retry) and never a secret: not the
// secret key, the session token, the signature or an SSE-C key, nor any
// body. Without one it logs nothing.
func TestSessionLogging_8_12(t *testing.T) {
	srv := newFakeAWS(t,
		cannedResponse{500, map[string]string{"x-amz-request-id": "RID500"}, ``},
		cannedResponse{200, map[string]string{"x-amz-request-id": "RID200", "ETag": `"e"`}, ``})
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const secret, token, ssec = "SUPERSECRETKEY", "SESSIONTOKENVALUE", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	s, err := New(Options{Region: "us-east-1", AccessKeyID: "AKID", SecretAccessKey: secret, SessionToken: token,
		Env: writeFiles(t, "", "", nil), Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Client("s3", ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	noSleep(c)
	if _, err := c.Call(context.Background(), "PutObject", Params{"Bucket": "b", "Key": "k", "Body": []byte("BODYSECRET"),
		"SSECustomerAlgorithm": "AES256", "SSECustomerKey": "0123456789abcdef0123456789abcdef"}); err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	for _, want := range []string{"Client created", "Making request for OperationModel(name=PutObject)", "Sending http request",
		"attempt=2", "status=500", "RID200", "Retry needed", "Authorization:REDACTED", "X-Amz-Security-Token:REDACTED"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	sig := srv.requests()[1].Header.Get("Authorization")
	sig = sig[strings.Index(sig, "Signature=")+len("Signature="):]
	for _, secretText := range []string{secret, token, ssec, "0123456789abcdef0123456789abcdef", "BODYSECRET", sig} {
		if strings.Contains(log, secretText) {
			t.Errorf("log contains secret %q", secretText)
		}
	}
	if !strings.Contains(log, "level=DEBUG") || strings.Contains(log, "level=INFO") {
		t.Errorf("log lines are not all debug")
	}

	// No Logger: nothing, even with a debug-level default logger.
	var dbuf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&dbuf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	q := testSession(t)
	d, _ := q.Client("s3", ClientOptions{EndpointURL: srv.URL})
	if _, err := d.Call(context.Background(), "ListBuckets", nil); err != nil || dbuf.Len() != 0 {
		t.Errorf("client without Logger logged %q (err %v)", dbuf.String(), err)
	}
}

// 6.17 through the Table resource: the filter is built before the key
// condition with one placeholder counter, as boto3 1.26 sends it, and the
// values reach the wire as AttributeValues.
func TestTableResourceQueryPlaceholders_6_17(t *testing.T) {
	r, err := testSession(t).Resource("dynamodb", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sent map[string]any
	r.Client().Events().Register("before-call", func(_ context.Context, e *Event) (any, error) {
		sent = e.Params
		return &Output{Data: map[string]any{}}, nil
	})
	table, _ := r.Resource("Table", "t")
	params := Params{
		"KeyConditionExpression": ddb.Key("pk").Eq("a").And(ddb.Key("sk").BeginsWith("b")),
		"FilterExpression":       ddb.Attr("n").Gt(5).Or(ddb.Attr("gone").NotExists()),
	}
	if _, err := table.Action(context.Background(), "query", params); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"TableName":                "t",
		"KeyConditionExpression":   "(#n2 = :v1 AND begins_with(#n3, :v2))",
		"FilterExpression":         "(#n0 > :v0 OR attribute_not_exists(#n1))",
		"ExpressionAttributeNames": map[string]any{"#n0": "n", "#n1": "gone", "#n2": "pk", "#n3": "sk"},
		"ExpressionAttributeValues": map[string]any{":v0": map[string]any{"N": "5"}, ":v1": map[string]any{"S": "a"},
			":v2": map[string]any{"S": "b"}},
	}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Errorf("sent\n %v\nwant\n %v", sent, want)
	}
	if _, ok := params["ExpressionAttributeNames"]; ok {
		t.Error("the caller's params were modified")
	}
	// An Attr in a key condition is boto3's DynamoDBNeedsKeyConditionError.
	var nk *ddb.NeedsKeyConditionError
	if _, err := table.Action(context.Background(), "query", Params{"KeyConditionExpression": ddb.Attr("pk").Eq("a")}); !errors.As(err, &nk) {
		t.Errorf("Attr key condition: %v", err)
	}
}
