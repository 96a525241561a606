package origin

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBuiltinPublicSuffixList(t *testing.T) {
	for d, want := range map[string]bool{
		// Rules as the Public Suffix List states them, at every depth.
		"github.io": true, "gitlab.io": true, "vercel.app": true, "netlify.app": true, "pages.dev": true,
		"workers.dev": true, "herokuapp.com": true, "fly.dev": true, "onrender.com": true, "a.run.app": true,
		"appspot.com": true, "web.app": true, "firebaseapp.com": true, "azurewebsites.net": true,
		"cloudfront.net": true, "ngrok.io": true, "ngrok-free.app": true, "trycloudflare.com": true,
		"deno.dev": true, "up.railway.app": true, "azurestaticapps.net": true, "s3.amazonaws.com": true,
		"blob.core.windows.net": true, "repl.co": true, "com": true, "co.uk": true,
		// Wildcard rules: every name one label below their parent.
		"svc.run.app": true, "eu-west-1.compute.amazonaws.com": true, "x.kawasaki.jp": true,
		// What the rules leave to their owners, exceptions included.
		"run.app": false, "amazonaws.com": false, "compute.amazonaws.com": false, "railway.app": false,
		"app.svc.run.app": false, "ec2-1.eu-west-1.compute.amazonaws.com": false, "app.a.run.app": false,
		"city.kawasaki.jp": false, "www.ck": false, "example.com": false,
		// Loopback by RFC 6761, and what is not a domain name.
		"localhost": false, "app.localhost": false, "[::1]": false, "": false,
	} {
		assert.Equal(t, want, IsPublicSuffix(d), d)
	}
}

func TestPublicSuffixAtOrBelow(t *testing.T) {
	for d, want := range map[string]string{
		"github.io": "github.io", "railway.app": "up.railway.app", "io": "io",
		"compute.amazonaws.com": "*.compute.amazonaws.com", "svc.run.app": "svc.run.app",
		"example.com": "", "corp.example.co.uk": "", "app.github.io": "", "www.ck": "",
		"localhost": "", "app.localhost": "", "[::1]": "", "": "",
	} {
		assert.Equal(t, want, PublicSuffixAtOrBelow(d), d)
	}
	for _, d := range []string{"windows.net", "core.windows.net", "on.aws", "amazonaws.com", "run.app", "app"} {
		assert.NotEmpty(t, PublicSuffixAtOrBelow(d), d)
	}
}
