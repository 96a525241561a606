package corsgin_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeUsageCompiles checks that every code line of the usage snippets
// in this directory's README and in the repository's README is a line of
// Example (comments aside), which the compiler checks and go test runs.
func TestReadmeUsageCompiles(t *testing.T) {
	assertReadmeUsageCompiles(t, "corsgin.", "README.md", "../../README.md")
}

var fence = regexp.MustCompile("(?s)```[a-z]*\n(.*?)```")

func assertReadmeUsageCompiles(t *testing.T, mark string, readmes ...string) {
	t.Helper()
	example, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	compiled := map[string]bool{}
	for _, line := range strings.Split(string(example), "\n") {
		compiled[code(line)] = true
	}
	for _, readme := range readmes {
		b, err := os.ReadFile(readme)
		require.NoError(t, err)
		var snippets int
		for _, m := range fence.FindAllStringSubmatch(string(b), -1) {
			if !strings.Contains(m[1], mark) {
				continue
			}
			snippets++
			for _, line := range strings.Split(m[1], "\n") {
				if c := code(line); c != "" {
					assert.True(t, compiled[c], "%s: %q is not a line of Example", readme, c)
				}
			}
		}
		assert.NotZero(t, snippets, "%s has no snippet using %s", readme, mark)
	}
}

// code is line without its comment and indentation, and without the import
// keyword that a one-line snippet needs and an import block leaves out.
func code(line string) string {
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "//") {
		return ""
	}
	if i := strings.Index(line, " //"); i >= 0 {
		line = strings.TrimSpace(line[:i])
	}
	return strings.TrimPrefix(line, "import ")
}
