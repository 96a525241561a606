package fetch

import (
	"net/http"
	"strings"

	"github.com/corsguard/cors/internal/headerlist"
)

// ExtractList implements Fetch's "extracting header list values" for the
// #method and #field-name lists of Access-Control-Allow-Methods and
// Access-Control-Allow-Headers: all field lines combined, split on commas,
// white space trimmed, empty elements skipped (as Chromium does), every
// element a token. A missing header is an empty list; ok is false when an
// element is not a token, and the browser then fails the preflight.
func ExtractList(h http.Header, name string) (list []string, ok bool) {
	for _, line := range h.Values(name) {
		for _, item := range strings.Split(line, ",") {
			item = strings.Trim(item, " \t")
			if item == "" {
				continue
			}
			if !headerlist.IsToken(item) {
				return nil, false
			}
			list = append(list, item)
		}
	}
	return list, true
}

// containsFold reports whether list has s, ignoring ASCII case.
func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
