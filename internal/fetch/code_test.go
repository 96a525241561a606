package fetch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCodesListsEveryConstant holds Codes to the constants declared in
// code.go, so that a new code cannot be left out of the list that callers
// (corscheck's explanations among them) check themselves against.
func TestCodesListsEveryConstant(t *testing.T) {
	declared := constantsOfType(t, "code.go", "Code")
	var listed []string
	seen := map[Code]bool{}
	for _, c := range Codes() {
		assert.False(t, seen[c], "listed twice: %s", c)
		seen[c] = true
		listed = append(listed, string(c))
	}
	assert.ElementsMatch(t, declared, listed)
}

// constantsOfType returns the values of the string constants of the named
// type declared in file.
func constantsOfType(t *testing.T, file, typ string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	require.NoError(t, err)
	var out []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typ {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				require.True(t, ok, "constants of %s are string literals", typ)
				out = append(out, lit.Value[1:len(lit.Value)-1])
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}
