//go:build proxies

package main

import "testing"

func TestProxiesStart(t *testing.T) {
	u := newUpstreams(t)
	for name, start := range map[string]func(*testing.T, upstreams) string{
		"apache": startApache, "haproxy": startHAProxy, "varnish": startVarnish, "squid": startSquid, "caddy": startCaddy,
	} {
		t.Run(name, func(t *testing.T) {
			base := start(t, u)
			runHop(t, hopCase{args: []string{"-method", "PUT", "-H", "X-Api-Key: k"}, url: func() string { return base + "/ok/items" }, probes: -1})
		})
	}
}
