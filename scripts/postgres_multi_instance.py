#!/usr/bin/env python3
"""Two `latchkey serve` instances on one PostgreSQL database (python3 standard library only).

Run by scripts/postgres-test against its throwaway cluster. Checks, through real sockets:

- a code minted through instance A and redeemed by 50 concurrent requests spread over A and B
  is redeemed exactly once (one 200, 49 `invalid_grant`);
- a refresh token rotated on A and presented again on B is detected as reused: B answers
  `invalid_grant` and the successor A issued is revoked with the family;
- a key rotated with the CLI (`latchkey key rotate`) is published by both instances, and both
  sign with it;
- login back-off, login sessions and registration caps hold across instances;
- fault: PostgreSQL stopped under traffic gives only 503 `temporarily_unavailable` (never a
  500, never a grant it should not give); once it is started again, traffic recovers without
  restarting either instance.

Prints "N passed, M failed".
"""

import argparse
import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_test  # noqa: E402  (Client, FormParser, free_port: the same HTTP driver)
from crash_test import Client, ServerDown, free_port  # noqa: E402
from harness import Checks  # noqa: E402

CLIENT_ID = crash_test.CLIENT_ID
REDIRECT_URI = crash_test.REDIRECT_URI
RESOURCE = crash_test.RESOURCE
USERNAME = crash_test.USERNAME
PASSWORD = crash_test.PASSWORD


class Instance:
    def __init__(self, name, binary, config, port, log):
        self.name = name
        self.port = port
        self.command = [binary, "serve", "--config", config, "--port", str(port)]
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=self.log)
        crash_test.wait_until_serving(self.process, self.port, self.name, timeout=60)

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def kids(port):
    status, _, data = Client(port).request("GET", "/jwks.json")
    if status != 200:
        return set()
    return {key["kid"] for key in json.loads(data)["keys"]}


def token_kid(access_token):
    header = access_token.split(".")[0]
    header += "=" * (-len(header) % 4)
    return json.loads(base64.urlsafe_b64decode(header))["kid"]


