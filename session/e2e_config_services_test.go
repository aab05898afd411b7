package session_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
	_ "github.com/fakecloud/fakecloud/emulator/services"
	"github.com/fakecloud/fakecloud/session"
)

// configClient is a session client for svc pointed at a fresh emulator.
func configClient(t *testing.T, svc string) *session.Client {
	t.Helper()
	srv := emulator.NewTestServer(t)
	c, err := emuSession(t).Client(svc, session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantAPIError fails unless err is an *APIError with code and HTTP status,
// Modeled exactly when c's model lists the code.
func wantAPIError(t *testing.T, c *session.Client, err error, code string, status int) *session.APIError {
	t.Helper()
	var ae *session.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want APIError %s", err, code)
	}
	if ae.Code != code || ae.HTTPStatus != status {
		t.Fatalf("err = %s/%d (%v), want %s/%d", ae.Code, ae.HTTPStatus, err, code, status)
	}
	if _, modeled := c.Exceptions().Code(code); ae.Modeled != modeled {
		t.Errorf("%s: Modeled = %v, the model says %v", code, ae.Modeled, modeled)
	}
	return ae
}

// KMS: a symmetric key's ciphertext decrypts only under the same encryption
// context; a wrong context is InvalidCiphertextException (400), as AWS.
func TestEndToEndKMSEncryptDecryptWithEncryptionContext(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "kms")
	key, err := c.Call(ctx, "create_key", session.Params{"Description": "e2e"})
	if err != nil {
		t.Fatal(err)
	}
	keyID := key.String("KeyMetadata.KeyId")
	if keyID == "" || key.String("KeyMetadata.KeySpec") != "SYMMETRIC_DEFAULT" || key.String("KeyMetadata.KeyUsage") != "ENCRYPT_DECRYPT" {
		t.Fatalf("CreateKey = %#v", key.Data)
	}
	if !strings.HasPrefix(key.String("KeyMetadata.Arn"), "arn:aws:kms:us-east-1:") {
		t.Errorf("Arn = %q", key.String("KeyMetadata.Arn"))
	}
	ec := map[string]any{"tenant": "acme", "purpose": "e2e"}
	enc, err := c.Call(ctx, "Encrypt", session.Params{"KeyId": keyID, "Plaintext": []byte("attack at dawn"), "EncryptionContext": ec})
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := enc.Get("CiphertextBlob")
	ct, ok := blob.([]byte)
	if !ok || len(ct) == 0 || bytes.Contains(ct, []byte("attack at dawn")) {
		t.Fatalf("CiphertextBlob = %#v", blob)
	}
	if enc.String("KeyId") != key.String("KeyMetadata.Arn") {
		t.Errorf("Encrypt KeyId = %q, want the key ARN", enc.String("KeyId"))
	}
	// Decrypt needs no KeyId for a symmetric key: the blob names it.
	dec, err := c.Call(ctx, "Decrypt", session.Params{"CiphertextBlob": ct, "EncryptionContext": map[string]any{"purpose": "e2e", "tenant": "acme"}})
	if err != nil {
		t.Fatal(err)
	}
	if pt, _ := dec.Get("Plaintext"); !bytes.Equal(pt.([]byte), []byte("attack at dawn")) {
		t.Errorf("Plaintext = %q", pt)
	}
	if dec.String("KeyId") != key.String("KeyMetadata.Arn") {
		t.Errorf("Decrypt KeyId = %q", dec.String("KeyId"))
	}
	for name, bad := range map[string]map[string]any{
		"missing": nil,
		"changed": {"tenant": "other", "purpose": "e2e"},
		"extra":   {"tenant": "acme", "purpose": "e2e", "x": "y"},
	} {
		t.Run(name, func(t *testing.T) {
			p := session.Params{"CiphertextBlob": ct}
			if bad != nil {
				p["EncryptionContext"] = bad
			}
			_, err := c.Call(ctx, "Decrypt", p)
			wantAPIError(t, c, err, "InvalidCiphertextException", 400)
		})
	}
	_, err = c.Call(ctx, "Encrypt", session.Params{"KeyId": "alias/none", "Plaintext": []byte("x")})
	wantAPIError(t, c, err, "NotFoundException", 400)
}

