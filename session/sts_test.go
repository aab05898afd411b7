package session

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// 2.21, 2.22: a role profile assumes the role through STS, signed with the
// source profile's keys, at AWS_ENDPOINT_URL_STS.
func TestAssumeRoleProfileCallsSTS_2_21(t *testing.T) {
	srv := newFakeAWS(t, cannedResponse{200, nil, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIATEMP</AccessKeyId><SecretAccessKey>tmpsecret</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROA:mysess</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/mysess</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></AssumeRoleResponse>`})
	config := "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = src\nrole_session_name = mysess\nexternal_id = ext\nduration_seconds = 1800\nregion = us-west-2\n"
	creds := "[src]\naws_access_key_id = SRCKEY\naws_secret_access_key = srcsecret\n"
	s, err := New(Options{Profile: "role", Env: writeFiles(t, config, creds, map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL})})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Credentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "ASIATEMP" || c.SessionToken != "tok" || c.Method != "assume-role" {
		t.Errorf("credentials = %+v", c)
	}
	r := srv.requests()[0]
	body, _ := url.ParseQuery(r.Body)
	if body.Get("Action") != "AssumeRole" || body.Get("RoleSessionName") != "mysess" || body.Get("ExternalId") != "ext" ||
		body.Get("DurationSeconds") != "1800" || body.Get("RoleArn") != "arn:aws:iam::123456789012:role/r" {
		t.Errorf("body = %s", r.Body)
	}
	if a := r.Header.Get("Authorization"); !strings.Contains(a, "Credential=SRCKEY/") || !strings.Contains(a, "/us-west-2/sts/") {
		t.Errorf("Authorization = %s", a)
	}
}
