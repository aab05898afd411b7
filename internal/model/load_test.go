package model

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// initDecodes is the number of embedded models decoded before any test ran.
var initDecodes int64

func TestMain(m *testing.M) {
	initDecodes = modelDecodes.Load()
	os.Exit(m.Run())
}

// sharedDir returns ../shared/aws-data/<sub> relative to the module root, or
// skips the test when it is absent (a fresh clone without the data).
func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Skip("cannot locate source file")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "aws-data", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s not present: %v", dir, err)
	}
	return dir
}

func TestPackageInitDecodesNoModel(t *testing.T) {
	if initDecodes != 0 {
		t.Fatalf("%d models decoded during package initialisation", initDecodes)
	}
}

func TestLoadDecodesOnlyTheRequestedService(t *testing.T) {
	l := NewLoader()
	if _ = l.AvailableServices(); l.decoded.Load() != 0 {
		t.Fatal("AvailableServices decoded a model")
	}
	if e := l.ByTargetPrefix("DynamoDB_20120810"); len(e) != 1 || e[0].Name != "dynamodb" || l.decoded.Load() != 0 {
		t.Fatalf("ByTargetPrefix = %v, decoded %d", e, l.decoded.Load())
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := l.Load("sqs"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := l.decoded.Load(); got != 1 {
		t.Fatalf("8 concurrent loads of sqs decoded %d bundles, want 1", got)
	}
	a, _ := l.Load("sqs")
	b, _ := l.Load("sqs")
	if a != b {
		t.Fatal("second Load returned a different *Service: not cached")
	}
}

// TestAvailableServicesIsBotocoreServiceDirectories: boto3's
// get_available_services() lists every directory of the data path with a
// service-2.json in some API version directory.
func TestAvailableServicesIsBotocoreServiceDirectories(t *testing.T) {
	got := NewLoader().AvailableServices()
	if !sort.StringsAreSorted(got) {
		t.Fatal("not sorted")
	}
	for _, want := range []string{"s3", "dynamodb", "sqs", "ec2", "sts", "elbv2", "lambda"} {
		if i := sort.SearchStrings(got, want); i == len(got) || got[i] != want {
			t.Errorf("%s missing", want)
		}
	}
	dir := sharedDir(t, "botocore")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		vs, _ := filepath.Glob(filepath.Join(dir, e.Name(), "*", "service-2.json"))
		if len(vs) > 0 {
			want = append(want, e.Name())
		}
	}
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("AvailableServices has %d names, %s has %d; regenerate with go generate", len(got), dir, len(want))
	}
}

// goldenSummary is what the golden files pin about a service.
type goldenSummary struct {
	APIVersion     string
	Protocol       string
	EndpointPrefix string
	SigningName    string
	TargetPrefix   string `json:",omitempty"`
	Operations     int
	FirstOps       []string
	Paginators     int
	Waiters        int
	HasResources   bool
	Ops            map[string]*Operation
	Shapes         map[string]*Shape
	MemberOrder    map[string][]string
	MemberRefs     map[string]map[string]*ShapeRef
	Pagination     map[string]*Paginator
	WaiterDefs     map[string]*Waiter
}

var goldenPicks = map[string]struct{ ops, shapes, pags, waiters []string }{
	"s3": {
		ops:     []string{"PutObject", "ListObjectsV2", "GetBucketAcl"},
		shapes:  []string{"PutObjectRequest", "GetObjectOutput", "ListObjectsV2Output", "NoSuchKey", "Grants", "CreateBucketConfiguration", "Expires"},
		pags:    []string{"ListObjectsV2", "ListObjects"},
		waiters: []string{"BucketExists", "ObjectNotExists"},
	},
	"dynamodb": {
		ops:     []string{"PutItem", "Query", "DescribeEndpoints"},
		shapes:  []string{"AttributeValue", "PutItemInput", "ConditionalCheckFailedException", "ReturnValue"},
		pags:    []string{"Query", "Scan"},
		waiters: []string{"TableExists"},
	},
	"sqs": {
		ops:     []string{"SendMessage", "ReceiveMessage"},
		shapes:  []string{"SendMessageRequest", "QueueDoesNotExist", "MessageBodyAttributeMap", "ReceiveMessageResult"},
		pags:    []string{"ListQueues"},
		waiters: nil,
	},
	"ec2": {
		ops:     []string{"DescribeInstances", "RunInstances"},
		shapes:  []string{"DescribeInstancesRequest", "DescribeInstancesResult", "Filter", "InstanceIdStringList", "TagSpecification"},
		pags:    []string{"DescribeInstances"},
		waiters: []string{"InstanceRunning"},
	},
}

