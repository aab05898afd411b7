package emulator

import (
	"net/http"
	"sync/atomic"
	"time"
)

// dateCache formats the Date header once per second of the emulator clock
// instead of once per request (time.Format allocates).
type dateCache struct{ last atomic.Pointer[cachedDate] }

type cachedDate struct {
	sec int64
	s   string
}

func (c *dateCache) format(t time.Time) string {
	if t.Location() != time.UTC { // a caller's fixed clock: as it is, uncached
		return t.Format(http.TimeFormat)
	}
	sec := t.Unix()
	if d := c.last.Load(); d != nil && d.sec == sec {
		return d.s
	}
	d := &cachedDate{sec: sec, s: t.Format(http.TimeFormat)}
	c.last.Store(d)
	return d.s
}
