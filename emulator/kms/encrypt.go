package kms

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"hash"

	"github.com/fakecloud/fakecloud/emulator"
)

// maxPlaintext is Encrypt's limit (GenerateDataKey handles bigger secrets).
const maxPlaintext = 4096

// dryRun answers an operation called with DryRun=true after its checks
// passed: KMS's DryRunOperationException (HTTP 412).
func dryRun(in map[string]any) error {
	if d, _ := boolean(in, "DryRun"); d {
		return emulator.Errorf("DryRunOperationException", 412, "The request would have succeeded, but the DryRun option is set.")
	}
	return nil
}

func encryptionContext(in map[string]any, member string) (map[string]string, error) {
	m := mapOf(in, member)
	ctx := make(map[string]string, len(m))
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			return nil, errValidation("EncryptionContext values must be strings")
		}
		ctx[k] = s
	}
	return ctx, nil
}

func oaepHash(alg string) (hash.Hash, bool) {
	switch alg {
	case "RSAES_OAEP_SHA_1":
		return sha1.New(), true
	case "RSAES_OAEP_SHA_256":
		return sha256.New(), true
	}
	return nil, false
}

// requireUsage answers KMS's InvalidKeyUsageException, whose text names the
// key ARN, its usage and the operation: "arn:aws:kms:...:key/... key usage is
// SIGN_VERIFY which is not valid for Encrypt." (as AWS SDK users report it).
func requireUsage(k *key, usage, op string) error {
	if k.Usage != usage {
		return errInvalidKeyUsage("%s key usage is %s which is not valid for %s.", k.Arn, k.Usage, op)
	}
	return nil
}

// encryptWith encrypts under k with the named algorithm ("" is the key's
// default).
func encryptWith(req *emulator.Request, k *key, plaintext []byte, ctx map[string]string, alg string) ([]byte, string, error) {
	if err := requireUsage(k, "ENCRYPT_DECRYPT", "Encrypt"); err != nil {
		return nil, "", err
	}
	if alg == "" {
		alg = "SYMMETRIC_DEFAULT"
	}
	if k.Spec == "SYMMETRIC_DEFAULT" {
		if alg != "SYMMETRIC_DEFAULT" {
			return nil, "", errInvalidKeyUsage("Algorithm %s is incompatible with key spec %s.", alg, k.Spec)
		}
		out, err := seal(req.IDs, k, plaintext, ctx)
		return out, alg, err
	}
	h, ok := oaepHash(alg)
	if !ok {
		return nil, "", errInvalidKeyUsage("Algorithm %s is incompatible with key spec %s.", alg, k.Spec)
	}
	priv, err := privateKey(k.Spec, k.Material)
	if err != nil {
		return nil, "", err
	}
	out, err := rsa.EncryptOAEP(h, rand.Reader, &priv.(*rsa.PrivateKey).PublicKey, plaintext, nil)
	if err != nil {
		return nil, "", errValidation("Plaintext is too long for %s with %s.", alg, k.Spec)
	}
	return out, alg, nil
}

