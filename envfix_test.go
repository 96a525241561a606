package cors

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setEnv sets the variables of env, and clears every other CORS_ one for the
// test.
func setEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "CORS_") {
			t.Setenv(name, "")
			require.NoError(t, os.Unsetenv(name))
		}
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
}

func configErrors(t *testing.T, err error) []*ConfigError {
	t.Helper()
	var all []*ConfigError
	for _, e := range unjoin(err) {
		var ce *ConfigError
		require.ErrorAs(t, e, &ce)
		all = append(all, ce)
	}
	return all
}

// applyFixes feeds every Fix back as a user would: an unknown variable is
// renamed; a fix for a whole value replaces it; a fix for one item of a list
// replaces that item.
func applyFixes(t *testing.T, env map[string]string, problems []*ConfigError) map[string]string {
	t.Helper()
	fixed := map[string]string{}
	for k, v := range env {
		fixed[k] = v
	}
	known := envNames("CORS").all()
	for _, p := range problems {
		require.NotEmpty(t, p.Fix, "every problem here has a fix: %v", p)
		switch {
		case !slices.Contains(known, p.Field):
			fixed[p.Fix] = fixed[p.Field]
			delete(fixed, p.Field)
		case strings.TrimSpace(fixed[p.Field]) == p.Value:
			fixed[p.Field] = p.Fix
		default: // an item, unless a fix for the whole value has corrected it already
			fixed[p.Field] = strings.Replace(fixed[p.Field], p.Value, p.Fix, 1)
		}
	}
	return fixed
}

// TestFromEnvFixesPassWhenFedBack: a value with several mistakes, and several
// variables with mistakes, get every fix in one round; applying them all gives
// a configuration FromEnv accepts.
func TestFromEnvFixesPassWhenFedBack(t *testing.T) {
	const origins = "CORS_ALLOWED_ORIGINS"
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"quotes and a trailing slash", map[string]string{origins: `"https://app.example.com/"`}},
		{"semicolons and trailing slashes", map[string]string{origins: `https://a.example/;http://localhost:3000/`}},
		{"white space, a slash and upper case", map[string]string{origins: `https://a.example/ https://B.example`}},
		{"quoted items and a slash", map[string]string{origins: `'https://a.example', 'http://localhost:3000/'`}},
		{"quoted header items", map[string]string{origins: "https://a.example", "CORS_ALLOWED_HEADERS": `"X-Api-Key","X-Request-Id"`}},
		{"quoted method items in lower case", map[string]string{origins: "https://a.example", "CORS_ALLOWED_METHODS": `'put', 'delete'`}},
		{"quoted max age above 24h", map[string]string{origins: "https://a.example", "CORS_MAX_AGE": `"100000"`}},
		{"max age in nanoseconds", map[string]string{origins: "https://a.example", "CORS_MAX_AGE": "300ns"}},
		{"quoted yes", map[string]string{origins: "https://a.example", "CORS_ALLOW_CREDENTIALS": `"yes"`}},
		{"on", map[string]string{origins: "https://a.example", "CORS_ALLOW_CREDENTIALS": "on"}},
		{"misnamed origins", map[string]string{"CORS_ORIGINS": "https://a.example"}},
		{"plain http with credentials, semicolons", map[string]string{
			origins: "http://app.example.com;http://localhost:3000", "CORS_ALLOW_CREDENTIALS": "true"}},
		{"a mistake in every variable", map[string]string{
			origins: "https://a.example/, HTTPS://b.example", "CORS_ALLOWED_METHODS": "put",
			"CORS_ALLOWED_HEADERS": " X-A ;X-B", "CORS_ALLOW_CREDENTIAL": "true", "CORS_MAX_AGE": "48h"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setEnv(t, tt.env)
			_, err := FromEnv("CORS")
			require.Error(t, err)
			problems := configErrors(t, err)
			for _, p := range problems {
				assert.NotContains(t, p.Error(), "did you mean")
			}
			fixed := applyFixes(t, tt.env, problems)
			setEnv(t, fixed)
			_, err = FromEnv("CORS")
			assert.NoError(t, err, "after the fixes %v", fixed)
		})
	}
}

