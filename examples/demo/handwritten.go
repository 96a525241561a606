package main

import "net/http"

// handwrittenCORS is the kind of CORS middleware people write by hand, kept here
// to show what goes wrong; do not copy it. It sets the headers, then calls next:
// whatever next does to the header map decides whether they survive, so an
// error path that clears the headers (writeError) turns a 500 into a "CORS
// error" in the browser.
func handwrittenCORS(origin string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") == origin {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Expose-Headers", "X-Request-Id")
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
