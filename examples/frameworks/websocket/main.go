// Command websocket checks WebSocket handshakes against the same origin list
// as the CORS policy of the JSON API beside them.
//
// Browsers apply no CORS to a WebSocket handshake, yet they send the user's
// cookies with it, so a server that accepts every Origin lets any page open
// a socket as the user (cross-site WebSocket hijacking). gorilla/websocket's
// default check accepts only the server's own host, which refuses the
// frontend on another origin; m.CheckOrigin accepts exactly the origins the
// policy allows by name, follows m.Reconfigure, and lets requests without
// Origin (non-browser clients) through. A "*" policy names no origin, so it
// opens no handshake from a browser.
//
// The socket route sits behind the middleware with the rest: the middleware
// passes http.Hijacker through, so the upgrade works there. Unlike
// gorilla's default, m.CheckOrigin does not accept the server's own origin
// unless it is listed.
package main

import (
	"encoding/json"
	"log"
	"net/http"

	"github.com/gorilla/websocket"

	"github.com/corsguard/cors"
)

// newPolicy is the frontend's policy, for the API and the sockets alike.
func newPolicy() (*cors.Middleware, error) {
	return cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowCredentials: true,
	})
}

// newHandler serves the API and the socket endpoint behind m.
func newHandler(m *cors.Middleware) http.Handler {
	upgrader := websocket.Upgrader{CheckOrigin: m.CheckOrigin}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has answered: 403 for a refused origin
		}
		defer conn.Close()
		echo(conn)
	})
	return m.Handler(mux)
}

// echo sends every message back until the client goes away.
func echo(conn *websocket.Conn) {
	for {
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := conn.WriteMessage(kind, msg); err != nil {
			return
		}
	}
}

func main() {
	m, err := newPolicy()
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", newHandler(m)))
}
