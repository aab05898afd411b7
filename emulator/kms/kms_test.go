package kms_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
)

func TestEncryptDecryptRoundTripWithoutKeyID(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, map[string]any{"Description": "test"})
	if k["KeySpec"] != "SYMMETRIC_DEFAULT" || k["KeyUsage"] != "ENCRYPT_DECRYPT" || k["KeyState"] != "Enabled" {
		t.Fatalf("metadata %v", k)
	}
	ctx := map[string]any{"purpose": "test", "user": "alice"}
	enc := c.Call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("hello"), "EncryptionContext": ctx})
	if enc["KeyId"] != k["Arn"] || enc["EncryptionAlgorithm"] != "SYMMETRIC_DEFAULT" {
		t.Errorf("encrypt out %v", enc)
	}
	ct := enc["CiphertextBlob"].([]byte)
	if bytes.Contains(ct, []byte("hello")) {
		t.Error("ciphertext contains the plaintext")
	}
	dec := c.Call("Decrypt", map[string]any{"CiphertextBlob": ct, "EncryptionContext": ctx})
	if string(dec["Plaintext"].([]byte)) != "hello" || dec["KeyId"] != k["Arn"] {
		t.Errorf("decrypt out %v", dec)
	}
	// Wrong, missing or extra context: InvalidCiphertextException.
	for _, bad := range []map[string]any{nil, {"purpose": "test"}, {"purpose": "test", "user": "bob"},
		{"purpose": "test", "user": "alice", "x": "y"}} {
		c.WantErr("Decrypt", map[string]any{"CiphertextBlob": ct, "EncryptionContext": bad}, "InvalidCiphertextException", 400)
	}
}

func TestTamperedCiphertextIsInvalidCiphertext(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, nil)
	ct := c.Call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("secret data")})["CiphertextBlob"].([]byte)
	for i := range ct {
		bad := bytes.Clone(ct)
		bad[i] ^= 0x01
		_, err := c.Try("Decrypt", map[string]any{"CiphertextBlob": bad})
		if err == nil {
			t.Fatalf("flipping byte %d decrypted", i)
		}
	}
	c.WantErr("Decrypt", map[string]any{"CiphertextBlob": ct[:len(ct)-1]}, "InvalidCiphertextException", 400)
	c.WantErr("Decrypt", map[string]any{"CiphertextBlob": []byte("garbage")}, "InvalidCiphertextException", 400)
	// A KeyId other than the blob's key.
	other := createKey(c, nil)
	c.WantErr("Decrypt", map[string]any{"CiphertextBlob": ct, "KeyId": other["KeyId"]}, "IncorrectKeyException", 400)
}

func TestDescribeKeyByIDArnAliasAndAliasArn(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, nil)
	c.Call("CreateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": k["KeyId"]})
	aliasArn := "arn:aws:kms:us-east-1:000000000000:alias/app"
	for _, id := range []any{k["KeyId"], k["Arn"], "alias/app", aliasArn} {
		got := c.Call("DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)
		if got["KeyId"] != k["KeyId"] {
			t.Errorf("DescribeKey(%v) = %v", id, got["KeyId"])
		}
	}
	ae := c.WantErr("DescribeKey", map[string]any{"KeyId": "alias/nope"}, "NotFoundException", 400)
	if ae.Message != "Alias 'arn:aws:kms:us-east-1:000000000000:alias/nope' is not found." {
		t.Errorf("message %q", ae.Message)
	}
	ae = c.WantErr("DescribeKey", map[string]any{"KeyId": "11111111-2222-4333-8444-555555555555"}, "NotFoundException", 400)
	if ae.Message != "Key 'arn:aws:kms:us-east-1:000000000000:key/11111111-2222-4333-8444-555555555555' does not exist" {
		t.Errorf("message %q", ae.Message)
	}
}

