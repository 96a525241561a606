package proxylab

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/corsguard/cors"
)

// OtherOrigin is the second origin the application allows: another
// visitor's, whose answers a misconfigured cache serves to everyone.
const OtherOrigin = "https://admin.example.com"

// Upstreams is where the proxies send requests, each a host:port: the
// application; Bare, an application without any CORS layer, which answers
// 500 on /bare/fail/ and 200 elsewhere; and Down, where nothing listens.
type Upstreams struct{ App, Bare, Down string }

// okJSON answers 200 with a short JSON body.
func okJSON(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
}

// NewUpstreams starts the application behind the proxies, for the test's
// lifetime: the library allowing pageOrigin and [OtherOrigin], PUT and
// POST, X-Api-Key and Content-Type, with credentials on any path that has a
// /star/ or /cred/ segment. Every path answers 200 with a short JSON body,
// but /slow/ answers after 3 s, longer than every proxy here waits.
func NewUpstreams(t testing.TB, pageOrigin string) Upstreams {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", okJSON)
	mux.HandleFunc("/slow/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	opts := cors.Options{
		AllowedOrigins: []string{pageOrigin, OtherOrigin},
		AllowedMethods: []string{http.MethodPut, http.MethodPost},
		AllowedHeaders: []string{"X-Api-Key", "Content-Type"},
	}
	plain, err := cors.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.AllowCredentials = true
	credentialed, err := cors.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	withoutCredentials, withCredentials := plain.Handler(mux), credentialed.Handler(mux)
	app := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/star/") || strings.Contains(r.URL.Path, "/cred/") {
			withCredentials.ServeHTTP(w, r)
			return
		}
		withoutCredentials.ServeHTTP(w, r)
	}))
	// A proxy that gives up on /slow/ leaves net/http a broken connection to log.
	app.Config.ErrorLog = log.New(io.Discard, "", 0)
	app.Start()
	t.Cleanup(app.Close)
	return Upstreams{App: app.Listener.Addr().String(), Bare: bareApp(t), Down: closedAddr(t)}
}

// bareApp starts an application that has no CORS layer: the proxy in
// front of it is meant to add the headers.
func bareApp(t testing.TB) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", okJSON)
	mux.HandleFunc("/bare/fail/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the database is down", http.StatusInternalServerError)
	})
	bare := httptest.NewServer(mux)
	t.Cleanup(bare.Close)
	return bare.Listener.Addr().String()
}

// closedAddr returns a loopback host:port where nothing listens.
func closedAddr(t testing.TB) string {
	t.Helper()
	return "127.0.0.1:" + strconv.Itoa(freePort(t))
}

// vars are the template variables of the configurations.
func (u Upstreams) vars() map[string]string {
	_, appPort, _ := net.SplitHostPort(u.App)
	_, downPort, _ := net.SplitHostPort(u.Down)
	return map[string]string{"app": u.App, "bare": u.Bare, "down": u.Down, "appport": appPort, "downport": downPort}
}

// visit sends one request, as another visitor (or an earlier page) did.
func visit(t testing.TB, method, url string, h http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
}
