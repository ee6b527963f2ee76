#!/usr/bin/env bash
# make bench-api (issue 3; figures for issues 4-7). Not part of CI.
#
# 1. Builds `registry` and `bench-data` in release mode.
# 2. Migrates and loads the benchmark dataset (bench-data; reused when already loaded) into the
#    embedded cluster of BENCH_DATA_DIR (default /tmp/registry-bench), or into DATABASE_URL.
# 3. Starts `registry serve` on it and, for each endpoint, runs wrk (2 threads, 32 connections)
#    and pgbench running the same statements (Benchmarks/pgbench, checked against the server by
#    BenchmarkSQLTests) at the same concurrency; prints req/s, p50, p99, tps and the ratio
#    server/pgbench, and PASS/FAIL for the issue's targets.
# 4. Prints the figures issues 4-7 ask for (or "not available" for routes that do not exist yet)
#    and finally checks that the hash chains still verify.
#
# Environment: BENCH_DATA_DIR, BENCH_SECONDS (default 10), BENCH_PORT (default 18281), BENCH_POOL_SIZE
# (default 2 × cores),
# BENCH_VERIFY (default 1), BENCH_DATA_SCALE (bench-data; < 1 only for trying the script out).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk pgbench psql curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install wrk postgresql-client curl)" >&2; exit 1; }
done
source scripts/bench-api-lib.sh

DATA=${BENCH_DATA_DIR:-/tmp/registry-bench}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
PORT=${BENCH_PORT:-18281}
CONNECTIONS=32
WORKER_CONNECTIONS=4
base_url="http://127.0.0.1:$PORT"
lua="$PWD/Benchmarks/wrk/api.lua"
scripts_dir="$PWD/Benchmarks/pgbench"
export REGISTRY_DATA_DIR=$DATA

echo "== make bench-api $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) vCPU, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== building (release)"
swift build -c release --product registry 2>&1 | tail -1
swift build -c release --product bench-data 2>&1 | tail -1

work=$(mktemp -d /tmp/bench-api.XXXXXX)
chmod 755 "$work"
echo "== dataset (${DATABASE_URL:+DATABASE_URL}${DATABASE_URL:-$DATA}); work files in $work"
LOG_LEVEL=warn .build/release/registry migrate >/dev/null
if ! .build/release/bench-data >"$work/bench-data.log" 2>&1; then
  cat "$work/bench-data.log" >&2
  exit 1
fi
grep -v '^embedded PostgreSQL:' "$work/bench-data.log" || true
cleanup() { kill "${server_pid:-}" 2>/dev/null || true; wait "${server_pid:-}" 2>/dev/null || true; }
trap cleanup EXIT
# The pool is sized for the machine (2 connections per core, BENCH_POOL_SIZE to override), as an
# operator would set DB_POOL_SIZE: on 2 vCPUs the default 10 only adds backends that queue for the
# CPU (measured: GET object 11.3k req/s, p99 6.6 ms at 10; 14.4k req/s, p99 4.2 ms at 4). Plus one
# per event loop (2): those become the loops' own sessions for GET object (DB_LOOP_READS).
POOL_SIZE=${BENCH_POOL_SIZE:-$(( $(nproc) * 2 + 2 ))}
echo "server: DB_POOL_SIZE=$POOL_SIZE (2 of them the event loops' sessions), LOG_LEVEL=info (one access-log line per request, as in production)"
DB_POOL_SIZE=$POOL_SIZE PORT=$PORT LOG_LEVEL=info .build/release/registry serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -sf "$base_url/ready" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "registry serve exited:" >&2; tail -5 "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

if [ -n "${DATABASE_URL:-}" ]; then
  PGCONN=$DATABASE_URL
else
  PGCONN="host=$(sed -n 5p "$DATA/pg/postmaster.pid") port=$(sed -n 4p "$DATA/pg/postmaster.pid") user=registry dbname=registry"
fi
# The session options of the server's own connections (PGConnectionSettings).
export PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex -c statement_timeout=30000"
echo "database: $(psql_q "SELECT split_part(version(), ' on ', 1)")"

