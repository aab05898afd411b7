package secretsmanager_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/secretsmanager"
)

const tok1 = "11111111111111111111111111111111"
const tok2 = "22222222222222222222222222222222"

func TestCreateGetSecretValue(t *testing.T) {
	c := newClient(t, newEmu(t))
	out := c.Call("CreateSecret", map[string]any{"Name": "db/pass", "SecretString": "s3cret", "ClientRequestToken": tok1})
	arn := out["ARN"].(string)
	if !strings.HasPrefix(arn, "arn:aws:secretsmanager:us-east-1:000000000000:secret:db/pass-") || len(arn) != len("arn:aws:secretsmanager:us-east-1:000000000000:secret:db/pass-")+6 {
		t.Errorf("ARN %s", arn)
	}
	if out["VersionId"] != tok1 {
		t.Errorf("VersionId %v", out["VersionId"])
	}
	for _, id := range []string{"db/pass", arn} {
		v := c.Call("GetSecretValue", map[string]any{"SecretId": id})
		if v["SecretString"] != "s3cret" || v["VersionId"] != tok1 || v["VersionStages"].([]any)[0] != "AWSCURRENT" {
			t.Errorf("GetSecretValue(%s) = %v", id, v)
		}
	}
	c.Call("CreateSecret", map[string]any{"Name": "bin", "SecretBinary": []byte{0, 1, 2}})
	if v := c.Call("GetSecretValue", map[string]any{"SecretId": "bin"}); !bytes.Equal(v["SecretBinary"].([]byte), []byte{0, 1, 2}) {
		t.Errorf("binary %v", v)
	}
	c.WantErr("GetSecretValue", map[string]any{"SecretId": "nope"}, "ResourceNotFoundException", 400)
	c.WantErr("CreateSecret", map[string]any{"Name": "x", "SecretString": "a", "SecretBinary": []byte("b")}, "InvalidParameterException", 400)
}

func TestClientRequestTokenIdempotency(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "v1", "ClientRequestToken": tok1})
	// Same token, same value: the retry succeeds.
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "v1", "ClientRequestToken": tok1})
	c.WantErr("CreateSecret", map[string]any{"Name": "s", "SecretString": "v2", "ClientRequestToken": tok1}, "ResourceExistsException", 400)
	c.WantErr("CreateSecret", map[string]any{"Name": "s", "SecretString": "v1", "ClientRequestToken": tok2}, "ResourceExistsException", 400)
	c.Call("PutSecretValue", map[string]any{"SecretId": "s", "SecretString": "v2", "ClientRequestToken": tok2})
	c.Call("PutSecretValue", map[string]any{"SecretId": "s", "SecretString": "v2", "ClientRequestToken": tok2})
	c.WantErr("PutSecretValue", map[string]any{"SecretId": "s", "SecretString": "v3", "ClientRequestToken": tok2}, "ResourceExistsException", 400)
}

func TestStagesMoveOnPutSecretValue(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "v1", "ClientRequestToken": tok1})
	c.Call("PutSecretValue", map[string]any{"SecretId": "s", "SecretString": "v2", "ClientRequestToken": tok2})
	if v := c.Call("GetSecretValue", map[string]any{"SecretId": "s", "VersionStage": "AWSPREVIOUS"}); v["SecretString"] != "v1" {
		t.Errorf("AWSPREVIOUS = %v", v)
	}
	tok3 := strings.Repeat("3", 32)
	c.Call("PutSecretValue", map[string]any{"SecretId": "s", "SecretString": "v3", "ClientRequestToken": tok3, "VersionStages": []any{"AWSPENDING"}})
	if v := c.Call("GetSecretValue", map[string]any{"SecretId": "s"}); v["SecretString"] != "v2" {
		t.Errorf("pending moved AWSCURRENT: %v", v)
	}
	if v := c.Call("GetSecretValue", map[string]any{"SecretId": "s", "VersionId": tok3}); v["SecretString"] != "v3" {
		t.Errorf("by VersionId %v", v)
	}
	c.WantErr("UpdateSecretVersionStage", map[string]any{"SecretId": "s", "VersionStage": "AWSCURRENT", "MoveToVersionId": tok3}, "InvalidParameterException", 400)
	c.Call("UpdateSecretVersionStage", map[string]any{"SecretId": "s", "VersionStage": "AWSCURRENT", "MoveToVersionId": tok3, "RemoveFromVersionId": tok2})
	if v := c.Call("GetSecretValue", map[string]any{"SecretId": "s"}); v["SecretString"] != "v3" {
		t.Errorf("after move: %v", v)
	}
	if v := c.Call("GetSecretValue", map[string]any{"SecretId": "s", "VersionStage": "AWSPREVIOUS"}); v["SecretString"] != "v2" {
		t.Errorf("AWSPREVIOUS after move: %v", v)
	}
	vs := c.Call("ListSecretVersionIds", map[string]any{"SecretId": "s"})["Versions"].([]any)
	if len(vs) != 2 {
		t.Errorf("versions with labels: %v", vs)
	}
	if all := c.Call("ListSecretVersionIds", map[string]any{"SecretId": "s", "IncludeDeprecated": true})["Versions"].([]any); len(all) != 3 {
		t.Errorf("all versions: %v", all)
	}
	c.WantErr("GetSecretValue", map[string]any{"SecretId": "s", "VersionId": strings.Repeat("9", 32)}, "ResourceNotFoundException", 400)
}

