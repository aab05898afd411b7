package dynamodb

import (
	"errors"
	"reflect"
	"testing"
)

// 6.15: values serialise as boto3's TypeSerializer does (goldens from boto3
// 1.26.27); floats are refused.
func TestSerialize_6_15(t *testing.T) {
	cases := []struct {
		in   any
		want map[string]any
	}{
		{"s", map[string]any{"S": "s"}},
		{3, map[string]any{"N": "3"}},
		{uint8(7), map[string]any{"N": "7"}},
		{Decimal("1.50"), map[string]any{"N": "1.50"}},
		{[]byte{0}, map[string]any{"B": []byte{0}}},
		{StringSet{"a", "b"}, map[string]any{"SS": []any{"a", "b"}}},
		{NumberSet{"1", "2"}, map[string]any{"NS": []any{"1", "2"}}},
		{BinarySet{[]byte("x")}, map[string]any{"BS": []any{[]byte("x")}}},
		{[]any{1, "a"}, map[string]any{"L": []any{map[string]any{"N": "1"}, map[string]any{"S": "a"}}}},
		{map[string]any{"k": true}, map[string]any{"M": map[string]any{"k": map[string]any{"BOOL": true}}}},
		{nil, map[string]any{"NULL": true}},
		{true, map[string]any{"BOOL": true}},
	}
	for _, tc := range cases {
		got, err := Serialize(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Serialize(%#v) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
	if _, err := Serialize(1.5); !errors.Is(err, ErrFloat) || err.Error() != "Float types are not supported. Use Decimal types instead." {
		t.Errorf("float: %v", err)
	}
	if _, err := Serialize(map[string]any{"a": []any{float32(1)}}); !errors.Is(err, ErrFloat) {
		t.Errorf("nested float: %v", err)
	}
	// boto3's DYNAMODB_CONTEXT traps Inexact/Rounded beyond 38 digits.
	var ne *NumberError
	for _, n := range []Decimal{"1.23456789012345678901234567890123456789", "10000000000000000000000000000000000000000", "1e200", "abc"} {
		if _, err := Serialize(n); !errors.As(err, &ne) {
			t.Errorf("Serialize(%s) = %v", n, err)
		}
	}
	for _, n := range []Decimal{"0", "-0.001", "12345678901234567890123456789012345678", "1E+3", ".5"} {
		if _, err := Serialize(n); err != nil {
			t.Errorf("Serialize(%s) = %v", n, err)
		}
	}
}

// 6.16: AttributeValues deserialise to Decimal, Binary, the set types,
// lists and maps.
func TestDeserialize_6_16(t *testing.T) {
	item := map[string]any{
		"n": map[string]any{"N": "1.50"}, "b": map[string]any{"B": []byte("x")},
		"ss": map[string]any{"SS": []any{"a"}}, "ns": map[string]any{"NS": []any{"1", "2"}},
		"bs": map[string]any{"BS": []any{[]byte("y")}}, "l": map[string]any{"L": []any{map[string]any{"N": "1"}}},
		"m": map[string]any{"M": map[string]any{"s": map[string]any{"S": "v"}}}, "z": map[string]any{"NULL": true},
		"t": map[string]any{"BOOL": true},
	}
	got, err := DeserializeItem(item)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"n": Decimal("1.50"), "b": Binary("x"), "ss": StringSet{"a"}, "ns": NumberSet{"1", "2"},
		"bs": BinarySet{[]byte("y")}, "l": []any{Decimal("1")}, "m": map[string]any{"s": "v"}, "z": nil, "t": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	// Round trip.
	back, err := SerializeItem(got)
	if err != nil || !reflect.DeepEqual(back, item) {
		t.Errorf("round trip %#v %v", back, err)
	}
	for _, bad := range []any{map[string]any{}, map[string]any{"X": 1}, map[string]any{"N": 1}, "s"} {
		if _, err := Deserialize(bad); err == nil {
			t.Errorf("Deserialize(%#v) accepted", bad)
		}
	}
}

// 6.17: Key/Attr build boto3's expressions; one builder numbers the filter
// first, then the key condition (goldens from boto3 1.26.27).
func TestConditions_6_17(t *testing.T) {
	var b Builder
	f, err := b.Build(Attr("age").Gt(21).Or(Attr("nick").NotExists()), false)
	if err != nil {
		t.Fatal(err)
	}
	k, err := b.Build(Key("pk").Eq("u1").And(Key("sk").BeginsWith("2024")), true)
	if err != nil {
		t.Fatal(err)
	}
	check := func(got Built, expr string, names map[string]string, values map[string]any) {
		t.Helper()
		if got.Expression != expr || !reflect.DeepEqual(got.Names, names) || !reflect.DeepEqual(got.Values, values) {
			t.Errorf("got %q %v %v\nwant %q %v %v", got.Expression, got.Names, got.Values, expr, names, values)
		}
	}
	check(f, "(#n0 > :v0 OR attribute_not_exists(#n1))", map[string]string{"#n0": "age", "#n1": "nick"}, map[string]any{":v0": 21})
	check(k, "(#n2 = :v1 AND begins_with(#n3, :v2))", map[string]string{"#n2": "pk", "#n3": "sk"}, map[string]any{":v1": "u1", ":v2": "2024"})

	b.Reset()
	c := Attr("a.b[2]").In(1, 2).Not().And(Attr("c").Between(1, 5)).And(Attr("d").Contains("x")).
		And(Attr("e").AttributeType("S")).And(Attr("f").Size().Lte(3)).And(Attr("g").Ne(nil)).And(Attr("h").Exists())
	got, err := b.Build(c, false)
	if err != nil {
		t.Fatal(err)
	}
	check(got, "(((((((NOT #n0.#n1[2] IN (:v0, :v1)) AND #n2 BETWEEN :v2 AND :v3) AND contains(#n3, :v4)) AND attribute_type(#n4, :v5)) AND size(#n5) <= :v6) AND #n6 <> :v7) AND attribute_exists(#n7))",
		map[string]string{"#n0": "a", "#n1": "b", "#n2": "c", "#n3": "d", "#n4": "e", "#n5": "f", "#n6": "g", "#n7": "h"},
		map[string]any{":v0": 1, ":v1": 2, ":v2": 1, ":v3": 5, ":v4": "x", ":v5": "S", ":v6": 3, ":v7": nil})

	b.Reset()
	got, _ = b.Build(Attr("x").Eq(Attr("y")), false)
	check(got, "#n0 = #n1", map[string]string{"#n0": "x", "#n1": "y"}, map[string]any{})

	var nk *NeedsKeyConditionError
	if _, err := b.Build(Attr("a").Eq(1), true); !errors.As(err, &nk) || nk.Name != "a" {
		t.Errorf("Attr in key condition: %v", err)
	}
	sv, err := f.SerializedValues()
	if err != nil || !reflect.DeepEqual(sv, map[string]any{":v0": map[string]any{"N": "21"}}) {
		t.Errorf("SerializedValues = %v %v", sv, err)
	}
}

// FuzzDeserialize: no AttributeValue shape makes Deserialize panic.
func FuzzDeserialize(f *testing.F) {
	f.Add("N", "1.5", 0)
	f.Add("L", "", 2)
	f.Add("SS", "a", 1)
	f.Add("M", "k", 1)
	f.Fuzz(func(t *testing.T, typ, s string, n int) {
		var v any = s
		switch n % 4 {
		case 1:
			v = []any{s, []byte(s)}
		case 2:
			v = []any{map[string]any{typ: s}}
		case 3:
			v = map[string]any{s: map[string]any{typ: s}}
		}
		out, err := Deserialize(map[string]any{typ: v})
		if err == nil {
			if _, err := Serialize(out); err != nil && !errors.As(err, new(*NumberError)) {
				t.Fatalf("re-serialise %#v: %v", out, err)
			}
		}
	})
}
