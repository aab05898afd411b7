package sts_test

import (
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/internal/wiretest"
	_ "github.com/fakecloud/fakecloud/emulator/sqs"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// With VerifySignatures on, AssumeRole's temporary credentials sign
// requests to any service: the emulator looks the key up in STS's store and
// requires the session token (X-Amz-Security-Token) it was issued with.
func TestAssumedRoleCredentialsPassSignatureVerification(t *testing.T) {
	base := sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	emu := wiretest.NewEmulator(t, []string{"sts", "sqs"}, emulator.Options{Seed: 3, VerifySignatures: true,
		Credentials: map[string]string{base.AccessKeyID: base.SecretAccessKey}})
	st := wiretest.New(t, emu, "sts", wiretest.Signed(base, nil))
	out := st.Call("AssumeRole", map[string]any{"RoleArn": "arn:aws:iam::123456789012:role/deployer", "RoleSessionName": "ci"})
	c := out["Credentials"].(map[string]any)
	temp := sigv4.Credentials{AccessKeyID: c["AccessKeyId"].(string), SecretAccessKey: c["SecretAccessKey"].(string),
		SessionToken: c["SessionToken"].(string)}

	// The session acts as the role, in the role's account.
	who := wiretest.New(t, emu, "sts", wiretest.Signed(temp, nil)).Call("GetCallerIdentity", nil)
	if who["Account"] != "123456789012" || who["Arn"] != "arn:aws:sts::123456789012:assumed-role/deployer/ci" {
		t.Fatalf("caller %v", who)
	}
	sqs := wiretest.New(t, emu, "sqs", wiretest.Signed(temp, nil))
	url := sqs.Call("CreateQueue", map[string]any{"QueueName": "work"})["QueueUrl"].(string)
	if want := "/123456789012/work"; len(url) < len(want) || url[len(url)-len(want):] != want {
		t.Fatalf("queue url %s is not in the role's account", url)
	}

	wrong := temp
	wrong.SessionToken = temp.SessionToken[:len(temp.SessionToken)-4] + "AAAA"
	// The core answers awsJson services' unknown tokens as
	// UnrecognizedClientException/400, STS's query as InvalidClientTokenId/403.
	e := wiretest.New(t, emu, "sqs", wiretest.Signed(wrong, nil)).WantErr("ListQueues", nil, "UnrecognizedClientException", 400)
	if e.Message != "The security token included in the request is invalid." {
		t.Errorf("message %q", e.Message)
	}
	wiretest.New(t, emu, "sts", wiretest.Signed(wrong, nil)).WantErr("GetCallerIdentity", nil, "InvalidClientTokenId", 403)
	noToken := temp
	noToken.SessionToken = ""
	wiretest.New(t, emu, "sts", wiretest.Signed(noToken, nil)).WantErr("GetCallerIdentity", nil, "InvalidClientTokenId", 403)
	badSecret := temp
	badSecret.SecretAccessKey += "x"
	wiretest.New(t, emu, "sts", wiretest.Signed(badSecret, nil)).WantErr("GetCallerIdentity", nil, "SignatureDoesNotMatch", 403)
}
