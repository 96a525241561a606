package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/fetch"
)

// The README documents every failure code and every diagnosis that the JSON
// output can carry.
func TestREADMEListsEveryDiagnosis(t *testing.T) {
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	readme := string(b)
	for _, d := range declaredDiagnoses(t) {
		assert.Contains(t, readme, "`"+string(d)+"`", "diagnosis")
	}
	for _, c := range append(fetch.Codes(), codeNetworkError) {
		assert.Contains(t, readme, "`"+string(c)+"`", "failure code")
	}
}
