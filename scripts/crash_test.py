#!/usr/bin/env python3
"""Crash safety of `latchkey serve` on SQLite (python3 standard library only).

Drives authorize → code → token → refresh traffic against a real server, kills it with
SIGKILL at random moments, restarts it on the same database file and checks after every
restart that every acknowledged operation survived:

- `PRAGMA integrity_check` is `ok`;
- the refresh token each family last received a 200 for still rotates (a grace-window replay of
  an in-flight rotation also answers 200 with the same successor);
- a code whose 303 was acknowledged but never redeemed is still redeemable (once);
- at the end, every code acknowledged as redeemed answers `invalid_grant` when redeemed again;
- the published JWKS is byte-identical across restarts.

Lost acknowledged operations are counted (goal 0). The guarantee rests on SQLite WAL with
`synchronous = FULL`, the store's default (docs/storage.md).
"""

import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from harness import Checks, FormParser  # noqa: E402

CLIENT_ID = "crash-client"
REDIRECT_URI = "http://127.0.0.1:9/callback"
RESOURCE = "http://127.0.0.1:9/mcp"
USERNAME = "crash"
PASSWORD = "crash-test-password-1"


class ServerDown(Exception):
    pass


class Client:
    """One user agent plus OAuth client: cookies, forms, token requests."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None):
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in sorted(self.cookies.items()))
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            conn.close()
        except (OSError, http.client.HTTPException) as error:
            raise ServerDown(str(error))
        for header in response.headers.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if "max-age=0" in header.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, response.headers, data

    def authorize(self):
        """The front channel; returns (code, verifier) from the 303 back to the client."""
        verifier = secrets.token_urlsafe(32)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
            "scope": "notes:read", "state": secrets.token_urlsafe(8),
            "code_challenge": challenge.decode().rstrip("="), "code_challenge_method": "S256",
            "resource": RESOURCE,
        })
        status, headers, data = self.request("GET", "/authorize?" + query)
        for _ in range(3):
            if status == 303:
                location = headers.get("Location", "")
                params = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
                if not location.startswith(REDIRECT_URI) or "code" not in params:
                    raise AssertionError(f"unexpected redirect {location}")
                return params["code"][0], verifier
            if status != 200:
                raise AssertionError(f"authorize answered {status}: {data[:200]!r}")
            form = FormParser()
            form.feed(data.decode())
            fields = [f for f in form.fields if f[0] not in ("username", "password")]
            if form.password:
                fields += [("username", USERNAME), ("password", PASSWORD)]
            else:
                fields.append(("decision", "approve"))
            status, headers, data = self.request("POST", form.action, fields)
        raise AssertionError("authorize did not finish")

    def token(self, form):
        status, _, data = self.request("POST", "/token", form)
        try:
            body = json.loads(data)
        except ValueError:
            body = {}
        return status, body

    def redeem(self, code, verifier):
        return self.token([
            ("grant_type", "authorization_code"), ("code", code), ("code_verifier", verifier),
            ("client_id", CLIENT_ID), ("redirect_uri", REDIRECT_URI), ("resource", RESOURCE),
        ])

    def refresh(self, token):
        return self.token([
            ("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", CLIENT_ID),
        ])


class Ledger:
    """What the client was told: the acknowledged state the server must keep."""

    def __init__(self):
        self.lock = threading.Lock()
        self.families = []        # [refresh token of the last 200, touched since restart]
        self.unredeemed = []      # (code, verifier): 303 acknowledged, redemption never sent
        self.redeemed = []        # (code, verifier): redemption acknowledged with 200
        self.in_flight = []       # (code, verifier): redemption sent, no answer
        self.operations = 0


def drive(port, ledger, stop, errors):
    """Traffic until the server dies: authorize, redeem, rotate a few times, repeat."""
    client = Client(port)
    while not stop.is_set():
        try:
            code, verifier = client.authorize()
            with ledger.lock:
                ledger.operations += 1
                if random.random() < 0.15:  # keep some codes for after the crash
                    ledger.unredeemed.append((code, verifier))
                    continue
                ledger.in_flight.append((code, verifier))
            status, body = client.redeem(code, verifier)
            with ledger.lock:
                ledger.in_flight.remove((code, verifier))
                if status != 200:
                    errors.append(f"redeem answered {status} {body}")
                    continue
                ledger.operations += 1
                ledger.redeemed.append((code, verifier))
                family = [body["refresh_token"], True]
                ledger.families.append(family)
            for _ in range(random.randint(1, 4)):
                status, body = client.refresh(family[0])
                if status != 200:
                    errors.append(f"refresh answered {status} {body}")
                    break
                with ledger.lock:
                    ledger.operations += 1
                    family[0] = body["refresh_token"]
        except ServerDown:
            return
        except (AssertionError, KeyError, ValueError) as error:
            errors.append(f"driver: {error}")
            return


def wait_until_serving(process, port, name, timeout):
    """Polls /jwks.json until the started `latchkey serve` answers 200; raises when the process
    exits or `timeout` seconds pass."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            status, _, _ = Client(port).request("GET", "/jwks.json")
            if status == 200:
                return
        except ServerDown:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not start")


