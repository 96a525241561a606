package cors

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/method"
	"github.com/corsguard/cors/internal/origin"
)

// Options is a CORS policy. The zero value is refused by New: at least one
// origin must be allowed.
type Options struct {
	// AllowedOrigins lists the origins whose scripts may read responses,
	// exactly as browsers send them: "https://app.example.com",
	// "http://localhost:3000". "*" alone allows every origin (not with
	// AllowCredentials). "https://*.example.com" allows every subdomain of
	// example.com, at any depth, with that scheme and port, but not
	// example.com itself.
	AllowedOrigins []string

	// AllowedMethods lists the methods a preflight may ask for, compared
	// case-sensitively. GET, HEAD and POST are always allowed. "*" allows any
	// method. Default: GET, HEAD, POST.
	AllowedMethods []string

	// AllowedHeaders lists the request headers a preflight may ask for,
	// compared case-insensitively. "*" allows any, Authorization included.
	// Default: Accept, Accept-Language, Content-Language, Content-Type.
	AllowedHeaders []string

	// ExposedHeaders lists the response headers that scripts may read beyond
	// the CORS-safelisted ones. "*" exposes all (not with AllowCredentials).
	ExposedHeaders []string

	// AllowCredentials lets scripts send cookies and HTTP authentication and
	// read the response.
	AllowCredentials bool

	// MaxAge is how long browsers may cache a preflight's answer, in whole
	// seconds up to 24h. Zero means 10 minutes; negative sends
	// "Access-Control-Max-Age: 0", which disables caching. Chromium caps
	// the cache at 2h and Firefox at 24h.
	MaxAge time.Duration

	// Logger receives, at Error level, the panics the middleware recovers
	// and, at Debug level, why each refused request was refused. Nil means
	// slog.Default() at the time of logging.
	Logger *slog.Logger

	// PublicSuffixList, when set, decides which domains are public suffixes
	// (golang.org/x/net/publicsuffix.List fits), so that a credentialed
	// pattern such as "https://*.co.uk" is refused. Nil uses a short built-in
	// list: single-label domains, common second-level country domains and
	// popular shared hosting domains such as github.io.
	PublicSuffixList cookiejar.PublicSuffixList
}

const (
	defaultMaxAge = 10 * time.Minute
	maxMaxAge     = 24 * time.Hour
)

var (
	defaultMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost}
	defaultHeaders = []string{"Accept", "Accept-Language", "Content-Language", "Content-Type"}
)

// policy is Options compiled for the request path, which only reads it.
type policy struct {
	anyOrigin   bool
	origins     origin.Set
	credentials bool
	anyMethod   bool
	methods     []string // allowed beyond GET, HEAD and POST
	headers     *headerlist.Set
	headerList  string // the allowed names joined, to answer a list not worth echoing
	exposed     string // Access-Control-Expose-Headers value, or ""
	maxAge      string // Access-Control-Max-Age value
	logger      *slog.Logger
}

// compile validates o and builds the policy, reporting every problem at once.
func compile(o Options) (*policy, error) {
	p, problems := build(o, nil)
	if problems != nil {
		return nil, joinProblems(problems)
	}
	return p, nil
}

