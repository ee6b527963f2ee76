#!/usr/bin/env bash
# Fuzzes the HTTP request head parser and chunked decoder with libFuzzer for SECONDS seconds.
#   scripts/fuzz-parser.sh SECONDS [extra libFuzzer flags...]
# Builds Fuzz/ParserFuzzer with the parser sources directly (no package build) into .build-fuzz/,
# seeds Fuzz/corpus/ (gitignored) with a few valid requests, replays Fuzz/regressions/, and exits
# non-zero when libFuzzer finds a crash (the input is written to Fuzz/artifacts/).
set -euo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS [libFuzzer flags...]" >&2
    exit 2
fi
seconds=$1
shift

cd "$(dirname "$0")/.."
mkdir -p .build-fuzz Fuzz/corpus Fuzz/artifacts Fuzz/regressions

binary=.build-fuzz/parser-fuzzer
sources=(Sources/HTTPServer/Message/*.swift Sources/HTTPServer/Parser/*.swift Fuzz/ParserFuzzer/*.swift)
echo "building $binary"
# lld instead of the default gold: gold prints one warning per ASan helper symbol.
swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g \
    -use-ld=lld -module-name ParserFuzzer "${sources[@]}" -o "$binary"

seed() { printf "$2" > "Fuzz/corpus/seed-$1"; }
seed get 'GET /api/v2/items?limit=10 HTTP/1.1\r\nHost: registry\r\nAccept: application/json\r\n\r\n'
seed post-length 'POST /api/v2/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'
seed post-chunked 'POST /member-api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer: t\r\n\r\n'
seed http10 '\r\nGET http://example.org:8080/a?b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'
seed pipelined 'HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 0, 0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n'
seed options 'OPTIONS * HTTP/1.1\r\nHost: a\r\nX-Empty:\r\n\r\n'

# SWIFT_BACKTRACE=enable=no: let libFuzzer's own handler catch the trap and save the input
# instead of Swift's interactive backtracer taking over the crash.
set +e
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 "$binary" \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -dict=Fuzz/http.dict -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1 \
    "$@" Fuzz/corpus Fuzz/regressions
status=$?
set -e
if [[ $status -ne 0 ]]; then
    echo "fuzz-parser: libFuzzer exited with $status; crashing inputs are in Fuzz/artifacts/" >&2
fi
exit $status
