// Command envconfig serves an API whose CORS policy comes from the
// environment, and refuses to start when that policy is invalid:
//
//	CORS_ALLOWED_ORIGINS=https://app.example.com,https://*.example.org \
//	CORS_ALLOWED_METHODS=GET,POST,DELETE \
//	CORS_ALLOWED_HEADERS=Authorization,Content-Type \
//	CORS_MAX_AGE=1h \
//	go run ./examples/envconfig
//
// A typo such as CORS_ALLOWED_ORIGINS=https://app.example.com/ (trailing
// slash: browsers never send one) stops the program before it listens, with
// the reason and the fix printed, instead of a server that silently refuses
// every browser.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/corsguard/cors"
)

// newHandler builds the API behind the CORS policy read from the variables
// named prefix_ALLOWED_ORIGINS, prefix_ALLOWED_METHODS, and so on.
func newHandler(prefix string) (http.Handler, error) {
	opts, err := cors.FromEnv(prefix)
	if err != nil {
		return nil, err
	}
	m, err := cors.New(opts)
	if err != nil {
		return nil, err
	}
	return m.Handler(api()), nil
}

func api() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
	})
	return mux
}

func main() {
	h, err := newHandler("CORS")
	if err != nil {
		// Every problem is listed, one per line, each with its fix.
		log.Fatalf("invalid CORS configuration:\n%v", err)
	}
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	log.Printf("listening on http://%s", addr)
	log.Fatal(http.ListenAndServe(addr, h))
}
