package dynamodb

import (
	"fmt"
	"strings"
)

// Name is an attribute reference: Key("pk") for key conditions, Attr("a.b[1]")
// for filter and condition expressions (boto3's Key and Attr). A Name can
// also stand as the right-hand side of a comparison (Attr("x").Eq(Attr("y"))).
type Name struct {
	path  string
	isKey bool
	size  bool
}

// Key refers to a key attribute (KeyConditionExpression).
func Key(name string) Name { return Name{path: name, isKey: true} }

// Attr refers to any attribute (FilterExpression, ConditionExpression).
func Attr(name string) Name { return Name{path: name} }

// Condition is a built-up condition; combine with And, Or and Not.
type Condition struct {
	format string // boto3's expression_format, {0}, {1}, ... operands
	op     string
	args   []any // Name, Condition, values, or []any for IN
	isIn   bool
}

func cond(op, format string, args ...any) Condition {
	return Condition{op: op, format: format, args: args}
}

func (n Name) Eq(v any) Condition  { return cond("Equals", "{0} = {1}", n, v) }
func (n Name) Lt(v any) Condition  { return cond("LessThan", "{0} < {1}", n, v) }
func (n Name) Lte(v any) Condition { return cond("LessThanEquals", "{0} <= {1}", n, v) }
func (n Name) Gt(v any) Condition  { return cond("GreaterThan", "{0} > {1}", n, v) }
func (n Name) Gte(v any) Condition { return cond("GreaterThanEquals", "{0} >= {1}", n, v) }

// BeginsWith is begins_with(name, v).
func (n Name) BeginsWith(v any) Condition {
	return cond("BeginsWith", "begins_with({0}, {1})", n, v)
}

// Between is name BETWEEN lo AND hi.
func (n Name) Between(lo, hi any) Condition {
	return cond("Between", "{0} BETWEEN {1} AND {2}", n, lo, hi)
}

// Ne is name <> v (Attr only in boto3).
func (n Name) Ne(v any) Condition { return cond("NotEquals", "{0} <> {1}", n, v) }

// In is name IN (v0, v1, ...).
func (n Name) In(vs ...any) Condition {
	c := cond("In", "{0} IN {1}", n, vs)
	c.isIn = true
	return c
}

// Contains is contains(name, v).
func (n Name) Contains(v any) Condition { return cond("Contains", "contains({0}, {1})", n, v) }

// AttributeType is attribute_type(name, t).
func (n Name) AttributeType(t string) Condition {
	return cond("AttributeType", "attribute_type({0}, {1})", n, t)
}

// Exists is attribute_exists(name); NotExists attribute_not_exists(name).
func (n Name) Exists() Condition { return cond("AttributeExists", "attribute_exists({0})", n) }
func (n Name) NotExists() Condition {
	return cond("AttributeNotExists", "attribute_not_exists({0})", n)
}

// Size is size(name), compared like an attribute: Attr("l").Size().Lte(3).
func (n Name) Size() Name { n.size = true; return n }

// And, Or and Not combine conditions, parenthesised as boto3 writes them.
func (c Condition) And(o Condition) Condition { return cond("And", "({0} AND {1})", c, o) }
func (c Condition) Or(o Condition) Condition  { return cond("Or", "({0} OR {1})", c, o) }
func (c Condition) Not() Condition            { return cond("Not", "(NOT {0})", c) }

// Built is a built expression with its placeholders (boto3's
// BuiltConditionExpression). Values hold the raw Go values; SerializedValues
// gives them as AttributeValues for the request.
type Built struct {
	Expression string
	Names      map[string]string
	Values     map[string]any
}

// SerializedValues returns ExpressionAttributeValues as AttributeValues.
func (b Built) SerializedValues() (map[string]any, error) { return SerializeItem(b.Values) }

// NeedsKeyConditionError is boto3's DynamoDBNeedsKeyConditionError: an Attr
// used in a key condition.
type NeedsKeyConditionError struct{ Name string }

func (e *NeedsKeyConditionError) Error() string {
	return fmt.Sprintf("Attribute object %s is of type Attr. KeyConditionExpression only supports Attribute objects of type Key", e.Name)
}

// Builder numbers placeholders across the expressions of one request, as
// boto3's ConditionExpressionBuilder: #n0, #n1, … and :v0, :v1, …. The
// Table resource builds filter/condition expressions first, then the key
// condition, with one builder per request.
type Builder struct{ n, v int }

// Reset restarts the placeholder counters.
func (b *Builder) Reset() { b.n, b.v = 0, 0 }

// Build builds an expression; isKey requires Key names only (6.17).
func (b *Builder) Build(c Condition, isKey bool) (Built, error) {
	out := Built{Names: map[string]string{}, Values: map[string]any{}}
	expr, err := b.build(c, isKey, &out)
	out.Expression = expr
	return out, err
}

func (b *Builder) build(c Condition, isKey bool, out *Built) (string, error) {
	parts := make([]string, len(c.args))
	for i, a := range c.args {
		var s string
		var err error
		switch x := a.(type) {
		case Condition:
			s, err = b.build(x, isKey, out)
		case Name:
			s, err = b.name(x, isKey, out)
		default:
			if c.isIn && i == 1 {
				vs, _ := a.([]any)
				ph := make([]string, len(vs))
				for j, v := range vs {
					ph[j] = b.value(v, out)
				}
				s = "(" + strings.Join(ph, ", ") + ")"
			} else {
				s = b.value(a, out)
			}
		}
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	expr := c.format
	for i, p := range parts {
		expr = strings.Replace(expr, fmt.Sprintf("{%d}", i), p, 1)
	}
	return expr, nil
}

func (b *Builder) value(v any, out *Built) string {
	ph := fmt.Sprintf(":v%d", b.v)
	b.v++
	out.Values[ph] = v
	return ph
}

// name replaces each path segment outside brackets with a placeholder:
// "a.b[2]" → "#n0.#n1[2]".
func (b *Builder) name(n Name, isKey bool, out *Built) (string, error) {
	if isKey && !n.isKey {
		return "", &NeedsKeyConditionError{Name: n.path}
	}
	var sb strings.Builder
	seg := func(s string) {
		if s == "" {
			return
		}
		ph := fmt.Sprintf("#n%d", b.n)
		b.n++
		out.Names[ph] = s
		sb.WriteString(ph)
	}
	start, depth := 0, 0
	for i := 0; i < len(n.path); i++ {
		switch n.path[i] {
		case '[':
			if depth == 0 {
				seg(n.path[start:i])
				start = i
			}
			depth++
		case ']':
			depth--
			if depth == 0 {
				sb.WriteString(n.path[start : i+1])
				start = i + 1
			}
		case '.':
			if depth == 0 {
				seg(n.path[start:i])
				sb.WriteByte('.')
				start = i + 1
			}
		}
	}
	if depth == 0 {
		seg(n.path[start:])
	} else {
		sb.WriteString(n.path[start:])
	}
	if n.size {
		return "size(" + sb.String() + ")", nil
	}
	return sb.String(), nil
}
