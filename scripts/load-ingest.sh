#!/usr/bin/env bash
# make load-test: the load test of operations.md OPS-75. Not part of CI or `make test`.
#
# 1. Builds `registry` in release mode (as bench-api.sh) when the binary is missing or stale.
# 2. Starts `registry serve` on a fresh embedded cluster under LOAD_DATA_DIR (default
#    /tmp/registry-load, wiped first unless LOAD_KEEP_DATA=1) on a free port, and waits for /ready.
# 3. Creates the institutions load1.edu … load5.edu and the workers' service account
#    system@aptrust.org (admin) with the CLI.
# 4. Runs scripts/load-ingest.py: LOAD_CLIENTS clients (default 30), each ingesting bag after bag
#    (domain.md §8.2, LOAD_FILES files each, default 100) for LOAD_SECONDS (default 60); it prints
#    the latencies by category and PASS/FAIL for the OPS-75 targets.
# 5. Runs `registry audit verify` (must pass: every event the run wrote is on a hash chain) and
#    stops the server with SIGTERM (the embedded cluster stops with it, OPS-15).
#
# Environment: LOAD_CLIENTS, LOAD_SECONDS, LOAD_FILES, LOAD_DATA_DIR, LOAD_KEEP_DATA, LOAD_PORT
# (default: a free port), LOAD_POOL_SIZE (DB_POOL_SIZE of the server; default: the server's own),
# LOAD_BUILD=1 (rebuild the release binary even when it looks current).
# Exit status: 0 if the targets passed, there were no errors and the chains verify; 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in python3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

DATA=${LOAD_DATA_DIR:-/tmp/registry-load}
CLIENTS=${LOAD_CLIENTS:-30}
SECONDS_TO_RUN=${LOAD_SECONDS:-60}
FILES=${LOAD_FILES:-100}
INSTITUTIONS="load1.edu load2.edu load3.edu load4.edu load5.edu"
EMAIL=system@aptrust.org
BIN=.build/release/registry
# No DATABASE_URL: the embedded cluster under $DATA (operations.md OPS-10), never someone's database.
unset DATABASE_URL
export REGISTRY_DATA_DIR=$DATA

echo "== make load-test $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) vCPU, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# The release binary is rebuilt only when it is missing, older than the last commit, or older than
# a source file (uncommitted edits); otherwise the existing one is used (LOAD_BUILD=1 forces a build).
if [ "${LOAD_BUILD:-0}" = 1 ] || [ ! -x "$BIN" ] ||
   [ "$(stat -c %Y "$BIN")" -lt "$(git log -1 --format=%ct 2>/dev/null || echo 0)" ] ||
   [ -n "$(find Sources Package.swift -newer "$BIN" -print -quit 2>/dev/null)" ]; then
  echo "== building (release)"
  swift build -c release --product registry 2>&1 | tail -1
else
  echo "== release binary up to date ($BIN, built $(date -u -r "$BIN" +%Y-%m-%dT%H:%M:%SZ))"
fi

if [ "${LOAD_KEEP_DATA:-0}" != 1 ]; then
  rm -rf "$DATA"
fi
mkdir -p "$DATA"
work=$(mktemp -d /tmp/load-test.XXXXXX)
chmod 700 "$work"

# A free port: bind port 0 and read what the kernel picked (a race with other programs is unlikely
# in the moment before the server binds it).
PORT=${LOAD_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
base_url="http://127.0.0.1:$PORT"

server_pid=
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

echo "== server: $base_url, data $DATA, LOG_LEVEL=info (one access-log line per request, as in production),"\
     "DB_POOL_SIZE=${LOAD_POOL_SIZE:-10 (server default)}; logs in $work"
if [ -n "${LOAD_POOL_SIZE:-}" ]; then export DB_POOL_SIZE=$LOAD_POOL_SIZE; fi
PORT=$PORT LOG_LEVEL=info $BIN serve >"$work/server.log" 2>&1 &
server_pid=$!
ready=
for _ in $(seq 1 300); do
  if curl -sf "$base_url/ready" >/dev/null; then ready=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "registry serve exited:" >&2; tail -20 "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$ready" ] || { echo "registry serve not ready after 60 s" >&2; tail -20 "$work/server.log" >&2; exit 1; }

# The CLI reuses the running cluster (OPS-14). On a kept data dir the records exist already: then
# only a new API key is issued for the service account.
echo "== institutions and the service account"
for inst in $INSTITUTIONS; do
  LOG_LEVEL=warn $BIN create institution --identifier "$inst" --name "Load Test ${inst%%.*}" >/dev/null 2>"$work/cli.err" ||
    grep -qiE "taken|exists|duplicate|unique" "$work/cli.err" || { cat "$work/cli.err" >&2; exit 1; }
done
# The admin belongs to load1.edu (the brief asks for the five load institutions only; an admin
# sees every institution whichever it belongs to). The key goes to a file readable only by us,
# not onto a command line where `ps` would show it.
if ! key=$(LOG_LEVEL=warn $BIN create user --email "$EMAIL" --name "Load test workers" --institution load1.edu \
             --role admin --key-label load-test 2>"$work/cli.err"); then
  grep -qiE "taken|exists|duplicate|unique" "$work/cli.err" || { cat "$work/cli.err" >&2; exit 1; }
  key=$(LOG_LEVEL=warn $BIN create api-key --email "$EMAIL" --label "load-test" 2>&1)
fi
key=$(printf '%s\n' "$key" | grep -E '^[0-9a-f]{64}$' | tail -1)
[ -n "$key" ] || { echo "no API key from the CLI" >&2; exit 1; }
(umask 077; printf '%s\n%s\n' "$EMAIL" "$key" > "$work/credentials")
echo "created: $INSTITUTIONS, $EMAIL (admin)"

echo "== load: $CLIENTS clients × §8.2 ingest ($FILES files per bag) for ${SECONDS_TO_RUN}s"
status=0
python3 scripts/load-ingest.py --base-url "$base_url" --credentials "$work/credentials" --clients "$CLIENTS" \
  --seconds "$SECONDS_TO_RUN" --files "$FILES" --institutions "$(echo $INSTITUTIONS | tr ' ' ',')" || status=1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== registry audit verify"
if LOG_LEVEL=warn $BIN audit verify >"$work/verify.out" 2>&1; then
  grep -v '^{' "$work/verify.out" || true
  echo "audit verify: PASS"
else
  grep -v '^{' "$work/verify.out" | tail -20 || true
  echo "audit verify: FAIL"
  status=1
fi
rm -f "$work/credentials"

echo "== stopping the server"
stop_server
# Server warnings and errors of the run (the access log lines are info).
grep -E '"level":"(warn|error)"' "$work/server.log" | head -5 || true
exit $status
