# Measurement helpers of scripts/bench-api.sh (sourced, not run). Expects: $work, $base_url,
# $PGCONN, $lua, the arrays PG_CONSTANTS and the variables BENCH_EMAIL / BENCH_KEY.

# wrk --latency prints "50%  1.23ms"; convert to milliseconds.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v} else if (v ~ /m$/) {sub(/m/,"",v); print v*60000} else if (v ~ /s$/) {sub(/s/,"",v); print v*1000} else print v}'; }

psql_q() { psql "$PGCONN" -X -v ON_ERROR_STOP=1 -Atq -c "$1"; }

# wrk_run ENDPOINT VALUES SECONDS CONNECTIONS → sets WRK_RPS WRK_P50 WRK_P99 WRK_ERRORS
wrk_run() {
  local endpoint=$1 values=$2 seconds=$3 connections=$4 out
  out=$(BENCH_ENDPOINT=$endpoint BENCH_VALUES=$values BENCH_EMAIL=$BENCH_EMAIL BENCH_KEY=$BENCH_KEY \
        wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s --latency -s "$lua" "$base_url" 2>&1)
  echo "$out" > "$work/wrk-$endpoint-$connections.out"
  WRK_RPS=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  WRK_P50=$(echo "$out" | awk '$1=="50%" {print $2}' | to_ms)
  WRK_P99=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
  # Non-2xx answers and socket errors make the run invalid (they would flatter or hide latency).
  WRK_ERRORS=$(echo "$out" | awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",",""); n+=$4+$6+$8+$10} END {print n+0}')
}

# A short run first: warms caches and prepared statements, and shows the first failure early.
wrk_warm() {
  wrk_run "$1" "$2" 3 "$3"
  if [ "$WRK_ERRORS" != 0 ]; then
    echo "  warm-up of $1: $WRK_ERRORS failed requests, see $work/wrk-$1-$3.out" >&2
  fi
}

# rotation_load KIND FILE: the values (one per line) pgbench picks from, the same wrk rotates over
# (pgbench cannot pick from a list itself; see Benchmarks/pgbench/README.md).
rotation_load() {
  psql_q "SET client_min_messages = warning; CREATE TABLE IF NOT EXISTS bench_rotation (kind text, position integer, value text, PRIMARY KEY (kind, position));
          DELETE FROM bench_rotation WHERE kind = '$1'"
  awk -v kind="$1" '{print kind "\t" NR "\t" $0}' "$2" > "$work/rotation-$1.tsv"
  psql "$PGCONN" -X -v ON_ERROR_STOP=1 -q -c "\\copy bench_rotation (kind, position, value) FROM '$work/rotation-$1.tsv'"
}

# The first line of each helper statement of TEMPLATE (how `pgbench -r` names a command) that runs
# in every transaction. `pgbench -r` averages a command over its own executions, so a helper inside
# `\if` (the read scripts' rotation, about 2 % of the transactions) cannot be weighed and is left out.
helper_first_lines() {
  awk '/^\\if/ {depth++} /^\\endif/ {depth--} /^-- helper/ {helper=(depth == 0); next} /^--/ || /^\\/ {next}
       helper && NF {print; helper=0}' "$1"
}

