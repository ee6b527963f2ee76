#!/usr/bin/env python3
"""Open N keep-alive connections, send one request on each, keep them idle, report the server's RSS."""
import socket, sys, time

host, port, count, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def rss_kib():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

before = rss_kib()
sockets = []
for _ in range(count):
    s = socket.create_connection((host, port))
    s.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n")
    sockets.append(s)
for s in sockets:
    s.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
time.sleep(1)
after = rss_kib()
alive = 0
for s in sockets:
    s.setblocking(False)
    try:
        alive += 1 if s.recv(1) != b"" else 0
    except BlockingIOError:
        alive += 1
print(f"connections open and idle: {alive} of {count}")
print(f"server RSS before: {before / 1024:.1f} MiB, with {count} idle connections: {after / 1024:.1f} MiB (target < 64 MiB)")
for s in sockets:
    s.close()
