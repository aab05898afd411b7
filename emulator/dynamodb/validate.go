package dynamodb

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/model"
)

// DynamoDB's front end (Coral) checks every request against the model's
// constraints before the table is looked at, and reports every violation
// in one ValidationException:
//
//	2 validation errors detected: Value '' at 'tableName' failed to satisfy
//	constraint: Member must have length greater than or equal to 3; Value ''
//	at 'tableName' failed to satisfy constraint: Member must satisfy regular
//	expression pattern: [a-zA-Z0-9_.-]+
//
// Paths are the members' names with the first letter lowered, structure
// members joined by '.', list elements as '<list>.<1-based index>.member'.
// The validator checks required members (Value null ... Member must not be
// null; also members DynamoDB still requires that newer models left
// optional, see alsoRequired), string length and pattern, integer ranges,
// enums (Member must satisfy enum value set: [...], in the order DynamoDB
// prints the set) and empty lists of a minimum length. It does not descend
// into maps (AttributeValue items are checked by the expr package, with
// DynamoDB's own messages) nor check maximum list and map lengths (the
// handlers answer those with the operation-specific messages DynamoDB
// uses).

// maxReportedViolations bounds the work done on a hostile request; Coral
// reports every violation, which a request of a sane size never reaches.
const maxReportedViolations = 100

// noNestedRequired lists structure shapes whose missing required members
// DynamoDB reports with a service-specific message (handlers do that)
// rather than Coral's "must not be null".
var noNestedRequired = map[string]bool{"Tag": true}

// alsoRequired lists members DynamoDB rejects as null although the current
// botocore model no longer marks them required (CreateTable's key schema
// and attribute definitions: "1 validation error detected: Value null at
// 'keySchema' failed to satisfy constraint: Member must not be null").
var alsoRequired = map[string]map[string]bool{
	"CreateTableInput": {"AttributeDefinitions": true, "KeySchema": true},
}

