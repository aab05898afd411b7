package recorder

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ErrSecretInCassette is returned by Save when a known secret would be
// written to disk.
var ErrSecretInCassette = errors.New("recorder: refusing to write cassette: it contains a secret")

// Redacted is the text that replaces a removed value.
const Redacted = "REDACTED"

// credentialFields are response members that hold live credentials in STS
// (AssumeRole*, GetSessionToken, GetFederationToken; XML and JSON), SSO
// GetRoleCredentials, Cognito Identity GetCredentialsForIdentity and ECR
// GetAuthorizationToken. The models do not flag all of them sensitive.
var credentialFields = []string{
	"SecretAccessKey", "secretAccessKey", "SessionToken", "sessionToken",
	"SecretKey", "authorizationToken", "SecurityToken",
}

// keyIDFields hold access key ids; they become placeholders, not REDACTED.
var keyIDFields = []string{"AccessKeyId", "accessKeyId"}

// secretsManagerFields are redacted with RedactSecretsManager.
var secretsManagerFields = []string{"SecretString", "SecretBinary"}

var akidPattern = regexp.MustCompile(`\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{16}\b`)

// redactor holds the redaction state of one recorder: the key ids seen and
// their placeholders, and the secrets that must never be written.
type redactor struct {
	fields   []string // value fields to blank
	keyIDs   map[string]string
	secrets  map[string]bool
	accounts map[string]string // account id -> placeholder
	hooks    []func(*Interaction) error
}

func newRedactor() *redactor {
	return &redactor{fields: append([]string(nil), credentialFields...),
		keyIDs: map[string]string{}, secrets: map[string]bool{}, accounts: map[string]string{}}
}

// minFreeTextKeyID is the shortest key id that is also replaced wherever it
// appears as text. AWS access key ids are at least 16 characters; the short
// ids test suites use ("test") would otherwise rewrite ordinary words in
// bodies and metadata. Shorter ids are still replaced in every credential
// position (Authorization, X-Amz-Credential, AWSAccessKeyId, AccessKeyId).
const minFreeTextKeyID = 16

// placeholder returns a stable stand-in of the same length as id, so
// Content-Length and the layout of bodies stay true.
func (rd *redactor) placeholder(id string) string {
	if p, ok := rd.keyIDs[id]; ok {
		return p
	}
	p := "FAKECLOUDKEY" + strconv.Itoa(len(rd.keyIDs)+1)
	for len(p) < len(id) {
		p += "X"
	}
	if len(p) > len(id) {
		p = p[len(p)-len(id):]
	}
	rd.keyIDs[id] = p
	return p
}

func sameLength(s string) string {
	if len(s) <= len(Redacted) {
		return Redacted
	}
	return Redacted + strings.Repeat("X", len(s)-len(Redacted))
}

// addSecret registers a value that must never reach disk. Short values are
// ignored: they would match innocent text.
func (rd *redactor) addSecret(s string) {
	if len(s) >= 8 && !strings.HasPrefix(s, Redacted) {
		rd.secrets[s] = true
	}
}

// redact rewrites in place. It is applied to recorded interactions before
// they are kept and, for matching, to live requests.
func (rd *redactor) redact(in *Interaction) error {
	rd.redactRequest(&in.Request)
	if in.Response != nil {
		old := len(in.Response.Body)
		in.Response.Body = rd.redactBody(in.Response.Body)
		for _, h := range []string{"X-Amz-Security-Token"} {
			if in.Response.Headers.Get(h) != "" {
				in.Response.Headers.Set(h, Redacted)
			}
		}
		if len(in.Response.Body) != old && in.Response.Headers.Get("Content-Length") != "" {
			in.Response.Headers.Set("Content-Length", strconv.Itoa(len(in.Response.Body)))
		}
	}
	for _, h := range rd.hooks {
		if err := h(in); err != nil {
			return fmt.Errorf("recorder: redaction hook: %w", err)
		}
	}
	rd.findAccounts(in)
	rd.replaceKnown(in)
	return nil
}

