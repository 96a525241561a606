// Package routermatrix holds only tests: a matrix of routers (ServeMux, chi,
// gin, echo, gorilla/mux, httprouter) behind one [cors.Routes] with two
// policies, fed hostile request paths byte for byte over TCP, checking that
// the handler that runs never gets a policy more permissive than its own.
//
// [cors.Routes]: https://pkg.go.dev/github.com/corsguard/cors#Routes
package routermatrix
