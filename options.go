package cors

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/corsguard/cors/internal/fetchheader"
	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/method"
	"github.com/corsguard/cors/internal/origin"
)

// Options is a CORS policy. The zero value is refused by [New]: at least one
// origin must be allowed, in AllowedOrigins or through LookupOrigin.
type Options struct {
	// AllowedOrigins lists the origins whose scripts may read responses,
	// exactly as browsers send them: "https://app.example.com",
	// "http://localhost:3000". "*" alone allows every origin (not with
	// AllowCredentials). Patterns match by DNS labels, never by substrings:
	//   - "https://*.example.com" allows every subdomain of example.com, at
	//     any depth, with that scheme and port, but not example.com itself;
	//   - "https://myapp-*-acme.vercel.app" allows one label with that
	//     prefix and suffix in front of vercel.app (preview deployments);
	//     with AllowCredentials it is refused under a public suffix, where
	//     anyone can register a matching name;
	//   - "http://localhost:*" allows every port of localhost, and of
	//     localhost only, for dev servers whose port moves; ":*" is allowed
	//     on loopback hosts alone, each written out: "http://127.0.0.1:*",
	//     "http://[::1]:*", "http://*.localhost:*". Any other host must list
	//     its ports.
	AllowedOrigins []string

	// AllowedMethods lists the methods a preflight may ask for, compared
	// case-sensitively. GET, HEAD and POST are always allowed. "*" allows any
	// method. Default: GET, HEAD, POST.
	AllowedMethods []string

	// AllowedHeaders lists the request headers a preflight may ask for,
	// beyond the CORS-safelisted Accept, Accept-Language, Content-Language
	// and Content-Type, which are always allowed (so nil and empty mean
	// those four). Names compare case-insensitively. "*" allows any,
	// Authorization included. A name that browsers set themselves and never
	// let scripts set (Origin, Cookie, Content-Length, Accept-Encoding,
	// Sec-*, Proxy-*, ...) is accepted and has no effect, since no preflight
	// asks for it: New and Reconfigure report each such entry once, in a
	// Warn record through Logger, so that a list pasted from another library
	// still starts the server.
	AllowedHeaders []string

	// ExposedHeaders lists the response headers that scripts may read beyond
	// the CORS-safelisted ones. "*" exposes all (not with AllowCredentials).
	// Set-Cookie is refused: browsers never let scripts read it.
	ExposedHeaders []string

	// AllowCredentials lets scripts send cookies and HTTP authentication and
	// read the response. It refuses a plain-http origin or pattern, except on
	// loopback hosts (localhost, *.localhost, 127.0.0.0/8, [::1]): anyone on
	// the network path of an http page can inject script into it and read
	// your users' data with their cookies. See AllowInsecureHTTPOrigins.
	AllowCredentials bool

	// AllowInsecureHTTPOrigins accepts plain-http origins off loopback with
	// AllowCredentials, and in [Middleware.AllowsOrigin] and
	// [Middleware.CheckOrigin], for an intranet whose pages really are
	// served over plain http. It trusts every network the pages cross: anyone
	// who can change such a page in transit reads your users' data. Leave it
	// false and serve the pages over https.
	AllowInsecureHTTPOrigins bool

	// MaxAge is how long browsers may cache a preflight's answer, in whole
	// seconds up to 24h: write 300 * time.Second, since a bare 300 is 300ns
	// (refused, with that fix). Zero means 10 minutes; negative sends
	// "Access-Control-Max-Age: 0", which disables caching. Browsers cap
	// what they keep: WebKit (Safari) at 600 s, Chromium at 2h, Firefox at
	// 24h.
	MaxAge time.Duration

	// Logger receives, at Error level, the panics the middleware recovers
	// and the errors of LookupOrigin and, at Debug level, why each refused
	// request was refused. Nil means slog.Default() at the time of logging.
	// Every value taken from a request is cut short, and each kind of record
	// is limited to 10 a second per Middleware; the next record logged
	// counts those dropped in its "suppressed" attribute.
	Logger *slog.Logger

	// OnRefused, when set, is called once for each refused request, before
	// the response is written, for metrics and alerts: a refused origin on
	// any request, a refused method or header on a preflight, or a request
	// no browser sends. Label metrics by why.Kind, never by why.Value: any
	// client chooses it. It runs on the request's goroutine, so it must be
	// quick; a panic in it is logged and the request goes on. Nil costs
	// nothing.
	OnRefused func(r *http.Request, why Refusal)

	// LookupOrigin, when set, is asked about an origin that AllowedOrigins
	// does not list, for origins kept in a database, such as customers' own
	// domains. See [LookupOriginTimeout] and the package example.
	//
	// It is consulted only after the exact origins and patterns miss, and
	// only for an origin in the exact form browsers send (scheme://host[:port],
	// lower case, at most 512 bytes, never "null"), so an exact lookup in a
	// set or a table is right. Its answer must depend on the origin alone,
	// which is why it never sees the request: responses vary by Origin, and
	// caches keep one answer per origin.
	//
	// An error, a panic or the deadline refuses the origin (fails closed) and
	// is logged at Error level. The middleware keeps no cache: serve the
	// answer from memory, such as a snapshot map swapped atomically when the
	// table changes, rather than with a query per request.
	//
	// With AllowCredentials, every origin it allows reads responses made
	// with the user's cookies: trusting tenants' origins that way lets any
	// tenant read the data of any user logged in to the API. Prefer tenant
	// origins under a second [Middleware] without AllowCredentials, or
	// sessions that each belong to one tenant (examples/frameworks/tenants).
	LookupOrigin func(ctx context.Context, origin string) (allowed bool, err error)

	// PublicSuffixList, when set, adds its public suffixes to those of the
	// complete Public Suffix List built into the library, which always
	// applies: a pattern is treated as under a public suffix when either
	// says so, so a list can only make the check stricter (a list of your
	// own private suffixes fits). The built-in list alone finds suffixes
	// two or more labels below a pattern's base ("up.railway.app" under
	// "https://*.railway.app"), which a cookiejar.PublicSuffixList cannot
	// answer.
	PublicSuffixList cookiejar.PublicSuffixList
}