BENCH_EMAIL=bench-admin@aptrust.org
BENCH_KEY=$(psql_q "SELECT api_key FROM bench_credentials WHERE email = '$BENCH_EMAIL' AND label = 'bench'")
read -r user_id key_id key_hash < <(psql_q "SELECT u.id, k.id, encode(k.key_hash, 'hex') FROM api_keys k JOIN users u ON u.id = k.user_id
                                            WHERE u.email = '$BENCH_EMAIL' AND k.label = 'bench'" | tr '|' ' ')
PG_CONSTANTS=(-D "key_hash=\\x$key_hash" -D "email=$BENCH_EMAIL" -D "user_id=$user_id" -D "auth_method=api_key:$key_id"
              -D remote_addr=127.0.0.1 -D institution=big.edu -D status=Pending -D retry=true -D have_value=0)

# The values both wrk and pgbench rotate over: 100 of each, spread over the whole dataset.
files_total=$(psql_q "SELECT files FROM bench_dataset")
psql_q "SELECT identifier FROM intellectual_objects WHERE bag_name LIKE 'bag-%' ORDER BY md5(identifier) LIMIT 100" > "$work/objects.txt"
psql_q "SELECT identifier FROM generic_files WHERE id = ANY(ARRAY(SELECT 1 + (g * 20747) % $files_total FROM generate_series(1, 100) g))
        ORDER BY id" > "$work/files.txt"
# The files whose events AUD-4 lists: not those POST event writes to. The events the server writes
# stay (they are on the chains `registry audit verify` checks), so each run adds about 150 events to
# each written file, and a reused dataset's written files reach thousands of events each.
psql_q "SELECT identifier FROM generic_files WHERE id = ANY(ARRAY(SELECT 1 + (g * 20747 + 10007) % $files_total FROM generate_series(1, 100) g))
        ORDER BY id" > "$work/files-read.txt"
psql_q "SELECT id || E'\t' || identifier FROM intellectual_objects WHERE bag_name LIKE 'ingest-target-%'
        ORDER BY bag_name, id LIMIT 100" > "$work/targets.txt"
cut -f1 "$work/targets.txt" > "$work/target-ids.txt"
rotation_load objects "$work/objects.txt"
rotation_load files "$work/files.txt"
rotation_load targets "$work/target-ids.txt"
psql_q "SELECT d::date || E'\t' || (d::date + 1) FROM generate_series(date '2020-01-02', date '2026-07-31', interval '1 day') d
        ORDER BY md5(d::text) LIMIT 100" > "$work/days.txt"

declare -A RESULT
# measure_wrk NAME ENDPOINT VALUES CONNECTIONS: the server alone.
measure_wrk() {
  local name=$1 endpoint=$2 values=$3 connections=$4
  echo "-- $name ($connections connections)"
  # Dirty buffers of earlier (write) runs are flushed now rather than by a checkpoint mid-run.
  psql_q "CHECKPOINT" >/dev/null 2>&1 || true
  wrk_warm "$endpoint" "$values" "$connections"
  wrk_run "$endpoint" "$values" "$SECONDS_PER_RUN" "$connections"
  printf "   wrk:     %10s req/s  p50 %8s ms  p99 %8s ms  errors %s\n" "$WRK_RPS" "$WRK_P50" "$WRK_P99" "$WRK_ERRORS"
  RESULT[$name]="$WRK_RPS $WRK_P50 $WRK_P99 $WRK_ERRORS"
}

# measure_pair NAME SCRIPT WRK_VALUES [write]: the server, then pgbench running the same statements
# (Benchmarks/pgbench/SCRIPT.sql) at the same concurrency.
measure_pair() {
  local name=$1 template="$scripts_dir/$2.sql" write=${4:-}
  measure_wrk "$name" "$2" "$3" $CONNECTIONS
  if [ -n "$write" ]; then write_snapshot; fi
  pgbench_warm "$template" $CONNECTIONS
  psql_q "CHECKPOINT" >/dev/null 2>&1 || true
  pgbench_run "$template" "$SECONDS_PER_RUN" $CONNECTIONS
  if [ -n "$write" ]; then write_cleanup; fi
  printf "   pgbench: %10s tps    p50 %8s ms  p99 %8s ms  avg %s ms (helpers %s ms)  errors %s\n" \
    "$PGB_TPS" "$PGB_P50" "$PGB_P99" "$PGB_LAT" "$PGB_HELPER" "$PGB_ERRORS"
  RESULT[$name]+=" $PGB_TPS $PGB_P50 $PGB_P99 $PGB_LAT $PGB_HELPER $PGB_ERRORS"
}

echo "== endpoints: wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s vs pgbench -c $CONNECTIONS -j 2 -T $SECONDS_PER_RUN -M prepared"
measure_pair "GET object by identifier" object_show "$work/objects.txt"
measure_pair "GET objects of big.edu (200k)" object_list ""
measure_pair "GET events of an object" object_events "$work/objects.txt"
measure_pair "GET items (queue poller)" items_poll ""
measure_pair "POST event" event_create "$work/files.txt" write
measure_pair "POST create_batch (100 files)" create_batch "$work/targets.txt" write
echo "== writes at a worker-like concurrency (information: wrk -t2 -c$WORKER_CONNECTIONS)"
measure_wrk "POST event @$WORKER_CONNECTIONS" event_create "$work/files.txt" $WORKER_CONNECTIONS
measure_wrk "POST create_batch @$WORKER_CONNECTIONS" create_batch "$work/targets.txt" $WORKER_CONNECTIONS

echo "== issue 4: GET object by identifier with 10 vs 10,000 API keys (alternating, best of 2 each)"
# Alternating runs, best of two per side: after the write benchmarks autovacuum and checkpoints
# come and go, and one run per side measured that noise (±15 %) rather than the keys.
# A run interrupted between the insert and the delete below left its spare keys behind; the
# next run would fail on their unique hashes and measure 10,000 keys as the "few" side.
psql_q "DELETE FROM api_keys WHERE label LIKE 'spare key %'; ANALYZE api_keys" >/dev/null
keys_before=$(psql_q "SELECT count(*) FROM api_keys")
keys_after=$keys_before
rps_few=0
rps_many=0
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b + 0 > a + 0) ? b : a }'; }
for round in 1 2; do
  psql_q "CHECKPOINT" >/dev/null 2>&1 || true
  wrk_warm object_show "$work/objects.txt" $CONNECTIONS
  wrk_run object_show "$work/objects.txt" "$SECONDS_PER_RUN" $CONNECTIONS
  echo "   round $round, $keys_before keys: $WRK_RPS req/s"
  rps_few=$(best "$rps_few" "$WRK_RPS")
  psql_q "INSERT INTO api_keys (user_id, label, key_hash, key_prefix) SELECT user_id, label, key_hash, key_prefix FROM bench_spare_api_keys;
          ANALYZE api_keys"
  keys_after=$(psql_q "SELECT count(*) FROM api_keys")
  psql_q "CHECKPOINT" >/dev/null 2>&1 || true
  wrk_warm object_show "$work/objects.txt" $CONNECTIONS
  wrk_run object_show "$work/objects.txt" "$SECONDS_PER_RUN" $CONNECTIONS
  echo "   round $round, $keys_after keys: $WRK_RPS req/s"
  rps_many=$(best "$rps_many" "$WRK_RPS")
  psql_q "DELETE FROM api_keys WHERE label LIKE 'spare key %'; ANALYZE api_keys"