func (rd *redactor) redactRequest(q *Request) {
	if q.Headers != nil {
		if a := q.Headers.Get("Authorization"); a != "" {
			q.Headers.Set("Authorization", rd.redactAuthorization(a))
		}
		for _, h := range []string{"X-Amz-Security-Token", "X-Amz-Federation-Token"} {
			if v := q.Headers.Get(h); v != "" {
				rd.addSecret(v)
				q.Headers.Set(h, Redacted)
			}
		}
		if v := q.Headers.Get("X-Amz-Content-Sha256"); strings.HasPrefix(v, "STREAMING-") {
			q.Body = redactChunkSignatures(q.Body)
		}
	}
	if u, err := url.Parse(q.URL); err == nil && u.RawQuery != "" {
		vals := u.Query()
		changed := false
		for _, k := range []string{"X-Amz-Signature", "Signature", "X-Amz-Security-Token"} {
			if vals.Has(k) {
				if k == "X-Amz-Security-Token" {
					rd.addSecret(vals.Get(k))
				}
				vals.Set(k, Redacted)
				changed = true
			}
		}
		if c := vals.Get("X-Amz-Credential"); c != "" {
			parts := strings.SplitN(c, "/", 2)
			parts[0] = rd.placeholder(parts[0])
			vals.Set("X-Amz-Credential", strings.Join(parts, "/"))
			changed = true
		}
		if k := vals.Get("AWSAccessKeyId"); k != "" {
			vals.Set("AWSAccessKeyId", rd.placeholder(k))
			changed = true
		}
		if changed {
			u.RawQuery = encodeQueryKeepOrder(u.RawQuery, vals)
			q.URL = u.String()
		}
	}
	// Query-protocol bodies may carry tokens too (sts:AssumeRoleWithWebIdentity).
	if ct := q.Headers.Get("Content-Type"); strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		if vals, err := url.ParseQuery(string(q.Body)); err == nil {
			for _, k := range []string{"WebIdentityToken", "SAMLAssertion", "SecretAccessKey", "SessionToken"} {
				if v := vals.Get(k); v != "" {
					rd.addSecret(v)
				}
			}
		}
	}
	q.Body = rd.redactBody(q.Body)
}

// encodeQueryKeepOrder re-encodes a query keeping the original parameter
// order (so the cassette diff stays small).
func encodeQueryKeepOrder(raw string, vals url.Values) string {
	var out []string
	seen := map[string]bool{}
	for _, kv := range strings.Split(raw, "&") {
		k := kv
		if i := strings.IndexByte(kv, '='); i >= 0 {
			k = kv[:i]
		}
		dk, err := url.QueryUnescape(k)
		if err != nil || seen[dk] {
			continue
		}
		seen[dk] = true
		for _, v := range vals[dk] {
			out = append(out, url.QueryEscape(dk)+"="+url.QueryEscape(v))
		}
		if _, ok := vals[dk]; !ok {
			out = append(out, kv)
		}
	}
	return strings.Join(out, "&")
}

var sigPattern = regexp.MustCompile(`Signature=[0-9a-fA-F]+`)

func (rd *redactor) redactAuthorization(a string) string {
	a = sigPattern.ReplaceAllString(a, "Signature="+Redacted)
	if i := strings.Index(a, "Credential="); i >= 0 {
		rest := a[i+len("Credential="):]
		if j := strings.IndexByte(rest, '/'); j > 0 {
			a = a[:i+len("Credential=")] + rd.placeholder(rest[:j]) + rest[j:]
		}
	} else if strings.HasPrefix(a, "AWS ") { // SigV2 "AWS AKID:signature"
		parts := strings.SplitN(a[4:], ":", 2)
		a = "AWS " + rd.placeholder(parts[0]) + ":" + Redacted
	}
	return a
}

var chunkSigPattern = regexp.MustCompile(`chunk-signature=[0-9a-f]{64}`)

func redactChunkSignatures(b []byte) []byte {
	return chunkSigPattern.ReplaceAll(b, []byte("chunk-signature="+strings.Repeat("0", 64)))
}

// fieldPatterns builds, per field name, a JSON and an XML pattern whose
// first group is the value.
func fieldPatterns(name string) (*regexp.Regexp, *regexp.Regexp) {
	q := regexp.QuoteMeta(name)
	j := regexp.MustCompile(`"` + q + `"\s*:\s*"((?:[^"\\]|\\.)*)"`)
	x := regexp.MustCompile(`<` + q + `>([^<]*)</` + q + `>`)
	return j, x
}

