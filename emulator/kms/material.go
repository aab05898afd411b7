package kms

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/fakecloud/fakecloud/emulator"
)

// nistCurve returns the Go curve of a NIST KeySpec or KeyPairSpec.
func nistCurve(spec string) elliptic.Curve {
	switch spec {
	case "ECC_NIST_P256":
		return elliptic.P256()
	case "ECC_NIST_P384":
		return elliptic.P384()
	case "ECC_NIST_P521":
		return elliptic.P521()
	}
	return nil
}

func rsaBits(spec string) int {
	switch spec {
	case "RSA_2048":
		return 2048
	case "RSA_3072":
		return 3072
	case "RSA_4096":
		return 4096
	}
	return 0
}

// scalar derives a private scalar in [1, n-1] from seeded bytes (16 extra
// bytes make the modular bias negligible), as a fixed-length big-endian
// integer.
func scalar(ids *emulator.IDSource, n *big.Int) []byte {
	size := (n.BitLen() + 7) / 8
	d := new(big.Int).SetBytes(ids.Bytes(size + 16))
	d.Mod(d, new(big.Int).Sub(n, big.NewInt(1)))
	d.Add(d, big.NewInt(1))
	return d.FillBytes(make([]byte, size))
}

// newMaterial makes the secret of a new key. Everything but RSA comes from
// the seeded id source; Go 1.26's rsa.GenerateKey always uses the system
// CSPRNG, so RSA keys are the one non-deterministic part.
func newMaterial(ids *emulator.IDSource, spec string) ([]byte, error) {
	switch spec {
	case "SYMMETRIC_DEFAULT":
		return ids.Bytes(32), nil
	case "HMAC_224":
		return ids.Bytes(28), nil
	case "HMAC_256":
		return ids.Bytes(32), nil
	case "HMAC_384":
		return ids.Bytes(48), nil
	case "HMAC_512":
		return ids.Bytes(64), nil
	case "ECC_SECG_P256K1":
		return scalar(ids, secp256k1.N), nil
	}
	if c := nistCurve(spec); c != nil {
		return scalar(ids, c.Params().N), nil
	}
	if bits := rsaBits(spec); bits != 0 {
		priv, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, fmt.Errorf("kms: generate %s: %w", spec, err)
		}
		return x509.MarshalPKCS8PrivateKey(priv)
	}
	return nil, fmt.Errorf("kms: no material for key spec %q", spec)
}

// privateKey returns the crypto key of an asymmetric spec's material:
// *rsa.PrivateKey, *ecdsa.PrivateKey or *k1Key.
func privateKey(spec string, material []byte) (any, error) {
	if rsaBits(spec) != 0 {
		return x509.ParsePKCS8PrivateKey(material)
	}
	if c := nistCurve(spec); c != nil {
		return ecdsa.ParseRawPrivateKey(c, material)
	}
	if spec == "ECC_SECG_P256K1" {
		return newK1Key(material)
	}
	return nil, fmt.Errorf("kms: %s is not an asymmetric key spec", spec)
}

// publicKeyDER is the DER SubjectPublicKeyInfo of an asymmetric key.
func publicKeyDER(priv any) ([]byte, error) {
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		return x509.MarshalPKIXPublicKey(&p.PublicKey)
	case *ecdsa.PrivateKey:
		return x509.MarshalPKIXPublicKey(&p.PublicKey)
	case *k1Key:
		return p.marshalPKIX()
	}
	return nil, errors.New("kms: unknown key type")
}

// privateKeyDER is the PKCS#8 DER of a private key (GenerateDataKeyPair).
func privateKeyDER(priv any) ([]byte, error) {
	if k, ok := priv.(*k1Key); ok {
		return k.marshalPKCS8()
	}
	return x509.MarshalPKCS8PrivateKey(priv)
}

