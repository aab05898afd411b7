package expr

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func env(t testing.TB) *Env {
	e, err := NewEnv(map[string]any{"#n": "name", "#a": "a"}, map[string]any{
		":s": map[string]any{"S": "abc"}, ":n": map[string]any{"N": "5"}, ":lo": map[string]any{"N": "1"},
		":hi": map[string]any{"N": "10"}, ":t": map[string]any{"S": "N"}, ":b": map[string]any{"B": []byte("ab")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var item = Item{
	"name": map[string]any{"S": "abcdef"},
	"a":    map[string]any{"N": "5"},
	"l":    map[string]any{"L": []any{map[string]any{"S": "abc"}, map[string]any{"N": "5.0"}}},
	"m":    map[string]any{"M": map[string]any{"x": map[string]any{"N": "7"}}},
	"ss":   map[string]any{"SS": []any{"abc", "q"}},
	"bin":  map[string]any{"B": []byte("abc")},
}

func TestConditionEvaluation(t *testing.T) {
	cases := []struct {
		expr string
		want bool
	}{
		{"#a = :n", true},
		{"a = :n", true},
		{"a <> :n", false},
		{"a < :hi AND a > :lo", true},
		{"a BETWEEN :lo AND :hi", true},
		{"a BETWEEN :n AND :n", true},
		{"a IN (:lo, :hi, :n)", true},
		{"a IN (:lo, :hi)", false},
		{"NOT a = :n OR a = :n", true},
		{"a = :lo OR a = :n AND a = :hi", false}, // AND binds tighter
		{"(a = :lo OR a = :n) AND a = :n", true},
		{"NOT (a = :lo)", true},
		{"attribute_exists(m.x)", true},
		{"attribute_not_exists(m.y)", true},
		{"attribute_exists(l[1])", true},
		{"attribute_exists(l[2])", false},
		{"attribute_type(a, :t)", true},
		{"begins_with(#n, :s)", true},
		{"begins_with(bin, :b)", true},
		{"contains(#n, :s)", true},
		{"contains(ss, :s)", true},
		{"contains(l, :n)", true}, // 5.0 = 5 numerically
		{"size(#n) = :n", false},
		{"size(#n) > :n", true},
		{"size(l) < :n", true},
		{"size(m) = :lo", true},
		{"l[0] = :s", true},
		{"m.x > :n", true},
		{"missing_attr = :n", false},
		{"missing_attr <> :n", true},
		{"#n < :s", false},
		{"#n > :s", true},
		{"a > :s", false}, // type mismatch is false, not an error
	}
	for _, tc := range cases {
		c, err := ParseCondition("ConditionExpression", tc.expr, env(t))
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if got := Eval(c, item); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.expr, got, tc.want)
		}
	}
}

func TestInvalidExpressionsHaveDynamoDBMessages(t *testing.T) {
	cases := []struct{ kind, expr, msg string }{
		{"ConditionExpression", "a = = :n", `Invalid ConditionExpression: Syntax error; token: "=", near: "= = :n"`},
		{"ConditionExpression", "a-b", `Invalid ConditionExpression: Syntax error; token: "-", near: "a-b"`},
		{"ConditionExpression", "NOT a", `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"`},
		{"ConditionExpression", "a = :missing", "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing"},
		{"ConditionExpression", "#zz = :n", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz"},
		{"ConditionExpression", "name = :s", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"FilterExpression", "Size = :n", "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: Size"},
		{"ConditionExpression", "foo(a)", "Invalid ConditionExpression: Invalid function name; function: foo"},
		{"ConditionExpression", "size(a)", "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"},
		{"ConditionExpression", "begins_with(a)", "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"},
		{"ConditionExpression", "a BETWEEN :hi AND :lo", "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lowerBound: {N: 10}, upperBound: {N: 1}"},
		{"ConditionExpression", "((a = :n))", "Invalid ConditionExpression: The expression has redundant parentheses;"},
		{"ConditionExpression", "", "Invalid ConditionExpression: The expression can not be empty;"},
		{"ConditionExpression", "a = :n AND", `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"`},
		{"UpdateExpression", "SET a = :n REMOVE a", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"UpdateExpression", "SET m.x = :n, m = :n", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, x], path two: [m]"},
		{"UpdateExpression", "INVALID SYNTAX HERE", `Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"`},
		{"UpdateExpression", "REMOVE a REMOVE b", `Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;`},
		{"UpdateExpression", "ADD a b", `Invalid UpdateExpression: Syntax error; token: "b", near: "a b"`},
		{"ProjectionExpression", "a, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"ProjectionExpression", "a[x]", `Invalid ProjectionExpression: Syntax error; token: "x", near: "[x]"`},
	}
	for _, tc := range cases {
		var err error
		switch tc.kind {
		case "UpdateExpression":
			_, err = ParseUpdate(tc.expr, env(t))
		case "ProjectionExpression":
			_, err = ParseProjection(tc.expr, env(t))
		default:
			_, err = ParseCondition(tc.kind, tc.expr, env(t))
		}
		if err == nil || err.Error() != tc.msg {
			t.Errorf("%s %q:\n got %v\nwant %s", tc.kind, tc.expr, err, tc.msg)
		}
	}
}

func TestPlaceholderMapValidation(t *testing.T) {
	cases := []struct {
		names, values any
		msg           string
	}{
		{map[string]any{}, nil, "ExpressionAttributeNames must not be empty"},
		{nil, map[string]any{}, "ExpressionAttributeValues must not be empty"},
		{map[string]any{"n": "x"}, nil, `ExpressionAttributeNames contains invalid key: Syntax error; key: "n"`},
		{nil, map[string]any{"x": map[string]any{"S": "a"}}, `ExpressionAttributeValues contains invalid key: Syntax error; key: "x"`},
		{nil, map[string]any{":x": map[string]any{"SS": []any{}}}, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :x"},
	}
	for _, tc := range cases {
		if _, err := NewEnv(tc.names, tc.values); err == nil || err.Error() != tc.msg {
			t.Errorf("got %v want %s", err, tc.msg)
		}
	}
	e, _ := NewEnv(map[string]any{"#n": "x", "#u": "y"}, map[string]any{":v": map[string]any{"S": "a"}})
	if _, err := ParseCondition("ConditionExpression", "#n = :v", e); err != nil {
		t.Fatal(err)
	}
	if err := e.CheckUnused(); err == nil || err.Error() != "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}" {
		t.Errorf("unused: %v", err)
	}
}

func TestNumberArithmeticAndOrdering(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"1.50", "1.5"}, {"-0", "0"}, {"1E2", "100"}, {"0.001e3", "1"}, {"-12.340", "-12.34"}, {".5", "0.5"}, {"1e-3", "0.001"},
	} {
		n, err := ParseNumber(tc.in)
		if err != nil || n.String() != tc.out {
			t.Errorf("%s -> %v %v, want %s", tc.in, n, err, tc.out)
		}
	}
	a, _ := ParseNumber("12345678901234567890123456789012345678")
	one, _ := ParseNumber("0.1")
	if _, err := a.Add(one); err == nil || !strings.Contains(err.Error(), "38 significant digits") {
		t.Errorf("overflow of digits: %v", err)
	}
	// SortKey order equals numeric order.
	r := rand.New(rand.NewPCG(1, 2))
	var nums []*Number
	for i := 0; i < 300; i++ {
		s := ""
		if r.IntN(2) == 0 {
			s = "-"
		}
		s += strings.Repeat("1", 1+r.IntN(3)) + "." + strings.Repeat("5", r.IntN(4)) + "e" + strconv.Itoa(r.IntN(20)-10)
		if i%7 == 0 {
			s = "0"
		}
		n, err := ParseNumber(strings.Replace(s, "e-", "e-", 1))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		nums = append(nums, n)
	}
	for i := range nums {
		for j := range nums {
			if c, k := nums[i].Cmp(nums[j]), bytes.Compare(nums[i].SortKey(), nums[j].SortKey()); c != k {
				t.Fatalf("%s vs %s: Cmp %d SortKey %d", nums[i], nums[j], c, k)
			}
		}
	}
}

func TestUpdateApply(t *testing.T) {
	e := env(t)
	u, err := ParseUpdate("SET a = a + :n, l[5] = :s, m.y = :lo REMOVE l[0] ADD ss :ss2 DELETE ss2 :ss2", mustEnv(e, ":ss2", map[string]any{"SS": []any{"q", "z"}}))
	if err != nil {
		t.Fatal(err)
	}
	it := CopyItem(item)
	it["ss2"] = map[string]any{"SS": []any{"q", "z"}}
	out, err := u.Apply(it)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out["a"], map[string]any{"N": "10"}) {
		t.Errorf("a %v", out["a"])
	}
	if l := out["l"].(map[string]any)["L"].([]any); len(l) != 2 {
		t.Errorf("l %v", l)
	}
	if _, ok := out["ss2"]; ok {
		t.Errorf("emptied set not removed: %v", out["ss2"])
	}
	if s := out["ss"].(map[string]any)["SS"].([]any); len(s) != 3 {
		t.Errorf("ss %v", s)
	}
	if !reflect.DeepEqual(item["a"], map[string]any{"N": "5"}) {
		t.Error("Apply modified its input")
	}
}

func mustEnv(e *Env, k string, v any) *Env {
	e.Values[k] = v
	return e
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"a = :n", "#n BETWEEN :lo AND :hi", "NOT (a IN (:n, :s)) OR size(l[0].x) > :n", "SET a = a + :n REMOVE b[1] ADD c :n DELETE d :s",
		"attribute_exists(m.x) AND begins_with(#n, :s)", "((a))", "a[99999999999]", "SET a = list_append(if_not_exists(a, :s), :s)", "\xff\x00", "#", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := env(t)
		if c, err := ParseCondition("ConditionExpression", s, e); err == nil {
			Eval(c, item)
		}
		if u, err := ParseUpdate(s, e); err == nil {
			_, _ = u.Apply(CopyItem(item))
		}
		if p, err := ParseProjection(s, e); err == nil {
			Project(item, p)
		}
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1", "-1.5e10", ".5", "1e-130", "9.9999e125", "1e999999", "--1", "1..2", "e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			return
		}
		m, err := ParseNumber(n.String())
		if err != nil || m.Cmp(n) != 0 {
			t.Fatalf("%q -> %s does not round-trip: %v", s, n, err)
		}
	})
}

