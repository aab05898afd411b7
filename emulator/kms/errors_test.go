package kms_test

import (
	"testing"
)

// The texts below are AWS's as SDK users and AWS's docs report them:
//   - DisabledException "<key arn> is disabled." (terraform-provider-aws,
//     credstash issue logs);
//   - KMSInvalidStateException "<key arn> is pending deletion."
//     (terraform-provider-aws #17889);
//   - InvalidKeyUsageException "<key arn> key usage is SIGN_VERIFY which is
//     not valid for Encrypt." (a user's report against real KMS);
//   - NotAuthorizedException with no message for the reserved alias/aws/
//     prefix, and InvalidCiphertextException with none either: KMS says
//     nothing about why a ciphertext does not decrypt.

func TestErrorMessagesAreAWSs(t *testing.T) {
	c := newClient(t, newEmu(t))
	sym := createKey(c, nil)
	signer := createKey(c, map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	rsaEnc := createKey(c, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	hmac := createKey(c, map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	arn := func(k map[string]any) string { return k["Arn"].(string) }

	tests := []struct {
		name, op string
		params   map[string]any
		code     string
		message  string
	}{
		{"EncryptWithSigningKey", "Encrypt", map[string]any{"KeyId": signer["KeyId"], "Plaintext": []byte("x")},
			"InvalidKeyUsageException", arn(signer) + " key usage is SIGN_VERIFY which is not valid for Encrypt."},
		{"SignWithEncryptionKey", "Sign", map[string]any{"KeyId": sym["KeyId"], "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"},
			"InvalidKeyUsageException", arn(sym) + " key usage is ENCRYPT_DECRYPT which is not valid for Sign."},
		{"GenerateMacWithEncryptionKey", "GenerateMac", map[string]any{"KeyId": sym["KeyId"], "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_256"},
			"InvalidKeyUsageException", arn(sym) + " key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac."},
		{"DataKeyFromHMACKey", "GenerateDataKey", map[string]any{"KeyId": hmac["KeyId"], "KeySpec": "AES_256"},
			"InvalidKeyUsageException", arn(hmac) + " key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKey."},
		{"DataKeyFromRSAKey", "GenerateDataKeyWithoutPlaintext", map[string]any{"KeyId": rsaEnc["KeyId"], "KeySpec": "AES_256"},
			"InvalidKeyUsageException", arn(rsaEnc) + " key KeySpec is RSA_2048 which is not valid for GenerateDataKeyWithoutPlaintext."},
		{"ReservedAliasPrefix", "CreateAlias", map[string]any{"AliasName": "alias/aws/mine", "TargetKeyId": sym["KeyId"]},
			"NotAuthorizedException", ""},
		{"KeyUsageNotAllowedBySpec", "CreateKey", map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "ENCRYPT_DECRYPT"},
			"ValidationException", "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256"},
		{"SymmetricKeyCannotSign", "CreateKey", map[string]any{"KeyUsage": "SIGN_VERIFY"},
			"ValidationException", "KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT"},
		{"GarbageCiphertext", "Decrypt", map[string]any{"CiphertextBlob": []byte("not a ciphertext blob at all")},
			"InvalidCiphertextException", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ae := c.WantErr(tc.op, tc.params, tc.code, 400)
			if ae.Message != tc.message {
				t.Errorf("message %q, want %q", ae.Message, tc.message)
			}
		})
	}
}

func TestWrongEncryptionContextIsInvalidCiphertextWithoutMessage(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, nil)
	ct := c.Call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("x"),
		"EncryptionContext": map[string]any{"purpose": "a"}})["CiphertextBlob"]
	ae := c.WantErr("Decrypt", map[string]any{"CiphertextBlob": ct, "EncryptionContext": map[string]any{"purpose": "b"}},
		"InvalidCiphertextException", 400)
	if ae.Message != "" {
		t.Errorf("message %q, want none", ae.Message)
	}
}

func TestPendingDeletionAndDisabledMessagesNameTheKeyARN(t *testing.T) {
	c := newClient(t, newEmu(t))
	a, b := createKey(c, nil), createKey(c, nil)
	c.Call("ScheduleKeyDeletion", map[string]any{"KeyId": a["KeyId"], "PendingWindowInDays": int64(7)})
	c.Call("DisableKey", map[string]any{"KeyId": b["KeyId"]})
	for _, tc := range []struct {
		op      string
		params  map[string]any
		code    string
		message string
	}{
		{"Encrypt", map[string]any{"KeyId": a["KeyId"], "Plaintext": []byte("x")}, "KMSInvalidStateException", a["Arn"].(string) + " is pending deletion."},
		{"ScheduleKeyDeletion", map[string]any{"KeyId": a["KeyId"]}, "KMSInvalidStateException", a["Arn"].(string) + " is pending deletion."},
		{"GenerateDataKey", map[string]any{"KeyId": b["KeyId"], "KeySpec": "AES_256"}, "DisabledException", b["Arn"].(string) + " is disabled."},
	} {
		if ae := c.WantErr(tc.op, tc.params, tc.code, 400); ae.Message != tc.message {
			t.Errorf("%s: message %q, want %q", tc.op, ae.Message, tc.message)
		}
	}
}
