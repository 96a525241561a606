package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cdnCache stores GET answers by URL whatever their Vary says, as a
// misconfigured CDN does, and marks them with that CDN's documented
// headers: hit on a stored answer, miss on a fresh one.
type cdnCache struct {
	next      http.Handler
	hit, miss http.Header
	mu        sync.Mutex
	kept      map[string]*httptest.ResponseRecorder
}

func (c *cdnCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		c.next.ServeHTTP(w, r)
		return
	}
	c.mu.Lock()
	rec, stored := c.kept[r.URL.RequestURI()]
	if !stored {
		rec = httptest.NewRecorder()
		c.next.ServeHTTP(rec, r)
		c.kept[r.URL.RequestURI()] = rec
	}
	c.mu.Unlock()
	for name, values := range rec.Header() {
		w.Header()[name] = append([]string(nil), values...)
	}
	marks := c.miss
	if stored {
		marks = c.hit
	}
	for name, values := range marks {
		w.Header()[name] = append([]string(nil), values...)
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// A credentialed app that reflects the origin without 'Vary: Origin',
// behind each CDN: another origin's stored answer is the cache's doing,
// even though Access-Control-Allow-Credentials is present (the
// cache-busting repeat must run whatever other CORS headers there are).
func TestCDNCacheWithoutVaryCredentialed(t *testing.T) {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		w.Header().Set("Cache-Control", "public, max-age=600")
		_, _ = w.Write([]byte(`{"items":[]}`))
	})
	cdns := []struct {
		layer     string
		named     string // the evidence the cause must quote
		hit, miss http.Header
	}{ // without its row, a CDN is named by the Server or Via it sends (Fastly sends neither)
		{"Cloudflare", "CF-Ray: 8a1b", hdr("Server", "cloudflare", "CF-Ray", "8a1b2c3d4e5f6a7b-AMS", "cf-cache-status", "HIT", "Age", "42"),
			hdr("Server", "cloudflare", "CF-Ray", "8a1b2c3d4e5f6a7c-AMS", "cf-cache-status", "MISS")},
		{"CloudFront", "X-Amz-Cf-Id", hdr("X-Cache", "Hit from cloudfront", "Via", "1.1 abc.cloudfront.net (CloudFront)", "X-Amz-Cf-Id", "abc==", "Age", "42"),
			hdr("X-Cache", "Miss from cloudfront", "Via", "1.1 abc.cloudfront.net (CloudFront)", "X-Amz-Cf-Id", "abd==")},
		{"Fastly", "X-Served-By: cache-ams", hdr("X-Served-By", "cache-ams21080-AMS", "X-Cache", "HIT", "X-Cache-Hits", "1", "Age", "42"),
			hdr("X-Served-By", "cache-ams21080-AMS", "X-Cache", "MISS", "X-Cache-Hits", "0")},
		{"Varnish", "X-Varnish: 32770", hdr("Via", "1.1 varnish (Varnish/7.1)", "X-Varnish", "32770 3", "Age", "42"),
			hdr("Via", "1.1 varnish (Varnish/7.1)", "X-Varnish", "32771")},
	}
	for _, cdn := range cdns {
		t.Run(cdn.layer, func(t *testing.T) {
			srv := serve(t, &cdnCache{next: app, hit: cdn.hit, miss: cdn.miss, kept: map[string]*httptest.ResponseRecorder{}})
			warm(t, srv.URL+"/items", otherOrigin)
			eachTable(t, cdn.layer, func(tr tableRun) {
				_, res := runJSON(tr.T, "-origin", pageOrigin, "-credentials", srv.URL+"/items")
				require.NotNil(tr, res.Failure, "verdict %s", res.Verdict)
				assert.Equal(tr, "allow_origin_mismatch", string(res.Failure.Code))
				assert.Equal(tr, diagCacheWithoutVary, res.Failure.Diagnosis, res.Failure.Cause)
				tr.contains(res.Failure.Cause, "has no 'Vary: Origin'", "Layer: "+cdn.layer, cdn.named)
				tr.namedBy(res.Failure.Cause, evidenceName(cdn.hit))
				assert.Equal(tr, 1, countSteps(res, kindProbe), "one cache-busting repeat")
			})
		})
	}
}
