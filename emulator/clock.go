package emulator

import (
	"sync"
	"time"
)

// Clock is the emulator's time source. Handlers use req.Clock.Now(), never
// time.Now, so tests can fix time.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now().UTC() }

// RealClock is the wall clock (UTC).
func RealClock() Clock { return realClock{} }

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// FixedClock always returns t.
func FixedClock(t time.Time) Clock { return fixedClock{t.UTC()} }

// SteppingClock returns start on the first call and advances by step on each
// later call: time moves, deterministically.
func SteppingClock(start time.Time, step time.Duration) Clock {
	return &steppingClock{next: start.UTC(), step: step}
}

type steppingClock struct {
	mu   sync.Mutex
	next time.Time
	step time.Duration
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.next
	c.next = c.next.Add(c.step)
	return t
}
