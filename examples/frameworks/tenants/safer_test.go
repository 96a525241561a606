package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/examples/frameworks/internal/corstest"
)

// TestSaferHandler: the user's cookies reach only the company's frontend;
// a tenant's origin reads the tenant API without credentials, and the
// credentialed API refuses it.
func TestSaferHandler(t *testing.T) {
	tenants := &tenantOrigins{store: newMemStore(one)}
	require.NoError(t, tenants.Reload(context.Background()))
	h, err := newSaferHandler(tenants)
	require.NoError(t, err)

	res := corstest.Serve(h, corstest.Request(http.MethodGet, "/api/orders", app))
	corstest.AssertAllowed(t, res, app)
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))

	res = corstest.Serve(h, corstest.Preflight("/api/orders", one, http.MethodGet, "Content-Type"))
	assert.Equal(t, http.StatusForbidden, res.StatusCode, "a tenant's preflight to the credentialed API")
	corstest.AssertNoCORS(t, res)
	res = corstest.Serve(h, corstest.Request(http.MethodGet, "/api/orders", one))
	corstest.AssertNoCORS(t, res)

	res = corstest.Serve(h, corstest.Preflight("/tenant-api/orders", one, http.MethodGet, "Authorization"))
	corstest.AssertPreflightAllowed(t, res, one, http.MethodGet, "Authorization")
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Credentials"))

	r := corstest.Request(http.MethodGet, "/tenant-api/orders", one)
	r.Header.Set("Authorization", "Bearer tenant-one-token")
	res = corstest.Serve(h, r)
	corstest.RequireStatus(t, res, http.StatusOK)
	corstest.AssertAllowed(t, res, one)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Credentials"))

	res = corstest.Serve(h, corstest.Request(http.MethodGet, "/tenant-api/orders", corstest.Foreign))
	corstest.AssertNoCORS(t, res)
}
