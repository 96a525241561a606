package cors

import (
	"os"
	"slices"
	"strings"
)

// unknownEnv refuses each set variable that starts with prefix but is none
// of those FromEnv reads, naming the one most likely meant: a misspelled
// name is otherwise silently ignored and the mistake shows only in the
// browser. The value is never reported: the variable may be anything, a
// password among them, and errors end up in logs.
func unknownEnv(prefix string, names envVarNames) []*ConfigError {
	if prefix == "" {
		return nil
	}
	start := strings.TrimSuffix(names.origins, "ALLOWED_ORIGINS")
	known := names.all()
	var problems []*ConfigError
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, start) || slices.Contains(known, name) {
			continue
		}
		e := &ConfigError{Field: bounded(name), Err: ErrInvalidEnv}
		if meant := closestName(name[len(start):], start, known); meant != "" {
			e.Reason, e.Fix = "is not a variable FromEnv reads", meant
		} else {
			e.Reason = "is not a variable FromEnv reads (it reads " + strings.Join(known, ", ") + "); rename or unset it"
		}
		problems = append(problems, e)
	}
	slices.SortFunc(problems, func(a, b *ConfigError) int { return strings.Compare(a.Field, b.Field) })
	return problems
}

// closestName returns the variable of known that name (without the prefix
// start) most likely means, or "" when none is near. Names are compared by
// the words between their underscores first, so CORS_ORIGINS means
// CORS_ALLOWED_ORIGINS, not the fewer edits away CORS_MAX_AGE; edit distance
// only breaks ties, or catches a misspelling that shares no word.
func closestName(name, start string, known []string) string {
	words := strings.Split(name, "_")
	best, bestShared, bestDistance := "", 0, 0
	for _, k := range known {
		shared := 0
		for _, w := range words {
			if slices.ContainsFunc(strings.Split(k[len(start):], "_"), func(kw string) bool { return similarWord(w, kw) }) {
				shared++
			}
		}
		d := editDistance(name, k[len(start):])
		if best == "" || shared > bestShared || shared == bestShared && d < bestDistance {
			best, bestShared, bestDistance = k, shared, d
		}
	}
	if bestShared == 0 && bestDistance > len(name)/3 {
		return "" // shares no word and is not one misspelling away
	}
	return best
}

// similarWord reports whether two words of variable names mean the same: equal,
// one the start of the other (ORIGIN, ORIGINS; MAX, MAXAGE), or one edit apart.
func similarWord(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch {
	case a == b:
		return true
	case len(a) < 3:
		return false
	case strings.HasPrefix(b, a):
		return true
	}
	return len(a) >= 4 && editDistance(a, b) <= 1
}

// editDistance is the Levenshtein distance between two short names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
