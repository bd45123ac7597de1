#!/usr/bin/env python3
"""Lifecycle of the built `latchkey serve` (python3 standard library only).

1. Metrics off: nothing listens on the metrics port, `/metrics` on the main listener is 404.
2. Metrics on (`--metrics-listen`): `/healthz` is ready, the metrics listener serves the
   Prometheus text format and counts the requests made.
3. Graceful shutdown: a request whose body is still arriving when SIGTERM comes is answered in
   full; new connections are refused meanwhile; the process exits 0.
4. The database was closed cleanly: no `-wal` / `-shm` file is left, `PRAGMA integrity_check`
   is `ok`.

Prints one "N passed, M failed" line; exits non-zero when a check failed.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

from harness import Checks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def start(binary, directory, port, extra, log):
    config = os.path.join(directory, "latchkey.json")
    with open(config, "w") as f:
        json.dump({"issuer": f"http://127.0.0.1:{port}", "password_hash_log_n": 4}, f)
    command = [binary, "serve", "--config", config, "--port", str(port), "--database",
               os.path.join(directory, "latchkey.sqlite")] + extra
    process = subprocess.Popen(command, stdout=log, stderr=log)
    wait_answering(process, port, "/healthz")
    return process


def wait_answering(process, port, path):
    """Waits up to 30 s until `path` answers 200; kills the process if it never does."""
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("server did not start")


def stop(process):
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


def metrics_off(binary, checks, log):
    with tempfile.TemporaryDirectory() as directory:
        port, unused = free_port(), free_port()
        process = start(binary, directory, port, [], log)
        try:
            checks.check(get(port, "/metrics")[0] == 404, "metrics off: /metrics is not 404")
            try:
                get(unused, "/metrics")
                checks.check(False, "metrics off: something listens on the metrics port")
            except OSError:
                checks.check(True, "")
        finally:
            checks.check(stop(process) == 0, "metrics off: exit status after SIGTERM")


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def idle_file_pages_released(binary, checks, log):
    """Once start-up settles (MemoryReturn, 1 s), `latchkey serve` drops the page-table entries
    of its read-only file mappings: file-backed RSS goes down, and the process still answers
    (the code comes back with minor faults)."""
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        process = start(binary, directory, port, [], log)
        try:
            at_ready = status_kb(process.pid, "RssFile")
            time.sleep(2.5)
            settled = status_kb(process.pid, "RssFile")
            checks.check(settled < at_ready / 2,
                         f"file-backed RSS not released: {at_ready} kB at ready, {settled} kB after")
            status, _, body = get(port, "/.well-known/oauth-authorization-server")
            checks.check(status == 200 and '"issuer"' in body, f"after release: {status} {body}")
        finally:
            checks.check(stop(process) == 0, "file pages: exit status after SIGTERM")


def proxy_idle_file_pages_released(binary, checks, log):
    """`latchkey proxy` does the same once start-up settles (`SettledFilePageRelease`): it needs
    nothing upstream to be idle, and still answers afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [binary, "proxy", "--listen", f"127.0.0.1:{port}", "--upstream",
         f"http://127.0.0.1:{free_port()}/mcp", "--resource", f"http://127.0.0.1:{port}/mcp",
         "--issuer", f"http://127.0.0.1:{free_port()}", "--scopes", "notes:read"],
        stdout=log, stderr=log)
    try:
        metadata = "/.well-known/oauth-protected-resource/mcp"
        wait_answering(process, port, metadata)
        at_ready = status_kb(process.pid, "RssFile")
        time.sleep(2.5)
        settled = status_kb(process.pid, "RssFile")
        checks.check(settled < at_ready / 2,
                     f"proxy file-backed RSS not released: {at_ready} kB, then {settled} kB")
        status, _, body = get(port, metadata)
        checks.check(status == 200 and '"resource"' in body, f"proxy after release: {status}")
    finally:
        checks.check(stop(process) == 0, "proxy: exit status after SIGTERM")


def metrics_on_and_graceful_shutdown(binary, checks, log):
    with tempfile.TemporaryDirectory() as directory:
        port, metrics_port = free_port(), free_port()
        database = os.path.join(directory, "latchkey.sqlite")
        process = start(binary, directory, port,
                        ["--metrics-listen", f"127.0.0.1:{metrics_port}"], log)
        status, _, body = get(port, "/healthz")
        checks.check(status == 200 and json.loads(body) == {"status": "ok"}, f"healthz: {body}")
        status, headers, text = get(metrics_port, "/metrics")
        checks.check(status == 200, f"metrics: status {status}")
        checks.check(headers.get("Content-Type") == "text/plain; version=0.0.4; charset=utf-8",
                     f"metrics: content type {headers.get('Content-Type')}")
        series = 'latchkey_http_requests_total{route="/healthz",method="GET",status="200"}'
        counted = [line for line in text.splitlines() if line.startswith(series + " ")]
        checks.check(len(counted) == 1 and int(counted[0].split()[-1]) >= 2,
                     f"metrics: {series} missing or < 2: {counted}")
        checks.check("# TYPE latchkey_tokens_issued_total counter" in text,
                     "metrics: latchkey_tokens_issued_total is not listed")
        checks.check(get(metrics_port, "/other")[0] == 404, "metrics listener: /other not 404")
        checks.check(get(port, "/metrics")[0] == 404, "main listener serves /metrics")

        # A token request whose body is half sent when SIGTERM arrives.
        body = b"grant_type=authorization_code&code=nope&client_id=nobody&code_verifier=x"
        slow = socket.create_connection(("127.0.0.1", port), timeout=10)
        slow.sendall(b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
        time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        # The listener closes soon after SIGTERM (allow a loaded machine 10 s); the half-sent
        # request keeps the process alive meanwhile.
        refused = False
        deadline = time.time() + 10
        while not refused and time.time() < deadline:
            try:
                get(port, "/healthz")
                time.sleep(0.1)
            except OSError:
                refused = True
        checks.check(refused, "new connections were still accepted 10 s after SIGTERM")
        checks.check(process.poll() is None, "exited before the in-flight request finished")
        slow.sendall(body[10:])
        answer = b""
        while True:
            chunk = slow.recv(65536)
            if not chunk:
                break
            answer += chunk
            if b"\r\n\r\n" in answer and b'"error"' in answer and answer.rstrip().endswith(b"}"):
                break
        slow.close()
        head = answer.split(b"\r\n", 1)[0].decode(errors="replace")
        checks.check(head.startswith("HTTP/1.1 401") or head.startswith("HTTP/1.1 400"),
                     f"in-flight request answer: {head!r}")
        checks.check(b'"error"' in answer, "in-flight request: no OAuth error body")
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            code = None
        checks.check(code == 0, f"exit status after SIGTERM: {code}")
        for suffix in ("-wal", "-shm"):
            checks.check(not os.path.exists(database + suffix),
                         f"{suffix} left behind after a clean shutdown")
        with sqlite3.connect(database) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
        checks.check(result == "ok", f"integrity_check = {result}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    checks = Checks()
    with tempfile.TemporaryFile() as log:
        try:
            metrics_off(args.binary, checks, log)
            idle_file_pages_released(args.binary, checks, log)
            proxy_idle_file_pages_released(args.binary, checks, log)
            metrics_on_and_graceful_shutdown(args.binary, checks, log)
        except Exception as error:  # a crash of the harness is a failure, with the server log
            checks.check(False, f"harness: {error!r}")
        if checks.failed:
            log.seek(0)
            sys.stdout.write(log.read().decode(errors="replace")[-4000:])
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
