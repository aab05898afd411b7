package model

import (
	"strings"
	"unicode"
)

// XFormName converts a model name to boto3's snake_case form, following
// botocore.utils.xform_name: "ListObjectsV2" -> "list_objects_v2",
// "DescribeDBInstances" -> "describe_db_instances".
func XFormName(name string) string {
	if strings.Contains(name, "_") {
		return strings.ToLower(name)
	}
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
