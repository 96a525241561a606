package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The generalisation test of issue 29: every scenario that imitates a
// product, on loopback or with the real server (proxylab), runs twice:
// with the whole layer table, and with that product's row removed, as if
// corscheck had never heard of it. Without the row it must still find the
// same cause and name the layer from the evidence (its Server, its Via,
// its own error page, a difference from the application's answers); only
// the product's own configuration words may go.

// knownRows is the whole table, kept before any test removes a row.
var knownRows = slices.Clone(proxies)

// withoutRow removes the named product's row from the layer table until
// the test ends. Tests of this package do not run in parallel, so the
// table is theirs while they run.
func withoutRow(t *testing.T, name string) {
	t.Helper()
	saved := proxies
	proxies = slices.DeleteFunc(slices.Clone(saved), func(p proxy) bool { return p.name == name })
	require.Len(t, proxies, len(saved)-1, "the table has no row %q", name)
	t.Cleanup(func() { proxies = saved })
}

// rowWords is everything the named product's row knows: its name, how it
// is recognized, and its fixes.
func rowWords(name string) []string {
	for _, p := range knownRows {
		if p.name != name {
			continue
		}
		f := p.fix
		words := []string{p.name, p.server, p.via, p.own, f.timeout, f.errorCORS, f.strip, f.overwrite, f.options, f.auth,
			f.deny, f.bodyLimit, f.headers, f.urlLimit, f.origin, f.pathMap, f.cacheKey, f.preflight, f.errorsLook}
		return slices.DeleteFunc(append(append(words, p.headers...), p.pages...), func(s string) bool { return s == "" })
	}
	return nil
}

// fromRow reports whether part could only come from the named row.
func fromRow(name, part string) bool {
	lower := strings.ToLower(part)
	for _, w := range rowWords(name) {
		if strings.Contains(w, part) || strings.Contains(lower, strings.ToLower(w)) && len(w) > 3 {
			return true
		}
	}
	return false
}

// tableRun is one run of an imitation: with the whole table, or without
// the imitated product's row (leave one out).
type tableRun struct {
	*testing.T
	row string // the imitated product's row; "" for a product the table lacks
	loo bool   // the row is removed
}

// eachTable runs f with the whole table, then, for a product in it,
// without its row.
func eachTable(t *testing.T, row string, f func(tr tableRun)) {
	t.Helper()
	t.Run("table", func(t *testing.T) { f(tableRun{T: t, row: row}) })
	if row == "" {
		return
	}
	t.Run("without "+row, func(t *testing.T) {
		withoutRow(t, row)
		f(tableRun{T: t, row: row, loo: true})
	})
}

// contains asserts that text has each part, except, without the row, the
// parts only the row could word.
func (tr tableRun) contains(text string, parts ...string) {
	tr.Helper()
	for _, part := range parts {
		if tr.loo && fromRow(tr.row, part) {
			continue
		}
		assert.Contains(tr, text, part)
	}
}

// keep returns the parts to check: without the row, those it did not word.
func (tr tableRun) keep(parts []string) []string {
	var out []string
	for _, part := range parts {
		if !tr.loo || !fromRow(tr.row, part) {
			out = append(out, part)
		}
	}
	return out
}

// namedBy asserts, without the row, that the cause names the layer by
// the evidence given ("Server", "Via", "its error page"...); "" when the
// imitation carries nothing that could name it.
func (tr tableRun) namedBy(cause, by string) {
	tr.Helper()
	if tr.loo && by != "" {
		assert.Contains(tr, cause, "named by "+by, "the layer is named from its own evidence")
		assert.NotContains(tr, cause, "named by "+by+": ", "the row's form, and the row is gone")
	}
}

// evidenceName is what can name a layer in h without the table: its
// Server, else its Via, else "".
func evidenceName(h map[string][]string) string {
	for _, name := range []string{"Server", "Via"} {
		if len(h[name]) > 0 {
			return name
		}
	}
	return ""
}

// The helpers hold what they promise: a removed row is gone for the test
// only, and its words are told from everyone's.
func TestLeaveOneOutHelpers(t *testing.T) {
	n := len(proxies)
	t.Run("remove", func(t *testing.T) {
		withoutRow(t, "Squid")
		assert.Len(t, proxies, n-1)
		assert.Empty(t, layerOf(response{header: hdr("X-Squid-Error", "ERR_ACCESS_DENIED 0")}).name)
		assert.Equal(t, layer{name: "squid/6.13", by: "Server"}, layerOf(response{header: hdr("Server", "squid/6.13")}))
	})
	assert.Len(t, proxies, n)
	assert.True(t, fromRow("Squid", "request_body_max_size"))
	assert.True(t, fromRow("Squid", "Layer: Squid, named by Via"))
	assert.False(t, fromRow("Squid", "-direct"))
	assert.False(t, fromRow("Squid", "proxy's error log"))
}
