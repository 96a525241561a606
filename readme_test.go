package cors

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fence = regexp.MustCompile("(?s)```(go|text)\n(.*?)```")

func readmeBlocks(t *testing.T, lang string) []string {
	t.Helper()
	return docBlocks(t, "README.md", lang)
}

// docBlocks returns the fenced blocks of one language in a Markdown file.
func docBlocks(t *testing.T, file, lang string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var blocks []string
	for _, m := range fence.FindAllStringSubmatch(string(b), -1) {
		if m[1] == lang {
			blocks = append(blocks, m[2])
		}
	}
	return blocks
}

// TestReadmeGoSnippetsBuild compiles and vets every Go snippet of the README
// as a program of its own against this checkout, so none can rot.
func TestReadmeGoSnippetsBuild(t *testing.T) {
	blocks := readmeBlocks(t, "go")
	require.NotEmpty(t, blocks)
	root, err := filepath.Abs(".")
	require.NoError(t, err)
	dir := t.TempDir()
	gomod := "module readme\n\ngo 1.22\n\nrequire github.com/corsguard/cors v0.0.0\n\nreplace github.com/corsguard/cors => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o600))
	for i, src := range blocks {
		require.True(t, strings.HasPrefix(src, "package main\n"), "README Go snippet %d must be a whole program", i)
		pkg := filepath.Join(dir, "snippet"+string(rune('a'+i)))
		require.NoError(t, os.Mkdir(pkg, 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(pkg, "main.go"), []byte(src), 0o600))
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "%s", out)
}

// TestReadmeErrorMessagesAreReal checks that the error messages the README
// quotes are the ones New produces.
func TestReadmeErrorMessagesAreReal(t *testing.T) {
	var produced []string
	for _, o := range []Options{
		{AllowedOrigins: []string{"https://app.example.com/", "app.example.com"}},
		{AllowedOrigins: []string{"*"}, AllowCredentials: true},
	} {
		_, err := New(o)
		require.Error(t, err)
		produced = append(produced, strings.Split(err.Error(), "\n")...)
	}
	blocks := readmeBlocks(t, "text")
	require.NotEmpty(t, blocks)
	for _, line := range strings.Split(strings.TrimSpace(blocks[0]), "\n") {
		assert.Contains(t, produced, line)
	}
}

var citedTest = regexp.MustCompile("`((?:Test|Fuzz|Benchmark|Example)[A-Za-z0-9_]+)`")

// TestCitedTestsExist checks that every test the README and SECURITY.md cite
// as backing a guarantee exists somewhere in the repository, so a rename
// cannot leave a guarantee without its test.
func TestCitedTestsExist(t *testing.T) {
	defined := map[string]bool{}
	decl := regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark|Example)[A-Za-z0-9_]+)\(`)
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			defined[m[1]] = true
		}
		return err
	})
	require.NoError(t, err)
	for _, doc := range []string{"README.md", "SECURITY.md"} {
		b, err := os.ReadFile(doc)
		require.NoError(t, err)
		for _, m := range citedTest.FindAllStringSubmatch(string(b), -1) {
			assert.True(t, defined[m[1]], "%s cites %s, which no test file defines", doc, m[1])
		}
	}
}

// TestReadmeFirstRunSaysItCompilesTheStandardLibrary keeps the first screen
// honest about the wait a newcomer meets on an empty build cache, and .ci/run
// about where its time goes: each step timed, each tool built once.
func TestReadmeFirstRunSaysItCompilesTheStandardLibrary(t *testing.T) {
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	firstScreen, _, found := strings.Cut(string(b), "## Quick start")
	require.True(t, found)
	assert.Contains(t, firstScreen, "compiles the standard library")
	assert.Contains(t, firstScreen, "a minute or more")

	ci, err := os.ReadFile(".ci/run")
	require.NoError(t, err)
	assert.NotContains(t, string(ci), `go run "$STATICCHECK"`, "staticcheck is built once, not per module")
	assert.Contains(t, string(ci), `go install "$STATICCHECK"`)
	assert.Contains(t, string(ci), "SECONDS - step_start", "each step prints its time")
}
