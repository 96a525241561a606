package cors

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// snippetName is the first line of every MIGRATING.md snippet: the name the
// tests below refer to it by.
var snippetName = regexp.MustCompile(`^// ([a-z0-9-]+): `)

// migratingProgram is the program every MIGRATING.md snippet is compiled
// into: each snippet becomes a function returning its opts, and main runs
// the probes it reads from stdin through cors.New and the middleware, so the
// guide's code is what is tested, not a copy of it.
const migratingProgram = `package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/corsguard/cors"
)

// The snippets use some of these packages, not all.
var (
	_ = context.Background
	_ = strings.HasSuffix
	_ = time.Second
)

var snippets = map[string]func() cors.Options{
%s}

type probe struct{ Snippet, Method, Origin, ACRM, ACRH string }

type result struct {
	Err    string
	Status int
	Header http.Header
}

func main() {
	var probes []probe
	if err := json.NewDecoder(os.Stdin).Decode(&probes); err != nil {
		panic(err)
	}
	var out []result
	for _, p := range probes {
		m, err := cors.New(snippets[p.Snippet]())
		if err != nil {
			out = append(out, result{Err: err.Error()})
			continue
		}
		h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
		}))
		r := httptest.NewRequest(p.Method, "http://api.example.net/", nil)
		if p.Origin != "" {
			r.Header.Set("Origin", p.Origin)
		}
		if p.ACRM != "" {
			r.Header.Set("Access-Control-Request-Method", p.ACRM)
		}
		if p.ACRH != "" {
			r.Header.Set("Access-Control-Request-Headers", p.ACRH)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		out = append(out, result{Status: w.Code, Header: w.Header()})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
`

// migratingSnippets returns MIGRATING.md's Go snippets by name.
func migratingSnippets(t *testing.T) map[string]string {
	t.Helper()
	named := map[string]string{}
	for i, src := range docBlocks(t, "MIGRATING.md", "go") {
		m := snippetName.FindStringSubmatch(src)
		require.NotNil(t, m, "MIGRATING.md Go snippet %d must start with // name: ...", i)
		require.NotContains(t, named, m[1], "two snippets named %s", m[1])
		require.Contains(t, src, "opts := cors.Options{", "snippet %s must build opts", m[1])
		named[m[1]] = src
	}
	require.NotEmpty(t, named)
	return named
}

// migratingProbe is one request sent through one snippet's policy.
type migratingProbe struct {
	Snippet, Method, Origin, ACRM, ACRH string
}

type migratingResult struct {
	Err    string
	Status int
	Header http.Header
}

// runMigratingProbes compiles every snippet into one program against this
// checkout and runs the probes through it.
func runMigratingProbes(t *testing.T, snippets map[string]string, probes []migratingProbe) []migratingResult {
	t.Helper()
	names := make([]string, 0, len(snippets))
	for name := range snippets {
		names = append(names, name)
	}
	slices.Sort(names)
	var funcs strings.Builder
	for _, name := range names {
		funcs.WriteString("\t" + strconv.Quote(name) + ": func() cors.Options {\n")
		funcs.WriteString(snippets[name])
		funcs.WriteString("\t\treturn opts\n\t},\n")
	}
	root, err := filepath.Abs(".")
	require.NoError(t, err)
	dir := t.TempDir()
	gomod := "module migrating\n\ngo 1.21\n\nrequire github.com/corsguard/cors v0.0.0\n\nreplace github.com/corsguard/cors => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o600))
	src := strings.Replace(migratingProgram, "%s", funcs.String(), 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o600))

	in, err := json.Marshal(probes)
	require.NoError(t, err)
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s", stderr.String())
	var results []migratingResult
	require.NoError(t, json.Unmarshal(out, &results))
	require.Len(t, results, len(probes))
	return results
}

// The outcomes the guide promises, as the browser would judge them.
const (
	answered      = "preflight answered"       // 204, ACAO, the method and headers allowed
	refusedAsk    = "method or header refused" // 204, ACAO, the lists without what was asked
	refusedOrigin = "origin refused"           // 403, no CORS header
	served        = "handler ran"              // the handler's 200
)

