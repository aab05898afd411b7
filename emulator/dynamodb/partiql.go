package dynamodb

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/fakecloud/fakecloud/emulator/dynamodb/expr"
)

// PartiQL for DynamoDB, the subset ExecuteStatement and
// BatchExecuteStatement serve:
//
//	SELECT * | path, ... FROM "table" [WHERE cond]
//	INSERT INTO "table" VALUE {'attr': value, ...}
//	UPDATE "table" SET path = value [, ...] [REMOVE path, ...] WHERE cond
//	DELETE FROM "table" WHERE cond
//
// Values are 'strings', numbers, TRUE/FALSE, NULL, {maps}, [lists],
// <<sets>> and ? parameters. Conditions are comparisons (= <> != < <= > >=),
// BETWEEN, IN [...], IS [NOT] MISSING, begins_with and contains, combined
// with AND, OR, NOT and parentheses. They compile to the expr package's
// condition and update trees, so evaluation is shared with the expression
// API.

type pqlStmt struct {
	Kind   string // SELECT, INSERT, UPDATE, DELETE
	Table  string
	Index  string
	Proj   []expr.Path // nil: *
	Where  expr.Cond
	Item   expr.Item // INSERT
	Update *expr.Update
}

type pqlTok struct {
	kind byte // 'i' ident, 'q' quoted ident, 's' string, 'n' number, 'p' punct, '?' param, 0 EOF
	text string
	pos  int
}

func pqlError(format string, args ...any) error {
	return validationf("Statement wasn't well formed, can't be processed: %s", fmt.Sprintf(format, args...))
}

func pqlLex(src string) ([]pqlTok, error) {
	var toks []pqlTok
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(src) {
					return nil, pqlError("unterminated %c quote at position %d", c, i)
				}
				if src[j] == c {
					if j+1 < len(src) && src[j+1] == c {
						b.WriteByte(c)
						j += 2
						continue
					}
					break
				}
				b.WriteByte(src[j])
				j++
			}
			kind := byte('s')
			if c == '"' {
				kind = 'q'
			}
			toks = append(toks, pqlTok{kind, b.String(), i})
			i = j + 1
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			toks = append(toks, pqlTok{'i', src[i:j], i})
			i = j
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == 'e' || src[j] == 'E' ||
				(src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E')) {
				j++
			}
			toks = append(toks, pqlTok{'n', src[i:j], i})
			i = j
		case c == '?':
			toks = append(toks, pqlTok{'?', "?", i})
			i++
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "<=", ">=", "<>", "!=", "<<", ">>":
				toks = append(toks, pqlTok{'p', two, i})
				i += 2
				continue
			}
			if !strings.ContainsRune("=<>()[]{},.:*+-", rune(c)) {
				return nil, pqlError("unexpected character '%c' at position %d", c, i)
			}
			toks = append(toks, pqlTok{'p', string(c), i})
			i++
		}
	}
	return append(toks, pqlTok{pos: len(src)}), nil
}

type pqlParser struct {
	toks   []pqlTok
	i      int
	params []any
	used   int
	depth  int
}

func (p *pqlParser) peek() pqlTok { return p.toks[p.i] }
func (p *pqlParser) next() pqlTok {
	t := p.toks[p.i]
	if t.kind != 0 {
		p.i++
	}
	return t
}

// back undoes next() of t (which did not move at the end).
func (p *pqlParser) back(t pqlTok) {
	if t.kind != 0 {
		p.i--
	}
}

func (p *pqlParser) isKw(kw string) bool {
	t := p.peek()
	return t.kind == 'i' && strings.EqualFold(t.text, kw)
}

func (p *pqlParser) acceptKw(kw string) bool {
	if p.isKw(kw) {
		p.i++
		return true
	}
	return false
}

func (p *pqlParser) expectKw(kw string) error {
	if !p.acceptKw(kw) {
		return p.unexpected("expected " + kw)
	}
	return nil
}

func (p *pqlParser) isPunct(s string) bool { t := p.peek(); return t.kind == 'p' && t.text == s }

func (p *pqlParser) acceptPunct(s string) bool {
	if p.isPunct(s) {
		p.i++
		return true
	}
	return false
}

func (p *pqlParser) expectPunct(s string) error {
	if !p.acceptPunct(s) {
		return p.unexpected("expected '" + s + "'")
	}
	return nil
}

