package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/corsguard/cors"
)

// config holds the command-line settings: where each server listens.
type config struct {
	guardedAddr, handwrittenAddr, pageAddr, otherAddr string
}

// demo is the four running servers: the API behind corsguard, the same API
// behind a hand-written CORS middleware, the page from an allowed origin, and
// the same page from an origin that is not allowed.
type demo struct {
	GuardedURL, HandwrittenURL, PageURL, OtherURL string // "http://host:port", no trailing slash
	servers                                       []*http.Server
}

// start listens on every address first, so that port 0 works: the page's origin
// (which the policy must allow) is only known once its port is.
func start(cfg config, logger *slog.Logger) (*demo, error) {
	addrs := []struct{ flag, addr string }{
		{"api", cfg.guardedAddr}, {"handwritten", cfg.handwrittenAddr}, {"page", cfg.pageAddr}, {"other", cfg.otherAddr},
	}
	listeners := make([]net.Listener, 0, len(addrs))
	closeAll := func() {
		for _, ln := range listeners {
			ln.Close()
		}
	}
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a.addr)
		if err != nil {
			closeAll()
			return nil, listenError(a.flag, err)
		}
		listeners = append(listeners, ln)
	}
	d := &demo{
		GuardedURL:     baseURL(listeners[0]),
		HandwrittenURL: baseURL(listeners[1]),
		PageURL:        baseURL(listeners[2]),
		OtherURL:       baseURL(listeners[3]),
	}

	mw, err := cors.New(cors.Options{
		AllowedOrigins: []string{d.PageURL},
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPut},
		AllowedHeaders: []string{"Content-Type"},
		ExposedHeaders: []string{"X-Request-Id"},
		Logger:         logger,
	})
	if err != nil {
		closeAll()
		return nil, err
	}
	page := newPage(pageData{Guarded: d.GuardedURL, Handwritten: d.HandwrittenURL, Page: d.PageURL, Other: d.OtherURL})
	handlers := []http.Handler{
		mw.Handler(newAPI(logger)),
		handwrittenCORS(d.PageURL, newAPI(logger)),
		page,
		page,
	}
	for i, h := range handlers {
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

// listenError names the flag that moves a server whose port is taken: "address
// already in use" alone does not say which of the four it was or what to do.
func listenError(flag string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w: another program uses that port; choose another with -%s host:port (port 0 picks a free one)", err, flag)
	}
	return fmt.Errorf("-%s: %w", flag, err)
}

// Close stops the servers.
func (d *demo) Close() error {
	var errs []error
	for _, srv := range d.servers {
		errs = append(errs, srv.Close())
	}
	return errors.Join(errs...)
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
