//go:build nginx

package main

import (
	"bytes"
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
)

// These tests put Debian's nginx, run as a child process on loopback with a
// configuration of its own, in front of the real library, and hold
// corscheck to naming what nginx did. They need nginx, so they build only
// with -tags nginx, which CI sets after installing it:
//
//	go test -tags nginx ./cmd/corscheck
//
// With the tag, a missing nginx fails the test: these are the only tests
// that show a real proxy, and they must not pass by not running.

// nginxInstallHint is what to do when nginx is missing.
const nginxInstallHint = "install it with `apt-get update && apt-get install -y nginx-light` (or nginx), or set NGINX to its path"

// nginxPath finds nginx: $NGINX, else nginx on PATH, else /usr/sbin/nginx
// (where Debian puts it, outside a non-root PATH).
func nginxPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("NGINX"), "nginx", "/usr/sbin/nginx"}
	if candidates[0] != "" {
		candidates = candidates[:1]
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if found, err := exec.LookPath(c); err == nil {
			return found
		}
	}
	t.Fatalf("nginx not found (tried %s): %s", strings.Join(candidates, ", "), nginxInstallHint)
	return ""
}

// nginxConf is the configuration: one server, one location per
// misbehaviour. {{dir}}, {{port}}, {{app}} and {{down}} are filled in.
const nginxConf = `
daemon off;
master_process off;
worker_processes 1;
pid {{dir}}/nginx.pid;
error_log {{dir}}/error.log info;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path {{dir}}/body;
	proxy_temp_path {{dir}}/proxy;
	fastcgi_temp_path {{dir}}/fastcgi;
	uwsgi_temp_path {{dir}}/uwsgi;
	scgi_temp_path {{dir}}/scgi;
	proxy_cache_path {{dir}}/cache keys_zone=api:1m;

	server {
		listen 127.0.0.1:{{port}};
		root {{dir}}/html;

		# A faithful reverse proxy.
		location /ok/ { proxy_pass http://{{app}}; }
		# Nothing listens upstream: nginx answers 502 itself.
		location /down/ { proxy_pass http://{{down}}; }
		# The application takes longer than nginx waits: 504.
		location /slow/ { proxy_pass http://{{app}}; proxy_read_timeout 1s; }
		# A header rule strips the application's Access-Control-Allow-Origin.
		location /strip/ { proxy_pass http://{{app}}; proxy_hide_header Access-Control-Allow-Origin; }
		# A cache that ignores Vary, as many CDN setups do.
		location /cached/ {
			proxy_pass http://{{app}};
			proxy_cache api;
			proxy_cache_valid 200 10m;
			proxy_ignore_headers Vary;
			add_header X-Cache-Status $upstream_cache_status;
		}
		# A prefix location with a trailing slash: nginx redirects /dir to /dir/.
		location /dir/ { proxy_pass http://{{app}}; }
		# Only GET and POST get through.
		location /limited/ {
			limit_except GET POST { deny all; }
			proxy_pass http://{{app}};
		}
		# HTTP Basic authentication in front of everything.
		location /auth/ {
			auth_basic "api";
			auth_basic_user_file {{dir}}/htpasswd;
			proxy_pass http://{{app}};
		}
		# The proxy adds its own Access-Control-Allow-Origin on top.
		location /twice/ {
			proxy_pass http://{{app}};
			add_header Access-Control-Allow-Origin * always;
		}
		# http to https.
		location /insecure/ { return 301 https://$host:8443$request_uri; }
		# nginx closes the connection without a response.
		location /drop/ { return 444; }
	}
}
`

// startNginx runs nginx with nginxConf in front of app and returns its base
// URL. It stops when the test ends.
func startNginx(t *testing.T, app string) string {
	t.Helper()
	bin := nginxPath(t)
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "html"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "htpasswd"), []byte("user:{PLAIN}secret\n"), 0o644))
	down := strings.TrimPrefix(closedURL(t), "http://")
	var lastErr string
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		conf := strings.NewReplacer("{{dir}}", dir, "{{port}}", strconv.Itoa(port), "{{app}}", app, "{{down}}", down).Replace(nginxConf)
		confPath := filepath.Join(dir, "nginx.conf")
		require.NoError(t, os.WriteFile(confPath, []byte(conf), 0o644))
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"))
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		require.NoError(t, cmd.Start())
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		addr := "127.0.0.1:" + strconv.Itoa(port)
		if waitListening(addr, exited) {
			t.Cleanup(func() {
				_ = cmd.Process.Signal(os.Interrupt) // nginx's fast shutdown
				select {
				case <-exited:
				case <-time.After(5 * time.Second):
					_ = cmd.Process.Kill()
					<-exited
				}
			})
			return "http://" + addr
		}
		_ = cmd.Process.Kill()
		<-exited
		log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		lastErr = stderr.String() + string(log)
	}
	t.Fatalf("nginx did not start:\n%s", lastErr)
	return ""
}

