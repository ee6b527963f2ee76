#!/usr/bin/env bash
# `make ui-check` (not in CI): the staff HTML view in headless Chromium (issue 7).
#
# Starts `registry serve` on a private embedded PostgreSQL loaded with `registry demo-data`, signs
# in as an admin, an institutional admin and an institutional user, opens every page at 1280 px
# and 390 px, saves PNG screenshots under .build-ui/, and fails on a console error, a horizontal
# scrollbar at 390 px, an image without alt text, a form field without a label, or a page slower
# than 1 s. The browser is driven by scripts/ui-check.py over the DevTools protocol.
# Needs Debian's `chromium` (installed with apt-get when missing) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${REGISTRY_BINARY:-.build/debug/registry}"
out="${UI_CHECK_OUT:-.build-ui}"

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (apt-get)…"
  apt-get install -y chromium >/dev/null
fi
[ -x "$bin" ] || swift build --product registry

data="$(mktemp -d /tmp/registry-ui-check.XXXXXX)"
# PostgreSQL refuses to run as root; the registry then runs it as `postgres`, which must own the directory.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then chown postgres "$data"; fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export REGISTRY_DATA_DIR="$data" PORT="$port" LOG_LEVEL=warn
unset DATABASE_URL DATABASE_READ_URL

server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

"$bin" demo-data >/dev/null
password="ui-check $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for email in admin@aptrust.org admin@test.edu user@test.edu; do
  printf '%s\n' "$password" | "$bin" set-password --email "$email"
done

"$bin" serve >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || { tail -20 "$data/server.log"; exit 1; }

# A deletion request, so that its page is checked too: admin@test.edu asks for demo-bag-2 to go.
jar="$data/cookies"
base="http://127.0.0.1:$port"
# The login form's token is the double-submit cookie; a signed-in page carries the session's token.
curl -s -o /dev/null -c "$jar" "$base/login"
login_token="$(awk '$6 == "registry_csrf" { print $7 }' "$jar")"
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf_token=$login_token" --data-urlencode "email=admin@test.edu" \
  --data-urlencode "password=$password" "$base/login"
session_token="$(curl -s -b "$jar" "$base/account" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')"
curl -s -o /dev/null -b "$jar" --data-urlencode "csrf_token=$session_token" "$base/objects/test.edu%2Fdemo-bag-2/delete"

rm -rf "$out"
python3 scripts/ui-check.py --base "http://127.0.0.1:$port" --out "$out" \
  --login "admin@aptrust.org:$password" --login "admin@test.edu:$password" --login "user@test.edu:$password"
