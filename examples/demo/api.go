package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
)

// newAPI is the application: plain handlers that know nothing about CORS, and
// the recovery middleware that usually goes with them. The demo puts this same
// handler behind corsguard and behind a hand-written CORS middleware.
func newAPI(logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/hello", hello)
	mux.HandleFunc("/api/items/", putItem)
	mux.HandleFunc("/api/fail", fail)
	mux.HandleFunc("/api/panic", func(http.ResponseWriter, *http.Request) {
		panic("demo: the handler hit a bug") // a nil map, an index out of range...
	})
	return recoverPanics(logger, mux)
}

// hello answers a simple request; X-Request-Id is readable by the page only
// because the policy exposes it.
func hello(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("X-Request-Id", randomID())
	writeJSON(w, http.StatusOK, map[string]string{"message": "hello from the API"})
}

// putItem takes a JSON body, so the browser sends a preflight before it.
func putItem(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		w.Header().Set("Allow", http.MethodPut)
		writeError(w, http.StatusMethodNotAllowed, "use PUT")
		return
	}
	var item map[string]any
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&item); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	item["id"] = strings.TrimPrefix(r.URL.Path, "/api/items/")
	writeJSON(w, http.StatusOK, item)
}

// fail prepares a cacheable JSON answer, then its database call fails.
func fail(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "max-age=60")
	writeError(w, http.StatusInternalServerError, "database unavailable")
}

// recoverPanics turns a panic into a 500 through the same error path.
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				logger.Error("handler panicked", "path", r.URL.Path, "panic", v)
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// writeError clears the headers before it answers, so that what was set for a
// success (caching, content type) never goes out with an error. A common
// habit, and it also clears any CORS header set before the handler ran:
// corsguard puts its own back, a hand-written middleware cannot.
func writeError(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	for name := range h {
		delete(h, name)
	}
	http.Error(w, msg, status)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // an error means the client is gone
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	return hex.EncodeToString(b)
}