func (p *pqlParser) unexpected(what string) error {
	t := p.peek()
	if t.kind == 0 {
		return pqlError("unexpected end of statement, %s", what)
	}
	return pqlError("unexpected token '%s' at position %d, %s", t.text, t.pos, what)
}

// parsePartiQL parses one statement, substituting params for ?.
func parsePartiQL(src string, params []any) (*pqlStmt, error) {
	toks, err := pqlLex(src)
	if err != nil {
		return nil, err
	}
	p := &pqlParser{toks: toks, params: params}
	s, err := p.statement()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != 0 {
		return nil, p.unexpected("expected end of statement")
	}
	if p.used != len(params) {
		return nil, validationf("Number of parameters in request and statement don't match.")
	}
	return s, nil
}

func (p *pqlParser) name() (string, error) {
	t := p.peek()
	if t.kind != 'i' && t.kind != 'q' {
		return "", p.unexpected("expected identifier")
	}
	p.i++
	return t.text, nil
}

func (p *pqlParser) tableRef(s *pqlStmt) error {
	var err error
	if s.Table, err = p.name(); err != nil {
		return err
	}
	if p.acceptPunct(".") {
		s.Index, err = p.name()
	}
	return err
}

// commaList parses one or more items separated by commas.
func (p *pqlParser) commaList(item func() error) error {
	for {
		if err := item(); err != nil {
			return err
		}
		if !p.acceptPunct(",") {
			return nil
		}
	}
}