func summarize(t *testing.T, svc *Service) goldenSummary {
	t.Helper()
	p := goldenPicks[svc.Name]
	s := goldenSummary{
		APIVersion: svc.Metadata.APIVersion, Protocol: svc.Metadata.Protocol,
		EndpointPrefix: svc.Metadata.EndpointPrefix, SigningName: svc.Metadata.ResolvedSigningName(),
		TargetPrefix: svc.Metadata.TargetPrefix, Operations: len(svc.Operations),
		FirstOps: svc.OperationNames()[:5], Paginators: len(svc.Paginators), Waiters: len(svc.Waiters),
		HasResources: svc.Resources != nil,
		Ops:          map[string]*Operation{}, Shapes: map[string]*Shape{}, MemberOrder: map[string][]string{}, MemberRefs: map[string]map[string]*ShapeRef{},
		Pagination: map[string]*Paginator{}, WaiterDefs: map[string]*Waiter{},
	}
	for _, n := range p.ops {
		op, ok := svc.Operations[n]
		if !ok {
			t.Fatalf("%s: no operation %s", svc.Name, n)
		}
		s.Ops[n] = op
	}
	for _, n := range p.shapes {
		sh, ok := svc.Shapes[n]
		if !ok {
			t.Fatalf("%s: no shape %s", svc.Name, n)
		}
		s.Shapes[n] = sh
		if len(sh.MemberNames) > 0 {
			s.MemberOrder[n] = sh.MemberNames
			s.MemberRefs[n] = sh.Members
		}
	}
	for _, n := range p.pags {
		pg, ok := svc.Paginators[n]
		if !ok {
			t.Fatalf("%s: no paginator %s", svc.Name, n)
		}
		s.Pagination[n] = pg
	}
	for _, n := range p.waiters {
		w, ok := svc.Waiters[n]
		if !ok {
			t.Fatalf("%s: no waiter %s", svc.Name, n)
		}
		s.WaiterDefs[n] = w
	}
	return s
}

// goldenJSON renders a summary; Shape and ShapeRef fields without JSON tags
// (members, resolved pointers) are covered by MemberOrder and Ops' refs.
func goldenJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestLoadGoldenServices(t *testing.T) {
	l := NewLoader()
	for _, name := range []string{"s3", "dynamodb", "sqs", "ec2"} {
		t.Run(name, func(t *testing.T) {
			svc, err := l.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			got := goldenJSON(t, summarize(t, svc))
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s; diff with -update and git diff", name, path)
			}
		})
	}
}

