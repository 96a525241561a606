module github.com/corsguard/cors/bench

go 1.22

replace github.com/corsguard/cors => ../

require (
	github.com/corsguard/cors v0.0.0-00010101000000-000000000000
	github.com/go-chi/cors v1.2.2
	github.com/gorilla/handlers v1.5.2
	github.com/rs/cors v1.11.1
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/felixge/httpsnoop v1.0.3 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
