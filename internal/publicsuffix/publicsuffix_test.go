package publicsuffix

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIs(t *testing.T) {
	for domain, want := range map[string]bool{
		// ICANN rules, the default rule and a wildcard with its exception.
		"com": true, "co.uk": true, "uk": true, "example": true, "ck": true, "anything.ck": true, "www.ck": false,
		"a.www.ck": false, "kawasaki.jp": false, "x.kawasaki.jp": true, "city.kawasaki.jp": false,
		// Private rules, at every depth.
		"github.io": true, "up.railway.app": true, "web.core.windows.net": true, "blob.core.windows.net": true,
		"eu-west-1.compute.amazonaws.com": true, "s3.amazonaws.com": true, "trycloudflare.com": true,
		// Registrable names and what the rules leave to their owners.
		"example.com": false, "example.co.uk": false, "app.github.io": false, "railway.app": false,
		"core.windows.net": false, "windows.net": false, "amazonaws.com": false, "compute.amazonaws.com": false,
		"ec2-1.eu-west-1.compute.amazonaws.com": false,
	} {
		assert.Equal(t, want, Is(domain), domain)
	}
}

func TestAtOrBelow(t *testing.T) {
	for domain, want := range map[string]bool{
		"com": true, "co.uk": true, "example": true, "railway.app": true, "windows.net": true,
		"core.windows.net": true, "on.aws": true, "amazonaws.com": true, "compute.amazonaws.com": true,
		"kawasaki.jp": true, "ck": true, "github.io": true, "x.compute.amazonaws.com": true,
		"example.com": false, "corp.example.co.uk": false, "app.github.io": false, "www.ck": false,
		"city.kawasaki.jp": false, "app.up.railway.app": false, "corp.example": false,
	} {
		assert.Equal(t, want, AtOrBelow(domain), domain)
	}
}

func TestExample(t *testing.T) {
	for domain, want := range map[string]string{
		"github.io": "github.io", "co.uk": "co.uk", "railway.app": "up.railway.app",
		"compute.amazonaws.com": "*.compute.amazonaws.com", "kawasaki.jp": "*.kawasaki.jp",
		"example.com": "", "www.ck": "",
	} {
		assert.Equal(t, want, Example(domain), domain)
	}
	// Every answer is a suffix at or below the domain asked about.
	for _, domain := range []string{"windows.net", "core.windows.net", "on.aws", "amazonaws.com", "app"} {
		ex := Example(domain)
		require.NotEmpty(t, ex, domain)
		assert.True(t, ex == domain || strings.HasSuffix(ex, "."+domain), "%s for %s", ex, domain)
		assert.True(t, Is(strings.Replace(ex, "*", "probe", 1)), "%s for %s", ex, domain)
	}
}

func TestEveryRuleAnswers(t *testing.T) {
	rules := Rules()
	require.Greater(t, len(rules), 9000, "the whole list, not a subset")
	private := 0
	for _, r := range rules {
		switch r.Type {
		case Normal:
			assert.True(t, AtOrBelow(r.Domain), r.String())
		case Wildcard:
			assert.True(t, Is("probe."+r.Domain), r.String())
			assert.True(t, AtOrBelow(r.Domain), r.String())
		case Exception:
			assert.False(t, Is(r.Domain), r.String())
		}
		if r.Private {
			private++
		}
	}
	assert.Greater(t, private, 3000, "the private section")
}

func TestParse(t *testing.T) {
	tab, err := parse("// c\n*.ck\n!www.ck\n\n" + beginPrivate + "\nb.example\n" + endPrivate + "\nc.example\n")
	require.NoError(t, err)
	assert.Equal(t, []Rule{{Wildcard, "ck", false}, {Exception, "www.ck", false}, {Normal, "b.example", true},
		{Normal, "c.example", false}}, tab.rules)
	assert.True(t, tab.is("x.ck"))
	assert.False(t, tab.is("www.ck"))
	for _, bad := range []string{"Co.uk", "*.", "!", "!ck", "a..b", ".a", "a.", "a b", "*.*.a", "xn--é", strings.Repeat("a", 64)} {
		_, err := parse("ok\n" + bad + "\n")
		assert.ErrorContains(t, err, "line 2: ", bad)
	}
	_, err = parse(strings.Repeat("a\n", maxRules+1))
	assert.ErrorContains(t, err, "more than")
}

func TestRuleString(t *testing.T) {
	for _, r := range []Rule{{Normal, "co.uk", false}, {Wildcard, "ck", false}, {Exception, "www.ck", false}} {
		tab, err := parse(r.String())
		require.NoError(t, err)
		assert.Equal(t, []Rule{r}, tab.rules)
	}
}
