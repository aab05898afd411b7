package expr

import (
	"strings"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tName  // #name
	tValue // :value
	tInt   // list index
	tPunct // = <> < <= > >= ( ) [ ] , . + -
	tBad
)

type token struct {
	kind       tokKind
	text       string
	start, end int // byte offsets in the source
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// lex splits an expression into tokens. An unknown character becomes a tBad
// token so the parser reports it as DynamoDB does (a syntax error naming it).
func lex(src string) []token {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], i, j})
			i = j
		case c == '#' || c == ':':
			j := i + 1
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			k := tName
			if c == ':' {
				k = tValue
			}
			if j == i+1 {
				k = tBad
			}
			toks = append(toks, token{k, src[i:j], i, j})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			toks = append(toks, token{tInt, src[i:j], i, j})
			i = j
		case c == '<' || c == '>':
			j := i + 1
			if j < len(src) && (src[j] == '=' || c == '<' && src[j] == '>') {
				j++
			}
			toks = append(toks, token{tPunct, src[i:j], i, j})
			i = j
		case strings.IndexByte("=()[],.+-", c) >= 0:
			toks = append(toks, token{tPunct, src[i : i+1], i, i + 1})
			i++
		default:
			j := i + 1
			for j < len(src) && src[j] >= 0x80 && src[j] < 0xc0 { // keep a UTF-8 rune whole
				j++
			}
			toks = append(toks, token{tBad, src[i:j], i, j})
			i = j
		}
	}
	return append(toks, token{tEOF, "<EOF>", len(src), len(src)})
}