var patternCache = map[string][2]*regexp.Regexp{}

func patterns(name string) [2]*regexp.Regexp {
	if p, ok := patternCache[name]; ok {
		return p
	}
	j, x := fieldPatterns(name)
	p := [2]*regexp.Regexp{j, x}
	patternCache[name] = p
	return p
}

func init() {
	for _, n := range append(append(append([]string{}, credentialFields...), keyIDFields...), secretsManagerFields...) {
		patterns(n)
	}
}

// redactBody blanks credential fields in JSON and XML bodies by editing the
// text, so everything else stays byte-for-byte.
func (rd *redactor) redactBody(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	for _, name := range rd.fields {
		for _, re := range patterns(name) {
			b = replaceGroup(re, b, func(v string) string {
				rd.addSecret(v)
				return sameLength(v)
			})
		}
	}
	for _, name := range keyIDFields {
		for _, re := range patterns(name) {
			b = replaceGroup(re, b, func(v string) string {
				if v == "" || strings.HasPrefix(v, "FAKECLOUDKEY") {
					return v
				}
				return rd.placeholder(v)
			})
		}
	}
	return b
}

func replaceGroup(re *regexp.Regexp, b []byte, f func(string) string) []byte {
	locs := re.FindAllSubmatchIndex(b, -1)
	if len(locs) == 0 {
		return b
	}
	var out bytes.Buffer
	last := 0
	for _, l := range locs {
		if l[2] < 0 {
			continue
		}
		v := string(b[l[2]:l[3]])
		if v == "" || strings.HasPrefix(v, Redacted) {
			continue
		}
		out.Write(b[last:l[2]])
		out.WriteString(f(v))
		last = l[3]
	}
	out.Write(b[last:])
	return out.Bytes()
}

// replaceKnown replaces every occurrence of a known key id or secret anywhere
// in the interaction (URL, headers, bodies, params).
func (rd *redactor) replaceKnown(in *Interaction) {
	type pair struct{ old, new string }
	var ps []pair
	for id, p := range rd.keyIDs {
		if len(id) < minFreeTextKeyID {
			continue
		}
		ps = append(ps, pair{id, p})
	}
	for s := range rd.secrets {
		ps = append(ps, pair{s, sameLength(s)})
	}
	// Longest first, so a secret containing a key id is replaced whole.
	sort.Slice(ps, func(i, j int) bool { return len(ps[i].old) > len(ps[j].old) })
	rep := func(s string) string {
		for _, p := range ps {
			if strings.Contains(s, p.old) {
				s = strings.ReplaceAll(s, p.old, p.new)
			}
		}
		return s
	}
	repB := func(b []byte) []byte {
		for _, p := range ps {
			if bytes.Contains(b, []byte(p.old)) {
				b = bytes.ReplaceAll(b, []byte(p.old), []byte(p.new))
			}
		}
		return b
	}
	in.Request.URL = rep(in.Request.URL)
	for k, vs := range in.Request.Headers {
		for i := range vs {
			vs[i] = rep(vs[i])
		}
		in.Request.Headers[k] = vs
	}
	in.Request.Body = repB(in.Request.Body)
	if in.Response != nil {
		for k, vs := range in.Response.Headers {
			for i := range vs {
				vs[i] = rep(vs[i])
			}
			in.Response.Headers[k] = vs
		}
		in.Response.Body = repB(in.Response.Body)
	}
	in.Error = rep(in.Error)
	rd.replaceAccounts(in)
}

// leaks reports which known secrets occur in data.
func (rd *redactor) leaks(data []byte) []string {
	var found []string
	for s := range rd.secrets {
		if bytes.Contains(data, []byte(s)) {
			found = append(found, mask(s))
		}
	}
	for id := range rd.keyIDs {
		if len(id) < minFreeTextKeyID {
			continue
		}
		if bytes.Contains(data, []byte(id)) {
			found = append(found, mask(id))
		}
	}
	sort.Strings(found)
	return found
}

func mask(s string) string {
	if len(s) <= 8 {
		return "****"
	}
	return s[:4] + strings.Repeat("*", 4) + fmt.Sprintf("(%d chars)", len(s))
}
