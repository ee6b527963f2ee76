#!/usr/bin/env python3
"""After the test suite: no issued key, password or token may appear in any captured server log (OPS-42).

Reads the secrets the test processes recorded (registry-test-secrets-<pid>.txt) and every server log
the tests captured (registry-test-*.log, http-test-*.log) in the directory given as the first
argument: the run's own REGISTRY_TEST_LOG_DIR, which `make test` creates and removes, so that two
runs on one machine never read (or remove) each other's files. Exits 1 naming the file and the
secret's first characters, or when no secret was recorded at all (the tests did not run)."""
import glob, os, sys

if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    sys.exit("usage: scan-test-logs.py LOG_DIRECTORY")
directory = sys.argv[1]

secrets = set()
for path in glob.glob(os.path.join(directory, "registry-test-secrets-*.txt")):
    with open(path, encoding="utf-8", errors="replace") as f:
        secrets.update(line.strip() for line in f if len(line.strip()) >= 12)
logs = glob.glob(os.path.join(directory, "registry-test-*.log")) + glob.glob(os.path.join(directory, "http-test-*.log"))
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
sys.exit(1 if leaks or not secrets else 0)
