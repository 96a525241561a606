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
//	CORS_ALLOWED_ORIGINS               required, comma-separated: https://app.example.com,http://localhost:3000
//	CORS_ALLOWED_METHODS               comma-separated; unset means GET, HEAD, POST
//	CORS_ALLOWED_HEADERS               comma-separated, beyond the CORS-safelisted ones, always allowed
//	CORS_EXPOSED_HEADERS               comma-separated
//	CORS_ALLOW_CREDENTIALS             a Go boolean: true, false, 1, 0
//	CORS_MAX_AGE                       whole seconds (600) or a Go duration (10m)
//	CORS_ALLOW_INSECURE_HTTP_ORIGINS   a Go boolean: Options.AllowInsecureHTTPOrigins
//
// White space around list items and empty items are ignored. With a
// non-empty prefix, a set variable that starts with it but is none of these
// is refused by name, never with its value, and with the name most likely
// meant (CORS_ORIGINS: use "CORS_ALLOWED_ORIGINS"). A value in quotes, whole
// or item by item, and items separated by semicolons or white space are
// refused with the value to write instead, which also corrects every item
// that has a fix. Every problem is reported at once, each *ConfigError
// naming its variable and its value as written (an unknown variable's value
// aside); feeding back every Fix gives a configuration FromEnv accepts,
// whenever each problem has one, except that a misnamed variable's value is
// checked only once it has the right name.
func FromEnv(prefix string) (Options, error) {
	names := envNames(prefix)
	var o Options
	r := envReader{names: names, lists: map[string]*envListProblem{}}
	r.problems = append(r.problems, unknownEnv(prefix, names)...)
	// An unknown variable meant for the origins already says what to set.
	before := len(r.problems)
	if slices.ContainsFunc(r.problems, func(e *ConfigError) bool { return e.Fix == names.origins }) {
		before = -1
	}
	o.AllowedOrigins = r.list(names.origins)
	if len(o.AllowedOrigins) == 0 && len(r.problems) == before {
		r.problems = append(r.problems, &ConfigError{Field: names.origins, Err: ErrNoOrigins,
			Reason: `is unset or empty; set it to the allowed origins, comma-separated, as in "https://app.example.com,http://localhost:3000"`})
	}
	o.AllowedMethods = r.list(names.methods)
	o.AllowedHeaders = r.list(names.headers)
	o.ExposedHeaders = r.list(names.exposed)
	o.AllowCredentials = r.boolean(names.credentials)
	o.AllowInsecureHTTPOrigins = r.boolean(names.insecureHTTP)
	maxAge, maxAgeQuoted := r.maxAge(&o)
	if _, c := build(o, names.field); c.problems != nil {
		for _, e := range c.problems {
			if e.Err == ErrNoOrigins { // already reported above, in the variable's terms
				continue
			}
			if e.Field == names.maxAge {
				e.Value = maxAge // as written, not as time.Duration prints it
				e.Fix = envMaxAgeFix(e.Fix)
				if maxAgeQuoted != nil { // one problem, whose Fix corrects both
					maxAgeQuoted.Reason += "; also, without them, it " + e.Reason
					maxAgeQuoted.Fix = e.Fix
					continue
				}
			}
			if l := r.lists[e.Field]; l != nil && e.Fix != "" {
				l.fixItem(e.Value, e.Fix)
			}
			r.problems = append(r.problems, e)
		}
	}
	if r.problems != nil {
		return Options{}, joinProblems(r.problems)
	}
	return o, nil
}

// envReader reads FromEnv's variables, gathering every problem.
type envReader struct {
	names    envVarNames
	problems []*ConfigError
	lists    map[string]*envListProblem // a list variable's problem with its shape, so items' fixes join its Fix
}

func (r *envReader) list(name string) []string {
	items, problem := envList(name)
	if problem != nil {
		r.problems = append(r.problems, problem.ConfigError)
		r.lists[name] = problem
	}
	return items
}

