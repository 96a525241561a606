#!/bin/sh
# deploycheck.sh: the CORS step of a deploy pipeline. After the API is
# deployed, check its URLs against the policy it was deployed with: the very
# CORS_* variables the application reads with cors.FromEnv("CORS"). A
# non-zero exit stops the pipeline: 1 when the deployment answers otherwise
# than the policy says, 2 when the policy itself is refused.
#
# Against the demo (go run ./examples/demo, default ports):
#
#	CORSCHECK="go run ./cmd/corscheck" examples/deploycheck/deploycheck.sh
#	API=http://127.0.0.1:8083 CORSCHECK="go run ./cmd/corscheck" examples/deploycheck/deploycheck.sh   # the hand-written middleware: fails
set -eu

: "${CORSCHECK:=corscheck}"           # the command; go install github.com/corsguard/cors/cmd/corscheck@latest
: "${API:=http://127.0.0.1:8080}"     # the deployed API
: "${PAGE:=http://127.0.0.1:8081}"    # the origin of the pages that call it

# In a pipeline these come from the deployment's own configuration; here,
# the demo's policy.
export CORS_ALLOWED_ORIGINS="${CORS_ALLOWED_ORIGINS:-$PAGE}"
export CORS_ALLOWED_METHODS="${CORS_ALLOWED_METHODS:-GET,POST,PUT}"
export CORS_ALLOWED_HEADERS="${CORS_ALLOWED_HEADERS:-Content-Type}"
export CORS_EXPOSED_HEADERS="${CORS_EXPOSED_HEADERS:-X-Request-Id}"

# Only OPTIONS, GET and HEAD are sent, at most 100 requests, 100 ms apart.
exec $CORSCHECK -env CORS "$@" "$API/api/hello" "$API/api/items/1"