type migratingCase struct {
	probe  migratingProbe
	want   string
	acao   string // the Access-Control-Allow-Origin wanted; "" for none
	maxAge string // the Access-Control-Max-Age wanted, when set
}

func migPreflight(snippet, origin, method, headers string) migratingProbe {
	return migratingProbe{Snippet: snippet, Method: http.MethodOptions, Origin: origin, ACRM: method, ACRH: headers}
}

func migGet(snippet, origin string) migratingProbe {
	return migratingProbe{Snippet: snippet, Method: http.MethodGet, Origin: origin}
}

// checkMigrating runs the cases and checks each outcome; every snippet it is
// given must be probed at least once, so none is left untested.
func checkMigrating(t *testing.T, snippets map[string]string, cases []migratingCase) {
	t.Helper()
	probes := make([]migratingProbe, len(cases))
	probed := map[string]bool{}
	for i, c := range cases {
		require.Contains(t, snippets, c.probe.Snippet)
		probes[i] = c.probe
		probed[c.probe.Snippet] = true
	}
	for name := range snippets {
		assert.True(t, probed[name], "MIGRATING.md snippet %s is not probed", name)
	}
	results := runMigratingProbes(t, snippets, probes)
	for i, c := range cases {
		res := results[i]
		name := c.probe.Snippet + " " + c.probe.Method + " " + c.probe.Origin + " " + c.probe.ACRM + " " + c.probe.ACRH
		if !assert.Empty(t, res.Err, "%s: cors.New refused the guide's options", name) {
			continue
		}
		assert.Equal(t, c.acao, res.Header.Get("Access-Control-Allow-Origin"), name)
		if c.maxAge != "" {
			assert.Equal(t, c.maxAge, res.Header.Get("Access-Control-Max-Age"), name)
		}
		switch c.want {
		case answered, refusedAsk:
			assert.Equal(t, http.StatusNoContent, res.Status, name)
			assert.Equal(t, c.want == answered, allowsAsked(res.Header, c.probe), "%s: want %s, got %v", name, c.want, res.Header)
		case refusedOrigin:
			assert.Equal(t, http.StatusForbidden, res.Status, name)
		case served:
			assert.Equal(t, http.StatusOK, res.Status, name)
		default:
			t.Fatalf("unknown outcome %q", c.want)
		}
	}
}

// allowsAsked reports whether a preflight response lets the browser send
// the method and headers the probe asked for.
func allowsAsked(h http.Header, p migratingProbe) bool {
	list := func(name string) []string {
		var l []string
		for _, v := range strings.Split(h.Get(name), ",") {
			l = append(l, strings.ToLower(strings.TrimSpace(v)))
		}
		return l
	}
	methods := list("Access-Control-Allow-Methods")
	switch p.ACRM {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		if !slices.Contains(methods, strings.ToLower(p.ACRM)) && !slices.Contains(methods, "*") {
			return false
		}
	}
	headers := list("Access-Control-Allow-Headers")
	for _, name := range strings.Split(p.ACRH, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "" && !slices.Contains(headers, name) && !slices.Contains(headers, "*") {
			return false
		}
	}
	return true
}

// onlySnippets keeps the snippets whose names pass keep.
func onlySnippets(all map[string]string, keep func(string) bool) map[string]string {
	out := map[string]string{}
	for name, src := range all {
		if keep(name) {
			out[name] = src
		}
	}
	return out
}

func isPasted(name string) bool { return strings.HasPrefix(name, "pasted-") }

