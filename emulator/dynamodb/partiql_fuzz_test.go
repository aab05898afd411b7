package dynamodb

import (
	"testing"

	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
)

// Statements come straight from clients: no text may panic the parser, and
// whatever parses evaluates without panicking too.
func FuzzParsePartiQL(f *testing.F) {
	for _, s := range []string{
		`SELECT * FROM "music" WHERE pk = 'a' AND sk >= 1`,
		`SELECT a.b[2], "c" FROM t.idx WHERE x IN [1, 2] OR NOT (y BETWEEN 'a' AND 'z')`,
		`INSERT INTO t VALUE {'pk': ?, 'l': [1, TRUE, NULL, {'m': <<'a', 'b'>>}]}`,
		`UPDATE t SET a = a + 1, b = ? REMOVE c WHERE pk = 'x' AND contains(tags, 'q')`,
		`DELETE FROM t WHERE pk = 'x' AND v IS NOT MISSING`,
		`SELECT * FROM t WHERE begins_with(`,
		`'''`, `<<>>`, `{`, `?`, `-`, `1e`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := parsePartiQL(src, []any{map[string]any{"S": "p"}})
		if err != nil {
			return
		}
		item := expr.Item{"pk": map[string]any{"S": "x"}, "a": map[string]any{"N": "1"}}
		if s.Where != nil {
			_ = expr.Eval(s.Where, item)
		}
		if s.Update != nil {
			_, _ = s.Update.Apply(item)
		}
	})
}
