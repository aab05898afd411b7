package assertions

import "regexp"

// Volatile values: what the services generate at random or from the
// clock, which two runs of the same test never share. fixtures.Dump writes
// none of the services' own generated fields (ARNs, ids, URLs, dates), and
// it writes a KMS key reference as the key's alias when the key has one;
// these patterns catch the rest, which reach the state as data the code
// under test stored (a secret's ARN in a parameter, a message id in an
// item, a timestamp in an object).
var volatile = []struct {
	re   *regexp.Regexp
	repl string
}{
	// Secrets Manager ARNs end in - and six random characters.
	{regexp.MustCompile(`(:secretsmanager:[a-z0-9-]*:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+)-[A-Za-z0-9]{6}\b`), "$1-<random>"},
	// UUIDs: KMS key ids, SQS message ids, Secrets Manager version ids,
	// request ids, SNS subscription ids.
	{regexp.MustCompile(`\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b`), "<uuid>"},
	// Multi-Region KMS key ids.
	{regexp.MustCompile(`\bmrk-[0-9a-f]{32}\b`), "mrk-<id>"},
	// ISO 8601 / RFC 3339 date-times, with or without fraction and zone.
	{regexp.MustCompile(`\b[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?`), "<time>"},
}

// maskVolatile replaces the volatile values in one line of a dump.
func maskVolatile(line string) string {
	for _, v := range volatile {
		line = v.re.ReplaceAllString(line, v.repl)
	}
	return line
}

// ExactState is an Option for StateMatches: compare the dumps as they
// are, volatile values (random ids, secret ARN suffixes, timestamps)
// included.
func ExactState() Option { return exactOption{} }

type exactOption struct {
	cmpOptionCarrier
}

func (exactOption) applyScope(w *where) { w.exact = true }
func (exactOption) String() string      { return "assertions.ExactState()" }