// decryptWith decrypts a blob. keyID may be empty for symmetric blobs, which
// name their key; asymmetric ciphertexts need it.
func decryptWith(req *emulator.Request, keyID string, ciphertext []byte, ctx map[string]string, alg string) (*key, []byte, string, error) {
	if len(ciphertext) == 0 {
		return nil, nil, "", errValidation("1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if alg == "" {
		alg = "SYMMETRIC_DEFAULT"
	}
	var k *key
	if keyID != "" {
		var err error
		if k, err = useKey(req, keyID); err != nil {
			return nil, nil, "", err
		}
		if err := requireUsage(k, "ENCRYPT_DECRYPT", "Decrypt"); err != nil {
			return nil, nil, "", err
		}
		if k.Spec != "SYMMETRIC_DEFAULT" {
			h, ok := oaepHash(alg)
			if !ok {
				return nil, nil, "", errInvalidKeyUsage("Algorithm %s is incompatible with key spec %s.", alg, k.Spec)
			}
			priv, err := privateKey(k.Spec, k.Material)
			if err != nil {
				return nil, nil, "", err
			}
			pt, err := rsa.DecryptOAEP(h, nil, priv.(*rsa.PrivateKey), ciphertext, nil)
			if err != nil {
				return nil, nil, "", errInvalidCiphertext()
			}
			return k, pt, alg, nil
		}
	}
	if alg != "SYMMETRIC_DEFAULT" {
		return nil, nil, "", errInvalidKeyUsage("Algorithm %s is incompatible with key spec SYMMETRIC_DEFAULT.", alg)
	}
	p, err := parseBlob(ciphertext)
	if err != nil {
		return nil, nil, "", errInvalidCiphertext()
	}
	if k == nil {
		if k, err = useKey(req, p.KeyID); err != nil {
			return nil, nil, "", err
		}
	} else if k.KeyID != p.KeyID {
		return nil, nil, "", errIncorrectKey()
	}
	pt, err := open(k, p, ctx)
	if err != nil {
		return nil, nil, "", errInvalidCiphertext()
	}
	return k, pt, alg, nil
}

func encrypt(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	plaintext := blob(in, "Plaintext")
	if len(plaintext) == 0 || len(plaintext) > maxPlaintext {
		return nil, errValidation("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and %d", maxPlaintext)
	}
	ec, err := encryptionContext(in, "EncryptionContext")
	if err != nil {
		return nil, err
	}
	k, err := useKey(req, str(in, "KeyId"))
	if err != nil {
		return nil, err
	}
	if err := dryRun(in); err != nil {
		return nil, err
	}
	ct, alg, err := encryptWith(req, k, plaintext, ec, str(in, "EncryptionAlgorithm"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"CiphertextBlob": ct, "KeyId": k.Arn, "EncryptionAlgorithm": alg}, nil
}

func decrypt(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	ec, err := encryptionContext(in, "EncryptionContext")
	if err != nil {
		return nil, err
	}
	k, pt, alg, err := decryptWith(req, str(in, "KeyId"), blob(in, "CiphertextBlob"), ec, str(in, "EncryptionAlgorithm"))
	if err != nil {
		return nil, err
	}
	if err := dryRun(in); err != nil {
		return nil, err
	}
	return map[string]any{"KeyId": k.Arn, "Plaintext": pt, "EncryptionAlgorithm": alg}, nil
}

func reEncrypt(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	src, err := encryptionContext(in, "SourceEncryptionContext")
	if err != nil {
		return nil, err
	}
	dstCtx, err := encryptionContext(in, "DestinationEncryptionContext")
	if err != nil {
		return nil, err
	}
	sk, pt, salg, err := decryptWith(req, str(in, "SourceKeyId"), blob(in, "CiphertextBlob"), src, str(in, "SourceEncryptionAlgorithm"))
	if err != nil {
		return nil, err
	}
	dk, err := useKey(req, str(in, "DestinationKeyId"))
	if err != nil {
		return nil, err
	}
	if err := dryRun(in); err != nil {
		return nil, err
	}
	ct, dalg, err := encryptWith(req, dk, pt, dstCtx, str(in, "DestinationEncryptionAlgorithm"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"CiphertextBlob": ct, "SourceKeyId": sk.Arn, "KeyId": dk.Arn,
		"SourceEncryptionAlgorithm": salg, "DestinationEncryptionAlgorithm": dalg}, nil
}

// dataKey makes a data key under a symmetric key: the plaintext key (from
// the seeded source) and its ciphertext blob.
func dataKey(req *emulator.Request) (*key, []byte, []byte, error) {
	in := req.Input
	spec := str(in, "KeySpec")
	n, hasN := integer(in, "NumberOfBytes")
	switch {
	case spec != "" && hasN:
		return nil, nil, nil, errValidation("KeySpec and NumberOfBytes are mutually exclusive")
	case spec == "AES_256":
		n = 32
	case spec == "AES_128":
		n = 16
	case spec != "":
		return nil, nil, nil, errValidation("1 validation error detected: Value '%s' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]", spec)
	case !hasN:
		return nil, nil, nil, errValidation("Please specify either number of bytes or key spec.")
	case n < 1 || n > 1024:
		return nil, nil, nil, errValidation("1 validation error detected: Value '%d' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024", n)
	}
	ec, err := encryptionContext(in, "EncryptionContext")
	if err != nil {
		return nil, nil, nil, err
	}
	k, err := useKey(req, str(in, "KeyId"))
	if err != nil {
		return nil, nil, nil, err
	}
	if err := symmetricOnly(k, opName(req, "GenerateDataKey")); err != nil {
		return nil, nil, nil, err
	}
	if err := dryRun(in); err != nil {
		return nil, nil, nil, err
	}
	pt := req.IDs.Bytes(int(n))
	ct, err := seal(req.IDs, k, pt, ec)
	return k, pt, ct, err
}

func symmetricOnly(k *key, op string) error {
	if err := requireUsage(k, "ENCRYPT_DECRYPT", op); err != nil {
		return err
	}
	if k.Spec != "SYMMETRIC_DEFAULT" {
		return errInvalidKeyUsage("%s key KeySpec is %s which is not valid for %s.", k.Arn, k.Spec, op)
	}
	return nil
}

func generateDataKey(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, pt, ct, err := dataKey(req)
	if err != nil {
		return nil, err
	}
	return map[string]any{"CiphertextBlob": ct, "Plaintext": pt, "KeyId": k.Arn}, nil
}

func generateDataKeyWithoutPlaintext(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, _, ct, err := dataKey(req)
	if err != nil {
		return nil, err
	}
	return map[string]any{"CiphertextBlob": ct, "KeyId": k.Arn}, nil
}

func dataKeyPair(req *emulator.Request) (map[string]any, error) {
	in := req.Input
	spec := str(in, "KeyPairSpec")
	if rsaBits(spec) == 0 && nistCurve(spec) == nil && spec != "ECC_SECG_P256K1" {
		return nil, errValidation("1 validation error detected: Value '%s' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1]", spec)
	}
	ec, err := encryptionContext(in, "EncryptionContext")
	if err != nil {
		return nil, err
	}
	k, err := useKey(req, str(in, "KeyId"))
	if err != nil {
		return nil, err
	}
	if err := symmetricOnly(k, opName(req, "GenerateDataKeyPair")); err != nil {
		return nil, err
	}
	if err := dryRun(in); err != nil {
		return nil, err
	}
	material, err := newMaterial(req.IDs, spec)
	if err != nil {
		return nil, err
	}
	priv, err := privateKey(spec, material)
	if err != nil {
		return nil, err
	}
	privDER, err := privateKeyDER(priv)
	if err != nil {
		return nil, err
	}
	pubDER, err := publicKeyDER(priv)
	if err != nil {
		return nil, err
	}
	ct, err := seal(req.IDs, k, privDER, ec)
	if err != nil {
		return nil, err
	}
	return map[string]any{"PrivateKeyCiphertextBlob": ct, "PrivateKeyPlaintext": privDER,
		"PublicKey": pubDER, "KeyId": k.Arn, "KeyPairSpec": spec}, nil
}

func generateDataKeyPair(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	return dataKeyPair(req)
}

func generateDataKeyPairWithoutPlaintext(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	out, err := dataKeyPair(req)
	if out != nil {
		delete(out, "PrivateKeyPlaintext")
	}
	return out, err
}

func generateRandom(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	if id := str(req.Input, "CustomKeyStoreId"); id != "" {
		return nil, emulator.Errorf("CustomKeyStoreNotFoundException", 400, "Custom key store %s does not exist", id)
	}
	n, ok := integer(req.Input, "NumberOfBytes")
	if !ok || n < 1 || n > 1024 {
		return nil, errValidation("1 validation error detected: Value '%d' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024", n)
	}
	return map[string]any{"Plaintext": req.IDs.Bytes(int(n))}, nil
}

// opName is the operation a request calls (error messages name it), or def.
func opName(req *emulator.Request, def string) string {
	if req.Operation != nil && req.Operation.Name != "" {
		return req.Operation.Name
	}
	return def
}