// TestMigratingSnippets compiles every translated configuration of
// MIGRATING.md and checks that cors.New accepts it and that it answers as
// the guide says: preflights answered, refused origins 403, Max-Age.
func TestMigratingSnippets(t *testing.T) {
	snippets := onlySnippets(migratingSnippets(t), func(name string) bool { return !isPasted(name) })
	const app = "https://app.example.com"
	checkMigrating(t, snippets, []migratingCase{
		{probe: migPreflight("rs-default", "https://any.example", http.MethodPost, "content-type,x-requested-with"), want: answered, acao: "*"},
		{probe: migPreflight("rs-default", "https://any.example", http.MethodPut, ""), want: refusedAsk, acao: "*"},
		{probe: migGet("rs-default", "https://any.example"), want: served, acao: "*"},
		{probe: migPreflight("rs-allowall", "https://any.example", http.MethodPatch, "authorization,x-custom"), want: answered, acao: "*"},
		{probe: migPreflight("rs-typical", app, http.MethodPut, "authorization,content-type"), want: answered, acao: app, maxAge: "300"},
		{probe: migPreflight("rs-typical", "https://a.b.example.com", http.MethodDelete, ""), want: answered, acao: "https://a.b.example.com"},
		{probe: migPreflight("rs-typical", "https://example.com.evil.net", http.MethodPut, ""), want: refusedOrigin},
		{probe: migPreflight("rs-typical", "http://app.example.com", http.MethodPut, ""), want: refusedOrigin},
		{probe: migGet("rs-typical", app), want: served, acao: app},
		{probe: migPreflight("rs-func", "https://shop.customer.test", http.MethodPost, "content-type"), want: answered, acao: "https://shop.customer.test"},
		{probe: migPreflight("rs-func", "https://other.customer.test", http.MethodPost, "content-type"), want: refusedOrigin},
		{probe: migPreflight("chi-default", "https://any.example", http.MethodPost, "content-type"), want: answered, acao: "*", maxAge: "600"},
		{probe: migPreflight("chi-typical", "http://localhost:3000", http.MethodPut, "x-csrf-token,authorization"), want: answered, acao: "*", maxAge: "300"},
		{probe: migPreflight("chi-typical", app, http.MethodPatch, ""), want: refusedAsk, acao: "*"},
		{probe: migPreflight("gin-default", "https://any.example", http.MethodPatch, "content-type"), want: answered, acao: "*", maxAge: "43200"},
		{probe: migPreflight("gin-typical", "https://github.com", http.MethodPatch, ""), want: answered, acao: "https://github.com"},
		{probe: migGet("gin-typical", "https://evil.example"), want: served},
		{probe: migPreflight("gin-typical", "https://evil.example", http.MethodPatch, ""), want: refusedOrigin},
		{probe: migPreflight("jub0bs-typical", "https://x.example.com", http.MethodDelete, "authorization"), want: answered, acao: "https://x.example.com", maxAge: "30"},
		{probe: migPreflight("jub0bs-typical", "https://example.com", http.MethodPut, "x-other"), want: refusedAsk, acao: "https://example.com"},
		{probe: migPreflight("echo-default", "https://any.example", http.MethodDelete, "x-anything"), want: answered, acao: "*"},
		{probe: migPreflight("echo-typical", "https://labstack.net", http.MethodPut, "content-type"), want: answered, acao: "https://labstack.net"},
		{probe: migPreflight("echo-typical", "https://labstack.org", http.MethodPut, ""), want: refusedOrigin},
		{probe: migPreflight("connect", app, http.MethodPost, "connect-protocol-version,content-type"), want: answered, acao: app, maxAge: "7200"},
		{probe: migPreflight("connect", app, http.MethodPost, "content-type,x-grpc-web,x-user-agent"), want: answered, acao: app},
		{probe: migPreflight("connect", app, http.MethodPut, ""), want: refusedAsk, acao: app},
	})
}

// TestMigratingPastedDefaultsAreAccepted checks the guide's promise that
// header lists pasted from other libraries as they were work: names browsers
// set themselves (Origin, Content-Length, Accept-Encoding) are accepted with
// no effect, an empty list means the CORS-safelisted headers, and those stay
// allowed next to a custom one.
func TestMigratingPastedDefaultsAreAccepted(t *testing.T) {
	snippets := onlySnippets(migratingSnippets(t), isPasted)
	const app = "https://app.example.com"
	checkMigrating(t, snippets, []migratingCase{
		{probe: migPreflight("pasted-gin", "https://any.example", http.MethodPatch, "content-type"), want: answered, acao: "*", maxAge: "43200"},
		{probe: migPreflight("pasted-connect-demo", app, http.MethodPost, "connect-protocol-version,content-type"), want: answered, acao: app},
		{probe: migPreflight("pasted-echo", "https://labstack.com", http.MethodPost, "content-type,accept"), want: answered, acao: "https://labstack.com"},
		{probe: migPreflight("pasted-echo", "https://labstack.org", http.MethodPost, ""), want: refusedOrigin},
		{probe: migPreflight("pasted-empty-headers", app, http.MethodPost, "content-type"), want: answered, acao: app},
		{probe: migPreflight("pasted-empty-headers", app, http.MethodPost, "x-api-key"), want: refusedAsk, acao: app},
		{probe: migPreflight("pasted-one-header", app, http.MethodPost, "content-type,x-api-key"), want: answered, acao: app},
	})
}