func TestDeleteAndRestore(t *testing.T) {
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	c := newClient(t, newEmu(t, emulator.Options{Clock: emulator.FixedClock(start)}))
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "v"})
	for _, d := range []int64{6, 31} {
		c.WantErr("DeleteSecret", map[string]any{"SecretId": "s", "RecoveryWindowInDays": d}, "InvalidParameterException", 400)
	}
	c.WantErr("DeleteSecret", map[string]any{"SecretId": "s", "RecoveryWindowInDays": int64(7), "ForceDeleteWithoutRecovery": true}, "InvalidParameterException", 400)
	out := c.Call("DeleteSecret", map[string]any{"SecretId": "s", "RecoveryWindowInDays": int64(7)})
	if !out["DeletionDate"].(time.Time).Equal(start.AddDate(0, 0, 7)) {
		t.Errorf("DeletionDate %v", out["DeletionDate"])
	}
	ae := c.WantErr("GetSecretValue", map[string]any{"SecretId": "s"}, "InvalidRequestException", 400)
	if ae.Message != "You can't perform this operation on the secret because it was marked for deletion." {
		t.Errorf("message %q", ae.Message)
	}
	if d := c.Call("DescribeSecret", map[string]any{"SecretId": "s"}); d["DeletedDate"] == nil {
		t.Errorf("DescribeSecret of deleted: %v", d)
	}
	c.WantErr("CreateSecret", map[string]any{"Name": "s", "SecretString": "v"}, "InvalidRequestException", 400)
	c.Call("RestoreSecret", map[string]any{"SecretId": "s"})
	c.Call("GetSecretValue", map[string]any{"SecretId": "s"})
	c.Call("DeleteSecret", map[string]any{"SecretId": "s", "ForceDeleteWithoutRecovery": true})
	c.WantErr("DescribeSecret", map[string]any{"SecretId": "s"}, "ResourceNotFoundException", 400)
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "again"})
}

func TestListSecretsFiltersAndPages(t *testing.T) {
	c := newClient(t, newEmu(t))
	for _, n := range []string{"app/a", "app/b", "app/c", "other"} {
		c.Call("CreateSecret", map[string]any{"Name": n, "SecretString": "v", "Tags": []any{map[string]any{"Key": "team", "Value": n[:3]}}})
	}
	names := func(out map[string]any) (ns []string) {
		for _, e := range out["SecretList"].([]any) {
			ns = append(ns, e.(map[string]any)["Name"].(string))
		}
		return ns
	}
	got := names(c.Call("ListSecrets", map[string]any{"Filters": []any{map[string]any{"Key": "name", "Values": []any{"app/"}}}}))
	if strings.Join(got, ",") != "app/a,app/b,app/c" {
		t.Errorf("name filter: %v", got)
	}
	got = names(c.Call("ListSecrets", map[string]any{"Filters": []any{map[string]any{"Key": "tag-value", "Values": []any{"oth"}}}}))
	if strings.Join(got, ",") != "other" {
		t.Errorf("tag filter: %v", got)
	}
	var all []string
	params := map[string]any{"MaxResults": int64(3)}
	for i := 0; i < 5; i++ {
		out := c.Call("ListSecrets", params)
		all = append(all, names(out)...)
		if out["NextToken"] == nil {
			break
		}
		params["NextToken"] = out["NextToken"]
	}
	if len(all) != 4 {
		t.Errorf("paged: %v", all)
	}
	c.WantErr("ListSecrets", map[string]any{"NextToken": "bogus"}, "InvalidNextTokenException", 400)
}

