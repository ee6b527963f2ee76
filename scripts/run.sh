#!/usr/bin/env bash
# `make run`: demo data (credentials printed on the first run only), then the server.
set -euo pipefail
bin="${1:-.build/debug/registry}"
if "$bin" --help 2>/dev/null | grep -q "demo-data"; then
  "$bin" demo-data
fi
exec "$bin" serve
