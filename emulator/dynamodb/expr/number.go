package expr

import (
	"math/big"
	"strings"
)

// Number is an exact decimal: Coef × 10^Exp with no trailing zeros in Coef
// (zero is Coef 0, Exp 0). DynamoDB numbers carry up to 38 significant
// digits and a magnitude between 1E-130 and 9.9999…E+125; float64 cannot
// hold them, so arithmetic and comparison are done on big integers.
type Number struct {
	Coef big.Int
	Exp  int
}

// Limits of DynamoDB numbers.
const (
	MaxDigits = 38
	minExp    = -130 // smallest magnitude 1E-130
	maxExp    = 125  // largest magnitude < 1E+126
)

// ParseNumber parses a DynamoDB number string ("12", "-1.5e3", ".5"). The
// error message is DynamoDB's.
func ParseNumber(s string) (*Number, error) {
	n, ok := parseDecimal(strings.TrimSpace(s))
	if !ok {
		return nil, errorf("A value provided cannot be converted into a number")
	}
	if err := n.check(); err != nil {
		return nil, err
	}
	return n, nil
}

func parseDecimal(s string) (*Number, bool) {
	if s == "" {
		return nil, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	mant, exps, hasExp := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exps, hasExp = s[:i], s[i+1:], true
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" {
		return nil, false
	}
	digits := intPart + frac
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return nil, false
		}
	}
	if strings.Count(mant, ".") > 1 {
		return nil, false
	}
	exp := 0
	if hasExp {
		if exps == "" {
			return nil, false
		}
		eneg := false
		switch exps[0] {
		case '-':
			eneg = true
			exps = exps[1:]
		case '+':
			exps = exps[1:]
		}
		if exps == "" || len(exps) > 6 {
			return nil, false
		}
		for i := 0; i < len(exps); i++ {
			if exps[i] < '0' || exps[i] > '9' {
				return nil, false
			}
			exp = exp*10 + int(exps[i]-'0')
		}
		if eneg {
			exp = -exp
		}
	}
	exp -= len(frac)
	digits = strings.TrimLeft(digits, "0")
	n := &Number{}
	if digits == "" {
		return n, true
	}
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	n.Coef.SetString(trimmed, 10)
	if neg {
		n.Coef.Neg(&n.Coef)
	}
	n.Exp = exp
	return n, true
}

// digits is the number of significant digits.
func (n *Number) digits() int {
	if n.Coef.Sign() == 0 {
		return 0
	}
	s := n.Coef.String()
	return len(strings.TrimPrefix(s, "-"))
}

// adjusted is the exponent of the leading digit (1.5E3 -> 3).
func (n *Number) adjusted() int { return n.Exp + n.digits() - 1 }

func (n *Number) check() error {
	if n.Coef.Sign() == 0 {
		return nil
	}
	if n.digits() > MaxDigits {
		return errorf("Attempting to store more than 38 significant digits in a Number")
	}
	if a := n.adjusted(); a > maxExp {
		return errorf("Number overflow. Attempting to store a number with magnitude larger than supported range")
	} else if a < minExp {
		return errorf("Number underflow. Attempting to store a number with magnitude smaller than supported range")
	}
	return nil
}

func (n *Number) normalize() *Number {
	if n.Coef.Sign() == 0 {
		n.Exp = 0
		return n
	}
	ten := big.NewInt(10)
	var q, r big.Int
	for {
		q.QuoRem(&n.Coef, ten, &r)
		if r.Sign() != 0 {
			break
		}
		n.Coef.Set(&q)
		n.Exp++
	}
	return n
}

func pow10(k int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
}

func align(a, b *Number) (x, y *big.Int, exp int) {
	exp = min(a.Exp, b.Exp)
	x = new(big.Int).Mul(&a.Coef, pow10(a.Exp-exp))
	y = new(big.Int).Mul(&b.Coef, pow10(b.Exp-exp))
	return x, y, exp
}

// Cmp compares numerically: -1, 0 or +1.
func (n *Number) Cmp(m *Number) int {
	if n.Coef.Sign() != m.Coef.Sign() {
		return cmpInt(n.Coef.Sign(), m.Coef.Sign())
	}
	if n.Coef.Sign() == 0 {
		return 0
	}
	// Different leading-digit exponents decide without big arithmetic.
	if an, am := n.adjusted(), m.adjusted(); an != am {
		if n.Coef.Sign() > 0 {
			return cmpInt(an, am)
		}
		return cmpInt(am, an)
	}
	x, y, _ := align(n, m)
	return x.Cmp(y)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Add returns n+m, checked against DynamoDB's limits.
func (n *Number) Add(m *Number) (*Number, error) {
	x, y, exp := align(n, m)
	r := &Number{Exp: exp}
	r.Coef.Add(x, y)
	r.normalize()
	return r, r.check()
}

// Sub returns n-m, checked against DynamoDB's limits.
func (n *Number) Sub(m *Number) (*Number, error) {
	neg := &Number{Exp: m.Exp}
	neg.Coef.Neg(&m.Coef)
	return n.Add(neg)
}

// String formats the number as DynamoDB returns it: plain decimal notation,
// no exponent, no trailing fractional zeros.
func (n *Number) String() string {
	if n.Coef.Sign() == 0 {
		return "0"
	}
	s := n.Coef.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	switch {
	case n.Exp >= 0:
		s += strings.Repeat("0", n.Exp)
	case -n.Exp < len(s):
		s = s[:len(s)+n.Exp] + "." + s[len(s)+n.Exp:]
	default:
		s = "0." + strings.Repeat("0", -n.Exp-len(s)) + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// SortKey is an order-preserving byte encoding: for numbers a and b,
// a.Cmp(b) equals bytes.Compare(a.SortKey(), b.SortKey()). The encoding is
// prefix-free, so it can be followed by other key parts.
func (n *Number) SortKey() []byte {
	switch n.Coef.Sign() {
	case 0:
		return []byte{0x01}
	}
	ds := strings.TrimPrefix(n.Coef.String(), "-")
	adj := n.adjusted() + 1000 // 0..2000 after bias, fits 2 bytes
	out := make([]byte, 0, len(ds)+4)
	if n.Coef.Sign() > 0 {
		out = append(out, 0x02, byte(adj>>8), byte(adj))
		for i := 0; i < len(ds); i++ {
			out = append(out, ds[i]-'0'+1)
		}
		return append(out, 0x00)
	}
	adj = 0xffff - adj
	out = append(out, 0x00, byte(adj>>8), byte(adj))
	for i := 0; i < len(ds); i++ {
		out = append(out, 0xfe-(ds[i]-'0'))
	}
	return append(out, 0xff)
}