// secp256k1 (SEC 2, 2.4.1), which Go's standard library lacks. The
// arithmetic is plain affine math/big: slow next to crypto/ecdsa but only an
// emulator's signing load runs through it.
var secp256k1 = struct{ P, N, Gx, Gy *big.Int }{
	P:  hexInt("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"),
	N:  hexInt("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
	Gx: hexInt("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
	Gy: hexInt("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"),
}

var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
)

func hexInt(s string) *big.Int {
	n, _ := new(big.Int).SetString(s, 16)
	return n
}

type k1Point struct{ X, Y *big.Int } // nil X is the point at infinity

func k1Add(a, b k1Point) k1Point {
	p := secp256k1.P
	if a.X == nil {
		return b
	}
	if b.X == nil {
		return a
	}
	var lambda *big.Int
	if a.X.Cmp(b.X) == 0 {
		if new(big.Int).Add(a.Y, b.Y).Mod(new(big.Int).Add(a.Y, b.Y), p).Sign() == 0 {
			return k1Point{}
		}
		// Doubling: λ = 3x² / 2y (a = 0 on secp256k1).
		num := new(big.Int).Mul(a.X, a.X)
		num.Mul(num, big.NewInt(3))
		den := new(big.Int).Lsh(a.Y, 1)
		lambda = num.Mul(num, den.ModInverse(den.Mod(den, p), p))
	} else {
		num := new(big.Int).Sub(b.Y, a.Y)
		den := new(big.Int).Sub(b.X, a.X)
		den.Mod(den, p)
		lambda = num.Mul(num, den.ModInverse(den, p))
	}
	lambda.Mod(lambda, p)
	x := new(big.Int).Mul(lambda, lambda)
	x.Sub(x, a.X).Sub(x, b.X).Mod(x, p)
	y := new(big.Int).Sub(a.X, x)
	y.Mul(y, lambda).Sub(y, a.Y).Mod(y, p)
	return k1Point{x, y}
}

func k1Mul(pt k1Point, k *big.Int) k1Point {
	var r k1Point
	for i := k.BitLen() - 1; i >= 0; i-- {
		r = k1Add(r, r)
		if k.Bit(i) == 1 {
			r = k1Add(r, pt)
		}
	}
	return r
}

func k1OnCurve(pt k1Point) bool {
	p := secp256k1.P
	if pt.X == nil || pt.X.Sign() < 0 || pt.X.Cmp(p) >= 0 || pt.Y.Sign() < 0 || pt.Y.Cmp(p) >= 0 {
		return false
	}
	y2 := new(big.Int).Mul(pt.Y, pt.Y)
	y2.Mod(y2, p)
	x3 := new(big.Int).Mul(pt.X, pt.X)
	x3.Mul(x3, pt.X).Add(x3, big.NewInt(7)).Mod(x3, p)
	return y2.Cmp(x3) == 0
}

// k1Key is a secp256k1 private key.
type k1Key struct {
	D   *big.Int
	Pub k1Point
}

func newK1Key(d []byte) (*k1Key, error) {
	n := new(big.Int).SetBytes(d)
	if n.Sign() == 0 || n.Cmp(secp256k1.N) >= 0 {
		return nil, errors.New("kms: invalid secp256k1 scalar")
	}
	return &k1Key{D: n, Pub: k1Mul(k1Point{secp256k1.Gx, secp256k1.Gy}, n)}, nil
}

func (k *k1Key) uncompressed() []byte {
	b := make([]byte, 65)
	b[0] = 4
	k.Pub.X.FillBytes(b[1:33])
	k.Pub.Y.FillBytes(b[33:])
	return b
}

type pkixAlg struct {
	Algorithm asn1.ObjectIdentifier
	Curve     asn1.ObjectIdentifier
}

type pkixPublicKey struct {
	Algorithm pkixAlg
	PublicKey asn1.BitString
}

func (k *k1Key) marshalPKIX() ([]byte, error) {
	pub := k.uncompressed()
	return asn1.Marshal(pkixPublicKey{pkixAlg{oidECPublicKey, oidSecp256k1},
		asn1.BitString{Bytes: pub, BitLength: len(pub) * 8}})
}

type ecPrivateKey struct {
	Version    int
	PrivateKey []byte
	PublicKey  asn1.BitString `asn1:"optional,explicit,tag:1"`
}

type pkcs8 struct {
	Version    int
	Algorithm  pkixAlg
	PrivateKey []byte
}

func (k *k1Key) marshalPKCS8() ([]byte, error) {
	pub := k.uncompressed()
	inner, err := asn1.Marshal(ecPrivateKey{1, k.D.FillBytes(make([]byte, 32)),
		asn1.BitString{Bytes: pub, BitLength: len(pub) * 8}})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(pkcs8{0, pkixAlg{oidECPublicKey, oidSecp256k1}, inner})
}

// parseK1PublicKey reads a secp256k1 SubjectPublicKeyInfo (tests and Verify
// of foreign keys use it).
func parseK1PublicKey(der []byte) (k1Point, error) {
	var spki pkixPublicKey
	rest, err := asn1.Unmarshal(der, &spki)
	if err != nil || len(rest) != 0 || !spki.Algorithm.Curve.Equal(oidSecp256k1) {
		return k1Point{}, errors.New("kms: not a secp256k1 public key")
	}
	b := spki.PublicKey.Bytes
	if len(b) != 65 || b[0] != 4 {
		return k1Point{}, errors.New("kms: secp256k1 key is not uncompressed")
	}
	pt := k1Point{new(big.Int).SetBytes(b[1:33]), new(big.Int).SetBytes(b[33:])}
	if !k1OnCurve(pt) {
		return k1Point{}, errors.New("kms: point not on secp256k1")
	}
	return pt, nil
}

type ecdsaSig struct{ R, S *big.Int }

// hashToInt is SEC 1's leftmost-bits conversion of a digest.
func hashToInt(digest []byte) *big.Int {
	if len(digest) > 32 {
		digest = digest[:32]
	}
	return new(big.Int).SetBytes(digest)
}

// sign makes a DER ECDSA signature. The nonce is derived from the key and
// the digest (in the spirit of RFC 6979), so signing is deterministic.
func (k *k1Key) sign(digest []byte) ([]byte, error) {
	n := secp256k1.N
	z := hashToInt(digest)
	for ctr := byte(0); ctr < 255; ctr++ {
		kk := new(big.Int).SetBytes(hmacSum(k.D.FillBytes(make([]byte, 32)), append(append([]byte{}, digest...), ctr)))
		kk.Mod(kk, n)
		if kk.Sign() == 0 {
			continue
		}
		pt := k1Mul(k1Point{secp256k1.Gx, secp256k1.Gy}, kk)
		r := new(big.Int).Mod(pt.X, n)
		if r.Sign() == 0 {
			continue
		}
		s := new(big.Int).Mul(r, k.D)
		s.Add(s, z).Mul(s, new(big.Int).ModInverse(kk, n)).Mod(s, n)
		if s.Sign() == 0 {
			continue
		}
		return asn1.Marshal(ecdsaSig{r, s})
	}
	return nil, errors.New("kms: secp256k1 signing failed")
}

func k1Verify(pub k1Point, digest, sig []byte) bool {
	var es ecdsaSig
	rest, err := asn1.Unmarshal(sig, &es)
	if err != nil || len(rest) != 0 || es.R == nil || es.S == nil {
		return false
	}
	n := secp256k1.N
	if es.R.Sign() <= 0 || es.S.Sign() <= 0 || es.R.Cmp(n) >= 0 || es.S.Cmp(n) >= 0 {
		return false
	}
	w := new(big.Int).ModInverse(es.S, n)
	u1 := new(big.Int).Mul(hashToInt(digest), w)
	u1.Mod(u1, n)
	u2 := new(big.Int).Mul(es.R, w)
	u2.Mod(u2, n)
	pt := k1Add(k1Mul(k1Point{secp256k1.Gx, secp256k1.Gy}, u1), k1Mul(pub, u2))
	if pt.X == nil {
		return false
	}
	return new(big.Int).Mod(pt.X, n).Cmp(es.R) == 0
}
