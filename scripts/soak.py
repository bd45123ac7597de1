#!/usr/bin/env python3
"""Soak of `latchkey demo` (authorization server + notes MCP server, one process), python3
standard library only.

1. Starts the demo on free ports with short token lifetimes and a fast housekeeping pass
   (codes 10 s, access 10 s, refresh 10 s, family 30 s; purge every 2 s, no retention), so the
   background purge runs all the time.
2. Measures capacity: `--workers` drivers run complete flows back to back for `--measure` s.
3. Soaks at half that rate for `--duration` s. One flow = a fresh browser (login + consent
   page), code → token, then three cycles of: refresh, an MCP session with the fresh access
   token (initialize, list_notes, add_note, delete_note, DELETE); every fifth flow also
   replays its code (400 invalid_grant) and calls MCP with a bad token (401).
4. Samples the server every 5 s: VmRSS, open file descriptors, database bytes, live code and
   refresh-token rows.

Pass: 0 5xx and 0 unexpected statuses; peak RSS in the last window at most 10 % above the
highest peak between the warm-up and that window;
idle file descriptors after the soak = before it (± 2); codes and refresh tokens purged (rows at
the end well under the number issued); the database growth is reported against the rows
added (grants and audit events, which are kept). Ends with "N passed, M failed".
"""

import argparse
import base64
import hashlib
import http.client
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from harness import FormParser  # noqa: E402

REDIRECT_URI = "http://127.0.0.1:9/callback"
USERNAME = "soak"
CYCLES = 3  # refresh + MCP session cycles per login
CODE_TTL, REFRESH_TTL, PURGE_INTERVAL = 10, 10, 2  # seconds; codes outlive a stall of the box