func TestBatchGetSecretValue(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("CreateSecret", map[string]any{"Name": "a", "SecretString": "1"})
	c.Call("CreateSecret", map[string]any{"Name": "b", "SecretString": "2"})
	out := c.Call("BatchGetSecretValue", map[string]any{"SecretIdList": []any{"a", "b", "missing"}})
	if len(out["SecretValues"].([]any)) != 2 || len(out["Errors"].([]any)) != 1 ||
		out["Errors"].([]any)[0].(map[string]any)["ErrorCode"] != "ResourceNotFoundException" {
		t.Errorf("BatchGetSecretValue = %v", out)
	}
	c.WantErr("BatchGetSecretValue", map[string]any{"SecretIdList": []any{"a"}, "Filters": []any{map[string]any{"Key": "name", "Values": []any{"a"}}}}, "InvalidParameterException", 400)
}

func TestGetRandomPassword(t *testing.T) {
	c := newClient(t, newEmu(t))
	pw := c.Call("GetRandomPassword", nil)["RandomPassword"].(string)
	if len(pw) != 32 {
		t.Errorf("default length %d", len(pw))
	}
	pw = c.Call("GetRandomPassword", map[string]any{"PasswordLength": int64(50), "ExcludePunctuation": true, "ExcludeCharacters": "abc", "IncludeSpace": false})["RandomPassword"].(string)
	if len(pw) != 50 || strings.ContainsAny(pw, "abc"+"!@#$%^&*() ") {
		t.Errorf("password %q", pw)
	}
	pw = c.Call("GetRandomPassword", map[string]any{"PasswordLength": int64(4), "ExcludeLowercase": true, "ExcludeUppercase": true, "ExcludePunctuation": true})["RandomPassword"].(string)
	if strings.Trim(pw, "0123456789") != "" {
		t.Errorf("digits only: %q", pw)
	}
	c.WantErr("GetRandomPassword", map[string]any{"ExcludeLowercase": true, "ExcludeUppercase": true, "ExcludePunctuation": true, "ExcludeNumbers": true}, "InvalidParameterException", 400)
	c.WantErr("GetRandomPassword", map[string]any{"PasswordLength": int64(2)}, "InvalidParameterException", 400)
}

func TestTagsPolicyUpdate(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "v", "Description": "d1"})
	c.Call("TagResource", map[string]any{"SecretId": "s", "Tags": []any{map[string]any{"Key": "k", "Value": "v"}}})
	c.Call("UntagResource", map[string]any{"SecretId": "s", "TagKeys": []any{"nope"}})
	c.Call("UpdateSecret", map[string]any{"SecretId": "s", "Description": "d2", "SecretString": "v2"})
	d := c.Call("DescribeSecret", map[string]any{"SecretId": "s"})
	if d["Description"] != "d2" || len(d["Tags"].([]any)) != 1 || len(d["VersionIdsToStages"].(map[string]any)) != 2 {
		t.Errorf("DescribeSecret %v", d)
	}
	pol := `{"Version":"2012-10-17","Statement":[]}`
	c.Call("PutResourcePolicy", map[string]any{"SecretId": "s", "ResourcePolicy": pol})
	if got := c.Call("GetResourcePolicy", map[string]any{"SecretId": "s"})["ResourcePolicy"]; got != pol {
		t.Errorf("policy %v", got)
	}
	c.WantErr("PutResourcePolicy", map[string]any{"SecretId": "s", "ResourcePolicy": "{"}, "MalformedPolicyDocumentException", 400)
	c.Call("DeleteResourcePolicy", map[string]any{"SecretId": "s"})
}