// paths parses a comma-separated list of paths.
func (p *pqlParser) paths() ([]expr.Path, error) {
	var out []expr.Path
	err := p.commaList(func() error {
		path, err := p.path()
		if err != nil {
			return err
		}
		out = append(out, path)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// kwTableRef parses the keyword kw (FROM, INTO) and the table reference
// after it.
func (p *pqlParser) kwTableRef(kw string, s *pqlStmt) error {
	if err := p.expectKw(kw); err != nil {
		return err
	}
	return p.tableRef(s)
}

// where parses a WHERE clause, which UPDATE and DELETE require.
func (p *pqlParser) where(s *pqlStmt) error {
	if err := p.expectKw("WHERE"); err != nil {
		return err
	}
	c, err := p.cond()
	if err != nil {
		return err
	}
	s.Where = c
	return nil
}

func (p *pqlParser) statement() (*pqlStmt, error) {
	s := &pqlStmt{}
	switch {
	case p.acceptKw("SELECT"):
		s.Kind = "SELECT"
		if !p.acceptPunct("*") {
			proj, err := p.paths()
			if err != nil {
				return nil, err
			}
			s.Proj = proj
		}
		if err := p.kwTableRef("FROM", s); err != nil {
			return nil, err
		}
		if p.isKw("WHERE") {
			if err := p.where(s); err != nil {
				return nil, err
			}
		}
	case p.acceptKw("INSERT"):
		s.Kind = "INSERT"
		if err := p.kwTableRef("INTO", s); err != nil {
			return nil, err
		}
		if err := p.expectKw("VALUE"); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		m, ok := v.(map[string]any)["M"].(map[string]any)
		if !ok {
			return nil, validationf("Unsupported operation: Insert only supports a tuple (map) as its value")
		}
		s.Item = m
	case p.acceptKw("UPDATE"):
		s.Kind = "UPDATE"
		if err := p.tableRef(s); err != nil {
			return nil, err
		}
		if err := p.updateActions(s); err != nil {
			return nil, err
		}
		if err := p.where(s); err != nil {
			return nil, err
		}
	case p.acceptKw("DELETE"):
		s.Kind = "DELETE"
		if err := p.kwTableRef("FROM", s); err != nil {
			return nil, err
		}
		if err := p.where(s); err != nil {
			return nil, err
		}
	default:
		return nil, p.unexpected("expected SELECT, INSERT, UPDATE or DELETE")
	}
	return s, nil
}

// updateActions parses UPDATE's SET and REMOVE clauses, in any order and
// number, at least one.
func (p *pqlParser) updateActions(s *pqlStmt) error {
	s.Update = &expr.Update{}
	for {
		switch {
		case p.acceptKw("SET"):
			err := p.commaList(func() error {
				path, err := p.path()
				if err != nil {
					return err
				}
				if err := p.expectPunct("="); err != nil {
					return err
				}
				op, err := p.setValue()
				if err != nil {
					return err
				}
				s.Update.Set = append(s.Update.Set, expr.SetAction{Path: path, Value: op})
				return nil
			})
			if err != nil {
				return err
			}
			continue
		case p.acceptKw("REMOVE"):
			paths, err := p.paths()
			if err != nil {
				return err
			}
			s.Update.Remove = append(s.Update.Remove, paths...)
			continue
		}
		break
	}
	if len(s.Update.Set)+len(s.Update.Remove) == 0 {
		return p.unexpected("expected SET or REMOVE")
	}
	return nil
}

func (p *pqlParser) path() (expr.Path, error) {
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	path := expr.Path{{Name: n}}
	for {
		switch {
		case p.acceptPunct("."):
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			path = append(path, expr.PathElem{Name: n})
		case p.acceptPunct("["):
			t := p.next()
			idx, err := strconv.Atoi(t.text)
			if t.kind != 'n' || err != nil || idx < 0 {
				return nil, pqlError("invalid list index '%s'", t.text)
			}
			if err := p.expectPunct("]"); err != nil {
				return nil, err
			}
			path = append(path, expr.PathElem{Index: idx, IsIndex: true})
		default:
			return path, nil
		}
	}
}

// setValue is a value, a path, or one of them plus or minus another.
func (p *pqlParser) setValue() (expr.Operand, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	for p.isPunct("+") || p.isPunct("-") {
		op := p.next().text[0]
		r, err := p.operand()
		if err != nil {
			return nil, err
		}
		l = &expr.Arith{Op: op, L: l, R: r}
	}
	return l, nil
}

func (p *pqlParser) operand() (expr.Operand, error) {
	t := p.peek()
	if (t.kind == 'i' || t.kind == 'q') && !isPQLLiteral(t) {
		return p.path()
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	return &expr.ValueRef{Name: "?", Value: v}, nil
}

func isPQLLiteral(t pqlTok) bool {
	if t.kind != 'i' {
		return false
	}
	switch strings.ToUpper(t.text) {
	case "TRUE", "FALSE", "NULL":
		return true
	}
	return false
}

const maxPQLDepth = 32

// value parses a literal or ? as an AttributeValue.
func (p *pqlParser) value() (any, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxPQLDepth {
		return nil, pqlError("value nested too deeply")
	}
	t := p.next()
	switch t.kind {
	case '?':
		if p.used >= len(p.params) {
			return nil, validationf("Number of parameters in request and statement don't match.")
		}
		v := p.params[p.used]
		p.used++
		if err := expr.Validate(v); err != nil {
			return nil, apiError(err)
		}
		return v, nil
	case 's':
		return map[string]any{"S": t.text}, nil
	case 'n':
		if _, err := expr.ParseNumber(t.text); err != nil {
			return nil, pqlError("invalid number '%s'", t.text)
		}
		return map[string]any{"N": t.text}, nil
	case 'i':
		switch strings.ToUpper(t.text) {
		case "TRUE":
			return map[string]any{"BOOL": true}, nil
		case "FALSE":
			return map[string]any{"BOOL": false}, nil
		case "NULL":
			return map[string]any{"NULL": true}, nil
		}
	case 'p':
		switch t.text {
		case "{":
			m := map[string]any{}
			if p.acceptPunct("}") {
				return map[string]any{"M": m}, nil
			}
			for {
				k := p.next()
				if k.kind != 's' && k.kind != 'q' && k.kind != 'i' {
					p.back(k)
					return nil, p.unexpected("expected a map key")
				}
				if err := p.expectPunct(":"); err != nil {
					return nil, err
				}
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				m[k.text] = v
				if !p.acceptPunct(",") {
					break
				}
			}
			if err := p.expectPunct("}"); err != nil {
				return nil, err
			}
			return map[string]any{"M": m}, nil
		case "[":
			l, err := p.values("]")
			if err != nil {
				return nil, err
			}
			return map[string]any{"L": l}, nil
		case "<<":
			l, err := p.values(">>")
			if err != nil {
				return nil, err
			}
			return pqlSet(l)
		}
	}
	p.back(t)
	return nil, p.unexpected("expected a value")
}

func (p *pqlParser) values(end string) ([]any, error) {
	l := []any{}
	if p.acceptPunct(end) {
		return l, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		l = append(l, v)
		if !p.acceptPunct(",") {
			break
		}
	}
	return l, p.expectPunct(end)
}

func pqlSet(l []any) (any, error) {
	if len(l) == 0 {
		return nil, validationf("One or more parameter values were invalid: An string set  may not be empty")
	}
	typ := ""
	out := make([]any, 0, len(l))
	for _, e := range l {
		t, v, _ := expr.Type(e)
		if t != expr.TS && t != expr.TN && t != expr.TB || typ != "" && t != typ {
			return nil, validationf("Unsupported operation: A set must contain elements of one scalar type (string, number or binary)")
		}
		typ = t
		out = append(out, v)
	}
	set := map[string]any{typ + "S": out}
	if err := expr.Validate(set); err != nil {
		return nil, apiError(err)
	}
	return set, nil
}

// cond parses OR of ANDs of NOT / comparisons.
func (p *pqlParser) cond() (expr.Cond, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxPQLDepth {
		return nil, pqlError("condition nested too deeply")
	}
	return p.logicChain("OR", p.andCond)
}

func (p *pqlParser) andCond() (expr.Cond, error) { return p.logicChain("AND", p.unary) }

// logicChain parses operand (op operand)*, folded to the left.
func (p *pqlParser) logicChain(op string, operand func() (expr.Cond, error)) (expr.Cond, error) {
	l, err := operand()
	if err != nil {
		return nil, err
	}
	for p.acceptKw(op) {
		r, err := operand()
		if err != nil {
			return nil, err
		}
		l = &expr.Logic{Op: op, L: l, R: r}
	}
	return l, nil
}

func (p *pqlParser) unary() (expr.Cond, error) {
	if p.acceptKw("NOT") {
		c, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &expr.Not{C: c}, nil
	}
	if p.acceptPunct("(") {
		c, err := p.cond()
		if err != nil {
			return nil, err
		}
		return c, p.expectPunct(")")
	}
	for _, fn := range []string{"begins_with", "contains"} {
		if p.isKw(fn) && p.toks[p.i+1].kind == 'p' && p.toks[p.i+1].text == "(" {
			p.i += 2
			a, err := p.operand()
			if err != nil {
				return nil, err
			}
			if err := p.expectPunct(","); err != nil {
				return nil, err
			}
			b, err := p.operand()
			if err != nil {
				return nil, err
			}
			return &expr.FuncCond{Name: fn, Args: []expr.Operand{a, b}}, p.expectPunct(")")
		}
	}
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	switch {
	case p.acceptKw("IS"):
		not := p.acceptKw("NOT")
		if err := p.expectKw("MISSING"); err != nil {
			return nil, err
		}
		path, ok := l.(expr.Path)
		if !ok {
			return nil, pqlError("IS MISSING needs an attribute path")
		}
		fn := "attribute_not_exists"
		if not {
			fn = "attribute_exists"
		}
		return &expr.FuncCond{Name: fn, Args: []expr.Operand{path}}, nil
	case p.acceptKw("BETWEEN"):
		lo, err := p.operand()
		if err != nil {
			return nil, err
		}
		if err := p.expectKw("AND"); err != nil {
			return nil, err
		}
		hi, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &expr.Between{V: l, Lo: lo, Hi: hi}, nil
	case p.acceptKw("IN"):
		end := "]"
		if !p.acceptPunct("[") {
			if err := p.expectPunct("("); err != nil {
				return nil, err
			}
			end = ")"
		}
		in := &expr.In{V: l}
		for {
			o, err := p.operand()
			if err != nil {
				return nil, err
			}
			in.List = append(in.List, o)
			if !p.acceptPunct(",") {
				break
			}
		}
		return in, p.expectPunct(end)
	}
	t := p.peek()
	if t.kind != 'p' {
		return nil, p.unexpected("expected a comparison")
	}
	op := t.text
	switch op {
	case "!=":
		op = "<>"
	case "=", "<>", "<", "<=", ">", ">=":
	default:
		return nil, p.unexpected("expected a comparison")
	}
	p.i++
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	return &expr.Comparison{Op: op, L: l, R: r}, nil
}

// keyEqualities collects attr = value conjuncts at the top level of c.
func keyEqualities(c expr.Cond, out map[string]any) {
	switch c := c.(type) {
	case *expr.Logic:
		if c.Op == "AND" {
			keyEqualities(c.L, out)
			keyEqualities(c.R, out)
		}
	case *expr.Comparison:
		if c.Op != "=" {
			return
		}
		l, r := c.L, c.R
		if _, ok := l.(*expr.ValueRef); ok {
			l, r = r, l
		}
		path, ok := l.(expr.Path)
		v, ok2 := r.(*expr.ValueRef)
		if ok && ok2 && len(path) == 1 && !path[0].IsIndex {
			if _, dup := out[path[0].Name]; !dup {
				out[path[0].Name] = v.Value
			}
		}
	}
}
