module github.com/corsguard/cors/adapters/echo

go 1.25.0

require (
	github.com/corsguard/cors v0.0.0
	github.com/labstack/echo/v5 v5.4.4
	github.com/stretchr/testify v1.12.1
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace github.com/corsguard/cors => ../..
