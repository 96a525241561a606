//go:build proxies

package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/proxylab"
)

// TestEnvBehindProxies runs corscheck -env through each proxylab product
// in front of the library: it passes where the product is configured
// correctly, and fails, naming the layer, where it strips a header, writes
// "*" over a credentialed answer or caches without Vary, or where the
// deployed copy of the policy lacks an origin of the environment's.
//
//	go test -tags proxies -run TestEnvBehindProxies ./cmd/corscheck
func TestEnvBehindProxies(t *testing.T) {
	// The misconfigurations each product's configuration holds, by path.
	misconfigured := map[string][]envProxyCase{
		proxylab.Nginx.Name: {
			{name: "proxy_hide_header", path: "/strip/items", diagnosis: string(diagAllowOriginStripped), named: true},
			{name: "a cache that ignores Vary", path: "/cached/items", diagnosis: string(diagCacheIgnoresVary), named: true},
		},
		proxylab.Apache.Name: {
			{name: "Header unset", path: "/strip/items", diagnosis: string(diagAllowOriginStripped), named: true},
			{name: "Header set overwrites with *", path: "/star/items", credentials: true, diagnosis: string(diagProxyBreaksCORS), named: true},
		},
		proxylab.HAProxy.Name: {
			// HAProxy sends nothing that names it.
			{name: "http-response del-header", path: "/strip/items", diagnosis: string(diagAllowOriginStripped)},
		},
		proxylab.Varnish.Name: {
			{name: "Vary unset in VCL", path: "/novary/items", diagnosis: envVaryRemoved, named: true},
		},
		proxylab.Caddy.Name: {
			{name: "header_down -Access-Control-Allow-Origin", path: "/strip/items", diagnosis: string(diagAllowOriginStripped), named: true},
			{name: "header_down overwrites with *", path: "/star/items", credentials: true, diagnosis: string(diagProxyBreaksCORS), named: true},
		},
	}
	for _, p := range proxylab.Products {
		t.Run(p.Name, func(t *testing.T) {
			base := p.Start(t, proxylab.NewUpstreams(t, pageOrigin))
			cases := append([]envProxyCase{
				{name: "configured correctly", path: "/ok/items"},
				{name: "an origin missing from the deployed copy of the policy", path: "/ok/items", extraOrigin: "https://new.example.com",
					diagnosis: string(diagCORSRefusedOrigin)},
			}, misconfigured[p.Name]...)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, p, base) })
			}
		})
	}
}

// envProxyCase is one path behind one product, and what -env must say.
type envProxyCase struct {
	name, path  string
	credentials bool   // the path's policy allows credentials
	extraOrigin string // an origin the environment has and the deployment lacks
	diagnosis   string // of the first failed probe; "" when every probe passes
	named       bool   // the failure's cause names the product
}

// run sets the environment to the application's policy, runs -env at the
// path and checks the verdict.
func (tc envProxyCase) run(t *testing.T, p proxylab.Product, base string) {
	origins := pageOrigin + "," + proxylab.OtherOrigin
	if tc.extraOrigin != "" {
		origins += "," + tc.extraOrigin
	}
	t.Setenv("CORS_ALLOWED_ORIGINS", origins)
	t.Setenv("CORS_ALLOWED_METHODS", "PUT,POST")
	t.Setenv("CORS_ALLOWED_HEADERS", "X-Api-Key,Content-Type")
	if tc.credentials {
		t.Setenv("CORS_ALLOW_CREDENTIALS", "true")
	}
	code, rep := runEnvJSON(t, base+tc.path)
	t.Logf("%d passed, %d failed; %d requests", rep.Passed, rep.Failed, rep.RequestsSent)
	if tc.diagnosis == "" {
		assert.Equal(t, exitAllowed, code, "failed: %v", failed(rep))
		assert.Zero(t, rep.Failed)
		return
	}
	assert.Equal(t, exitBlocked, code)
	var first *EnvProbeResult
	for _, pr := range rep.Probes {
		if !pr.Passed && (tc.extraOrigin == "" || pr.Origin == tc.extraOrigin) {
			first = pr
			break
		}
	}
	require.NotNil(t, first, "a probe fails: %v", failed(rep))
	assert.Equal(t, tc.diagnosis, first.Diagnosis, "%s: %s", first.describe(), first.Cause)
	if tc.named {
		assert.True(t, strings.Contains(first.Cause, p.Name) || strings.Contains(first.Fix, p.Name), "the layer is named: %s / %s", first.Cause, first.Fix)
	}
}
