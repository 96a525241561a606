#!/usr/bin/env bash
# End-to-end throughput with wrk (Debian's package) in its own process: the
# servers run on CPU 0 with GOMAXPROCS=1, wrk on CPU 1, so the client's work
# is not charged to the server. Each round runs every server once, in an order
# rotated every round, and each server's throughput is divided by that of
# bare-same-headers in the same round (a bare handler that writes corsguard's
# four headers as constants: the physical floor, since those bytes must go on
# the wire). Pairing within a round cancels most of the machine's drift; the
# table gives the median ratio over rounds and its interquartile range.
# Usage: bash wrk.sh [rounds] [seconds]
set -euo pipefail
cd "$(dirname "$0")"
rounds="${1:-11}" secs="${2:-2}"
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
mapfile -t servers <"$tmp/urls"
n="${#servers[@]}"
for kind in actual preflight; do
	for r in $(seq "$rounds"); do
		for i in $(seq 0 $((n - 1))); do
			read -r name url <<<"${servers[$(((i + r) % n))]}"
			out="$(taskset -c 1 wrk -t1 -c50 -d"${secs}s" --latency -s "$tmp/$kind.lua" "$url")"
			rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
			p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
			echo "$kind $r $name $rps $p99" >>"$tmp/results"
		done
	done
done
echo "| request | server | req/s (median of $rounds × ${secs}s) | p99 (median) | throughput / bare-same-headers, same round: median [IQR] |"
echo "| --- | --- | ---: | ---: | ---: |"
for kind in actual preflight; do
	while read -r name _; do
		rps="$(awk -v k="$kind" -v n="$name" '$1==k && $3==n {print $4}' "$tmp/results" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
		p99="$(awk -v k="$kind" -v n="$name" '$1==k && $3==n {print $5}' "$tmp/results" | sort -V | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
		read -r med q1 q3 <<<"$(awk -v k="$kind" -v n="$name" '
			$1==k && $3=="bare-same-headers" {floor[$2]=$4}
			$1==k && $3==n {rps[$2]=$4}
			END {for (r in rps) printf "%.4f\n", rps[r]/floor[r]}' "$tmp/results" |
			sort -g | awk '{a[NR]=$1} END {printf "%s %s %s", a[int((NR+1)/2)], a[int((NR+3)/4)], a[int((3*NR+1)/4)]}')"
		ratio="$(awk -v m="$med" -v a="$q1" -v b="$q3" 'BEGIN {printf "%.1f%% [%.1f%%, %.1f%%]", m*100, a*100, b*100}')"
		echo "| $kind | $name | $rps | $p99 | $ratio |"
	done <"$tmp/urls"
done