// The operation count and order of the embedded model must be those of the
// source service-2.json (documentation stripping must not drop operations).
func TestEmbeddedOperationsMatchSource(t *testing.T) {
	dir := sharedDir(t, "botocore")
	l := NewLoader()
	for _, name := range []string{"s3", "dynamodb", "sqs", "ec2"} {
		e, _ := l.Lookup(name)
		src, err := Parse(mustRead(t, filepath.Join(dir, name, e.APIVersion, "service-2.json")))
		if err != nil {
			t.Fatal(err)
		}
		svc, err := l.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(src.OperationNames(), ",") != strings.Join(svc.OperationNames(), ",") {
			t.Errorf("%s: operations differ from the source model", name)
		}
		for sn, sh := range src.Shapes {
			if got := svc.Shapes[sn]; got == nil || strings.Join(got.MemberNames, ",") != strings.Join(sh.MemberNames, ",") {
				t.Errorf("%s: shape %s differs from the source model", name, sn)
			}
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSDKExtrasAreMerged(t *testing.T) {
	// botocore merges service-2.sdk-extras.json: s3 gains an "Expires"
	// timestamp shape, rds gains SourceRegion on copy/create messages.
	s3, err := Load("s3")
	if err != nil {
		t.Fatal(err)
	}
	if sh := s3.Shapes["Expires"]; sh == nil || sh.Type != "timestamp" {
		t.Errorf("s3 Expires shape = %+v, want the sdk-extras timestamp", sh)
	}
	rds, err := Load("rds")
	if err != nil {
		t.Fatal(err)
	}
	m := rds.Shapes["CopyDBSnapshotMessage"]
	if m == nil || m.Members["SourceRegion"] == nil || m.MemberNames[len(m.MemberNames)-1] != "SourceRegion" {
		t.Errorf("rds CopyDBSnapshotMessage lacks SourceRegion appended last: %v", m.MemberNames)
	}
}

func TestRoutingLookups(t *testing.T) {
	l := NewLoader()
	names := func(es []IndexEntry) string {
		var n []string
		for _, e := range es {
			n = append(n, e.Name)
		}
		return strings.Join(n, ",")
	}
	if got := names(l.ByTarget("DynamoDB_20120810.PutItem")); got != "dynamodb" {
		t.Errorf("ByTarget dynamodb = %q", got)
	}
	if got := names(l.ByTarget("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")); got != "cloudtrail" {
		t.Errorf("ByTarget cloudtrail = %q", got)
	}
	if got := names(l.ByTarget("NoDot")); got != "" {
		t.Errorf("ByTarget without a dot = %q", got)
	}
	if got := names(l.ByEndpointPrefix("sqs")); got != "sqs" {
		t.Errorf("ByEndpointPrefix sqs = %q", got)
	}
	// SES v1, SES v2 and Pinpoint Email share the "email" endpoint prefix.
	if got := names(l.ByEndpointPrefix("email")); got != "pinpoint-email,ses,sesv2" {
		t.Errorf("ByEndpointPrefix email = %q", got)
	}
	if got := names(l.BySigningName("s3")); !strings.Contains(got, "s3") {
		t.Errorf("BySigningName s3 = %q", got)
	}
	if e, ok := l.Lookup("elbv2"); !ok || e.EndpointPrefix != "elasticloadbalancing" || e.Protocol != "query" {
		t.Errorf("Lookup elbv2 = %+v, %v", e, ok)
	}
	if _, ok := l.Lookup("nope"); ok {
		t.Error("Lookup of an unknown service succeeded")
	}
	if l.decoded.Load() != 0 {
		t.Errorf("routing lookups decoded %d models", l.decoded.Load())
	}
}

func TestUnknownServiceErrorListsCloseNames(t *testing.T) {
	_, err := NewLoader().Load("sqss")
	var ue *UnknownServiceError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want *UnknownServiceError", err)
	}
	if ue.Name != "sqss" || len(ue.Known) < 400 {
		t.Errorf("Name %q, %d known", ue.Name, len(ue.Known))
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "Unknown service: 'sqss'. Valid service names are: sqs") {
		t.Errorf("message = %q", msg)
	}
	if len(msg) > 300 {
		t.Errorf("message lists too much: %d bytes", len(msg))
	}
	// With nothing close, botocore's full list is given.
	_, err = NewLoader().Load("zzzzzzzzzzzzzzzzzzzzzz")
	if !strings.Contains(err.Error(), "accessanalyzer, account, acm") {
		t.Errorf("far name message = %.120q", err.Error())
	}
	for _, bad := range []string{"", ".", "..", "../s3", "s3/..", "a\\b", "s3\x00"} {
		if _, err := NewLoader().Load(bad); !errors.As(err, &ue) {
			t.Errorf("Load(%q) = %v, want *UnknownServiceError", bad, err)
		}
	}
}

// writeModel writes <dir>/<svc>/<ver>/<file>.
func writeModel(t *testing.T, dir, svc, ver, file, content string) {
	t.Helper()
	p := filepath.Join(dir, svc, ver, file)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const tinyModel = `{"version":"2.0","metadata":{"apiVersion":"%s","endpointPrefix":"%s","protocol":"json","jsonVersion":"1.0","serviceId":"%s","signatureVersion":"v4","targetPrefix":"%s"},
"operations":{"Ping":{"name":"Ping","http":{"method":"POST","requestUri":"/"},"input":{"shape":"PingInput"}}},
"shapes":{"PingInput":{"type":"structure","members":{"B":{"shape":"S"},"A":{"shape":"S"}}},"S":{"type":"string"}}}`

func tiny(ver, prefix, id, target string) string {
	s := tinyModel
	for _, v := range []string{ver, prefix, id, target} {
		s = strings.Replace(s, "%s", v, 1)
	}
	return s
}

func TestSearchPathOverridesEmbeddedModel(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	// A newer sqs version on a search path wins over the embedded one.
	writeModel(t, second, "sqs", "2099-01-01", "service-2.json", tiny("2099-01-01", "sqs", "SQS", "Old"))
	writeModel(t, first, "sqs", "2099-01-01", "service-2.json", tiny("2099-01-01", "sqs", "SQS", "AmazonSQS2099"))
	writeModel(t, first, "sqs", "2099-01-01", "paginators-1.json", `{"pagination":{"Ping":{"input_token":"A","output_token":"B","result_key":"C"}}}`)
	// An older dynamodb version does not displace the embedded newest.
	writeModel(t, first, "dynamodb", "2000-01-01", "service-2.json", tiny("2000-01-01", "dynamodb", "DynamoDB", "X"))
	// A brand-new service becomes available.
	writeModel(t, first, "myservice", "2024-01-01", "service-2.json", tiny("2024-01-01", "mysvc", "My Service", "MySvc_2024"))
	writeModel(t, first, "myservice", "2024-01-01", "service-2.sdk-extras.json", `{"version":1.0,"merge":{"shapes":{"PingInput":{"members":{"C":{"shape":"S"}}}}}}`)

	l := NewLoader(first, second)
	sqs, err := l.Load("sqs")
	if err != nil {
		t.Fatal(err)
	}
	if sqs.Metadata.TargetPrefix != "AmazonSQS2099" || len(sqs.Operations) != 1 {
		t.Errorf("sqs not overridden by the first search path: %+v", sqs.Metadata)
	}
	if p := sqs.Paginators["Ping"]; p == nil || p.InputToken[0] != "A" || p.ResultKey[0] != "C" {
		t.Errorf("paginators from the search path: %+v", sqs.Paginators)
	}
	ddb, err := l.Load("dynamodb")
	if err != nil {
		t.Fatal(err)
	}
	if ddb.Metadata.APIVersion != "2012-08-10" {
		t.Errorf("dynamodb version %s, want the embedded newest", ddb.Metadata.APIVersion)
	}
	my, err := l.Load("myservice")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(my.Shapes["PingInput"].MemberNames, ","); got != "B,A,C" {
		t.Errorf("extras merge member order = %s, want B,A,C", got)
	}
	names := l.AvailableServices()
	if i := sort.SearchStrings(names, "myservice"); i == len(names) || names[i] != "myservice" {
		t.Error("myservice not in AvailableServices")
	}
	if e := l.ByTarget("MySvc_2024.Ping"); len(e) != 1 || e[0].Name != "myservice" || e[0].APIVersion != "2024-01-01" {
		t.Errorf("ByTarget for a search-path service = %+v", e)
	}
	if e, _ := l.Lookup("sqs"); e.TargetPrefix != "AmazonSQS2099" {
		t.Errorf("index of overridden sqs = %+v", e)
	}
	if e, _ := l.Lookup("dynamodb"); e.APIVersion != "2012-08-10" {
		t.Errorf("index of dynamodb = %+v", e)
	}
}

func TestMalformedModelOnSearchPathNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	writeModel(t, dir, "sqs", "2099-01-01", "service-2.json", `{"metadata": {"apiVersion": `)
	writeModel(t, dir, "badpag", "2024-01-01", "service-2.json", tiny("2024-01-01", "b", "B", "B"))
	writeModel(t, dir, "badpag", "2024-01-01", "paginators-1.json", `{"pagination":{"Ping":{"input_token":7}}}`)
	writeModel(t, dir, "badref", "2024-01-01", "service-2.json", strings.Replace(tiny("2024-01-01", "b", "B", "B"), `"A":{"shape":"S"}`, `"A":{"shape":"Missing"}`, 1))
	l := NewLoader(dir)
	for svc, want := range map[string]string{
		"sqs":    filepath.Join(dir, "sqs", "2099-01-01", "service-2.json"),
		"badpag": filepath.Join(dir, "badpag", "2024-01-01", "paginators-1.json"),
		"badref": filepath.Join(dir, "badref", "2024-01-01", "service-2.json"),
	} {
		_, err := l.Load(svc)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%s) = %v, want an error naming %s", svc, err, want)
		}
	}
	// Errors are not cached: fixing the file fixes the next Load.
	writeModel(t, dir, "sqs", "2099-01-01", "service-2.json", tiny("2099-01-01", "sqs", "SQS", "Fixed"))
	if svc, err := l.Load("sqs"); err != nil || svc.Metadata.TargetPrefix != "Fixed" {
		t.Errorf("after fixing: %v", err)
	}
}

