package bench

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Canned is one response the floor server replays: the target's own answer
// to a request of the same kind, so the floor moves the same bytes.
type Canned struct {
	Status int
	Header http.Header
	Body   []byte
}

// CannedSet is the floor's response table, safe for concurrent use.
type CannedSet struct {
	mu sync.RWMutex
	m  map[string]*Canned
}

func (c *CannedSet) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

func (c *CannedSet) get(k string) *Canned {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

func (c *CannedSet) put(k string, v *Canned) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*Canned{}
	}
	c.m[k] = v
}

// NewCanned builds the floor's response table from explicit entries keyed by
// RequestKey (for tests and custom floors).
func NewCanned(entries map[string]*Canned) *CannedSet {
	c := &CannedSet{}
	for k, v := range entries {
		c.put(k, v)
	}
	return c
}

// RequestKey names the kind of a request as the floor matches it: method,
// X-Amz-Target, the query Action (URL or form body), the depth of the path
// (S3 bucket vs. object) and the names of the query parameters. Values and
// the rest of the body do not matter. form is the parsed form body of a
// query-protocol request, or nil.
func RequestKey(r *http.Request, form url.Values) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte(' ')
	b.WriteString(r.Header.Get("X-Amz-Target"))
	b.WriteByte(' ')
	action := r.URL.Query().Get("Action")
	if action == "" && form != nil {
		action = form.Get("Action")
	}
	b.WriteString(action)
	depth := 0
	for _, seg := range strings.Split(r.URL.Path, "/") {
		if seg != "" {
			depth++
		}
	}
	if depth > 2 {
		depth = 2
	}
	fmt.Fprintf(&b, " %d", depth)
	var names []string
	for k := range r.URL.Query() {
		if !strings.HasPrefix(strings.ToLower(k), "x-amz-") {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	b.WriteByte(' ')
	b.WriteString(strings.Join(names, "&"))
	return b.String()
}

const maxFormBody = 1 << 20

func isForm(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
}

// recordingTransport passes requests to base and, while on, keeps a copy of
// each response under its request's key. Off, it costs one atomic load.
type recordingTransport struct {
	base http.RoundTripper
	on   atomic.Bool
	set  *CannedSet
	mu   sync.Mutex
}

func (t *recordingTransport) start() {
	t.mu.Lock()
	t.set = &CannedSet{}
	t.mu.Unlock()
	t.on.Store(true)
}

func (t *recordingTransport) stop() *CannedSet {
	t.on.Store(false)
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.set
}

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.on.Load() {
		return t.base.RoundTrip(req)
	}
	var form url.Values
	if isForm(req) && req.Body != nil {
		body, err := io.ReadAll(io.LimitReader(req.Body, maxFormBody))
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		form, _ = url.ParseQuery(string(body))
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	key := RequestKey(req, form)
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	set := t.set
	t.mu.Unlock()
	if set != nil {
		set.put(key, &Canned{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body})
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// FloorHandler is the loopback floor: it reads each request's body to the
// end (as a real server must) and answers with the canned response for the
// request's kind, or 500 when it has none. It does nothing else, so a run
// against it measures the client, the generator and the socket alone.
func FloorHandler(canned *CannedSet) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var form url.Values
		if isForm(r) {
			body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody))
			if err != nil {
				http.Error(w, "floor: reading body: "+err.Error(), http.StatusBadRequest)
				return
			}
			form, _ = url.ParseQuery(string(body))
		}
		_, _ = io.Copy(io.Discard, r.Body)
		c := canned.get(RequestKey(r, form))
		if c == nil {
			http.Error(w, "floor: no canned response for "+RequestKey(r, form), http.StatusInternalServerError)
			return
		}
		h := w.Header()
		for k, vs := range c.Header {
			switch k {
			case "Date", "Content-Length", "Connection", "Transfer-Encoding", "Keep-Alive":
				continue
			}
			h[k] = vs
		}
		h.Set("Content-Length", fmt.Sprint(len(c.Body)))
		w.WriteHeader(c.Status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(c.Body)
		}
	})
}

// FloorServer is a FloorHandler on a 127.0.0.1 port.
type FloorServer struct {
	URL string
	srv *http.Server
	ln  net.Listener
}

// StartFloor serves FloorHandler(canned) on 127.0.0.1, port chosen by the
// system.
func StartFloor(canned *CannedSet) (*FloorServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: FloorHandler(canned), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener is ours; Close is the only way out
		}
	}()
	return &FloorServer{URL: "http://" + ln.Addr().String(), srv: srv, ln: ln}, nil
}

// Close stops the server and its connections.
func (f *FloorServer) Close() error { return f.srv.Close() }
