package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/corstest"
)

// setEnv sets prefix_KEY=value for each pair, for this test only.
func setEnv(t *testing.T, prefix string, kv map[string]string) {
	t.Helper()
	for k, v := range kv {
		t.Setenv(prefix+"_"+k, v)
	}
}

func TestValidEnvironment(t *testing.T) {
	setEnv(t, "ENVOK", map[string]string{
		"ALLOWED_ORIGINS": "https://app.example.com,https://*.example.org",
		"ALLOWED_METHODS": "GET,POST,DELETE",
		"ALLOWED_HEADERS": "Authorization,Content-Type",
		"MAX_AGE":         "1h",
	})
	h, err := newHandler("ENVOK")
	require.NoError(t, err)

	t.Run("preflighted DELETE", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodDelete, "/api/status", nil)
		r.Header.Set("Authorization", "Bearer t0ken")
		res := corstest.Fetch(h, "https://app.example.com", r)
		require.NoError(t, res.Err)
		assert.Equal(t, "3600", res.Preflight.Header.Get("Access-Control-Max-Age"), "MAX_AGE=1h")
	})
	t.Run("actual request", func(t *testing.T) {
		res := corstest.Fetch(h, "https://app.example.com", httptest.NewRequest(http.MethodGet, "/api/status", nil))
		require.NoError(t, res.Err)
		assert.Equal(t, http.StatusOK, res.Response.StatusCode)
	})
	t.Run("subdomain pattern", func(t *testing.T) {
		res := corstest.Fetch(h, "https://eu.example.org", httptest.NewRequest(http.MethodGet, "/api/status", nil))
		assert.NoError(t, res.Err)
	})
	t.Run("refused origin", func(t *testing.T) {
		res := corstest.Fetch(h, "https://evil.example.net", httptest.NewRequest(http.MethodGet, "/api/status", nil))
		assert.Error(t, res.Err)
		assert.Equal(t, http.StatusOK, res.Response.StatusCode, "the handler still runs; the browser hides the answer")
	})
}

func TestInvalidEnvironment(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want error
	}{
		{"nothing set", nil, cors.ErrNoOrigins},
		{"trailing slash", map[string]string{"ALLOWED_ORIGINS": "https://app.example.com/"}, cors.ErrInvalidOrigin},
		{"wildcard with credentials", map[string]string{"ALLOWED_ORIGINS": "*", "ALLOW_CREDENTIALS": "true"}, cors.ErrWildcardWithCredentials},
		{"credentials not a boolean", map[string]string{"ALLOWED_ORIGINS": "https://app.example.com", "ALLOW_CREDENTIALS": "maybe"}, cors.ErrInvalidEnv},
		{"max age not a duration", map[string]string{"ALLOWED_ORIGINS": "https://app.example.com", "MAX_AGE": "soon"}, cors.ErrInvalidEnv},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := "ENVBAD" + string(rune('A'+i)) // a fresh prefix: nothing left over from other cases
			setEnv(t, prefix, tt.env)
			h, err := newHandler(prefix)
			require.Error(t, err)
			assert.Nil(t, h)
			assert.True(t, errors.Is(err, tt.want), "got %v, want %v", err, tt.want)
			var ce *cors.ConfigError
			require.True(t, errors.As(err, &ce), "got %T", err)
			assert.True(t, strings.HasPrefix(ce.Field, prefix+"_"), "the error names the variable to fix: %v", err)
		})
	}
}

// TestMainRefusesToStart runs this test binary as the program itself, with a
// broken configuration, and checks that it exits non-zero printing why.
func TestMainRefusesToStart(t *testing.T) {
	if os.Getenv("ENVCONFIG_RUN_MAIN") == "1" {
		main()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestMainRefusesToStart$")
	cmd.Env = append(os.Environ(),
		"ENVCONFIG_RUN_MAIN=1",
		"CORS_ALLOWED_ORIGINS=https://app.example.com/",
		"ADDR=127.0.0.1:0", // never reached; loopback should it be
	)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "want a non-zero exit, got %v; output:\n%s", err, out)
	assert.Equal(t, 1, exit.ExitCode())
	assert.True(t, strings.Contains(string(out), "invalid CORS configuration"), "output:\n%s", out)
	assert.True(t, strings.Contains(string(out), "https://app.example.com/"), "the error names the bad value; output:\n%s", out)
}
