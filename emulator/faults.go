package emulator

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// Fault is an injected failure, set with POST /_fakecloud/faults or
// Emulator.AddFault. Empty Service or Operation match any.
type Fault struct {
	Service   string `json:"service,omitempty"`
	Operation string `json:"operation,omitempty"`
	// Probability of applying to a matching request, 0 < p <= 1 (0 means 1).
	Probability float64 `json:"probability,omitempty"`
	// Count limits how many times the fault applies; 0 is unlimited.
	Count int `json:"count,omitempty"`
	// ErrorCode and Status make the request fail with that AWS error
	// (Status defaults to 400 when only a code is given, or 500 for
	// "InternalError"/"ServiceUnavailable"-style codes when set so).
	ErrorCode string `json:"errorCode,omitempty"`
	Status    int    `json:"status,omitempty"`
	Message   string `json:"message,omitempty"`
	// LatencyMS delays the request before it is served (or failed).
	LatencyMS int `json:"latencyMs,omitempty"`
	// Drop closes the connection without any response.
	Drop bool `json:"drop,omitempty"`

	applied int
}

type faults struct {
	mu   sync.Mutex
	list []*Fault
	rng  *rand.Rand
}

func newFaults(seed uint64) *faults {
	return &faults{rng: rand.New(rand.NewPCG(seed, 0xfa17))}
}

// AddFault installs a fault.
func (e *Emulator) AddFault(f Fault) {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	f.applied = 0
	e.faults.list = append(e.faults.list, &f)
}

// ClearFaults removes every fault.
func (e *Emulator) ClearFaults() {
	e.faults.mu.Lock()
	e.faults.list = nil
	e.faults.mu.Unlock()
}

// Faults lists the installed faults with their remaining counts.
func (e *Emulator) Faults() []Fault {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	out := make([]Fault, 0, len(e.faults.list))
	for _, f := range e.faults.list {
		c := *f
		if c.Count > 0 {
			c.Count -= f.applied
		}
		out = append(out, c)
	}
	return out
}

// pick returns the first matching fault that fires, consuming one use.
func (fs *faults) pick(service, operation string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if f.Service != "" && f.Service != service || f.Operation != "" && f.Operation != operation {
			continue
		}
		if f.Probability > 0 && f.Probability < 1 && fs.rng.Float64() >= f.Probability {
			continue
		}
		f.applied++
		c := *f
		if f.Count > 0 && f.applied >= f.Count {
			fs.list = append(fs.list[:i:i], fs.list[i+1:]...)
		}
		return &c
	}
	return nil
}

// applyFault applies f; it reports whether the response is finished.
func (e *Emulator) applyFault(w *statusWriter, r *http.Request, f *Fault, codec protocol.Codec, op *model.Operation, meta protocol.ResponseMeta, ent *entry) bool {
	if f.LatencyMS > 0 {
		t := time.NewTimer(time.Duration(f.LatencyMS) * time.Millisecond)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
		ent.Fault = "latency"
	}
	if f.Drop {
		ent.Fault = "drop"
		if conn, _, err := http.NewResponseController(w.ResponseWriter).Hijack(); err == nil {
			_ = conn.Close()
			return true
		}
		// No hijacking (HTTP/2, in-process transport): abort the handler,
		// which net/http turns into a reset stream or broken connection.
		panic(http.ErrAbortHandler)
	}
	if f.ErrorCode != "" {
		ent.Fault = "error"
		status := f.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		msg := f.Message
		if msg == "" {
			msg = "injected fault"
		}
		e.writeError(w, codec, op, protocol.NewError(f.ErrorCode, status, "%s", msg), meta, ent)
		return true
	}
	return false
}
