#!/usr/bin/env python3
"""After the test suite: no issued key, password or token may appear in any captured server log (OPS-42).

Reads the secrets the test processes recorded (registry-test-secrets-<pid>.txt) and every server log
the tests captured (registry-test-*.log, http-test-*.log) under the temporary directory, newer than the
marker file given as the first argument. Exits 1 naming the file and the secret's first characters.
When nothing leaked, it removes the logs and secret lists it read: every run writes a few hundred of
them and a developer's temporary directory would otherwise fill up. A failed `swift test` stops
`make test` before this script, so the logs of a failing run stay for reading."""
import glob, os, sys, tempfile

marker = sys.argv[1] if len(sys.argv) > 1 else None
since = os.path.getmtime(marker) if marker and os.path.exists(marker) else 0
tmp = tempfile.gettempdir()

def recent(pattern):
    return [p for p in glob.glob(os.path.join(tmp, pattern)) if os.path.getmtime(p) >= since]

secret_lists = recent("registry-test-secrets-*.txt")
secrets = set()
for path in secret_lists:
    with open(path, encoding="utf-8", errors="replace") as f:
        secrets.update(line.strip() for line in f if len(line.strip()) >= 12)
logs = recent("registry-test-*.log") + recent("http-test-*.log")
leaks = []
for path in logs:
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for secret in secrets:
        if secret in text:
            leaks.append((path, secret[:8]))
print(f"scanned {len(logs)} server logs for {len(secrets)} issued secrets: {len(leaks)} leaks")
for path, prefix in leaks:
    print(f"LEAK {prefix}… in {path}")
if leaks or not secrets:
    sys.exit(1)
for path in logs + secret_lists:
    os.remove(path)
