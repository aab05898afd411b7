package emulator

import (
	"bufio"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
)

// JournalEntry is one served request, as GET /_fakecloud/journal lists it.
type JournalEntry = entry

type entry struct {
	Time      time.Time      `json:"time"`
	RequestID string         `json:"requestId"`
	Method    string         `json:"method"`
	Path      string         `json:"path"`
	Account   string         `json:"account,omitempty"`
	Region    string         `json:"region,omitempty"`
	Service   string         `json:"service,omitempty"`
	Operation string         `json:"operation,omitempty"`
	Input     map[string]any `json:"input,omitempty"`
	Status    int            `json:"status"`
	ErrorCode string         `json:"errorCode,omitempty"`
	Fault     string         `json:"fault,omitempty"`
	Duration  time.Duration  `json:"durationNs"`
}

// journal is a bounded ring of recent requests.
type journal struct {
	mu   sync.Mutex
	buf  []entry
	next int
	full bool
}

func newJournal(n int) *journal {
	if n <= 0 {
		n = 1000
	}
	return &journal{buf: make([]entry, n)}
}

func (j *journal) add(e entry) {
	j.mu.Lock()
	j.buf[j.next] = e
	j.next = (j.next + 1) % len(j.buf)
	if j.next == 0 {
		j.full = true
	}
	j.mu.Unlock()
}

func (j *journal) clear() {
	j.mu.Lock()
	clear(j.buf)
	j.next, j.full = 0, false
	j.mu.Unlock()
}

// entries returns the journal oldest first.
func (j *journal) entries() []entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.full {
		return append([]entry(nil), j.buf[:j.next]...)
	}
	return append(append([]entry(nil), j.buf[j.next:]...), j.buf[:j.next]...)
}

// Journal returns the recent requests, oldest first.
func (e *Emulator) Journal() []JournalEntry { return e.journal.entries() }

// summarize keeps the input's top-level scalar members, short strings
// truncated, sensitive members and blobs replaced, for the journal.
func summarize(cache *sync.Map, op *model.Operation, input map[string]any) map[string]any {
	if len(input) == 0 {
		return nil
	}
	redact := redactedMembers(cache, op)
	out := make(map[string]any, len(input))
	for k, v := range input {
		hide, known := redact[k]
		if !known {
			hide = isSecretName(k)
		}
		if hide {
			out[k] = "(redacted)"
			continue
		}
		switch x := v.(type) {
		case string:
			if len(x) > 128 {
				out[k] = x[:128] + "…"
				continue
			}
			out[k] = v // the same value: no new interface to allocate
		case int64, float64, bool, time.Time:
			out[k] = v
		case []byte:
			out[k] = "(" + strconv.Itoa(len(x)) + " bytes)"
		case []any:
			out[k] = "(list of " + strconv.Itoa(len(x)) + ")"
		case map[string]any:
			out[k] = "(structure)"
		default:
			out[k] = "(stream)"
		}
	}
	return out
}

// redactedMembers reports, per input member of op, whether the journal
// hides it (a sensitive shape or a secret-sounding name), cached in cache
// (*model.Operation -> map[string]bool) so summarize does not lower-case
// every member name of every request.
func redactedMembers(cache *sync.Map, op *model.Operation) map[string]bool {
	if m, ok := cache.Load(op); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	if op.Input != nil && op.Input.Shape != nil {
		for name, ref := range op.Input.Shape.Members {
			m[name] = (ref != nil && ref.Shape != nil && ref.Shape.Sensitive) || isSecretName(name)
		}
	}
	actual, _ := cache.LoadOrStore(op, m)
	return actual.(map[string]bool)
}

// secretNames are members the journal never shows whatever the model says:
// Secrets Manager's SecretString/SecretBinary, IAM/RDS passwords, STS and
// SSO credentials.
var secretNames = map[string]bool{
	"secretstring": true, "secretbinary": true, "password": true, "newpassword": true, "oldpassword": true,
	"masteruserpassword": true, "sessiontoken": true, "secretaccesskey": true, "accesstoken": true,
	"refreshtoken": true, "idtoken": true, "clientsecret": true, "privatekey": true, "credentials": true,
}

// notSecret are token-named members that are pagination or idempotency
// handles, useful in a journal and not credentials.
var notSecret = map[string]bool{
	"nexttoken": true, "continuationtoken": true, "startaftertoken": true, "paginationtoken": true,
	"clientrequesttoken": true, "clienttoken": true, "idempotencytoken": true, "startingtoken": true,
	"nextcontinuationtoken": true, "marker": true, "nextmarker": true,
}

// isSecretName is the deny list: the names above, and any member whose name
// speaks of a secret, password, private key, credential or token (other
// than pagination and idempotency tokens).
func isSecretName(k string) bool {
	l := strings.ToLower(k)
	if secretNames[l] {
		return true
	}
	if notSecret[l] {
		return false
	}
	for _, s := range []string{"secret", "password", "passphrase", "token", "credential", "privatekey"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func sortStrings(s []string) { sort.Strings(s) }

func unescapePath(p string) string {
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

// statusWriter records the status and keeps Hijack/Flush reachable.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}
