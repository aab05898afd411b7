package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/recorder"
	"github.com/fakecloud/fakecloud/session"
)

// startReplay runs `fakecloud replay` with args and returns its URL; the
// command stops (and is checked to exit 0) when the test ends.
func startReplay(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"replay"}, args...), pw, io.Discard)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("replay did not start: %v", err)
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("replay exit %d", code)
			}
		case <-time.After(10 * time.Second):
			t.Error("replay did not stop")
		}
	})
	url := line[strings.LastIndex(line, " ")+1 : len(line)-1]
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("no URL in %q", line)
	}
	return url
}

// boto3Calls is the workload both clients run: operation params may name
// a member of an earlier output as "$<index>.<Member>".
var boto3Calls = []replayCall{
	{"sqs", "CreateQueue", map[string]any{"QueueName": "orders"}},
	{"sqs", "SendMessage", map[string]any{"QueueUrl": "$0.QueueUrl", "MessageBody": "hello"}},
	{"sqs", "GetQueueAttributes", map[string]any{"QueueUrl": "$0.QueueUrl", "AttributeNames": []any{"QueueArn", "VisibilityTimeout"}}},
	{"dynamodb", "CreateTable", map[string]any{"TableName": "orders", "BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "id", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "id", "KeyType": "HASH"}}}},
	{"dynamodb", "PutItem", map[string]any{"TableName": "orders", "Item": map[string]any{"id": map[string]any{"S": "1"}, "n": map[string]any{"N": "42"}, "b": map[string]any{"B": "AAEC"}}}},
	{"dynamodb", "GetItem", map[string]any{"TableName": "orders", "Key": map[string]any{"id": map[string]any{"S": "1"}}}},
	{"sts", "GetCallerIdentity", map[string]any{}},
	{"s3", "CreateBucket", map[string]any{"Bucket": "cassettes"}},
	{"s3", "ListObjectsV2", map[string]any{"Bucket": "cassettes"}},
	{"s3", "GetObject", map[string]any{"Bucket": "cassettes", "Key": "missing"}},
}

type replayCall struct {
	Service   string         `json:"service"`
	Operation string         `json:"operation"`
	Params    map[string]any `json:"params"`
}

// boto3Script runs the calls (JSON on stdin) against AWS_ENDPOINT_URL and
// prints each output as JSON: ResponseMetadata dropped, datetimes as epoch
// milliseconds, bytes as base64, errors as {"Error": {"Code": ...}}.
const boto3Script = `
import base64, datetime, json, sys
import boto3, botocore, botocore.exceptions
calls = json.load(sys.stdin)
s = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-east-1")
clients = {}
outs = []
def resolve(v):
    if isinstance(v, str) and v.startswith("$"):
        i, member = v[1:].split(".", 1)
        return outs[int(i)][member]
    if isinstance(v, dict):
        return {k: resolve(e) for k, e in v.items()}
    if isinstance(v, list):
        return [resolve(e) for e in v]
    return v
def norm(v):
    if isinstance(v, dict):
        return {k: norm(e) for k, e in v.items() if k != "ResponseMetadata"}
    if isinstance(v, list):
        return [norm(e) for e in v]
    if isinstance(v, datetime.datetime):
        return int(round(v.timestamp() * 1000))
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if hasattr(v, "read"):
        return base64.b64encode(v.read()).decode()
    return v
for c in calls:
    if c["service"] not in clients:
        clients[c["service"]] = s.client(c["service"])
    params = resolve(c["params"])
    if c["service"] == "dynamodb" and "Item" in params:
        params["Item"] = {k: ({"B": base64.b64decode(a["B"])} if "B" in a else a) for k, a in params["Item"].items()}
    try:
        out = getattr(clients[c["service"]], botocore.xform_name(c["operation"]))(**params)
        outs.append(norm(out))
    except botocore.exceptions.ClientError as e:
        outs.append({"Error": {"Code": e.response["Error"]["Code"]}})
print(json.dumps(outs))
`

// needBoto3 skips the test when python3 or boto3 is missing.
func needBoto3(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH: skipping the boto3 replay test (CI has python3 with boto3)")
	}
	if out, err := exec.Command(py, "-c", "import boto3").CombinedOutput(); err != nil {
		t.Skipf("python3 cannot import boto3 (%v: %s): skipping the boto3 replay test (CI has it)", err, strings.TrimSpace(string(out)))
	}
	return py
}

func runBoto3(t *testing.T, py, endpoint string, calls []replayCall) []any {
	t.Helper()
	in, _ := json.Marshal(calls)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-c", boto3Script)
	cmd.Stdin = strings.NewReader(string(in))
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "AWS_ENDPOINT_URL="+endpoint, "AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
		"AWS_RETRY_MODE=standard", "AWS_MAX_ATTEMPTS=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, stderr.String())
	}
	var v []any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("boto3 output: %v\n%s", err, out)
	}
	return v
}

