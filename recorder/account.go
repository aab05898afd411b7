package recorder

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
)

// Account ids are not secret, but they identify who recorded a cassette, so
// they never reach disk either. Each 12-digit id seen in an ARN, in the
// first path segment of a URL (SQS queue URLs), as the first label of a host
// (ECR registries, S3 Control) or in an account-id member is replaced,
// everywhere in the interaction, by a placeholder of the same length:
// 000000000001, 000000000002, ... in order of first appearance. Requests being
// replayed go through the same mapping, so a test that puts its real account
// id into an ARN still matches what was recorded. Ids whose first eight digits
// are zero (the placeholders, the emulator's default account 000000000000)
// are kept as they are.

var accountPatterns = []*regexp.Regexp{
	// ARNs, plain and percent-encoded (form bodies, query strings).
	regexp.MustCompile(`arn:aws[a-z-]*:[a-zA-Z0-9-]*:[a-z0-9-]*:(\d{12}):`),
	regexp.MustCompile(`(?i)arn%3Aaws[a-z-]*%3A[a-z0-9-]*%3A[a-z0-9-]*%3A(\d{12})%3A`),
	// URL whose first path segment is the account (SQS queue URLs), plain,
	// percent-encoded and JSON-escaped.
	regexp.MustCompile(`https?://[A-Za-z0-9.-]+(?::\d+)?/(\d{12})(?:[/?"<\s]|$)`),
	regexp.MustCompile(`(?i)https?%3A%2F%2F[a-z0-9.-]+(?:%3A\d+)?%2F(\d{12})(?:%2F|&|$)`),
	regexp.MustCompile(`https?:\\/\\/[A-Za-z0-9.-]+(?::\d+)?\\/(\d{12})\\/`),
	// Host whose first label is the account.
	regexp.MustCompile(`(?:^|[/"'>\s])(\d{12})\.[a-z0-9-]+\.[a-z0-9.-]*amazonaws\.com`),
	// Account-id members in JSON and XML.
	regexp.MustCompile(`"(?i:account|accountId|awsAccountId|ownerId|registryId|sourceAccount)"\s*:\s*"(\d{12})"`),
	regexp.MustCompile(`<(?i:Account|AccountId|AwsAccountId|OwnerId|SourceAccount)>(\d{12})</`),
}

// isPlaceholderAccount reports whether an id is kept as it is.
func isPlaceholderAccount(id string) bool { return id[:8] == "00000000" }

// findAccounts learns the account ids in an interaction, request first, in
// a fixed order (URL, headers by name, body, then the response).
func (rd *redactor) findAccounts(in *Interaction) {
	rd.scanAccounts([]byte(in.Request.URL))
	rd.scanHeaderAccounts(in.Request.Headers)
	rd.scanAccounts(in.Request.Body)
	if in.Response != nil {
		rd.scanHeaderAccounts(in.Response.Headers)
		rd.scanAccounts(in.Response.Body)
	}
}

func (rd *redactor) scanHeaderAccounts(h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			rd.scanAccounts([]byte(v))
		}
	}
}

func (rd *redactor) scanAccounts(b []byte) {
	if !hasAccountCandidate(b) {
		return
	}
	type hit struct {
		at int
		id string
	}
	var hits []hit
	for _, re := range accountPatterns {
		for _, m := range re.FindAllSubmatchIndex(b, -1) {
			hits = append(hits, hit{m[2], string(b[m[2]:m[3]])})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	for _, h := range hits {
		rd.accountPlaceholder(h.id)
	}
}

// hasAccountCandidate reports whether b holds a run of exactly twelve
// digits that is not a placeholder: every pattern in accountPatterns needs
// one (bounded by non-digits), so the regexps run only when this holds.
func hasAccountCandidate(b []byte) bool {
	for i := 0; i+12 <= len(b); {
		if !isDigit(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if j-i == 12 && !isPlaceholderAccount(string(b[i:j])) {
			return true
		}
		i = j
	}
	return false
}

func (rd *redactor) accountPlaceholder(id string) string {
	if isPlaceholderAccount(id) {
		return id
	}
	if p, ok := rd.accounts[id]; ok {
		return p
	}
	p := fmt.Sprintf("%012d", len(rd.accounts)+1)
	rd.accounts[id] = p
	return p
}

// replaceAccounts replaces every known account id that stands alone (not
// inside a longer run of digits) throughout the interaction.
func (rd *redactor) replaceAccounts(in *Interaction) {
	if len(rd.accounts) == 0 {
		return
	}
	in.Request.URL = string(rd.replaceAccountsIn([]byte(in.Request.URL)))
	replaceHeaderAccounts := func(h http.Header) {
		for k, vs := range h {
			for i := range vs {
				vs[i] = string(rd.replaceAccountsIn([]byte(vs[i])))
			}
			h[k] = vs
		}
	}
	replaceHeaderAccounts(in.Request.Headers)
	in.Request.Body = rd.replaceAccountsIn(in.Request.Body)
	if in.Response != nil {
		replaceHeaderAccounts(in.Response.Headers)
		in.Response.Body = rd.replaceAccountsIn(in.Response.Body)
	}
	in.Error = string(rd.replaceAccountsIn([]byte(in.Error)))
}

func (rd *redactor) replaceAccountsIn(b []byte) []byte {
	if len(b) < 12 {
		return b
	}
	var out []byte
	last := 0
	for i := 0; i+12 <= len(b); {
		if !isDigit(b[i]) || (i > 0 && isDigit(b[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if j-i == 12 {
			if p, ok := rd.accounts[string(b[i:j])]; ok {
				if out == nil {
					out = make([]byte, 0, len(b))
				}
				out = append(out, b[last:i]...)
				out = append(out, p...)
				last = j
			}
		}
		i = j
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
