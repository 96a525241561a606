package main

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/corsguard/cors"
)

// config holds the command-line settings.
type config struct {
	apiAddr, pageAddr, otherAddr string
	unsafe                       bool
}

// demo is the three running servers: the API, the page from an allowed origin and
// the same page from an origin that is not allowed.
type demo struct {
	APIURL, PageURL, OtherURL string // "http://host:port", no trailing slash
	unsafe                    bool
	servers                   []*http.Server
}

// start listens on the three addresses first, so that port 0 works: the page's
// origin (which the policy must allow) is only known once its port is.
func start(cfg config, logger *slog.Logger) (*demo, error) {
	addrs := []string{cfg.apiAddr, cfg.pageAddr, cfg.otherAddr}
	listeners := make([]net.Listener, 0, len(addrs))
	closeAll := func() {
		for _, ln := range listeners {
			ln.Close()
		}
	}
	for _, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			closeAll()
			return nil, err
		}
		listeners = append(listeners, ln)
	}
	d := &demo{
		APIURL:   baseURL(listeners[0]),
		PageURL:  baseURL(listeners[1]),
		OtherURL: baseURL(listeners[2]),
		unsafe:   cfg.unsafe,
	}

	opts, err := policy(d.PageURL)
	if err != nil {
		closeAll()
		return nil, err
	}
	opts.Logger = logger

	var api http.Handler
	if cfg.unsafe {
		api = naiveCORS(opts.AllowedOrigins, newAPI())
	} else {
		mw, err := cors.New(opts)
		if err != nil {
			closeAll()
			return nil, err
		}
		api = mw.Handler(newAPI())
	}
	page := newPage(pageData{API: d.APIURL, Page: d.PageURL, Other: d.OtherURL, Unsafe: cfg.unsafe})

	for i, h := range []http.Handler{api, page, page} {
		srv := &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		}
		d.servers = append(d.servers, srv)
		go srv.Serve(listeners[i]) // returns ErrServerClosed once Close is called
	}
	return d, nil
}

// Close stops the three servers.
func (d *demo) Close() error {
	var errs []error
	for _, srv := range d.servers {
		errs = append(errs, srv.Close())
	}
	return errors.Join(errs...)
}

// policy is the CORS configuration: from the environment when CORS_ALLOWED_ORIGINS
// is set (so people can try their own), else one that lets the demo page in.
func policy(pageOrigin string) (cors.Options, error) {
	if os.Getenv("CORS_ALLOWED_ORIGINS") != "" {
		return cors.FromEnv("CORS")
	}
	return cors.Options{
		AllowedOrigins:   []string{pageOrigin},
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: true, // the page sends the API's cookie back
	}, nil
}

// baseURL is the origin a browser uses for ln. An unspecified host (":8080",
// "0.0.0.0:8080") becomes 127.0.0.1, since browsers cannot be pointed at it.
func baseURL(ln net.Listener) string {
	addr := ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
}
