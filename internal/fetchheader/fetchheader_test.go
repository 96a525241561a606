package fetchheader

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsForbiddenRequestName(t *testing.T) {
	tests := []struct {
		name      string
		forbidden bool
	}{
		{"Connection", true},
		{"connection", true},
		{"COOKIE", true},
		{"Origin", true},
		{"Access-Control-Request-Headers", true},
		{"Sec-Fetch-Mode", true},
		{"sec-", true},
		{"Proxy-Authorization", true},
		{"Authorization", false},
		{"Content-Type", false},
		{"X-Api-Key", false},
		{"X-HTTP-Method-Override", false}, // forbidden only by its value
		{"Secret", false},
		{"Proxyish", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.forbidden, IsForbiddenRequestName(tt.name), tt.name)
	}
}

func TestIsForbiddenResponseName(t *testing.T) {
	for name, forbidden := range map[string]bool{
		"Set-Cookie": true, "set-cookie": true, "Set-Cookie2": true,
		"Cookie": false, "X-Request-Id": false, "Set-Cookies": false,
	} {
		assert.Equal(t, forbidden, IsForbiddenResponseName(name), name)
	}
}