// enumOrder is the order DynamoDB prints an enum's value set in (a Java
// hash-set order, not the model's), for the sets captured from DynamoDB's
// answers. Other enums are checked and printed in model order.
var enumOrder = map[string][]string{
	"ReturnValue":                 {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"},
	"ReturnConsumedCapacity":      {"INDEXES", "TOTAL", "NONE"},
	"ReturnItemCollectionMetrics": {"SIZE", "NONE"},
	"ConditionalOperator":         {"OR", "AND"},
	"Select":                      {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"},
	"BillingMode":                 {"PROVISIONED", "PAY_PER_REQUEST"},
}

// handlerEnums are enum shapes whose violations the handlers report with
// the paths DynamoDB uses for them (createTable's attributeType).
var handlerEnums = map[string]bool{"ScalarAttributeType": true}

// validated wraps a handler with the model-constraint check.
func validated(h emulator.Handler) emulator.Handler {
	return func(ctx context.Context, req *emulator.Request) (map[string]any, error) {
		if req.Operation != nil && req.Operation.Input != nil {
			if err := checkConstraints(req.Operation.Input.Shape, req.Input); err != nil {
				return nil, err
			}
		}
		if err := resolveInputTable(req); err != nil {
			return nil, err
		}
		return h(ctx, req)
	}
}

// checkConstraints validates input against shape; nil when it conforms.
func checkConstraints(shape *model.Shape, input map[string]any) error {
	if shape == nil {
		return nil
	}
	v := &violations{}
	v.structure(shape, input, "")
	return v.err()
}

type violations struct{ list []string }

func (v *violations) add(value, path, constraint string) {
	if len(v.list) < maxReportedViolations {
		v.list = append(v.list, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, path, constraint))
	}
}

func (v *violations) err() error {
	switch len(v.list) {
	case 0:
		return nil
	case 1:
		return validationf("1 validation error detected: %s", v.list[0])
	}
	return validationf("%d validation errors detected: %s", len(v.list), strings.Join(v.list, "; "))
}

// memberPath is Coral's name for a member: the first letter lowered
// ("SSESpecification" is "sSESpecification").
func memberPath(prefix, name string) string {
	if name == "" {
		return prefix
	}
	r, n := utf8.DecodeRuneInString(name)
	low := strings.ToLower(string(r)) + name[n:]
	if prefix == "" {
		return low
	}
	return prefix + "." + low
}

func (v *violations) structure(shape *model.Shape, in map[string]any, prefix string) {
	for _, name := range shape.MemberNames {
		ref := shape.Members[name]
		if ref == nil || ref.Shape == nil {
			continue
		}
		path := memberPath(prefix, name)
		val, present := in[name]
		if !present || val == nil {
			if (shape.IsRequired(name) || alsoRequired[shape.Name][name]) && (prefix == "" || !noNestedRequired[shape.Name]) {
				v.add("null", path, "Member must not be null")
			}
			continue
		}
		v.value(ref.Shape, val, path)
	}
}

func (v *violations) value(shape *model.Shape, val any, path string) {
	switch shape.Type {
	case "string":
		s, ok := val.(string)
		if !ok {
			return
		}
		if len(shape.Enum) > 0 && !handlerEnums[shape.Name] {
			v.enum(shape, s, path)
			return
		}
		v.str(shape, s, path)
	case "integer", "long":
		n, ok := val.(int64)
		if !ok {
			return
		}
		shown := fmt.Sprintf("'%d'", n)
		if shape.Min != nil && float64(n) < *shape.Min {
			v.add(shown, path, fmt.Sprintf("Member must have value greater than or equal to %d", int64(*shape.Min)))
		}
		if shape.Max != nil && float64(n) > *shape.Max {
			v.add(shown, path, fmt.Sprintf("Member must have value less than or equal to %d", int64(*shape.Max)))
		}
	case "structure":
		if m, ok := val.(map[string]any); ok {
			v.structure(shape, m, path)
		}
	case "list":
		l, ok := val.([]any)
		if !ok || shape.Member == nil || shape.Member.Shape == nil {
			return
		}
		if len(l) == 0 && shape.Min != nil && *shape.Min >= 1 {
			v.add("'[]'", path, fmt.Sprintf("Member must have length greater than or equal to %d", int64(*shape.Min)))
			return
		}
		if t := shape.Member.Shape.Type; t != "structure" && t != "string" {
			return
		}
		for i, e := range l {
			if e == nil {
				continue
			}
			v.value(shape.Member.Shape, e, fmt.Sprintf("%s.%d.member", path, i+1))
		}
	}
}

// tableArnShape is the shape of the TableName member of the operations that
// accept a table name or ARN. A value that is not an ARN is held to the
// table-name rules, reported length first (as DynamoDB does for
// DescribeTable); the TableName shape itself reports the pattern first.
const tableArnShape = "TableArn"

func (v *violations) str(shape *model.Shape, s, path string) {
	minL, maxL, pattern := shape.Min, shape.Max, shape.Pattern
	lengthFirst := false
	if shape.Name == tableArnShape && !strings.HasPrefix(s, "arn:") {
		three, max255 := 3.0, 255.0
		minL, maxL, pattern, lengthFirst = &three, &max255, tableNameShapePattern, true
	}
	shown := "'" + s + "'"
	n := float64(utf8.RuneCountInString(s))
	length := func() {
		if minL != nil && n < *minL {
			v.add(shown, path, fmt.Sprintf("Member must have length greater than or equal to %d", int64(*minL)))
		}
		if maxL != nil && n > *maxL {
			v.add(shown, path, fmt.Sprintf("Member must have length less than or equal to %d", int64(*maxL)))
		}
	}
	if lengthFirst {
		length()
	}
	if pattern != "" {
		if re := patternRE(pattern); re != nil && !re.MatchString(s) {
			v.add(shown, path, "Member must satisfy regular expression pattern: "+pattern)
		}
	}
	if !lengthFirst {
		length()
	}
}

func (v *violations) enum(shape *model.Shape, s, path string) {
	for _, e := range shape.Enum {
		if e == s {
			return
		}
	}
	set := enumOrder[shape.Name]
	if set == nil {
		set = shape.Enum
	}
	v.add("'"+s+"'", path, "Member must satisfy enum value set: ["+strings.Join(set, ", ")+"]")
}

const tableNameShapePattern = "[a-zA-Z0-9_.-]+"

var patterns sync.Map // model pattern -> *regexp.Regexp (nil: not RE2)

// patternRE compiles a model pattern as a whole-string match. Patterns Go's
// RE2 cannot compile (Java-only syntax) are not checked.
func patternRE(p string) *regexp.Regexp {
	if re, ok := patterns.Load(p); ok {
		r, _ := re.(*regexp.Regexp)
		return r
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		re = nil
	}
	patterns.Store(p, re)
	return re
}