class Tally:
    """Every response by status, and every one the flow did not expect."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.unexpected = []
        self.flows = 0
        self.codes = 0
        self.refreshes = 0
        self.tool_calls = 0
        self.secrets = []

    def record(self, what, status, expected, body=b""):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status not in expected and len(self.unexpected) < 50:
                self.unexpected.append(f"{what}: {status} {body[:200]!r}")
            elif status not in expected:
                self.unexpected.append("…")

    def secret(self, *values):
        with self.lock:
            self.secrets += [v for v in values if v]

    def add(self, **counts):
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


class Flow:
    """One user agent + OAuth client + MCP client."""

    def __init__(self, as_port, mcp_port, client_id, password, resource, tally):
        self.as_port = as_port
        self.mcp_port = mcp_port
        self.client_id = client_id
        self.password = password
        self.resource = resource
        self.tally = tally
        self.cookies = {}

    def request(self, port, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies and port == self.as_port:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in sorted(self.cookies.items()))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            if "max-age=0" in header.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, response.headers, data

    def form(self, path, fields):
        return self.request(self.as_port, "POST", path, urllib.parse.urlencode(fields),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def authorize(self):
        verifier = secrets.token_urlsafe(32)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": self.client_id, "redirect_uri": REDIRECT_URI,
            "scope": "notes:read notes:write", "state": secrets.token_urlsafe(8),
            "code_challenge": challenge.decode().rstrip("="), "code_challenge_method": "S256",
            "resource": self.resource,
        })
        status, headers, data = self.request(self.as_port, "GET", "/authorize?" + query)
        for step in ("login", "consent", "redirect"):
            if status == 303:
                location = headers.get("Location", "")
                params = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
                if not location.startswith(REDIRECT_URI) or "code" not in params:
                    raise AssertionError(f"unexpected redirect {location}")
                self.tally.record("authorize", status, {303})
                self.tally.secret(params["code"][0], verifier, *self.cookies.values())
                return params["code"][0], verifier
            self.tally.record(f"authorize {step}", status, {200}, data)
            if status != 200:
                raise AssertionError("authorize failed")
            page = FormParser()
            page.feed(data.decode())
            fields = [f for f in page.fields if f[0] not in ("username", "password")]
            if page.password:
                fields += [("username", USERNAME), ("password", self.password)]
            else:
                fields.append(("decision", "approve"))
            status, headers, data = self.form(page.action, fields)
        raise AssertionError("authorize did not finish")

    def token(self, what, fields, expected=(200,)):
        status, _, data = self.form("/token", fields)
        self.tally.record(what, status, set(expected), data)
        body = json.loads(data) if data else {}
        self.tally.secret(body.get("access_token"), body.get("refresh_token"))
        return status, body

    def mcp(self, token, method, session=None, payload=None, expected=(200, 202)):
        headers = {"Accept": "application/json, text/event-stream",
                   "Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        if session:
            headers["Mcp-Session-Id"] = session
            headers["MCP-Protocol-Version"] = "2025-06-18"
        body = json.dumps(payload) if payload is not None else None
        status, response_headers, data = self.request(self.mcp_port, method, "/mcp", body,
                                                      headers)
        self.tally.record(f"mcp {method} {payload and payload.get('method')}", status,
                          set(expected), data)
        result = None
        for line in data.decode(errors="replace").splitlines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if "result" in message or "error" in message:
                    result = message
        if result is None and data[:1] == b"{":
            result = json.loads(data)
        return status, response_headers.get("Mcp-Session-Id"), result

    def tool(self, token, session, name, arguments, call_id):
        _, _, result = self.mcp(token, "POST", session, {
            "jsonrpc": "2.0", "id": call_id, "method": "tools/call",
            "params": {"name": name, "arguments": arguments}})
        self.tally.add(tool_calls=1)
        if not result or "result" not in result or result["result"].get("isError"):
            raise AssertionError(f"tool {name} failed: {result}")
        return result["result"]

    def run(self, number):
        self.cookies = {}  # a fresh browser: login and consent every time
        code, verifier = self.authorize()
        self.tally.add(codes=1)
        redeem = [("grant_type", "authorization_code"), ("code", code),
                  ("code_verifier", verifier), ("client_id", self.client_id),
                  ("redirect_uri", REDIRECT_URI), ("resource", self.resource)]
        status, body = self.token("token", redeem)
        if status != 200:
            raise AssertionError("redeem failed")
        refresh = body["refresh_token"]
        for cycle in range(CYCLES):
            refresh = self.cycle(refresh, number * CYCLES + cycle)
        if number % 5 == 0:
            self.token("replayed code", redeem, expected=(400,))
            self.mcp("not-a-token", "POST", None, {"jsonrpc": "2.0", "id": 1, "method": "ping"},
                     expected=(401,))
        self.tally.add(flows=1)

    def cycle(self, refresh, number):
        """Refresh, then an MCP session with the fresh access token; returns the next refresh
        token."""
        status, body = self.token("refresh", [
            ("grant_type", "refresh_token"), ("refresh_token", refresh),
            ("client_id", self.client_id)])
        if status != 200:
            raise AssertionError("refresh failed")
        self.tally.add(refreshes=1)
        access, refresh = body["access_token"], body["refresh_token"]
        _, session, _ = self.mcp(access, "POST", None, {
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "soak", "version": "1"}}})
        if not session:
            raise AssertionError("no MCP session")
        self.mcp(access, "POST", session, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.tool(access, session, "list_notes", {}, 2)
        added = self.tool(access, session, "add_note", {"text": f"soak note {number}"}, 3)
        text = json.dumps(added)
        note_id = None
        for word in text.replace('"', " ").replace(",", " ").replace(":", " ").split():
            if word.isdigit():
                note_id = int(word)
                break
        if note_id is not None:
            self.tool(access, session, "delete_note", {"id": note_id}, 4)
        self.mcp(access, "DELETE", session, None, expected=(200, 202, 204))
        return refresh


def register(as_port, tally):
    body = json.dumps({"client_name": "Soak", "redirect_uris": [REDIRECT_URI],
                       "token_endpoint_auth_method": "none",
                       "grant_types": ["authorization_code", "refresh_token"],
                       "response_types": ["code"],
                       # A distinct fingerprint per worker: identical metadata is one client.
                       "client_uri": f"https://soak.example/{secrets.token_hex(4)}"})
    conn = http.client.HTTPConnection("127.0.0.1", as_port, timeout=30)
    conn.request("POST", "/register", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    tally.record("register", response.status, {201}, data)
    return json.loads(data)["client_id"]


class Pacer:
    """A shared schedule: flows start `1/rate` s apart (no limit when rate is None)."""

    def __init__(self, rate):
        self.interval = 1.0 / rate if rate else 0.0
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def wait(self):
        if not self.interval:
            return
        with self.lock:
            slot = max(self.next, time.monotonic())
            self.next = slot + self.interval
        delay = slot - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def drive(flow, until, pacer, counter, errors):
    while time.monotonic() < until:
        pacer.wait()
        if time.monotonic() >= until:
            return
        with counter[1]:
            counter[0] += 1
            number = counter[0]
        try:
            flow.run(number)
        except (AssertionError, KeyError, ValueError, OSError, http.client.HTTPException) as error:
            errors.append(f"flow {number}: {type(error).__name__}: {error}")
            if len(errors) > 20:
                return


def phase(flows, seconds, rate):
    until = time.monotonic() + seconds
    pacer = Pacer(rate)
    counter = [0, threading.Lock()]
    errors = []
    threads = [threading.Thread(target=drive, args=(f, until, pacer, counter, errors))
               for f in flows]
    for thread in threads:
        thread.start()
    return threads, errors


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def database_state(path):
    size = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        rows = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("authorization_codes", "refresh_tokens", "grants", "consents",
                              "audit_events", "clients")}
    finally:
        db.close()
    return size, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--warmup", type=float, default=60)
    parser.add_argument("--measure", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--report", help="write the figures as JSON here")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="latchkey-soak-")
    config = os.path.join(work, "soak.json")
    with open(config, "w") as f:
        json.dump({
            "issuer": "http://127.0.0.1:1",  # replaced by the demo
            "tokens": {"access_token": 10, "authorization_code": CODE_TTL,
                       "refresh_token": REFRESH_TTL, "refresh_family": 30,
                       "refresh_grace_window": 2},
            "registration": {"per_minute_global": 100000, "per_minute_per_source": 100000},
            "consent": {"skip_when_already_granted": False},
            "housekeeping": {"interval": PURGE_INTERVAL, "retention": 0},
        }, f)
    password = "soak-" + secrets.token_hex(12)
    data_dir = os.path.join(work, "data")
    stderr = open(os.path.join(work, "stderr"), "wb")
    env = dict(os.environ, LATCHKEY_DEMO_PASSWORD=password)
    process = subprocess.Popen(
        [args.binary, "demo", "--user", USERNAME, "--port", "0", "--mcp-port", "0",
         "--data-dir", data_dir, "--tool-calls-per-minute", "0", "--config", config],
        stdout=subprocess.DEVNULL, stderr=stderr, env=env)
    checks = [0, 0]
    tally = Tally()

    def check(ok, message):
        checks[0 if ok else 1] += 1
        print(("ok: " if ok else "FAIL: ") + message, flush=True)

    try:
        ready = None
        for _ in range(600):
            with open(os.path.join(work, "stderr"), errors="replace") as f:
                for line in f:
                    if line.startswith("ready "):
                        ready = line
            if ready or process.poll() is not None:
                break
            time.sleep(0.1)
        if not ready:
            raise RuntimeError("demo did not become ready: "
                               + open(os.path.join(work, "stderr")).read()[-2000:])
        fields = dict(part.split("=", 1) for part in ready.split()[1:3])
        as_port = urllib.parse.urlsplit(fields["issuer"]).port
        resource = fields["mcp"]
        mcp_port = urllib.parse.urlsplit(resource).port
        database = os.path.join(data_dir, "latchkey.sqlite")
        pid = process.pid

        flows = [Flow(as_port, mcp_port, register(as_port, tally), password, resource, tally)
                 for _ in range(args.workers)]
        threads, errors = phase(flows, args.measure, None)
        for thread in threads:
            thread.join()
        capacity = tally.flows / args.measure
        check(not errors, f"capacity phase: {tally.flows} flows, errors {errors[:3]}")
        rate = max(capacity / 2, 0.2)
        print(f"capacity {capacity:.1f} flows/s with {args.workers} workers "
              f"({sum(tally.statuses.values()) / args.measure:.0f} requests/s); soak at {rate:.1f} flows/s "
              f"for {args.duration:.0f} s", flush=True)

        time.sleep(2)
        idle_fds_before = fd_count(pid)
        size_before, rows_before = database_state(database)
        before = {k: getattr(tally, k) for k in ("flows", "codes", "refreshes", "tool_calls")}
        statuses_before = dict(tally.statuses)
        samples = []
        threads, errors = phase(flows, args.duration, rate)
        start = time.monotonic()
        while any(t.is_alive() for t in threads):
            time.sleep(min(5, max(0.5, args.duration / 40)))
            elapsed = time.monotonic() - start
            size, rows = database_state(database)
            sample = {"t": round(elapsed, 1), "rss_kb": status_kb(pid, "VmRSS"),
                      "fds": fd_count(pid), "db_bytes": size,
                      "codes": rows["authorization_codes"], "refresh": rows["refresh_tokens"]}
            samples.append(sample)
            print(f"  t={sample['t']:>6}s rss={sample['rss_kb']} kB fds={sample['fds']} "
                  f"db={size} B codes={sample['codes']} refresh={sample['refresh']} "
                  f"flows={tally.flows}", flush=True)
        for thread in threads:
            thread.join()
        # RSS swings between two levels (about 70 and 104 MB here) as the allocator returns
        # memory, and a short soak's first window may not reach the upper one: compare the peak
        # of the end window with the highest peak before it (from the warm-up on). A leak lifts
        # the end above every earlier peak.
        window = max(10.0, args.duration * 0.15)
        end_start = samples[-1]["t"] - window
        warm_window = [x["rss_kb"] for x in samples if args.warmup <= x["t"] < end_start]
        end_window = [x["rss_kb"] for x in samples if x["t"] >= end_start]
        warm_rss = max(warm_window) if warm_window else None
        end_rss = max(end_window)
        time.sleep(2)
        idle_fds_after = fd_count(pid)
        size_after, rows_after = database_state(database)
        done = {k: getattr(tally, k) - before[k] for k in before}
        statuses = {s: n - statuses_before.get(s, 0) for s, n in tally.statuses.items()}
        requests = sum(statuses.values())
        server_errors = sum(n for s, n in statuses.items() if s >= 500)

        check(not errors, f"soak flows without error ({len(errors)}: {errors[:3]})")
        check(server_errors == 0, f"5xx responses: {server_errors} of {requests}")
        check(not tally.unexpected, f"unexpected statuses: {tally.unexpected[:5]}")
        drift = (end_rss - warm_rss) / warm_rss if warm_rss else float("nan")
        check(warm_rss is not None and drift <= 0.10,
              f"RSS peak after warm-up {warm_rss} kB, peak at the end {end_rss} kB "
              f"(windows of {window:.0f} s), drift {drift:+.1%} (limit +10 %)")
        check(abs(idle_fds_after - idle_fds_before) <= 2,
              f"idle file descriptors before {idle_fds_before}, after {idle_fds_after}; "
              f"during {min(s['fds'] for s in samples)}–{max(s['fds'] for s in samples)}")
        # Purged: what is left is no more than what the last lifetime + a pass + 5 s issued.
        code_bound = done["codes"] / args.duration * (CODE_TTL + PURGE_INTERVAL + 5) + 5
        check(rows_after["authorization_codes"] <= code_bound,
              f"codes purged: {done['codes']} issued, {rows_after['authorization_codes']} rows "
              f"at the end (bound {code_bound:.0f})")
        refresh_issued = done["codes"] + done["refreshes"]
        refresh_bound = refresh_issued / args.duration * (REFRESH_TTL + PURGE_INTERVAL + 5) + 5
        check(rows_after["refresh_tokens"] <= refresh_bound,
              f"refresh tokens purged: {refresh_issued} issued, {rows_after['refresh_tokens']} "
              f"rows at the end (bound {refresh_bound:.0f})")
        added = {t: rows_after[t] - rows_before[t] for t in rows_after}
        kept = added["grants"] + added["audit_events"]
        growth = size_after - size_before
        per_row = growth / kept if kept else 0
        print(f"database {size_before} → {size_after} bytes ({growth:+d}); rows added "
              f"{added}; {per_row:.0f} bytes per kept row (grants + audit events)", flush=True)
        check(growth <= max(1 << 20, kept * 1024),
              f"database growth {growth} bytes explained by {kept} kept rows (≤ 1 KiB each)")
        print(f"soak: {done['flows']} flows, {requests} requests "
              f"({requests / args.duration:.1f}/s), {done['tool_calls']} tool calls, "
              f"{done['refreshes']} refreshes, statuses {dict(sorted(statuses.items()))}",
              flush=True)
        if args.report:
            with open(args.report, "w") as f:
                json.dump({"capacity_flows_per_s": capacity, "rate": rate,
                           "duration": args.duration, "flows": done, "requests": requests,
                           "statuses": statuses, "rss_warm_kb": warm_rss,
                           "rss_end_kb": end_rss, "drift": drift,
                           "idle_fds": [idle_fds_before, idle_fds_after],
                           "db_bytes": [size_before, size_after], "rows_added": added,
                           "rows_end": rows_after, "samples": samples}, f, indent=1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        stderr.close()
        scan = os.environ.get("LATCHKEY_LEAK_SCAN_DIR")
        if scan:  # scripts/leak-scan: the demo's log and every secret the traffic used
            with open(os.path.join(scan, "secrets-soak.txt"), "a") as f:
                f.write("\n".join([password] + tally.secrets) + "\n")
            with open(os.path.join(work, "stderr"), "rb") as src, \
                    open(os.path.join(scan, "soak-demo.log"), "wb") as dst:
                dst.write(src.read())
        if checks[1]:
            print("--- demo stderr (tail) ---")
            print(open(os.path.join(work, "stderr"), errors="replace").read()[-3000:])
    print(f"{checks[0]} passed, {checks[1]} failed", flush=True)
    return 0 if checks[1] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
