package sns

import (
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// A filter policy decides whether a subscription gets a message. Every key
// of the policy must match (AND); a key matches when any of its conditions
// does (OR); "$or" takes a list of alternative policies. With
// FilterPolicyScope MessageAttributes the keys are message attribute names;
// with MessageBody they address the JSON body, nested objects nesting.

// parsePolicy checks a filter policy document.
func parsePolicy(doc string) (map[string]any, error) {
	var p map[string]any
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, fmt.Errorf("FilterPolicy: failed to parse JSON")
	}
	return p, checkPolicy(p, 0)
}

func checkPolicy(p map[string]any, depth int) error {
	if depth > 5 {
		return fmt.Errorf("FilterPolicy: Filter policy too deep")
	}
	for k, v := range p {
		switch v := v.(type) {
		case []any:
			if k == "$or" {
				for _, alt := range v {
					m, ok := alt.(map[string]any)
					if !ok {
						return fmt.Errorf("FilterPolicy: $or must contain objects")
					}
					if err := checkPolicy(m, depth+1); err != nil {
						return err
					}
				}
				continue
			}
			if len(v) == 0 {
				return fmt.Errorf("FilterPolicy: Empty arrays are not allowed")
			}
			for _, c := range v {
				if m, ok := c.(map[string]any); ok {
					if err := checkOperator(m); err != nil {
						return err
					}
				}
			}
		case map[string]any:
			if err := checkPolicy(v, depth+1); err != nil {
				return err
			}
		default:
			return fmt.Errorf("FilterPolicy: \"%s\" must be an object or an array", k)
		}
	}
	return nil
}

func checkOperator(m map[string]any) error {
	if len(m) != 1 {
		return fmt.Errorf("FilterPolicy: Only one key allowed in match expression")
	}
	for op, v := range m {
		switch op {
		case "prefix", "suffix", "equals-ignore-case":
			if _, ok := v.(string); !ok {
				return fmt.Errorf("FilterPolicy: %s match pattern must be a string", op)
			}
		case "anything-but", "exists":
		case "numeric":
			l, ok := v.([]any)
			if !ok || len(l) == 0 || len(l)%2 != 0 {
				return fmt.Errorf("FilterPolicy: Value of numeric must be an array.")
			}
			for i := 0; i < len(l); i += 2 {
				if _, ok := l[i].(string); !ok {
					return fmt.Errorf("FilterPolicy: Unrecognized numeric range operator")
				}
				if _, ok := l[i+1].(float64); !ok {
					return fmt.Errorf("FilterPolicy: Value of %v must be numeric", l[i])
				}
			}
		case "cidr":
			s, _ := v.(string)
			if _, err := netip.ParsePrefix(s); err != nil {
				return fmt.Errorf("FilterPolicy: Malformed CIDR, one '/' required")
			}
		default:
			return fmt.Errorf("FilterPolicy: Unrecognized match type %s", op)
		}
	}
	return nil
}

// matchAttributes applies a policy to message attributes (name -> value as
// SNS sees it: strings, numbers, or the elements of a String.Array).
func matchAttributes(p map[string]any, attrs map[string]msgAttr) bool {
	for k, cond := range p {
		if k == "$or" {
			if !anyAlt(cond, func(alt map[string]any) bool { return matchAttributes(alt, attrs) }) {
				return false
			}
			continue
		}
		conds, _ := cond.([]any)
		a, present := attrs[k]
		var vals []any
		if present {
			vals = a.values()
		}
		if !matchConds(conds, present, vals) {
			return false
		}
	}
	return true
}

// matchBody applies a policy to a JSON message body.
func matchBody(p map[string]any, body any) bool {
	obj, _ := body.(map[string]any)
	for k, cond := range p {
		if k == "$or" {
			if !anyAlt(cond, func(alt map[string]any) bool { return matchBody(alt, body) }) {
				return false
			}
			continue
		}
		v, present := obj[k]
		switch c := cond.(type) {
		case map[string]any:
			if !present || !matchBody(c, v) {
				return false
			}
		case []any:
			vals := []any{v}
			if l, ok := v.([]any); ok {
				vals = l
			}
			if !matchConds(c, present, vals) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func anyAlt(v any, fn func(map[string]any) bool) bool {
	alts, _ := v.([]any)
	for _, a := range alts {
		if m, ok := a.(map[string]any); ok && fn(m) {
			return true
		}
	}
	return false
}

func matchConds(conds []any, present bool, vals []any) bool {
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok {
			if e, ok := m["exists"]; ok {
				if b, _ := e.(bool); b == present {
					return true
				}
				continue
			}
		}
		if !present {
			continue
		}
		for _, v := range vals {
			if matchOne(c, v) {
				return true
			}
		}
	}
	return false
}

func matchOne(c, v any) bool {
	switch c := c.(type) {
	case string:
		s, ok := v.(string)
		return ok && s == c
	case float64:
		f, ok := num(v)
		return ok && f == c
	case bool:
		b, ok := v.(bool)
		return ok && b == c
	case nil:
		return v == nil
	case map[string]any:
		for op, arg := range c {
			return matchOperator(op, arg, v)
		}
	}
	return false
}

func num(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil && !math.IsNaN(f)
	}
	return 0, false
}

func matchOperator(op string, arg, v any) bool {
	s, isStr := v.(string)
	switch op {
	case "prefix":
		p, _ := arg.(string)
		return isStr && strings.HasPrefix(s, p)
	case "suffix":
		p, _ := arg.(string)
		return isStr && strings.HasSuffix(s, p)
	case "equals-ignore-case":
		p, _ := arg.(string)
		return isStr && strings.EqualFold(s, p)
	case "anything-but":
		switch a := arg.(type) {
		case []any:
			for _, x := range a {
				if matchOne(x, v) {
					return false
				}
			}
			return true
		case map[string]any:
			for op2, arg2 := range a {
				return !matchOperator(op2, arg2, v)
			}
			return true
		default:
			return !matchOne(a, v)
		}
	case "numeric":
		f, ok := num(v)
		if !ok {
			return false
		}
		l, _ := arg.([]any)
		for i := 0; i+1 < len(l); i += 2 {
			o, _ := l[i].(string)
			x, _ := l[i+1].(float64)
			var good bool
			switch o {
			case "=":
				good = f == x
			case "<":
				good = f < x
			case "<=":
				good = f <= x
			case ">":
				good = f > x
			case ">=":
				good = f >= x
			}
			if !good {
				return false
			}
		}
		return true
	case "cidr":
		p, err := netip.ParsePrefix(str(arg))
		if err != nil || !isStr {
			return false
		}
		ip, err := netip.ParseAddr(s)
		return err == nil && p.Contains(ip)
	}
	return false
}
