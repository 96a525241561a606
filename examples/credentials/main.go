// Command credentials shows cookies across origins: the frontend at
// https://app.example.com signs in against the API at
// https://api.example.com, which sets a session cookie; later calls send it
// back. The frontend's side:
//
//	await fetch("https://api.example.com/login", {
//	  method: "POST", credentials: "include",
//	  headers: {"Content-Type": "application/json"},
//	  body: JSON.stringify({name: "ada"}),
//	});
//	const me = await fetch("https://api.example.com/me", {credentials: "include"});
//
// Three things must hold for the browser to store and send the cookie: the
// API names the exact origin (never "*") with
// Access-Control-Allow-Credentials: true, which AllowCredentials does; the
// cookie is Secure, so the API is served over HTTPS; and its SameSite lets it
// travel. app.example.com and api.example.com are the same site (same
// registrable domain), so SameSite=Lax works and third-party cookie blocking
// does not apply. A frontend on another site would need SameSite=None, and
// browsers that block third-party cookies would still drop it.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"sync"

	"github.com/corsguard/cors"
)

// newHandler builds the API, readable with credentials by frontend only.
func newHandler(frontend string) (http.Handler, error) {
	m, err := cors.New(cors.Options{
		AllowedOrigins:   []string{frontend},
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
	})
	if err != nil {
		return nil, err
	}
	s := &sessions{names: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", s.login)
	mux.HandleFunc("/me", s.me)
	return m.Handler(mux), nil
}

// sessions maps session tokens to user names; a real API keeps them in a store.
type sessions struct {
	mu    sync.Mutex
	names map[string]string
}

func (s *sessions) login(w http.ResponseWriter, r *http.Request) {
	var body struct{ Name string }
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&body) != nil || body.Name == "" {
		http.Error(w, `want POST {"name": "..."}`, http.StatusBadRequest)
		return
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		http.Error(w, "no randomness", http.StatusInternalServerError)
		return
	}
	token := hex.EncodeToString(b)
	s.mu.Lock()
	s.names[token] = body.Name
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: "session", Value: token, Path: "/",
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	w.WriteHeader(http.StatusNoContent)
}

func (s *sessions) me(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie("session")
	var name string
	if err == nil {
		s.mu.Lock()
		name = s.names[c.Value]
		s.mu.Unlock()
	}
	if name == "" {
		http.Error(w, "not signed in", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"name": name})
}

func main() {
	frontend := os.Getenv("FRONTEND_ORIGIN")
	if frontend == "" {
		frontend = "https://app.example.com"
	}
	h, err := newHandler(frontend)
	if err != nil {
		log.Fatal(err)
	}
	// Secure cookies need HTTPS; browsers make an exception for localhost only.
	cert, key := os.Getenv("TLS_CERT"), os.Getenv("TLS_KEY")
	if cert == "" || key == "" {
		log.Printf("no TLS_CERT/TLS_KEY: plain HTTP on http://127.0.0.1:8080, fit for localhost only")
		log.Fatal(http.ListenAndServe("127.0.0.1:8080", h))
	}
	log.Fatal(http.ListenAndServeTLS("127.0.0.1:8443", cert, key, h))
}
