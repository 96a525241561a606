package cors

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMaxAgeNanosecondsFix: a whole number of nanoseconds under a second is
// seconds pasted from another library; the fix says so in Go, and the fix,
// fed back, is accepted, as is every MaxAge fix.
func TestMaxAgeNanosecondsFix(t *testing.T) {
	tests := []struct {
		maxAge time.Duration
		fix    string
	}{
		{300, "300 * time.Second"},
		{1, "1 * time.Second"},
		{86400, "86400 * time.Second"},
		{100000, "24 * time.Hour"},
		{999999999, "24 * time.Hour"},
		{1500 * time.Millisecond, "1s"},
		{25 * time.Hour, "24h"},
		{90*time.Minute + time.Millisecond, "1h30m"},
	}
	for _, tt := range tests {
		t.Run(tt.maxAge.String(), func(t *testing.T) {
			o := Options{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: tt.maxAge}
			_, err := New(o)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.ErrorIs(t, err, ErrInvalidMaxAge)
			assert.Equal(t, tt.fix, ce.Fix)
			o.MaxAge = goDuration(t, ce.Fix)
			_, err = New(o)
			assert.NoError(t, err, "the fix %q is accepted", ce.Fix)
		})
	}
	_, err := New(Options{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: 300})
	assert.ErrorContains(t, err, `MaxAge: "300ns" is under a second: a time.Duration counts nanoseconds`)
}

// goDuration evaluates a MaxAge fix: Go source "N * time.Second" or
// "N * time.Hour", or a duration as time.ParseDuration reads it.
func goDuration(t *testing.T, fix string) time.Duration {
	t.Helper()
	for suffix, unit := range map[string]time.Duration{" * time.Second": time.Second, " * time.Hour": time.Hour} {
		if n, ok := strings.CutSuffix(fix, suffix); ok {
			v, err := strconv.Atoi(n)
			require.NoError(t, err)
			return time.Duration(v) * unit
		}
	}
	d, err := time.ParseDuration(fix)
	require.NoError(t, err)
	return d
}
