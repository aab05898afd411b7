package ssm_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

func param(out map[string]any) map[string]any { return out["Parameter"].(map[string]any) }

func TestPutGetParameterString(t *testing.T) {
	clock := emulator.FixedClock(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	c := newClient(t, newEmu(t, emulator.Options{Clock: clock}))
	out := c.Call("PutParameter", map[string]any{"Name": "/app/url", "Value": "https://x", "Type": "String", "Description": "d"})
	if out["Version"] != int64(1) || out["Tier"] != "Standard" {
		t.Errorf("PutParameter = %v", out)
	}
	p := param(c.Call("GetParameter", map[string]any{"Name": "/app/url"}))
	want := map[string]any{"Name": "/app/url", "Type": "String", "Value": "https://x", "Version": int64(1),
		"ARN": "arn:aws:ssm:us-east-1:000000000000:parameter/app/url", "DataType": "text"}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %v, want %v", k, p[k], v)
		}
	}
	if lm, _ := p["LastModifiedDate"].(time.Time); !lm.Equal(clock.Now()) {
		t.Errorf("LastModifiedDate %v", p["LastModifiedDate"])
	}
	// A name without a leading slash has the same ARN shape.
	c.Call("PutParameter", map[string]any{"Name": "plain", "Value": "a,b", "Type": "StringList"})
	if p := param(c.Call("GetParameter", map[string]any{"Name": "plain"})); p["ARN"] != "arn:aws:ssm:us-east-1:000000000000:parameter/plain" || p["Value"] != "a,b" || p["Type"] != "StringList" {
		t.Errorf("plain = %v", p)
	}
	// GetParameter accepts the ARN.
	if p := param(c.Call("GetParameter", map[string]any{"Name": "arn:aws:ssm:us-east-1:000000000000:parameter/app/url"})); p["Name"] != "/app/url" {
		t.Errorf("by ARN = %v", p)
	}
}

func TestPutParameterOverwriteRules(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/p", "Value": "1", "Type": "String", "Description": "keep"})
	ae := c.WantErr("PutParameter", map[string]any{"Name": "/p", "Value": "2", "Type": "String"}, "ParameterAlreadyExists", 400)
	if !strings.HasPrefix(ae.Message, "The parameter already exists.") {
		t.Errorf("message %q", ae.Message)
	}
	// Overwrite without Type keeps type and description.
	if out := c.Call("PutParameter", map[string]any{"Name": "/p", "Value": "2", "Overwrite": true}); out["Version"] != int64(2) {
		t.Errorf("overwrite = %v", out)
	}
	md := c.Call("DescribeParameters", map[string]any{})["Parameters"].([]any)[0].(map[string]any)
	if md["Description"] != "keep" || md["Type"] != "String" || md["Version"] != int64(2) {
		t.Errorf("after overwrite %v", md)
	}
	c.WantErr("PutParameter", map[string]any{"Name": "/p", "Value": "3", "Type": "SecureString", "Overwrite": true}, "HierarchyTypeMismatchException", 400)
	// String <-> StringList is allowed.
	c.Call("PutParameter", map[string]any{"Name": "/p", "Value": "a,b", "Type": "StringList", "Overwrite": true})
	c.WantErr("PutParameter", map[string]any{"Name": "/p", "Value": "x", "Overwrite": true, "Tags": []any{map[string]any{"Key": "k", "Value": "v"}}}, "ValidationException", 400)
	c.WantErr("PutParameter", map[string]any{"Name": "/new", "Value": "x"}, "ValidationException", 400)
	c.WantErr("PutParameter", map[string]any{"Name": "/new", "Value": "", "Type": "String"}, "ValidationException", 400)
	c.WantErr("PutParameter", map[string]any{"Name": "/new", "Value": "x", "Type": "Number"}, "ValidationException", 400)
	c.WantErr("PutParameter", map[string]any{"Name": "/new", "Value": "x", "Type": "String", "KeyId": "alias/aws/ssm"}, "ValidationException", 400)
}