func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{"SS":["a","a"]}`))
	f.Add([]byte(`{"M":{"x":{"L":[{"N":"1"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := jsonUnmarshal(data, &v); err != nil {
			return
		}
		_ = Validate(v)
		Size(v)
		Canonical(v)
		Equal(v, v)
		Compare(v, v)
		Copy(v)
		exerciseMalformed(t, v)
	})
}

// malformedExprs use the value under test both as the item's attribute x
// (and inside l and m) and as the placeholder :v.
var malformedExprs = []string{
	"x = :v", "x <> :v", "x < :v", "x BETWEEN :v AND :v", "x IN (:v, :s)", "contains(x, :v)",
	"contains(l, :v)", "begins_with(x, :v)", "attribute_type(x, :v)", "size(x) > :n", "size(:v) > :n",
	"m.k = :v", "l[0] = :v",
}

var malformedUpdates = []string{
	"SET y = :v", "SET x = x + :v", "SET x = :v - x", "SET x = list_append(x, :v)", "SET x = list_append(:v, l)",
	"SET y = if_not_exists(x, :v)", "ADD x :v", "DELETE x :v", "ADD ss :v", "DELETE ss :v", "REMOVE x",
}

// exerciseMalformed evaluates conditions, updates and projections over an
// AttributeValue that need not be valid: none may panic.
func exerciseMalformed(t *testing.T, v any) {
	t.Helper()
	e, err := NewEnv(map[string]any{}, map[string]any{":v": v, ":s": map[string]any{"S": "abc"}, ":n": map[string]any{"N": "0"}})
	if err != nil {
		return
	}
	it := Item{"x": v, "l": map[string]any{"L": []any{v}}, "m": map[string]any{"M": map[string]any{"k": v}},
		"ss": map[string]any{"SS": []any{"a"}}}
	for _, s := range malformedExprs {
		if c, err := ParseCondition("ConditionExpression", s, e); err == nil {
			Eval(c, it)
		}
	}
	for _, s := range malformedUpdates {
		if u, err := ParseUpdate(s, e); err == nil {
			_, _ = u.Apply(CopyItem(it))
		}
	}
	if p, err := ParseProjection("x, l[0], m.k", e); err == nil {
		Project(it, p)
	}
	_ = ValidateItem(it)
	ItemSize(it)
	CanonicalItem(it)
}

// TestMalformedAttributeValues pins the fuzz finding {"S":[]} (Equal
// compared two []any with ==) and its kin: a member of the wrong Go type is
// invalid, equal to nothing, and never panics anywhere in the package.
func TestMalformedAttributeValues(t *testing.T) {
	for _, src := range []string{`{"S":[]}`, `{"S":{}}`, `{"BOOL":[]}`, `{"NULL":{}}`, `{"N":[]}`, `{"B":[1]}`,
		`{"L":{}}`, `{"M":[]}`, `{"SS":[[]]}`, `{"NS":[{}]}`, `{"BS":"x"}`, `{"L":[{"S":[]}]}`, `{"M":{"a":{"BOOL":{}}}}`} {
		var v any
		if err := jsonUnmarshal([]byte(src), &v); err != nil {
			t.Fatal(err)
		}
		if err := Validate(v); err == nil {
			t.Errorf("Validate(%s) = nil, want an error", src)
		}
		if Equal(v, v) {
			t.Errorf("Equal(%s, itself) = true, want false for a malformed value", src)
		}
		exerciseMalformed(t, v)
	}
	if !Equal(map[string]any{"BOOL": true}, map[string]any{"BOOL": true}) || Equal(map[string]any{"BOOL": true}, map[string]any{"BOOL": false}) {
		t.Error("BOOL equality broken")
	}
	if !Equal(map[string]any{"S": "a"}, map[string]any{"S": "a"}) || Equal(map[string]any{"S": "a"}, map[string]any{"S": "b"}) {
		t.Error("S equality broken")
	}
}