// KMS GenerateDataKey: the plaintext key is KeySpec's size and the
// encrypted copy decrypts back to it (under the same context).
func TestEndToEndKMSGenerateDataKey(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "kms")
	key, err := c.Call(ctx, "CreateKey", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "CreateAlias", session.Params{"AliasName": "alias/e2e-data", "TargetKeyId": key.String("KeyMetadata.KeyId")}); err != nil {
		t.Fatal(err)
	}
	ec := map[string]any{"bucket": "b1"}
	for _, tc := range []struct {
		params session.Params
		size   int
	}{
		{session.Params{"KeySpec": "AES_256"}, 32},
		{session.Params{"KeySpec": "AES_128"}, 16},
		{session.Params{"NumberOfBytes": int64(64)}, 64},
	} {
		p := session.Params{"KeyId": "alias/e2e-data", "EncryptionContext": ec}
		for k, v := range tc.params {
			p[k] = v
		}
		dk, err := c.Call(ctx, "generate_data_key", p)
		if err != nil {
			t.Fatalf("%v: %v", tc.params, err)
		}
		pt, _ := dk.Get("Plaintext")
		ctb, _ := dk.Get("CiphertextBlob")
		if len(pt.([]byte)) != tc.size {
			t.Errorf("%v: len(Plaintext) = %d, want %d", tc.params, len(pt.([]byte)), tc.size)
		}
		dec, err := c.Call(ctx, "Decrypt", session.Params{"CiphertextBlob": ctb, "EncryptionContext": ec})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := dec.Get("Plaintext"); !bytes.Equal(got.([]byte), pt.([]byte)) {
			t.Errorf("%v: decrypted data key differs", tc.params)
		}
	}
	// Neither KeySpec nor NumberOfBytes: AWS answers ValidationException,
	// which the KMS model does not list (so Modeled is false).
	_, err = c.Call(ctx, "GenerateDataKey", session.Params{"KeyId": "alias/e2e-data"})
	wantAPIError(t, c, err, "ValidationException", 400)
}

// KMS Sign/Verify with an RSA_2048 key; the signature also verifies with Go's
// crypto/rsa over the DER SubjectPublicKeyInfo GetPublicKey returns.
func TestEndToEndKMSSignVerifyRSAWithGetPublicKey(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "kms")
	key, err := c.Call(ctx, "CreateKey", session.Params{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})
	if err != nil {
		t.Fatal(err)
	}
	keyID := key.String("KeyMetadata.KeyId")
	pub, err := c.Call(ctx, "GetPublicKey", session.Params{"KeyId": keyID})
	if err != nil {
		t.Fatal(err)
	}
	if pub.String("KeySpec") != "RSA_2048" || pub.String("KeyUsage") != "SIGN_VERIFY" {
		t.Errorf("GetPublicKey = %#v", pub.Data)
	}
	algs := fmt.Sprint(pub.List("SigningAlgorithms"))
	if !strings.Contains(algs, "RSASSA_PSS_SHA_256") || !strings.Contains(algs, "RSASSA_PKCS1_V1_5_SHA_256") {
		t.Errorf("SigningAlgorithms = %s", algs)
	}
	der, _ := pub.Get("PublicKey")
	parsed, err := x509.ParsePKIXPublicKey(der.([]byte))
	if err != nil {
		t.Fatalf("PublicKey is not DER SubjectPublicKeyInfo: %v", err)
	}
	rk, ok := parsed.(*rsa.PublicKey)
	if !ok || rk.N.BitLen() != 2048 {
		t.Fatalf("public key = %T", parsed)
	}

	msg := []byte("release v1.2.3")
	digest := sha256.Sum256(msg)
	for _, tc := range []struct {
		alg, msgType string
		message      []byte
	}{
		{"RSASSA_PKCS1_V1_5_SHA_256", "RAW", msg},
		{"RSASSA_PSS_SHA_256", "RAW", msg},
		{"RSASSA_PKCS1_V1_5_SHA_256", "DIGEST", digest[:]},
		{"RSASSA_PSS_SHA_256", "DIGEST", digest[:]},
	} {
		t.Run(tc.alg+"/"+tc.msgType, func(t *testing.T) {
			out, err := c.Call(ctx, "sign", session.Params{"KeyId": keyID, "Message": tc.message, "MessageType": tc.msgType, "SigningAlgorithm": tc.alg})
			if err != nil {
				t.Fatal(err)
			}
			s, _ := out.Get("Signature")
			sig := s.([]byte)
			if out.String("SigningAlgorithm") != tc.alg || len(sig) != 256 {
				t.Fatalf("Sign = %s, %d bytes", out.String("SigningAlgorithm"), len(sig))
			}
			// Go's crypto agrees: KMS PSS uses a salt as long as the digest.
			if strings.HasPrefix(tc.alg, "RSASSA_PSS_") {
				err = rsa.VerifyPSS(rk, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
			} else {
				err = rsa.VerifyPKCS1v15(rk, crypto.SHA256, digest[:], sig)
			}
			if err != nil {
				t.Errorf("crypto/rsa rejects the KMS signature: %v", err)
			}
			v, err := c.Call(ctx, "Verify", session.Params{"KeyId": keyID, "Message": tc.message, "MessageType": tc.msgType, "Signature": sig, "SigningAlgorithm": tc.alg})
			if err != nil {
				t.Fatal(err)
			}
			if !v.Bool("SignatureValid") {
				t.Errorf("Verify = %#v", v.Data)
			}
			// A signature over other bytes is not SignatureValid=false: KMS
			// answers KMSInvalidSignatureException.
			_, err = c.Call(ctx, "Verify", session.Params{"KeyId": keyID, "Message": []byte("release v6.6.6"), "Signature": sig, "SigningAlgorithm": tc.alg})
			wantAPIError(t, c, err, "KMSInvalidSignatureException", 400)
		})
	}
	// A SIGN_VERIFY key cannot encrypt.
	_, err = c.Call(ctx, "Encrypt", session.Params{"KeyId": keyID, "Plaintext": []byte("x")})
	wantAPIError(t, c, err, "InvalidKeyUsageException", 400)
}

