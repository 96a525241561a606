// Command demo shows corsguard in a real browser.
//
// It starts, on loopback, an API behind the cors middleware and a web page served
// from another origin (another port) that calls the API in several ways: a plain
// GET, a preflighted JSON PUT, a call with a cookie, a handler that panics, one that
// returns 500, and the same GET from a third origin that is not allowed. The page
// shows what the browser let the script see.
//
//	go run ./examples/demo            # then open the "page" URL it prints
//	go run ./examples/demo -unsafe    # the same API behind a naive hand-written CORS middleware
//
// The policy comes from CORS_ALLOWED_ORIGINS, CORS_ALLOWED_METHODS, ... (see
// cors.FromEnv) when CORS_ALLOWED_ORIGINS is set; otherwise the page's origin is
// allowed, with credentials.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		os.Exit(2) // flag has printed the problem and the usage
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	d, err := start(cfg, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
	printURLs(os.Stdout, d)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	d.Close()
}

// parseFlags reads the command line; getenv supplies DEMO_UNSAFE.
func parseFlags(args []string, getenv func(string) string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.StringVar(&cfg.apiAddr, "api", "127.0.0.1:8080", "`host:port` of the API server (port 0 = any free port)")
	fs.StringVar(&cfg.pageAddr, "page", "127.0.0.1:8081", "`host:port` of the page; its origin is allowed")
	fs.StringVar(&cfg.otherAddr, "other", "127.0.0.1:8082", "`host:port` of the same page from an origin that is NOT allowed")
	fs.BoolVar(&cfg.unsafe, "unsafe", getenv("DEMO_UNSAFE") == "1",
		"use a naive hand-written CORS middleware instead of corsguard (also DEMO_UNSAFE=1)")
	err := fs.Parse(args)
	return cfg, err
}

// printURLs tells the user where to look. The e2e tests parse these lines, so keep
// each one as "<label> <url>".
func printURLs(w io.Writer, d *demo) {
	mode := "safe: corsguard answers CORS and turns handler panics into a readable 500"
	if d.unsafe {
		mode = "UNSAFE: a naive hand-written CORS middleware, a handler panic kills the connection"
	}
	fmt.Fprintf(w, "corsguard demo (%s)\n", mode)
	fmt.Fprintf(w, "API    %s\n", d.APIURL)
	fmt.Fprintf(w, "page   %s/  <- open this one in a browser\n", d.PageURL)
	fmt.Fprintf(w, "other  %s/  (the same page from an origin that is not allowed)\n", d.OtherURL)
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}