done
keys_ratio=$(ratio "$rps_many" "$rps_few")

echo "== issue 6: AUD-4 event lists (per_page=100), wrk -t2 -c$CONNECTIONS"
measure_wrk "AUD-4 object_identifier" aud4_object "$work/objects.txt" $CONNECTIONS
measure_wrk "AUD-4 file_identifier" aud4_file "$work/files-read.txt" $CONNECTIONS
measure_wrk "AUD-4 institution + 1 day" aud4_day "$work/days.txt" $CONNECTIONS

source scripts/bench-api-extras.sh

echo
echo "================ summary ($(date -u +%Y-%m-%dT%H:%M:%SZ), load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
printf "%-32s %9s %8s %8s | %9s %8s %8s %8s | %s\n" endpoint "req/s" "p50 ms" "p99 ms" "pgb tps" "p50 ms" "p99 ms" "helpers" "server/pgbench"
for name in "GET object by identifier" "GET objects of big.edu (200k)" "GET events of an object" "GET items (queue poller)" \
            "POST event" "POST create_batch (100 files)"; do
  read -r rps p50 p99 errors tps pp50 pp99 plat helper perrors <<<"${RESULT[$name]}"
  printf "%-32s %9s %8s %8s | %9s %8s %8s %8s | %s\n" "$name" "$rps" "$p50" "$p99" "$tps" "$pp50" "$pp99" "$helper" "$(ratio "$rps" "$tps")"
