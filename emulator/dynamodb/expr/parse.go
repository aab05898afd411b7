package expr

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// PathElem is one step of a document path: an attribute/map key or a list
// index.
type PathElem struct {
	Name    string
	Index   int
	IsIndex bool
}

// Path is a document path such as a.b[2].c with placeholders resolved.
type Path []PathElem

// String renders the path as DynamoDB does in messages: [a, b, [2]].
func (p Path) String() string {
	parts := make([]string, len(p))
	for i, e := range p {
		if e.IsIndex {
			parts[i] = "[" + strconv.Itoa(e.Index) + "]"
		} else {
			parts[i] = e.Name
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Operand is a path, a value placeholder, or a function/arithmetic result.
type Operand interface{ operand() }

// ValueRef is a resolved :placeholder.
type ValueRef struct {
	Name  string
	Value any
}

// Call is a function used as an operand: size, if_not_exists, list_append.
type Call struct {
	Name string
	Args []Operand
}

// Arith is SET's + and -.
type Arith struct {
	Op   byte
	L, R Operand
}

func (Path) operand()      {}
func (*ValueRef) operand() {}
func (*Call) operand()     {}
func (*Arith) operand()    {}

// Cond is a condition (ConditionExpression, FilterExpression,
// KeyConditionExpression).
type Cond interface{ cond() }

// Comparison is a comparison: = <> < <= > >=.
type Comparison struct {
	Op   string
	L, R Operand
}

// Between is v BETWEEN lo AND hi.
type Between struct{ V, Lo, Hi Operand }

// In is v IN (a, b, ...).
type In struct {
	V    Operand
	List []Operand
}

// Logic is AND / OR.
type Logic struct {
	Op   string
	L, R Cond
}

// Not is NOT c.
type Not struct{ C Cond }

// FuncCond is a boolean function: attribute_exists, attribute_not_exists,
// attribute_type, begins_with, contains.
type FuncCond struct {
	Name string
	Args []Operand
}

type paren struct{ C Cond } // only during parsing, to spot ((x))

func (*Comparison) cond() {}
func (*Between) cond()    {}
func (*In) cond()         {}
func (*Logic) cond()      {}
func (*Not) cond()        {}
func (*FuncCond) cond()   {}
func (*paren) cond()      {}

// Env holds a request's ExpressionAttributeNames and ExpressionAttributeValues
// and records which of them the request's expressions used.
type Env struct {
	Names  map[string]string
	Values map[string]any
	usedN  map[string]bool
	usedV  map[string]bool
}

// NewEnv validates the placeholder maps as DynamoDB does. names and values are
// the decoded request members (nil when absent); present-but-empty maps are
// errors.
func NewEnv(names, values any) (*Env, error) {
	env := &Env{Names: map[string]string{}, Values: map[string]any{}, usedN: map[string]bool{}, usedV: map[string]bool{}}
	if names != nil {
		m, _ := names.(map[string]any)
		if len(m) == 0 {
			return nil, errorf("ExpressionAttributeNames must not be empty")
		}
		for _, k := range sortedKeys(m) {
			if len(k) < 2 || k[0] != '#' || !validPlaceholder(k[1:]) {
				return nil, errorf("ExpressionAttributeNames contains invalid key: Syntax error; key: %q", k)
			}
			s, _ := m[k].(string)
			if s == "" {
				return nil, errorf("ExpressionAttributeNames contains invalid value: Empty attribute name for key %s", k)
			}
			env.Names[k] = s
		}
	}
	if values != nil {
		m, _ := values.(map[string]any)
		if len(m) == 0 {
			return nil, errorf("ExpressionAttributeValues must not be empty")
		}
		for _, k := range sortedKeys(m) {
			if len(k) < 2 || k[0] != ':' || !validPlaceholder(k[1:]) {
				return nil, errorf("ExpressionAttributeValues contains invalid key: Syntax error; key: %q", k)
			}
			if err := Validate(m[k]); err != nil {
				// The nesting limit is checked up front and reported bare,
				// as for items.
				if errors.Is(err, errTooDeep) {
					return nil, err
				}
				return nil, errorf("ExpressionAttributeValues contains invalid value: %s for key %s", err.Error(), k)
			}
			env.Values[k] = m[k]
		}
	}
	return env, nil
}

func validPlaceholder(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return true
}

// CheckUnused reports placeholders no expression used, with DynamoDB's
// message.
func (env *Env) CheckUnused() error {
	var un []string
	for k := range env.Names {
		if !env.usedN[k] {
			un = append(un, k)
		}
	}
	if len(un) > 0 {
		sort.Strings(un)
		return errorf("Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}", strings.Join(un, ", "))
	}
	for k := range env.Values {
		if !env.usedV[k] {
			un = append(un, k)
		}
	}
	if len(un) > 0 {
		sort.Strings(un)
		return errorf("Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}", strings.Join(un, ", "))
	}
	return nil
}

type parser struct {
	src  string
	kind string // "ConditionExpression", "UpdateExpression", ...
	toks []token
	pos  int
	env  *Env
	err  *Error
}

// bail aborts parsing by panicking with a *Error; parse functions recover it.
type bail struct{ err *Error }

func (p *parser) fail(format string, args ...any) {
	panic(bail{errorf("Invalid %s: %s", p.kind, fmt.Sprintf(format, args...))})
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}

// syntaxError reports the token at i with DynamoDB's "near" window: the
// source from the previous token to the next one.
func (p *parser) syntaxError(i int) {
	t := p.toks[i]
	from := t.start
	if i > 0 {
		from = p.toks[i-1].start
	}
	to := t.end
	if i+1 < len(p.toks) && p.toks[i+1].kind != tEOF {
		to = p.toks[i+1].end
	}
	p.fail("Syntax error; token: %q, near: %q", t.text, p.src[from:to])
}

func (p *parser) expect(text string) {
	t := p.peek()
	if t.kind != tPunct || t.text != text {
		p.syntaxError(p.pos)
	}
	p.next()
}

func (p *parser) isKeyword(word string) bool {
	t := p.peek()
	return t.kind == tIdent && strings.EqualFold(t.text, word)
}

func run[T any](p *parser, fn func() T) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			err = b.err
		}
	}()
	if strings.TrimSpace(p.src) == "" {
		p.fail("The expression can not be empty;")
	}
	return fn(), nil
}

