package kms

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"slices"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
)

func signingHash(alg string) crypto.Hash {
	switch {
	case strings.HasSuffix(alg, "_256"):
		return crypto.SHA256
	case strings.HasSuffix(alg, "_384"):
		return crypto.SHA384
	case strings.HasSuffix(alg, "_512"):
		return crypto.SHA512
	}
	return 0
}

// signingInput checks a Sign/Verify request and returns the key, algorithm
// and the digest to sign.
func signingInput(req *emulator.Request, op string) (*key, string, []byte, error) {
	in := req.Input
	msg := blob(in, "Message")
	if len(msg) == 0 || len(msg) > 4096 {
		return nil, "", nil, errValidation("1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length between 1 and 4096")
	}
	k, err := useKey(req, str(in, "KeyId"))
	if err != nil {
		return nil, "", nil, err
	}
	if err := requireUsage(k, "SIGN_VERIFY", op); err != nil {
		return nil, "", nil, err
	}
	alg := str(in, "SigningAlgorithm")
	if !slices.Contains(k.signingAlgorithms(), any(alg)) {
		return nil, "", nil, errInvalidKeyUsage("Algorithm %s is incompatible with key spec %s.", alg, k.Spec)
	}
	h := signingHash(alg)
	digest := msg
	switch mt := str(in, "MessageType"); mt {
	case "", "RAW":
		hh := h.New()
		hh.Write(msg)
		digest = hh.Sum(nil)
	case "DIGEST":
		if len(msg) != h.Size() {
			return nil, "", nil, errValidation("Digest is invalid length for algorithm %s.", alg)
		}
	default:
		return nil, "", nil, errValidation("1 validation error detected: Value '%s' at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [RAW, DIGEST, EXTERNAL_MU]", mt)
	}
	if err := dryRun(in); err != nil {
		return nil, "", nil, err
	}
	return k, alg, digest, nil
}

func sign(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, alg, digest, err := signingInput(req, "Sign")
	if err != nil {
		return nil, err
	}
	priv, err := privateKey(k.Spec, k.Material)
	if err != nil {
		return nil, err
	}
	h := signingHash(alg)
	var sig []byte
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		if strings.HasPrefix(alg, "RSASSA_PSS_") {
			// KMS uses a salt as long as the digest.
			sig, err = rsa.SignPSS(rand.Reader, p, h, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			sig, err = rsa.SignPKCS1v15(nil, p, h, digest)
		}
	case *ecdsa.PrivateKey:
		sig, err = ecdsa.SignASN1(rand.Reader, p, digest)
	case *k1Key:
		sig, err = p.sign(digest)
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyId": k.Arn, "Signature": sig, "SigningAlgorithm": alg}, nil
}

func verify(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, alg, digest, err := signingInput(req, "Verify")
	if err != nil {
		return nil, err
	}
	sig := blob(req.Input, "Signature")
	priv, err := privateKey(k.Spec, k.Material)
	if err != nil {
		return nil, err
	}
	h := signingHash(alg)
	ok := false
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		if strings.HasPrefix(alg, "RSASSA_PSS_") {
			ok = rsa.VerifyPSS(&p.PublicKey, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
		} else {
			ok = rsa.VerifyPKCS1v15(&p.PublicKey, h, digest, sig) == nil
		}
	case *ecdsa.PrivateKey:
		ok = ecdsa.VerifyASN1(&p.PublicKey, digest, sig)
	case *k1Key:
		ok = k1Verify(p.Pub, digest, sig)
	}
	// KMS does not answer SignatureValid=false: an invalid signature is an
	// error.
	if !ok {
		return nil, errInvalidSignature()
	}
	return map[string]any{"KeyId": k.Arn, "SignatureValid": true, "SigningAlgorithm": alg}, nil
}

func macHash(alg string) func() hash.Hash {
	switch alg {
	case "HMAC_SHA_224":
		return sha256.New224
	case "HMAC_SHA_256":
		return sha256.New
	case "HMAC_SHA_384":
		return sha512.New384
	case "HMAC_SHA_512":
		return sha512.New
	}
	return nil
}

func macInput(req *emulator.Request, op string) (*key, string, []byte, error) {
	in := req.Input
	msg := blob(in, "Message")
	if len(msg) == 0 || len(msg) > 4096 {
		return nil, "", nil, errValidation("1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length between 1 and 4096")
	}
	k, err := useKey(req, str(in, "KeyId"))
	if err != nil {
		return nil, "", nil, err
	}
	if err := requireUsage(k, "GENERATE_VERIFY_MAC", op); err != nil {
		return nil, "", nil, err
	}
	alg := str(in, "MacAlgorithm")
	if !slices.Contains(k.macAlgorithms(), any(alg)) {
		return nil, "", nil, errInvalidKeyUsage("Algorithm %s is incompatible with key spec %s.", alg, k.Spec)
	}
	if err := dryRun(in); err != nil {
		return nil, "", nil, err
	}
	m := hmac.New(macHash(alg), k.Material)
	m.Write(msg)
	return k, alg, m.Sum(nil), nil
}

func generateMac(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, alg, mac, err := macInput(req, "GenerateMac")
	if err != nil {
		return nil, err
	}
	return map[string]any{"Mac": mac, "MacAlgorithm": alg, "KeyId": k.Arn}, nil
}

func verifyMac(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, alg, mac, err := macInput(req, "VerifyMac")
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(mac, blob(req.Input, "Mac")) {
		return nil, errInvalidMac()
	}
	return map[string]any{"KeyId": k.Arn, "MacValid": true, "MacAlgorithm": alg}, nil
}

func getPublicKey(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	k, err := useKey(req, str(req.Input, "KeyId"))
	if err != nil {
		return nil, err
	}
	if k.Spec == "SYMMETRIC_DEFAULT" || strings.HasPrefix(k.Spec, "HMAC_") {
		return nil, errUnsupported("%s key spec %s does not have a public key.", k.Arn, k.Spec)
	}
	priv, err := privateKey(k.Spec, k.Material)
	if err != nil {
		return nil, err
	}
	der, err := publicKeyDER(priv)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"KeyId": k.Arn, "PublicKey": der, "CustomerMasterKeySpec": k.Spec,
		"KeySpec": k.Spec, "KeyUsage": k.Usage}
	if a := k.encryptionAlgorithms(); a != nil {
		out["EncryptionAlgorithms"] = a
	}
	if a := k.signingAlgorithms(); a != nil {
		out["SigningAlgorithms"] = a
	}
	return out, nil
}
