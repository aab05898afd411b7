package dynamodb

import (
	"sort"

	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
)

// legacy translates the pre-expression parameters (Expected, AttributesToGet,
// AttributeUpdates, QueryFilter, ScanFilter, ConditionalOperator) into the
// same trees the expression parser builds, so one evaluator serves both.
// KeyConditions is translated by Query (query.go).
func (x *exprs) legacy(in map[string]any, spec exprSpec) error {
	var err error
	if m := obj(in, "Expected"); m != nil && spec.condition {
		if x.cond, err = legacyConditions(m, str(in, "ConditionalOperator"), true); err != nil {
			return err
		}
	}
	for _, member := range []string{"QueryFilter", "ScanFilter"} {
		if m := obj(in, member); m != nil && spec.filter {
			if x.filter, err = legacyConditions(m, str(in, "ConditionalOperator"), false); err != nil {
				return err
			}
		}
	}
	if l := list(in, "AttributesToGet"); l != nil && spec.projection {
		seen := map[string]bool{}
		for _, a := range l {
			s, _ := a.(string)
			if seen[s] {
				return validationf("One or more parameter values were invalid: Duplicate value in attribute name: %s", s)
			}
			seen[s] = true
			x.proj = append(x.proj, expr.Path{{Name: s}})
		}
	}
	if m := obj(in, "AttributeUpdates"); m != nil && spec.update {
		u := &expr.Update{}
		for _, name := range sortedNames(m) {
			au, _ := m[name].(map[string]any)
			path := expr.Path{{Name: name}}
			v, hasV := au["Value"]
			if hasV {
				if err := expr.Validate(v); err != nil {
					return apiError(err)
				}
			}
			ref := &expr.ValueRef{Value: v}
			switch action := str(au, "Action"); action {
			case "", "PUT":
				if !hasV {
					return validationf("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified")
				}
				u.Set = append(u.Set, expr.SetAction{Path: path, Value: ref})
			case "DELETE":
				if hasV {
					u.Delete = append(u.Delete, expr.PathValue{Path: path, Value: ref})
				} else {
					u.Remove = append(u.Remove, path)
				}
			case "ADD":
				if !hasV {
					return validationf("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified")
				}
				typ, _, _ := expr.Type(v)
				if typ == expr.TL { // legacy ADD appends to a list
					u.Set = append(u.Set, expr.SetAction{Path: path, Value: &expr.Call{Name: "list_append", Args: []expr.Operand{
						&expr.Call{Name: "if_not_exists", Args: []expr.Operand{path, &expr.ValueRef{Value: map[string]any{"L": []any{}}}}}, ref}}})
				} else {
					u.Add = append(u.Add, expr.PathValue{Path: path, Value: ref})
				}
			default:
				return validationf("1 validation error detected: Value '%s' at 'attributeUpdates.%s.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]", action, name)
			}
		}
		x.update = u
	}
	return nil
}

func sortedNames(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// legacyConditions builds the conjunction (or disjunction) of legacy
// conditions. expected selects the Expected form (Value/Exists allowed).
func legacyConditions(m map[string]any, op string, expected bool) (expr.Cond, error) {
	if op == "" {
		op = "AND"
	}
	if op != "AND" && op != "OR" {
		return nil, validationf("1 validation error detected: Value '%s' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]", op)
	}
	var out expr.Cond
	for _, name := range sortedNames(m) {
		c, _ := m[name].(map[string]any)
		cond, err := legacyCondition(name, c, expected)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = cond
		} else {
			out = &expr.Logic{Op: op, L: out, R: cond}
		}
	}
	return out, nil
}

var legacyArgs = map[string]int{"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1, "NOT_NULL": 0, "NULL": 0,
	"CONTAINS": 1, "NOT_CONTAINS": 1, "BEGINS_WITH": 1, "IN": -1, "BETWEEN": 2}

func legacyCondition(name string, c map[string]any, expected bool) (expr.Cond, error) {
	path := expr.Path{{Name: name}}
	cmpOp := str(c, "ComparisonOperator")
	if expected && cmpOp == "" {
		exists, hasExists := c["Exists"].(bool)
		v, hasV := c["Value"]
		switch {
		case hasExists && !exists && hasV:
			return nil, validationf("One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: %s", name)
		case hasExists && !exists:
			return &expr.FuncCond{Name: "attribute_not_exists", Args: []expr.Operand{path}}, nil
		case hasV:
			if err := expr.Validate(v); err != nil {
				return nil, apiError(err)
			}
			return &expr.Comparison{Op: "=", L: path, R: &expr.ValueRef{Value: v}}, nil
		default:
			return nil, validationf("One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: %s", name)
		}
	}
	want, ok := legacyArgs[cmpOp]
	if !ok {
		return nil, validationf("1 validation error detected: Value '%s' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]", cmpOp)
	}
	var args []expr.Operand
	for _, v := range list(c, "AttributeValueList") {
		if err := expr.Validate(v); err != nil {
			return nil, apiError(err)
		}
		args = append(args, &expr.ValueRef{Value: v})
	}
	if v, ok := c["Value"]; ok && expected && len(args) == 0 {
		args = append(args, &expr.ValueRef{Value: v})
	}
	if want >= 0 && len(args) != want || want < 0 && len(args) == 0 {
		return nil, validationf("One or more parameter values were invalid: Invalid number of argument(s) for the %s ComparisonOperator", cmpOp)
	}
	switch cmpOp {
	case "EQ", "NE", "LE", "LT", "GE", "GT":
		ops := map[string]string{"EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"}
		return &expr.Comparison{Op: ops[cmpOp], L: path, R: args[0]}, nil
	case "NOT_NULL":
		return &expr.FuncCond{Name: "attribute_exists", Args: []expr.Operand{path}}, nil
	case "NULL":
		return &expr.FuncCond{Name: "attribute_not_exists", Args: []expr.Operand{path}}, nil
	case "CONTAINS":
		return &expr.FuncCond{Name: "contains", Args: []expr.Operand{path, args[0]}}, nil
	case "NOT_CONTAINS":
		return &expr.Logic{Op: "AND", L: &expr.FuncCond{Name: "attribute_exists", Args: []expr.Operand{path}},
			R: &expr.Not{C: &expr.FuncCond{Name: "contains", Args: []expr.Operand{path, args[0]}}}}, nil
	case "BEGINS_WITH":
		return &expr.FuncCond{Name: "begins_with", Args: []expr.Operand{path, args[0]}}, nil
	case "IN":
		return &expr.In{V: path, List: args}, nil
	case "BETWEEN":
		return &expr.Between{V: path, Lo: args[0], Hi: args[1]}, nil
	}
	return nil, validationf("Unsupported operator: %s", cmpOp)
}
