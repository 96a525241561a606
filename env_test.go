package cors

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFromEnv(t *testing.T) {
	t.Setenv("CORS_ALLOWED_ORIGINS", " https://app.example.com, ,http://localhost:3000,")
	t.Setenv("CORS_ALLOWED_METHODS", "PUT, DELETE")
	t.Setenv("CORS_ALLOWED_HEADERS", "Content-Type,X-Api-Key")
	t.Setenv("CORS_EXPOSED_HEADERS", "X-Request-Id")
	t.Setenv("CORS_ALLOW_CREDENTIALS", "true")
	t.Setenv("CORS_MAX_AGE", "600")
	o, err := FromEnv("CORS")
	require.NoError(t, err)
	assert.Equal(t, Options{
		AllowedOrigins:   []string{"https://app.example.com", "http://localhost:3000"},
		AllowedMethods:   []string{"PUT", "DELETE"},
		AllowedHeaders:   []string{"Content-Type", "X-Api-Key"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: true,
		MaxAge:           10 * time.Minute,
	}, o)
	_, err = New(o)
	assert.NoError(t, err)
}

func TestFromEnvDefaultsAndPrefixes(t *testing.T) {
	t.Setenv("MYAPI_CORS_ALLOWED_ORIGINS", "https://a.example")
	t.Setenv("MYAPI_CORS_MAX_AGE", "1h30m")
	t.Setenv("MYAPI_CORS_ALLOWED_METHODS", " ")
	for _, prefix := range []string{"MYAPI_CORS", "MYAPI_CORS_"} {
		o, err := FromEnv(prefix)
		require.NoError(t, err)
		assert.Equal(t, Options{AllowedOrigins: []string{"https://a.example"}, MaxAge: 90 * time.Minute}, o)
	}
	t.Setenv("ALLOWED_ORIGINS", "https://b.example")
	o, err := FromEnv("")
	require.NoError(t, err)
	assert.Equal(t, []string{"https://b.example"}, o.AllowedOrigins)
}

func TestFromEnvErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		sentinel error
		message  string
	}{
		{"unset origins", map[string]string{}, ErrNoOrigins, `CORS_ALLOWED_ORIGINS: is unset or empty`},
		{"empty origins", map[string]string{"CORS_ALLOWED_ORIGINS": " , "}, ErrNoOrigins, `CORS_ALLOWED_ORIGINS: is unset or empty`},
		{"trailing slash", map[string]string{"CORS_ALLOWED_ORIGINS": "https://app.example.com/"}, ErrInvalidOrigin,
			`CORS_ALLOWED_ORIGINS: "https://app.example.com/" has a trailing slash; use "https://app.example.com"`},
		{"wildcard with credentials", map[string]string{"CORS_ALLOWED_ORIGINS": "*", "CORS_ALLOW_CREDENTIALS": "1"},
			ErrWildcardWithCredentials, `CORS_ALLOWED_ORIGINS: "*" cannot go with CORS_ALLOW_CREDENTIALS`},
		{"bad boolean", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_ALLOW_CREDENTIALS": "yes"},
			ErrInvalidEnv, `CORS_ALLOW_CREDENTIALS: "yes" is not a boolean`},
		{"bad duration", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_MAX_AGE": "10 minutes"},
			ErrInvalidEnv, `CORS_MAX_AGE: "10 minutes" is neither whole seconds`},
		{"max age too long", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_MAX_AGE": "100000"},
			ErrInvalidMaxAge, `CORS_MAX_AGE: "100000" is above 24h`},
		{"bad method", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_ALLOWED_METHODS": "put"},
			ErrInvalidMethod, `CORS_ALLOWED_METHODS: "put"`},
		{"bad header", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_ALLOWED_HEADERS": "X-A@b"},
			ErrInvalidHeader, `CORS_ALLOWED_HEADERS: "X-A@b"`},
		{"bad exposed", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_EXPOSED_HEADERS": "a@b"},
			ErrInvalidHeader, `CORS_EXPOSED_HEADERS: "a@b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"ALLOWED_ORIGINS", "ALLOWED_METHODS", "ALLOWED_HEADERS", "EXPOSED_HEADERS", "ALLOW_CREDENTIALS", "MAX_AGE"} {
				t.Setenv("CORS_"+k, tt.env["CORS_"+k])
			}
			o, err := FromEnv("CORS")
			require.Error(t, err)
			assert.Equal(t, Options{}, o)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.Contains(t, err.Error(), tt.message)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Contains(t, ce.Field, "CORS_")
		})
	}
}

func TestFromEnvReportsEveryProblem(t *testing.T) {
	t.Setenv("CORS_ALLOWED_ORIGINS", "https://a.example/,b.example")
	t.Setenv("CORS_ALLOW_CREDENTIALS", "maybe")
	t.Setenv("CORS_MAX_AGE", "soon")
	_, err := FromEnv("CORS")
	require.Error(t, err)
	assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 4)
}

func TestFromEnvRefusesUnknownVariables(t *testing.T) {
	for name, want := range map[string]string{
		"CORS_ALLOWED_CREDENTIALS": "CORS_ALLOW_CREDENTIALS",
		"CORS_MAXAGE":              "CORS_MAX_AGE",
		"CORS_ALLOW_HEADERS":       "CORS_ALLOWED_HEADERS",
		"CORS_ALLOWED_ORGINS":      "CORS_ALLOWED_ORIGINS",
	} {
		t.Run(name, func(t *testing.T) {
			if name != "CORS_ALLOWED_ORGINS" {
				t.Setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com")
			}
			t.Setenv(name, "x")
			_, err := FromEnv("CORS")
			require.ErrorIs(t, err, ErrInvalidEnv)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, name, ce.Field)
			assert.Equal(t, want, ce.Fix)
			assert.Contains(t, err.Error(), name+`: is not a variable FromEnv reads; use "`+want+`"`)
			assert.NotContains(t, err.Error(), "did you mean", "the name is said once")
		})
	}
	// Without a prefix nothing names the library's variables.
	t.Setenv("ALLOWED_ORIGINS", "https://app.example.com")
	t.Setenv("ALLOWED_CREDENTIALS", "true")
	_, err := FromEnv("")
	assert.NoError(t, err)
}

func TestFromEnvExplainsListSeparatorsAndQuotes(t *testing.T) {
	for _, tt := range []struct{ name, value, reason, fix string }{
		{"CORS_ALLOWED_ORIGINS", "https://app.example.com;http://localhost:3000", "separated with semicolons", "https://app.example.com,http://localhost:3000"},
		{"CORS_ALLOWED_ORIGINS", "https://a.example http://b.example", "separated with white space", "https://a.example,http://b.example"},
		{"CORS_ALLOWED_ORIGINS", `"https://a.example,http://b.example"`, "remove the quotes", "https://a.example,http://b.example"},
		{"CORS_ALLOW_CREDENTIALS", `'true'`, "remove the quotes", "true"},
		{"CORS_MAX_AGE", `"600"`, "remove the quotes", "600"},
	} {
		t.Run(tt.value, func(t *testing.T) {
			if tt.name != "CORS_ALLOWED_ORIGINS" {
				t.Setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com")
			}
			t.Setenv(tt.name, tt.value)
			_, err := FromEnv("CORS")
			require.ErrorIs(t, err, ErrInvalidEnv)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.name, ce.Field)
			assert.Equal(t, tt.value, ce.Value)
			assert.Contains(t, ce.Reason, tt.reason)
			assert.Equal(t, tt.fix, ce.Fix)
			assert.NotErrorIs(t, err, ErrNoOrigins, "one problem, not a second about an empty list")
			t.Setenv(tt.name, tt.fix)
			_, err = FromEnv("CORS")
			assert.NoError(t, err, "the fix works")
		})
	}
}

func TestConfigErrorValueAsWritten(t *testing.T) {
	t.Setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com")
	t.Setenv("CORS_MAX_AGE", "48h")
	_, err := FromEnv("CORS")
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "48h", ce.Value)
	assert.Equal(t, "24h", ce.Fix)

	_, err = New(Options{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: 48 * time.Hour})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "48h", ce.Value)
	_, err = New(Options{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: 90*time.Minute + 1500*time.Millisecond})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "1h30m1.5s", ce.Value)
	assert.Equal(t, "1h30m1s", ce.Fix)
	_, err = New(Options{AllowedOrigins: []string{"https://app.example.com"}, MaxAge: 10*time.Minute + time.Millisecond})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "10m", ce.Fix)
}