def concurrent(calls):
    """Runs the callables together (released by one barrier); returns their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except ServerDown as error:
            results[index] = (-1, {"error": f"connection: {error}"})

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_code_redeemed_once(a, b, checks, rounds=3):
    for round_ in range(rounds):
        code, verifier = Client(a.port).authorize()
        calls = []
        for i in range(50):
            port = a.port if i % 2 == 0 else b.port
            calls.append(lambda port=port: Client(port).redeem(code, verifier))
        results = concurrent(calls)
        ok = [r for r in results if r[0] == 200]
        refused = [r for r in results if r[0] == 400 and r[1].get("error") == "invalid_grant"]
        checks.check(len(ok) == 1, f"round {round_}: {len(ok)} of 50 redemptions got 200")
        checks.check(len(refused) == 49,
                     f"round {round_}: {len(refused)} invalid_grant, statuses "
                     f"{sorted({r[0] for r in results})}")


def test_refresh_reuse_across(a, b, checks):
    client_a, client_b = Client(a.port), Client(b.port)
    code, verifier = client_a.authorize()
    status, body = client_a.redeem(code, verifier)
    checks.check(status == 200, f"redeem on A answered {status}")
    first = body["refresh_token"]
    status, body = client_a.refresh(first)
    checks.check(status == 200, f"refresh on A answered {status}")
    second = body["refresh_token"]
    status, body = client_b.refresh(first)  # grace window 0: a replay is reuse
    checks.check(status == 400 and body.get("error") == "invalid_grant",
                 f"replay of the rotated token on B answered {status} {body}")
    status, body = client_a.refresh(second)
    checks.check(status == 400 and body.get("error") == "invalid_grant",
                 f"the successor after reuse answered {status} {body} (family not revoked)")


def test_key_rotation_published_by_both(binary, config, a, b, checks):
    before = kids(a.port)
    checks.check(before == kids(b.port) and len(before) >= 1, "A and B publish the same keys")
    out = subprocess.run([binary, "key", "rotate", "--config", config, "--json"],
                         check=True, capture_output=True).stdout
    new_kid = json.loads(out)["kid"]
    deadline = time.time() + 20
    while time.time() < deadline:
        if new_kid in kids(a.port) and new_kid in kids(b.port):
            break
        time.sleep(0.25)
    checks.check(new_kid in kids(a.port), "A publishes the key rotated by the CLI")
    checks.check(new_kid in kids(b.port), "B publishes the key rotated by the CLI")
    time.sleep(6)  # SigningKeyProvider re-reads the store at most every 5 s
    for instance in (a, b):
        client = Client(instance.port)
        code, verifier = client.authorize()
        status, body = client.redeem(code, verifier)
        checks.check(status == 200 and token_kid(body["access_token"]) == new_kid,
                     f"{instance.name} signs with the rotated key")


def test_shared_login_state(a, b, checks):
    # Sessions: sign in on A, continue the same browser on B without signing in again.
    client = Client(a.port)
    code, _ = client.authorize()
    client.port = b.port
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(
        __import__("hashlib").sha256(verifier.encode()).digest()).decode().rstrip("=")
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
        "scope": "notes:read", "state": "s", "code_challenge": challenge,
        "code_challenge_method": "S256", "resource": RESOURCE})
    status, headers, _ = client.request("GET", "/authorize?" + query)
    checks.check(status == 303 and "code=" in headers.get("Location", ""),
                 f"a session started on A is known to B ({status})")
    # Back-off: five failures on A, the next attempt on B is refused.
    name = "nobody-" + secrets.token_hex(4)
    for i in range(5):
        port = a.port
        fail = Client(port)
        status, _, data = fail.request("GET", "/authorize?" + query)
        form = crash_test.FormParser()
        form.feed(data.decode())
        fields = [f for f in form.fields if f[0] not in ("username", "password")]
        fields += [("username", name), ("password", "wrong")]
        status, _, _ = fail.request("POST", form.action, fields)
    probe = Client(b.port)
    status, _, data = probe.request("GET", "/authorize?" + query)
    form = crash_test.FormParser()
    form.feed(data.decode())
    fields = [f for f in form.fields if f[0] not in ("username", "password")]
    fields += [("username", name), ("password", "wrong")]
    status, _, _ = probe.request("POST", form.action, fields)
    checks.check(status == 429, f"login back-off counted across A and B ({status})")


def test_registration_cap_across(a, b, checks, per_source):
    statuses = []
    for i in range(per_source + 1):
        port = a.port if i % 2 == 0 else b.port
        body = json.dumps({
            "client_name": f"cap {i}", "redirect_uris": [f"http://127.0.0.1:{1000 + i}/cb"],
            "token_endpoint_auth_method": "none"}).encode()
        conn = __import__("http.client").client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/register", body=body, headers={"Content-Type": "application/json"})
        statuses.append(conn.getresponse().status)
        conn.close()
    checks.check(statuses[:-1] == [201] * per_source and statuses[-1] == 429,
                 f"registration cap counted across A and B: {statuses}")


class Traffic:
    """Authorize → redeem → refresh loops on both instances, recording every answer."""

    def __init__(self, a, b):
        self.instances = (a, b)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses = {}
        self.bad = []
        self.redeemed = []
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(4)]
        self.t0 = time.time()
        self.dropped = []  # (seconds since start, error) of requests without an HTTP answer

    def record(self, what, status, body=None):
        with self.lock:
            self.statuses[(what, status)] = self.statuses.get((what, status), 0) + 1
            if status >= 500 and status != 503:
                self.bad.append(f"{what} answered {status}")
            if status == 503 and body is not None and body.get("error") != "temporarily_unavailable":
                self.bad.append(f"{what} 503 with {body}")

    def run(self, index):
        instance = self.instances[index % 2]
        client = Client(instance.port)
        while not self.stop.is_set():
            try:
                try:
                    code, verifier = client.authorize()
                    self.record("authorize", 303)
                except AssertionError as error:
                    text = str(error)
                    status = int(text.split()[2].rstrip(":")) if "answered" in text else 0
                    self.record("authorize", status)
                    time.sleep(0.05)
                    continue
                status, body = client.redeem(code, verifier)
                self.record("redeem", status, body)
                if status != 200:
                    continue
                with self.lock:
                    self.redeemed.append((instance.port, code, verifier))
                status, body = client.refresh(body["refresh_token"])
                self.record("refresh", status, body)
            except ServerDown as error:
                self.record("request", -1)
                with self.lock:
                    self.dropped.append((time.time() - self.t0, str(error)))
                time.sleep(0.05)

    def start(self):
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def test_fault(a, b, stop_cmd, start_cmd, checks):
    traffic = Traffic(a, b)
    traffic.start()
    time.sleep(2)
    before = sum(n for (w, s), n in traffic.statuses.items() if s in (200, 303))
    subprocess.run(stop_cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
    stopped = time.time()
    print(f"fault: PostgreSQL stopped at {stopped - traffic.t0:.1f} s", flush=True)
    time.sleep(6)
    with traffic.lock:
        during = dict(traffic.statuses)
    subprocess.run(start_cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
    restarted = time.time()
    print(f"fault: PostgreSQL started at {restarted - traffic.t0:.1f} s", flush=True)
    recovered_at = None
    deadline = time.time() + 90
    mark = None
    while time.time() < deadline:
        with traffic.lock:
            ok = traffic.statuses.get(("refresh", 200), 0)
        if mark is None:
            mark = ok
        elif ok >= mark + 4:
            recovered_at = time.time()
            break
        time.sleep(0.25)
    time.sleep(1)
    traffic.finish()
    unavailable = sum(n for (w, s), n in during.items() if s == 503)
    print(f"fault: {before} successes before the stop, {unavailable} answers 503 while "
          f"PostgreSQL was down (outage {restarted - stopped:.1f} s), recovered "
          + (f"{recovered_at - restarted:.1f} s after the restart" if recovered_at else "never"),
          flush=True)
    print(f"fault: answers {sorted(traffic.statuses.items())}", flush=True)
    # Every request gets an answer, including the one in flight at the instant PostgreSQL
    # stops: the store's deadline does not wait for a query that ignores cancellation.
    checks.check(not traffic.dropped,
                 f"every request answered within the client's timeout: {traffic.dropped[:5]}")
    checks.check(not traffic.bad, f"only 503s while down, no 500s: {traffic.bad[:5]}")
    checks.check(unavailable > 0, "requests during the outage were answered 503")
    checks.check(recovered_at is not None, "traffic recovered without restarting latchkey")
    checks.check(a.alive() and b.alive(), "both instances kept running")
    # No wrong grants: every code redeemed once answers invalid_grant on both instances now.
    sample = traffic.redeemed[-20:]
    regranted = 0
    for port, code, verifier in sample:
        for instance in (a, b):
            status, _ = Client(instance.port).redeem(code, verifier)
            if status == 200:
                regranted += 1
    checks.check(regranted == 0, f"{regranted} redeemed codes were granted again")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--url", required=True, help="postgres:// URL of an empty database")
    parser.add_argument("--stop", required=True, help="shell command stopping PostgreSQL")
    parser.add_argument("--start", required=True, help="shell command starting PostgreSQL")
    parser.add_argument("--skip-fault", action="store_true")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="latchkey-pg-multi-")
    port_a, port_b = free_port(), free_port()
    per_source = 6
    config = os.path.join(work, "config.json")
    with open(config, "w") as f:
        json.dump({
            "issuer": f"http://127.0.0.1:{port_a}", "host": "127.0.0.1",
            "password_hash_log_n": 10,
            "database": {"url": args.url, "tls": "disable", "pool_size": 8,
                         "connect_timeout": 1, "operation_timeout": 2},
            "tokens": {"refresh_grace_window": 0},
            "registration": {"per_minute_per_source": per_source, "per_minute_global": 1000},
            "resources": [{
                "url": RESOURCE, "name": "Notes",
                "scopes": [{"name": "notes:read", "description": "Read"}],
                "default_scopes": ["notes:read"]}],
        }, f)
    common = ["--config", config]
    subprocess.run([args.binary, "migrate", *common], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.binary, "client", "add", *common, "--name", "Multi", "--id", CLIENT_ID,
                    "--redirect-uri", REDIRECT_URI], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.binary, "user", "add", USERNAME, *common, "--password-stdin"],
                   input=PASSWORD.encode(), check=True, stdout=subprocess.DEVNULL)

    log = open(os.path.join(work, "servers.log"), "wb")
    a = Instance("A", args.binary, config, port_a, log)
    b = Instance("B", args.binary, config, port_b, log)
    checks = Checks()
    started = time.time()
    try:
        a.start()
        b.start()
        test_code_redeemed_once(a, b, checks)
        test_refresh_reuse_across(a, b, checks)
        test_shared_login_state(a, b, checks)
        test_registration_cap_across(a, b, checks, per_source)
        test_key_rotation_published_by_both(args.binary, config, a, b, checks)
        if not args.skip_fault:
            test_fault(a, b, args.stop, args.start, checks)
    except Exception as error:  # a crash of the driver is a failure, not a pass
        checks.check(False, f"driver: {type(error).__name__}: {error}")
    finally:
        a.stop()
        b.stop()
        log.close()
    print(f"multi-instance: {time.time() - started:.1f} s", flush=True)
    if checks.failed:
        print(f"server logs kept in {work}", flush=True)
    else:
        subprocess.run(["rm", "-rf", work])
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
