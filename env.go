package cors

import (
	"os"
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
// White space around list items and empty items are ignored. Every problem
// is reported at once, each *ConfigError naming its variable and value.
func FromEnv(prefix string) (Options, error) {
	names := envNames(prefix)
	var o Options
	var problems []*ConfigError
	o.AllowedOrigins = envList(names.origins)
	if len(o.AllowedOrigins) == 0 {
		problems = append(problems, &ConfigError{Field: names.origins, Err: ErrNoOrigins,
			Reason: `is unset or empty; set it to the allowed origins, comma-separated, as in "https://app.example.com,http://localhost:3000"`})
	}
	o.AllowedMethods = envList(names.methods)
	o.AllowedHeaders = envList(names.headers)
	o.ExposedHeaders = envList(names.exposed)
	if v, ok := envValue(names.credentials); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problems = append(problems, &ConfigError{Field: names.credentials, Value: v, Err: ErrInvalidEnv,
				Reason: "is not a boolean; use true or false"})
		}
		o.AllowCredentials = b
	}
	if v, ok := envValue(names.maxAge); ok {
		d, err := parseMaxAge(v)
		if err != nil {
			problems = append(problems, &ConfigError{Field: names.maxAge, Value: v, Err: ErrInvalidEnv,
				Reason: `is neither whole seconds ("600") nor a Go duration ("10m")`})
		}
		o.MaxAge = d
	}
	if _, c := build(o, names.field); c.problems != nil {
		for _, e := range c.problems {
			if e.Err != ErrNoOrigins { // already reported above, in the variable's terms
				problems = append(problems, e)
			}
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
// items. It returns nil when nothing is left, so defaults apply.
func envList(name string) []string {
	v, ok := envValue(name)
	if !ok {
		return nil
	}
	var list []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	return list
}

func parseMaxAge(v string) (time.Duration, error) {
	if n, err := strconv.ParseInt(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(v)
}
