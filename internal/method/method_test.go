package method

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMethods(t *testing.T) {
	for in, want := range map[string]string{
		"get": "GET", "Put": "PUT", "delete": "DELETE", "options": "OPTIONS", "head": "HEAD", "post": "POST",
		"patch": "patch", "PATCH": "PATCH", "PROPFIND": "PROPFIND",
	} {
		assert.Equal(t, want, Normalize(in), in)
	}
	for _, m := range []string{"GET", "HEAD", "POST"} {
		assert.True(t, IsSafelisted(m))
	}
	for _, m := range []string{"PUT", "get", "PATCH", "OPTIONS"} {
		assert.False(t, IsSafelisted(m))
	}
	for _, m := range []string{"CONNECT", "trace", "Track"} {
		assert.True(t, IsForbidden(m))
	}
	for _, m := range []string{"GET", "PATCH", "CONNECTX"} {
		assert.False(t, IsForbidden(m))
	}
}
