package kms

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"sort"

	"github.com/fakecloud/fakecloud/emulator"
)

// A symmetric ciphertext blob is
//
//	magic "fkc\x01" | key id length (1 byte) | key id | nonce (12 bytes) | AES-256-GCM sealed plaintext and tag
//
// The whole header and the canonical encryption context are the GCM
// additional data: changing the key id, the nonce, the context or a byte of
// the ciphertext makes Open fail. Like AWS's blobs, it names its key, so
// Decrypt needs no KeyId.
const (
	blobMagic = "fkc\x01"
	nonceSize = 12
	tagSize   = 16
)

var errBadBlob = errors.New("kms: malformed ciphertext blob")

// blobParts is a parsed ciphertext blob; the slices alias the input.
type blobParts struct {
	KeyID  string
	Header []byte // magic through nonce
	Nonce  []byte
	Sealed []byte
}

// parseBlob splits a ciphertext blob; it never panics, whatever the input.
func parseBlob(b []byte) (blobParts, error) {
	if len(b) < len(blobMagic)+1 || string(b[:len(blobMagic)]) != blobMagic {
		return blobParts{}, errBadBlob
	}
	n := int(b[len(blobMagic)])
	off := len(blobMagic) + 1
	if n == 0 || len(b) < off+n+nonceSize+tagSize {
		return blobParts{}, errBadBlob
	}
	id := string(b[off : off+n])
	if !keyIDPattern.MatchString(id) {
		return blobParts{}, errBadBlob
	}
	off += n
	return blobParts{KeyID: id, Header: b[:off+nonceSize], Nonce: b[off : off+nonceSize], Sealed: b[off+nonceSize:]}, nil
}

// canonicalContext encodes an encryption context independent of map order:
// sorted pairs, each string length-prefixed.
func canonicalContext(ctx map[string]string) []byte {
	keys := make([]string, 0, len(ctx))
	for k := range ctx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []byte
	for _, k := range keys {
		out = binary.AppendUvarint(out, uint64(len(k)))
		out = append(out, k...)
		out = binary.AppendUvarint(out, uint64(len(ctx[k])))
		out = append(out, ctx[k]...)
	}
	return out
}

func hmacSum(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

func gcm(material []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(material)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts plaintext under a symmetric key. The nonce is synthetic:
// HMAC(material, fresh seeded bytes | context | plaintext), so it is
// deterministic for a seed, yet two different plaintexts never share one
// even when a restarted emulator replays its seed over persisted keys.
func seal(ids *emulator.IDSource, k *key, plaintext []byte, ctx map[string]string) ([]byte, error) {
	aead, err := gcm(k.Material)
	if err != nil {
		return nil, err
	}
	cctx := canonicalContext(ctx)
	seed := append(ids.Bytes(16), cctx...)
	nonce := hmacSum(k.Material, append(seed, plaintext...))[:nonceSize]
	out := make([]byte, 0, len(blobMagic)+1+len(k.KeyID)+nonceSize+len(plaintext)+tagSize)
	out = append(out, blobMagic...)
	out = append(out, byte(len(k.KeyID)))
	out = append(out, k.KeyID...)
	out = append(out, nonce...)
	aad := append(append([]byte{}, out...), cctx...)
	return aead.Seal(out, nonce, plaintext, aad), nil
}

// open decrypts a parsed blob with its key's material.
func open(k *key, p blobParts, ctx map[string]string) ([]byte, error) {
	aead, err := gcm(k.Material)
	if err != nil {
		return nil, err
	}
	aad := append(append([]byte{}, p.Header...), canonicalContext(ctx)...)
	return aead.Open(nil, p.Nonce, p.Sealed, aad)
}