func TestPutParameterNameRules(t *testing.T) {
	c := newClient(t, newEmu(t))
	deep := "/" + strings.Repeat("l/", 14) + "p" // 15 levels
	c.Call("PutParameter", map[string]any{"Name": deep, "Value": "v", "Type": "String"})
	c.WantErr("PutParameter", map[string]any{"Name": "/" + strings.Repeat("l/", 15) + "p", "Value": "v", "Type": "String"}, "HierarchyLevelLimitExceededException", 400)
	for _, bad := range []string{"/aws/x", "awsfoo", "/SSM/x", "ssm", "/a b", "/a//b", "/a/", "a/b", "/a$b", "/"} {
		ae := c.WantErr("PutParameter", map[string]any{"Name": bad, "Value": "v", "Type": "String"}, "ValidationException", 400)
		if ae.Message == "" {
			t.Errorf("%s: empty message", bad)
		}
	}
	ae := c.WantErr("PutParameter", map[string]any{"Name": "/aws/x", "Value": "v", "Type": "String"}, "ValidationException", 400)
	if !strings.Contains(ae.Message, `can't be prefixed with "aws" or "ssm"`) {
		t.Errorf("reserved prefix message %q", ae.Message)
	}
	ae = c.WantErr("PutParameter", map[string]any{"Name": "a/b", "Value": "v", "Type": "String"}, "ValidationException", 400)
	if ae.Message != "Parameter name must be a fully qualified name." {
		t.Errorf("unqualified path message %q", ae.Message)
	}
	for _, ok := range []string{"/my-app/v1.2/db_url", "Plain.Name-1_x"} {
		c.Call("PutParameter", map[string]any{"Name": ok, "Value": "v", "Type": "String"})
	}
}

func TestPutParameterTiersAndSizes(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/s", "Value": strings.Repeat("x", 4096), "Type": "String"})
	ae := c.WantErr("PutParameter", map[string]any{"Name": "/s2", "Value": strings.Repeat("x", 4097), "Type": "String"}, "ValidationException", 400)
	if !strings.HasPrefix(ae.Message, "Standard tier parameters support a maximum parameter value of 4096 characters.") {
		t.Errorf("message %q", ae.Message)
	}
	if out := c.Call("PutParameter", map[string]any{"Name": "/a", "Value": strings.Repeat("x", 8192), "Type": "String", "Tier": "Advanced"}); out["Tier"] != "Advanced" {
		t.Errorf("advanced %v", out)
	}
	c.WantErr("PutParameter", map[string]any{"Name": "/a2", "Value": strings.Repeat("x", 8193), "Type": "String", "Tier": "Advanced"}, "ValidationException", 400)
	// Intelligent-Tiering picks the cheapest tier that fits.
	if out := c.Call("PutParameter", map[string]any{"Name": "/i1", "Value": "small", "Type": "String", "Tier": "Intelligent-Tiering"}); out["Tier"] != "Standard" {
		t.Errorf("intelligent small %v", out)
	}
	if out := c.Call("PutParameter", map[string]any{"Name": "/i2", "Value": strings.Repeat("x", 5000), "Type": "String", "Tier": "Intelligent-Tiering"}); out["Tier"] != "Advanced" {
		t.Errorf("intelligent large %v", out)
	}
	// An advanced parameter can't go back to Standard.
	c.WantErr("PutParameter", map[string]any{"Name": "/a", "Value": "x", "Tier": "Standard", "Overwrite": true}, "ValidationException", 400)
	if out := c.Call("PutParameter", map[string]any{"Name": "/a", "Value": "x", "Overwrite": true}); out["Tier"] != "Advanced" {
		t.Errorf("overwrite keeps tier %v", out)
	}
	// Large SecureStrings round-trip through the envelope.
	big := strings.Repeat("s", 8000)
	c.Call("PutParameter", map[string]any{"Name": "/bigsecret", "Value": big, "Type": "SecureString", "Tier": "Advanced"})
	if p := param(c.Call("GetParameter", map[string]any{"Name": "/bigsecret", "WithDecryption": true})); p["Value"] != big {
		t.Errorf("big secure string did not round-trip")
	}
}

