package kms

import (
	"bytes"
	"testing"

	"github.com/fakecloud/fakecloud/emulator"
)

// FuzzParseBlob feeds arbitrary bytes to the ciphertext blob parser and, for
// blobs that parse, to AES-GCM open: neither may panic, and a blob that was
// not sealed under the key never opens.
func FuzzParseBlob(f *testing.F) {
	k := &key{KeyID: "11111111-2222-4333-8444-555555555555", Material: bytes.Repeat([]byte{7}, 32)}
	good, err := seal(emulator.NewIDSource(1), k, []byte("seed plaintext"), map[string]string{"a": "b"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte(blobMagic))
	f.Add([]byte(blobMagic + "\xff"))
	f.Add(good[:len(good)-1])
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseBlob(b)
		if err != nil {
			return
		}
		if len(p.Nonce) != nonceSize || len(p.Sealed) < tagSize {
			t.Fatalf("parsed a short blob: %+v", p)
		}
		pt, err := open(k, p, map[string]string{"a": "b"})
		if err == nil && !bytes.Equal(b, good) && !bytes.Equal(pt, []byte("seed plaintext")) {
			t.Fatalf("forged blob opened: %x", b)
		}
	})
}

func TestCanonicalContextIsOrderFreeAndUnambiguous(t *testing.T) {
	a := canonicalContext(map[string]string{"x": "1", "y": "2"})
	b := canonicalContext(map[string]string{"y": "2", "x": "1"})
	if !bytes.Equal(a, b) {
		t.Error("map order changes the encoding")
	}
	// Concatenation ambiguity: {"ab":"c"} vs {"a":"bc"}.
	if bytes.Equal(canonicalContext(map[string]string{"ab": "c"}), canonicalContext(map[string]string{"a": "bc"})) {
		t.Error("ambiguous encoding")
	}
}

func TestSecp256k1GeneratorOrder(t *testing.T) {
	g := k1Point{secp256k1.Gx, secp256k1.Gy}
	if !k1OnCurve(g) {
		t.Fatal("G not on curve")
	}
	if pt := k1Mul(g, secp256k1.N); pt.X != nil {
		t.Error("n·G is not the point at infinity")
	}
}
