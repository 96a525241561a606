// Command metrics counts the requests that the CORS policy refuses, with
// Prometheus, so that operators see what browsers report only in their
// users' consoles.
//
// Options.OnRefused is called once for each refused request. The counter is
// labelled by the kind of refusal and by whether the request was a
// preflight: a rise in refused preflights from the frontend usually means a
// new header or method that the policy does not list yet. The refused origin
// (why.Value) is never a label: any client writes whatever Origin it likes,
// and each distinct value would become a new time series kept forever.
//
// /metrics is served outside the CORS policy: the scraper sends no Origin,
// and no browser script needs to read it.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/corsguard/cors"
)

// newRefusals registers the counter of refused requests with reg.
func newRefusals(reg prometheus.Registerer) *prometheus.CounterVec {
	refused := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cors_refused_requests_total",
		Help: "Requests refused by the CORS policy, by what was refused.",
	}, []string{"kind", "preflight"}) // bounded label values only: see the package comment
	reg.MustRegister(refused)
	return refused
}

// newHandler serves the API behind the CORS policy, and reg's metrics
// beside it.
func newHandler(reg *prometheus.Registry) (http.Handler, error) {
	refused := newRefusals(reg)
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodGet, http.MethodPut},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
		OnRefused: func(_ *http.Request, why cors.Refusal) {
			refused.WithLabelValues(why.Kind.String(), strconv.FormatBool(why.Preflight)).Inc()
		},
	})
	if err != nil {
		return nil, err
	}
	api := http.NewServeMux()
	api.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]string{"apple", "pear"})
	})
	api.HandleFunc("PUT /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})

	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/", m.Handler(api))
	return mux, nil
}

func main() {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h, err := newHandler(reg)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", h))
}
