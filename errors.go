package cors

import (
	"errors"
	"strconv"
)

// Sentinel errors that [New], [Middleware.Reconfigure] and [FromEnv] wrap in
// a [*ConfigError]. Test for them with [errors.Is].
var (
	// ErrWildcardWithCredentials is returned when "*" is among the allowed
	// origins or the exposed headers and AllowCredentials is set: browsers
	// refuse "*" on credentialed requests, and reflecting every origin
	// instead would let any site read users' data.
	ErrWildcardWithCredentials = errors.New("wildcard with credentials")

	// ErrInvalidOrigin is returned for an allowed origin that browsers never
	// send, so it could never match (a trailing slash, upper case, a default
	// port), or that is unsafe to allow ("null", a credentialed pattern under
	// a public suffix, a credentialed plain-http origin other than loopback
	// without [Options.AllowInsecureHTTPOrigins], any port on a host other
	// than loopback).
	ErrInvalidOrigin = errors.New("invalid origin")

	// ErrNoOrigins is returned when AllowedOrigins is empty and no
	// LookupOrigin is set, almost always an unset variable.
	ErrNoOrigins = errors.New("no allowed origins")

	// ErrInvalidMethod is returned for an allowed method that is not an HTTP
	// token, that browsers never let scripts send (CONNECT, TRACE), or that
	// they upper-case ("put").
	ErrInvalidMethod = errors.New("invalid method")

	// ErrInvalidHeader is returned for a header name that is not an HTTP
	// token or is longer than the 128 bytes the preflight parser reads, and
	// for an exposed header that scripts can never read (Set-Cookie). An
	// allowed header that browsers set themselves (Cookie, Sec-*) is
	// accepted with a Warn record, and an empty AllowedHeaders means the
	// CORS-safelisted headers: neither is an error.
	ErrInvalidHeader = errors.New("invalid header name")

	// ErrInvalidMaxAge is returned for a MaxAge above 24h or not a whole
	// number of seconds, such as 300 (nanoseconds), meant as seconds.
	ErrInvalidMaxAge = errors.New("invalid max age")

	// ErrInvalidEnv is returned by FromEnv for a variable that does not
	// parse, such as a boolean or a duration.
	ErrInvalidEnv = errors.New("invalid environment variable")
)

// ConfigError is one problem in a configuration. [New] and [FromEnv] report
// every problem at once, joined with [errors.Join]; use [errors.As] to
// inspect one.
type ConfigError struct {
	// Field names the culprit: an Options field such as "AllowedOrigins",
	// from FromEnv the variable such as "CORS_ALLOWED_ORIGINS", or, from
	// NewRoutes, "Routes" (with the pattern as Value).
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

// maxPrintedValue bounds each value an error message quotes: a configuration
// value may be any size, and the message ends up in a log.
const maxPrintedValue = 512

// Error reads like `AllowedOrigins: "https://a.example/" has a trailing
// slash; use "https://a.example"`. Value and Fix are quoted up to 512 bytes,
// then cut short with their length; the fields themselves hold them whole.
func (e *ConfigError) Error() string {
	msg := e.Field + ": "
	if e.Value != "" || e.Reason == "" {
		msg += quoteBounded(e.Value) + " "
	}
	msg += e.Reason
	if e.Fix != "" {
		msg += `; use ` + quoteBounded(e.Fix)
	}
	return msg
}

// quoteBounded quotes s, or its first maxPrintedValue bytes and its length.
func quoteBounded(s string) string {
	if len(s) <= maxPrintedValue {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:maxPrintedValue]) + "...(" + strconv.Itoa(len(s)) + " bytes)"
}

// Unwrap returns the sentinel, for errors.Is.
func (e *ConfigError) Unwrap() error { return e.Err }
