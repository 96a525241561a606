package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
)

// newAPI is the application: plain handlers that know nothing about CORS.
func newAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/hello", hello)
	mux.HandleFunc("/api/items/", putItem)
	mux.HandleFunc("/api/login", login)
	mux.HandleFunc("/api/me", me)
	mux.HandleFunc("/api/panic", func(http.ResponseWriter, *http.Request) {
		// A bug: a nil map, an index out of range... Without crash safety the
		// browser reports a CORS error instead of this 500.
		panic("demo: the handler hit a bug")
	})
	mux.HandleFunc("/api/fail", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "database unavailable", http.StatusInternalServerError)
	})
	return mux
}

// hello answers a simple request; X-Request-Id is readable by the page only
// because the policy exposes it.
func hello(w http.ResponseWriter, r *http.Request) {
	if !allowMethod(w, r, http.MethodGet) {
		return
	}
	w.Header().Set("X-Request-Id", randomID())
	writeJSON(w, http.StatusOK, map[string]string{"message": "hello from the API"})
}

// putItem takes a JSON body: the browser sends a preflight before it.
func putItem(w http.ResponseWriter, r *http.Request) {
	if !allowMethod(w, r, http.MethodPut) {
		return
	}
	var item map[string]any
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&item); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	item["id"] = strings.TrimPrefix(r.URL.Path, "/api/items/")
	writeJSON(w, http.StatusOK, item)
}

// login sets the session cookie that me reads back. SameSite=Lax is enough: the
// page and the API differ only by port, so they are the same site.
func login(w http.ResponseWriter, r *http.Request) {
	if !allowMethod(w, r, http.MethodPost) {
		return
	}
	session := randomID()
	http.SetCookie(w, &http.Cookie{
		Name: "demo_session", Value: session, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	writeJSON(w, http.StatusOK, map[string]string{"session": session})
}

// me echoes the cookie: it arrives only with credentials: "include" and
// Access-Control-Allow-Credentials: true.
func me(w http.ResponseWriter, r *http.Request) {
	if !allowMethod(w, r, http.MethodGet) {
		return
	}
	c, err := r.Cookie("demo_session")
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "no demo_session cookie"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"session": c.Value})
}

// naiveCORS is the kind of CORS middleware people write by hand, kept here to show
// what goes wrong (-unsafe). It sets the headers and calls next; when next panics,
// net/http drops the connection, no response reaches the browser, and the page
// sees "Failed to fetch": a "CORS error" that is really a crash. Do not copy it.
func naiveCORS(allowed []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		for _, o := range allowed {
			if o == origin {
				w.Header().Set("Access-Control-Allow-Origin", origin)
				w.Header().Set("Access-Control-Allow-Credentials", "true")
				w.Header().Set("Access-Control-Expose-Headers", "X-Request-Id")
			}
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

func allowMethod(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method || (method == http.MethodGet && r.Method == http.MethodHead) {
		return true
	}
	w.Header().Set("Allow", method)
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use " + method})
	return false
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