// TestMigratingStillRefused checks each row of the guide's "Still refused"
// table and its topic table's MaxAge, case and empty-list rows: the pasted
// value is refused with the reason, and the fix the guide gives is accepted.
func TestMigratingStillRefused(t *testing.T) {
	origins := func(o ...string) Options { return Options{AllowedOrigins: o} }
	credentialed := func(o ...string) Options { return Options{AllowedOrigins: o, AllowCredentials: true} }
	for _, tc := range []struct {
		pasted Options
		reason string
		fix    Options
	}{
		{credentialed("*"), `"*" cannot go with AllowCredentials`, credentialed("https://app.example.com", "https://*.example.com")},
		{origins("https://app.example.com/"), "trailing slash", origins("https://app.example.com")},
		{origins("https://app.example.com/api"), "has a path", origins("https://app.example.com")},
		{origins("https://*", "http://*"), "no domain after it", origins("*")},
		{origins(`https://.*\.example\.com`), "first label", origins("https://*.example.com")},
		{origins("https://*.example.*"), "more than one", origins("https://*.example.com")},
		{origins("https://example.*"), "first label", origins("https://example.com")},
		{credentialed("https://*.github.io"), "public suffix", credentialed("https://myname.github.io")},
		{credentialed("https://*.run.app"), "public suffix", credentialed("https://myservice-abc123.a.run.app")},
		{credentialed("http://app.example.com"), "is plain http", credentialed("https://app.example.com")},
		{Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{"Set-Cookie"}}, "Set-Cookie", origins("*")},
		{Options{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"TRACE", "CONNECT", "TRACK"}}, "TRACE", origins("*")},
		{Options{AllowedOrigins: []string{"*"}, MaxAge: 300}, `use "300 * time.Second"`, Options{AllowedOrigins: []string{"*"}, MaxAge: 300 * time.Second}},
		{origins("HTTPS://App.Example.com"), "upper-case", origins("https://app.example.com")},
		{origins("null"), "null", origins("chrome-extension://abcdefghijklmnopabcdefghijklmnop")},
		{origins(), "is empty", origins("*")},
	} {
		_, err := New(tc.pasted)
		if assert.Error(t, err, "%+v", tc.pasted) {
			assert.Contains(t, err.Error(), tc.reason)
		}
		_, err = New(tc.fix)
		assert.NoError(t, err, "the fix %+v", tc.fix)
	}
}

// TestMigratingPeerStatementsAreCorrected keeps the guide's corrected
// statements about its peers, which the peers' own code backs (see
// TestMigratingPeerStatements in bench/ and
// TestMigratingGinChecksTheListBeforeTheFunc in examples/frameworks/gin),
// from drifting back.
func TestMigratingPeerStatementsAreCorrected(t *testing.T) {
	b, err := os.ReadFile("MIGRATING.md")
	require.NoError(t, err)
	guide := strings.Join(strings.Fields(string(b)), " ")
	for _, said := range []string{
		"negative sends `0` in rs/cors and echo, and no header in chi",
		"rs/cors and chi ignore the list when a function is set; gin checks the list first, then the function",
		"gin checks the list first, then the function, so both were allowed",
		"in debug mode an ok status with `Access-Control-Allow-Origin` but without the allowed lists",
		"TestMigratingPeerStatements", "TestMigratingGinChecksTheListBeforeTheFunc",
	} {
		assert.Contains(t, guide, said)
	}
	for _, wrong := range []string{"gin, like rs/cors, then ignores", "`204` with the lists", "did you mean"} {
		assert.NotContains(t, guide, wrong)
	}
}
