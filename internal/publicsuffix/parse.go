package publicsuffix

import (
	"fmt"
	"strconv"
	"strings"
)

// RuleType is the kind of one Public Suffix List rule.
type RuleType uint8

const (
	// Normal is a rule such as "co.uk": the domain is a public suffix.
	Normal RuleType = iota + 1
	// Wildcard is a rule such as "*.ck": every name one label below the
	// domain is a public suffix.
	Wildcard
	// Exception is a rule such as "!www.ck": the domain is not a public
	// suffix, though a wildcard rule covers it.
	Exception
)

// Rule is one rule of the list.
type Rule struct {
	Type RuleType
	// Domain is the rule's domain without "*." or "!": "ck" for "*.ck".
	Domain string
	// Private is true for a rule of the list's private section, which
	// hosting platforms submit for their customers' subdomains.
	Private bool
}

// String is the rule as the list writes it: "co.uk", "*.ck", "!www.ck".
func (r Rule) String() string {
	switch r.Type {
	case Normal:
	case Wildcard:
		return "*." + r.Domain
	case Exception:
		return "!" + r.Domain
	}
	return r.Domain
}

// Rules returns every rule of the embedded list, ICANN section first.
func Rules() []Rule {
	return append([]Rule(nil), loaded().rules...)
}

// Section markers of the list.
const (
	beginPrivate = "// ===BEGIN PRIVATE DOMAINS==="
	endPrivate   = "// ===END PRIVATE DOMAINS==="
)

// maxRules bounds the work parse does on any input.
const maxRules = 100_000

// parse reads a list in the Public Suffix List's syntax: one rule a line,
// "//" comments, and the private section between its markers. Every rule
// must be a lower-case ASCII domain, optionally after "*." or "!".
func parse(text string) (*table, error) {
	lines := strings.Count(text, "\n") + 1
	t := &table{kinds: make(map[string]kind, lines), rules: make([]Rule, 0, min(lines, maxRules))}
	private := false
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		switch {
		case line == beginPrivate || line == endPrivate:
			private = line == beginPrivate
			continue
		case line == "" || strings.HasPrefix(line, "//"):
			continue
		case len(t.rules) == maxRules:
			return nil, fmt.Errorf("line %d: more than %d rules", n, maxRules)
		}
		r, err := parseRule(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		r.Private = private
		t.rules = append(t.rules, r)
		t.kinds[r.Domain] |= bit(r.Type)
	}
	t.markCovers()
	return t, nil
}

func parseRule(line string) (Rule, error) {
	r := Rule{Type: Normal, Domain: line}
	if d, ok := strings.CutPrefix(line, "*."); ok {
		r = Rule{Type: Wildcard, Domain: d}
	} else if d, ok := strings.CutPrefix(line, "!"); ok {
		r = Rule{Type: Exception, Domain: d}
		if !strings.Contains(d, ".") {
			return r, fmt.Errorf("exception rule %s names a top-level domain", strconv.Quote(line))
		}
	}
	if !isDomain(r.Domain) {
		return r, fmt.Errorf("%s is not a rule: want a lower-case ASCII domain, optionally after \"*.\" or \"!\"", strconv.Quote(line))
	}
	return r, nil
}

func bit(t RuleType) kind {
	switch t {
	case Normal:
		return normal
	case Wildcard:
		return wildcard
	case Exception:
		return exception
	}
	return 0
}

// isDomain reports whether s is dot-separated labels of 1 to 63 lower-case
// letters, digits, '-' or '_'.
func isDomain(s string) bool {
	if s == "" {
		return false
	}
	for s != "" {
		label, rest, more := strings.Cut(s, ".")
		if label == "" || len(label) > 63 || more && rest == "" {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
		s = rest
	}
	return true
}
