package origin

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBuiltinPublicSuffixList(t *testing.T) {
	for d, want := range map[string]bool{
		// Rules as the Public Suffix List states them.
		"github.io": true, "gitlab.io": true, "vercel.app": true, "netlify.app": true, "pages.dev": true,
		"workers.dev": true, "herokuapp.com": true, "fly.dev": true, "onrender.com": true, "a.run.app": true,
		"appspot.com": true, "web.app": true, "firebaseapp.com": true, "azurewebsites.net": true,
		"cloudfront.net": true, "ngrok.io": true, "ngrok-free.app": true, "ngrok.app": true, "ngrok.dev": true,
		"ngrok-free.dev": true, "ngrok.pro": true,
		// Wildcard rules: every name one label below their parent.
		"svc.run.app": true, "eu-west-1.compute.amazonaws.com": true, "us-east-1.elb.amazonaws.com": true,
		"x.compute-1.amazonaws.com": true,
		// What the rules leave to their owners.
		"run.app": false, "amazonaws.com": false, "compute.amazonaws.com": false,
		"app.svc.run.app": false, "ec2-1.eu-west-1.compute.amazonaws.com": false, "app.a.run.app": false,
	} {
		assert.Equal(t, want, IsPublicSuffix(d), d)
	}
}

func TestHasPublicSuffixBelow(t *testing.T) {
	for d, want := range map[string]bool{
		"run.app": true, "app": true, "amazonaws.com": true, "compute.amazonaws.com": true, "io": true,
		"svc.run.app": false, "example.com": false, "localhost": false, "[::1]": false, "github.io": false,
	} {
		assert.Equal(t, want, HasPublicSuffixBelow(d), d)
	}
}
