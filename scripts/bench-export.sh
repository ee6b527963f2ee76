#!/usr/bin/env bash
# Benchmark of the event export (auditor.md AUD-13; issue 6 "Done when"), not run in CI.
#
# Starts a release `registry serve` on a scratch embedded cluster (or on DATABASE_URL, which must
# point at a scratch database: events are inserted into it), loads EVENTS events (default
# 1,000,000) with generate_series, then runs a full NDJSON export as an admin and prints the time to
# first byte and the growth of the server's VmRSS (sampled from /proc/<pid>/status every 50 ms
# during the export). AUD-13 asks for a first byte within 2 s and at most 64 MiB of growth.
#
# The events are written straight into premis_events: their entry and chain hashes are NOT a valid
# chain (they need not be for a memory and latency measurement; `registry audit verify` would fail).
#
# Usage: scripts/bench-export.sh            (builds .build/release/registry first)
#        REGISTRY_BIN=path EVENTS=200000 scripts/bench-export.sh
set -euo pipefail
cd "$(dirname "$0")/.."
events=${EVENTS:-1000000}
port=${PORT:-18191}
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is required" >&2; exit 1; }

bin=${REGISTRY_BIN:-.build/release/registry}
if [ -z "${REGISTRY_BIN:-}" ]; then
  echo "== building (release)"
  swift build -c release --product registry 2>&1 | tail -1
fi

work=$(mktemp -d /tmp/bench-export.XXXXXX)
chmod 755 "$work"
cleanup() {
  if [ -n "${server_pid:-}" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export REGISTRY_DATA_DIR="$work/data" PORT="$port" LOG_LEVEL=warn
if [ -n "${DATABASE_URL:-}" ]; then
  psql_target=("$DATABASE_URL")
else
  # The embedded cluster (operations.md OPS-13): socket in <data>/run, user and database `registry`.
  psql_target=(-h "$work/data/run" -U registry -d registry)
fi
sql() { psql "${psql_target[@]}" -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== starting $bin serve on port $port"
"$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

echo "== loading $events events (generate_series; hashes do not form a valid chain)"
for institution in bench-a.edu bench-b.edu bench-c.edu; do
  "$bin" create institution --identifier "$institution" --name "Bench $institution" >/dev/null
done
key=$("$bin" create user --email bench@bench-a.edu --name Bench --institution bench-a.edu --role admin | tail -1)
load_start=$(date +%s)
# Half, three tenths and one fifth of the events in three institutions, over 2,000 objects each: an
# admin's export then reads three per-institution cursors in sequence order.
sql <<SQL
INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
SELECT i.identifier || '/bag' || g, 'bag' || g, i.id, 'Bench bag ' || g, 'institution'
FROM generate_series(1, 2000) g CROSS JOIN institutions i WHERE i.identifier LIKE 'bench-%';

INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent,
                           intellectual_object_id, intellectual_object_identifier, institution_id, sequence,
                           entry_hash, chain_hash)
SELECT gen_random_uuid(), 'fixity check', timestamptz '2020-01-01' + n * interval '1 minute', 'Success',
       'Fixity check against registered hash', 'sha256:' || encode(sha256(n::text::bytea), 'hex'),
       'Go language crypto/sha256', 'http://golang.org/pkg/crypto/sha256/',
       o.id, o.identifier, o.institution_id, n - s.first + 1, sha256(n::text::bytea), sha256((n + 1)::text::bytea)
FROM (VALUES ('bench-a.edu', 1, ($events * 5) / 10),
             ('bench-b.edu', ($events * 5) / 10 + 1, ($events * 8) / 10),
             ('bench-c.edu', ($events * 8) / 10 + 1, $events)) AS s(institution, first, last)
CROSS JOIN LATERAL generate_series(s.first, s.last) n
JOIN institutions i ON i.identifier = s.institution
JOIN intellectual_objects o ON o.institution_id = i.id AND o.bag_name = 'bag' || (1 + n % 2000);

UPDATE event_chain_heads h SET sequence = c.n
FROM (SELECT institution_id, max(sequence) AS n FROM premis_events GROUP BY institution_id) c
WHERE h.institution_id = c.institution_id;
ANALYZE;
SQL
echo "   loaded in $(( $(date +%s) - load_start )) s: $(sql -At -c 'SELECT count(*) FROM premis_events') events"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }

# One export: curl in the background, VmRSS sampled while it runs.
measure() {
  local label=$1; shift
  local baseline peak sample result
  baseline=$(rss_kib); peak=$baseline
  curl -s -o /dev/null -w '%{time_starttransfer} %{time_total} %{size_download} %{http_code}\n' \
       -H "X-Pharos-API-User: bench@bench-a.edu" -H "X-Pharos-API-Key: $key" "$@" \
       "http://127.0.0.1:$port/api/v2/events/export?format=ndjson" >"$work/curl.out" &
  local curl_pid=$!
  while kill -0 "$curl_pid" 2>/dev/null; do
    sample=$(rss_kib); [ "$sample" -gt "$peak" ] && peak=$sample
    sleep 0.05
  done
  wait "$curl_pid"
  read -r ttfb total bytes status <"$work/curl.out"
  printf "%-22s status %s  first byte %6.3f s  total %7.2f s  %6d MiB  RSS %4d -> %4d MiB (growth %3d MiB)\n" \
    "$label" "$status" "$ttfb" "$total" $(( bytes / 1048576 )) $(( baseline / 1024 )) $(( peak / 1024 )) \
    $(( (peak - baseline) / 1024 ))
}

echo "== full NDJSON export of $events events as an admin (AUD-13: first byte <= 2 s, growth <= 64 MiB)"
measure "ndjson"
measure "ndjson, gzip" -H "Accept-Encoding: gzip"
echo "(events generated with SQL: their hashes do not verify; irrelevant to time and memory)"
