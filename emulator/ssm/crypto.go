package ssm

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"errors"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// kmsDirectLimit is KMS Encrypt's plaintext limit; Advanced-tier values
// above it are envelope-encrypted under a data key.
const kmsDirectLimit = 4096

func encryptionContext(req *emulator.Request, name string) map[string]any {
	return map[string]any{"PARAMETER_ARN": arnOf(req, name)}
}

func asAPI(err error) (*protocol.APIError, bool) {
	var ae *protocol.APIError
	ok := errors.As(err, &ae)
	return ae, ok
}

// kmsError turns a KMS refusal (unknown or disabled key) into SSM's
// InvalidKeyId, keeping KMS's explanation.
func kmsError(err error) error {
	if ae, ok := asAPI(err); ok {
		return errInvalidKeyID(ae.Message)
	}
	return err
}

// seal encrypts a SecureString value into v.Cipher (and v.DataKey for
// values over 4 KB).
func seal(ctx context.Context, req *emulator.Request, name string, v *pversion, value string) error {
	svc := req.Services()
	if len(value) <= kmsDirectLimit {
		out, err := svc.Call(ctx, req.Account, req.Region, "kms", "Encrypt", map[string]any{
			"KeyId": v.KeyID, "Plaintext": []byte(value), "EncryptionContext": encryptionContext(req, name)})
		if err != nil {
			return kmsError(err)
		}
		v.Cipher, _ = out["CiphertextBlob"].([]byte)
		return nil
	}
	out, err := svc.Call(ctx, req.Account, req.Region, "kms", "GenerateDataKey", map[string]any{
		"KeyId": v.KeyID, "KeySpec": "AES_256", "EncryptionContext": encryptionContext(req, name)})
	if err != nil {
		return kmsError(err)
	}
	pt, _ := out["Plaintext"].([]byte)
	aead, err := gcm(pt)
	if err != nil {
		return err
	}
	// Each large value has its own data key, so a seeded nonce never
	// repeats under one key.
	nonce := req.IDs.Bytes(aead.NonceSize())
	v.DataKey, _ = out["CiphertextBlob"].([]byte)
	v.Cipher = aead.Seal(nonce, nonce, []byte(value), nil)
	return nil
}

func unseal(ctx context.Context, req *emulator.Request, name string, v *pversion) (string, error) {
	blob := v.Cipher
	if v.DataKey != nil {
		blob = v.DataKey
	}
	out, err := req.Services().Call(ctx, req.Account, req.Region, "kms", "Decrypt", map[string]any{
		"CiphertextBlob": blob, "EncryptionContext": encryptionContext(req, name)})
	if err != nil {
		return "", kmsError(err)
	}
	pt, _ := out["Plaintext"].([]byte)
	if v.DataKey == nil {
		return string(pt), nil
	}
	aead, err := gcm(pt)
	if err != nil {
		return "", err
	}
	if len(v.Cipher) < aead.NonceSize() {
		return "", errInvalidKeyID("The ciphertext of the parameter is corrupt.")
	}
	plain, err := aead.Open(nil, v.Cipher[:aead.NonceSize()], v.Cipher[aead.NonceSize():], nil)
	if err != nil {
		return "", errInvalidKeyID("The ciphertext of the parameter is corrupt.")
	}
	return string(plain), nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
