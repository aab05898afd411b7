// Package kms emulates AWS Key Management Service for fakecloud: symmetric,
// RSA, elliptic-curve and HMAC keys, aliases, key state (enable, disable,
// scheduled deletion), rotation status, key policies and tags, and the
// cryptographic operations (Encrypt, Decrypt, ReEncrypt, GenerateDataKey*,
// GenerateRandom, Sign, Verify, GenerateMac, VerifyMac, GetPublicKey).
//
// The cryptography is real. A symmetric ciphertext blob is AES-256-GCM under
// the key's material, with the key id in a small header (so Decrypt needs no
// KeyId) and the encryption context bound as additional data (so a wrong
// context or a flipped bit fails with InvalidCiphertextException). Key
// material lives in the store, so ciphertexts decrypt after a restart with a
// DataPath. Signatures verify with Go's crypto/rsa and crypto/ecdsa against
// the DER SubjectPublicKeyInfo GetPublicKey returns.
//
// Determinism: symmetric, HMAC and elliptic-curve key material, data keys,
// random bytes and GCM nonces all come from the emulator's seeded id source,
// so the same seed and calls give the same ciphertexts. Two things cannot be
// seeded: RSA key generation (Go 1.26 ignores the random reader of
// rsa.GenerateKey) and RSA-PSS, OAEP and NIST ECDSA randomness (likewise);
// those keys and signatures differ from run to run, as they do in AWS.
// Nonces are derived synthetically (HMAC of fresh seeded bytes, the context
// and the plaintext), so a seed replayed over persisted keys never reuses a
// nonce for different plaintexts.
//
// AWS managed keys (alias/aws/<service>) are created on first use, as AWS
// does; other services (Secrets Manager, SSM) reach them through
// emulator.Services.Call, never by importing this package.
package kms