// listSeparator joins every list the middleware writes (allowed methods and
// headers, exposed headers) in the shape browsers give their own
// Access-Control-Request-Headers, which a preflight's answer may echo: so
// every list in a response looks alike.
const listSeparator = ","

const (
	defaultMaxAge = 10 * time.Minute
	maxMaxAge     = 24 * time.Hour
)

var (
	defaultMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost}
	// safelistedHeaders are the CORS-safelisted request-header names
	// (Fetch, "CORS-safelisted request-header"), always allowed.
	safelistedHeaders = []string{"Accept", "Accept-Language", "Content-Language", "Content-Type"}
)

// policy is Options compiled for the request path, which only reads it.
type policy struct {
	anyOrigin   bool
	origins     origin.Set
	named       *origin.Set // the origins AllowsOrigin keeps (see keptByName); nil when the same
	lookup      func(ctx context.Context, origin string) (bool, error)
	credentials bool
	insecure    bool // AllowInsecureHTTPOrigins
	anyMethod   bool
	methods     []string // allowed beyond GET, HEAD and POST
	methodList  string   // every allowed method joined, for a refused preflight; "" for any
	headers     *headerlist.Set
	headerList  string // the allowed names joined, to answer a list not worth echoing
	exposed     string // Access-Control-Expose-Headers value, or ""
	maxAge      string // Access-Control-Max-Age value
	logger      *slog.Logger
	onRefused   func(*http.Request, Refusal)
	limits      *logLimits // the Middleware's; set when it is stored
}