func TestPutParameterAllowedPatternAndDataType(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/max", "Value": "100", "Type": "String", "AllowedPattern": `^\d{1,4}$`})
	ae := c.WantErr("PutParameter", map[string]any{"Name": "/max", "Value": "10,000", "Overwrite": true}, "ParameterPatternMismatchException", 400)
	if ae.Message != `Parameter value, cannot be validated against allowedPattern: ^\d{1,4}$` {
		t.Errorf("message %q", ae.Message)
	}
	c.WantErr("PutParameter", map[string]any{"Name": "/p2", "Value": "x", "Type": "String", "AllowedPattern": "("}, "InvalidAllowedPatternException", 400)
	c.Call("PutParameter", map[string]any{"Name": "/ami", "Value": "ami-0123456789abcdef0", "Type": "String", "DataType": "aws:ec2:image"})
	if p := param(c.Call("GetParameter", map[string]any{"Name": "/ami"})); p["DataType"] != "aws:ec2:image" {
		t.Errorf("DataType %v", p)
	}
	c.WantErr("PutParameter", map[string]any{"Name": "/ami2", "Value": "not-an-ami", "Type": "String", "DataType": "aws:ec2:image"}, "ValidationException", 400)
	ae = c.WantErr("PutParameter", map[string]any{"Name": "/t", "Value": "x", "Type": "String", "DataType": "Text"}, "ValidationException", 400)
	if !strings.Contains(ae.Message, "The following data type is not supported: Text") {
		t.Errorf("message %q", ae.Message)
	}
}

