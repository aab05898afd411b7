package emulator

import (
	"encoding/base64"
	"encoding/hex"
	"math/rand/v2"
	"sync"
)

// IDSource makes the identifiers a service hands out (request ids, message
// ids, version ids, receipt handles, ARN suffixes) from a seeded PRNG, so the
// same seed and the same calls give the same ids. Safe for concurrent use
// (concurrent callers get an interleaving-dependent order, of course).
type IDSource struct {
	mu  sync.Mutex
	rng *rand.Rand
}

// NewIDSource returns an IDSource seeded with seed.
func NewIDSource(seed uint64) *IDSource {
	return &IDSource{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Bytes returns n pseudo-random bytes.
func (s *IDSource) Bytes(n int) []byte {
	b := make([]byte, n)
	s.fill(b)
	return b
}

// fill fills b with pseudo-random bytes, consuming the PRNG as Bytes does.
func (s *IDSource) fill(b []byte) {
	n := len(b)
	s.mu.Lock()
	for i := 0; i < n; i += 8 {
		v := s.rng.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	s.mu.Unlock()
}

// UUID returns a version-4-shaped UUID ("8c3f...-...-4...-...").
func (s *IDSource) UUID() string {
	var b [16]byte
	s.fill(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var h [32]byte
	hex.Encode(h[:], b[:])
	var u [36]byte // 8-4-4-4-12, built in place: one allocation, the string
	copy(u[0:8], h[0:8])
	u[8] = '-'
	copy(u[9:13], h[8:12])
	u[13] = '-'
	copy(u[14:18], h[12:16])
	u[18] = '-'
	copy(u[19:23], h[16:20])
	u[23] = '-'
	copy(u[24:36], h[20:32])
	return string(u[:])
}

// Hex returns n lower-case hex digits.
func (s *IDSource) Hex(n int) string {
	return hex.EncodeToString(s.Bytes((n + 1) / 2))[:n]
}

// Base64 returns a standard-base64 string of exactly n characters (S3's
// x-amz-id-2, SQS receipt handles).
func (s *IDSource) Base64(n int) string {
	raw := s.Bytes((n*3)/4 + 3)
	enc := make([]byte, base64.StdEncoding.EncodedLen(len(raw)))
	base64.StdEncoding.Encode(enc, raw)
	return string(enc[:n])
}

// Alnum returns n characters of [A-Z0-9] (IAM-style unique ids, S3
// request ids use upper-case hex: see Hex).
func (s *IDSource) Alnum(n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := s.Bytes(n)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}
