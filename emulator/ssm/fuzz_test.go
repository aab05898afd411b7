package ssm_test

import (
	"errors"
	"testing"

	"github.com/fakecloud/fakecloud/internal/protocol"
)

// FuzzParameterInput drives names, selectors, values, patterns and tokens a
// client may send through the real wire: any answer is a value or a modeled
// 4xx, never a 500 or a panic.
func FuzzParameterInput(f *testing.F) {
	for _, s := range [][4]string{
		{"/a/b", "v", `^v$`, ""}, {"/a:1", "x", "(", "garbage"}, {"a/b", "", "", "bjpmb28"},
		{"/aws/x", "ami-12345678", ".*", "bzox"}, {"/x:lbl", "\xff", "", "bjov"}, {"arn:aws:ssm:us-east-1:000000000000:parameter/a:", "v", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	c := newClient(f, newEmu(f))
	f.Fuzz(func(t *testing.T, name, value, pattern, token string) {
		c.T = t
		check := func(op string, in map[string]any) {
			_, err := c.Try(op, in)
			var ae *protocol.APIError
			if err != nil && (!errors.As(err, &ae) || ae.StatusCode >= 500) {
				t.Fatalf("%s(%v): %v", op, in, err)
			}
		}
		check("PutParameter", map[string]any{"Name": name, "Value": value, "Type": "SecureString", "AllowedPattern": pattern, "Overwrite": true})
		check("GetParameter", map[string]any{"Name": name, "WithDecryption": true})
		check("GetParameters", map[string]any{"Names": []any{name}})
		check("GetParametersByPath", map[string]any{"Path": name, "NextToken": token, "Recursive": true})
		check("DescribeParameters", map[string]any{"NextToken": token, "ParameterFilters": []any{map[string]any{"Key": "Path", "Values": []any{name}}}})
		check("GetParameterHistory", map[string]any{"Name": name, "NextToken": token})
		check("LabelParameterVersion", map[string]any{"Name": name, "Labels": []any{value}})
	})
}
