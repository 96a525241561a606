package main

import (
	"strings"
)

// This file words the disagreements of -env that the single-request
// diagnosis does not cover, because the browser does not fail on them: a
// deployment that allows what the policy refuses, and headers that differ
// without blocking today (Vary, the allow lists, Max-Age).

// Diagnoses of -env's own disagreements, in the "diagnosis" field of a
// probe. A failure the browser sees keeps the single-request Diagnosis.
const (
	envAllowsRefused   = "deployment_allows_what_policy_refuses"
	envWildcard        = "wildcard_over_policy"
	envVaryRemoved     = "vary_removed"
	envOtherOrigin     = "answer_made_for_another_origin"
	envPolicyDiffers   = "deployed_policy_differs"
	envCauseLayerIntro = " (Layer: "
)

// envAdvice returns the diagnosis, the likely cause and the fix of a
// probe whose deployed answer differs from the policy's without the
// browser failing where the policy passes.
func envAdvice(prefix string, e *evidence, pr *EnvProbeResult) (diagnosis, cause, fix string) {
	vars := envPrefix(prefix) + "*"
	acao := joined(e.resp.header, "Access-Control-Allow-Origin")
	overwrite := e.fixIn(func(f layerFix) string { return f.overwrite })
	cacheKey := e.fixIn(func(f layerFix) string { return f.cacheKey })
	sameValues := "Deploy the application with the same " + vars + " values as this check reads"
	wanted := expectedAllowOrigin(pr, acao)
	switch {
	case acao == "*" && wanted != "*":
		diagnosis = envWildcard
		cause = "The answer says 'Access-Control-Allow-Origin: *', which the policy in " + vars + " never sends: a layer in front of the application writes it, and any site can read these responses."
		fix = "Remove " + overwrite + "; let the application's CORS layer alone set the CORS headers."
	case wanted == "" && acao == e.r.SerializedOrigin(), pr.Expected == verdictBlocked && pr.Deployed == verdictAllowed:
		diagnosis = envAllowsRefused
		cause = "The deployment answers " + pr.describe() + " as an allowed one, which the policy in " + vars + " refuses: the application runs with a more permissive policy than this environment's, or a layer in front echoes the request's Origin."
		fix = sameValues + " (the deployed copy has drifted); if the application's policy is right, remove " + overwrite + "."
	case differs(pr.Differences, "Access-Control-Allow-Origin") && acao != "" && acao != e.r.SerializedOrigin():
		diagnosis = envOtherOrigin
		cause = "The answer carries 'Access-Control-Allow-Origin: " + clip(acao, shownValueLimit) + "', made for another origin: a cache stored another visitor's answer and served it here" + cacheNote(e) + "."
		fix = "Make the cache keep one answer per Origin: " + cacheKey + "."
	case differs(pr.Differences, "Vary") && len(pr.Differences) == 1:
		diagnosis = envVaryRemoved
		have := "The answer has no Vary header"
		if v := joined(e.resp.header, "Vary"); v != "" {
			have = "The answer's 'Vary: " + clip(v, shownValueLimit) + "' lacks Origin"
		}
		cause = have + ", where the policy's answer says 'Vary: " + pr.Differences[0].Expected + "': the deployed CORS layer does not send it, or a layer in front removed it. A cache (a CDN, a proxy, the browser's) may then serve this answer to another origin."
		fix = "Send 'Vary: Origin' on every answer whose CORS headers depend on the Origin, allowed or not (corsguard does), pass it through every layer unchanged, and " + cacheKey + "."
	default:
		diagnosis = envPolicyDiffers
		cause = "The deployed answer's " + strings.Join(differingHeaders(pr.Differences), ", ") + " differ from what the policy in " + vars + " gives: the application runs with other values than this environment's, or a layer in front rewrites these headers."
		fix = sameValues + "; if they are the same, look for a header rule in front of the application (" + overwrite + ")."
	}
	if l := layerOf(e.resp); l.name != "" {
		cause += envCauseLayerIntro + l.name + ", named by " + l.by + ".)"
	}
	return diagnosis, cause, fix
}

// expectedAllowOrigin is the policy's Access-Control-Allow-Origin for the
// probe, "" when it sends none.
func expectedAllowOrigin(pr *EnvProbeResult, deployed string) string {
	for _, d := range pr.Differences {
		if d.Header == "Access-Control-Allow-Origin" {
			return d.Expected
		}
	}
	return deployed // no difference: the deployed value is the policy's
}

// cacheNote quotes the headers by which a cache says it served the answer.
func cacheNote(e *evidence) string {
	if s := cacheSignals(e.resp.header); len(s) > 0 {
		return " (" + strings.Join(s, ", ") + ")"
	}
	return ""
}

// differs reports whether ds has a difference in header name.
func differs(ds []Difference, name string) bool {
	for _, d := range ds {
		if d.Header == name {
			return true
		}
	}
	return false
}

// differingHeaders names the headers of ds.
func differingHeaders(ds []Difference) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.Header)
	}
	return out
}
