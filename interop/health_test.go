package interop

import (
	"context"
	"testing"
	"time"
)

// Both targets answer the control API's health check and list the services
// they serve; the binary serves the same set as the in-process emulator.
func TestHealthListsServedServices(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tgs := targets(t)
	for _, tg := range tgs {
		h, err := GetHealth(ctx, tg.url)
		if err != nil {
			t.Fatalf("%s: %v", tg.name, err)
		}
		if h.Status != "ok" || h.Version == "" {
			t.Errorf("%s: health = %+v", tg.name, h)
		}
	}
	if a, b := tgs[0].services, tgs[1].services; len(a) != len(b) {
		t.Errorf("in-process serves %v, binary serves %v", a, b)
	}
}
