package sqs

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"strings"
)

// attrValue is one message attribute (or message system attribute) as
// stored.
type attrValue struct {
	DataType    string  `json:"t"`
	StringValue *string `json:"s,omitempty"`
	BinaryValue []byte  `json:"b,omitempty"`
}

func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// md5OfAttributes is SQS's MD5OfMessageAttributes: over the attributes sorted
// by name, each encoded as length-prefixed (4-byte big-endian) name, data
// type, then a transport byte (1 string/number, 2 binary) and the
// length-prefixed value. SDKs recompute it and reject a mismatch.
func md5OfAttributes(attrs map[string]attrValue) string {
	if len(attrs) == 0 {
		return ""
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf []byte
	putLen := func(b []byte) {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(b)))
		buf = append(buf, b...)
	}
	for _, n := range names {
		a := attrs[n]
		putLen([]byte(n))
		putLen([]byte(a.DataType))
		if strings.HasPrefix(a.DataType, "Binary") {
			buf = append(buf, 2)
			putLen(a.BinaryValue)
		} else {
			buf = append(buf, 1)
			var s string
			if a.StringValue != nil {
				s = *a.StringValue
			}
			putLen([]byte(s))
		}
	}
	return md5Hex(buf)
}
