package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// tenantOrigins serves Options.LookupOrigin from a snapshot of the store's
// origins. The snapshot is never changed, only replaced, so requests read it
// without a lock while a reload builds the next one.
type tenantOrigins struct {
	store    Store
	snapshot atomic.Pointer[map[string]struct{}]
}

// errNotLoaded refuses every tenant origin until a load has succeeded.
var errNotLoaded = errors.New("tenant origins not loaded")

// Lookup has the shape of Options.LookupOrigin. The middleware passes the
// origin as browsers send it, so an exact lookup is right; the store must
// hold origins in that form too (scheme://host[:port], lower case, no
// trailing slash).
func (t *tenantOrigins) Lookup(_ context.Context, origin string) (bool, error) {
	snapshot := t.snapshot.Load()
	if snapshot == nil {
		return false, errNotLoaded
	}
	_, ok := (*snapshot)[origin]
	return ok, nil
}

// Reload replaces the snapshot with the store's origins. On error the
// snapshot in force stays.
func (t *tenantOrigins) Reload(ctx context.Context) error {
	origins, err := t.store.TenantOrigins(ctx)
	if err != nil {
		return fmt.Errorf("reloading tenant origins: %w", err)
	}
	snapshot := make(map[string]struct{}, len(origins))
	for _, o := range origins {
		snapshot[o] = struct{}{}
	}
	t.snapshot.Store(&snapshot)
	return nil
}

// ReloadEvery reloads every interval until ctx ends, reporting failures
// to logf.
func (t *tenantOrigins) ReloadEvery(ctx context.Context, interval time.Duration, logf func(format string, args ...any)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := t.Reload(ctx); err != nil {
				logf("%v; keeping the last snapshot", err)
			}
		}
	}
}
