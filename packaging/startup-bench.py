#!/usr/bin/env python3
"""Startup time of zeusd builds: exec -> first HTTP 200 on GET /discover over the Unix socket.

    python3 packaging/startup-bench.py [--runs N] BINARY...

Each run starts `BINARY serve --simulate` with an empty environment (as on a machine without .NET), polls the socket
every millisecond, and stops the daemon with SIGTERM once /discover answers 200. Prints size, median/min/max startup
time and the resident memory at that moment, one Markdown table row per binary. Standard library only.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

REQUEST = b"GET /discover HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def discover(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path)
        s.sendall(REQUEST)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        return data.startswith(b"HTTP/1.1 200")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def one_run(binary, env):
    directory = tempfile.mkdtemp(prefix="zeusd-bench-")
    path = os.path.join(directory, "zeusd.sock")
    start = time.perf_counter()
    daemon = subprocess.Popen([binary, "serve", "--simulate", "--socket-path", path],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        while True:
            if daemon.poll() is not None:
                raise RuntimeError(f"{binary} exited with {daemon.returncode}")
            try:
                if discover(path):
                    break
            except (FileNotFoundError, ConnectionRefusedError):
                pass
            if time.perf_counter() - start > 30:
                raise RuntimeError(f"{binary} did not answer within 30 s")
            time.sleep(0.001)
        elapsed = time.perf_counter() - start
        return elapsed, rss_kib(daemon.pid)
    finally:
        daemon.terminate()
        daemon.wait()
        shutil.rmtree(directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep-env", action="store_true", help="inherit the environment (framework-dependent builds)")
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    env = dict(os.environ) if args.keep_env else {}
    print("| binary | size (MB) | startup median (ms) | min | max | RSS at first 200 (MiB) |")
    print("|---|---|---|---|---|---|")
    for binary in map(os.path.abspath, args.binaries):
        one_run(binary, env)  # warm the page cache: later runs measure startup, not disk
        runs = [one_run(binary, env) for _ in range(args.runs)]
        times = [t * 1000 for t, _ in runs]
        rss = statistics.median(r for _, r in runs) / 1024
        size = os.path.getsize(binary) / 1e6
        print(f"| `{os.path.basename(os.path.dirname(binary))}/{os.path.basename(binary)}` | {size:.1f} | {statistics.median(times):.0f} | {min(times):.0f} | {max(times):.0f} | {rss:.0f} |",
              flush=True)


if __name__ == "__main__":
    main()
