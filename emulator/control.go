package emulator

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/gorilla/mux"
)

// ControlPrefix is the path prefix of the control API.
const ControlPrefix = "/_fakecloud/"

// controlAllowed lets loopback callers use the control API, and others only
// with Options.ControlToken presented as X-Fakecloud-Token or
// "Authorization: Bearer <token>". A wrong token is refused from anywhere.
func (e *Emulator) controlAllowed(r *http.Request) (bool, string) {
	tok := r.Header.Get("X-Fakecloud-Token")
	if tok == "" {
		if a, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			tok = strings.TrimSpace(a)
		}
	}
	want := e.opts.ControlToken
	if tok != "" && want != "" {
		if subtle.ConstantTimeCompare([]byte(tok), []byte(want)) == 1 {
			return true, ""
		}
		return false, "control API: wrong control token"
	}
	if isLoopback(r.RemoteAddr) {
		return true, ""
	}
	if want == "" {
		return false, "control API: only loopback callers are allowed (start the emulator with a control token to allow others)"
	}
	return false, "control API: send the control token as X-Fakecloud-Token or Authorization: Bearer"
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func isControl(path string) bool {
	return strings.HasPrefix(path, ControlPrefix) || path == "/moto-api/reset"
}

// controlRouter serves (to loopback callers, or with Options.ControlToken):
//
//	GET    /_fakecloud/health     {"status":"ok","version":...,"services":[...]}
//	POST   /_fakecloud/reset      empty all state and the journal
//	POST   /_fakecloud/snapshot   body: the snapshot bytes (or ?path=FILE: written server-side)
//	POST   /_fakecloud/restore    body: snapshot bytes (or ?path=FILE: read server-side)
//	GET    /_fakecloud/state      every record by account/region/service
//	GET    /_fakecloud/journal    recent requests, oldest first
//	POST   /_fakecloud/faults     install a Fault (JSON body: one object or a list)
//	GET    /_fakecloud/faults     list faults
//	DELETE /_fakecloud/faults     remove every fault
//	POST   /moto-api/reset        moto's reset, for tools that speak it
//
// GET /_fakecloud/<service>/... goes to that service's ServiceDef.Public
// handlers when it has one, for any caller (see servePublic).
func (e *Emulator) controlRouter() http.Handler {
	m := mux.NewRouter()
	m.HandleFunc("/_fakecloud/health", e.ctlHealth).Methods(http.MethodGet, http.MethodHead)
	m.HandleFunc("/_fakecloud/reset", e.ctlReset).Methods(http.MethodPost)
	m.HandleFunc("/moto-api/reset", e.ctlReset).Methods(http.MethodPost)
	m.HandleFunc("/_fakecloud/snapshot", e.ctlSnapshot).Methods(http.MethodPost, http.MethodGet)
	m.HandleFunc("/_fakecloud/restore", e.ctlRestore).Methods(http.MethodPost)
	m.HandleFunc("/_fakecloud/state", e.ctlState).Methods(http.MethodGet)
	m.HandleFunc("/_fakecloud/journal", e.ctlJournal).Methods(http.MethodGet)
	m.HandleFunc("/_fakecloud/journal", e.ctlJournalClear).Methods(http.MethodDelete)
	m.HandleFunc("/_fakecloud/faults", e.ctlAddFaults).Methods(http.MethodPost)
	m.HandleFunc("/_fakecloud/faults", e.ctlListFaults).Methods(http.MethodGet)
	m.HandleFunc("/_fakecloud/faults", e.ctlClearFaults).Methods(http.MethodDelete)
	m.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctlError(w, http.StatusNotFound, "no control endpoint %s %s", r.Method, r.URL.Path)
	})
	m.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctlError(w, http.StatusMethodNotAllowed, "method %s not allowed on %s", r.Method, r.URL.Path)
	})
	return m
}

func ctlJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func ctlError(w http.ResponseWriter, status int, format string, args ...any) {
	ctlJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

func (e *Emulator) ctlHealth(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]any{"status": "ok", "version": Version, "services": e.ServiceNames()})
}

