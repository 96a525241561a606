package main

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/examples/frameworks/internal/corstest"
)

const (
	app   = "https://app.example.com"
	one   = "https://shop.customer-one.example"
	two   = "https://store.customer-two.example"
	three = "https://customer-three.example:8443"
)

// flakyStore is a store whose database can go down.
type flakyStore struct {
	*memStore
	down atomic.Bool
}

var errDown = errors.New("connection refused")

func (s *flakyStore) TenantOrigins(ctx context.Context) ([]string, error) {
	if s.down.Load() {
		return nil, errDown
	}
	return s.memStore.TenantOrigins(ctx)
}

// setup builds the example on a store holding tenants one and two, loaded
// once unless the store is down.
func setup(t *testing.T) (http.Handler, *tenantOrigins, *flakyStore) {
	t.Helper()
	store := &flakyStore{memStore: newMemStore(one, two)}
	tenants := &tenantOrigins{store: store}
	require.NoError(t, tenants.Reload(context.Background()))
	h, err := newHandler(tenants)
	require.NoError(t, err)
	return h, tenants, store
}

// assertAllowed checks that a script of origin may call the API with the
// user's cookies: the preflight of a JSON POST, then a GET.
func assertAllowed(t *testing.T, h http.Handler, origin string) {
	t.Helper()
	res := corstest.Serve(h, corstest.Preflight("/api/orders", origin, http.MethodPost, "Content-Type"))
	corstest.AssertPreflightAllowed(t, res, origin, http.MethodPost, "Content-Type")
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))

	res = corstest.Serve(h, corstest.Request(http.MethodGet, "/api/orders", origin))
	corstest.RequireStatus(t, res, http.StatusOK)
	corstest.AssertAllowed(t, res, origin)
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
}

// assertRefused checks that origin gets nothing: 403 to its preflight, and
// no CORS header on the GET the handler still serves.
func assertRefused(t *testing.T, h http.Handler, origin string) {
	t.Helper()
	res := corstest.Serve(h, corstest.Preflight("/api/orders", origin, http.MethodPost, "Content-Type"))
	assert.Equal(t, http.StatusForbidden, res.StatusCode, "%s's preflight", origin)
	corstest.AssertNoCORS(t, res)

	res = corstest.Serve(h, corstest.Request(http.MethodGet, "/api/orders", origin))
	corstest.RequireStatus(t, res, http.StatusOK)
	corstest.AssertNoCORS(t, res)
}

func TestTenantsAllowedWithCredentials(t *testing.T) {
	h, _, _ := setup(t)
	for _, origin := range []string{app, one, two} {
		assertAllowed(t, h, origin)
	}
	for _, origin := range []string{three, corstest.Foreign, "http://shop.customer-one.example"} {
		assertRefused(t, h, origin)
	}
}

// TestReloadAppliesChanges: a removed tenant is refused and a new one
// allowed once the snapshot is reloaded, not before.
func TestReloadAppliesChanges(t *testing.T) {
	h, tenants, store := setup(t)
	store.Set(two, three)
	assertAllowed(t, h, one) // the snapshot in force still has it
	assertRefused(t, h, three)

	require.NoError(t, tenants.Reload(context.Background()))
	assertRefused(t, h, one)
	assertAllowed(t, h, two)
	assertAllowed(t, h, three)
}

// runTenants runs tenants.Run until the test ends.
func runTenants(t *testing.T, tenants *tenantOrigins, interval time.Duration, changed <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tenants.Run(ctx, interval, changed, t.Logf)
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// allowsSoon reports whether origin is allowed before timeout.
func allowsSoon(h http.Handler, origin string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		res := corstest.Serve(h, corstest.Request(http.MethodGet, "/api/orders", origin))
		if res.Header.Get("Access-Control-Allow-Origin") == origin {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRunReloadsOnTimer: with no notification, the timer applies a change.
func TestRunReloadsOnTimer(t *testing.T) {
	h, tenants, store := setup(t)
	runTenants(t, tenants, 10*time.Millisecond, nil)
	store.Set(three)
	require.True(t, allowsSoon(h, three, 5*time.Second))
	assertRefused(t, h, one)
}

// TestRunReloadsOnChange: a change signal reloads at once; the timer is an
// hour away.
func TestRunReloadsOnChange(t *testing.T) {
	h, tenants, store := setup(t)
	changed := make(chan struct{}, 1)
	runTenants(t, tenants, time.Hour, changed)
	store.Set(three)
	signal(changed)
	require.True(t, allowsSoon(h, three, 5*time.Second))
	assertRefused(t, h, one)
}

// TestLookupErrorFailsClosed: with the store down at startup there is no
// snapshot, the lookup fails, and tenants are refused; the static list
// still serves the company's frontend.
func TestLookupErrorFailsClosed(t *testing.T) {
	store := &flakyStore{memStore: newMemStore(one)}
	store.down.Store(true)
	tenants := &tenantOrigins{store: store}
	require.ErrorIs(t, tenants.Reload(context.Background()), errDown)
	_, err := tenants.Lookup(context.Background(), one)
	require.ErrorIs(t, err, errNotLoaded)

	h, err := newHandler(tenants)
	require.NoError(t, err)
	assertRefused(t, h, one)
	assertAllowed(t, h, app)
}

// TestFailedReloadKeepsSnapshot: an outage after startup changes nothing.
func TestFailedReloadKeepsSnapshot(t *testing.T) {
	h, tenants, store := setup(t)
	store.down.Store(true)
	require.ErrorIs(t, tenants.Reload(context.Background()), errDown)
	assertAllowed(t, h, one)
	assertRefused(t, h, three)
}

// TestVaryOnEveryResponse: whether a tenant is allowed depends on Origin, so
// every answer a cache may store says so, or a shared cache could hand one
// tenant's answer to another. An unknown origin's preflight gets a 403, which
// no standard cache stores, so it needs none (AssertNoCORS checks that).
func TestVaryOnEveryResponse(t *testing.T) {
	h, _, _ := setup(t)
	for _, tt := range []struct {
		name string
		r    *http.Request
	}{
		{"tenant's GET", corstest.Request(http.MethodGet, "/api/orders", one)},
		{"tenant's preflight", corstest.Preflight("/api/orders", one, http.MethodPost, "Content-Type")},
		{"unknown origin's GET", corstest.Request(http.MethodGet, "/api/orders", three)},
		{"no Origin", corstest.Request(http.MethodGet, "/api/orders", "")},
		{"tenant's method the route lacks", corstest.Request(http.MethodDelete, "/api/orders", one)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			corstest.AssertVaryOrigin(t, corstest.Serve(h, tt.r))
		})
	}
}
