//go:build go1.25

package cors

import "net/http"

// CrossOriginProtection returns an http.CrossOriginProtection that trusts the
// policy's exact allowed origins, so one allow-list governs both what scripts
// may read (CORS) and which cross-origin requests may change state (CSRF).
//
// Patterns and "*" are not carried over: the standard library trusts exact
// origins only, and trusting every origin would disable the protection. The
// result is a snapshot: after Reconfigure, call it again. It needs Go 1.25.
func (m *Middleware) CrossOriginProtection() *http.CrossOriginProtection {
	cop := http.NewCrossOriginProtection()
	if p := m.policy.Load(); p != nil {
		for _, o := range p.origins.Exact() {
			// Exact origins passed origin.Parse, which is stricter than
			// AddTrustedOrigin; should the two ever disagree, fail closed.
			if err := cop.AddTrustedOrigin(o); err != nil {
				p.log().Warn("cors: origin not trusted by CrossOriginProtection", "origin", o, "error", err)
			}
		}
	}
	return cop
}
