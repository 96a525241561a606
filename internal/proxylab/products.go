package proxylab

import (
	"embed"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

//go:embed conf
var confs embed.FS

// Product is one proxy or cache, and the misconfigurations it is run with.
type Product struct {
	// Name is how corscheck's layer table names it, e.g. "Apache httpd".
	Name string
	// Scenarios are the misconfigurations its configuration holds, one
	// path prefix each; every one is checked by corscheck and by Chromium.
	Scenarios []Scenario
	run       func(t testing.TB, u Upstreams) child
}

// Start runs p as a child process on a loopback port of its own, in front
// of u, and returns its base URL (http://127.0.0.1:port). The server stops,
// with every process it forked, when the test ends.
func (p Product) Start(t testing.TB, u Upstreams) string {
	t.Helper()
	return p.run(t, u).start(t)
}

// Products are the proxies and caches that run here, in the order the
// suites run them.
var Products = []Product{Nginx, Apache, HAProxy, Varnish, Squid, Caddy}

// installHint is what to do when a server is missing.
const installHint = "install it with `apt-get install -y nginx-light apache2 haproxy varnish squid caddy`"

// template reads a configuration template.
func template(t testing.TB, name string) string {
	t.Helper()
	b, err := confs.ReadFile("conf/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ownedBy gives dir to user, for servers that drop root's privileges.
func ownedBy(user string) func(t testing.TB, dir string) {
	return func(t testing.TB, dir string) {
		t.Helper()
		if out, err := exec.Command("chown", "-R", user, dir).CombinedOutput(); err != nil {
			t.Fatalf("chown %s: %v: %s", dir, err, out)
		}
	}
}

// Nginx is Debian's nginx (nginx-light or nginx), in the foreground.
var Nginx = Product{Name: "nginx", Scenarios: nginxScenarios, run: func(t testing.TB, u Upstreams) child {
	return child{
		name: "nginx", bin: findBinary(t, "NGINX", installHint, "nginx", "/usr/sbin/nginx"),
		conf: template(t, "nginx.conf"), confName: "nginx.conf", vars: u.vars(),
		args: func(dir, conf string, port int) []string {
			return []string{"-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log")}
		},
		stop: os.Interrupt, // nginx's fast shutdown
		setup: func(t testing.TB, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "html"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "htpasswd"), []byte("user:{PLAIN}secret\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		},
		logs: []string{"error.log"},
	}
}}

// Apache is Debian's Apache httpd, in the foreground (-X).
var Apache = Product{Name: "Apache httpd", Scenarios: apacheScenarios, run: func(t testing.TB, u Upstreams) child {
	return child{
		name: "Apache httpd", bin: findBinary(t, "APACHE2", installHint, "apache2", "/usr/sbin/apache2"),
		conf: template(t, "apache2.conf"), confName: "apache2.conf", vars: u.vars(),
		args: func(dir, conf string, port int) []string { return []string{"-X", "-f", conf} },
		logs: []string{"error.log"},
	}
}}

// HAProxy is Debian's HAProxy, in the foreground (-db).
var HAProxy = Product{Name: "HAProxy", Scenarios: haproxyScenarios, run: func(t testing.TB, u Upstreams) child {
	return child{
		name: "HAProxy", bin: findBinary(t, "HAPROXY", installHint, "haproxy", "/usr/sbin/haproxy"),
		conf: template(t, "haproxy.cfg"), confName: "haproxy.cfg", vars: u.vars(),
		args: func(dir, conf string, port int) []string { return []string{"-db", "-f", conf} },
		stop: os.Interrupt,
	}
}}

// Varnish is Debian's varnishd, in the foreground (-F).
var Varnish = Product{Name: "Varnish", Scenarios: varnishScenarios, run: func(t testing.TB, u Upstreams) child {
	return child{
		name: "Varnish", bin: findBinary(t, "VARNISHD", installHint, "varnishd", "/usr/sbin/varnishd"),
		conf: template(t, "varnish.vcl"), confName: "default.vcl", vars: u.vars(),
		args: func(dir, conf string, port int) []string {
			// -j none: no privilege separation, so that the temporary
			// directory root made stays readable; -s: a small memory store.
			return []string{"-F", "-j", "none", "-n", filepath.Join(dir, "varnish"), "-a", "127.0.0.1:" + strconv.Itoa(port),
				"-T", "none", "-f", conf, "-s", "malloc,16m", "-p", "first_byte_timeout=2"}
		},
	}
}}

// Squid is Debian's Squid as an accelerator, in the foreground (-N).
var Squid = Product{Name: "Squid", Scenarios: squidScenarios, run: func(t testing.TB, u Upstreams) child {
	return child{
		name: "Squid", bin: findBinary(t, "SQUID", installHint, "squid", "/usr/sbin/squid"),
		conf: template(t, "squid.conf"), confName: "squid.conf", vars: u.vars(),
		args:  func(dir, conf string, port int) []string { return []string{"-N", "-f", conf} },
		setup: ownedBy("proxy"),
		logs:  []string{"cache.log"},
	}
}}

// Caddy is Debian's Caddy, with its admin endpoint and automatic HTTPS off.
var Caddy = Product{Name: "Caddy", Scenarios: caddyScenarios, run: func(t testing.TB, u Upstreams) child {
	return child{
		name: "Caddy", bin: findBinary(t, "CADDY", installHint, "caddy", "/usr/bin/caddy"),
		conf: template(t, "Caddyfile"), confName: "Caddyfile", vars: u.vars(),
		args: func(dir, conf string, port int) []string {
			return []string{"run", "--config", conf, "--adapter", "caddyfile"}
		},
		// Caddy keeps state under $HOME and $XDG_*: here, the test's directory.
		env: []string{"HOME={{dir}}", "XDG_DATA_HOME={{dir}}/data", "XDG_CONFIG_HOME={{dir}}/config"},
	}
}}
