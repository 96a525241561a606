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

// reloadTimeout bounds one reload, so that a database that hangs cannot
// stall the loop that also serves the change notifications.
const reloadTimeout = 10 * time.Second

// Lookup has the shape of Options.LookupOrigin. The middleware passes the
// origin as browsers send it, so an exact lookup is right; the store must
// hold origins in that form too (scheme://host[:port], lower case, no
// trailing slash), which schema.sql checks.
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
	ctx, cancel := context.WithTimeout(ctx, reloadTimeout)
	defer cancel()
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

// Run loads the snapshot, then reloads it on every signal from changed (a
// change notification) and every interval (the safety net for a lost
// notification, and the retry while the first load fails), until ctx ends.
// Failures go to logf, at most one per reload.
func (t *tenantOrigins) Run(ctx context.Context, interval time.Duration, changed <-chan struct{}, logf func(format string, args ...any)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if err := t.Reload(ctx); err != nil && ctx.Err() == nil {
			logf("%v; keeping the last snapshot", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-tick.C:
		}
	}
}

// signal tells Run that the store changed without blocking: changed holds
// one pending signal, and a reload after it reads every change before it, so
// a burst of changes costs one or two reloads.
func signal(changed chan<- struct{}) {
	select {
	case changed <- struct{}{}:
	default:
	}
}
