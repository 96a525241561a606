package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// sameHeaders answers as corsguard does an allowed actual request and an
// allowed preflight, with static headers and no CORS logic: the cost of
// sending the headers, apart from the cost of deciding them.
var sameHeaders = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Access-Control-Allow-Origin"] = []string{allowedOrigin}
	h["Access-Control-Allow-Credentials"] = []string{"true"}
	if r.Method == http.MethodOptions {
		h["Access-Control-Allow-Methods"] = []string{"PUT"}
		h["Access-Control-Allow-Headers"] = []string{"content-type,x-api-key"}
		h["Access-Control-Max-Age"] = []string{"600"}
		h["Vary"] = []string{"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	h["Access-Control-Expose-Headers"] = []string{"X-Request-Id"}
	h["Vary"] = []string{"Origin"}
	w.WriteHeader(http.StatusOK)
})

// serve starts the servers that wrk.sh loads from another process, prints
// one "name url" line each, and blocks until SIGINT or SIGTERM.
func serve(out io.Writer) error {
	guarded, err := corsguard(okHandler)
	if err != nil {
		return err
	}
	handlers := []struct {
		name string
		h    http.Handler
	}{
		{"bare", okHandler},
		{"corsguard", guarded},
		{"rs-cors", rsCors(okHandler)},
		{"bare-control", okHandler},
		{"bare-same-headers", sameHeaders},
	}
	for _, h := range handlers {
		s, err := start(h.name, h.h, 0, 1)
		if err != nil {
			return err
		}
		defer s.close()
		fmt.Fprintln(out, h.name, s.url)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}
