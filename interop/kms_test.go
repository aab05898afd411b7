package interop

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// Encrypt and Decrypt with an encryption context through an alias; the
// wrong context is InvalidCiphertextException, a disabled key
// DisabledException. Data keys decrypt to their plaintext.
func TestKMSEncryptDecryptAndDataKeys(t *testing.T) {
	eachTarget(t, "kms", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := kms.NewFromConfig(cfg)
		key := must(c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("interop")})).ok(t).KeyMetadata
		if key.KeySpec != types.KeySpecSymmetricDefault || key.KeyState != types.KeyStateEnabled || !key.Enabled {
			t.Errorf("CreateKey metadata = %+v", key)
		}
		alias := "alias/" + uniq("go-key")
		must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: &alias, TargetKeyId: key.KeyId})).ok(t)
		ectx := map[string]string{"purpose": "interop"}
		plain := []byte("attack at dawn")
		enc := must(c.Encrypt(ctx, &kms.EncryptInput{KeyId: &alias, Plaintext: plain, EncryptionContext: ectx})).ok(t)
		if aws.ToString(enc.KeyId) != aws.ToString(key.Arn) || bytes.Contains(enc.CiphertextBlob, plain) {
			t.Errorf("Encrypt KeyId %s (want %s), ciphertext holds the plaintext: %v", aws.ToString(enc.KeyId), aws.ToString(key.Arn), bytes.Contains(enc.CiphertextBlob, plain))
		}
		// Symmetric ciphertexts name their key: Decrypt needs no KeyId.
		dec := must(c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ectx})).ok(t)
		if !bytes.Equal(dec.Plaintext, plain) || aws.ToString(dec.KeyId) != aws.ToString(key.Arn) {
			t.Errorf("Decrypt = %q by %s", dec.Plaintext, aws.ToString(dec.KeyId))
		}
		_, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"purpose": "other"}})
		var ice *types.InvalidCiphertextException
		if !errors.As(err, &ice) {
			t.Errorf("Decrypt with the wrong context: %v, want InvalidCiphertextException", err)
		}

		dk := must(c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: key.KeyId, KeySpec: types.DataKeySpecAes256})).ok(t)
		if len(dk.Plaintext) != 32 {
			t.Errorf("GenerateDataKey plaintext is %d bytes, want 32", len(dk.Plaintext))
		}
		back := must(c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: dk.CiphertextBlob})).ok(t)
		if !bytes.Equal(back.Plaintext, dk.Plaintext) {
			t.Error("the data key's ciphertext does not decrypt to its plaintext")
		}
		wp := must(c.GenerateDataKeyWithoutPlaintext(ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: &alias, NumberOfBytes: aws.Int32(16)})).ok(t)
		if got := must(c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: wp.CiphertextBlob})).ok(t); len(got.Plaintext) != 16 {
			t.Errorf("GenerateDataKeyWithoutPlaintext decrypts to %d bytes, want 16", len(got.Plaintext))
		}
		rnd := must(c.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(24)})).ok(t)
		if len(rnd.Plaintext) != 24 {
			t.Errorf("GenerateRandom = %d bytes", len(rnd.Plaintext))
		}

		must(c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: key.KeyId})).ok(t)
		_, err = c.Encrypt(ctx, &kms.EncryptInput{KeyId: key.KeyId, Plaintext: plain})
		var de *types.DisabledException
		if !errors.As(err, &de) {
			t.Errorf("Encrypt with a disabled key: %v, want DisabledException", err)
		}
		must(c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: key.KeyId})).ok(t)
		del := must(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: key.KeyId, PendingWindowInDays: aws.Int32(7)})).ok(t)
		if del.KeyState != types.KeyStatePendingDeletion {
			t.Errorf("ScheduleKeyDeletion state = %s", del.KeyState)
		}
		_, err = c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ectx})
		var kis *types.KMSInvalidStateException
		if !errors.As(err, &kis) {
			t.Errorf("Decrypt under a key pending deletion: %v, want KMSInvalidStateException", err)
		}
		must(c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: key.KeyId})).ok(t)
	})
}

// Signatures made by KMS verify with Go's crypto against the public key
// GetPublicKey returns (RSA PKCS#1 v1.5 and PSS, ECDSA P-256), and KMS's own
// Verify rejects a changed message with KMSInvalidSignatureException.
func TestKMSSignVerifyWithGoCrypto(t *testing.T) {
	eachTarget(t, "kms", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := kms.NewFromConfig(cfg)
		msg := []byte("signed by fakecloud's KMS")
		digest := sha256.Sum256(msg)
		for _, tc := range []struct {
			spec types.KeySpec
			alg  types.SigningAlgorithmSpec
		}{
			{types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPkcs1V15Sha256},
			{types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPssSha256},
			{types.KeySpecEccNistP256, types.SigningAlgorithmSpecEcdsaSha256},
		} {
			t.Run(string(tc.spec)+"/"+string(tc.alg), func(t *testing.T) {
				key := must(c.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: tc.spec, KeyUsage: types.KeyUsageTypeSignVerify})).ok(t).KeyMetadata
				sig := must(c.Sign(ctx, &kms.SignInput{KeyId: key.KeyId, Message: msg, MessageType: types.MessageTypeRaw, SigningAlgorithm: tc.alg})).ok(t)
				pk := must(c.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: key.KeyId})).ok(t)
				if pk.KeySpec != tc.spec || pk.KeyUsage != types.KeyUsageTypeSignVerify {
					t.Errorf("GetPublicKey spec %s usage %s", pk.KeySpec, pk.KeyUsage)
				}
				pub, err := x509.ParsePKIXPublicKey(pk.PublicKey)
				if err != nil {
					t.Fatalf("GetPublicKey is not a DER SubjectPublicKeyInfo: %v", err)
				}
				switch p := pub.(type) {
				case *rsa.PublicKey:
					if tc.alg == types.SigningAlgorithmSpecRsassaPssSha256 {
						err = rsa.VerifyPSS(p, crypto.SHA256, digest[:], sig.Signature, nil)
					} else {
						err = rsa.VerifyPKCS1v15(p, crypto.SHA256, digest[:], sig.Signature)
					}
				case *ecdsa.PublicKey:
					if !ecdsa.VerifyASN1(p, digest[:], sig.Signature) {
						err = errors.New("ecdsa: invalid signature")
					}
				default:
					t.Fatalf("public key type %T", pub)
				}
				if err != nil {
					t.Errorf("Go crypto rejects KMS's signature: %v", err)
				}
				// A digest signed as such verifies the same way.
				v := must(c.Verify(ctx, &kms.VerifyInput{KeyId: key.KeyId, Message: digest[:], MessageType: types.MessageTypeDigest,
					Signature: sig.Signature, SigningAlgorithm: tc.alg})).ok(t)
				if !v.SignatureValid {
					t.Error("Verify of the digest = false")
				}
				_, err = c.Verify(ctx, &kms.VerifyInput{KeyId: key.KeyId, Message: []byte("tampered"), MessageType: types.MessageTypeRaw,
					Signature: sig.Signature, SigningAlgorithm: tc.alg})
				var bad *types.KMSInvalidSignatureException
				if !errors.As(err, &bad) {
					t.Errorf("Verify of a changed message: %v, want KMSInvalidSignatureException", err)
				}
			})
		}
	})
}
