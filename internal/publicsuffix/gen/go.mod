module github.com/corsguard/cors/internal/publicsuffix/gen

go 1.24.0

require (
	github.com/corsguard/cors v0.0.0
	github.com/stretchr/testify v1.12.1
	github.com/weppos/publicsuffix-go v0.50.3
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/net v0.50.0 // indirect
	golang.org/x/text v0.34.0 // indirect
)

// The tests hold the library's embedded table against the source.
replace github.com/corsguard/cors => ../../..
