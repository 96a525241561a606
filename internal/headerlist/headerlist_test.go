package headerlist

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	allowed := NewSet([]string{"Content-Type", "X-Api-Key", "Authorization"})
	tests := []struct {
		name  string
		lines []string
		want  Result
	}{
		{"none", nil, Result{Status: OK}},
		{"empty line", []string{""}, Result{Status: OK}},
		{"browser shape", []string{"content-type,x-api-key"}, Result{Status: OK, Names: 2, Verbatim: true}},
		{"any case", []string{"Content-Type,X-API-KEY"}, Result{Status: OK, Names: 2, Verbatim: true}},
		{"spaces", []string{"content-type, x-api-key"}, Result{Status: OK, Names: 2}},
		{"tabs", []string{"\tcontent-type\t"}, Result{Status: OK, Names: 1}},
		{"duplicates", []string{"x-api-key,x-api-key"}, Result{Status: OK, Names: 2, Verbatim: true}},
		{"empty elements", []string{",content-type,,x-api-key,"}, Result{Status: OK, Names: 2}},
		{"several lines", []string{"content-type", "authorization"}, Result{Status: OK, Names: 2}},
		{"not allowed", []string{"content-type,x-other"}, Result{Status: NotAllowed, Culprit: "x-other"}},
		{"malformed", []string{"content-type,x y"}, Result{Status: Malformed, Culprit: "x y"}},
		{"malformed char", []string{"a(b"}, Result{Status: Malformed, Culprit: "a(b"}},
		{"too many lines", make([]string, MaxLines+1), Result{Status: TooLarge}},
		{"too long", []string{strings.Repeat("a", MaxLength+1)}, Result{Status: TooLarge}},
		{"too many empties", []string{strings.Repeat(",", MaxEmpty+1)}, Result{Status: TooLarge}},
		{"1024 commas", []string{"content-type" + strings.Repeat(",", 1024) + "x-api-key"}, Result{Status: TooLarge}},
		{"long name", []string{strings.Repeat("a", MaxNameLength+1)}, Result{Status: TooLarge}},
		{"too many names", []string{strings.Repeat("x-api-key,", MaxNames+1)}, Result{Status: TooLarge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Check(tt.lines, allowed))
		})
	}
}

func TestCheckAny(t *testing.T) {
	anyName := &Set{Any: true}
	assert.Equal(t, Result{Status: OK, Names: 2, Verbatim: true}, Check([]string{"authorization,x-anything"}, anyName))
	assert.Equal(t, Malformed, Check([]string{"a b"}, anyName).Status)
}

func TestJoin(t *testing.T) {
	assert.Equal(t, "a,b,c", Join([]string{" a ,, b", "c,"}))
	assert.Equal(t, "", Join(nil))
}

func TestSet(t *testing.T) {
	small := NewSet([]string{"X-Api-Key", "x-api-key", "Content-Type"})
	assert.Equal(t, []string{"x-api-key", "content-type"}, small.Names())
	var many []string
	for i := 0; i < 20; i++ {
		many = append(many, "X-Header-"+strings.Repeat("a", i))
	}
	large := NewSet(many)
	require.NotNil(t, large.index)
	for _, s := range []*Set{small, large} {
		for _, n := range s.Names() {
			assert.True(t, s.Contains(n))
			assert.True(t, s.Contains(strings.ToUpper(n)))
		}
		assert.False(t, s.Contains("x-other"))
		assert.False(t, s.Contains(strings.Repeat("a", MaxNameLength+1)))
	}
}

func TestIsToken(t *testing.T) {
	for s, want := range map[string]bool{
		"GET": true, "x-api-key": true, "!#$%&'*+-.^_`|~09azAZ": true,
		"": false, "a b": false, "a,b": false, "a:b": false, "é": false, "a\x00": false,
	} {
		assert.Equal(t, want, IsToken(s), s)
	}
}

func TestCheckDoesNotAllocate(t *testing.T) {
	allowed := NewSet(make([]string, 0))
	large := NewSet([]string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "X-Api-Key"})
	lines := []string{"X-API-KEY, a1,,a9"}
	hostile := []string{"content-type" + strings.Repeat(",", 1024)}
	allocs := testing.AllocsPerRun(100, func() {
		Check(lines, large)
		Check(hostile, allowed)
	})
	assert.Zero(t, allocs)
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"content-type,x-api-key", "Content-Type, X-Api-Key", ",,,", "a" + strings.Repeat(",", 1024) + "b",
		"x y", "authorization", strings.Repeat("x-api-key,", 70), "\t,\t",
	} {
		f.Add(s, "")
	}
	allowed := NewSet([]string{"content-type", "x-api-key", "authorization"})
	f.Fuzz(func(t *testing.T, a, b string) {
		lines := []string{a}
		if b != "" {
			lines = append(lines, b)
		}
		res := Check(lines, allowed)
		switch res.Status {
		case OK:
			// Every element is an allowed name or empty, and Join echoes only those.
			for _, name := range strings.Split(Join(lines), ",") {
				if name != "" {
					require.True(t, allowed.Contains(name), name)
				}
			}
			if res.Verbatim {
				require.Equal(t, Join(lines), lines[0])
			}
		case NotAllowed:
			require.False(t, allowed.Contains(res.Culprit))
		case Malformed:
			require.False(t, IsToken(res.Culprit))
		}
	})
}
