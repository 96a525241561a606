package cors

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tenantTable is a LookupOrigin backed by a map, recording what it was asked.
type tenantTable struct {
	mu      sync.Mutex
	allowed map[string]bool
	asked   []string
	err     error
	panics  bool
	sleep   time.Duration
}

func (tt *tenantTable) lookup(ctx context.Context, origin string) (bool, error) {
	tt.mu.Lock()
	tt.asked = append(tt.asked, origin)
	tt.mu.Unlock()
	if tt.panics {
		panic("table gone")
	}
	if tt.sleep > 0 {
		select {
		case <-time.After(tt.sleep):
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	return tt.allowed[origin], tt.err
}

func TestLookupOrigin(t *testing.T) {
	table := &tenantTable{allowed: map[string]bool{"https://shop.customer.example": true}}
	m := mustNew(t, Options{
		AllowedOrigins:   []string{testOrigin, "https://*.partner.example"},
		AllowCredentials: true,
		LookupOrigin:     table.lookup,
		Logger:           quiet,
	})
	h := m.Handler(okHandler)
	tests := []struct {
		origin  string
		allowed bool
		asked   bool
	}{
		{testOrigin, true, false},
		{"https://a.partner.example", true, false},
		{"https://shop.customer.example", true, true},
		{"https://other.customer.example", false, true},
		{"null", false, false},
		{"https://shop.customer.example/", false, false},
		{"HTTPS://shop.customer.example", false, false},
		{"https://shop.customer.example:443", false, false},
		{"https://*.customer.example", false, false},
		{"https://" + strings.Repeat("a", 600) + ".example", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			table.asked = nil
			res := serve(h, actualReq(tt.origin))
			if tt.allowed {
				assert.Equal(t, tt.origin, res.Header().Get("Access-Control-Allow-Origin"))
			} else {
				assertNoCORSHeaders(t, res.Header())
			}
			assert.Equal(t, []string{"Origin"}, res.Header().Values("Vary"), "the answer depends on Origin alone")
			if tt.asked {
				assert.Equal(t, []string{tt.origin}, table.asked, "asked once, with the origin as sent")
			} else {
				assert.Empty(t, table.asked, "never asked about what no browser sends, nor what the list answers")
			}
			preflight := serve(h, preflightReq(tt.origin, "GET", ""))
			assert.Equal(t, tt.allowed, preflight.Code == http.StatusNoContent, "preflights ask too")
		})
	}
}

func TestLookupOriginFailsClosed(t *testing.T) {
	tests := []struct {
		name  string
		table *tenantTable
		log   string
	}{
		{"error", &tenantTable{allowed: map[string]bool{"https://b.example": true}, err: errors.New("db down")}, "db down"},
		{"panic", &tenantTable{panics: true}, "table gone"},
		{"deadline", &tenantTable{allowed: map[string]bool{"https://b.example": true}, sleep: time.Hour}, "context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &records{level: slog.LevelError}
			m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, LookupOrigin: tt.table.lookup, Logger: slog.New(logs)})
			start := time.Now()
			res := serve(m.Handler(okHandler), actualReq("https://b.example"))
			assert.Less(t, time.Since(start), LookupOriginTimeout+5*time.Second, "bounded by the deadline")
			assertNoCORSHeaders(t, res.Header())
			require.Len(t, logs.got, 1)
			assert.Equal(t, slog.LevelError, logs.got[0].Level)
			a := attrs(logs.got[0])
			assert.Equal(t, "https://b.example", a["origin"])
			assert.Contains(t, a["error"]+a["panic"], tt.log)
		})
	}
}

func TestLookupOriginSeesADeadline(t *testing.T) {
	var deadline time.Time
	var hasDeadline bool
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, LookupOrigin: func(ctx context.Context, _ string) (bool, error) {
		deadline, hasDeadline = ctx.Deadline()
		return true, nil
	}})
	before := time.Now()
	serve(m.Handler(okHandler), actualReq("https://b.example"))
	require.True(t, hasDeadline)
	assert.WithinDuration(t, before.Add(LookupOriginTimeout), deadline, time.Second)
}

func TestAllowsOriginAndCheckOrigin(t *testing.T) {
	m := mustNew(t, Options{
		AllowedOrigins: []string{testOrigin, "https://*.example.org"},
		LookupOrigin: func(_ context.Context, o string) (bool, error) {
			return o == "https://tenant.example", nil
		},
	})
	public := mustNew(t, Options{AllowedOrigins: []string{"*"}})
	var zero Middleware
	twoOrigins := actualReq("")
	twoOrigins.Header["Origin"] = []string{testOrigin, testOrigin}
	tests := []struct {
		name string
		m    *Middleware
		r    *http.Request
		want bool
	}{
		{"exact", m, actualReq(testOrigin), true},
		{"pattern", m, actualReq("https://a.example.org"), true},
		{"looked up", m, actualReq("https://tenant.example"), true},
		{"refused", m, actualReq("https://evil.example"), false},
		{"null", m, actualReq("null"), false},
		{"no Origin passes", m, httpReqWithoutOrigin(), true},
		{"several Origin lines fail", m, twoOrigins, false},
		{"a * policy opens no handshake", public, actualReq("https://evil.example"), false},
		{"a * policy, no Origin", public, httpReqWithoutOrigin(), true},
		{"the zero Middleware", &zero, actualReq(testOrigin), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.m.CheckOrigin(tt.r))
			if origins := tt.r.Header["Origin"]; len(origins) == 1 {
				assert.Equal(t, tt.want, tt.m.AllowsOrigin(origins[0]))
			}
		})
	}

	require.NoError(t, m.Reconfigure(Options{AllowedOrigins: []string{"https://b.example"}}))
	assert.False(t, m.AllowsOrigin(testOrigin), "follows Reconfigure")
	assert.True(t, m.CheckOrigin(actualReq("https://b.example")))
}

func httpReqWithoutOrigin() *http.Request {
	r := actualReq("")
	delete(r.Header, "Origin")
	return r
}

func TestLookupOriginAlone(t *testing.T) {
	m := mustNew(t, Options{LookupOrigin: func(_ context.Context, o string) (bool, error) {
		return o == "https://tenant.example", nil
	}})
	assert.Equal(t, "https://tenant.example", serve(m.Handler(okHandler), actualReq("https://tenant.example")).Header().Get("Access-Control-Allow-Origin"))
	assertNoCORSHeaders(t, serve(m.Handler(okHandler), actualReq("https://evil.example")).Header())
	_, err := New(Options{})
	assert.ErrorIs(t, err, ErrNoOrigins, "without a lookup, an empty list is still refused")
}