class Server:
    def __init__(self, binary, config, port, database, log):
        self.command = [binary, "serve", "--config", config, "--port", str(port),
                        "--database", database]
        self.port = port
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=self.log)
        wait_until_serving(self.process, self.port, "server", timeout=30)

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def verify(server, database, ledger, jwks, checks, cycle):
    """After a restart: integrity, keys, surviving refresh tokens and codes. Returns losses."""
    lost = 0
    with sqlite3.connect(database) as db:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    checks.check(result == "ok", f"cycle {cycle}: integrity_check = {result}")
    client = Client(server.port)
    _, _, current = client.request("GET", "/jwks.json")
    checks.check(json.loads(current) == json.loads(jwks), f"cycle {cycle}: JWKS changed")
    # Families touched since the last restart, and a sample of older ones (already verified once).
    touched = [f for f in ledger.families if f[1]]
    settled = [f for f in ledger.families if not f[1]]
    for family in touched + random.sample(settled, min(5, len(settled))):
        family[1] = False
        status, body = client.refresh(family[0])
        if checks.check(status == 200, f"cycle {cycle}: acknowledged refresh token lost "
                                       f"({status} {body})"):
            family[0] = body["refresh_token"]
        else:
            lost += 1
    for code, verifier in ledger.unredeemed:
        status, body = client.redeem(code, verifier)
        if checks.check(status == 200, f"cycle {cycle}: acknowledged code lost ({status} {body})"):
            ledger.redeemed.append((code, verifier))
            ledger.families.append([body["refresh_token"], False])
        else:
            lost += 1
    ledger.unredeemed.clear()
    for code, verifier in ledger.in_flight:
        # The redemption may or may not have committed before the kill: at most one more 200.
        first, _ = client.redeem(code, verifier)
        second, body = client.redeem(code, verifier)
        checks.check(second == 400 and body.get("error") == "invalid_grant",
                     f"cycle {cycle}: in-flight code redeemed twice ({first}, {second})")
    ledger.in_flight.clear()
    return lost


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    random.seed(seed)
    print(f"seed {seed}, {args.kills} kills, synchronous = FULL (store default)", flush=True)

    work = tempfile.mkdtemp(prefix="latchkey-crash-")
    database = os.path.join(work, "latchkey.sqlite")
    port = free_port()
    config = os.path.join(work, "config.json")
    with open(config, "w") as f:
        json.dump({
            "issuer": f"http://127.0.0.1:{port}", "host": "127.0.0.1",
            "password_hash_log_n": 10,
            "resources": [{
                "url": RESOURCE, "name": "Crash notes",
                "scopes": [{"name": "notes:read", "description": "Read"}],
                "default_scopes": ["notes:read"]}],
        }, f)
    common = ["--config", config, "--database", database]
    subprocess.run([args.binary, "migrate", "--database", database], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([args.binary, "client", "add", *common, "--name", "Crash", "--id", CLIENT_ID,
                    "--redirect-uri", REDIRECT_URI], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.binary, "user", "add", USERNAME, *common, "--password-stdin"],
                   input=PASSWORD.encode(), check=True, stdout=subprocess.DEVNULL)

    log = open(os.path.join(work, "server.log"), "wb")
    server = Server(args.binary, config, port, database, log)
    ledger = Ledger()
    checks = Checks()
    errors = []
    lost = 0
    server.start()
    _, _, jwks = Client(port).request("GET", "/jwks.json")
    started = time.time()
    for cycle in range(1, args.kills + 1):
        stop = threading.Event()
        drivers = [threading.Thread(target=drive, args=(port, ledger, stop, errors))
                   for _ in range(2)]
        for driver in drivers:
            driver.start()
        time.sleep(random.uniform(0.2, 1.5))
        server.kill()
        stop.set()
        for driver in drivers:
            driver.join()
        server.start()
        lost += verify(server, database, ledger, jwks, checks, cycle)
    for message in errors:
        checks.check(False, message)
    client = Client(port)
    for code, verifier in ledger.redeemed:
        status, body = client.redeem(code, verifier)
        checks.check(status == 400 and body.get("error") == "invalid_grant",
                     f"acknowledged code redeemed twice ({status})")
    server.kill()
    log.close()
    print(f"{args.kills} kills, {ledger.operations} acknowledged operations, "
          f"{len(ledger.families)} refresh families, {len(ledger.redeemed)} codes, "
          f"{lost} acknowledged operations lost, {time.time() - started:.1f} s", flush=True)
    if checks.failed:
        print(f"server log kept in {work}", flush=True)
    else:
        subprocess.run(["rm", "-rf", work])
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