func TestAliases(t *testing.T) {
	c := newClient(t, newEmu(t))
	k1, k2 := createKey(c, nil), createKey(c, nil)
	c.Call("CreateAlias", map[string]any{"AliasName": "alias/a", "TargetKeyId": k1["KeyId"]})
	ae := c.WantErr("CreateAlias", map[string]any{"AliasName": "alias/a", "TargetKeyId": k2["KeyId"]}, "AlreadyExistsException", 400)
	if ae.Message != "An alias with the name arn:aws:kms:us-east-1:000000000000:alias/a already exists" {
		t.Errorf("message %q", ae.Message)
	}
	c.WantErr("CreateAlias", map[string]any{"AliasName": "alias/aws/mine", "TargetKeyId": k1["KeyId"]}, "NotAuthorizedException", 400)
	c.WantErr("CreateAlias", map[string]any{"AliasName": "noprefix", "TargetKeyId": k1["KeyId"]}, "ValidationException", 400)
	c.WantErr("CreateAlias", map[string]any{"AliasName": "alias/b", "TargetKeyId": "alias/a"}, "ValidationException", 400)
	c.Call("UpdateAlias", map[string]any{"AliasName": "alias/a", "TargetKeyId": k2["KeyId"]})
	if got := c.Call("DescribeKey", map[string]any{"KeyId": "alias/a"})["KeyMetadata"].(map[string]any)["KeyId"]; got != k2["KeyId"] {
		t.Errorf("after UpdateAlias alias/a -> %v", got)
	}
	c.WantErr("UpdateAlias", map[string]any{"AliasName": "alias/zz", "TargetKeyId": k2["KeyId"]}, "NotFoundException", 400)
	c.Call("CreateAlias", map[string]any{"AliasName": "alias/c", "TargetKeyId": k1["KeyId"]})
	all := c.Call("ListAliases", nil)["Aliases"].([]any)
	if len(all) != 2 {
		t.Errorf("ListAliases = %v", all)
	}
	mine := c.Call("ListAliases", map[string]any{"KeyId": k1["KeyId"]})["Aliases"].([]any)
	if len(mine) != 1 || mine[0].(map[string]any)["AliasName"] != "alias/c" {
		t.Errorf("ListAliases(k1) = %v", mine)
	}
	c.Call("DeleteAlias", map[string]any{"AliasName": "alias/c"})
	c.WantErr("DeleteAlias", map[string]any{"AliasName": "alias/c"}, "NotFoundException", 400)
}

func TestDisabledKeyIsDisabledException(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, nil)
	ct := c.Call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("x")})["CiphertextBlob"]
	c.Call("DisableKey", map[string]any{"KeyId": k["KeyId"]})
	ae := c.WantErr("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("x")}, "DisabledException", 400)
	if ae.Message != k["Arn"].(string)+" is disabled." {
		t.Errorf("message %q", ae.Message)
	}
	c.WantErr("Decrypt", map[string]any{"CiphertextBlob": ct}, "DisabledException", 400)
	c.Call("EnableKey", map[string]any{"KeyId": k["KeyId"]})
	c.Call("Decrypt", map[string]any{"CiphertextBlob": ct})
}

