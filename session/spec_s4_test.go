package session

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// callWith makes a client for svc against a fakeAWS answering resp and
// returns the call's result and the recorded request.
func callWith(t *testing.T, svc, op string, params Params, resp cannedResponse) (*Output, error, recorded) {
	t.Helper()
	srv := newFakeAWS(t, resp)
	c, err := testSession(t).Client(svc, ClientOptions{EndpointURL: srv.URL, Config: &Config{Retries: &RetryConfig{TotalMaxAttempts: Int(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Call(context.Background(), op, params)
	reqs := srv.requests()
	if len(reqs) == 0 {
		return out, err, recorded{}
	}
	return out, err, reqs[0]
}

// 4.01: one method per operation named by xform_name; the snake_case name
// is accepted by Call and MethodToAPI maps it back.
func TestMethodNames_4_01(t *testing.T) {
	s := testSession(t)
	cases := map[string]map[string]string{
		"s3":  {"put_object": "PutObject", "list_objects_v2": "ListObjectsV2"},
		"iam": {"list_mfa_devices": "ListMFADevices", "get_saml_provider": "GetSAMLProvider", "create_open_id_connect_provider": "CreateOpenIDConnectProvider"},
	}
	for svc, m := range cases {
		c, err := s.Client(svc, ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for method, op := range m {
			if got := c.Meta().MethodToAPI[method]; got != op {
				t.Errorf("%s MethodToAPI[%s] = %q, want %s", svc, method, got, op)
			}
		}
	}
	c, _ := s.Client("dynamodb", ClientOptions{})
	var names []string
	c.Events().Register("before-call", func(_ context.Context, e *Event) (any, error) {
		names = append(names, e.Operation)
		return &Output{Data: map[string]any{}}, nil
	})
	for _, n := range []string{"list_tables", "ListTables"} {
		if _, err := c.Call(context.Background(), n, nil); err != nil {
			t.Fatal(err)
		}
	}
	var um *UnknownClientMethodError
	if _, err := c.Call(context.Background(), "listTables", nil); !errors.As(err, &um) {
		t.Errorf("listTables: %v", err)
	}
	if strings.Join(names, ",") != "ListTables,ListTables" {
		t.Errorf("operations %v", names)
	}
}

// 4.03: the output holds only the members present; ResponseMetadata has the
// status, the headers (case-insensitive lookup, as botocore lower-cases
// them), the request id and RetryAttempts.
func TestOutputShapeAndMetadata_4_03(t *testing.T) {
	out, err, _ := callWith(t, "dynamodb", "ListTables", nil, cannedResponse{200,
		map[string]string{"x-amzn-RequestId": "RID", "Content-Type": "application/x-amz-json-1.0"}, `{"TableNames":["a"]}`})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Data["LastEvaluatedTableName"]; ok || len(out.Data) != 1 {
		t.Errorf("data %v", out.Data)
	}
	m := out.ResponseMetadata
	if m.HTTPStatusCode != 200 || m.RequestID != "RID" || m.RetryAttempts != 0 || m.HTTPHeaders.Get("x-amzn-requestid") != "RID" {
		t.Errorf("metadata %+v", m)
	}
}

// 4.04: RequestId from the query/ec2 body, the json header, S3's
// x-amz-request-id with HostId from x-amz-id-2; absent when not found.
func TestRequestIDSources_4_04(t *testing.T) {
	out, err, _ := callWith(t, "sns", "ListTopics", nil, cannedResponse{200, nil,
		`<ListTopicsResponse><ListTopicsResult/><ResponseMetadata><RequestId>Q-RID</RequestId></ResponseMetadata></ListTopicsResponse>`})
	if err != nil || out.ResponseMetadata.RequestID != "Q-RID" {
		t.Errorf("query: %+v %v", out, err)
	}
	out, err, _ = callWith(t, "ec2", "DescribeRegions", nil, cannedResponse{200, nil,
		`<DescribeRegionsResponse><requestId>E-RID</requestId><regionInfo/></DescribeRegionsResponse>`})
	if err != nil || out.ResponseMetadata.RequestID != "E-RID" {
		t.Errorf("ec2: %+v %v", out, err)
	}
	out, err, _ = callWith(t, "s3", "ListBuckets", nil, cannedResponse{200,
		map[string]string{"x-amz-request-id": "S3-RID", "x-amz-id-2": "HOST"}, `<ListAllMyBucketsResult/>`})
	if err != nil || out.ResponseMetadata.RequestID != "S3-RID" || out.ResponseMetadata.HostID != "HOST" {
		t.Errorf("s3: %+v %v", out, err)
	}
	out, err, _ = callWith(t, "dynamodb", "ListTables", nil, cannedResponse{200, nil, `{}`})
	if err != nil || out.ResponseMetadata.RequestID != "" {
		t.Errorf("absent: %+v %v", out, err)
	}
}

// 4.06, 4.07: Meta and its service model.
func TestClientMeta_4_06(t *testing.T) {
	s, _ := New(Options{Region: "us-west-2", AccessKeyID: "a", SecretAccessKey: "b", Env: writeFiles(t, "", "", nil)})
	c, err := s.Client("s3", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := c.Meta()
	if m.Region != "us-west-2" || m.EndpointURL != "https://s3.us-west-2.amazonaws.com" || m.Partition != "aws" ||
		m.Config == nil || m.Events != c.Events() || m.MethodToAPI["get_object"] != "GetObject" {
		t.Errorf("meta %+v", m)
	}
	d, _ := s.Client("dynamodb", ClientOptions{})
	md := d.Meta().ServiceModel.Metadata
	if md.APIVersion != "2012-08-10" || md.Protocol != "json" || md.SignatureVersion != "v4" || md.ServiceID != "DynamoDB" ||
		md.EndpointPrefix != "dynamodb" || md.TargetPrefix != "DynamoDB_20120810" || md.JSONVersion != "1.0" {
		t.Errorf("4.07 metadata %+v", md)
	}
	if _, ok := d.Meta().ServiceModel.Operation("PutItem"); !ok || len(d.Meta().ServiceModel.OperationNames()) < 30 {
		t.Error("4.07 operation model")
	}
}

// 4.08: Close releases idle connections; the client still works after it.
func TestCloseReleasesConnections_4_08(t *testing.T) {
	var conns atomic.Int32
	srv := &fakeAWS{responses: []cannedResponse{{200, nil, `{}`}}}
	srv.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) }))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	ctx := context.Background()
	c.Call(ctx, "ListTables", nil)
	c.Call(ctx, "ListTables", nil)
	c.Close()
	if _, err := c.Call(ctx, "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if conns.Load() != 2 {
		t.Errorf("%d connections, want 2 (one reused, one after Close)", conns.Load())
	}
}

// 4.13: modeled error members are kept beside Code and Message in Fields
// (DynamoDB's ConditionalCheckFailedException Item, newer botocore's
// top-level copy).
func TestModeledErrorFields_4_13(t *testing.T) {
	_, err, _ := callWith(t, "dynamodb", "PutItem", Params{"TableName": "tbl", "Item": map[string]any{"k": map[string]any{"S": "v"}}},
		cannedResponse{400, map[string]string{"Content-Type": "application/x-amz-json-1.0"},
			`{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"k":{"S":"old"}}}`})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "ConditionalCheckFailedException" || ae.Message != "The conditional request failed" || !ae.Modeled {
		t.Fatalf("%v", err)
	}
	item, _ := ae.Fields["Item"].(map[string]any)
	if k, _ := item["k"].(map[string]any); k["S"] != "old" {
		t.Errorf("Fields %v", ae.Fields)
	}
}

// 4.18: accepted Go types per shape: integers refuse floats and strings,
// booleans refuse strings, timestamps take time.Time, ISO-8601 strings and
// epoch numbers, blobs take []byte, string and io.Reader but not ints.
func TestAcceptedTypes_4_18(t *testing.T) {
	c, _ := testSession(t).Client("dynamodb", ClientOptions{})
	c.Events().Register("before-call", func(context.Context, *Event) (any, error) { return &Output{Data: map[string]any{}}, nil })
	ctx := context.Background()
	bad := map[string]Params{
		"Limit float":  {"Limit": 1.5},
		"Limit string": {"Limit": "5"},
	}
	for name, p := range bad {
		var pv *ParamValidationError
		if _, err := c.Call(ctx, "ListTables", p); !errors.As(err, &pv) || !strings.Contains(err.Error(), "valid types: <class 'int'>") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := c.Call(ctx, "ListTables", Params{"Limit": 5}); err != nil {
		t.Errorf("int: %v", err)
	}
	var pv *ParamValidationError
	if _, err := c.Call(ctx, "Scan", Params{"TableName": "tbl", "ConsistentRead": "true"}); !errors.As(err, &pv) || !strings.Contains(err.Error(), "<class 'bool'>") {
		t.Errorf("bool string: %v", err)
	}
	for _, ts := range []any{time.Now(), "2024-01-02T03:04:05Z", int64(1704164645), 1704164645.5} {
		if _, err := c.Call(ctx, "ListBackups", Params{"TimeRangeLowerBound": ts}); err != nil {
			t.Errorf("timestamp %T: %v", ts, err)
		}
	}
	if _, err := c.Call(ctx, "ListBackups", Params{"TimeRangeLowerBound": "garbage"}); err == nil || !strings.Contains(err.Error(), "timestamp-string") {
		t.Errorf("garbage timestamp: %v", err)
	}
	k, _ := testSession(t).Client("kms", ClientOptions{})
	k.Events().Register("before-call", func(context.Context, *Event) (any, error) { return &Output{Data: map[string]any{}}, nil })
	for _, b := range []any{[]byte("x"), "x", strings.NewReader("x")} {
		if _, err := k.Call(ctx, "Decrypt", Params{"CiphertextBlob": b}); err != nil {
			t.Errorf("blob %T: %v", b, err)
		}
	}
	if _, err := k.Call(ctx, "Decrypt", Params{"CiphertextBlob": 5}); err == nil || !strings.Contains(err.Error(), "file-like object") {
		t.Errorf("int blob: %v", err)
	}
}

// 4.20: as botocore 1.29 (the target), a non-string TableName is a
// ParamValidationError, not newer botocore's EndpointResolutionError.
func TestNonStringTableNameIsValidation_4_20(t *testing.T) {
	_, err, _ := callWith(t, "dynamodb", "DescribeTable", Params{"TableName": 5}, cannedResponse{200, nil, `{}`})
	var pv *ParamValidationError
	if !errors.As(err, &pv) {
		t.Errorf("%v", err)
	}
}

// 4.21: the default retry mode is legacy.
func TestDefaultRetryModeLegacy_4_21(t *testing.T) {
	c, _ := testSession(t).Client("sqs", ClientOptions{})
	if r := c.Meta().Config.Retries; r.Mode != "legacy" || c.retry.max != 5 {
		t.Errorf("retries %+v max %d", r, c.retry.max)
	}
}

// 4.29: adaptive mode is standard plus a client-side rate limiter: after a
// throttling answer the next send waits for a token.
func TestAdaptiveRateLimiter_4_29(t *testing.T) {
	srv := newFakeAWS(t,
		cannedResponse{400, map[string]string{"Content-Type": "application/x-amz-json-1.0"}, `{"__type":"ThrottlingException","message":"slow"}`},
		cannedResponse{400, map[string]string{"Content-Type": "application/x-amz-json-1.0"}, `{"__type":"ThrottlingException","message":"slow"}`},
		cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{Retries: &RetryConfig{Mode: "adaptive"}}})
	slept := noSleep(c)
	if c.retry.rate == nil {
		t.Fatal("adaptive mode has no rate limiter")
	}
	std, _ := testSession(t).Client("dynamodb", ClientOptions{Config: &Config{Retries: &RetryConfig{Mode: "standard"}}})
	if std.retry.rate != nil {
		t.Error("standard mode has a rate limiter")
	}
	out, err := c.Call(context.Background(), "ListTables", nil)
	if err != nil || out.ResponseMetadata.RetryAttempts != 2 {
		t.Fatalf("%v %v", out, err)
	}
	// Two backoff sleeps plus at least one rate-limiter wait.
	if len(*slept) < 3 {
		t.Errorf("slept %v: the limiter never delayed a send", *slept)
	}
}

// 4.33: every attempt re-emits request-created, before-sign, before-send and
// needs-retry and is signed afresh.
func TestEveryAttemptResigned_4_33(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{500, nil, ``}, cannedResponse{500, nil, ``}, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	noSleep(c)
	var tick int
	c.now = func() time.Time { tick++; return time.Date(2024, 1, 2, 3, 4, tick, 0, time.UTC) }
	counts := map[string]int{}
	for _, ev := range []string{"request-created", "before-sign", "before-send", "needs-retry"} {
		c.Events().Register(ev, func(_ context.Context, e *Event) (any, error) {
			counts[strings.SplitN(e.Name, ".", 2)[0]]++
			return nil, nil
		})
	}
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	if counts["request-created"] != 3 || counts["before-sign"] != 3 || counts["before-send"] != 3 || counts["needs-retry"] != 2 {
		t.Errorf("events %v", counts)
	}
	reqs := srv.requests()
	seen := map[string]bool{}
	for _, r := range reqs {
		seen[r.Header.Get("Authorization")] = true
	}
	if len(reqs) != 3 || len(seen) != 3 {
		t.Errorf("%d attempts with %d distinct signatures", len(reqs), len(seen))
	}
}

// pagesOf collects the request bodies a paginator sends.
func paginatorBodies(t *testing.T, params Params, cfg PaginationConfig, responses ...cannedResponse) []string {
	srv := newFakeAWS(t, responses...)
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	p, err := c.Paginator("ListTables")
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range p.Pages(context.Background(), params, cfg).All() {
		if err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for _, r := range srv.requests() {
		out = append(out, r.Body)
	}
	return out
}

// 4.40: a StartingToken that is not fakecloud/botocore's base64 JSON is sent
// verbatim as the input token.
func TestLegacyStartingTokenVerbatim_4_40(t *testing.T) {
	bodies := paginatorBodies(t, nil, PaginationConfig{StartingToken: "plain-token"}, cannedResponse{200, nil, `{"TableNames":["x"]}`})
	if len(bodies) != 1 || bodies[0] != `{"ExclusiveStartTableName":"plain-token"}` {
		t.Errorf("bodies %q", bodies)
	}
}

// 4.44: an input token given as an ordinary parameter goes on the first request.
func TestInputTokenParamSentFirst_4_44(t *testing.T) {
	bodies := paginatorBodies(t, Params{"ExclusiveStartTableName": "t05"}, PaginationConfig{},
		cannedResponse{200, nil, `{"TableNames":["t06"],"LastEvaluatedTableName":"t06"}`}, cannedResponse{200, nil, `{"TableNames":["t07"]}`})
	if len(bodies) != 2 || bodies[0] != `{"ExclusiveStartTableName":"t05"}` || bodies[1] != `{"ExclusiveStartTableName":"t06"}` {
		t.Errorf("bodies %q", bodies)
	}
}

// 4.45: paginator definitions come from paginators-1.json.
func TestPaginatorDefinitions_4_45(t *testing.T) {
	s := testSession(t)
	s3, _ := s.Client("s3", ClientOptions{})
	p, err := s3.Paginator("list_objects_v2")
	if err != nil {
		t.Fatal(err)
	}
	m := p.model
	if strings.Join(m.InputToken, ",") != "ContinuationToken" || strings.Join(m.OutputToken, ",") != "NextContinuationToken" ||
		m.MoreResults != "IsTruncated" || m.LimitKey != "MaxKeys" || strings.Join(m.ResultKey, ",") != "Contents,CommonPrefixes" {
		t.Errorf("s3 ListObjectsV2 %+v", m)
	}
	d, _ := s.Client("dynamodb", ClientOptions{})
	p, _ = d.Paginator("Scan")
	m = p.model
	if strings.Join(m.InputToken, ",") != "ExclusiveStartKey" || strings.Join(m.OutputToken, ",") != "LastEvaluatedKey" ||
		m.LimitKey != "Limit" || strings.Join(m.ResultKey, ",") != "Items,Count,ScannedCount" || strings.Join(m.NonAggregateKeys, ",") != "ConsumedCapacity" {
		t.Errorf("dynamodb Scan %+v", m)
	}
}

// 4.57: a non-S3 presigned URL is a SigV4 query-signed GET on the service
// endpoint; for a query-protocol service (SNS here; SQS in 1.29) Action
// and Version are in the URL.
func TestNonS3Presign_4_57(t *testing.T) {
	c, _ := testSession(t).Client("sns", ClientOptions{})
	u, err := c.GeneratePresignedURL(context.Background(), "ListTopics", nil, time.Hour, "")
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := url.Parse(u)
	q := pu.Query()
	if pu.Host != "sns.us-east-1.amazonaws.com" || q.Get("Action") != "ListTopics" || q.Get("Version") != "2010-03-31" ||
		q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || q.Get("X-Amz-Expires") != "3600" || q.Get("X-Amz-Signature") == "" {
		t.Errorf("url %s", u)
	}
}

// 4.68: Unsigned sends no Authorization header.
func TestUnsignedSendsNoAuthorization_4_68(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `{}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL, Config: &Config{SignatureVersion: Unsigned}})
	if _, err := c.Call(context.Background(), "ListTables", nil); err != nil {
		t.Fatal(err)
	}
	if h := srv.requests()[0].Header; h.Get("Authorization") != "" || h.Get("X-Amz-Date") != "" {
		t.Errorf("unsigned request has %v", h)
	}
}

// 4.69, 4.70: the protocol comes from the model; with a protocols list the
// first supported of json, rest-json, rest-xml, query, ec2 wins, so
// CloudWatch (smithy-rpc-v2-cbor, json, query) speaks json 1.0 with target
// GraniteServiceVersion20100801.
func TestProtocolPerService_4_69(t *testing.T) {
	s := testSession(t)
	for svc, want := range map[string]string{"s3": "rest-xml", "ec2": "ec2", "sns": "query", "dynamodb": "json", "lambda": "rest-json", "cloudwatch": "json"} {
		c, err := s.Client(svc, ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if c.codec.Name() != want {
			t.Errorf("%s protocol %s, want %s", svc, c.codec.Name(), want)
		}
	}
	_, _, r := callWith(t, "cloudwatch", "ListDashboards", nil, cannedResponse{200, nil, `{}`})
	if r.Header.Get("X-Amz-Target") != "GraniteServiceVersion20100801.ListDashboards" || r.Header.Get("Content-Type") != "application/x-amz-json-1.0" {
		t.Errorf("cloudwatch headers %v", r.Header)
	}
}

// 4.74: query lists are Name.member.N, maps Name.entry.N.Name/Value.
func TestQueryListsAndMaps_4_74(t *testing.T) {
	_, _, r := callWith(t, "sns", "Publish", Params{"TopicArn": "arn", "Message": "m",
		"MessageAttributes": map[string]any{"color": map[string]any{"DataType": "String", "StringValue": "red"}}},
		cannedResponse{200, nil, `<PublishResponse><PublishResult><MessageId>1</MessageId></PublishResult></PublishResponse>`})
	q, _ := url.ParseQuery(r.Body)
	if q.Get("MessageAttributes.entry.1.Name") != "color" || q.Get("MessageAttributes.entry.1.Value.DataType") != "String" ||
		q.Get("MessageAttributes.entry.1.Value.StringValue") != "red" {
		t.Errorf("map body %s", r.Body)
	}
	_, _, r = callWith(t, "sns", "AddPermission", Params{"TopicArn": "arn", "Label": "l", "AWSAccountId": []any{"1", "2"}, "ActionName": []any{}},
		cannedResponse{200, nil, `<AddPermissionResponse/>`})
	q, _ = url.ParseQuery(r.Body)
	if q.Get("AWSAccountId.member.1") != "1" || q.Get("AWSAccountId.member.2") != "2" || !q.Has("ActionName") || q.Get("ActionName") != "" {
		t.Errorf("list body %s", r.Body)
	}
}

// 4.75: query scalars: booleans true/false, timestamps ISO-8601 UTC with Z
// (fraction only when non-zero), blobs base64.
func TestQueryScalars_4_75(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 123000000, time.UTC)
	_, _, r := callWith(t, "autoscaling", "PutScheduledUpdateGroupAction", Params{"AutoScalingGroupName": "g", "ScheduledActionName": "a",
		"StartTime": ts, "EndTime": time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}, cannedResponse{200, nil, `<R/>`})
	q, _ := url.ParseQuery(r.Body)
	// botocore writes a non-zero fraction as microseconds (.123000Z); the
	// query codec writes milliseconds (.123Z), which AWS reads alike. The
	// whole-second form is byte-identical.
	if st := q.Get("StartTime"); !strings.HasPrefix(st, "2024-01-02T03:04:05.123") || !strings.HasSuffix(st, "Z") || q.Get("EndTime") != "2024-01-02T00:00:00Z" {
		t.Errorf("timestamps %s", r.Body)
	}
	_, _, r = callWith(t, "autoscaling", "SetDesiredCapacity", Params{"AutoScalingGroupName": "g", "DesiredCapacity": 2, "HonorCooldown": true}, cannedResponse{200, nil, `<R/>`})
	if q, _ = url.ParseQuery(r.Body); q.Get("HonorCooldown") != "true" {
		t.Errorf("bool %s", r.Body)
	}
	_, _, r = callWith(t, "ses", "SendRawEmail", Params{"RawMessage": map[string]any{"Data": []byte{0, 0xff}}}, cannedResponse{200, nil, `<R/>`})
	if q, _ = url.ParseQuery(r.Body); q.Get("RawMessage.Data") != base64.StdEncoding.EncodeToString([]byte{0, 0xff}) {
		t.Errorf("blob %s", r.Body)
	}
}

// 4.80: the ec2 error body gives Code and Message, and RequestID.
func TestEC2ErrorBody_4_80(t *testing.T) {
	_, err, _ := callWith(t, "ec2", "DescribeInstances", nil, cannedResponse{400, nil,
		`<Response><Errors><Error><Code>InvalidInstanceID.Malformed</Code><Message>bad id</Message></Error></Errors><RequestID>E-RID</RequestID></Response>`})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "InvalidInstanceID.Malformed" || ae.Message != "bad id" || ae.RequestID != "E-RID" || ae.HTTPStatus != 400 {
		t.Errorf("%v (%+v)", err, ae)
	}
}

// 4.82: json blobs are base64, timestamps epoch seconds.
func TestJSONScalars_4_82(t *testing.T) {
	_, _, r := callWith(t, "kinesis", "PutRecord", Params{"StreamName": "s", "Data": []byte{0, 0xff}, "PartitionKey": "p"}, cannedResponse{200, nil, `{}`})
	if !strings.Contains(r.Body, `"Data":"AP8="`) {
		t.Errorf("blob body %s", r.Body)
	}
	_, _, r = callWith(t, "kinesis", "GetShardIterator", Params{"StreamName": "s", "ShardId": "0", "ShardIteratorType": "AT_TIMESTAMP",
		"Timestamp": time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, cannedResponse{200, nil, `{}`})
	if !strings.Contains(r.Body, `"Timestamp":1704164645`) {
		t.Errorf("timestamp body %s", r.Body)
	}
}

// 4.85: json responses: epoch numbers become UTC times, base64 becomes
// bytes, unknown keys are ignored, null members are omitted.
func TestJSONResponses_4_85(t *testing.T) {
	out, err, _ := callWith(t, "dynamodb", "DescribeTable", Params{"TableName": "tbl"}, cannedResponse{200, nil,
		`{"Table":{"TableName":"tbl","CreationDateTime":1704164645.5,"Unknown":1,"TableArn":null}}`})
	if err != nil {
		t.Fatal(err)
	}
	tm := out.Time("Table.CreationDateTime")
	if !tm.Equal(time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC)) || tm.Location() != time.UTC {
		t.Errorf("time %v", tm)
	}
	tbl := out.Map("Table")
	if _, ok := tbl["Unknown"]; ok {
		t.Error("unknown key kept")
	}
	if _, ok := tbl["TableArn"]; ok {
		t.Error("null member kept")
	}
	out, err, _ = callWith(t, "kms", "GenerateRandom", nil, cannedResponse{200, nil, `{"Plaintext":"AP8="}`})
	if b, _ := out.Get("Plaintext"); err != nil || string(b.([]byte)) != "\x00\xff" {
		t.Errorf("blob %v %v", b, err)
	}
}

// 4.86: a DynamoDB x-amz-crc32 mismatch is retried like a transient error.
func TestDynamoDBCRC32Mismatch_4_86(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, map[string]string{"x-amz-crc32": "1"}, `{"TableNames":[]}`},
		cannedResponse{200, map[string]string{"x-amz-crc32": fmt.Sprint(crc32.ChecksumIEEE([]byte(`{"TableNames":[]}`)))}, `{"TableNames":[]}`})
	c, _ := testSession(t).Client("dynamodb", ClientOptions{EndpointURL: srv.URL})
	noSleep(c)
	out, err := c.Call(context.Background(), "ListTables", nil)
	if err != nil || out.ResponseMetadata.RetryAttempts != 1 {
		t.Errorf("%+v %v (requests %d)", out, err, len(srv.requests()))
	}
}

// 4.90: rest-json errors: code from x-amzn-ErrorType before ':', else body
// code/__type; message from message/Message; other fields kept.
func TestRestJSONErrors_4_90(t *testing.T) {
	_, err, _ := callWith(t, "lambda", "GetFunction", Params{"FunctionName": "f"}, cannedResponse{404,
		map[string]string{"x-amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/", "Content-Type": "application/json"},
		`{"Message":"Function not found","Type":"User"}`})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "ResourceNotFoundException" || ae.Message != "Function not found" || ae.Fields["Type"] != "User" {
		t.Errorf("header code: %v %+v", err, ae)
	}
	_, err, _ = callWith(t, "lambda", "GetFunction", Params{"FunctionName": "f"}, cannedResponse{429,
		map[string]string{"Content-Type": "application/json"}, `{"code":"TooManyRequestsException","message":"slow down"}`})
	if !errors.As(err, &ae) || ae.Code != "TooManyRequestsException" || ae.Message != "slow down" {
		t.Errorf("body code: %v", err)
	}
}

// 4.92: XML request bodies carry the root element with the service
// namespace, wrapped and flattened lists.
func TestXMLRequestBodies_4_92(t *testing.T) {
	_, _, r := callWith(t, "s3", "PutBucketTagging", Params{"Bucket": "b", "Tagging": map[string]any{"TagSet": []any{
		map[string]any{"Key": "k1", "Value": "v1"}, map[string]any{"Key": "k2", "Value": "v2"}}}}, cannedResponse{200, nil, ``})
	want := `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k1</Key><Value>v1</Value></Tag><Tag><Key>k2</Key><Value>v2</Value></Tag></TagSet></Tagging>`
	if r.Body != want {
		t.Errorf("tagging body\n %s\nwant\n %s", r.Body, want)
	}
	_, _, r = callWith(t, "s3", "DeleteObjects", Params{"Bucket": "b", "Delete": map[string]any{"Objects": []any{
		map[string]any{"Key": "a"}, map[string]any{"Key": "b"}}, "Quiet": true}}, cannedResponse{200, nil, `<DeleteResult/>`})
	want = `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object><Object><Key>b</Key></Object><Quiet>true</Quiet></Delete>`
	if r.Body != want {
		t.Errorf("delete body\n %s\nwant\n %s", r.Body, want)
	}
}

// 4.93: header members: RFC 1123 timestamps, x-amz-meta-*, x-amz-tagging,
// SSE-C key base64 with its MD5, CopySource, response-content-type query.
func TestS3HeaderMembers_4_93(t *testing.T) {
	_, _, r := callWith(t, "s3", "PutObject", Params{"Bucket": "b", "Key": "k", "Body": "x",
		"Expires": time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "Metadata": map[string]any{"Color": "red"}, "Tagging": "a=b",
		"SSECustomerAlgorithm": "AES256", "SSECustomerKey": "0123456789abcdef0123456789abcdef"}, cannedResponse{200, nil, ``})
	h := r.Header
	if h.Get("Expires") != "Tue, 02 Jan 2024 03:04:05 GMT" || h.Get("x-amz-meta-Color") != "red" || h.Get("x-amz-tagging") != "a=b" ||
		h.Get("x-amz-server-side-encryption-customer-key") != "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" ||
		h.Get("x-amz-server-side-encryption-customer-key-MD5") != "hRasmdxgYDKV3nvbahU1MA==" {
		t.Errorf("headers %v", h)
	}
	_, err, r := callWith(t, "s3", "CopyObject", Params{"Bucket": "b", "Key": "k", "CopySource": map[string]any{"Bucket": "b", "Key": "s r c", "VersionId": "v1"}},
		cannedResponse{200, nil, `<CopyObjectResult/>`})
	if got := r.Header.Get("x-amz-copy-source"); got != "b/s%20r%20c?versionId=v1" {
		t.Errorf("copy source %q (%v)", got, err)
	}
	_, _, r = callWith(t, "s3", "GetObject", Params{"Bucket": "b", "Key": "k", "ResponseContentType": "text/plain"}, cannedResponse{200, nil, `x`})
	if r.RawQuery != "response-content-type=text%2Fplain" {
		t.Errorf("query %q", r.RawQuery)
	}
}

// 4.94: XML responses: header timestamps, numeric headers as ints,
// x-amz-meta-* into Metadata, an empty LocationConstraint absent.
func TestXMLResponses_4_94(t *testing.T) {
	out, err, _ := callWith(t, "s3", "HeadObject", Params{"Bucket": "b", "Key": "k"}, cannedResponse{200, map[string]string{
		"Last-Modified": "Tue, 02 Jan 2024 03:04:05 GMT", "x-amz-missing-meta": "2", "x-amz-meta-color": "red", "Content-Length": "0"}, ``})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Time("LastModified").Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) || out.Int("MissingMeta") != 2 || out.String("Metadata.color") != "red" {
		t.Errorf("head %v", out.Data)
	}
	out, err, _ = callWith(t, "s3", "GetBucketLocation", Params{"Bucket": "b"}, cannedResponse{200, nil,
		`<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`})
	if v, ok := out.Data["LocationConstraint"]; err != nil || (ok && v != nil && v != "") {
		t.Errorf("location %v %v", out.Data, err)
	}
}

// 4.99: a streaming output is an io.Reader the caller closes; a body
// shorter than its Content-Length is an error, not a silent short read.
func TestStreamingBodyShortReadFails_4_99(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, map[string]string{"Content-Length": "10"}, `hello`})
	c, _ := testSession(t).Client("s3", ClientOptions{EndpointURL: srv.URL})
	out, err := c.Call(context.Background(), "GetObject", Params{"Bucket": "b", "Key": "k"})
	if err != nil {
		t.Fatal(err)
	}
	body, ok := out.Data["Body"].(io.ReadCloser)
	if !ok {
		t.Fatalf("Body is %T", out.Data["Body"])
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	if err == nil || string(b) != "hello" {
		t.Errorf("read %q, %v; want the 5 bytes and an error", b, err)
	}
}

// 4.93: botocore leaves an SSE-C key alone when the caller gives its MD5,
// and quotes a string CopySource, keeping ?versionId=.
func TestS3SSECAndCopySourceStrings_4_93(t *testing.T) {
	_, _, r := callWith(t, "s3", "GetObject", Params{"Bucket": "b", "Key": "k", "SSECustomerAlgorithm": "AES256",
		"SSECustomerKey": "already-encoded", "SSECustomerKeyMD5": "given"}, cannedResponse{200, nil, `x`})
	if r.Header.Get("x-amz-server-side-encryption-customer-key") != "already-encoded" || r.Header.Get("x-amz-server-side-encryption-customer-key-MD5") != "given" {
		t.Errorf("headers %v", r.Header)
	}
	for src, want := range map[string]string{"b/a b+c": "b/a%20b%2Bc", "b/k é?versionId=v 1": "b/k%20%C3%A9?versionId=v 1"} {
		_, _, r = callWith(t, "s3", "UploadPartCopy", Params{"Bucket": "b", "Key": "k", "PartNumber": 1, "UploadId": "u", "CopySource": src},
			cannedResponse{200, nil, `<CopyPartResult/>`})
		if got := r.Header.Get("x-amz-copy-source"); got != want {
			t.Errorf("CopySource %q sent as %q, want %q", src, got, want)
		}
	}
}
