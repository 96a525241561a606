package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	source "github.com/weppos/publicsuffix-go/publicsuffix"

	"github.com/corsguard/cors/internal/publicsuffix"
)

// TestLookupAgreesWithSource holds the embedded table's answers against the
// source module's own implementation of the list's algorithm, for every
// rule's domain, the names one and two labels below it, and its ancestors.
func TestLookupAgreesWithSource(t *testing.T) {
	names := map[string]bool{}
	for _, r := range source.DefaultRules() {
		for d := r.Value; d != ""; {
			names[d] = true
			_, d, _ = strings.Cut(d, ".")
		}
		names["corsguard-probe."+r.Value] = true
		names["a.corsguard-probe."+r.Value] = true
	}
	require.Greater(t, len(names), 30000)
	for name := range names {
		want := sourceSuffix(name) == name
		if !assert.Equal(t, want, publicsuffix.Is(name), name) {
			continue
		}
		if want {
			assert.True(t, publicsuffix.AtOrBelow(name), name)
		}
	}
}

func TestEmbeddedCopyMatchesSource(t *testing.T) {
	assert.NoError(t, run("", "../rules.txt"))
	assert.ErrorContains(t, run("", ""), "give one of")
	assert.ErrorContains(t, run("", "lookup_test.go"), "differs from "+sourceModule)
}

// sourceSuffix is name's public suffix by the rule the source finds for it.
// (Its cookiejar adapter answers "" for a name that is itself a rule.)
func sourceSuffix(name string) string {
	r := source.DefaultList.Find(name, nil)
	switch {
	case r == source.DefaultRule:
		return name[strings.LastIndexByte(name, '.')+1:]
	case r.Type == source.ExceptionType:
		_, parent, _ := strings.Cut(r.Value, ".")
		return parent
	case r.Type == source.WildcardType:
		labels := strings.Split(strings.TrimSuffix(name, "."+r.Value), ".")
		return labels[len(labels)-1] + "." + r.Value
	}
	return r.Value
}
