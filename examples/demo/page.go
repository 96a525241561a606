package main

import (
	_ "embed"
	"html/template"
	"net/http"
)

//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// pageData is what page.html needs to know: where the two APIs are, and which
// origin plays the allowed page and which the foreign one.
type pageData struct {
	Guarded, Handwritten, Page, Other string
}

// newPage serves page.html. The same handler runs on the allowed and on the
// foreign origin; the script looks at location.origin to know which it is.
func newPage(data pageData) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = pageTemplate.Execute(w, data) // an error means the client is gone
	})
}
