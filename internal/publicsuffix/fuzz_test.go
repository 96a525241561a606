package publicsuffix

import (
	"strings"
	"testing"
)

// refIs is the Public Suffix List algorithm as its page states it, over
// every rule in turn: an independent reference for the table's lookups.
func refIs(rules []Rule, domain string) bool {
	labels := strings.Count(domain, ".") + 1
	prevailing := 1 // the default rule "*"
	for _, r := range rules {
		if r.Domain != domain && !strings.HasSuffix(domain, "."+r.Domain) {
			continue
		}
		n := strings.Count(r.Domain, ".") + 1
		switch r.Type {
		case Exception:
			return false // its suffix is its parent, above domain
		case Wildcard:
			if r.Domain == domain {
				continue // "*.d" needs a label in front of d
			}
			n++
		case Normal:
		}
		prevailing = max(prevailing, n)
	}
	return prevailing == labels
}

// refAtOrBelow looks for a suffix at domain or under it rule by rule.
func refAtOrBelow(rules []Rule, domain string) bool {
	if refIs(rules, domain) {
		return true
	}
	for _, r := range rules {
		if r.Domain != domain && !strings.HasSuffix(r.Domain, "."+domain) {
			continue
		}
		if r.Type == Normal && refIs(rules, r.Domain) || r.Type == Wildcard && refIs(rules, "corsguard-probe."+r.Domain) {
			return true
		}
	}
	return false
}

func FuzzLookup(f *testing.F) {
	for _, d := range []string{"com", "github.io", "railway.app", "up.railway.app", "a.www.ck", "x.kawasaki.jp",
		"city.kawasaki.jp", "windows.net", "example.com", "corp.example", "x.y.compute.amazonaws.com"} {
		f.Add(d)
	}
	rules := Rules()
	f.Fuzz(func(t *testing.T, domain string) {
		if !isDomain(domain) {
			return
		}
		is, below := Is(domain), AtOrBelow(domain)
		if want := refIs(rules, domain); is != want {
			t.Fatalf("Is(%q) = %v, the reference says %v", domain, is, want)
		}
		if want := refAtOrBelow(rules, domain); below != want {
			t.Fatalf("AtOrBelow(%q) = %v, the reference says %v", domain, below, want)
		}
		if ex := Example(domain); (ex != "") != below {
			t.Fatalf("Example(%q) = %q, AtOrBelow = %v", domain, ex, below)
		}
		if _, parent, ok := strings.Cut(domain, "."); ok && below && !AtOrBelow(parent) {
			t.Fatalf("AtOrBelow(%q) but not its parent", domain)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add("// c\n*.ck\n!www.ck\n" + beginPrivate + "\nb.example\n" + endPrivate + "\n")
	f.Add("a\n!a\n*.a\n!b.a\nc.b.a\n")
	f.Add(rulesText[:2000])
	f.Fuzz(func(t *testing.T, text string) {
		tab, err := parse(text)
		if err != nil {
			return
		}
		for _, r := range tab.rules {
			if !isDomain(r.Domain) {
				t.Fatalf("rule %q kept with an invalid domain", r.String())
			}
			again, err := parseRule(r.String())
			if err != nil || again.Domain != r.Domain || again.Type != r.Type {
				t.Fatalf("rule %q does not read back: %v", r.String(), err)
			}
			if tab.is(r.Domain) != refIs(tab.rules, r.Domain) {
				t.Fatalf("is(%q) disagrees with the reference", r.Domain)
			}
			atOrBelow := tab.kinds[r.Domain]&covers != 0 || tab.is(r.Domain)
			if atOrBelow != refAtOrBelow(tab.rules, r.Domain) {
				t.Fatalf("at or below %q disagrees with the reference", r.Domain)
			}
		}
	})
}
