// Package e2e holds the end-to-end tests of corsguard: real browsers (Chromium,
// Firefox and WebKit) run fetch calls from one loopback origin against an API
// behind the middleware on another, and the tests assert what the browser let
// the script see. See README.md.
//
// The package has no code of its own; everything is in the _test.go files.
package e2e