func newParser(kind, src string, env *Env) *parser {
	if env == nil {
		env, _ = NewEnv(nil, nil)
	}
	return &parser{src: src, kind: kind, toks: lex(src), env: env}
}

// ParseCondition parses a ConditionExpression / FilterExpression /
// KeyConditionExpression (kind names it in messages).
func ParseCondition(kind, src string, env *Env) (Cond, error) {
	p := newParser(kind, src, env)
	return run(p, func() Cond {
		c := p.parseOr()
		if p.peek().kind != tEOF {
			p.syntaxError(p.pos)
		}
		return unparen(c)
	})
}

func unparen(c Cond) Cond {
	switch x := c.(type) {
	case *paren:
		return unparen(x.C)
	case *Logic:
		return &Logic{x.Op, unparen(x.L), unparen(x.R)}
	case *Not:
		return &Not{unparen(x.C)}
	}
	return c
}

func (p *parser) parseOr() Cond {
	l := p.parseAnd()
	for p.isKeyword("OR") {
		p.next()
		l = &Logic{"OR", l, p.parseAnd()}
	}
	return l
}

func (p *parser) parseAnd() Cond {
	l := p.parseNot()
	for p.isKeyword("AND") {
		p.next()
		l = &Logic{"AND", l, p.parseNot()}
	}
	return l
}

func (p *parser) parseNot() Cond {
	if p.isKeyword("NOT") {
		p.next()
		return &Not{p.parseNot()}
	}
	return p.parsePrimary()
}