// TestFromEnvQuotedItemsFix: a list quoted item by item is read as meant, and
// the offered fix is the list without quotes, which FromEnv accepts.
func TestFromEnvQuotedItemsFix(t *testing.T) {
	for value, fix := range map[string]string{
		`"X-Api-Key","X-Request-Id"`: "X-Api-Key,X-Request-Id",
		`'a', 'b'`:                   "a,b",
		`"X-Api-Key", ,"X-B"`:        "X-Api-Key,X-B",
	} {
		t.Run(value, func(t *testing.T) {
			setEnv(t, map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_ALLOWED_HEADERS": value})
			_, err := FromEnv("CORS")
			problems := configErrors(t, err)
			require.Len(t, problems, 1)
			assert.Equal(t, fix, problems[0].Fix)
			assert.Contains(t, problems[0].Reason, "remove the quotes")
			t.Setenv("CORS_ALLOWED_HEADERS", fix)
			_, err = FromEnv("CORS")
			assert.NoError(t, err)
		})
	}
}

// TestFromEnvSuggestsAllowedOrigins: the name suggested for an unknown
// variable is the one meant, judged by the words it shares before edits;
// a name near none gets no suggestion but the list of names read.
func TestFromEnvSuggestsAllowedOrigins(t *testing.T) {
	for name, want := range map[string]string{
		"CORS_ORIGINS":             "CORS_ALLOWED_ORIGINS",
		"CORS_ORIGIN":              "CORS_ALLOWED_ORIGINS",
		"CORS_ALLOW_ORIGINS":       "CORS_ALLOWED_ORIGINS",
		"CORS_ALLOWED_ORIGIN":      "CORS_ALLOWED_ORIGINS",
		"CORS_ALLOWEDORIGINS":      "CORS_ALLOWED_ORIGINS",
		"CORS_ALLOWED_ORGINS":      "CORS_ALLOWED_ORIGINS",
		"CORS_CREDENTIALS":         "CORS_ALLOW_CREDENTIALS",
		"CORS_ALLOWED_CREDENTIALS": "CORS_ALLOW_CREDENTIALS",
		"CORS_HEADERS":             "CORS_ALLOWED_HEADERS",
		"CORS_ALLOW_HEADERS":       "CORS_ALLOWED_HEADERS",
		"CORS_EXPOSE_HEADERS":      "CORS_EXPOSED_HEADERS",
		"CORS_METHODS":             "CORS_ALLOWED_METHODS",
		"CORS_MAXAGE":              "CORS_MAX_AGE",
		"CORS_MAX_AGE_SECONDS":     "CORS_MAX_AGE",
		"CORS_INSECURE_HTTP":       "CORS_ALLOW_INSECURE_HTTP_ORIGINS",
		"CORS_DATABASE_PASSWORD":   "",
		"CORS_ENABLED":             "",
	} {
		t.Run(name, func(t *testing.T) {
			setEnv(t, map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", name: "x"})
			_, err := FromEnv("CORS")
			problems := configErrors(t, err)
			require.Len(t, problems, 1)
			assert.Equal(t, name, problems[0].Field)
			assert.Equal(t, want, problems[0].Fix)
			if want == "" {
				assert.Contains(t, problems[0].Error(), "it reads CORS_ALLOWED_ORIGINS, CORS_ALLOWED_METHODS")
			} else {
				assert.Equal(t, name+`: is not a variable FromEnv reads; use "`+want+`"`, problems[0].Error())
			}
		})
	}
}

// TestFromEnvUnknownVariableValueNotPrinted: an unknown variable is named,
// never its value, which may be a secret bound for the startup log.
func TestFromEnvUnknownVariableValueNotPrinted(t *testing.T) {
	const secret = "hunter2-correct-horse-battery-staple"
	setEnv(t, map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_DATABASE_PASSWORD": secret, "CORS_ORIGINS": secret})
	_, err := FromEnv("CORS")
	require.ErrorIs(t, err, ErrInvalidEnv)
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, err.Error(), "hunter2")
	for _, p := range configErrors(t, err) {
		assert.Empty(t, p.Value)
	}
	assert.Contains(t, err.Error(), "CORS_DATABASE_PASSWORD")
}

// TestFromEnvPrintedValuesAreBounded: a 64 KiB value makes an error of a few
// hundred bytes, whatever part of it is wrong; the ConfigError keeps it whole.
func TestFromEnvPrintedValuesAreBounded(t *testing.T) {
	huge := strings.Repeat("a", 64<<10)
	for name, env := range map[string]map[string]string{
		"one long origin":   {"CORS_ALLOWED_ORIGINS": "https://" + huge + ".example"},
		"long, semicolons":  {"CORS_ALLOWED_ORIGINS": "https://a.example/;https://" + huge + ".example"},
		"long quoted":       {"CORS_ALLOWED_ORIGINS": `"https://a.example/,` + huge + `"`},
		"long header":       {"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_ALLOWED_HEADERS": huge + "@"},
		"long boolean":      {"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_ALLOW_CREDENTIALS": huge},
		"long unknown":      {"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_SOMETHING": huge},
		"long unknown name": {"CORS_ALLOWED_ORIGINS": "https://a.example", "CORS_" + strings.ToUpper(huge[:4096]): "x"},
	} {
		t.Run(name, func(t *testing.T) {
			setEnv(t, env)
			_, err := FromEnv("CORS")
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 4<<10, "%.300s", err.Error())
			var ce *ConfigError
			if errors.As(err, &ce) && ce.Value != "" && len(ce.Value) > maxPrintedValue {
				assert.Contains(t, ce.Error(), "bytes)")
			}
		})
	}
	_, err := New(Options{AllowedOrigins: []string{"https://" + huge}})
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 4<<10)
}

// FuzzParseEnvList: any value is read without panic, and a list problem's Fix
// reads as the same items with no problem of its shape left.
func FuzzParseEnvList(f *testing.F) {
	for _, seed := range []string{`"X-Api-Key","X-Request-Id"`, `'a', 'b'`, `"https://a.example/";'http://b.example'`,
		"https://a.example http://b.example", `"a,b"`, `''`, `"`, `a;;b`, `'a';"b"`, `" 'a' "`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		items, problem := parseEnvList("CORS_X", v)
		if problem == nil {
			return
		}
		require.Equal(t, strings.Join(items, ","), problem.Fix)
		if problem.Fix == "" {
			return
		}
		again, second := parseEnvList("CORS_X", problem.Fix)
		if !strings.ContainsAny(problem.Fix, `"'`) { // quotes inside an item are the item's own problem
			assert.Nil(t, second, "the fix %q of %q", problem.Fix, v)
			assert.Equal(t, items, again)
		}
	})
}
