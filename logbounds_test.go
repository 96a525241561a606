package cors

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/corsguard/cors/internal/origin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// longOrigin is an origin a browser could send, far longer than a logged value.
var longOrigin = "https://" + strings.Repeat("a", 60) + "." + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." +
	strings.Repeat("d", 60) + "." + strings.Repeat("e", 60) + ".example"

func TestEveryLoggedRequestValueIsBounded(t *testing.T) {
	require.Greater(t, len(longOrigin), maxLoggedValue)
	require.LessOrEqual(t, len(longOrigin), origin.MaxLength)
	logs := &records{level: slog.LevelDebug}
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: slog.New(logs),
		LookupOrigin: func(context.Context, string) (bool, error) { return false, errors.New("down") }})
	serve(m.Handler(okHandler), actualReq(longOrigin))
	serve(m.Handler(okHandler), preflightReq(longOrigin, http.MethodPut, ""))
	serve(m.Handler(okHandler), preflightReq(testOrigin, http.MethodPut, "x-"+strings.Repeat("h", 600)))
	require.NotEmpty(t, logs.got)
	for _, rec := range logs.got {
		for k, v := range attrs(rec) {
			assert.NotContains(t, v, longOrigin, "%s in %q", k, rec.Message)
			assert.NotContains(t, v, strings.Repeat("h", maxLoggedValue+1), "%s in %q", k, rec.Message)
		}
	}
}

func TestLookupOriginErrorsHaveTheirOwnLogBudget(t *testing.T) {
	logs := &records{level: slog.LevelError}
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: slog.New(logs),
		LookupOrigin: func(context.Context, string) (bool, error) { return false, errors.New("down") }})
	for i := 0; i < 3*maxRecordsPerSecond; i++ {
		assert.False(t, m.AllowsOrigin("https://other.example"))
	}
	h := m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	serve(h, actualReq(testOrigin))
	var panics int
	for _, rec := range logs.got {
		if rec.Message == "cors: recovered a panic in the handler" {
			panics++
		}
	}
	assert.Equal(t, 1, panics, "a flood of lookup failures leaves room for a panic record")
}

func TestLookupOriginCancelledByTheClientIsNotLogged(t *testing.T) {
	logs := &records{level: slog.LevelError}
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: slog.New(logs),
		LookupOrigin: func(ctx context.Context, _ string) (bool, error) { <-ctx.Done(); return false, ctx.Err() }})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := actualReq("https://other.example").WithContext(ctx)
	assert.False(t, m.CheckOrigin(r))
	assert.Empty(t, logs.got, "the client went away: no lookup failure")
}