func joinProblems(problems []*ConfigError) error {
	errs := make([]error, len(problems))
	for i, e := range problems {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// build compiles o into a policy, or lists what is wrong with it. name maps
// an Options field to the name a problem reports it under (FromEnv's
// variables); nil keeps the field names.
func build(o Options, name func(field string) string) (*policy, []*ConfigError) {
	if name == nil {
		name = func(field string) string { return field }
	}
	c := collector{name: name}
	p := &policy{credentials: o.AllowCredentials, logger: o.Logger}
	c.origins(p, o)
	c.methods(p, o.AllowedMethods)
	c.headers(p, o.AllowedHeaders)
	c.exposed(p, o.ExposedHeaders)
	c.maxAge(p, o.MaxAge)
	if c.problems != nil {
		return nil, c.problems
	}
	return p, nil
}

// collector gathers problems so that a configuration is fixed in one pass.
type collector struct {
	problems []*ConfigError
	name     func(field string) string
}

func (c *collector) add(field, value, reason, fix string, sentinel error) {
	c.problems = append(c.problems, &ConfigError{Field: c.name(field), Value: value, Reason: reason, Fix: fix, Err: sentinel})
}

func (c *collector) origins(p *policy, o Options) {
	const field = "AllowedOrigins"
	if len(o.AllowedOrigins) == 0 {
		c.add(field, "", `is empty; list the origins allowed to read responses, as in "https://app.example.com"`, "", ErrNoOrigins)
		return
	}
	if slices.Contains(o.AllowedOrigins, "*") {
		p.anyOrigin = true
		if len(o.AllowedOrigins) > 1 {
			c.add(field, "*", `allows every origin, so the other entries mean nothing; list "*" alone or only the origins`, "", ErrInvalidOrigin)
		}
		if o.AllowCredentials {
			c.add(field, "*", `cannot go with `+c.name("AllowCredentials")+`: browsers refuse "*" on credentialed requests, `+
				`and allowing every origin with credentials would let any site read your users' data; list the origins instead`,
				"", ErrWildcardWithCredentials)
		}
	}
	for _, s := range o.AllowedOrigins {
		if s == "*" {
			continue
		}
		spec, err := origin.Parse(s)
		if err != nil {
			var oe *origin.Error
			errors.As(err, &oe)
			c.add(field, s, oe.Reason, oe.Fix, ErrInvalidOrigin)
			continue
		}
		if spec.Pattern && o.AllowCredentials && isPublicSuffix(spec.Host, o.PublicSuffixList) {
			c.add(field, s, "is a pattern directly under the public suffix "+strconv.Quote(spec.Host)+
				": with "+c.name("AllowCredentials")+" every site registered there could read your users' data; "+
				"list your own domain, as in \"https://*.app."+spec.Host+"\"", "", ErrInvalidOrigin)
			continue
		}
		p.origins.Add(spec)
	}
}

func (c *collector) methods(p *policy, methods []string) {
	const field = "AllowedMethods"
	if methods == nil {
		methods = defaultMethods
	}
	for _, m := range methods {
		switch {
		case m == "*":
			p.anyMethod = true
		case !headerlist.IsToken(m):
			c.add(field, m, "is not a valid method name", tokenFix(m), ErrInvalidMethod)
		case method.IsForbidden(m):
			c.add(field, m, "is a method that browsers never let scripts send", "", ErrInvalidMethod)
		case method.Normalize(m) != m:
			c.add(field, m, "never arrives in that case: browsers upper-case it", method.Normalize(m), ErrInvalidMethod)
		case method.IsSafelisted(m):
			// Always allowed: CORS-safelisted methods need no permission.
		case !slices.Contains(p.methods, m):
			p.methods = append(p.methods, m)
		}
	}
}

func (c *collector) headers(p *policy, headers []string) {
	if headers == nil {
		headers = defaultHeaders
	}
	valid := make([]string, 0, len(headers))
	anyHeader := false
	for _, h := range headers {
		if h == "*" {
			anyHeader = true
		} else if c.headerName("AllowedHeaders", h) {
			valid = append(valid, h)
		}
	}
	p.headers = headerlist.NewSet(valid)
	p.headers.Any = anyHeader
	p.headerList = strings.Join(p.headers.Names(), ",")
}

func (c *collector) exposed(p *policy, headers []string) {
	valid := make([]string, 0, len(headers))
	for _, h := range headers {
		switch {
		case h == "*" && p.credentials:
			c.add("ExposedHeaders", h, `cannot go with `+c.name("AllowCredentials")+`: browsers then read "*" as a header name `+
				`and expose nothing; list the headers instead`, "", ErrWildcardWithCredentials)
		case h == "*" || c.headerName("ExposedHeaders", h):
			if !slices.Contains(valid, h) {
				valid = append(valid, h)
			}
		}
	}
	p.exposed = strings.Join(valid, ", ")
}

func (c *collector) headerName(field, h string) bool {
	switch {
	case !headerlist.IsToken(h):
		c.add(field, h, "is not a valid header name", tokenFix(h), ErrInvalidHeader)
	case len(h) > headerlist.MaxNameLength:
		c.add(field, h, "is longer than "+strconv.Itoa(headerlist.MaxNameLength)+" bytes", "", ErrInvalidHeader)
	default:
		return true
	}
	return false
}

func (c *collector) maxAge(p *policy, d time.Duration) {
	switch {
	case d == 0:
		d = defaultMaxAge
	case d < 0:
		d = 0
	case d > maxMaxAge:
		c.add("MaxAge", d.String(), "is above 24h, longer than any browser caches a preflight", "24h0m0s", ErrInvalidMaxAge)
		return
	case d%time.Second != 0:
		c.add("MaxAge", d.String(), "is not a whole number of seconds", d.Truncate(time.Second).String(), ErrInvalidMaxAge)
		return
	}
	p.maxAge = strconv.FormatInt(int64(d/time.Second), 10)
}

func isPublicSuffix(domain string, list cookiejar.PublicSuffixList) bool {
	if list != nil && list.PublicSuffix(domain) == domain {
		return true
	}
	return origin.IsPublicSuffix(domain)
}

// tokenFix offers s without surrounding white space when that makes it a
// valid token, the usual mistake in lists split by hand.
func tokenFix(s string) string {
	if t := strings.TrimSpace(s); t != s && headerlist.IsToken(t) {
		return t
	}
	return ""
}
