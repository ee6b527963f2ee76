#!/usr/bin/env bash
# make bench-http: our server and a Hummingbird 2 app serve the same small JSON route; wrk (2 threads,
# 64 connections, 10 s) measures both in the same run; then the RSS of our server with 1,000 idle
# keep-alive connections. Prints req/s, p50, p99 and the ratio ours/Hummingbird.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

echo "== building (release)"
swift build -c release --product registry 2>&1 | tail -1
(cd Benchmarks/HummingbirdBaseline && swift build -c release --scratch-path ../../.build-hummingbird 2>&1 | tail -1)

work=$(mktemp -d /tmp/bench-http.XXXXXX)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ours_port=$(free_port); hb_port=$(free_port)
cleanup() { kill "${ours_pid:-}" "${hb_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

REGISTRY_DATA_DIR="$work/data" PORT=$ours_port LOG_LEVEL=info .build/release/registry serve >"$work/ours.log" 2>&1 &
ours_pid=$!
.build-hummingbird/release/HummingbirdBaseline $hb_port >"$work/hb.log" 2>&1 &
hb_pid=$!
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$ours_port/ready" >/dev/null && curl -sf "http://127.0.0.1:$hb_port/health" >/dev/null && break
  sleep 0.2
done
# Make sure the servers answering are the ones started here (not something else on the port).
kill -0 "$ours_pid" 2>/dev/null || { echo "registry did not start:" >&2; tail -5 "$work/ours.log" >&2; exit 1; }
kill -0 "$hb_pid" 2>/dev/null || { echo "hummingbird did not start:" >&2; tail -5 "$work/hb.log" >&2; exit 1; }

# wrk --latency prints "50%  1.23ms"; convert to milliseconds.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v} else if (v ~ /s$/) {sub(/s/,"",v); print v*1000} else print v}'; }
measure() {
  local url=$1 out
  wrk -t2 -c64 -d3s "$url" >/dev/null 2>&1   # warm-up
  out=$(wrk -t2 -c64 -d10s --latency "$url")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}' | to_ms)
  p99=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
  echo "$rps $p50 $p99"
}

read -r ours_rps ours_p50 ours_p99 < <(measure "http://127.0.0.1:$ours_port/health")
read -r hb_rps hb_p50 hb_p99 < <(measure "http://127.0.0.1:$hb_port/health")
printf "\n%-14s %12s %10s %10s\n" "server" "req/s" "p50 ms" "p99 ms"
printf "%-14s %12s %10s %10s\n" "registry" "$ours_rps" "$ours_p50" "$ours_p99"
printf "%-14s %12s %10s %10s\n" "hummingbird" "$hb_rps" "$hb_p50" "$hb_p99"
awk -v a="$ours_rps" -v b="$hb_rps" 'BEGIN { printf "ratio registry/hummingbird: %.2f (target >= 1.0)\n", a/b }'

echo
echo "== RSS with 1,000 idle keep-alive connections"
rss_before=$(awk '/VmRSS/ {print $2}' /proc/$ours_pid/status)
python3 scripts/idle-connections.py 127.0.0.1 $ours_port 1000 "$ours_pid"
