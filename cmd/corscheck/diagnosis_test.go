package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/fetch"
)

// declaredDiagnoses returns every constant of type Diagnosis in
// diagnosis.go, read from the source, so that a new one cannot escape the
// tests below.
func declaredDiagnoses(t *testing.T) []Diagnosis {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "diagnosis.go", nil, 0)
	require.NoError(t, err)
	var out []Diagnosis
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Diagnosis" {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				require.True(t, ok, "diagnoses are string literals")
				out = append(out, Diagnosis(lit.Value[1:len(lit.Value)-1]))
			}
		}
	}
	require.Greater(t, len(out), 40)
	return out
}

// bareEvidence is a failure with as little evidence as there can be.
func bareEvidence(kind string, f *fetch.Failure) *evidence {
	u, _ := url.Parse("https://api.example.com/items")
	r := &fetch.Request{URL: u, InitialURL: u, Origin: pageOrigin, Method: "PUT"}
	return &evidence{r: r, kind: kind, f: f, resp: response{header: http.Header{}}}
}

// Every diagnosis has a cause and a fix, even with no evidence at all: a
// typo or a forgotten case would otherwise print nothing.
func TestEveryDiagnosisHasAdvice(t *testing.T) {
	seen := map[Diagnosis]bool{}
	for _, d := range declaredDiagnoses(t) {
		assert.False(t, seen[d], "declared twice: %s", d)
		seen[d] = true
		for _, kind := range []string{kindPreflight, kindRequest} {
			cause, fix := advice(d, bareEvidence(kind, &fetch.Failure{}))
			assert.NotEmpty(t, cause, "%s: no cause", d)
			assert.NotEmpty(t, fix, "%s: no fix", d)
		}
		cause, fix := advice(d, bareEvidence(kindRequest, nil))
		assert.NotEmpty(t, cause, "%s without a failure: no cause", d)
		assert.NotEmpty(t, fix, "%s without a failure: no fix", d)
	}
}

// Every failure code leads to a declared diagnosis, whatever the response.
func TestEveryCodeHasADiagnosis(t *testing.T) {
	declared := map[Diagnosis]bool{}
	for _, d := range declaredDiagnoses(t) {
		declared[d] = true
	}
	for _, c := range fetch.Codes() {
		for _, kind := range []string{kindPreflight, kindRequest} {
			for _, status := range []int{0, 200, 301, 403, 502} {
				e := bareEvidence(kind, &fetch.Failure{Code: c})
				e.resp.status = status
				d := diagnose(e)
				assert.True(t, declared[d], "%s, %s, %d: diagnosis %q is not declared", c, kind, status, d)
			}
		}
	}
	assert.True(t, declared[diagnose(bareEvidence(kindRequest, nil))], "a network error")
}

func TestNetworkDiagnosis(t *testing.T) {
	tests := []struct {
		err  error
		want Diagnosis
	}{
		{nil, diagNetwork},
		{context.DeadlineExceeded, diagTimeout},
		{&net.DNSError{Err: "no such host", Name: "api.example"}, diagDNS},
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, diagConnectionRefused},
		{&tls.CertificateVerificationError{Err: errors.New("x509: certificate signed by unknown authority")}, diagTLS},
		{tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, diagTLS},
		{io.EOF, diagConnectionDropped},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), diagConnectionDropped},
		{errors.New("net/http: HTTP/1.x transport connection broken: server closed idle connection"), diagConnectionDropped},
		{errors.New("something else"), diagNetwork},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, networkDiagnosis(tt.err), "%v", tt.err)
	}
}