done
echo
echo "targets (issue 3, at $CONNECTIONS connections):"
for name in "GET object by identifier" "GET objects of big.edu (200k)" "GET events of an object" "GET items (queue poller)"; do
  read -r rps _ _ errors tps _ _ _ _ perrors <<<"${RESULT[$name]}"
  verdict=$(check "$(ratio "$rps" "$tps")" ">=" 0.5)
  [ "$errors" = 0 ] && [ "$perrors" = 0 ] || verdict="FAIL (errors: wrk $errors, pgbench $perrors)"
  printf "  %-44s %s\n" "$name: server/pgbench $(ratio "$rps" "$tps") >= 0.5" "$verdict"
done
read -r _ _ p99 errors _ <<<"${RESULT["POST event"]}"
verdict=$(check "$p99" "<" 25); [ "$errors" = 0 ] || verdict="FAIL (errors: $errors)"
printf "  %-44s %s\n" "POST event: p99 $p99 ms < 25 ms" "$verdict"
read -r _ p50 _ errors _ <<<"${RESULT["POST create_batch (100 files)"]}"
verdict=$(check "$p50" "<" 150); [ "$errors" = 0 ] || verdict="FAIL (errors: $errors)"
printf "  %-44s %s\n" "create_batch: p50 $p50 ms < 150 ms" "$verdict"
echo "information, at $WORKER_CONNECTIONS connections:"
read -r _ _ p99 _ <<<"${RESULT["POST event @$WORKER_CONNECTIONS"]}"
printf "  %-44s %s\n" "POST event: p99 $p99 ms < 25 ms" "$(check "$p99" "<" 25)"
read -r _ p50 _ _ <<<"${RESULT["POST create_batch @$WORKER_CONNECTIONS"]}"
printf "  %-44s %s\n" "create_batch: p50 $p50 ms < 150 ms" "$(check "$p50" "<" 150)"
echo "issue 4: GET object req/s with $keys_before keys $rps_few, with $keys_after keys $rps_many (ratio $keys_ratio >= 0.95): $(check "$keys_ratio" ">=" 0.95)"
for line in "${EXTRA_LINES[@]}"; do echo "$line"; done
for name in "AUD-4 object_identifier" "AUD-4 file_identifier" "AUD-4 institution + 1 day"; do
  read -r _ _ p99 errors <<<"${RESULT[$name]}"
  verdict=$(check "$p99" "<" 500); [ "$errors" = 0 ] || verdict="FAIL (errors: $errors)"
  echo "issue 6: $name: p99 $p99 ms < 500 ms: $verdict"
done

psql_q "DROP TABLE IF EXISTS bench_rotation"
if [ "${BENCH_VERIFY:-1}" = 1 ]; then
  echo "== registry audit verify (the chains after the benchmark's writes)"
  LOG_LEVEL=warn .build/release/registry audit verify 2>&1 | grep -v '^{' || echo "audit verify FAILED"
fi
