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
			ErrInvalidMaxAge, `CORS_MAX_AGE: "27h46m40s" is above 24h`},
		{"bad method", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_ALLOWED_METHODS": "put"},
			ErrInvalidMethod, `CORS_ALLOWED_METHODS: "put"`},
		{"bad header", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_ALLOWED_HEADERS": "X-A;b"},
			ErrInvalidHeader, `CORS_ALLOWED_HEADERS: "X-A;b"`},
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