func TestDefaultSearchPathsFollowBotocore(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("MODELS", "/m")
	sep := string(os.PathListSeparator)
	t.Setenv("AWS_DATA_PATH", "/a"+sep+sep+"~/b"+sep+"$MODELS/c")
	got := DefaultSearchPaths()
	want := []string{"/a", filepath.Join(home, "b"), "/m/c", filepath.Join(home, ".aws", "models")}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("DefaultSearchPaths = %q, want %q", got, want)
	}
}

func TestParsePaginatorsStringOrList(t *testing.T) {
	p, err := ParsePaginators([]byte(`{"pagination":{"ListObjects":{"input_token":"Marker","output_token":["NextMarker || Contents[-1].Key"],"more_results":"IsTruncated","limit_key":"MaxKeys","result_key":["Contents","CommonPrefixes"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	lo := p["ListObjects"]
	if strings.Join(lo.InputToken, ",") != "Marker" || lo.OutputToken[0] != "NextMarker || Contents[-1].Key" ||
		len(lo.ResultKey) != 2 || lo.MoreResults != "IsTruncated" || lo.LimitKey != "MaxKeys" {
		t.Errorf("%+v", lo)
	}
	if _, err := ParseWaiters([]byte(`{"version":1,"waiters":{}}`)); err == nil {
		t.Error("waiter version 1 accepted")
	}
}
