package emulator

import (
	"context"
	"fmt"
)

// State returns every record as account -> region -> service -> ..., with
// services that define ServiceDef.State rendered by it.
func (e *Emulator) State(ctx context.Context) (map[string]any, error) {
	dump, err := e.db.Dump()
	if err != nil {
		return nil, err
	}
	for account, av := range dump {
		regions, _ := av.(map[string]any)
		for region, rv := range regions {
			services, _ := rv.(map[string]any)
			for name := range services {
				svc := e.services[name]
				if svc == nil || svc.def.State == nil {
					continue
				}
				v, err := svc.def.State(ctx, &StateContext{Account: account, Region: region, Store: e.db.Namespace(account, region, name)})
				if err != nil {
					return nil, fmt.Errorf("state of %s: %w", name, err)
				}
				services[name] = v
			}
		}
	}
	return dump, nil
}
