package model

import (
	"sync"
	"testing"
)

// Every embedded service must load: this runs Parse, ParsePaginators and
// ParseWaiters over all of them and is the broadest check that the types
// accept every trait botocore's data uses.
func TestEveryEmbeddedServiceLoads(t *testing.T) {
	l := NewLoader()
	names := l.AvailableServices()
	if len(names) < 400 {
		t.Fatalf("only %d embedded services", len(names))
	}
	var (
		wg  sync.WaitGroup
		sem = make(chan struct{}, 2)
		mu  sync.Mutex
	)
	ops, pags, waits, res := 0, 0, 0, 0
	for _, name := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			svc, err := l.Load(name)
			if err != nil {
				t.Errorf("Load(%q): %v", name, err)
				return
			}
			e, _ := l.Lookup(name)
			if svc.Name != name || svc.Metadata.APIVersion != e.APIVersion || svc.Metadata.EndpointPrefix != e.EndpointPrefix ||
				svc.Metadata.TargetPrefix != e.TargetPrefix || svc.Metadata.ServiceID != e.ServiceID {
				t.Errorf("%s: model metadata %+v disagrees with index %+v", name, svc.Metadata, e)
			}
			if len(svc.Operations) == 0 {
				t.Errorf("%s: no operations", name)
			}
			if (len(svc.Paginators) > 0) != e.HasPaginators && len(svc.Paginators) > 0 {
				t.Errorf("%s: paginators %d, index says %v", name, len(svc.Paginators), e.HasPaginators)
			}
			for pn, p := range svc.Paginators {
				if len(p.InputToken) == 0 || len(p.OutputToken) == 0 {
					t.Errorf("%s paginator %s: no tokens: %+v", name, pn, p)
				}
			}
			for wn, w := range svc.Waiters {
				if _, ok := svc.Operations[w.Operation]; !ok {
					t.Errorf("%s waiter %s: unknown operation %s", name, wn, w.Operation)
				}
			}
			mu.Lock()
			ops += len(svc.Operations)
			pags += len(svc.Paginators)
			waits += len(svc.Waiters)
			if svc.Resources != nil {
				res++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	t.Logf("%d services, %d operations, %d paginators, %d waiters, %d resource models", len(names), ops, pags, waits, res)
	if got := l.decoded.Load(); got != int64(len(names)) {
		t.Errorf("decoded %d bundles for %d services", got, len(names))
	}
}
