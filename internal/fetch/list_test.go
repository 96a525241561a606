package fetch

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/headerlist"
)

func TestExtractList(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
		ok    bool
	}{
		{"missing", nil, nil, true},
		{"one line", []string{"GET, PUT"}, []string{"GET", "PUT"}, true},
		{"lines combined, empty elements skipped", []string{"GET, ,PUT", "DELETE"}, []string{"GET", "PUT", "DELETE"}, true},
		{"tabs trimmed", []string{"\tx-a\t,x-b "}, []string{"x-a", "x-b"}, true},
		{"only commas", []string{",,,"}, nil, true},
		{"wildcard", []string{"*"}, []string{"*"}, true},
		{"space inside an element", []string{"GET PUT"}, nil, false},
		{"semicolons", []string{"GET; PUT"}, nil, false},
		{"one bad line spoils all", []string{"GET", "P(T"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, l := range tt.lines {
				h.Add("Access-Control-Allow-Methods", l)
			}
			got, ok := ExtractList(h, "Access-Control-Allow-Methods")
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzExtractList(f *testing.F) {
	for _, s := range []string{"GET, PUT", "content-type,x-api-key", ",,,", "*", "a b", strings.Repeat(",", 100)} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		h := http.Header{"Access-Control-Allow-Headers": {a, b}}
		items, ok := ExtractList(h, "Access-Control-Allow-Headers")
		if !ok {
			require.Nil(t, items)
			return
		}
		require.LessOrEqual(t, len(items), len(a)+len(b), "never more elements than bytes")
		for _, item := range items {
			require.True(t, headerlist.IsToken(item), "%q", item)
		}
	})
}