func TestScheduleKeyDeletion(t *testing.T) {
	start := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c := newClient(t, newEmu(t, emulator.Options{Clock: emulator.FixedClock(start)}))
	k := createKey(c, nil)
	for _, d := range []int64{6, 31} {
		c.WantErr("ScheduleKeyDeletion", map[string]any{"KeyId": k["KeyId"], "PendingWindowInDays": d}, "ValidationException", 400)
	}
	out := c.Call("ScheduleKeyDeletion", map[string]any{"KeyId": k["KeyId"], "PendingWindowInDays": int64(7)})
	if out["KeyState"] != "PendingDeletion" || !out["DeletionDate"].(time.Time).Equal(start.AddDate(0, 0, 7)) || out["PendingWindowInDays"] != int64(7) {
		t.Errorf("ScheduleKeyDeletion = %v", out)
	}
	ae := c.WantErr("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("x")}, "KMSInvalidStateException", 400)
	if !strings.HasSuffix(ae.Message, "is pending deletion.") {
		t.Errorf("message %q", ae.Message)
	}
	c.WantErr("EnableKey", map[string]any{"KeyId": k["KeyId"]}, "KMSInvalidStateException", 400)
	c.WantErr("ScheduleKeyDeletion", map[string]any{"KeyId": k["KeyId"]}, "KMSInvalidStateException", 400)
	c.Call("CancelKeyDeletion", map[string]any{"KeyId": k["KeyId"]})
	md := c.Call("DescribeKey", map[string]any{"KeyId": k["KeyId"]})["KeyMetadata"].(map[string]any)
	if md["KeyState"] != "Disabled" {
		t.Errorf("after cancel: %v", md["KeyState"])
	}
	c.WantErr("CancelKeyDeletion", map[string]any{"KeyId": k["KeyId"]}, "KMSInvalidStateException", 400)
}

func TestDeletionTakesEffectWhenWindowEnds(t *testing.T) {
	start := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	// Each request reads the clock once or twice; a one-day step makes the
	// week pass within a few calls.
	c := newClient(t, newEmu(t, emulator.Options{Clock: emulator.SteppingClock(start, 24*time.Hour)}))
	k := createKey(c, nil)
	c.Call("ScheduleKeyDeletion", map[string]any{"KeyId": k["KeyId"], "PendingWindowInDays": int64(7)})
	for i := 0; i < 20; i++ {
		if _, err := c.Try("DescribeKey", map[string]any{"KeyId": k["KeyId"]}); err != nil {
			c.WantErr("DescribeKey", map[string]any{"KeyId": k["KeyId"]}, "NotFoundException", 400)
			return
		}
	}
	t.Fatal("key still there after its deletion date")
}

func TestCreateKeyValidatesKeyUsage(t *testing.T) {
	c := newClient(t, newEmu(t))
	for _, p := range []map[string]any{
		{"KeySpec": "ECC_NIST_P256", "KeyUsage": "ENCRYPT_DECRYPT"},
		{"KeySpec": "HMAC_256", "KeyUsage": "ENCRYPT_DECRYPT"},
		{"KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "SIGN_VERIFY"},
		{"KeySpec": "RSA_2048", "KeyUsage": "GENERATE_VERIFY_MAC"},
		{"KeySpec": "NOPE"},
	} {
		c.WantErr("CreateKey", p, "ValidationException", 400)
	}
}

func TestReEncryptMovesBetweenKeysAndContexts(t *testing.T) {
	c := newClient(t, newEmu(t))
	a, b := createKey(c, nil), createKey(c, nil)
	ct := c.Call("Encrypt", map[string]any{"KeyId": a["KeyId"], "Plaintext": []byte("move me"), "EncryptionContext": map[string]any{"k": "1"}})["CiphertextBlob"]
	out := c.Call("ReEncrypt", map[string]any{"CiphertextBlob": ct, "SourceEncryptionContext": map[string]any{"k": "1"},
		"DestinationKeyId": b["KeyId"], "DestinationEncryptionContext": map[string]any{"k": "2"}})
	if out["SourceKeyId"] != a["Arn"] || out["KeyId"] != b["Arn"] {
		t.Errorf("ReEncrypt = %v", out)
	}
	dec := c.Call("Decrypt", map[string]any{"CiphertextBlob": out["CiphertextBlob"], "EncryptionContext": map[string]any{"k": "2"}})
	if string(dec["Plaintext"].([]byte)) != "move me" || dec["KeyId"] != b["Arn"] {
		t.Errorf("Decrypt = %v", dec)
	}
	c.WantErr("ReEncrypt", map[string]any{"CiphertextBlob": ct, "DestinationKeyId": b["KeyId"]}, "InvalidCiphertextException", 400)
}

func TestGenerateDataKey(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, nil)
	for _, tc := range []struct {
		params map[string]any
		n      int
	}{{map[string]any{"KeySpec": "AES_256"}, 32}, {map[string]any{"KeySpec": "AES_128"}, 16}, {map[string]any{"NumberOfBytes": int64(64)}, 64}} {
		tc.params["KeyId"] = k["KeyId"]
		out := c.Call("GenerateDataKey", tc.params)
		pt := out["Plaintext"].([]byte)
		if len(pt) != tc.n {
			t.Errorf("%v: %d bytes", tc.params, len(pt))
		}
		dec := c.Call("Decrypt", map[string]any{"CiphertextBlob": out["CiphertextBlob"]})
		if !bytes.Equal(dec["Plaintext"].([]byte), pt) {
			t.Errorf("%v: data key does not decrypt to itself", tc.params)
		}
	}
	out := c.Call("GenerateDataKeyWithoutPlaintext", map[string]any{"KeyId": k["KeyId"], "KeySpec": "AES_256"})
	if _, ok := out["Plaintext"]; ok || out["CiphertextBlob"] == nil {
		t.Errorf("WithoutPlaintext = %v", out)
	}
	c.WantErr("GenerateDataKey", map[string]any{"KeyId": k["KeyId"]}, "ValidationException", 400)
	c.WantErr("GenerateDataKey", map[string]any{"KeyId": k["KeyId"], "KeySpec": "AES_256", "NumberOfBytes": int64(32)}, "ValidationException", 400)
	c.WantErr("GenerateDataKey", map[string]any{"KeyId": k["KeyId"], "NumberOfBytes": int64(1025)}, "ValidationException", 400)
}

func TestGenerateDataKeyPair(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, nil)
	for _, spec := range []string{"ECC_NIST_P256", "ECC_NIST_P384", "RSA_2048"} {
		out := c.Call("GenerateDataKeyPair", map[string]any{"KeyId": k["KeyId"], "KeyPairSpec": spec})
		priv, err := x509.ParsePKCS8PrivateKey(out["PrivateKeyPlaintext"].([]byte))
		if err != nil {
			t.Fatalf("%s: private key: %v", spec, err)
		}
		pub, err := x509.ParsePKIXPublicKey(out["PublicKey"].([]byte))
		if err != nil {
			t.Fatalf("%s: public key: %v", spec, err)
		}
		if !priv.(interface{ Public() crypto.PublicKey }).Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
			t.Errorf("%s: public key does not match private key", spec)
		}
		dec := c.Call("Decrypt", map[string]any{"CiphertextBlob": out["PrivateKeyCiphertextBlob"]})
		if !bytes.Equal(dec["Plaintext"].([]byte), out["PrivateKeyPlaintext"].([]byte)) {
			t.Errorf("%s: encrypted private key does not decrypt", spec)
		}
	}
	out := c.Call("GenerateDataKeyPairWithoutPlaintext", map[string]any{"KeyId": k["KeyId"], "KeyPairSpec": "ECC_SECG_P256K1"})
	if _, ok := out["PrivateKeyPlaintext"]; ok || out["PublicKey"] == nil {
		t.Errorf("WithoutPlaintext = %v", out)
	}
}

