// Command demo shows, in a real browser, what corsguard changes.
//
// It starts, on loopback, the same small API twice, behind corsguard and behind a
// typical hand-written CORS middleware, and a page on another origin that makes
// the same calls to both: a plain GET, a 500 from an error path, a handler that
// panics, a request header the policy does not allow, and a GET from an origin
// that is not allowed. Side by side, the page shows what the script saw, what
// Chromium, Firefox and WebKit print in their consoles, and what to do.
//
//	go run ./examples/demo    # then open the "page" URL it prints
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
	cfg, err := parseFlags(os.Args[1:])
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

// parseFlags reads the command line.
func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.StringVar(&cfg.guardedAddr, "api", "127.0.0.1:8080", "`host:port` of the API behind corsguard (port 0 = any free port)")
	fs.StringVar(&cfg.handwrittenAddr, "handwritten", "127.0.0.1:8083", "`host:port` of the same API behind a hand-written CORS middleware")
	fs.StringVar(&cfg.pageAddr, "page", "127.0.0.1:8081", "`host:port` of the page; its origin is allowed")
	fs.StringVar(&cfg.otherAddr, "other", "127.0.0.1:8082", "`host:port` of the same page from an origin that is NOT allowed")
	err := fs.Parse(args)
	return cfg, err
}

// printURLs tells the user where to look. The e2e tests parse these lines, so keep
// each one as "<label> <url>".
func printURLs(w io.Writer, d *demo) {
	fmt.Fprintln(w, "corsguard demo: the same API behind corsguard and behind a hand-written CORS middleware")
	fmt.Fprintf(w, "corsguard    %s\n", d.GuardedURL)
	fmt.Fprintf(w, "handwritten  %s\n", d.HandwrittenURL)
	fmt.Fprintf(w, "page         %s/  <- open this one in a browser\n", d.PageURL)
	fmt.Fprintf(w, "other        %s/  (the same page from an origin that is not allowed)\n", d.OtherURL)
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}
