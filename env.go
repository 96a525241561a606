package cors

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FromEnv reads Options from environment variables named after prefix, and
// validates them with the same rules as New. For prefix "CORS":
//
//	CORS_ALLOWED_ORIGINS    required, comma-separated: https://app.example.com,http://localhost:3000
//	CORS_ALLOWED_METHODS    comma-separated; unset means GET, HEAD, POST
//	CORS_ALLOWED_HEADERS    comma-separated, beyond the CORS-safelisted ones, always allowed
//	CORS_EXPOSED_HEADERS    comma-separated
//	CORS_ALLOW_CREDENTIALS  a Go boolean: true, false, 1, 0
//	CORS_MAX_AGE            whole seconds (600) or a Go duration (10m)
//
// White space around list items and empty items are ignored. With a
// non-empty prefix, a set variable that starts with it but is none of these
// is refused, naming the closest ("did you mean CORS_ALLOW_CREDENTIALS?").
// A value in quotes, and origins separated by semicolons or white space,
// are refused with the value to write instead. Every problem is reported at
// once, each *ConfigError naming its variable and its value as written.
func FromEnv(prefix string) (Options, error) {
	names := envNames(prefix)
	var o Options
	var problems []*ConfigError
	problems = append(problems, unknownEnv(prefix, names)...)
	list := func(name string) []string {
		items, problem := envList(name, name == names.origins)
		if problem != nil {
			problems = append(problems, problem)
		}
		return items
	}
	before := len(problems)
	o.AllowedOrigins = list(names.origins)
	if len(o.AllowedOrigins) == 0 && len(problems) == before {
		problems = append(problems, &ConfigError{Field: names.origins, Err: ErrNoOrigins,
			Reason: `is unset or empty; set it to the allowed origins, comma-separated, as in "https://app.example.com,http://localhost:3000"`})
	}
	o.AllowedMethods = list(names.methods)
	o.AllowedHeaders = list(names.headers)
	o.ExposedHeaders = list(names.exposed)
	scalar := func(name string) (string, bool) {
		v, ok := envValue(name)
		if u, quoted := unquote(v); quoted {
			problems = append(problems, quotedProblem(name, v, u))
			return "", false
		}
		return v, ok
	}
	if v, ok := scalar(names.credentials); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problems = append(problems, &ConfigError{Field: names.credentials, Value: v, Err: ErrInvalidEnv,
				Reason: "is not a boolean; use true or false"})
		}
		o.AllowCredentials = b
	}
	maxAge, ok := scalar(names.maxAge)
	if v := maxAge; ok {
		d, err := parseMaxAge(v)
		if err != nil {
			problems = append(problems, &ConfigError{Field: names.maxAge, Value: v, Err: ErrInvalidEnv,
				Reason: `is neither whole seconds ("600") nor a Go duration ("10m")`})
		}
		o.MaxAge = d
	}
	if _, c := build(o, names.field); c.problems != nil {
		for _, e := range c.problems {
			if e.Err == ErrNoOrigins { // already reported above, in the variable's terms
				continue
			}
			if e.Field == names.maxAge {
				e.Value = maxAge // as written, not as time.Duration prints it
			}
			problems = append(problems, e)
		}
	}
	if problems != nil {
		return Options{}, joinProblems(problems)
	}
	return o, nil
}

type envVarNames struct {
	origins, methods, headers, exposed, credentials, maxAge string
}

func envNames(prefix string) envVarNames {
	if prefix != "" && !strings.HasSuffix(prefix, "_") {
		prefix += "_"
	}
	return envVarNames{
		origins:     prefix + "ALLOWED_ORIGINS",
		methods:     prefix + "ALLOWED_METHODS",
		headers:     prefix + "ALLOWED_HEADERS",
		exposed:     prefix + "EXPOSED_HEADERS",
		credentials: prefix + "ALLOW_CREDENTIALS",
		maxAge:      prefix + "MAX_AGE",
	}
}

// field maps an Options field name to the variable that sets it.
func (n envVarNames) field(optionsField string) string {
	switch optionsField {
	case "AllowedOrigins":
		return n.origins
	case "AllowedMethods":
		return n.methods
	case "AllowedHeaders":
		return n.headers
	case "ExposedHeaders":
		return n.exposed
	case "AllowCredentials":
		return n.credentials
	case "MaxAge":
		return n.maxAge
	}
	return optionsField
}

// envValue returns a variable's trimmed value, and whether it is set to
// something other than white space.
func envValue(name string) (string, bool) {
	v := strings.TrimSpace(os.Getenv(name))
	return v, v != ""
}

// envList splits a comma-separated variable, dropping white space and empty
// items. It returns nil when nothing is left, so defaults apply, and a
// problem for a value in quotes and, for origins, whose items cannot hold
// either, for a list separated by semicolons or white space.
func envList(name string, origins bool) ([]string, *ConfigError) {
	v, ok := envValue(name)
	if !ok {
		return nil, nil
	}
	if u, quoted := unquote(v); quoted {
		return nil, quotedProblem(name, v, u)
	}
	if origins && strings.Contains(v, ";") {
		return nil, &ConfigError{Field: name, Value: v, Err: ErrInvalidEnv,
			Reason: "is separated with semicolons; separate the items with commas",
			Fix:    envJoin(strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' }))}
	}
	var list []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	for _, item := range list {
		if origins && strings.ContainsAny(item, " \t\r\n") {
			return nil, &ConfigError{Field: name, Value: v, Err: ErrInvalidEnv,
				Reason: "is separated with white space; separate the items with commas",
				Fix:    envJoin(strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n' }))}
		}
	}
	return list, nil
}

func envJoin(items []string) string {
	var kept []string
	for _, item := range items {
		if item = strings.TrimSpace(item); item != "" {
			kept = append(kept, item)
		}
	}
	return strings.Join(kept, ",")
}

// unquote removes one pair of matching quotes around v, which docker's
// env_file and some shells pass through into the value.
func unquote(v string) (string, bool) {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return strings.TrimSpace(v[1 : len(v)-1]), true
	}
	return v, false
}

func quotedProblem(name, v, unquoted string) *ConfigError {
	return &ConfigError{Field: name, Value: v, Err: ErrInvalidEnv, Fix: unquoted,
		Reason: "is in quotes, which became part of the value (docker's env_file keeps them); remove the quotes"}
}

// unknownEnv refuses each set variable that starts with prefix but is none
// of those FromEnv reads, naming the closest: a misspelled name is otherwise
// silently ignored and the mistake shows only in the browser.
func unknownEnv(prefix string, names envVarNames) []*ConfigError {
	if prefix == "" {
		return nil
	}
	start := strings.TrimSuffix(names.origins, "ALLOWED_ORIGINS")
	known := []string{names.origins, names.methods, names.headers, names.exposed, names.credentials, names.maxAge}
	var problems []*ConfigError
	for _, kv := range os.Environ() {
		name, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, start) || slices.Contains(known, name) {
			continue
		}
		closest, best := known[0], -1
		for _, k := range known {
			if d := editDistance(name, k); best < 0 || d < best {
				closest, best = k, d
			}
		}
		problems = append(problems, &ConfigError{Field: name, Value: v, Err: ErrInvalidEnv, Fix: closest,
			Reason: "is not a variable FromEnv reads; did you mean " + closest + "?"})
	}
	slices.SortFunc(problems, func(a, b *ConfigError) int { return strings.Compare(a.Field, b.Field) })
	return problems
}

// editDistance is the Levenshtein distance between two short names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func parseMaxAge(v string) (time.Duration, error) {
	if n, err := strconv.ParseInt(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(v)
}