# pgbench_run TEMPLATE SECONDS CONNECTIONS → PGB_TPS PGB_LAT PGB_P50 PGB_P99 PGB_HELPER PGB_ERRORS
pgbench_run() {
  local template=$1 seconds=$2 connections=$3 out
  rm -f "$work"/pglog*
  out=$(pgbench -n -M prepared -c "$connections" -j 2 -T "$seconds" -r -l --log-prefix="$work/pglog" \
        "${PG_CONSTANTS[@]}" -f "$template" "$PGCONN" 2>&1) || true
  echo "$out" > "$work/pgbench-$(basename "$template" .sql)-$connections.out"
  PGB_TPS=$(echo "$out" | awk '/^tps/ {printf "%.1f", $3}')
  PGB_LAT=$(echo "$out" | awk '/^latency average/ {print $4}')
  PGB_ERRORS=$(echo "$out" | awk '/aborted|error:/ {n++} /number of failed transactions/ {n+=$5} END {print n+0}')
  # Transaction latencies (µs, third column of the per-transaction log) → p50 and p99 in ms.
  read -r PGB_P50 PGB_P99 < <(cat "$work"/pglog* 2>/dev/null | awk '{print $3}' | sort -n |
    awk '{v[NR]=$1} END {if (NR==0) {print "- -"; exit} i50=int(NR*0.50); i99=int(NR*0.99); if (i50<1) i50=1; if (i99<1) i99=1; printf "%.2f %.2f\n", v[i50]/1000, v[i99]/1000}')
  # Average time per transaction spent in helper statements (not server statements).
  PGB_HELPER=$(echo "$out" | awk -v helpers="$(helper_first_lines "$template")" '
    BEGIN { n = split(helpers, h, "\n") }
    /^number of transactions actually processed/ { split($6, a, "/"); total = a[1] }
    /^SQL script [0-9]+:/ { scripts = 1 }
    /^ - [0-9]+ transactions/ { tx = $2 }
    /^ +[0-9.]+ +[0-9]+ +[^ ]/ {
      text = $0; sub(/^ +[0-9.]+ +[0-9]+ +/, "", text)
      # -r shows a command by its first line, cut to a width: match either way round.
      for (i = 1; i <= n; i++) if (h[i] != "" && (index(h[i], text) == 1 || index(text, h[i]) == 1)) { sum += $1 * (scripts ? tx : 1); break }
    }
    END { if (total > 0 && scripts) printf "%.2f", sum / total; else printf "%.2f", sum }')
}

pgbench_warm() {
  pgbench_run "$1" 3 "$2"
  if [ "$PGB_ERRORS" != 0 ]; then
    echo "  pgbench warm-up of $(basename "$1"): errors, see $work/pgbench-$(basename "$1" .sql)-$2.out" >&2
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
# check A OP B (OP: < or >=) → PASS/FAIL; a missing figure (empty or -) is a FAIL.
check() {
  awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
    if (a == "" || a == "-") { print "FAIL (no figure)"; exit }
    ok = (op == "<") ? (a + 0 < b + 0) : (a + 0 >= b + 0); print ok ? "PASS" : "FAIL" }'
}

# Before a pgbench write run: remember the chain heads and the highest ids.
write_snapshot() {
  psql_q "SET client_min_messages = warning; DROP TABLE IF EXISTS bench_snapshot_heads, bench_snapshot_ids;
          CREATE TABLE bench_snapshot_heads AS SELECT institution_id, sequence, chain_hash FROM event_chain_heads;
          CREATE TABLE bench_snapshot_ids AS SELECT (SELECT coalesce(max(id), 0) FROM generic_files) AS files,
                 (SELECT coalesce(max(id), 0) FROM checksums) AS checksums,
                 (SELECT coalesce(max(id), 0) FROM storage_records) AS storage_records;"
}

# After it: remove what pgbench wrote (placeholder hashes would break the chains, auditor.md §5)
# and restore the heads. The immutability triggers (DOM-80, DOM-81) are bypassed for this one
# transaction with session_replication_role, which needs a superuser (the embedded cluster's).
write_cleanup() {
  psql_q "BEGIN;
          SET LOCAL session_replication_role = replica;
          DELETE FROM storage_records WHERE id > (SELECT storage_records FROM bench_snapshot_ids);
          DELETE FROM premis_events e USING bench_snapshot_heads s
           WHERE e.institution_id = s.institution_id AND e.sequence > s.sequence;
          DELETE FROM checksums WHERE id > (SELECT checksums FROM bench_snapshot_ids);
          WITH gone AS (DELETE FROM generic_files WHERE id > (SELECT files FROM bench_snapshot_ids)
                        RETURNING intellectual_object_id, size)
          UPDATE intellectual_objects o SET file_count = o.file_count - g.files, file_size = o.file_size - g.bytes
            FROM (SELECT intellectual_object_id, count(*) AS files, sum(size) AS bytes FROM gone GROUP BY 1) g
           WHERE o.id = g.intellectual_object_id;
          UPDATE event_chain_heads h SET sequence = s.sequence, chain_hash = s.chain_hash
            FROM bench_snapshot_heads s WHERE h.institution_id = s.institution_id;
          DROP TABLE bench_snapshot_heads, bench_snapshot_ids;
          COMMIT;" \
    || echo "  WARNING: could not remove pgbench's rows (needs a superuser); the chains now hold placeholder hashes"
}

# time_requests N URL [curl args…] → TIMES_MEDIAN TIMES_MAX (ms) TIMES_STATUS (last status)
time_requests() {
  local count=$1 url=$2 line
  shift 2
  local times=()
  for _ in $(seq 1 "$count"); do
    line=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$@" "$url")
    TIMES_STATUS=${line%% *}
    times+=("$(awk -v t="${line#* }" 'BEGIN { printf "%.1f", t * 1000 }')")
  done
  read -r TIMES_MEDIAN TIMES_MAX < <(printf '%s\n' "${times[@]}" | sort -n |
    awk '{v[NR]=$1} END {printf "%s %s\n", v[int((NR+1)/2)], v[NR]}')
}
