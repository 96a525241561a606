//go:build proxies

package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
)

// These tests put Debian's Apache httpd, HAProxy, Varnish, Squid and Caddy,
// each run as a child process on loopback with its configuration from
// testdata/proxies, in front of the real library, configured the way
// people misconfigure them, and hold corscheck to what an SRE would say:
// which layer answered, on what evidence, and the fix in that layer's own
// configuration language. They build only with -tags proxies, which CI sets
// after installing the five packages:
//
//	go test -tags proxies ./cmd/corscheck
//
// A missing binary skips its tests, and fails them when CI=true.

// proxiesInstallHint is what to do when one of them is missing.
const proxiesInstallHint = "install it with `apt-get install -y apache2 haproxy varnish squid caddy`"

// proxiedApp starts the application behind the proxies and returns its
// host:port: the library (origins pageOrigin and otherOrigin, PUT and
// POST, X-Api-Key and Content-Type), with credentials on any path that has
// a /star/ or /cred/ segment; /slow/ answers after 3 s.
func proxiedApp(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/", ok)
	mux.HandleFunc("/slow/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	credentialed, err := cors.New(cors.Options{
		AllowedOrigins:   []string{pageOrigin, otherOrigin},
		AllowedMethods:   []string{http.MethodPut, http.MethodPost},
		AllowedHeaders:   []string{"X-Api-Key", "Content-Type"},
		AllowCredentials: true,
	})
	require.NoError(t, err)
	plain, withCredentials := library(t, mux), credentialed.Handler(mux)
	app := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/star/") || strings.Contains(r.URL.Path, "/cred/") {
			withCredentials.ServeHTTP(w, r)
			return
		}
		plain.ServeHTTP(w, r)
	}))
	return strings.TrimPrefix(app.URL, "http://")
}

// upstreams is where the proxies send requests: the application, and a
// loopback port where nothing listens.
type upstreams struct{ app, down string }

func newUpstreams(t *testing.T) upstreams {
	return upstreams{app: proxiedApp(t), down: strings.TrimPrefix(closedURL(t), "http://")}
}

// vars are the template variables of the configurations.
func (u upstreams) vars() map[string]string {
	_, appPort, _ := net.SplitHostPort(u.app)
	_, downPort, _ := net.SplitHostPort(u.down)
	return map[string]string{"app": u.app, "down": u.down, "appport": appPort, "downport": downPort}
}

// template reads a configuration template from testdata/proxies.
func template(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "proxies", name))
	require.NoError(t, err)
	return string(b)
}

// ownedBy gives dir to user, for servers that drop root's privileges.
func ownedBy(user string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		out, err := exec.Command("chown", "-R", user, dir).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
}

func startApache(t *testing.T, u upstreams) string {
	return child{
		name: "Apache httpd", bin: findBinary(t, "APACHE2", proxiesInstallHint, "apache2", "/usr/sbin/apache2"),
		conf: template(t, "apache2.conf"), confName: "apache2.conf", vars: u.vars(),
		args: func(dir, conf string, port int) []string { return []string{"-X", "-f", conf} },
		logs: []string{"error.log"},
	}.start(t)
}

func startHAProxy(t *testing.T, u upstreams) string {
	return child{
		name: "HAProxy", bin: findBinary(t, "HAPROXY", proxiesInstallHint, "haproxy", "/usr/sbin/haproxy"),
		conf: template(t, "haproxy.cfg"), confName: "haproxy.cfg", vars: u.vars(),
		args: func(dir, conf string, port int) []string { return []string{"-db", "-f", conf} },
		stop: os.Interrupt,
	}.start(t)
}

func startVarnish(t *testing.T, u upstreams) string {
	return child{
		name: "Varnish", bin: findBinary(t, "VARNISHD", proxiesInstallHint, "varnishd", "/usr/sbin/varnishd"),
		conf: template(t, "varnish.vcl"), confName: "default.vcl", vars: u.vars(),
		args: func(dir, conf string, port int) []string {
			// -j none: no privilege separation, so that the temporary
			// directory root made stays readable; -s: a small memory store.
			return []string{"-F", "-j", "none", "-n", filepath.Join(dir, "varnish"), "-a", "127.0.0.1:" + strconv.Itoa(port),
				"-T", "none", "-f", conf, "-s", "malloc,16m", "-p", "first_byte_timeout=2"}
		},
	}.start(t)
}

func startSquid(t *testing.T, u upstreams) string {
	return child{
		name: "Squid", bin: findBinary(t, "SQUID", proxiesInstallHint, "squid", "/usr/sbin/squid"),
		conf: template(t, "squid.conf"), confName: "squid.conf", vars: u.vars(),
		args:  func(dir, conf string, port int) []string { return []string{"-N", "-f", conf} },
		setup: ownedBy("proxy"),
		logs:  []string{"cache.log"},
	}.start(t)
}

func startCaddy(t *testing.T, u upstreams) string {
	return child{
		name: "Caddy", bin: findBinary(t, "CADDY", proxiesInstallHint, "caddy", "/usr/bin/caddy"),
		conf: template(t, "Caddyfile"), confName: "Caddyfile", vars: u.vars(),
		args: func(dir, conf string, port int) []string {
			return []string{"run", "--config", conf, "--adapter", "caddyfile"}
		},
		// Caddy keeps state under $HOME and $XDG_*: here, the test's directory.
		env: []string{"HOME={{dir}}", "XDG_DATA_HOME={{dir}}/data", "XDG_CONFIG_HOME={{dir}}/config"},
	}.start(t)
}

// proxyCase is one misconfiguration and what corscheck must conclude.
type proxyCase struct {
	hopCase
	path  string            // appended to the proxy's base URL
	layer string            // the layer the cause must name; "" when no evidence can
	warm  func(base string) // what another visitor did before the check
	// notFix are words the fix must not have: another product's terms.
	notFix []string
}

// nginxTerms are nginx's configuration words, which a fix for another
// product must not use.
var nginxTerms = []string{"proxy_read_timeout", "add_header", "proxy_hide_header", "limit_except", "proxy_pass", "nginx"}

// runProxyCases runs each case against base, in order.
func runProxyCases(t *testing.T, base string, cases []proxyCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if tt.warm != nil {
				tt.warm(base)
			}
			path := tt.path
			tt.url = func() string { return base + path }
			if tt.probes == 0 {
				tt.probes = -1 // how many probes is the diagnosis's business
			}
			res := runHop(t, tt.hopCase)
			if t.Failed() {
				logResult(t, res)
			}
			if tt.code == "" || res.Failure == nil {
				return
			}
			if tt.layer != "" {
				assert.Contains(t, res.Failure.Cause, tt.layer, "the cause names the layer")
			}
			for _, w := range append(tt.notFix, nginxTerms...) {
				assert.NotContains(t, res.Failure.Fix, w, "the fix is in %s's terms", tt.layer)
			}
		})
	}
}

// logResult shows what corscheck concluded and what it saw, for the notes.
func logResult(t *testing.T, res Result) {
	t.Helper()
	if f := res.Failure; f != nil {
		t.Logf("corscheck says: %s (%s) at %s\ncause: %s\nfix: %s", f.Diagnosis, f.Code, f.Step, f.Cause, f.Fix)
	}
	for _, s := range res.Steps {
		var h []string
		for _, f := range s.ResponseHeaders {
			h = append(h, f.Name+": "+f.Value)
		}
		t.Logf("%s %s %s -> %d; %s", s.Kind, s.Method, s.URL, s.Status, strings.Join(h, "; "))
	}
}
