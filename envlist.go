package cors

import (
	"strings"
)

// envListProblem is a problem with the shape of a list variable (quotes,
// separators), with the items read from it, so that its Fix also carries
// the fixes New finds for the items.
type envListProblem struct {
	*ConfigError
	items []string
}

// fixItem replaces item by fix in the list and rewrites the problem's Fix.
func (l *envListProblem) fixItem(item, fix string) {
	for i, it := range l.items {
		if it == item {
			l.items[i] = fix
		}
	}
	l.Fix = strings.Join(l.items, ",")
}

// envList splits a comma-separated variable, dropping white space and empty
// items. It returns nil when nothing is left, so defaults apply. Quotes
// around the value or around each item, and semicolons or white space
// between items, which no origin, method or header name can hold, are read
// as meant and reported in one problem whose Fix is the value to write.
func envList(name string) ([]string, *envListProblem) {
	v, ok := envValue(name)
	if !ok {
		return nil, nil
	}
	return parseEnvList(name, v)
}

// parseEnvList is envList on the trimmed, non-empty value v.
func parseEnvList(name, v string) ([]string, *envListProblem) {
	var reasons []string
	items, sep := splitEnvList(v)
	if unquoted, each := unquoteEach(items); each {
		items = unquoted
		reasons = append(reasons, quotesReason)
	} else if inner, quoted := unquote(v); quoted {
		items, sep = splitEnvList(inner)
		items, _ = unquoteEach(items) // "'a';'b'" was quoted item by item after all
		reasons = append(reasons, quotesReason)
	}
	if sep != "" {
		reasons = append(reasons, "is separated with "+sep+"; separate the items with commas")
	}
	if reasons == nil {
		return items, nil
	}
	e := &ConfigError{Field: name, Value: v, Err: ErrInvalidEnv, Reason: strings.Join(reasons, "; also, it "),
		Fix: strings.Join(items, ",")}
	return items, &envListProblem{ConfigError: e, items: items}
}

const quotesReason = "is in quotes, which became part of the value (docker's env_file keeps them); remove the quotes"

// splitEnvList splits v into its non-empty, trimmed items: at commas, and at
// semicolons or white space when the items hold some, which no origin,
// method or header name can; sep names the separator that was not a comma.
func splitEnvList(v string) (items []string, sep string) {
	semicolons := strings.Contains(v, ";")
	space := hasInnerSpace(strings.ReplaceAll(v, ";", ","))
	switch {
	case semicolons && space:
		sep = "semicolons and white space"
	case semicolons:
		sep = "semicolons"
	case space:
		sep = "white space"
	}
	separator := func(r rune) bool {
		return r == ',' || semicolons && r == ';' || space && (r == ' ' || r == '\t' || r == '\r' || r == '\n')
	}
	for _, item := range strings.FieldsFunc(v, separator) {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items, sep
}

// unquoteEach removes the quotes around every item when every item has them
// (`"X-Api-Key","X-Request-Id"`, `'a', 'b'`).
func unquoteEach(items []string) ([]string, bool) {
	unquoted := make([]string, 0, len(items))
	for _, item := range items {
		u, quoted := unquote(item)
		if !quoted {
			return items, false
		}
		if u != "" {
			unquoted = append(unquoted, u)
		}
	}
	return unquoted, len(items) > 0
}

// unquote removes one pair of matching quotes around v.
func unquote(v string) (string, bool) {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return strings.TrimSpace(v[1 : len(v)-1]), true
	}
	return v, false
}

func quotedProblem(name, v, unquoted string) *ConfigError {
	return &ConfigError{Field: name, Value: v, Err: ErrInvalidEnv, Fix: unquoted, Reason: quotesReason}
}

// hasInnerSpace reports whether an item of a comma-separated list holds
// white space once trimmed: items separated by white space, not commas.
func hasInnerSpace(v string) bool {
	for _, item := range strings.Split(v, ",") {
		if strings.ContainsAny(strings.TrimSpace(item), " \t\r\n") {
			return true
		}
	}
	return false
}
