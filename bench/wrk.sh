#!/usr/bin/env bash
# End-to-end throughput with wrk (Debian's package) in its own process: the
# servers run on CPU 0 with GOMAXPROCS=1, wrk on CPU 1, so the client's work
# is not charged to the server. Rounds alternate bare, corsguard and rs/cors;
# medians are printed as a markdown table. Usage: bash wrk.sh [rounds] [seconds]
set -euo pipefail
cd "$(dirname "$0")"
rounds="${1:-5}" secs="${2:-3}"
command -v wrk >/dev/null || { echo "wrk.sh: install wrk (apt-get install -y wrk)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/loadtest" ./loadtest
GOMAXPROCS=1 taskset -c 0 "$tmp/loadtest" -serve >"$tmp/urls" &
server=$!
for _ in $(seq 50); do [ "$(wc -l <"$tmp/urls")" -ge 5 ] && break; sleep 0.1; done
cat >"$tmp/preflight.lua" <<'LUA'
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type,x-api-key"
LUA
cat >"$tmp/actual.lua" <<'LUA'
wrk.method = "GET"
wrk.headers["Origin"] = "https://app.example.com"
LUA
for kind in actual preflight; do
	for r in $(seq "$rounds"); do
		while read -r name url; do
			out="$(taskset -c 1 wrk -t1 -c50 -d"${secs}s" --latency -s "$tmp/$kind.lua" "$url")"
			rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
			p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
			echo "$kind $name $rps $p99" >>"$tmp/results"
		done <"$tmp/urls"
	done
done
echo "| request | server | req/s (median of $rounds × ${secs}s) | p99 (median) | throughput cost vs bare |"
echo "| --- | --- | ---: | ---: | ---: |"
for kind in actual preflight; do
	bare="$(awk -v k="$kind" '$1==k && $2=="bare" {print $3}' "$tmp/results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
	for name in bare corsguard rs-cors bare-control bare-same-headers; do
		rps="$(awk -v k="$kind" -v n="$name" '$1==k && $2==n {print $3}' "$tmp/results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
		p99="$(awk -v k="$kind" -v n="$name" '$1==k && $2==n {print $4}' "$tmp/results" | sort -V | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
		cost="$(awk -v b="$bare" -v r="$rps" 'BEGIN {printf "%.1f%%", (b-r)/b*100}')"
		[ "$name" = bare ] && cost="—"
		echo "| $kind | $name | $rps | $p99 | $cost |"
	done
done
