package proxylab

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/corsguard/cors/internal/fetch"
)

// Scenario is one misconfiguration behind one product: the script's
// request, and what every browser does with it. The verdict is the
// browser's, the same in corscheck's model and in Chromium; why it happens
// and which layer to fix is corscheck's diagnosis, held by its own tests.
type Scenario struct {
	Name string
	Path string // appended to the product's base URL

	// The script's fetch: the method ("" is GET), one request header
	// ("Name: value", "" for none), credentials: 'include', and a body of
	// Body bytes.
	Method      string
	Header      string
	Credentials bool
	Body        int

	// Warm: a GET from [OtherOrigin] went first, as another visitor's
	// would, and a cache may have kept its answer. WarmPreflight: the
	// page's own preflight for another request (a JSON POST) went first.
	Warm, WarmPreflight bool

	// Code is the browser's failure, "" when the script reads the
	// response; Step is the exchange that failed: "preflight" or "request".
	Code fetch.Code
	Step string
}

// Steps of a failure.
const (
	StepPreflight = "preflight"
	StepRequest   = "request"
)

// Prepare does, at url, what went before the script's fetch: the visits
// of Warm and WarmPreflight.
func (s Scenario) Prepare(t testing.TB, url, pageOrigin string) {
	t.Helper()
	if s.Warm {
		visit(t, http.MethodGet, url, http.Header{"Origin": {OtherOrigin}})
	}
	if s.WarmPreflight {
		visit(t, http.MethodOptions, url, http.Header{
			"Origin":                         {pageOrigin},
			"Access-Control-Request-Method":  {http.MethodPost},
			"Access-Control-Request-Headers": {"content-type"},
		})
	}
}

// Args are corscheck's flags for the scenario's request (without -origin
// and the URL).
func (s Scenario) Args() []string {
	var args []string
	if s.Method != "" {
		args = append(args, "-method", s.Method)
	}
	if s.Header != "" {
		args = append(args, "-H", s.Header)
	}
	if s.Credentials {
		args = append(args, "-credentials")
	}
	if s.Body > 0 {
		args = append(args, "-body-size", strconv.Itoa(s.Body))
	}
	return args
}

// The request most scenarios make: a PUT with a custom header, so that it
// is preflighted.
const (
	put    = "PUT"
	apiKey = "X-Api-Key: k"
	// jsonBody makes a POST preflighted: the preflight passes, and the
	// body, sent only with the request, is what a proxy refuses.
	jsonBody = "Content-Type: application/json"
)

var apacheScenarios = []Scenario{
	{Name: "a faithful proxy", Path: "/ok/items", Method: put, Header: apiKey},
	{Name: "upstream down", Path: "/down/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "upstream too slow", Path: "/slow/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "Header unset", Path: "/strip/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "Header add on top of the application's", Path: "/twice/items",
		Code: fetch.MultipleAllowOriginValues, Step: StepRequest},
	{Name: "Header set overwrites with *", Path: "/star/items", Credentials: true,
		Code: fetch.WildcardOriginNotAllowed, Step: StepRequest},
	{Name: "AllowMethods refuses OPTIONS", Path: "/methods/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "preflight redirected to login", Path: "/login/items", Method: put, Header: apiKey,
		Code: fetch.PreflightDisallowedRedirect, Step: StepPreflight},
	{Name: "Apache's own 404", Path: "/nowhere",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
}

var haproxyScenarios = []Scenario{
	{Name: "a faithful proxy", Path: "/ok/items", Method: put, Header: apiKey},
	{Name: "upstream down", Path: "/down/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "timeout server", Path: "/slow/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "http-request deny 405 on OPTIONS", Path: "/methods/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "http-request return 200 on OPTIONS", Path: "/answer/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "http-response del-header", Path: "/strip/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "http-response add-header", Path: "/twice/items",
		Code: fetch.MultipleAllowOriginValues, Step: StepRequest},
	{Name: "http-request del-header Origin", Path: "/droporigin/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "http-request deny 413 on the body size", Path: "/limit/items", Method: "POST", Header: jsonBody, Body: 64,
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
}

var varnishScenarios = []Scenario{
	{Name: "a faithful cache", Path: "/ok/items", Method: put, Header: apiKey},
	{Name: "backend fetch failed", Path: "/down/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "Vary unset in VCL", Path: "/novary/items", Warm: true,
		Code: fetch.AllowOriginMismatch, Step: StepRequest},
	{Name: "Vary unset, credentialed API", Path: "/novary/cred/items", Credentials: true, Warm: true,
		Code: fetch.AllowOriginMismatch, Step: StepRequest},
	{Name: "preflight cached for another method", Path: "/novary/preflight/items", Method: put, Header: apiKey, WarmPreflight: true,
		Code: fetch.MethodDisallowedByPreflightResponse, Step: StepPreflight},
}

var squidScenarios = []Scenario{
	{Name: "a faithful accelerator", Path: "/ok/items", Method: put, Header: apiKey},
	{Name: "cache_peer down", Path: "/down/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "ERR_READ_TIMEOUT", Path: "/slow/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "http_access deny OPTIONS", Path: "/methods/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "http_access deny for the path", Path: "/denied/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "request_header_access Origin deny", Path: "/droporigin/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "request_body_max_size", Path: "/limit/items", Method: "POST", Header: jsonBody, Body: 64,
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
}

var caddyScenarios = []Scenario{
	{Name: "a faithful proxy", Path: "/ok/items", Method: put, Header: apiKey},
	{Name: "upstream down", Path: "/down/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "header_down -Access-Control-Allow-Origin", Path: "/strip/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "header_down +Access-Control-Allow-Origin", Path: "/twice/items",
		Code: fetch.MultipleAllowOriginValues, Step: StepRequest},
	{Name: "header_down overwrites with *", Path: "/star/items", Credentials: true,
		Code: fetch.WildcardOriginNotAllowed, Step: StepRequest},
	{Name: "respond 200 to OPTIONS", Path: "/answer/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
}

var nginxScenarios = []Scenario{
	{Name: "a faithful proxy", Path: "/ok/items", Method: put, Header: apiKey},
	{Name: "upstream down", Path: "/down/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "upstream too slow", Path: "/slow/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "nginx's own 404", Path: "/nowhere",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "proxy_hide_header", Path: "/strip/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "trailing-slash redirect", Path: "/dir",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "http to https", Path: "/insecure/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
	{Name: "limit_except refuses OPTIONS", Path: "/limited/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "auth_basic", Path: "/auth/items", Method: put, Header: apiKey,
		Code: fetch.MissingAllowOriginHeader, Step: StepPreflight},
	{Name: "add_header on top of the application's", Path: "/twice/items",
		Code: fetch.MultipleAllowOriginValues, Step: StepRequest},
	{Name: "a cache that ignores Vary", Path: "/cached/items", Warm: true,
		Code: fetch.AllowOriginMismatch, Step: StepRequest},
	{Name: "add_header for an application without CORS", Path: "/bare/items"},
	{Name: "add_header without always, the application's 500", Path: "/bare/fail/items",
		Code: fetch.MissingAllowOriginHeader, Step: StepRequest},
}
