package cors

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLocalhostAnyPortCoversLocalhostOnly holds the README and Options'
// godoc to what "http://localhost:*" does: every port of localhost, and no
// other loopback host, each of which is written out.
func TestLocalhostAnyPortCoversLocalhostOnly(t *testing.T) {
	tests := []struct {
		pattern string
		allowed []string
		refused []string
	}{
		{"http://localhost:*", []string{"http://localhost:5173", "http://localhost"},
			[]string{"http://127.0.0.1:5173", "http://[::1]:5173", "http://app.localhost:5173", "https://localhost:5173"}},
		{"http://127.0.0.1:*", []string{"http://127.0.0.1:5173"}, []string{"http://localhost:5173", "http://127.0.0.2:5173"}},
		{"http://[::1]:*", []string{"http://[::1]:5173"}, []string{"http://localhost:5173"}},
		{"http://*.localhost:*", []string{"http://app.localhost:5173"}, []string{"http://localhost:5173"}},
	}
	for _, tt := range tests {
		m := mustNew(t, Options{AllowedOrigins: []string{tt.pattern}, AllowCredentials: true})
		for _, o := range tt.allowed {
			assert.True(t, m.AllowsOrigin(o), "%s allows %s", tt.pattern, o)
		}
		for _, o := range tt.refused {
			assert.False(t, m.AllowsOrigin(o), "%s refuses %s", tt.pattern, o)
		}
	}
}

// TestErrInvalidHeaderGodocIsTrue: what ErrInvalidHeader's godoc says is
// refused is refused, and what it says is accepted is accepted.
func TestErrInvalidHeaderGodocIsTrue(t *testing.T) {
	valid := Options{AllowedOrigins: []string{"https://app.example.com"}, Logger: quiet}
	for name, change := range map[string]func(*Options){
		"allowed Cookie":  func(o *Options) { o.AllowedHeaders = []string{"Cookie"} },
		"allowed Sec-*":   func(o *Options) { o.AllowedHeaders = []string{"Sec-Fetch-Mode"} },
		"an empty list":   func(o *Options) { o.AllowedHeaders = []string{} },
		"128-byte header": func(o *Options) { o.AllowedHeaders = []string{strings.Repeat("x", 128)} },
	} {
		o := valid
		change(&o)
		_, err := New(o)
		assert.NoError(t, err, name)
	}
	for name, change := range map[string]func(*Options){
		"exposed Set-Cookie": func(o *Options) { o.ExposedHeaders = []string{"Set-Cookie"} },
		"not a token":        func(o *Options) { o.AllowedHeaders = []string{"X A"} },
		"129-byte header":    func(o *Options) { o.AllowedHeaders = []string{strings.Repeat("x", 129)} },
	} {
		o := valid
		change(&o)
		_, err := New(o)
		assert.ErrorIs(t, err, ErrInvalidHeader, name)
	}
	docs := packageDoc(t)
	var text string
	for _, v := range docs.Vars {
		for _, spec := range v.Decl.Specs {
			if vs := spec.(*ast.ValueSpec); vs.Names[0].Name == "ErrInvalidHeader" {
				text = vs.Doc.Text()
			}
		}
	}
	require.NotEmpty(t, text)
	assert.Contains(t, text, "accepted with a Warn record")
	assert.Contains(t, text, "neither is an error")
}

// TestGodocSaysWhereTheLineIs checks the godoc a caller reads first: New
// points to Handler and Apply, and Options.MaxAge names each browser's cap
// and the seconds mistake.
func TestGodocSaysWhereTheLineIs(t *testing.T) {
	docs := packageDoc(t)
	var newDoc, maxAgeDoc, insecureDoc string
	for _, typ := range docs.Types {
		for _, f := range typ.Funcs { // New is listed under the type it returns
			if f.Name == "New" {
				newDoc = f.Doc
			}
		}
		if typ.Name != "Options" {
			continue
		}
		for _, field := range typ.Decl.Specs[0].(*ast.TypeSpec).Type.(*ast.StructType).Fields.List {
			switch field.Names[0].Name {
			case "MaxAge":
				maxAgeDoc = field.Doc.Text()
			case "AllowInsecureHTTPOrigins":
				insecureDoc = field.Doc.Text()
			}
		}
	}
	assert.Contains(t, newDoc, "[Middleware.Handler]")
	assert.Contains(t, newDoc, "[Middleware.Apply]")
	for _, want := range []string{"WebKit (Safari) at 600 s", "Chromium at 2h", "Firefox at\n24h", "300 * time.Second"} {
		assert.Contains(t, maxAgeDoc, want)
	}
	assert.Contains(t, insecureDoc, "trusts every network")
}

func packageDoc(t *testing.T) *doc.Package {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var files []*ast.File
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			require.NoError(t, err)
			files = append(files, f)
		}
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/corsguard/cors")
	require.NoError(t, err)
	return p
}