func TestBehindNginx(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", ok)
	mux.HandleFunc("/slow/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	app := serve(t, library(t, mux))
	base := startNginx(t, strings.TrimPrefix(app.URL, "http://"))
	at := func(path string) func() string { return func() string { return base + path } }
	put := []string{"-method", "PUT", "-H", "X-Api-Key: k"}

	t.Run("a faithful proxy", func(t *testing.T) {
		runHop(t, hopCase{args: put, url: at("/ok/items")})
	})
	for _, tt := range []hopCase{
		{
			name: "upstream down", args: put, url: at("/down/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagGatewayError, probes: 0,
			cause: []string{"nginx answered 502 Bad Gateway to the preflight"},
			fix:   []string{"'connect() failed'", "add_header ... always"},
		},
		{
			name: "upstream too slow", url: at("/slow/items"),
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagGatewayError, probes: 0,
			cause: []string{"nginx answered 504 Gateway Timeout to the request"},
			fix:   []string{"proxy_read_timeout"},
		},
		{
			name: "nginx's own 404", url: at("/nowhere"),
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagProxyErrorPage, probes: 0,
			cause: []string{"nginx answered 404 Not Found with its own error page"},
		},
		{
			name: "proxy_hide_header", args: put, url: at("/strip/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAllowOriginStripped, probes: 0,
			cause: []string{"carries other CORS headers", "proxy_hide_header"},
		},
		{
			name: "proxy_hide_header, with -direct", args: append([]string{"-direct", app.URL + "/strip/items"}, put...), url: at("/strip/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyBreaksCORS, probes: 0,
			cause: []string{"straight to the application it got 204 No Content with 'Access-Control-Allow-Origin: https://app.example.com'"},
		},
		{
			name: "trailing-slash redirect", url: at("/dir"),
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagRedirectTrailingSlash, probes: 0,
			cause: []string{"301 Moved Permanently", base + "/dir/"},
		},
		{
			name: "http to https", url: at("/insecure/items"),
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagRedirectToHTTPS, probes: 0,
		},
		{
			name: "limit_except refuses OPTIONS", args: put, url: at("/limited/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyRefusedOptions, probes: 3,
			cause: []string{"nginx refused the OPTIONS request itself with 403", "named by its error page"}, fix: []string{"limit_except"},
		},
		{
			name: "the library's 403, through nginx", origin: "https://evil.example.net", args: put, url: at("/ok/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagCORSRefusedOrigin, probes: 1,
		},
		{
			name: "auth_basic", args: put, url: at("/auth/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAuthBeforeCORS, probes: 0,
		},
		{
			name: "add_header on top of the application's", url: at("/twice/items"),
			code: "multiple_allow_origin_values", step: kindRequest, diagnosis: diagAllowOriginTwice, probes: 0,
			cause: []string{`2 Access-Control-Allow-Origin headers ("https://app.example.com", "*")`},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runHop(t, tt)
			if tt.diagnosis != diagAuthBeforeCORS && tt.diagnosis != diagCORSRefusedOrigin && tt.diagnosis != diagRedirectToHTTPS {
				assert.Equal(t, "nginx", firstValue(res.Steps[0], "Server")[:5], "the report shows who answered")
			}
		})
	}
	t.Run("a cache that ignores Vary", func(t *testing.T) {
		warm(t, base+"/cached/items", otherOrigin)
		res := runHop(t, hopCase{
			url: at("/cached/items"), code: "allow_origin_mismatch", step: kindRequest, diagnosis: diagCacheIgnoresVary, probes: 1,
			cause: []string{"X-Cache-Status: HIT", "'Access-Control-Allow-Origin: https://admin.example.com'"},
		})
		assert.Equal(t, "HIT", firstValue(res.Steps[0], "X-Cache-Status"))
	})
	t.Run("return 444 drops the connection", func(t *testing.T) {
		code, res := runJSON(t, "-origin", pageOrigin, base+"/drop/items")
		assert.Equal(t, exitError, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, diagConnectionDropped, res.Failure.Diagnosis)
		assert.Contains(t, res.Failure.Cause, "nginx's 'return 444'")
	})
	t.Run("a console message about nginx's 502", func(t *testing.T) {
		msg := "Access to fetch at '" + base + "/down/items' from origin '" + pageOrigin + "' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
		code, res := runJSON(t, msg)
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Pasted)
		assert.True(t, res.Pasted.Reproduced)
		assert.Equal(t, diagGatewayError, res.Failure.Diagnosis)
	})
}

// firstValue returns the first shown value of a response header of step.
func firstValue(s *Step, name string) string {
	for _, f := range s.ResponseHeaders {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return "(none)"
}