// compile validates o and builds the policy, reporting every problem at once.
func compile(o Options) (*policy, error) {
	p, c := build(o, nil)
	if c.problems != nil {
		return nil, joinProblems(c.problems)
	}
	for _, w := range c.warnings {
		p.log().LogAttrs(context.Background(), slog.LevelWarn, "cors: configuration entry accepted, but it has no effect",
			slog.String("field", w.Field), slog.String("value", w.Value), slog.String("reason", w.Reason))
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

// build compiles o into a policy, or lists what is wrong with it (the policy
// is then nil), and what it accepted without effect. name maps
// an Options field to the name a problem reports it under (FromEnv's
// variables); nil keeps the field names.
func build(o Options, name func(field string) string) (*policy, *collector) {
	if name == nil {
		name = func(field string) string { return field }
	}
	c := collector{name: name}
	p := &policy{credentials: o.AllowCredentials, insecure: o.AllowInsecureHTTPOrigins,
		logger: o.Logger, onRefused: o.OnRefused, lookup: o.LookupOrigin}
	c.origins(p, o)
	c.methods(p, o.AllowedMethods)
	c.headers(p, o.AllowedHeaders)
	c.exposed(p, o.ExposedHeaders)
	c.maxAge(p, o.MaxAge)
	if c.problems != nil {
		return nil, &c
	}
	return p, &c
}

// collector gathers problems so that a configuration is fixed in one pass,
// and warnings about entries that are accepted but have no effect.
type collector struct {
	problems []*ConfigError
	warnings []*ConfigError // Err is nil: nothing to refuse
	name     func(field string) string
}

// warn records an entry that is harmless but has no effect, reported once
// when the policy is put in force.
func (c *collector) warn(field, value, reason string) {
	c.warnings = append(c.warnings, &ConfigError{Field: c.name(field), Value: value, Reason: reason})
}

func (c *collector) add(field, value, reason, fix string, sentinel error) {
	c.problems = append(c.problems, &ConfigError{Field: c.name(field), Value: value, Reason: reason, Fix: fix, Err: sentinel})
}

func (c *collector) origins(p *policy, o Options) {
	const field = "AllowedOrigins"
	if len(o.AllowedOrigins) == 0 {
		if o.LookupOrigin == nil { // with a lookup, every origin may come from the database
			c.add(field, "", `is empty; list the origins allowed to read responses, as in "https://app.example.com"`, "", ErrNoOrigins)
		}
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
	var named []origin.Spec // the entries AllowsOrigin keeps
	anyLeftOut := false
	for _, s := range o.AllowedOrigins {
		if s == "*" {
			continue
		}
		spec, ok := c.origin(field, s, o)
		if !ok {
			continue
		}
		p.origins.Add(spec)
		if keptByName(spec, o) {
			named = append(named, spec)
		} else {
			anyLeftOut = true
		}
	}
	if anyLeftOut {
		p.named = &origin.Set{}
		for _, spec := range named {
			p.named.Add(spec)
		}
	}
}

// origin parses one entry of AllowedOrigins and refuses it when browsers
// never send it or when it is unsafe with credentials: a pattern under a
// public suffix, or plain http on a host that is not loopback.
func (c *collector) origin(field, s string, o Options) (origin.Spec, bool) {
	spec, err := origin.Parse(s)
	if err != nil {
		var oe *origin.Error
		errors.As(err, &oe)
		c.add(field, s, oe.Reason, oe.Fix, ErrInvalidOrigin)
		return spec, false
	}
	if !o.AllowCredentials {
		return spec, true
	}
	insecure := plainHTTP(spec) && !o.AllowInsecureHTTPOrigins
	if underPublicSuffixPattern(spec, o) {
		if insecure { // so that the example the reason offers is one New accepts
			spec.Scheme = "https"
		}
		c.add(field, s, publicSuffixReason(spec, c.name("AllowCredentials"), o.PublicSuffixList), "", ErrInvalidOrigin)
		return spec, false
	}
	if insecure {
		c.add(field, s, insecureReason(c.name("AllowCredentials"), c.name("AllowInsecureHTTPOrigins")), httpsFix(spec), ErrInvalidOrigin)
		return spec, false
	}
	return spec, true
}

// keptByName reports whether AllowsOrigin and CheckOrigin, which answer for
// WebSocket handshakes that always carry cookies, keep spec: not a pattern
// under a public suffix, nor plain http off loopback unless allowed.
func keptByName(spec origin.Spec, o Options) bool {
	return !underPublicSuffixPattern(spec, o) && (o.AllowInsecureHTTPOrigins || !plainHTTP(spec))
}

// underPublicSuffixPattern reports whether spec is a pattern that matches
// names anyone can register.
func underPublicSuffixPattern(spec origin.Spec, o Options) bool {
	return spec.Wildcard != origin.NoHostWildcard && !spec.Loopback() && underPublicSuffix(spec, o.PublicSuffixList)
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
	if !p.anyMethod {
		p.methodList = strings.Join(append([]string{http.MethodGet, http.MethodHead, http.MethodPost}, p.methods...), listSeparator)
	}
}

func (c *collector) headers(p *policy, headers []string) {
	const field = "AllowedHeaders"
	// The CORS-safelisted request headers are always allowed, as GET, HEAD
	// and POST are always allowed methods: a list of one custom header must
	// not refuse every JSON request's preflight (Content-Type).
	valid := append(make([]string, 0, len(safelistedHeaders)+len(headers)), safelistedHeaders...)
	anyHeader := false
	for _, h := range headers {
		switch {
		case h == "*":
			anyHeader = true
		case !c.headerName(field, h):
		case fetchheader.IsForbiddenRequestName(h):
			c.warn(field, h, noEffectReason(h))
		default:
			valid = append(valid, h)
		}
	}
	p.headers = headerlist.NewSet(valid)
	p.headers.Any = anyHeader
	p.headerList = strings.Join(p.headers.Names(), listSeparator)
}

// noEffectReason says why a header name that browsers set themselves has no
// effect in AllowedHeaders: no preflight ever asks for it.
func noEffectReason(h string) string {
	lower := strings.ToLower(h)
	switch {
	case lower == "cookie" || lower == "cookie2":
		return "has no effect: browsers send cookies themselves and never let scripts set this header, " +
			"so no preflight asks for it; AllowCredentials is what lets requests carry cookies"
	case lower == "origin" || strings.HasPrefix(lower, "access-control-request-"):
		return "has no effect: browsers send it themselves on cross-origin requests and never let scripts set it, " +
			"so no preflight asks for it"
	case strings.HasPrefix(lower, "sec-") || strings.HasPrefix(lower, "proxy-"):
		return "has no effect: browsers reserve Sec- and Proxy- headers for themselves and never let scripts set them, " +
			"so no preflight asks for it"
	}
	return "has no effect: browsers set it themselves and never let scripts set it (a forbidden request-header name " +
		"in the Fetch standard), so no preflight asks for it"
}

func (c *collector) exposed(p *policy, headers []string) {
	valid := make([]string, 0, len(headers))
	for _, h := range headers {
		switch {
		case h == "*" && p.credentials:
			c.add("ExposedHeaders", h, `cannot go with `+c.name("AllowCredentials")+`: browsers then read "*" as a header name `+
				`and expose nothing; list the headers instead`, "", ErrWildcardWithCredentials)
		case h != "*" && fetchheader.IsForbiddenResponseName(h):
			c.add("ExposedHeaders", h, "is never readable by scripts, exposed or not (Fetch forbids it); remove it", "", ErrInvalidHeader)
		case h == "*" || c.headerName("ExposedHeaders", h):
			if !slices.Contains(valid, h) {
				valid = append(valid, h)
			}
		}
	}
	p.exposed = strings.Join(valid, listSeparator)
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
	// durationText writes d as a person would: 48h, not 48h0m0s.
	durationText := func(d time.Duration) string {
		s := d.String()
		if strings.HasSuffix(s, "m0s") {
			s = strings.TrimSuffix(s, "0s")
		}
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
		return s
	}
	switch {
	case d == 0:
		d = defaultMaxAge
	case d < 0:
		d = 0
	case d > maxMaxAge:
		c.add("MaxAge", durationText(d), "is above 24h, longer than any browser caches a preflight", "24h", ErrInvalidMaxAge)
		return
	case d < time.Second:
		// A whole number under a second is almost always seconds pasted from
		// rs/cors, chi or echo: MaxAge: 300 is 300ns to a time.Duration.
		c.add("MaxAge", durationText(d), "is under a second: a time.Duration counts nanoseconds, not seconds as "+
			"other libraries' MaxAge does", nanosecondsFix(d), ErrInvalidMaxAge)
		return
	case d%time.Second != 0:
		c.add("MaxAge", durationText(d), "is not a whole number of seconds", durationText(d.Truncate(time.Second)), ErrInvalidMaxAge)
		return
	}
	p.maxAge = strconv.FormatInt(int64(d/time.Second), 10)
}

// nanosecondsFix reads a MaxAge under a second as the seconds it was meant to
// be, in Go source, capped at the 24h New accepts.
func nanosecondsFix(d time.Duration) string {
	if d*time.Second > maxMaxAge {
		return "24 * time.Hour"
	}
	return strconv.FormatInt(int64(d), 10) + " * time.Second"
}

// publicSuffixReason explains why a credentialed pattern over a public
// suffix is refused, and what to write instead: a fix that list and the
// embedded Public Suffix List both accept.
func publicSuffixReason(spec origin.Spec, credentials string, list cookiejar.PublicSuffixList) string {
	suffix := publicSuffixAtOrBelow(spec.Host, list)
	where := "under the public suffix " + strconv.Quote(suffix)
	if suffix != spec.Host {
		noun := "the public suffix "
		if strings.HasPrefix(suffix, "*.") {
			noun = "the public suffixes "
		}
		where = "on " + strconv.Quote(spec.Host) + ", which has " + noun + strconv.Quote(suffix) + " below it"
	}
	if spec.Wildcard == origin.Infix {
		return "matches names that anyone can register " + where +
			" (a preview slug is free for the taking): with " + credentials + " any of them could read your users' data; " +
			"use a preview domain of your own, as in \"" + spec.Scheme + "://*.preview.example.com\""
	}
	own := strings.Replace(suffix, "*", "your-name", 1)
	fix := "app.example.com"
	for _, base := range []string{"app." + own, "app.your-name." + own} {
		if !underPublicSuffix(origin.Spec{Host: base}, list) {
			fix = base
			break
		}
	}
	return "is a pattern " + where +
		": with " + credentials + " every site registered there could read your users' data; " +
		"list your own domain, as in \"" + spec.Scheme + "://*." + fix + "\""
}

// suffixProbe stands for any label: a name one label below a domain is a
// public suffix for every label when a wildcard rule covers it.
const suffixProbe = "corsguard-probe"

// underPublicSuffix reports whether a pattern on spec.Host matches names
// that anyone can register: a public suffix lies at or below the host, at
// any depth, by the embedded Public Suffix List or by list.
func underPublicSuffix(spec origin.Spec, list cookiejar.PublicSuffixList) bool {
	return origin.HasPublicSuffixAtOrBelow(spec.Host) || listedSuffix(spec.Host, list) != ""
}

// publicSuffixAtOrBelow names a public suffix at or below host, for a
// message: the embedded list's, else list's; "" when neither has one.
func publicSuffixAtOrBelow(host string, list cookiejar.PublicSuffixList) string {
	if suffix := origin.PublicSuffixAtOrBelow(host); suffix != "" {
		return suffix
	}
	return listedSuffix(host, list)
}

// listedSuffix asks list, which can only add suffixes to the embedded
// one's, whether host or every name one label below it is a public suffix
// (a cookiejar.PublicSuffixList answers no more than that).
func listedSuffix(host string, list cookiejar.PublicSuffixList) string {
	switch {
	case list == nil:
		return ""
	case list.PublicSuffix(host) == host:
		return host
	case list.PublicSuffix(suffixProbe+"."+host) == suffixProbe+"."+host:
		return "*." + host
	}
	return ""
}

// tokenFix offers s without surrounding white space when that makes it a
// valid token, the usual mistake in lists split by hand.
func tokenFix(s string) string {
	if t := strings.TrimSpace(s); t != s && headerlist.IsToken(t) {
		return t
	}
	return ""
}