func TestValuesEncryptedUnderKMSKey(t *testing.T) {
	emu := newEmu(t)
	c := newClient(t, emu)
	kms := func(op string, in map[string]any) map[string]any {
		out, err := emu.Call(context.Background(), "000000000000", "us-east-1", "kms", op, in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	key := kms("CreateKey", nil)["KeyMetadata"].(map[string]any)
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "top", "KmsKeyId": key["KeyId"]})
	kms("DisableKey", map[string]any{"KeyId": key["KeyId"]})
	c.WantErr("GetSecretValue", map[string]any{"SecretId": "s"}, "DecryptionFailure", 400)
	kms("EnableKey", map[string]any{"KeyId": key["KeyId"]})
	c.Call("GetSecretValue", map[string]any{"SecretId": "s"})
	// The default key is the AWS managed alias/aws/secretsmanager.
	c.Call("CreateSecret", map[string]any{"Name": "d", "SecretString": "x"})
	kms("DescribeKey", map[string]any{"KeyId": "alias/aws/secretsmanager"})
	c.WantErr("CreateSecret", map[string]any{"Name": "e", "SecretString": "x", "KmsKeyId": "alias/missing"}, "EncryptionFailure", 400)
}

func TestRotateSecretRunsHookSteps(t *testing.T) {
	c := newClient(t, newEmu(t))
	c.Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "old", "ClientRequestToken": tok1})
	var steps []string
	old := secretsmanager.SetRotationHook(func(ctx context.Context, r secretsmanager.RotationRequest) error {
		steps = append(steps, r.Step)
		switch r.Step {
		case "createSecret":
			_, err := r.Call(ctx, "PutSecretValue", map[string]any{"SecretId": r.SecretID, "ClientRequestToken": r.ClientRequestToken,
				"SecretString": "new", "VersionStages": []any{"AWSPENDING"}})
			return err
		case "finishSecret":
			_, err := r.Call(ctx, "UpdateSecretVersionStage", map[string]any{"SecretId": r.SecretID, "VersionStage": "AWSCURRENT",
				"MoveToVersionId": r.ClientRequestToken, "RemoveFromVersionId": tok1})
			if err != nil {
				return err
			}
			_, err = r.Call(ctx, "UpdateSecretVersionStage", map[string]any{"SecretId": r.SecretID, "VersionStage": "AWSPENDING",
				"RemoveFromVersionId": r.ClientRequestToken})
			return err
		}
		return nil
	})
	defer secretsmanager.SetRotationHook(old)
	c.WantErr("RotateSecret", map[string]any{"SecretId": "s"}, "InvalidRequestException", 400)
	out := c.Call("RotateSecret", map[string]any{"SecretId": "s", "ClientRequestToken": tok2,
		"RotationLambdaARN": "arn:aws:lambda:us-east-1:000000000000:function:rot", "RotationRules": map[string]any{"AutomaticallyAfterDays": int64(30)}})
	if out["VersionId"] != tok2 || strings.Join(steps, ",") != "createSecret,setSecret,testSecret,finishSecret" {
		t.Errorf("RotateSecret = %v, steps %v", out, steps)
	}
	if v := c.Call("GetSecretValue", map[string]any{"SecretId": "s"}); v["SecretString"] != "new" {
		t.Errorf("after rotation %v", v)
	}
	d := c.Call("DescribeSecret", map[string]any{"SecretId": "s"})
	if d["RotationEnabled"] != true || d["LastRotatedDate"] == nil {
		t.Errorf("DescribeSecret %v", d)
	}
}

func TestSecretSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	open := func() *emulator.Emulator {
		emu, err := emulator.New(emulator.Options{DataPath: path, Services: []string{"kms", "secretsmanager"}})
		if err != nil {
			t.Fatal(err)
		}
		return emu
	}
	e1 := open()
	newClient(t, e1).Call("CreateSecret", map[string]any{"Name": "s", "SecretString": "kept"})
	e1.Close()
	e2 := open()
	defer e2.Close()
	if v := newClient(t, e2).Call("GetSecretValue", map[string]any{"SecretId": "s"}); v["SecretString"] != "kept" {
		t.Errorf("after restart %v", v)
	}
}
