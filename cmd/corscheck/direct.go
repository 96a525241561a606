package main

import (
	"fmt"
	"strings"
)

// This file compares the check through the given URL with the same check
// straight to the application (-direct), hop by hop, as the guides tell
// people to do with curl on both sides of a proxy, and words what the
// comparison proves for the cause found before it.

// directFindings is what the -direct check adds to a failure's evidence.
type directFindings struct {
	detail string    // what the failing exchange looked like on each side
	was    Diagnosis // the diagnosis before -direct proved the application right
}

// compareDirect records the -direct result in res, says what differs, and
// when the application passes where the proxied URL fails, blames the layer
// in between. last is the evidence of res's failure, nil when it passed.
func compareDirect(res, direct *Result, last *evidence) {
	res.Direct = direct
	failed, directFailed := res.Failure != nil, direct.Failure != nil
	switch {
	case direct.Verdict == verdictError:
		res.Comparison = "the request straight to the application got no response (" + direct.Failure.Reason + "), so there is nothing to compare."
	case res.Verdict == verdictError:
		res.Comparison = "the request through " + res.URL + " got no response, while the application answers directly: the layer in between is down or drops the connection."
	case !failed && !directFailed:
		res.Comparison = "both ways, the browser would read the response."
	case !failed:
		res.Comparison = fmt.Sprintf("through %s the browser reads the response, but straight to the application it fails (%s): the layer in between adds or fixes the CORS headers. Make sure exactly one layer sets them.", res.URL, direct.Failure.Code)
	case directFailed:
		res.Comparison = bothFail(res, direct, last)
	default:
		detail := fmt.Sprintf("The %s %s; straight to the application it %s.", res.Failure.Step,
			describeStep(lastStep(res.Steps, res.Failure.Step)), describeStep(lastStep(direct.Steps, res.Failure.Step)))
		res.Comparison = "straight to the application the browser would read the response; through " + res.URL + " it fails. " + detail
		if last != nil {
			last.direct = &directFindings{detail: detail, was: res.Failure.Diagnosis}
			res.Failure.Diagnosis = diagProxyBreaksCORS
			res.Failure.Cause, res.Failure.Fix = advice(diagProxyBreaksCORS, last)
		}
	}
}

// bothFail words the comparison when the application fails too. An
// application that sends no CORS header at all, directly, may leave CORS
// to the layer in front (nginx's add_header): then the fix is there.
func bothFail(res, direct *Result, last *evidence) string {
	if s := lastStep(direct.Steps, direct.Failure.Step); s != nil && s.header != nil && corsFreeAnswer(s.header) && last != nil {
		return "straight to the application it fails too, and its answer carries no CORS header at all (no Vary: Origin either): the application has no CORS layer on this route. If the layer in front is the one meant to add the CORS headers, it skipped this answer: make it add them to every answer, errors included (" +
			last.fixIn(fixErrorCORS) + "); otherwise add the CORS middleware to the application."
	}
	if direct.Failure.Code == res.Failure.Code {
		return fmt.Sprintf("the application itself fails the same way (%s): the fix is in the application, not in the layer in between.", res.Failure.Code)
	}
	return fmt.Sprintf("the application fails too, but differently (%s directly, %s through %s): fix the application first, then compare again.", direct.Failure.Code, res.Failure.Code, res.URL)
}

// directCause is what a layer between the browser and the application
// does, once -direct proved the application right, and the setting that
// does it (nil when no setting is to change).
type directCause struct {
	does string
	pick func(layerFix) string
}