var condFuncs = map[string]int{"attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2, "begins_with": 2, "contains": 2}

func (p *parser) parsePrimary() Cond {
	t := p.peek()
	if t.kind == tPunct && t.text == "(" {
		p.next()
		c := p.parseOr()
		p.expect(")")
		if _, ok := c.(*paren); ok {
			p.fail("The expression has redundant parentheses;")
		}
		return &paren{c}
	}
	if t.kind == tIdent && p.toks[p.pos+1].text == "(" && p.toks[p.pos+1].kind == tPunct {
		if n, ok := condFuncs[t.text]; ok {
			p.next()
			args := p.parseArgs(t.text)
			if len(args) != n {
				p.fail("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", t.text, len(args))
			}
			if _, ok := args[0].(Path); !ok {
				p.fail("Operator or function requires a document path; operator or function: %s", t.text)
			}
			if t.text == "attribute_type" || t.text == "begins_with" {
				if v, ok := args[1].(*ValueRef); ok && t.text == "attribute_type" {
					typ, s, _ := Type(v.Value)
					if _, valid := typeNames[asString(s)]; typ != TS || !valid {
						p.fail("Invalid attribute type name found; type: %s, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }", asString(s))
					}
				}
			}
			return &FuncCond{t.text, args}
		}
	}
	l := p.parseOperand(false)
	t = p.peek()
	switch {
	case t.kind == tPunct && (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">="):
		p.next()
		return &Comparison{t.text, l, p.parseOperand(false)}
	case p.isKeyword("BETWEEN"):
		p.next()
		lo := p.parseOperand(false)
		if !p.isKeyword("AND") {
			p.syntaxError(p.pos)
		}
		p.next()
		hi := p.parseOperand(false)
		lv, ok1 := lo.(*ValueRef)
		hv, ok2 := hi.(*ValueRef)
		if ok1 && ok2 {
			if c, ok := Compare(lv.Value, hv.Value); ok && c > 0 {
				p.fail("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lowerBound: %s, upperBound: %s", brief(lv.Value), brief(hv.Value))
			}
		}
		return &Between{l, lo, hi}
	case p.isKeyword("IN"):
		p.next()
		p.expect("(")
		var list []Operand
		for {
			list = append(list, p.parseOperand(false))
			if p.peek().text == "," && p.peek().kind == tPunct {
				p.next()
				continue
			}
			break
		}
		p.expect(")")
		if len(list) > 100 {
			p.fail("The IN operator is provided with too many operands; number of operands: %d", len(list))
		}
		return &In{l, list}
	}
	if c, ok := l.(*Call); ok {
		p.fail("The function is not allowed to be used this way in an expression; function: %s", c.Name)
	}
	p.syntaxError(p.pos)
	return nil
}

var typeNames = map[string]bool{"S": true, "N": true, "B": true, "SS": true, "NS": true, "BS": true, "BOOL": true, "NULL": true, "L": true, "M": true}

func brief(av any) string {
	typ, v, _ := Type(av)
	switch x := v.(type) {
	case string:
		return "{" + typ + ": " + x + "}"
	}
	return "{" + typ + "}"
}

func (p *parser) parseArgs(fn string) []Operand {
	p.expect("(")
	var args []Operand
	if t := p.peek(); t.kind == tPunct && t.text == ")" {
		p.next()
		return args
	}
	for {
		args = append(args, p.parseOperand(p.kind == "UpdateExpression"))
		if t := p.peek(); t.kind == tPunct && t.text == "," {
			p.next()
			continue
		}
		break
	}
	p.expect(")")
	return args
}

// parseOperand reads a path, a :value or an operand function. update allows
// SET's functions (if_not_exists, list_append).
func (p *parser) parseOperand(update bool) Operand {
	t := p.peek()
	switch t.kind {
	case tValue:
		p.next()
		v, ok := p.env.Values[t.text]
		if !ok {
			p.fail("An expression attribute value used in expression is not defined; attribute value: %s", t.text)
		}
		p.env.usedV[t.text] = true
		return &ValueRef{t.text, v}
	case tIdent:
		if nt := p.toks[p.pos+1]; nt.kind == tPunct && nt.text == "(" {
			p.next()
			switch t.text {
			case "size":
				args := p.parseArgs(t.text)
				if len(args) != 1 {
					p.fail("Incorrect number of operands for operator or function; operator or function: size, number of operands: %d", len(args))
				}
				if _, ok := args[0].(Path); !ok {
					p.fail("Operator or function requires a document path; operator or function: size")
				}
				return &Call{t.text, args}
			case "if_not_exists", "list_append":
				if !update {
					p.fail("The function is not allowed to be used this way in an expression; function: %s", t.text)
				}
				args := p.parseArgs(t.text)
				if len(args) != 2 {
					p.fail("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", t.text, len(args))
				}
				if _, ok := args[0].(Path); !ok && t.text == "if_not_exists" {
					p.fail("Operator or function requires a document path; operator or function: if_not_exists")
				}
				return &Call{t.text, args}
			}
			if _, ok := condFuncs[t.text]; ok {
				p.fail("The function is not allowed to be used this way in an expression; function: %s", t.text)
			}
			p.fail("Invalid function name; function: %s", t.text)
		}
		return p.parsePath()
	case tName:
		return p.parsePath()
	}
	p.syntaxError(p.pos)
	return nil
}

func (p *parser) pathName() string {
	t := p.next()
	switch t.kind {
	case tIdent:
		if IsReserved(t.text) {
			p.fail("Attribute name is a reserved keyword; reserved keyword: %s", t.text)
		}
		return t.text
	case tName:
		n, ok := p.env.Names[t.text]
		if !ok {
			p.fail("An expression attribute name used in the document path is not defined; attribute name: %s", t.text)
		}
		p.env.usedN[t.text] = true
		return n
	}
	p.syntaxError(p.pos - 1)
	return ""
}

func (p *parser) parsePath() Path {
	path := Path{{Name: p.pathName()}}
	for {
		t := p.peek()
		if t.kind != tPunct {
			return path
		}
		switch t.text {
		case ".":
			p.next()
			path = append(path, PathElem{Name: p.pathName()})
		case "[":
			p.next()
			it := p.peek()
			if it.kind != tInt {
				p.syntaxError(p.pos)
			}
			p.next()
			n, err := strconv.Atoi(it.text)
			if err != nil || n > 1<<24 {
				p.fail("List index is not within the allowable range; index: [%s]", it.text)
			}
			p.expect("]")
			path = append(path, PathElem{Index: n, IsIndex: true})
		default:
			return path
		}
	}
}

// ParseProjection parses a ProjectionExpression: comma-separated paths.
func ParseProjection(src string, env *Env) ([]Path, error) {
	p := newParser("ProjectionExpression", src, env)
	return run(p, func() []Path {
		var paths []Path
		for {
			paths = append(paths, p.parsePath())
			if t := p.peek(); t.kind == tPunct && t.text == "," {
				p.next()
				continue
			}
			break
		}
		if p.peek().kind != tEOF {
			p.syntaxError(p.pos)
		}
		checkOverlap(p, paths)
		return paths
	})
}

func overlaps(a, b Path) bool {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func checkOverlap(p *parser, paths []Path) {
	for i := range paths {
		for j := 0; j < i; j++ {
			if overlaps(paths[j], paths[i]) {
				p.fail("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", paths[j], paths[i])
			}
		}
	}
}

// Update is a parsed UpdateExpression.
type Update struct {
	Set    []SetAction
	Remove []Path
	Add    []PathValue
	Delete []PathValue
}

// SetAction is SET path = value.
type SetAction struct {
	Path  Path
	Value Operand
}

// PathValue is an ADD or DELETE action.
type PathValue struct {
	Path  Path
	Value Operand
}

// ParseUpdate parses an UpdateExpression.
func ParseUpdate(src string, env *Env) (*Update, error) {
	p := newParser("UpdateExpression", src, env)
	return run(p, func() *Update {
		u := &Update{}
		seen := map[string]bool{}
		var all []Path
		for p.peek().kind != tEOF {
			t := p.peek()
			kw := strings.ToUpper(t.text)
			if t.kind != tIdent || (kw != "SET" && kw != "REMOVE" && kw != "ADD" && kw != "DELETE") {
				p.syntaxError(p.pos)
			}
			p.next()
			if seen[kw] {
				p.fail("The %q section can only be used once in an update expression;", kw)
			}
			seen[kw] = true
			for {
				path := p.parsePath()
				all = append(all, path)
				switch kw {
				case "SET":
					p.expect("=")
					v := p.parseOperand(true)
					if t := p.peek(); t.kind == tPunct && (t.text == "+" || t.text == "-") {
						p.next()
						v = &Arith{t.text[0], v, p.parseOperand(true)}
					}
					u.Set = append(u.Set, SetAction{path, v})
				case "REMOVE":
					u.Remove = append(u.Remove, path)
				case "ADD", "DELETE":
					v := p.parseOperand(false)
					if _, ok := v.(*ValueRef); !ok {
						p.syntaxError(p.pos - 1)
					}
					if kw == "ADD" {
						u.Add = append(u.Add, PathValue{path, v})
					} else {
						u.Delete = append(u.Delete, PathValue{path, v})
					}
				}
				if t := p.peek(); t.kind == tPunct && t.text == "," {
					p.next()
					continue
				}
				break
			}
		}
		checkOverlap(p, all)
		return u
	})
}

// Paths lists every path an update writes (for key-attribute checks).
func (u *Update) Paths() []Path {
	var ps []Path
	for _, s := range u.Set {
		ps = append(ps, s.Path)
	}
	ps = append(ps, u.Remove...)
	for _, a := range u.Add {
		ps = append(ps, a.Path)
	}
	for _, d := range u.Delete {
		ps = append(ps, d.Path)
	}
	return ps
}