func TestGenerateRandomIsSeeded(t *testing.T) {
	get := func() []byte {
		c := newClient(t, newEmu(t, emulator.Options{Seed: 42}))
		return c.Call("GenerateRandom", map[string]any{"NumberOfBytes": int64(32)})["Plaintext"].([]byte)
	}
	a, b := get(), get()
	if len(a) != 32 || !bytes.Equal(a, b) {
		t.Errorf("same seed, different bytes: %x %x", a, b)
	}
	c := newClient(t, newEmu(t))
	c.WantErr("GenerateRandom", map[string]any{"NumberOfBytes": int64(0)}, "ValidationException", 400)
	c.WantErr("GenerateRandom", map[string]any{"NumberOfBytes": int64(1025)}, "ValidationException", 400)
}

func TestSameSeedSameCiphertext(t *testing.T) {
	get := func() []byte {
		c := newClient(t, newEmu(t, emulator.Options{Seed: 7, Clock: emulator.FixedClock(time.Unix(0, 0))}))
		k := createKey(c, nil)
		return c.Call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("x")})["CiphertextBlob"].([]byte)
	}
	if a, b := get(), get(); !bytes.Equal(a, b) {
		t.Errorf("ciphertexts differ: %x %x", a, b)
	}
}

func TestSignVerifyWithGoCrypto(t *testing.T) {
	c := newClient(t, newEmu(t))
	cases := []struct{ spec, alg string }{
		{"RSA_2048", "RSASSA_PSS_SHA_256"}, {"RSA_2048", "RSASSA_PSS_SHA_512"},
		{"RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256"}, {"RSA_2048", "RSASSA_PKCS1_V1_5_SHA_384"},
		{"ECC_NIST_P256", "ECDSA_SHA_256"}, {"ECC_NIST_P384", "ECDSA_SHA_384"}, {"ECC_NIST_P521", "ECDSA_SHA_512"},
	}
	keys := map[string]map[string]any{}
	for _, tc := range cases {
		k := keys[tc.spec]
		if k == nil {
			k = createKey(c, map[string]any{"KeySpec": tc.spec, "KeyUsage": "SIGN_VERIFY"})
			keys[tc.spec] = k
		}
		msg := []byte("message to sign")
		h := map[string]crypto.Hash{"256": crypto.SHA256, "384": crypto.SHA384, "512": crypto.SHA512}[tc.alg[len(tc.alg)-3:]]
		hh := h.New()
		hh.Write(msg)
		digest := hh.Sum(nil)
		for _, mt := range []string{"RAW", "DIGEST"} {
			in := msg
			if mt == "DIGEST" {
				in = digest
			}
			sig := c.Call("Sign", map[string]any{"KeyId": k["KeyId"], "Message": in, "MessageType": mt, "SigningAlgorithm": tc.alg})["Signature"].([]byte)
			pubDER := c.Call("GetPublicKey", map[string]any{"KeyId": k["KeyId"]})["PublicKey"].([]byte)
			pub, err := x509.ParsePKIXPublicKey(pubDER)
			if err != nil {
				t.Fatal(err)
			}
			var verr error
			switch p := pub.(type) {
			case *rsa.PublicKey:
				if strings.Contains(tc.alg, "PSS") {
					verr = rsa.VerifyPSS(p, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
				} else {
					verr = rsa.VerifyPKCS1v15(p, h, digest, sig)
				}
			case *ecdsa.PublicKey:
				if !ecdsa.VerifyASN1(p, digest, sig) {
					verr = errBadSig
				}
			}
			if verr != nil {
				t.Errorf("%s %s %s: Go rejects the signature: %v", tc.spec, tc.alg, mt, verr)
			}
			out := c.Call("Verify", map[string]any{"KeyId": k["KeyId"], "Message": in, "MessageType": mt, "Signature": sig, "SigningAlgorithm": tc.alg})
			if out["SignatureValid"] != true {
				t.Errorf("Verify = %v", out)
			}
			bad := bytes.Clone(sig)
			bad[len(bad)/2] ^= 1
			c.WantErr("Verify", map[string]any{"KeyId": k["KeyId"], "Message": in, "MessageType": mt, "Signature": bad, "SigningAlgorithm": tc.alg}, "KMSInvalidSignatureException", 400)
		}
	}
	rsaKey := keys["RSA_2048"]
	c.WantErr("Sign", map[string]any{"KeyId": rsaKey["KeyId"], "Message": []byte("short"), "MessageType": "DIGEST", "SigningAlgorithm": "RSASSA_PSS_SHA_256"}, "ValidationException", 400)
	c.WantErr("Sign", map[string]any{"KeyId": keys["ECC_NIST_P256"]["KeyId"], "Message": []byte("m"), "SigningAlgorithm": "RSASSA_PSS_SHA_256"}, "InvalidKeyUsageException", 400)
	sym := createKey(c, nil)
	c.WantErr("Sign", map[string]any{"KeyId": sym["KeyId"], "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"}, "InvalidKeyUsageException", 400)
	c.WantErr("GetPublicKey", map[string]any{"KeyId": sym["KeyId"]}, "UnsupportedOperationException", 400)
	c.WantErr("Encrypt", map[string]any{"KeyId": rsaKey["KeyId"], "Plaintext": []byte("m")}, "InvalidKeyUsageException", 400)
}

func TestSecp256k1SignVerify(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, map[string]any{"KeySpec": "ECC_SECG_P256K1", "KeyUsage": "SIGN_VERIFY"})
	pub := c.Call("GetPublicKey", map[string]any{"KeyId": k["KeyId"]})["PublicKey"].([]byte)
	if !bytes.Contains(pub, []byte{0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a}) { // OID 1.3.132.0.10
		t.Errorf("public key lacks the secp256k1 OID: %x", pub)
	}
	sig := c.Call("Sign", map[string]any{"KeyId": k["KeyId"], "Message": []byte("btc"), "SigningAlgorithm": "ECDSA_SHA_256"})["Signature"].([]byte)
	c.Call("Verify", map[string]any{"KeyId": k["KeyId"], "Message": []byte("btc"), "Signature": sig, "SigningAlgorithm": "ECDSA_SHA_256"})
	c.WantErr("Verify", map[string]any{"KeyId": k["KeyId"], "Message": []byte("btc!"), "Signature": sig, "SigningAlgorithm": "ECDSA_SHA_256"}, "KMSInvalidSignatureException", 400)
}