// Secrets Manager: versions and staging labels. PutSecretValue moves
// AWSCURRENT to the new version and AWSPREVIOUS to the old current one.
func TestEndToEndSecretsManagerStagesAndErrors(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "secretsmanager")
	created, err := c.Call(ctx, "create_secret", session.Params{"Name": "app/db", "SecretString": `{"pw":"one"}`})
	if err != nil {
		t.Fatal(err)
	}
	arn, v1 := created.String("ARN"), created.String("VersionId")
	if !strings.HasPrefix(arn, "arn:aws:secretsmanager:us-east-1:") || !strings.Contains(arn, ":secret:app/db-") || v1 == "" {
		t.Fatalf("CreateSecret = %#v", created.Data)
	}
	_, err = c.Call(ctx, "CreateSecret", session.Params{"Name": "app/db", "SecretString": "again"})
	wantAPIError(t, c, err, "ResourceExistsException", 400)

	put, err := c.Call(ctx, "PutSecretValue", session.Params{"SecretId": "app/db", "SecretString": `{"pw":"two"}`})
	if err != nil {
		t.Fatal(err)
	}
	v2 := put.String("VersionId")
	if v2 == "" || v2 == v1 || fmt.Sprint(put.List("VersionStages")) != "[AWSCURRENT]" {
		t.Fatalf("PutSecretValue = %#v", put.Data)
	}
	for _, tc := range []struct {
		params  session.Params
		version string
		value   string
		stages  string
	}{
		{session.Params{"SecretId": "app/db"}, v2, `{"pw":"two"}`, "[AWSCURRENT]"},
		{session.Params{"SecretId": arn, "VersionStage": "AWSPREVIOUS"}, v1, `{"pw":"one"}`, "[AWSPREVIOUS]"},
		{session.Params{"SecretId": "app/db", "VersionId": v1}, v1, `{"pw":"one"}`, "[AWSPREVIOUS]"},
	} {
		got, err := c.Call(ctx, "GetSecretValue", tc.params)
		if err != nil {
			t.Fatalf("%v: %v", tc.params, err)
		}
		if got.String("VersionId") != tc.version || got.String("SecretString") != tc.value || fmt.Sprint(got.List("VersionStages")) != tc.stages {
			t.Errorf("%v: got %s %q %v", tc.params, got.String("VersionId"), got.String("SecretString"), got.List("VersionStages"))
		}
		if got.String("ARN") != arn || got.String("Name") != "app/db" || got.Time("CreatedDate").IsZero() {
			t.Errorf("%v: ARN/Name/CreatedDate = %q %q %v", tc.params, got.String("ARN"), got.String("Name"), got.Time("CreatedDate"))
		}
	}
	// A third value: v1 loses its last label, v2 becomes AWSPREVIOUS.
	put3, err := c.Call(ctx, "PutSecretValue", session.Params{"SecretId": "app/db", "SecretBinary": []byte{0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	v3 := put3.String("VersionId")
	ids, err := c.Call(ctx, "ListSecretVersionIds", session.Params{"SecretId": "app/db"})
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]string{}
	for _, v := range ids.List("Versions") {
		m := v.(map[string]any)
		var s []string
		for _, st := range m["VersionStages"].([]any) {
			s = append(s, st.(string))
		}
		stages[m["VersionId"].(string)] = strings.Join(s, ",")
	}
	if stages[v3] != "AWSCURRENT" || stages[v2] != "AWSPREVIOUS" || stages[v1] != "" {
		t.Errorf("stages = %v (v1 %s v2 %s v3 %s)", stages, v1, v2, v3)
	}
	cur, err := c.Call(ctx, "GetSecretValue", session.Params{"SecretId": "app/db"})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := cur.Get("SecretBinary"); !bytes.Equal(b.([]byte), []byte{0, 1, 2}) || cur.String("SecretString") != "" {
		t.Errorf("binary secret = %#v", cur.Data)
	}

	_, err = c.Call(ctx, "GetSecretValue", session.Params{"SecretId": "app/missing"})
	ae := wantAPIError(t, c, err, "ResourceNotFoundException", 400)
	if code, _ := c.Exceptions().Code("ResourceNotFoundException"); !errors.Is(err, code) || ae.Operation != "GetSecretValue" {
		t.Errorf("errors.Is/Operation: %v", err)
	}
	_, err = c.Call(ctx, "GetSecretValue", session.Params{"SecretId": "app/db", "VersionStage": "NOPE"})
	wantAPIError(t, c, err, "ResourceNotFoundException", 400)
}

// Secrets Manager DeleteSecret schedules deletion: the value is refused with
// InvalidRequestException until RestoreSecret; a forced delete is gone at once.
func TestEndToEndSecretsManagerDeleteAndRestore(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "secretsmanager")
	if _, err := c.Call(ctx, "CreateSecret", session.Params{"Name": "tmp", "SecretString": "s3cr3t"}); err != nil {
		t.Fatal(err)
	}
	// Both a recovery window and ForceDeleteWithoutRecovery: AWS refuses it.
	_, err := c.Call(ctx, "DeleteSecret", session.Params{"SecretId": "tmp", "RecoveryWindowInDays": int64(7), "ForceDeleteWithoutRecovery": true})
	wantAPIError(t, c, err, "InvalidParameterException", 400)

	del, err := c.Call(ctx, "delete_secret", session.Params{"SecretId": "tmp", "RecoveryWindowInDays": int64(7)})
	if err != nil {
		t.Fatal(err)
	}
	if del.String("Name") != "tmp" || del.Time("DeletionDate").IsZero() {
		t.Errorf("DeleteSecret = %#v", del.Data)
	}
	_, err = c.Call(ctx, "GetSecretValue", session.Params{"SecretId": "tmp"})
	wantAPIError(t, c, err, "InvalidRequestException", 400)
	_, err = c.Call(ctx, "PutSecretValue", session.Params{"SecretId": "tmp", "SecretString": "x"})
	wantAPIError(t, c, err, "InvalidRequestException", 400)
	_, err = c.Call(ctx, "CreateSecret", session.Params{"Name": "tmp", "SecretString": "x"})
	wantAPIError(t, c, err, "InvalidRequestException", 400)
	desc, err := c.Call(ctx, "DescribeSecret", session.Params{"SecretId": "tmp"})
	if err != nil {
		t.Fatal(err)
	}
	if desc.Time("DeletedDate").IsZero() {
		t.Errorf("DescribeSecret of a scheduled deletion lacks DeletedDate: %#v", desc.Data)
	}

	if _, err := c.Call(ctx, "restore_secret", session.Params{"SecretId": "tmp"}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Call(ctx, "GetSecretValue", session.Params{"SecretId": "tmp"})
	if err != nil {
		t.Fatal(err)
	}
	if got.String("SecretString") != "s3cr3t" {
		t.Errorf("restored value = %q", got.String("SecretString"))
	}

	if _, err := c.Call(ctx, "DeleteSecret", session.Params{"SecretId": "tmp", "ForceDeleteWithoutRecovery": true}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Call(ctx, "GetSecretValue", session.Params{"SecretId": "tmp"})
	wantAPIError(t, c, err, "ResourceNotFoundException", 400)
	_, err = c.Call(ctx, "RestoreSecret", session.Params{"SecretId": "tmp"})
	wantAPIError(t, c, err, "ResourceNotFoundException", 400)
}

// SSM Parameter Store: String and SecureString, WithDecryption,
// GetParametersByPath through the session Paginator, ParameterNotFound.
func TestEndToEndSSMParametersThroughPaginator(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "ssm")
	put, err := c.Call(ctx, "put_parameter", session.Params{"Name": "/app/prod/host", "Value": "db.internal", "Type": "String"})
	if err != nil {
		t.Fatal(err)
	}
	if put.Int("Version") != 1 || put.String("Tier") != "Standard" {
		t.Errorf("PutParameter = %#v", put.Data)
	}
	_, err = c.Call(ctx, "PutParameter", session.Params{"Name": "/app/prod/host", "Value": "other", "Type": "String"})
	wantAPIError(t, c, err, "ParameterAlreadyExists", 400)
	put2, err := c.Call(ctx, "PutParameter", session.Params{"Name": "/app/prod/host", "Value": "db2.internal", "Type": "String", "Overwrite": true})
	if err != nil {
		t.Fatal(err)
	}
	if put2.Int("Version") != 2 {
		t.Errorf("overwrite Version = %d, want 2", put2.Int("Version"))
	}
	if _, err := c.Call(ctx, "PutParameter", session.Params{"Name": "/app/prod/password", "Value": "hunter2", "Type": "SecureString"}); err != nil {
		t.Fatal(err)
	}

	// A SecureString without WithDecryption is its ciphertext, not the value.
	enc, err := c.Call(ctx, "GetParameter", session.Params{"Name": "/app/prod/password"})
	if err != nil {
		t.Fatal(err)
	}
	if v := enc.String("Parameter.Value"); v == "" || v == "hunter2" || enc.String("Parameter.Type") != "SecureString" {
		t.Errorf("SecureString without decryption = %q", v)
	}
	dec, err := c.Call(ctx, "GetParameter", session.Params{"Name": "/app/prod/password", "WithDecryption": true})
	if err != nil {
		t.Fatal(err)
	}
	if dec.String("Parameter.Value") != "hunter2" || !strings.HasPrefix(dec.String("Parameter.ARN"), "arn:aws:ssm:us-east-1:") ||
		!strings.HasSuffix(dec.String("Parameter.ARN"), ":parameter/app/prod/password") {
		t.Errorf("GetParameter WithDecryption = %#v", dec.Data)
	}
	str, err := c.Call(ctx, "GetParameter", session.Params{"Name": "/app/prod/host", "WithDecryption": true})
	if err != nil {
		t.Fatal(err)
	}
	if str.String("Parameter.Value") != "db2.internal" || str.Int("Parameter.Version") != 2 {
		t.Errorf("GetParameter String = %#v", str.Data)
	}

	for i := 0; i < 5; i++ {
		if _, err := c.Call(ctx, "PutParameter", session.Params{"Name": fmt.Sprintf("/app/prod/feature/f%d", i), "Value": fmt.Sprint(i), "Type": "String"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Call(ctx, "PutParameter", session.Params{"Name": "/app/dev/host", "Value": "localhost", "Type": "String"}); err != nil {
		t.Fatal(err)
	}
	if !c.CanPaginate("get_parameters_by_path") {
		t.Fatal("GetParametersByPath is not pageable")
	}
	p, err := c.Paginator("get_parameters_by_path")
	if err != nil {
		t.Fatal(err)
	}
	collect := func(params session.Params, cfg session.PaginationConfig) (names []string, values map[string]string, pages int) {
		t.Helper()
		values = map[string]string{}
		for page, err := range p.Pages(ctx, params, cfg).All() {
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, it := range page.List("Parameters") {
				m := it.(map[string]any)
				names = append(names, m["Name"].(string))
				values[m["Name"].(string)] = m["Value"].(string)
			}
		}
		return names, values, pages
	}

	names, values, pages := collect(session.Params{"Path": "/app/prod", "Recursive": true, "WithDecryption": true}, session.PaginationConfig{PageSize: 2})
	sort.Strings(names)
	want := []string{"/app/prod/feature/f0", "/app/prod/feature/f1", "/app/prod/feature/f2", "/app/prod/feature/f3", "/app/prod/feature/f4", "/app/prod/host", "/app/prod/password"}
	if !slices.Equal(names, want) {
		t.Errorf("recursive names = %v", names)
	}
	if pages < 4 {
		t.Errorf("7 parameters with PageSize 2 came in %d pages", pages)
	}
	if values["/app/prod/password"] != "hunter2" || values["/app/prod/feature/f3"] != "3" {
		t.Errorf("values = %v", values)
	}

	// Not recursive: only the path's direct children.
	names, _, _ = collect(session.Params{"Path": "/app/prod"}, session.PaginationConfig{PageSize: 1})
	sort.Strings(names)
	if !slices.Equal(names, []string{"/app/prod/host", "/app/prod/password"}) {
		t.Errorf("one-level names = %v", names)
	}

	// MaxItems truncates and hands back a resume token that finishes the walk.
	it := p.Pages(ctx, session.Params{"Path": "/app/prod/feature"}, session.PaginationConfig{PageSize: 2, MaxItems: 3})
	var first []string
	for page, err := range it.All() {
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page.List("Parameters") {
			first = append(first, x.(map[string]any)["Name"].(string))
		}
	}
	if len(first) != 3 || it.ResumeToken() == "" {
		t.Fatalf("MaxItems 3: %v, resume %q", first, it.ResumeToken())
	}
	rest, _, _ := collect(session.Params{"Path": "/app/prod/feature"}, session.PaginationConfig{PageSize: 2, StartingToken: it.ResumeToken()})
	all := append(first, rest...)
	sort.Strings(all)
	if !slices.Equal(all, want[:5]) {
		t.Errorf("resumed walk = %v", all)
	}

	_, err = c.Call(ctx, "GetParameter", session.Params{"Name": "/app/prod/nope"})
	wantAPIError(t, c, err, "ParameterNotFound", 400)
	if code, _ := c.Exceptions().Code("ParameterNotFound"); !errors.Is(err, code) {
		t.Error("errors.Is(ParameterNotFound) failed")
	}
	_, err = c.Call(ctx, "DeleteParameter", session.Params{"Name": "/app/prod/nope"})
	wantAPIError(t, c, err, "ParameterNotFound", 400)
	// GetParameters reports unknown names instead of failing.
	gp, err := c.Call(ctx, "GetParameters", session.Params{"Names": []any{"/app/dev/host", "/nope"}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(gp.List("InvalidParameters")) != "[/nope]" || gp.String("Parameters[0].Value") != "localhost" {
		t.Errorf("GetParameters = %#v", gp.Data)
	}
}

// The only waiter these three models define is SSM's CommandExecuted (Run
// Command, GetCommandInvocation), which the emulator does not serve; KMS and
// Secrets Manager define none. The session exposes exactly that.
func TestEndToEndConfigServicesWaiterNames(t *testing.T) {
	for svc, want := range map[string]string{"kms": "[]", "secretsmanager": "[]", "ssm": "[command_executed]"} {
		c := configClient(t, svc)
		if got := fmt.Sprint(c.WaiterNames()); got != want {
			t.Errorf("%s WaiterNames = %s, want %s", svc, got, want)
		}
	}
	c := configClient(t, "ssm")
	w, err := c.Waiter("CommandExecuted")
	if err != nil {
		t.Fatal(err)
	}
	if w.Name() != "CommandExecuted" || w.MaxAttempts() != 20 || w.Delay().Seconds() != 5 {
		t.Errorf("CommandExecuted = %s %d %v", w.Name(), w.MaxAttempts(), w.Delay())
	}
}

// KMS key states: a disabled key is DisabledException, a key pending
// deletion is KMSInvalidStateException, CancelKeyDeletion leaves it Disabled;
// a tampered ciphertext is InvalidCiphertextException.
func TestEndToEndKMSKeyStatesAndTamperedCiphertext(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "kms")
	key, err := c.Call(ctx, "CreateKey", nil)
	if err != nil {
		t.Fatal(err)
	}
	id := key.String("KeyMetadata.KeyId")
	enc, err := c.Call(ctx, "Encrypt", session.Params{"KeyId": id, "Plaintext": []byte("payload")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := enc.Get("CiphertextBlob")
	ct := b.([]byte)
	// Flip a bit of the GCM tag, of the sealed plaintext and of the nonce
	// just before it (counted from the end: the blob ends nonce | sealed
	// "payload" | 16-byte tag).
	for _, fromEnd := range []int{1, 17, 16 + len("payload") + 1} {
		bad := bytes.Clone(ct)
		bad[len(bad)-fromEnd] ^= 0x01
		_, err := c.Call(ctx, "Decrypt", session.Params{"CiphertextBlob": bad})
		wantAPIError(t, c, err, "InvalidCiphertextException", 400)
	}
	_, err = c.Call(ctx, "Decrypt", session.Params{"CiphertextBlob": []byte("not a kms blob at all")})
	wantAPIError(t, c, err, "InvalidCiphertextException", 400)

	if _, err := c.Call(ctx, "DisableKey", session.Params{"KeyId": id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Call(ctx, "Encrypt", session.Params{"KeyId": id, "Plaintext": []byte("x")})
	wantAPIError(t, c, err, "DisabledException", 400)
	_, err = c.Call(ctx, "Decrypt", session.Params{"CiphertextBlob": ct})
	wantAPIError(t, c, err, "DisabledException", 400)
	if _, err := c.Call(ctx, "EnableKey", session.Params{"KeyId": id}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "Decrypt", session.Params{"CiphertextBlob": ct}); err != nil {
		t.Fatalf("Decrypt after EnableKey: %v", err)
	}

	sched, err := c.Call(ctx, "ScheduleKeyDeletion", session.Params{"KeyId": id, "PendingWindowInDays": int64(7)})
	if err != nil {
		t.Fatal(err)
	}
	if sched.String("KeyState") != "PendingDeletion" || sched.Int("PendingWindowInDays") != 7 || sched.Time("DeletionDate").IsZero() {
		t.Errorf("ScheduleKeyDeletion = %#v", sched.Data)
	}
	_, err = c.Call(ctx, "Encrypt", session.Params{"KeyId": id, "Plaintext": []byte("x")})
	wantAPIError(t, c, err, "KMSInvalidStateException", 400)
	desc, err := c.Call(ctx, "DescribeKey", session.Params{"KeyId": id})
	if err != nil {
		t.Fatal(err)
	}
	if desc.String("KeyMetadata.KeyState") != "PendingDeletion" || desc.Bool("KeyMetadata.Enabled") {
		t.Errorf("DescribeKey = %#v", desc.Data["KeyMetadata"])
	}
	if _, err := c.Call(ctx, "CancelKeyDeletion", session.Params{"KeyId": id}); err != nil {
		t.Fatal(err)
	}
	desc, err = c.Call(ctx, "DescribeKey", session.Params{"KeyId": id})
	if err != nil {
		t.Fatal(err)
	}
	if desc.String("KeyMetadata.KeyState") != "Disabled" {
		t.Errorf("after CancelKeyDeletion KeyState = %q, want Disabled", desc.String("KeyMetadata.KeyState"))
	}
	_, err = c.Call(ctx, "Encrypt", session.Params{"KeyId": id, "Plaintext": []byte("x")})
	wantAPIError(t, c, err, "DisabledException", 400)
}

// KMS asymmetric keys checked with Go's crypto: an ECC_NIST_P256 signature
// verifies with crypto/ecdsa, and RSA OAEP ciphertext made locally from
// GetPublicKey decrypts in KMS. HMAC keys: VerifyMac over other bytes is
// KMSInvalidMacException.
func TestEndToEndKMSAsymmetricAndMacWithGoCrypto(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "kms")
	publicKey := func(id string) any {
		t.Helper()
		pub, err := c.Call(ctx, "GetPublicKey", session.Params{"KeyId": id})
		if err != nil {
			t.Fatal(err)
		}
		der, _ := pub.Get("PublicKey")
		k, err := x509.ParsePKIXPublicKey(der.([]byte))
		if err != nil {
			t.Fatal(err)
		}
		return k
	}

	ec, err := c.Call(ctx, "CreateKey", session.Params{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	if err != nil {
		t.Fatal(err)
	}
	ecID := ec.String("KeyMetadata.KeyId")
	ecPub, ok := publicKey(ecID).(*ecdsa.PublicKey)
	if !ok || ecPub.Curve != elliptic.P256() {
		t.Fatalf("ECC_NIST_P256 public key = %T", ecPub)
	}
	msg := []byte("tag v2")
	sig, err := c.Call(ctx, "Sign", session.Params{"KeyId": ecID, "Message": msg, "SigningAlgorithm": "ECDSA_SHA_256"})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sig.Get("Signature")
	digest := sha256.Sum256(msg)
	if !ecdsa.VerifyASN1(ecPub, digest[:], s.([]byte)) {
		t.Error("crypto/ecdsa rejects the KMS ECDSA_SHA_256 signature")
	}
	_, err = c.Call(ctx, "Sign", session.Params{"KeyId": ecID, "Message": msg, "SigningAlgorithm": "RSASSA_PSS_SHA_256"})
	wantAPIError(t, c, err, "InvalidKeyUsageException", 400)

	rk, err := c.Call(ctx, "CreateKey", session.Params{"KeySpec": "RSA_3072", "KeyUsage": "ENCRYPT_DECRYPT"})
	if err != nil {
		t.Fatal(err)
	}
	rID := rk.String("KeyMetadata.KeyId")
	rPub, ok := publicKey(rID).(*rsa.PublicKey)
	if !ok || rPub.N.BitLen() != 3072 {
		t.Fatalf("RSA_3072 public key = %T", rPub)
	}
	local, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, rPub, []byte("sealed offline"), nil)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := c.Call(ctx, "Decrypt", session.Params{"KeyId": rID, "CiphertextBlob": local, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	if err != nil {
		t.Fatal(err)
	}
	if pt, _ := dec.Get("Plaintext"); string(pt.([]byte)) != "sealed offline" || dec.String("EncryptionAlgorithm") != "RSAES_OAEP_SHA_256" {
		t.Errorf("Decrypt of local OAEP = %#v", dec.Data)
	}
	kmsCT, err := c.Call(ctx, "Encrypt", session.Params{"KeyId": rID, "Plaintext": []byte("round"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"})
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := kmsCT.Get("CiphertextBlob")
	if len(blob.([]byte)) != 384 {
		t.Errorf("RSA_3072 ciphertext is %d bytes, want 384", len(blob.([]byte)))
	}
	// An asymmetric ciphertext decrypts only with its KeyId and algorithm.
	back, err := c.Call(ctx, "Decrypt", session.Params{"KeyId": rID, "CiphertextBlob": blob, "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"})
	if err != nil {
		t.Fatal(err)
	}
	if pt, _ := back.Get("Plaintext"); string(pt.([]byte)) != "round" {
		t.Errorf("RSA round trip = %q", pt)
	}
	_, err = c.Call(ctx, "Decrypt", session.Params{"KeyId": rID, "CiphertextBlob": blob, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	wantAPIError(t, c, err, "InvalidCiphertextException", 400)

	hk, err := c.Call(ctx, "CreateKey", session.Params{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	if err != nil {
		t.Fatal(err)
	}
	hID := hk.String("KeyMetadata.KeyId")
	mac, err := c.Call(ctx, "GenerateMac", session.Params{"KeyId": hID, "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_256"})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := mac.Get("Mac")
	if len(m.([]byte)) != 32 {
		t.Errorf("HMAC_SHA_256 Mac is %d bytes", len(m.([]byte)))
	}
	v, err := c.Call(ctx, "VerifyMac", session.Params{"KeyId": hID, "Message": []byte("m"), "Mac": m, "MacAlgorithm": "HMAC_SHA_256"})
	if err != nil || !v.Bool("MacValid") {
		t.Fatalf("VerifyMac = %v, %v", v, err)
	}
	_, err = c.Call(ctx, "VerifyMac", session.Params{"KeyId": hID, "Message": []byte("n"), "Mac": m, "MacAlgorithm": "HMAC_SHA_256"})
	wantAPIError(t, c, err, "KMSInvalidMacException", 400)
}

// Secrets Manager ClientRequestToken is the version id: repeating a token
// with the same value is a no-op, with another value ResourceExistsException.
// AWSPENDING and UpdateSecretVersionStage follow rotation's label moves.
func TestEndToEndSecretsManagerIdempotencyAndPendingStage(t *testing.T) {
	ctx := context.Background()
	c := configClient(t, "secretsmanager")
	const tok1, tok2 = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
	first, err := c.Call(ctx, "CreateSecret", session.Params{"Name": "rot", "SecretString": "v1", "ClientRequestToken": tok1})
	if err != nil {
		t.Fatal(err)
	}
	if first.String("VersionId") != tok1 {
		t.Errorf("VersionId = %q, want the ClientRequestToken", first.String("VersionId"))
	}
	again, err := c.Call(ctx, "PutSecretValue", session.Params{"SecretId": "rot", "SecretString": "v1", "ClientRequestToken": tok1})
	if err != nil {
		t.Fatalf("repeated token, same value: %v", err)
	}
	if again.String("VersionId") != tok1 {
		t.Errorf("repeat VersionId = %q", again.String("VersionId"))
	}
	_, err = c.Call(ctx, "PutSecretValue", session.Params{"SecretId": "rot", "SecretString": "changed", "ClientRequestToken": tok1})
	wantAPIError(t, c, err, "ResourceExistsException", 400)

	pend, err := c.Call(ctx, "PutSecretValue", session.Params{"SecretId": "rot", "SecretString": "v2", "ClientRequestToken": tok2, "VersionStages": []any{"AWSPENDING"}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(pend.List("VersionStages")) != "[AWSPENDING]" {
		t.Errorf("pending stages = %v", pend.List("VersionStages"))
	}
	value := func(p session.Params) string {
		t.Helper()
		out, err := c.Call(ctx, "GetSecretValue", p)
		if err != nil {
			t.Fatal(err)
		}
		return out.String("VersionId") + "=" + out.String("SecretString")
	}
	if got := value(session.Params{"SecretId": "rot"}); got != tok1+"=v1" {
		t.Errorf("AWSCURRENT = %s after a pending put", got)
	}
	if got := value(session.Params{"SecretId": "rot", "VersionStage": "AWSPENDING"}); got != tok2+"=v2" {
		t.Errorf("AWSPENDING = %s", got)
	}
	// Moving AWSCURRENT must name the version that holds it.
	_, err = c.Call(ctx, "UpdateSecretVersionStage", session.Params{"SecretId": "rot", "VersionStage": "AWSCURRENT", "MoveToVersionId": tok2})
	wantAPIError(t, c, err, "InvalidParameterException", 400)
	if _, err := c.Call(ctx, "update_secret_version_stage", session.Params{"SecretId": "rot", "VersionStage": "AWSCURRENT", "MoveToVersionId": tok2, "RemoveFromVersionId": tok1}); err != nil {
		t.Fatal(err)
	}
	if got := value(session.Params{"SecretId": "rot"}); got != tok2+"=v2" {
		t.Errorf("AWSCURRENT after the move = %s", got)
	}
	if got := value(session.Params{"SecretId": "rot", "VersionStage": "AWSPREVIOUS"}); got != tok1+"=v1" {
		t.Errorf("AWSPREVIOUS after the move = %s", got)
	}
	_, err = c.Call(ctx, "GetSecretValue", session.Params{"SecretId": "rot", "VersionId": "33333333-3333-4333-8333-333333333333"})
	wantAPIError(t, c, err, "ResourceNotFoundException", 400)
}

// SSM over KMS in one emulator: a SecureString under a customer key (by
// alias) decrypts WithDecryption; name:version and name:label selectors,
// StringList values, ParameterVersionNotFound.
func TestEndToEndSSMSecureStringWithCustomerKeyAndSelectors(t *testing.T) {
	ctx := context.Background()
	srv := emulator.NewTestServer(t)
	s := emuSession(t)
	kmsc, err := s.Client("kms", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Client("ssm", session.ClientOptions{EndpointURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	key, err := kmsc.Call(ctx, "CreateKey", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kmsc.Call(ctx, "CreateAlias", session.Params{"AliasName": "alias/params", "TargetKeyId": key.String("KeyMetadata.KeyId")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "PutParameter", session.Params{"Name": "/svc/token", "Value": "t0k3n", "Type": "SecureString", "KeyId": "alias/params"}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Call(ctx, "GetParameter", session.Params{"Name": "/svc/token", "WithDecryption": true})
	if err != nil {
		t.Fatal(err)
	}
	if got.String("Parameter.Value") != "t0k3n" {
		t.Errorf("SecureString under alias/params = %q", got.String("Parameter.Value"))
	}
	desc, err := c.Call(ctx, "DescribeParameters", session.Params{"ParameterFilters": []any{map[string]any{"Key": "Name", "Values": []any{"/svc/token"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if desc.String("Parameters[0].KeyId") != "alias/params" || desc.String("Parameters[0].Type") != "SecureString" {
		t.Errorf("DescribeParameters = %#v", desc.Data)
	}
	_, err = c.Call(ctx, "PutParameter", session.Params{"Name": "/svc/other", "Value": "x", "Type": "SecureString", "KeyId": "alias/none"})
	wantAPIError(t, c, err, "InvalidKeyId", 400)

	if _, err := c.Call(ctx, "PutParameter", session.Params{"Name": "/svc/hosts", "Value": "a,b", "Type": "StringList"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "PutParameter", session.Params{"Name": "/svc/hosts", "Value": "a,b,c", "Type": "StringList", "Overwrite": true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "LabelParameterVersion", session.Params{"Name": "/svc/hosts", "ParameterVersion": int64(1), "Labels": []any{"stable"}}); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{"/svc/hosts": "a,b,c", "/svc/hosts:2": "a,b,c", "/svc/hosts:1": "a,b", "/svc/hosts:stable": "a,b"} {
		out, err := c.Call(ctx, "GetParameter", session.Params{"Name": sel})
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		if out.String("Parameter.Value") != want || out.String("Parameter.Type") != "StringList" {
			t.Errorf("%s = %q (%s)", sel, out.String("Parameter.Value"), out.String("Parameter.Type"))
		}
		if strings.Contains(sel, ":") && out.String("Parameter.Selector") != sel[strings.Index(sel, ":"):] {
			t.Errorf("%s: Selector = %q", sel, out.String("Parameter.Selector"))
		}
	}
	_, err = c.Call(ctx, "GetParameter", session.Params{"Name": "/svc/hosts:9"})
	wantAPIError(t, c, err, "ParameterVersionNotFound", 400)
}
