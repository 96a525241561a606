package main

import (
	"fmt"
	"strings"
)

// This file compares the check through the given URL with the same check
// straight to the application (-direct), hop by hop, as the guides tell
// people to do with curl on both sides of a proxy.

// directFindings is what the -direct check adds to a failure's evidence.
type directFindings struct {
	detail string // what the failing exchange looked like on each side
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
	case directFailed && direct.Failure.Code == res.Failure.Code:
		res.Comparison = fmt.Sprintf("the application itself fails the same way (%s): the fix is in the application, not in the layer in between.", res.Failure.Code)
	case directFailed:
		res.Comparison = fmt.Sprintf("the application fails too, but differently (%s directly, %s through %s): fix the application first, then compare again.", direct.Failure.Code, res.Failure.Code, res.URL)
	default:
		detail := fmt.Sprintf("The %s %s; straight to the application it %s.", res.Failure.Step,
			describeStep(lastStep(res.Steps, res.Failure.Step)), describeStep(lastStep(direct.Steps, res.Failure.Step)))
		res.Comparison = "straight to the application the browser would read the response; through " + res.URL + " it fails. " + detail
		if last != nil {
			last.direct = &directFindings{detail: detail}
			res.Failure.Diagnosis = diagProxyBreaksCORS
			res.Failure.Cause, res.Failure.Fix = advice(diagProxyBreaksCORS, last)
		}
	}
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
	if len(acao) == 0 {
		return fmt.Sprintf("got %s without Access-Control-Allow-Origin", statusLine(s.Status))
	}
	return fmt.Sprintf("got %s with 'Access-Control-Allow-Origin: %s'", statusLine(s.Status), strings.Join(acao, ", "))
}
