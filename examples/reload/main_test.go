package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/corstest"
)

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})

// get is a script's GET from origin through h.
func get(h http.Handler, origin string) *corstest.Result {
	return corstest.Fetch(h, origin, httptest.NewRequest(http.MethodGet, "/", nil))
}

// readable reports whether a script on origin may read h's answer.
func readable(h http.Handler, origin string) bool {
	return get(h, origin).Err == nil
}

// sighup delivers one SIGHUP to a running watch and waits until it has been
// handled: watch handles a signal before it looks at ctx again.
func sighup(t *testing.T, m *cors.Middleware, prefix string, logger *slog.Logger) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal) // unbuffered: the send returns once watch has it
	done := make(chan struct{})
	go func() {
		defer close(done)
		watch(ctx, signals, m, prefix, logger)
	}()
	signals <- syscall.SIGHUP
	cancel()
	<-done
}

func TestReloadOnSIGHUP(t *testing.T) {
	t.Setenv("RELOAD1_ALLOWED_ORIGINS", "https://old.example.com")
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	m, err := newMiddleware("RELOAD1", logger)
	require.NoError(t, err)
	h := m.Handler(ok)
	assert.True(t, readable(h, "https://old.example.com"))

	t.Setenv("RELOAD1_ALLOWED_ORIGINS", "https://new.example.com")
	sighup(t, m, "RELOAD1", logger)

	assert.True(t, readable(h, "https://new.example.com"))
	assert.False(t, readable(h, "https://old.example.com"))
	assert.Contains(t, logs.String(), "CORS policy reloaded")
}

func TestInvalidReloadKeepsOldPolicy(t *testing.T) {
	t.Setenv("RELOAD2_ALLOWED_ORIGINS", "https://old.example.com")
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	m, err := newMiddleware("RELOAD2", logger)
	require.NoError(t, err)
	h := m.Handler(ok)

	tests := []struct {
		name, key, value string
		want             error
	}{
		{"trailing slash", "ALLOWED_ORIGINS", "https://new.example.com/", cors.ErrInvalidOrigin},
		{"max age not a duration", "MAX_AGE", "soon", cors.ErrInvalidEnv},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("RELOAD2_"+tt.key, tt.value)
			err := reload(m, "RELOAD2", logger)
			assert.True(t, errors.Is(err, tt.want), "got %v, want %v", err, tt.want)
			assert.True(t, readable(h, "https://old.example.com"))
		})
	}

	t.Setenv("RELOAD2_ALLOWED_ORIGINS", "https://new.example.com/")
	logs.Reset()
	sighup(t, m, "RELOAD2", logger)
	assert.Contains(t, logs.String(), "keeping the previous policy")
	assert.True(t, readable(h, "https://old.example.com"))
	assert.False(t, readable(h, "https://new.example.com"))
}

// TestReloadUnderLoad swaps between two policies while requests run: each
// response must come whole from one of them, never half from each.
func TestReloadUnderLoad(t *testing.T) {
	t.Setenv("RELOADA_ALLOWED_ORIGINS", "https://a.example.com")
	t.Setenv("RELOADA_EXPOSED_HEADERS", "X-Policy-A")
	t.Setenv("RELOADB_ALLOWED_ORIGINS", "https://a.example.com")
	t.Setenv("RELOADB_EXPOSED_HEADERS", "X-Policy-B")
	t.Setenv("RELOADB_ALLOW_CREDENTIALS", "true")
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := newMiddleware("RELOADA", logger)
	require.NoError(t, err)
	h := m.Handler(ok)

	const workers, requests, reloads = 4, 200, 100
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < requests; i++ {
				res := get(h, "https://a.example.com")
				if !assert.NoError(t, res.Err) {
					return
				}
				switch res.Response.Header.Get("Access-Control-Expose-Headers") {
				case "X-Policy-A":
					assert.Empty(t, res.Response.Header.Get("Access-Control-Allow-Credentials"))
				case "X-Policy-B":
					assert.Equal(t, "true", res.Response.Header.Get("Access-Control-Allow-Credentials"))
				default:
					t.Errorf("response from neither policy: %v", res.Response.Header)
					return
				}
			}
		}()
	}
	for i := 0; i < reloads; i++ {
		prefix := "RELOADA"
		if i%2 == 0 {
			prefix = "RELOADB"
		}
		assert.NoError(t, reload(m, prefix, logger))
	}
	wg.Wait()
}