func (e *Emulator) ctlReset(w http.ResponseWriter, r *http.Request) {
	if err := e.Reset(); err != nil {
		ctlError(w, http.StatusInternalServerError, "reset: %v", err)
		return
	}
	ctlJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

func (e *Emulator) ctlSnapshot(w http.ResponseWriter, r *http.Request) {
	if path := r.URL.Query().Get("path"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			ctlError(w, http.StatusBadRequest, "snapshot: %v", err)
			return
		}
		err = e.db.Snapshot(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			ctlError(w, http.StatusInternalServerError, "snapshot: %v", err)
			return
		}
		ctlJSON(w, http.StatusOK, map[string]string{"status": "saved", "path": path})
		return
	}
	var buf bytes.Buffer
	if err := e.db.Snapshot(&buf); err != nil {
		ctlError(w, http.StatusInternalServerError, "snapshot: %v", err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(buf.Bytes())
}

func (e *Emulator) ctlRestore(w http.ResponseWriter, r *http.Request) {
	var src io.Reader = r.Body
	if path := r.URL.Query().Get("path"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			ctlError(w, http.StatusBadRequest, "restore: %v", err)
			return
		}
		defer f.Close()
		src = f
	}
	if err := e.db.Restore(src); err != nil {
		ctlError(w, http.StatusBadRequest, "restore: %v", err)
		return
	}
	e.journal.clear()
	ctlJSON(w, http.StatusOK, map[string]string{"status": "restored"})
}

func (e *Emulator) ctlState(w http.ResponseWriter, r *http.Request) {
	st, err := e.State(r.Context())
	if err != nil {
		ctlError(w, http.StatusInternalServerError, "state: %v", err)
		return
	}
	ctlJSON(w, http.StatusOK, st)
}

func (e *Emulator) ctlJournal(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]any{"entries": e.Journal()})
}

func (e *Emulator) ctlJournalClear(w http.ResponseWriter, r *http.Request) {
	e.journal.clear()
	ctlJSON(w, http.StatusOK, map[string]string{"status": "cleared"})
}

func (e *Emulator) ctlAddFaults(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		ctlError(w, http.StatusBadRequest, "faults: %v", err)
		return
	}
	var list []Fault
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '[' {
		err = json.Unmarshal(t, &list)
	} else {
		var f Fault
		err = json.Unmarshal(t, &f)
		list = []Fault{f}
	}
	if err != nil {
		ctlError(w, http.StatusBadRequest, "faults: %v", err)
		return
	}
	for _, f := range list {
		if f.ErrorCode == "" && f.LatencyMS <= 0 && !f.Drop {
			ctlError(w, http.StatusBadRequest, "faults: a fault needs errorCode, latencyMs or drop")
			return
		}
		if f.Probability < 0 || f.Probability > 1 || f.Count < 0 || f.Status != 0 && (f.Status < 400 || f.Status > 599) {
			ctlError(w, http.StatusBadRequest, "faults: probability must be in [0,1], count >= 0, status 4xx/5xx")
			return
		}
	}
	for _, f := range list {
		e.AddFault(f)
	}
	ctlJSON(w, http.StatusOK, map[string]any{"faults": e.Faults()})
}

func (e *Emulator) ctlListFaults(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]any{"faults": e.Faults()})
}

func (e *Emulator) ctlClearFaults(w http.ResponseWriter, r *http.Request) {
	e.ClearFaults()
	ctlJSON(w, http.StatusOK, map[string]any{"faults": []Fault{}})
}

// servePublic hands GET /_fakecloud/<service>/... to the service's
// ServiceDef.Public handler for the method, without the control API's
// caller check. It reports false when no such handler exists.
func (e *Emulator) servePublic(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, ControlPrefix)
	if !ok {
		return false
	}
	name, _, ok := strings.Cut(rest, "/")
	svc := e.services[name]
	if !ok || svc == nil || svc.def.Public[r.Method] == nil {
		return false
	}
	account, region := e.opts.DefaultAccount, e.opts.DefaultRegion
	req := &Request{
		Service: svc.model, Input: map[string]any{}, Account: account, Region: region,
		RequestID: e.ids.UUID(), Clock: e.clock, IDs: e.ids, Store: e.db.Namespace(account, region, svc.def.Name),
		HTTP: r, ResponseHeader: http.Header{}, emu: e,
	}
	err := svc.def.Public[r.Method](r.Context(), req, w)
	var apiErr *protocol.APIError
	switch {
	case err == nil:
	case errors.Is(err, ErrNotHandled):
		ctlError(w, http.StatusNotFound, "no %s endpoint %s %s", name, r.Method, r.URL.Path)
	case errors.As(err, &apiErr):
		ctlError(w, apiErr.StatusCode, "%s: %s", apiErr.Code, apiErr.Message)
	default:
		e.log.Error("public handler", "service", name, "path", r.URL.Path, "err", err)
		ctlError(w, http.StatusInternalServerError, "%s: %v", name, err)
	}
	return true
}
