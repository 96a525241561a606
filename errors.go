package cors

import (
	"errors"
	"strconv"
)

// Sentinel errors that New, Reconfigure and FromEnv wrap in a *ConfigError.
// Test for them with errors.Is.
var (
	// ErrWildcardWithCredentials: "*" origins or exposed headers together with
	// AllowCredentials. Browsers refuse "*" on credentialed requests, and
	// reflecting every origin instead would let any site read users' data.
	ErrWildcardWithCredentials = errors.New("wildcard with credentials")
	// ErrInvalidOrigin: an origin that browsers never send, so it could never
	// match, or an unsafe one such as "null" or a pattern under a public suffix.
	ErrInvalidOrigin = errors.New("invalid origin")
	// ErrNoOrigins: an empty AllowedOrigins, almost always an unset variable.
	ErrNoOrigins = errors.New("no allowed origins")
	// ErrInvalidMethod: a method that is not an HTTP token, or that browsers
	// never send in that form.
	ErrInvalidMethod = errors.New("invalid method")
	// ErrInvalidHeader: a header name that is not an HTTP token, or is
	// longer than the 128 bytes the preflight parser reads.
	ErrInvalidHeader = errors.New("invalid header name")
	// ErrInvalidMaxAge: a MaxAge above 24h or not a whole number of seconds.
	ErrInvalidMaxAge = errors.New("invalid max age")
	// ErrInvalidEnv: an environment variable that does not parse, such as a
	// boolean or a duration.
	ErrInvalidEnv = errors.New("invalid environment variable")
)

// ConfigError is one problem in a configuration. New and FromEnv report every
// problem at once, joined with errors.Join; use errors.As to inspect one.
type ConfigError struct {
	// Field names the culprit: an Options field such as "AllowedOrigins", or,
	// from FromEnv, the variable such as "CORS_ALLOWED_ORIGINS".
	Field string
	// Value is the offending value, as written.
	Value string
	// Reason says what is wrong, as in `has a trailing slash`.
	Reason string
	// Fix is what to write instead, when it can be worked out.
	Fix string
	// Err is the sentinel this problem belongs to, such as ErrInvalidOrigin.
	Err error
}

// Error reads like `AllowedOrigins: "https://a.example/" has a trailing
// slash; use "https://a.example"`.
func (e *ConfigError) Error() string {
	msg := e.Field + ": "
	if e.Value != "" || e.Reason == "" {
		msg += strconv.Quote(e.Value) + " "
	}
	msg += e.Reason
	if e.Fix != "" {
		msg += `; use ` + strconv.Quote(e.Fix)
	}
	return msg
}

// Unwrap returns the sentinel, for errors.Is.
func (e *ConfigError) Unwrap() error { return e.Err }