func TestSecureStringRoundTrip(t *testing.T) {
	emu := newEmu(t)
	c := newClient(t, emu)
	c.Call("PutParameter", map[string]any{"Name": "/db/pass", "Value": "hunter2", "Type": "SecureString"})
	enc := param(c.Call("GetParameter", map[string]any{"Name": "/db/pass"}))
	val := enc["Value"].(string)
	blob, err := base64.StdEncoding.DecodeString(val)
	if err != nil || val == "hunter2" || strings.Contains(string(blob), "hunter2") {
		t.Fatalf("without decryption Value = %q (err %v): want the base64 KMS ciphertext", val, err)
	}
	// The blob is real KMS ciphertext: KMS decrypts it under SSM's context.
	kms := func(op string, in map[string]any) (map[string]any, error) {
		return emu.Call(t.Context(), "000000000000", "us-east-1", "kms", op, in)
	}
	out, err := kms("Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]any{"PARAMETER_ARN": "arn:aws:ssm:us-east-1:000000000000:parameter/db/pass"}})
	if err != nil || string(out["Plaintext"].([]byte)) != "hunter2" {
		t.Fatalf("KMS Decrypt = %v, %v", out, err)
	}
	if p := param(c.Call("GetParameter", map[string]any{"Name": "/db/pass", "WithDecryption": true})); p["Value"] != "hunter2" || p["Type"] != "SecureString" {
		t.Errorf("decrypted %v", p)
	}
	md := c.Call("DescribeParameters", map[string]any{})["Parameters"].([]any)[0].(map[string]any)
	if md["KeyId"] != "alias/aws/ssm" {
		t.Errorf("KeyId %v", md["KeyId"])
	}
	// A customer key; disabling it makes decryption fail with InvalidKeyId.
	key := c2kms(t, kms)
	c.Call("PutParameter", map[string]any{"Name": "/db/other", "Value": "v", "Type": "SecureString", "KeyId": key})
	if p := param(c.Call("GetParameter", map[string]any{"Name": "/db/other", "WithDecryption": true})); p["Value"] != "v" {
		t.Errorf("custom key %v", p)
	}
	if _, err := kms("DisableKey", map[string]any{"KeyId": key}); err != nil {
		t.Fatal(err)
	}
	c.WantErr("GetParameter", map[string]any{"Name": "/db/other", "WithDecryption": true}, "InvalidKeyId", 400)
	c.WantErr("PutParameter", map[string]any{"Name": "/db/x", "Value": "v", "Type": "SecureString", "KeyId": "alias/nope"}, "InvalidKeyId", 400)
}

func c2kms(t *testing.T, kms func(string, map[string]any) (map[string]any, error)) string {
	t.Helper()
	out, err := kms("CreateKey", map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	return out["KeyMetadata"].(map[string]any)["KeyId"].(string)
}

func TestGetParameterSelectors(t *testing.T) {
	c := newClient(t, newEmu(t))
	for i := 1; i <= 3; i++ {
		c.Call("PutParameter", map[string]any{"Name": "/sel", "Value": fmt.Sprint("v", i), "Type": "String", "Overwrite": i > 1})
	}
	c.Call("LabelParameterVersion", map[string]any{"Name": "/sel", "ParameterVersion": int64(2), "Labels": []any{"prod"}})
	for sel, want := range map[string]string{"/sel": "v3", "/sel:1": "v1", "/sel:prod": "v2"} {
		p := param(c.Call("GetParameter", map[string]any{"Name": sel}))
		if p["Value"] != want || p["Name"] != "/sel" {
			t.Errorf("%s = %v", sel, p)
		}
		if s := strings.TrimPrefix(sel, "/sel"); s != "" && p["Selector"] != s {
			t.Errorf("%s: Selector %v", sel, p["Selector"])
		}
	}
	ae := c.WantErr("GetParameter", map[string]any{"Name": "/sel:9"}, "ParameterVersionNotFound", 400)
	if ae.Message != "Systems Manager could not find version 9 of /sel. Verify the version and try again." {
		t.Errorf("message %q", ae.Message)
	}
	c.WantErr("GetParameter", map[string]any{"Name": "/sel:nolabel"}, "ParameterVersionNotFound", 400)
	c.WantErr("GetParameter", map[string]any{"Name": "/missing"}, "ParameterNotFound", 400)
}

func TestGetParametersInvalidAndMax(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/a", "Value": "1", "Type": "String"})
	c.Call("PutParameter", map[string]any{"Name": "/b", "Value": "2", "Type": "SecureString"})
	out := c.Call("GetParameters", map[string]any{"Names": []any{"/a", "/b", "/nope", "/a:7"}, "WithDecryption": true})
	ps, inv := out["Parameters"].([]any), out["InvalidParameters"].([]any)
	if len(ps) != 2 || ps[1].(map[string]any)["Value"] != "2" {
		t.Errorf("Parameters %v", ps)
	}
	if len(inv) != 2 || inv[0] != "/nope" || inv[1] != "/a:7" {
		t.Errorf("InvalidParameters %v", inv)
	}
	names := make([]any, 11)
	for i := range names {
		names[i] = fmt.Sprint("/p", i)
	}
	c.WantErr("GetParameters", map[string]any{"Names": names}, "ValidationException", 400)
}

func TestGetParametersByPath(t *testing.T) {
	c := newClient(t, newEmu(t))
	for _, n := range []string{"/app/a", "/app/b", "/app/sub/c", "/app/sub/deep/d", "/other/e", "toplevel"} {
		c.Call("PutParameter", map[string]any{"Name": n, "Value": "v", "Type": "String"})
	}
	c.Call("PutParameter", map[string]any{"Name": "/app/s", "Value": "secret", "Type": "SecureString"})
	names := func(out map[string]any) []string {
		var s []string
		for _, p := range out["Parameters"].([]any) {
			s = append(s, p.(map[string]any)["Name"].(string))
		}
		return s
	}
	if got := names(c.Call("GetParametersByPath", map[string]any{"Path": "/app"})); strings.Join(got, " ") != "/app/a /app/b /app/s" {
		t.Errorf("one level %v", got)
	}
	if got := names(c.Call("GetParametersByPath", map[string]any{"Path": "/app/", "Recursive": true})); len(got) != 5 {
		t.Errorf("recursive %v", got)
	}
	if got := names(c.Call("GetParametersByPath", map[string]any{"Path": "/", "Recursive": true})); len(got) != 6 {
		t.Errorf("root recursive %v (names without a leading slash are under no path)", got)
	}
	f := []any{map[string]any{"Key": "Type", "Values": []any{"SecureString"}}}
	out := c.Call("GetParametersByPath", map[string]any{"Path": "/app", "Recursive": true, "ParameterFilters": f, "WithDecryption": true})
	if ps := out["Parameters"].([]any); len(ps) != 1 || ps[0].(map[string]any)["Value"] != "secret" {
		t.Errorf("Type filter %v", ps)
	}
	c.Call("LabelParameterVersion", map[string]any{"Name": "/app/b", "Labels": []any{"blue"}})
	f = []any{map[string]any{"Key": "Label", "Option": "Equals", "Values": []any{"blue"}}}
	if got := names(c.Call("GetParametersByPath", map[string]any{"Path": "/app", "ParameterFilters": f})); strings.Join(got, " ") != "/app/b" {
		t.Errorf("Label filter %v", got)
	}
	// Pagination: MaxResults 1..10, NextToken walks every result once.
	var all []string
	tok := ""
	for range 10 {
		in := map[string]any{"Path": "/app", "Recursive": true, "MaxResults": int64(2)}
		if tok != "" {
			in["NextToken"] = tok
		}
		out := c.Call("GetParametersByPath", in)
		all = append(all, names(out)...)
		tok, _ = out["NextToken"].(string)
		if tok == "" {
			break
		}
	}
	if strings.Join(all, " ") != "/app/a /app/b /app/s /app/sub/c /app/sub/deep/d" {
		t.Errorf("paged %v", all)
	}
	c.WantErr("GetParametersByPath", map[string]any{"Path": "/app", "MaxResults": int64(11)}, "ValidationException", 400)
	c.WantErr("GetParametersByPath", map[string]any{"Path": "/app", "NextToken": "garbage"}, "InvalidNextToken", 400)
	c.WantErr("GetParametersByPath", map[string]any{"Path": "app"}, "ValidationException", 400)
	c.WantErr("GetParametersByPath", map[string]any{"Path": "/app", "ParameterFilters": []any{map[string]any{"Key": "Name", "Values": []any{"x"}}}}, "InvalidFilterKey", 400)
	c.WantErr("GetParametersByPath", map[string]any{"Path": "/app", "ParameterFilters": []any{map[string]any{"Key": "Type", "Option": "BeginsWith", "Values": []any{"S"}}}}, "InvalidFilterOption", 400)
}

func TestDeleteParameters(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/a", "Value": "1", "Type": "String"})
	c.Call("PutParameter", map[string]any{"Name": "/b", "Value": "1", "Type": "String"})
	c.Call("DeleteParameter", map[string]any{"Name": "/a"})
	c.WantErr("DeleteParameter", map[string]any{"Name": "/a"}, "ParameterNotFound", 400)
	c.WantErr("GetParameter", map[string]any{"Name": "/a"}, "ParameterNotFound", 400)
	out := c.Call("DeleteParameters", map[string]any{"Names": []any{"/b", "/a"}})
	if d, i := out["DeletedParameters"].([]any), out["InvalidParameters"].([]any); len(d) != 1 || d[0] != "/b" || len(i) != 1 || i[0] != "/a" {
		t.Errorf("DeleteParameters %v", out)
	}
	// Re-creating starts again at version 1.
	if out := c.Call("PutParameter", map[string]any{"Name": "/b", "Value": "1", "Type": "String"}); out["Version"] != int64(1) {
		t.Errorf("recreate %v", out)
	}
}

func TestDescribeParametersFilters(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/app/a", "Value": "v", "Type": "String", "Tags": []any{map[string]any{"Key": "env", "Value": "prod"}}})
	c.Call("PutParameter", map[string]any{"Name": "/app/sub/b", "Value": "v", "Type": "SecureString"})
	c.Call("PutParameter", map[string]any{"Name": "/other/c", "Value": strings.Repeat("x", 5000), "Type": "String", "Tier": "Advanced"})
	c.Call("PutParameter", map[string]any{"Name": "/ami", "Value": "ami-12345678", "Type": "String", "DataType": "aws:ec2:image"})
	names := func(filters []any) string {
		out := c.Call("DescribeParameters", map[string]any{"ParameterFilters": filters})
		var s []string
		for _, p := range out["Parameters"].([]any) {
			s = append(s, p.(map[string]any)["Name"].(string))
		}
		return strings.Join(s, " ")
	}
	f := func(k, opt string, v ...any) []any {
		m := map[string]any{"Key": k, "Values": v}
		if opt != "" {
			m["Option"] = opt
		}
		return []any{m}
	}
	for _, tc := range []struct {
		filters []any
		want    string
	}{
		{f("Name", "", "/app/a"), "/app/a"},
		{f("Name", "BeginsWith", "/app"), "/app/a /app/sub/b"},
		{f("Type", "Equals", "SecureString"), "/app/sub/b"},
		{f("KeyId", "Equals", "alias/aws/ssm"), "/app/sub/b"},
		{f("Path", "", "/app"), "/app/a"},
		{f("Path", "OneLevel", "/app"), "/app/a"},
		{f("Path", "Recursive", "/app"), "/app/a /app/sub/b"},
		{f("Tier", "Equals", "Advanced"), "/other/c"},
		{f("DataType", "Equals", "aws:ec2:image"), "/ami"},
		{f("tag:env", "Equals", "prod"), "/app/a"},
		{f("tag:env", ""), "/app/a"},
		{f("tag:env", "Equals", "dev"), ""},
	} {
		if got := names(tc.filters); got != tc.want {
			t.Errorf("%v: got %q want %q", tc.filters, got, tc.want)
		}
	}
	c.WantErr("DescribeParameters", map[string]any{"ParameterFilters": f("Path", "BeginsWith", "/app")}, "InvalidFilterOption", 400)
	c.WantErr("DescribeParameters", map[string]any{"ParameterFilters": f("Bogus", "", "x")}, "InvalidFilterKey", 400)
	c.WantErr("DescribeParameters", map[string]any{"ParameterFilters": f("Path", "", "app")}, "InvalidFilterValue", 400)
	c.WantErr("DescribeParameters", map[string]any{"MaxResults": int64(51)}, "ValidationException", 400)
	c.WantErr("DescribeParameters", map[string]any{"MaxResults": int64(0)}, "ValidationException", 400)
	// Pagination.
	out := c.Call("DescribeParameters", map[string]any{"MaxResults": int64(3)})
	tok, _ := out["NextToken"].(string)
	if len(out["Parameters"].([]any)) != 3 || tok == "" {
		t.Fatalf("page 1 %v", out)
	}
	out = c.Call("DescribeParameters", map[string]any{"MaxResults": int64(3), "NextToken": tok})
	if len(out["Parameters"].([]any)) != 1 || out["NextToken"] != nil {
		t.Errorf("page 2 %v", out)
	}
	md := c.Call("DescribeParameters", map[string]any{"ParameterFilters": f("Name", "", "/app/a")})["Parameters"].([]any)[0].(map[string]any)
	if md["ARN"] != "arn:aws:ssm:us-east-1:000000000000:parameter/app/a" || md["Tier"] != "Standard" || md["LastModifiedUser"] == nil {
		t.Errorf("metadata %v", md)
	}
}

func TestGetParameterHistoryAndVersionLimit(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/h", "Value": "s1", "Type": "SecureString", "Description": "first"})
	c.Call("PutParameter", map[string]any{"Name": "/h", "Value": "s2", "Overwrite": true})
	c.Call("LabelParameterVersion", map[string]any{"Name": "/h", "ParameterVersion": int64(1), "Labels": []any{"orig"}})
	hist := c.Call("GetParameterHistory", map[string]any{"Name": "/h", "WithDecryption": true})["Parameters"].([]any)
	if len(hist) != 2 {
		t.Fatalf("history %v", hist)
	}
	h1 := hist[0].(map[string]any)
	if h1["Value"] != "s1" || h1["Version"] != int64(1) || h1["Labels"].([]any)[0] != "orig" || h1["Description"] != "first" || h1["KeyId"] != "alias/aws/ssm" {
		t.Errorf("version 1 %v", h1)
	}
	if enc := c.Call("GetParameterHistory", map[string]any{"Name": "/h"})["Parameters"].([]any)[1].(map[string]any); enc["Value"] == "s2" {
		t.Errorf("history without decryption shows plaintext")
	}
	c.WantErr("GetParameterHistory", map[string]any{"Name": "/nope"}, "ParameterNotFound", 400)
	page := c.Call("GetParameterHistory", map[string]any{"Name": "/h", "MaxResults": int64(1)})
	tok, _ := page["NextToken"].(string)
	page2 := c.Call("GetParameterHistory", map[string]any{"Name": "/h", "MaxResults": int64(1), "NextToken": tok})
	if tok == "" || page2["Parameters"].([]any)[0].(map[string]any)["Version"] != int64(2) || page2["NextToken"] != nil {
		t.Errorf("history pages %v %v", page, page2)
	}

	// 100 versions are kept; the oldest is dropped, unless it is labelled.
	for i := 3; i <= 100; i++ {
		c.Call("PutParameter", map[string]any{"Name": "/h", "Value": fmt.Sprint("s", i), "Overwrite": true})
	}
	ae := c.WantErr("PutParameter", map[string]any{"Name": "/h", "Value": "s101", "Overwrite": true}, "ParameterMaxVersionLimitExceeded", 400)
	if !strings.Contains(ae.Message, "Version 1, the oldest version, can't be deleted because it has a label associated with it.") {
		t.Errorf("message %q", ae.Message)
	}
	c.Call("UnlabelParameterVersion", map[string]any{"Name": "/h", "ParameterVersion": int64(1), "Labels": []any{"orig"}})
	if out := c.Call("PutParameter", map[string]any{"Name": "/h", "Value": "s101", "Overwrite": true}); out["Version"] != int64(101) {
		t.Errorf("version 101 %v", out)
	}
	c.WantErr("GetParameter", map[string]any{"Name": "/h:1"}, "ParameterVersionNotFound", 400)
	n := 0
	for tok := ""; ; {
		in := map[string]any{"Name": "/h", "MaxResults": int64(50)}
		if tok != "" {
			in["NextToken"] = tok
		}
		out := c.Call("GetParameterHistory", in)
		n += len(out["Parameters"].([]any))
		if tok, _ = out["NextToken"].(string); tok == "" || n > 200 {
			break
		}
	}
	if n != 100 {
		t.Errorf("history length %d, want 100", n)
	}
}

func TestLabelParameterVersion(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/l", "Value": "1", "Type": "String"})
	c.Call("PutParameter", map[string]any{"Name": "/l", "Value": "2", "Type": "String", "Overwrite": true})
	out := c.Call("LabelParameterVersion", map[string]any{"Name": "/l", "ParameterVersion": int64(1), "Labels": []any{"prod", "1bad", "aws-x", "ok.label_1"}})
	if inv := out["InvalidLabels"].([]any); len(inv) != 2 || inv[0] != "1bad" || inv[1] != "aws-x" || out["ParameterVersion"] != int64(1) {
		t.Errorf("label %v", out)
	}
	// Without a version the latest gets the label, and it moves there.
	if out := c.Call("LabelParameterVersion", map[string]any{"Name": "/l", "Labels": []any{"prod"}}); out["ParameterVersion"] != int64(2) {
		t.Errorf("latest %v", out)
	}
	hist := c.Call("GetParameterHistory", map[string]any{"Name": "/l"})["Parameters"].([]any)
	if l := hist[0].(map[string]any)["Labels"].([]any); len(l) != 1 || l[0] != "ok.label_1" {
		t.Errorf("version 1 labels %v", l)
	}
	if l := hist[1].(map[string]any)["Labels"].([]any); len(l) != 1 || l[0] != "prod" {
		t.Errorf("version 2 labels %v", l)
	}
	var ten []any
	for i := range 9 {
		ten = append(ten, fmt.Sprint("l", i))
	}
	c.Call("LabelParameterVersion", map[string]any{"Name": "/l", "ParameterVersion": int64(2), "Labels": ten})
	c.WantErr("LabelParameterVersion", map[string]any{"Name": "/l", "ParameterVersion": int64(2), "Labels": []any{"eleventh"}}, "ParameterVersionLabelLimitExceeded", 400)
	c.WantErr("LabelParameterVersion", map[string]any{"Name": "/l", "ParameterVersion": int64(7), "Labels": []any{"x"}}, "ParameterVersionNotFound", 400)
	c.WantErr("LabelParameterVersion", map[string]any{"Name": "/nope", "Labels": []any{"x"}}, "ParameterNotFound", 400)
	out = c.Call("UnlabelParameterVersion", map[string]any{"Name": "/l", "ParameterVersion": int64(2), "Labels": []any{"prod", "absent"}})
	if r, i := out["RemovedLabels"].([]any), out["InvalidLabels"].([]any); len(r) != 1 || r[0] != "prod" || len(i) != 1 || i[0] != "absent" {
		t.Errorf("unlabel %v", out)
	}
	c.WantErr("UnlabelParameterVersion", map[string]any{"Name": "/l", "ParameterVersion": int64(9), "Labels": []any{"x"}}, "ParameterVersionNotFound", 400)
	c.WantErr("UnlabelParameterVersion", map[string]any{"Name": "/nope", "ParameterVersion": int64(1), "Labels": []any{"x"}}, "ParameterNotFound", 400)
}

func TestParameterTags(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("PutParameter", map[string]any{"Name": "/t", "Value": "v", "Type": "String", "Tags": []any{map[string]any{"Key": "b", "Value": "2"}}})
	c.Call("AddTagsToResource", map[string]any{"ResourceType": "Parameter", "ResourceId": "/t", "Tags": []any{map[string]any{"Key": "a", "Value": "1"}, map[string]any{"Key": "b", "Value": "3"}}})
	tags := c.Call("ListTagsForResource", map[string]any{"ResourceType": "Parameter", "ResourceId": "/t"})["TagList"].([]any)
	if len(tags) != 2 || tags[0].(map[string]any)["Key"] != "a" || tags[1].(map[string]any)["Value"] != "3" {
		t.Errorf("tags %v", tags)
	}
	c.Call("RemoveTagsFromResource", map[string]any{"ResourceType": "Parameter", "ResourceId": "/t", "TagKeys": []any{"a"}})
	if tags := c.Call("ListTagsForResource", map[string]any{"ResourceType": "Parameter", "ResourceId": "/t"})["TagList"].([]any); len(tags) != 1 {
		t.Errorf("after remove %v", tags)
	}
	c.WantErr("ListTagsForResource", map[string]any{"ResourceType": "Parameter", "ResourceId": "/nope"}, "InvalidResourceId", 400)
	c.WantErr("AddTagsToResource", map[string]any{"ResourceType": "Bucket", "ResourceId": "/t", "Tags": []any{map[string]any{"Key": "a", "Value": "1"}}}, "InvalidResourceType", 400)
	var many []any
	for i := range 51 {
		many = append(many, map[string]any{"Key": fmt.Sprint("k", i), "Value": "v"})
	}
	c.WantErr("AddTagsToResource", map[string]any{"ResourceType": "Parameter", "ResourceId": "/t", "Tags": many}, "TooManyTagsError", 400)
}