func TestRSAEncryptDecrypt(t *testing.T) {
	c := newClient(t, newEmu(t))
	k := createKey(c, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	pub, err := x509.ParsePKIXPublicKey(c.Call("GetPublicKey", map[string]any{"KeyId": k["KeyId"]})["PublicKey"].([]byte))
	if err != nil {
		t.Fatal(err)
	}
	// Encrypted outside KMS with the public key, decrypted inside.
	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub.(*rsa.PublicKey), []byte("offline"), nil)
	if err != nil {
		t.Fatal(err)
	}
	dec := c.Call("Decrypt", map[string]any{"KeyId": k["KeyId"], "CiphertextBlob": ct, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	if string(dec["Plaintext"].([]byte)) != "offline" {
		t.Errorf("Decrypt = %v", dec)
	}
	enc := c.Call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("online"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"})
	dec = c.Call("Decrypt", map[string]any{"KeyId": k["KeyId"], "CiphertextBlob": enc["CiphertextBlob"], "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"})
	if string(dec["Plaintext"].([]byte)) != "online" {
		t.Errorf("Decrypt = %v", dec)
	}
	c.WantErr("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("x")}, "InvalidKeyUsageException", 400)
}

func TestGenerateVerifyMac(t *testing.T) {
	c := newClient(t, newEmu(t))
	for _, tc := range []struct {
		spec, alg string
		size      int
	}{{"HMAC_224", "HMAC_SHA_224", 28}, {"HMAC_256", "HMAC_SHA_256", 32}, {"HMAC_384", "HMAC_SHA_384", 48}, {"HMAC_512", "HMAC_SHA_512", 64}} {
		k := createKey(c, map[string]any{"KeySpec": tc.spec, "KeyUsage": "GENERATE_VERIFY_MAC"})
		if got := k["MacAlgorithms"].([]any); len(got) != 1 || got[0] != tc.alg {
			t.Errorf("%s MacAlgorithms %v", tc.spec, got)
		}
		mac := c.Call("GenerateMac", map[string]any{"KeyId": k["KeyId"], "Message": []byte("m"), "MacAlgorithm": tc.alg})["Mac"].([]byte)
		if len(mac) != tc.size {
			t.Errorf("%s: mac of %d bytes", tc.spec, len(mac))
		}
		out := c.Call("VerifyMac", map[string]any{"KeyId": k["KeyId"], "Message": []byte("m"), "MacAlgorithm": tc.alg, "Mac": mac})
		if out["MacValid"] != true {
			t.Errorf("VerifyMac = %v", out)
		}
		c.WantErr("VerifyMac", map[string]any{"KeyId": k["KeyId"], "Message": []byte("n"), "MacAlgorithm": tc.alg, "Mac": mac}, "KMSInvalidMacException", 400)
		c.WantErr("GenerateMac", map[string]any{"KeyId": k["KeyId"], "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_1"}, "InvalidKeyUsageException", 400)
	}
	_ = hmac.New(sha512.New, nil)
}

func TestRotationPolicyAndTags(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newClient(t, newEmu(t, emulator.Options{Clock: emulator.FixedClock(start)}))
	k := createKey(c, map[string]any{"Tags": []any{map[string]any{"TagKey": "env", "TagValue": "test"}}})
	st := c.Call("GetKeyRotationStatus", map[string]any{"KeyId": k["KeyId"]})
	if st["KeyRotationEnabled"] != false {
		t.Errorf("new key rotation %v", st)
	}
	c.Call("EnableKeyRotation", map[string]any{"KeyId": k["KeyId"], "RotationPeriodInDays": int64(90)})
	st = c.Call("GetKeyRotationStatus", map[string]any{"KeyId": k["KeyId"]})
	if st["KeyRotationEnabled"] != true || st["RotationPeriodInDays"] != int64(90) || !st["NextRotationDate"].(time.Time).Equal(start.AddDate(0, 0, 90)) {
		t.Errorf("rotation %v", st)
	}
	c.Call("DisableKeyRotation", map[string]any{"KeyId": k["KeyId"]})
	hm := createKey(c, map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	c.WantErr("EnableKeyRotation", map[string]any{"KeyId": hm["KeyId"]}, "UnsupportedOperationException", 400)
	c.Call("DisableKey", map[string]any{"KeyId": k["KeyId"]})
	c.WantErr("EnableKeyRotation", map[string]any{"KeyId": k["KeyId"]}, "DisabledException", 400)

	pol := c.Call("GetKeyPolicy", map[string]any{"KeyId": k["KeyId"], "PolicyName": "default"})
	if !strings.Contains(pol["Policy"].(string), "arn:aws:iam::000000000000:root") {
		t.Errorf("default policy %v", pol)
	}
	newPol := `{"Version":"2012-10-17","Statement":[]}`
	c.Call("PutKeyPolicy", map[string]any{"KeyId": k["KeyId"], "PolicyName": "default", "Policy": newPol})
	if got := c.Call("GetKeyPolicy", map[string]any{"KeyId": k["KeyId"]})["Policy"]; got != newPol {
		t.Errorf("policy %v", got)
	}
	c.WantErr("PutKeyPolicy", map[string]any{"KeyId": k["KeyId"], "Policy": "{not json"}, "MalformedPolicyDocumentException", 400)

	c.Call("TagResource", map[string]any{"KeyId": k["KeyId"], "Tags": []any{map[string]any{"TagKey": "app", "TagValue": "x"}}})
	c.Call("UntagResource", map[string]any{"KeyId": k["KeyId"], "TagKeys": []any{"env"}})
	tags := c.Call("ListResourceTags", map[string]any{"KeyId": k["KeyId"]})["Tags"].([]any)
	if len(tags) != 1 || tags[0].(map[string]any)["TagKey"] != "app" {
		t.Errorf("tags %v", tags)
	}
	c.WantErr("TagResource", map[string]any{"KeyId": k["KeyId"], "Tags": []any{map[string]any{"TagKey": "aws:x", "TagValue": "x"}}}, "TagException", 400)
}

func TestListKeysPaginates(t *testing.T) {
	c := newClient(t, newEmu(t))
	want := map[any]bool{}
	for i := 0; i < 5; i++ {
		want[createKey(c, nil)["KeyId"]] = true
	}
	got := map[any]bool{}
	params := map[string]any{"Limit": int64(2)}
	for pages := 0; pages < 10; pages++ {
		out := c.Call("ListKeys", params)
		for _, k := range out["Keys"].([]any) {
			got[k.(map[string]any)["KeyId"]] = true
		}
		if out["Truncated"] != true {
			break
		}
		params["Marker"] = out["NextMarker"]
	}
	if len(got) != len(want) {
		t.Errorf("listed %d of %d keys", len(got), len(want))
	}
	c.WantErr("ListKeys", map[string]any{"Marker": "bogus"}, "InvalidMarkerException", 400)
}

func TestAWSManagedKeyCreatedOnFirstUse(t *testing.T) {
	c := newClient(t, newEmu(t))
	out := c.Call("GenerateDataKey", map[string]any{"KeyId": "alias/aws/secretsmanager", "KeySpec": "AES_256"})
	md := c.Call("DescribeKey", map[string]any{"KeyId": "alias/aws/secretsmanager"})["KeyMetadata"].(map[string]any)
	if md["KeyManager"] != "AWS" || md["Arn"] != out["KeyId"] {
		t.Errorf("managed key %v", md)
	}
	c.WantErr("ScheduleKeyDeletion", map[string]any{"KeyId": md["KeyId"]}, "UnsupportedOperationException", 400)
}

func TestCiphertextSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	emu1, err := emulator.New(emulator.Options{DataPath: path, Services: []string{"kms"}})
	if err != nil {
		t.Fatal(err)
	}
	c1 := newClient(t, emu1)
	k := createKey(c1, nil)
	ct := c1.Call("Encrypt", map[string]any{"KeyId": k["KeyId"], "Plaintext": []byte("durable"), "EncryptionContext": map[string]any{"a": "b"}})["CiphertextBlob"]
	if err := emu1.Close(); err != nil {
		t.Fatal(err)
	}
	emu2, err := emulator.New(emulator.Options{DataPath: path, Services: []string{"kms"}})
	if err != nil {
		t.Fatal(err)
	}
	defer emu2.Close()
	c2 := newClient(t, emu2)
	dec := c2.Call("Decrypt", map[string]any{"CiphertextBlob": ct, "EncryptionContext": map[string]any{"a": "b"}})
	if string(dec["Plaintext"].([]byte)) != "durable" {
		t.Errorf("after restart: %v", dec)
	}
}