// runSession runs the calls with fakecloud's session against endpoint
// through rt, outputs in boto3Script's form.
func runSession(t *testing.T, endpoint string, rt http.RoundTripper, calls []replayCall) []any {
	t.Helper()
	s, err := session.New(session.Options{Region: "us-east-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret",
		Env: func(string) string { return "" }, ConfigFile: "/nonexistent/config", CredentialsFile: "/nonexistent/credentials"})
	if err != nil {
		t.Fatal(err)
	}
	var outs []any
	for _, c := range calls {
		cl, err := s.Client(c.Service, session.ClientOptions{EndpointURL: endpoint, HTTPClient: &http.Client{Transport: rt}})
		if err != nil {
			t.Fatal(err)
		}
		params := resolveRefs(c.Params, outs).(map[string]any)
		if item, ok := params["Item"].(map[string]any); ok {
			for k, a := range item {
				if b, ok := a.(map[string]any)["B"].(string); ok {
					raw, _ := base64.StdEncoding.DecodeString(b)
					item[k] = map[string]any{"B": raw}
				}
			}
		}
		out, err := cl.Call(context.Background(), c.Operation, session.Params(params))
		if err != nil {
			var ae *session.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("%s %s: %v", c.Service, c.Operation, err)
			}
			outs = append(outs, map[string]any{"Error": map[string]any{"Code": ae.Code}})
			continue
		}
		outs = append(outs, jsonForm(out.Data))
	}
	return outs
}

func resolveRefs(v any, outs []any) any {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "$") {
			i, member, _ := strings.Cut(x[1:], ".")
			return outs[int(i[0]-'0')].(map[string]any)[member]
		}
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = resolveRefs(e, outs)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = resolveRefs(e, outs)
		}
		return l
	}
	return v
}

// jsonForm turns session output values into what boto3Script prints after
// a JSON round trip.
func jsonForm(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonForm(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = jsonForm(e)
		}
		return l
	case time.Time:
		return float64(x.UnixMilli())
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case io.Reader:
		b, _ := io.ReadAll(x)
		if c, ok := x.(io.Closer); ok {
			c.Close()
		}
		return base64.StdEncoding.EncodeToString(b)
	case int64:
		return float64(x)
	case int:
		return float64(x)
	}
	return v
}

// withEndpoint replaces endpoint by ENDPOINT in every string of v.
func withEndpoint(v any, endpoint string) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal([]byte(strings.ReplaceAll(string(b), endpoint, "ENDPOINT")), &out)
	return out
}

// A session recorded against the emulator with fakecloud's own session,
// served by `fakecloud replay`, gives boto3 the outputs our session saw.
func TestReplayToBoto3(t *testing.T) {
	py := needBoto3(t)
	t.Setenv(recorder.EnvVar, "")
	srv := emulator.NewTestServer(t, emulator.Options{Seed: 7})
	path := filepath.Join(t.TempDir(), "boto3.yaml")
	rec, err := recorder.New(path, recorder.WithMode(recorder.Record))
	if err != nil {
		t.Fatal(err)
	}
	want := runSession(t, srv.URL, rec, boto3Calls)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	wantURL := srv.URL
	srv.Close()

	url := startReplay(t, path, "--addr", "127.0.0.1:0")
	got := runBoto3(t, py, url, boto3Calls)
	if len(got) != len(want) {
		t.Fatalf("boto3 made %d calls, session %d", len(got), len(want))
	}
	for i := range want {
		w, g := withEndpoint(want[i], wantURL), withEndpoint(got[i], url)
		if testing.Verbose() {
			gj, _ := json.Marshal(g)
			t.Logf("%s %s: %s", boto3Calls[i].Service, boto3Calls[i].Operation, gj)
		}
		if !reflect.DeepEqual(w, g) {
			wj, _ := json.Marshal(w)
			gj, _ := json.Marshal(g)
			t.Errorf("%s %s:\nsession: %s\nboto3:   %s", boto3Calls[i].Service, boto3Calls[i].Operation, wj, gj)
		}
	}
}

// With --fallback-emulator a request the cassette lacks is answered by an
// in-process emulator instead of 599; recorded ones still replay.
func TestReplayFallbackEmulator(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(replayCassette), 0o644); err != nil {
		t.Fatal(err)
	}
	url := startReplay(t, path, "--addr", "127.0.0.1:0", "--fallback-emulator", "--seed", "3")
	send := func(target, body string) (int, string) {
		req, _ := http.NewRequest("POST", url+"/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=abc")
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// Recorded: the cassette's answer (queue "orders" never exists in the
	// emulator, so this can only come from the cassette).
	if s, b := send("AmazonSQS.GetQueueUrl", `{"QueueName":"orders"}`); s != 200 || !strings.Contains(b, url+"/000000000001/orders") {
		t.Errorf("recorded call answered %d %s", s, b)
	}
	// Missing from the cassette: the emulator answers, with its state.
	if s, b := send("AmazonSQS.CreateQueue", `{"QueueName":"fresh"}`); s != 200 || !strings.Contains(b, "/fresh") {
		t.Fatalf("CreateQueue from the emulator: %d %s", s, b)
	}
	if s, b := send("AmazonSQS.GetQueueUrl", `{"QueueName":"fresh"}`); s != 200 || !strings.Contains(b, "/fresh") {
		t.Errorf("GetQueueUrl of the emulator's queue: %d %s", s, b)
	}
	if s, b := send("AmazonSQS.GetQueueUrl", `{"QueueName":"nope"}`); s != 400 || !strings.Contains(b, "QueueDoesNotExist") {
		t.Errorf("emulator's own error: %d %s", s, b)
	}
}
