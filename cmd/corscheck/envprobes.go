package main

import (
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/internal/fetch"
	"github.com/corsguard/cors/internal/origin"
)

// This file plans the probes of -env: from the policy alone, the requests
// whose answers show that a deployment allows what the policy allows and
// refuses what it refuses. Which answer is right is not decided here: the
// library computes it (envexpect.go).

// envProbe is one request of the -env check.
type envProbe struct {
	// What says in words what the probe shows, for the report.
	What        string
	Kind        string // kindPreflight or kindRequest
	Origin      string
	Method      string   // the request's method; for a preflight, the one it asks for
	Headers     []string // request header names the script sets (preflight only)
	Credentials bool
}

// Names a probe gives to what it sends, never allowed by any sane policy.
const (
	probeUnrelatedOrigin = "https://corscheck-unrelated.invalid"
	probeSuffix          = ".corscheck.invalid"
	probeHeader          = "X-Corscheck-Probe"
)

// refusedMethods are tried in order for "a method the policy does not
// allow": the first one it does not list.
var refusedMethods = []string{http.MethodDelete, http.MethodPatch, http.MethodPut, "PROPFIND"}

// planProbes lists the probes of o, allowed ones first.
func planProbes(o cors.Options, unsafe bool) []envProbe {
	methods, headers := extraMethods(o.AllowedMethods), extraHeaders(o.AllowedHeaders)
	var out []envProbe
	var first string // an allowed origin, for the method and header refusals
	for _, entry := range o.AllowedOrigins {
		o1, how := probeOrigin(entry)
		if o1 == "" {
			continue
		}
		if first == "" {
			first = o1
		}
		out = append(out, allowedProbes(o1, how, methods, headers, o.AllowCredentials, unsafe)...)
	}
	if first == "" {
		first = probeUnrelatedOrigin
	}
	return append(out, refusedProbes(o, first)...)
}

// allowedProbes are the probes of one allowed origin: a preflight for each
// method beyond GET, HEAD and POST with the allowed headers (a GET with
// them when there is no such method), then a GET; with unsafe, the actual
// request of each preflighted method too.
func allowedProbes(o, how string, methods, headers []string, credentials, unsafe bool) []envProbe {
	var out []envProbe
	preflights := methods
	if len(preflights) == 0 && len(headers) > 0 {
		preflights = []string{http.MethodGet}
	}
	for _, m := range preflights {
		p := envProbe{What: how, Kind: kindPreflight, Origin: o, Method: m, Headers: headers, Credentials: credentials}
		out = append(out, p)
		if unsafe && m != http.MethodGet && m != http.MethodHead {
			p.Kind = kindRequest
			out = append(out, p)
		}
	}
	return append(out, envProbe{What: how, Kind: kindRequest, Origin: o, Method: http.MethodGet, Credentials: credentials})
}

// refusedProbes are the probes of what the policy refuses: an unrelated
// origin, "null", each exact origin with a suffix and with http for https,
// each pattern's bare base, then a method and a header it does not allow.
func refusedProbes(o cors.Options, allowed string) []envProbe {
	c := o.AllowCredentials
	get := func(origin, what string) envProbe {
		return envProbe{What: what, Kind: kindRequest, Origin: origin, Method: http.MethodGet, Credentials: c}
	}
	out := []envProbe{
		get(probeUnrelatedOrigin, "an unrelated origin"),
		{What: "an unrelated origin", Kind: kindPreflight, Origin: probeUnrelatedOrigin, Method: http.MethodPut, Credentials: c},
		get("null", "the opaque origin of sandboxed iframes, file: pages and redirects"),
	}
	for _, entry := range o.AllowedOrigins {
		spec, err := origin.Parse(entry)
		if err != nil {
			continue // "*"
		}
		if !spec.Pattern {
			out = append(out, get(withSuffix(spec), "an allowed origin with a suffix appended"))
			if spec.Scheme == "https" {
				out = append(out, get("http"+strings.TrimPrefix(spec.String(), "https"), "an allowed origin over http instead of https"))
			}
			continue
		}
		if spec.Wildcard != origin.NoHostWildcard {
			base := origin.Spec{Scheme: spec.Scheme, Host: spec.Host, Port: spec.Port}
			out = append(out, get(base.String(), "the bare base of pattern "+entry))
		}
	}
	if !slices.Contains(o.AllowedMethods, "*") {
		for _, m := range refusedMethods {
			if !slices.Contains(o.AllowedMethods, m) {
				out = append(out, envProbe{What: "a method the policy does not allow", Kind: kindPreflight, Origin: allowed, Method: m, Credentials: c})
				break
			}
		}
	}
	if !slices.Contains(o.AllowedHeaders, "*") {
		out = append(out, envProbe{What: "a header the policy does not allow", Kind: kindPreflight, Origin: allowed,
			Method: http.MethodGet, Headers: []string{"x-corscheck-not-allowed"}, Credentials: c})
	}
	return out
}

// probeOrigin returns the origin that stands for an entry of
// AllowedOrigins, and how it was chosen: the origin itself, a host a
// pattern matches, a free port for "localhost:*", an unrelated origin for
// "*".
func probeOrigin(entry string) (string, string) {
	if entry == "*" {
		return probeUnrelatedOrigin, "any origin, by \"*\""
	}
	spec, err := origin.Parse(entry)
	if err != nil {
		return "", "" // FromEnv refuses it first
	}
	if !spec.Pattern {
		return spec.String(), "an allowed origin"
	}
	example := spec.Example()
	if spec.AnyPort {
		example = strings.TrimSuffix(example, ":3000") + ":" + strconv.Itoa(freePort())
		return example, "a free port, which " + entry + " allows"
	}
	return example, "a host that pattern " + entry + " matches"
}

// withSuffix appends probeSuffix to the host of an exact origin, before
// its port: "https://app.example.com.corscheck.invalid".
func withSuffix(spec origin.Spec) string {
	s := spec
	s.Host += probeSuffix
	if strings.HasPrefix(spec.Host, "[") || net.ParseIP(spec.Host) != nil {
		s.Host = strings.Trim(spec.Host, "[]") // an IP has no suffix: make it a name
		s.Host = strings.ReplaceAll(strings.ReplaceAll(s.Host, ":", "-"), ".", "-") + probeSuffix
	}
	return s.String()
}

// freePort returns a loopback port nothing listens on now, so that a
// "localhost:*" pattern is probed with a port no one configured by hand.
func freePort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 49152 // the first dynamic port
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// extraMethods are the allowed methods a preflight asks for: beyond GET,
// HEAD and POST; PUT stands for "*".
func extraMethods(methods []string) []string {
	var out []string
	for _, m := range methods {
		switch m {
		case http.MethodGet, http.MethodHead, http.MethodPost:
		case "*":
			out = append(out, http.MethodPut)
		default:
			out = append(out, m)
		}
	}
	return slices.Compact(out)
}

// extraHeaders are the allowed request headers that make a preflight,
// in a browser's order (sorted, lower case); probeHeader stands for "*".
func extraHeaders(headers []string) []string {
	var list []fetch.Header
	for _, h := range headers {
		if h == "*" {
			h = probeHeader
		}
		if h := (fetch.Header{Name: h, Value: "1"}); !fetch.IsForbiddenRequestHeader(h) { // no script can send it
			list = append(list, h)
		}
	}
	return fetch.UnsafeHeaderNames(list)
}
