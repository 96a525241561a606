module github.com/corsguard/cors/internal/publicsuffix/gen

go 1.24.0

require github.com/weppos/publicsuffix-go v0.50.3

require (
	golang.org/x/net v0.50.0 // indirect
	golang.org/x/text v0.34.0 // indirect
)