// directCauses holds, per diagnosis found through the layer, what the
// layer does.
var directCauses = map[Diagnosis]directCause{
	diagAllowOriginStripped:     {"removes the application's Access-Control-Allow-Origin: it must pass the application's CORS headers through unchanged", fixStrip},
	diagAllowOriginTwice:        {"adds a second Access-Control-Allow-Origin to the application's", fixOverwrite},
	diagProxyBreaksCORS:         {"writes its own Access-Control-Allow-Origin over the application's", fixOverwrite},
	diagWildcardWithCredentials: {"writes its own Access-Control-Allow-Origin over the application's", fixOverwrite},
	diagAllowOriginOther:        {"rewrites the Origin request header, so the application echoes another origin", fixOrigin},
	diagOriginNotAllowed:        {"drops or rewrites the Origin request header, so the application answers as if this origin had not asked", fixOrigin},
	diagPathNotServed:           {"maps the path away: the application serves it, but not as the layer passes it on", fixPath},
	diagPreflightNotRouted404:   {"maps the path away or answers OPTIONS itself", fixPath},
	diagPreflightNotRouted405:   {"answers or refuses OPTIONS itself instead of passing the preflight on", fixOptions},
	diagProxyRefusedOptions:     {"answers or refuses OPTIONS itself instead of passing the preflight on", fixOptions},
	diagPreflightWithoutCORS:    {"answers OPTIONS itself instead of passing the preflight on", fixOptions},
	diagPreflightForbidden:      {"refuses the preflight itself", fixOptions},
	diagBlockedBeforeCORS:       {"refuses the request itself, by an access rule", fixDeny},
	diagAuthBeforeCORS:          {"runs authentication on the preflight, which never carries credentials", fixAuth},
	diagCacheWithoutVary:        {"serves a stored answer made for another request", fixCacheKey},
	diagCacheIgnoresVary:        {"serves a stored answer made for another request", fixCacheKey},
	diagGatewayError:            {"gets no good answer from the application at the address it uses, while the application answers directly: its upstream address or timeout is wrong", fixTimeout},
	diagProxyErrorPage:          {"answers with its own error, for a request the application serves", fixDeny},
	diagErrorWithoutCORS:        {"answers with an error the application does not give, without the CORS headers", fixErrorCORS},
	diagRedirectTrailingSlash:   {"redirects to the path with or without a trailing slash, where the application answers the path as sent", fixPath},
	diagRedirectToHTTPS:         {"redirects http to https before the application answers: call the API over https", nil},
	diagRedirectWithoutCORS:     {"redirects before the application answers", nil},
}

// directCauseOf is what -direct proved the layer does, for the cause found
// through it; a request limit names that limit's setting.
func (e *evidence) directCauseOf() directCause {
	if pick := e.limitPick(); pick != nil {
		return directCause{"refuses the request for one of its own limits, which the application does not have", pick}
	}
	if c, ok := directCauses[e.direct.was]; ok {
		return c
	}
	return directCause{"changes the answer: it must pass the application's CORS headers through unchanged and pass OPTIONS on", fixOverwrite}
}

// directWording covers a failure that -direct proved is the layer's: the
// application, asked the same, passes.
func directWording(e *evidence) (cause, fix string) {
	c := e.directCauseOf()
	fix = "Fix that layer, not the application: it " + c.does + "."
	if c.pick != nil {
		fix = strings.TrimSuffix(fix, ".") + " (" + e.fixIn(c.pick) + ")."
	}
	return "Straight to the application (-direct) the browser would read the response, but through " + e.r.URL.Host + " it does not: a layer between them (" + e.layer().label() + ") " + c.does + ". " + e.direct.detail, fix
}

// lastStep returns the last step of the kind, nil when there is none.
func lastStep(steps []*Step, kind string) *Step {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Kind == kind {
			return steps[i]
		}
	}
	return nil
}

// describeStep says what an exchange got: its status and its
// Access-Control-Allow-Origin.
func describeStep(s *Step) string {
	if s == nil {
		return "was not sent"
	}
	var acao []string
	for _, h := range s.ResponseHeaders {
		if strings.EqualFold(h.Name, "Access-Control-Allow-Origin") {
			acao = append(acao, h.Value)
		}
	}
	status := statusLine(s.Status)
	if s.StatusText != "" {
		status = fmt.Sprintf("%d %s", s.Status, s.StatusText)
	}
	if len(acao) == 0 {
		return fmt.Sprintf("got %s without Access-Control-Allow-Origin", status)
	}
	return fmt.Sprintf("got %s with 'Access-Control-Allow-Origin: %s'", status, strings.Join(acao, ", "))
}