// scalar returns a variable's value without the quotes it may be in, and the
// problem that reports them, if any, for the caller to complete.
func (r *envReader) scalar(name string) (string, *ConfigError, bool) {
	v, ok := envValue(name)
	if u, quoted := unquote(v); quoted {
		p := quotedProblem(name, v, u)
		r.problems = append(r.problems, p)
		return u, p, u != ""
	}
	return v, nil, ok
}

// invalid reports a scalar value that does not parse: within the problem
// about its quotes when it has one, so that one Fix corrects both.
func (r *envReader) invalid(name, v string, quoted *ConfigError, reason, fix string) {
	if quoted != nil {
		quoted.Reason += "; also, without them, it " + reason
		quoted.Fix = fix
		return
	}
	r.problems = append(r.problems, &ConfigError{Field: name, Value: v, Err: ErrInvalidEnv, Reason: reason, Fix: fix})
}

func (r *envReader) boolean(name string) bool {
	v, quoted, ok := r.scalar(name)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.invalid(name, v, quoted, "is not a boolean: Go reads true, false, 1 or 0", boolFix(v))
	}
	return b
}

// boolFix offers the Go boolean that a yes/no word means.
func boolFix(v string) string {
	switch strings.ToLower(v) {
	case "yes", "y", "on", "enabled":
		return "true"
	case "no", "n", "off", "disabled":
		return "false"
	}
	return ""
}

// maxAge reads the max-age variable into o, returning it as written and the
// problem about its quotes, if any.
func (r *envReader) maxAge(o *Options) (string, *ConfigError) {
	v, quoted, ok := r.scalar(r.names.maxAge)
	if !ok {
		return v, quoted
	}
	d, err := parseMaxAge(v)
	if err != nil {
		r.invalid(r.names.maxAge, v, quoted, `is neither whole seconds ("600") nor a Go duration ("10m")`, "")
	}
	o.MaxAge = d
	if quoted != nil {
		return quoted.Value, quoted
	}
	return v, nil
}

// envMaxAgeFix writes New's fix for MaxAge as the variable takes it: Go
// source such as "300 * time.Second" becomes "300", "24 * time.Hour" "24h".
func envMaxAgeFix(fix string) string {
	if n, ok := strings.CutSuffix(fix, " * time.Second"); ok {
		return n
	}
	if n, ok := strings.CutSuffix(fix, " * time.Hour"); ok {
		return n + "h"
	}
	return fix
}

type envVarNames struct {
	origins, methods, headers, exposed, credentials, maxAge, insecureHTTP string
}

func envNames(prefix string) envVarNames {
	if prefix != "" && !strings.HasSuffix(prefix, "_") {
		prefix += "_"
	}
	return envVarNames{
		origins:      prefix + "ALLOWED_ORIGINS",
		methods:      prefix + "ALLOWED_METHODS",
		headers:      prefix + "ALLOWED_HEADERS",
		exposed:      prefix + "EXPOSED_HEADERS",
		credentials:  prefix + "ALLOW_CREDENTIALS",
		maxAge:       prefix + "MAX_AGE",
		insecureHTTP: prefix + "ALLOW_INSECURE_HTTP_ORIGINS",
	}
}

// all lists every variable FromEnv reads.
func (n envVarNames) all() []string {
	return []string{n.origins, n.methods, n.headers, n.exposed, n.credentials, n.maxAge, n.insecureHTTP}
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
	case "AllowInsecureHTTPOrigins":
		return n.insecureHTTP
	}
	return optionsField
}

// envValue returns a variable's trimmed value, and whether it is set to
// something other than white space.
func envValue(name string) (string, bool) {
	v := strings.TrimSpace(os.Getenv(name))
	return v, v != ""
}

func parseMaxAge(v string) (time.Duration, error) {
	if n, err := strconv.ParseInt(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(v)
}
