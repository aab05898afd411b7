package secretsmanager

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"errors"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// defaultKey is the AWS managed key Secrets Manager uses when a secret names
// none; KMS creates it on first use.
const defaultKey = "alias/aws/secretsmanager"

func encryptionContext(arn, versionID string) map[string]any {
	return map[string]any{"SecretARN": arn, "SecretVersionId": versionID}
}

// sealValue envelope-encrypts a version's value: a fresh KMS data key, then
// AES-256-GCM. Values up to 64 KiB exceed KMS Encrypt's 4 KiB limit, hence
// the envelope, as AWS does it.
func sealValue(ctx context.Context, req *emulator.Request, kmsKeyID, arn, versionID string, value []byte) (dataKey, sealed []byte, err error) {
	if kmsKeyID == "" {
		kmsKeyID = defaultKey
	}
	out, err := req.Services().Call(ctx, req.Account, req.Region, "kms", "GenerateDataKey", map[string]any{
		"KeyId": kmsKeyID, "KeySpec": "AES_256", "EncryptionContext": encryptionContext(arn, versionID)})
	if err != nil {
		var ae *protocol.APIError
		if errors.As(err, &ae) {
			return nil, nil, errEncryptionFailure()
		}
		return nil, nil, err
	}
	pt, _ := out["Plaintext"].([]byte)
	aead, err := gcm(pt)
	if err != nil {
		return nil, nil, err
	}
	// Each version has its own data key, so a seeded nonce never repeats
	// under one key.
	nonce := req.IDs.Bytes(aead.NonceSize())
	ct, _ := out["CiphertextBlob"].([]byte)
	return ct, aead.Seal(nonce, nonce, value, nil), nil
}

func openValue(ctx context.Context, req *emulator.Request, arn, versionID string, dataKey, sealed []byte) ([]byte, error) {
	out, err := req.Services().Call(ctx, req.Account, req.Region, "kms", "Decrypt", map[string]any{
		"CiphertextBlob": dataKey, "EncryptionContext": encryptionContext(arn, versionID)})
	if err != nil {
		var ae *protocol.APIError
		if errors.As(err, &ae) {
			return nil, errDecryptionFailure()
		}
		return nil, err
	}
	pt, _ := out["Plaintext"].([]byte)
	aead, err := gcm(pt)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errDecryptionFailure()
	}
	v, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	if err != nil {
		return nil, errDecryptionFailure()
	}
	return v, nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
