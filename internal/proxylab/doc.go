// Package proxylab runs real reverse proxies and caches (Debian's nginx,
// Apache httpd, HAProxy, Varnish, Squid and Caddy), each as a child process
// on loopback with a configuration of its own, in front of an application
// served by the library, misconfigured the way people misconfigure them.
//
// It is test infrastructure shared by two suites that must agree: the
// corscheck tests (-tags proxies, -tags nginx), which hold corscheck's
// diagnosis of each [Scenario], and the e2e suite, which loads the same
// scenarios in headless Chromium and checks that the browser refuses (or
// allows) exactly what corscheck says it does. Nothing outside tests imports
// it.
//
// A missing server binary skips the test that needs it, or fails it when
// $CI is "true": in CI these tests must not pass by not running.
package proxylab
