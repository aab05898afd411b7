package sigv4

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"
)

// CRC64NVMEPoly is the CRC-64/NVME polynomial in the reflected form
// hash/crc64 takes (0xAD93D23594C93659 bit-reversed).
const CRC64NVMEPoly = 0x9a6c9329ac4bc9b5

var (
	crc64NVMETable = crc64.MakeTable(CRC64NVMEPoly)
	castagnoli     = crc32.MakeTable(crc32.Castagnoli)
)

// Checksum algorithm names as S3 spells them (ChecksumAlgorithm).
const (
	ChecksumCRC32     = "CRC32"
	ChecksumCRC32C    = "CRC32C"
	ChecksumCRC64NVME = "CRC64NVME"
	ChecksumSHA1      = "SHA1"
	ChecksumSHA256    = "SHA256"
)

// NewChecksum returns the hash of an S3 checksum algorithm, named either
// as the algorithm ("crc32c", "CRC64NVME") or as its header
// ("x-amz-checksum-crc32"). Its Sum is the big-endian digest, which S3
// sends base64-encoded (ChecksumString).
func NewChecksum(name string) (hash.Hash, error) {
	switch ChecksumAlgorithm(name) {
	case ChecksumCRC32:
		return crc32.NewIEEE(), nil
	case ChecksumCRC32C:
		return crc32.New(castagnoli), nil
	case ChecksumCRC64NVME:
		return crc64.New(crc64NVMETable), nil
	case ChecksumSHA1:
		return sha1.New(), nil
	case ChecksumSHA256:
		return sha256.New(), nil
	}
	return nil, fmt.Errorf("sigv4: unknown checksum algorithm %q", name)
}

// ChecksumAlgorithm normalises an algorithm or header name to the
// algorithm's upper-case name ("" when it is not a checksum).
func ChecksumAlgorithm(name string) string {
	n := strings.ToUpper(strings.TrimSpace(name))
	n = strings.TrimPrefix(n, "X-AMZ-CHECKSUM-")
	switch n {
	case ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256:
		return n
	}
	return ""
}

// ChecksumHeader is the header (and trailer) carrying an algorithm's value:
// x-amz-checksum-crc32 and so on.
func ChecksumHeader(alg string) string {
	return "x-amz-checksum-" + strings.ToLower(ChecksumAlgorithm(alg))
}

// ChecksumString is the base64 of h's big-endian digest.
func ChecksumString(h hash.Hash) string {
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}
