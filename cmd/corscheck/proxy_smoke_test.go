//go:build proxies

package main

import (
	"testing"

	"github.com/corsguard/cors/internal/proxylab"
)

// Every product starts and passes a preflighted request through unchanged.
func TestProxiesStart(t *testing.T) {
	u := proxylab.NewUpstreams(t, pageOrigin)
	for _, p := range proxylab.Products {
		t.Run(p.Name, func(t *testing.T) {
			base := p.Start(t, u)
			runHop(t, hopCase{args: []string{"-method", "PUT", "-H", "X-Api-Key: k"}, url: func() string { return base + "/ok/items" }, probes: -1})
		})
	}
}
