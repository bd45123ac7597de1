"""HTTP benchmarks of scripts/bench (issue #7): Latchkey and its peers under wrk, on loopback.

Starts every server itself (fresh temporary database, free ports), seeds codes and refresh
tokens through the documented seeding paths (`latchkey-bench seed`, the peer's `/bench/seed`),
runs wrk with the Lua scripts in scripts/wrk/, measures memory and readiness, stops everything,
and appends one JSON object per measurement to OUT/http.jsonl (read by scripts/bench_report.py).

usage: driver.py --bin DIR --out DIR [--runs N] [--seconds S] [--levels 4,16,64] [--quick]
"""
import argparse
import base64
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
WRK_DIR = os.path.join(os.path.dirname(HERE), "wrk")
CLIENT_ID = "bench-client"
REDIRECT_URI = "http://127.0.0.1:9/callback"
SCOPES = "notes:read notes:write"
THREADS = 2


STARTED = time.monotonic()


def log(message):
    print(f"==> [{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=10):
    """(status, headers, body bytes) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_ready(url, timeout=60, interval=0.005, process=None):
    """Polls until `url` answers 200; returns seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited ({process.returncode}) before {url} was ready")
        try:
            if http("GET", url, timeout=1)[0] == 200:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(interval)
    raise RuntimeError(f"{url} not ready after {timeout}s")


class Servers:
    """Processes started by the driver, stopped (SIGTERM, then SIGKILL) at the end."""

    def __init__(self, work):
        self.work = work
        self.processes = []

    def start(self, name, args, env=None):
        log_file = open(os.path.join(self.work, f"{name}.log"), "ab")
        process = subprocess.Popen(
            [str(arg) for arg in args], stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})})
        self.processes.append(process)
        return process

    def stop(self, process):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process in self.processes:
            self.processes.remove(process)

    def stop_all(self):
        for process in list(self.processes):
            self.stop(process)


def rss_by_file(pid, top=8):
    """Resident kB per mapped file (smaps), largest first: where a process's RSS sits."""
    totals, name = {}, None
    with open(f"/proc/{pid}/smaps") as handle:
        for line in handle:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:
                name = os.path.basename(fields[5]) if len(fields) > 5 else "[anonymous]"
            elif fields[0] == "Rss:" and name is not None:
                totals[name] = totals.get(name, 0) + int(fields[1])
    return sorted(totals.items(), key=lambda item: -item[1])[:top]


def cpu_seconds(pid):
    """User + system CPU time of a process so far (/proc/PID/stat utime + stime)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid, field="VmRSS"):
    """A memory figure of /proc/PID/status in kB (VmRSS = RssAnon + RssFile + RssShmem)."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Bench:
    def __init__(self, options):
        self.options = options
        self.bin = options.bin
        self.out = options.out
        self.work = tempfile.mkdtemp(prefix="latchkey-bench-http-")
        self.servers = Servers(self.work)
        self.results = open(os.path.join(self.out, "http.jsonl"), "a")
        self.python = sys.executable
        self.pools = {}

    # --- recording -------------------------------------------------------------------------

    def record(self, target, run, **fields):
        record = {"target": target, "run": run, **fields}
        self.results.write(json.dumps(record) + "\n")
        self.results.flush()
        keys = [key for key in ("level", "rps", "p50_us", "p99_us") if key in fields] or list(fields)
        summary = ", ".join(f"{key}={fields[key]}" for key in keys)
        log(f"  {target} run {run}: {summary}")

    def wrk(self, url, script, args, connections, seconds=None):
        seconds = seconds or self.options.seconds
        command = [
            "wrk", "-t", str(min(THREADS, connections)), "-c", str(connections), "-d",
            f"{seconds}s", "--timeout", "10s", "-s", os.path.join(WRK_DIR, script), url, "--",
            *[str(arg) for arg in args]]
        completed = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "BENCH_WRK_DIR": WRK_DIR},
            timeout=seconds + 60)
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        if completed.returncode != 0 or not lines:
            raise RuntimeError(f"wrk failed: {completed.stdout}\n{completed.stderr}")
        return json.loads(lines[-1])

    def measure(self, target, run, url, script, args, connections, **extra):
        """A wrk phase of `--short-seconds`: the cheap requests (discovery, JWKS, registration,
        the 401 path) reach a steady rate within well under a second."""
        result = self.wrk(url, script, args, connections, seconds=self.options.short_seconds)
        self.record(target, run, level=connections, **result, **extra)
        return result

    def measure_calls(self, target, run, url, token, sessions, server, connections, pair):
        """`tools/call list_notes` under wrk, with the server process's CPU time per call."""
        before = cpu_seconds(server.pid)
        result = self.wrk(url, "mcp_call.lua", [token, "list_notes", 200, *sessions], connections)
        used = cpu_seconds(server.pid) - before
        self.record(target, run, level=connections, round=pair,
                    server_cpu_us_per_call=round(used / max(result["requests"], 1) * 1e6, 1),
                    **result)
        return result

    # --- seeding ---------------------------------------------------------------------------

    def machine_client(self, latchkey, database):
        """A client_credentials client (client_secret_basic) created with the CLI, as an operator
        would; returns the `Authorization` header value its requests carry."""
        out = subprocess.run(
            [latchkey, "client", "add", "--database", database, "--id", "bench-machine",
             "--name", "Bench machine", "--grant-type", "client_credentials", "--auth-method",
             "client_secret_basic", "--scope", SCOPES, "--json"],
            check=True, capture_output=True, text=True).stdout
        secret = json.loads(out)["client_secret"]
        return "Basic " + base64.b64encode(f"bench-machine:{secret}".encode()).decode()

    def seed_latchkey(self, kind, count, database, resource):
        path = os.path.join(self.work, f"seed-{kind}-{time.monotonic_ns()}.txt")
        subprocess.run(
            [os.path.join(self.bin, "latchkey-bench"), "seed", "--database", database, "--kind",
             kind, "--count", str(count), "--out", path, "--client-id", CLIENT_ID,
             "--redirect-uri", REDIRECT_URI, "--resource", resource, "--scopes", SCOPES,
             "--code-lifetime", "3600"], check=True)
        return path

    def seed_peer(self, base, kind, count, resource):
        path = os.path.join(self.work, f"peer-{kind}-{time.monotonic_ns()}.txt")
        query = urllib.parse.urlencode({"kind": kind, "n": count, "resource": resource})
        status, _, body = http("POST", f"{base}/bench/seed?{query}", body=b"", timeout=300)
        if status != 200:
            raise RuntimeError(f"peer seeding failed: {status}")
        with open(path, "wb") as handle:
            handle.write(body)
        return path

    def needed(self, key, connections, rate=None):
        """Codes/tokens to seed for one measurement: the rate this phase reached in an earlier run
        (or `rate`, the offered rate of a paced phase; else a guess from the connection count)
        with 30 % headroom. Seeding costs ≈ 0.15 ms a code and 0.35 ms a refresh token, so
        seeding for the best rate at every level was most of a run's time."""
        guess = min(self.options.first_guess, 600 * connections)
        best = rate or self.pools.get((key, connections), guess)
        return int(best * self.options.seconds * 1.3) + 300

    def token_measurement(self, target, run, url, kind, connections, seeder, resource, delay=0,
                          pause="fixed", rate=None, server=None):
        """One wrk run of the token endpoint with freshly seeded, never reused secrets; reruns
        with twice the secrets when a thread ran out. `delay` (ms) paces each connection;
        `pause` is "fixed" or "exponential" (random, that mean: scripts/wrk/common.lua).
        With `server` (the process answering), the phase also records that process's CPU time
        per answered request (/proc utime + stime, wrk and the seeding excluded) and its RSS
        high-water mark (VmHWM) after the phase."""
        count = self.needed(target, connections, rate)
        for _ in range(3):
            path = seeder(kind, count)
            script = "token_code.lua" if kind == "codes" else "token_refresh.lua"
            before = cpu_seconds(server.pid) if server else None
            result = self.wrk(
                url, script,
                [path, CLIENT_ID, REDIRECT_URI, resource, delay, min(THREADS, connections),
                 pause],
                connections)
            if server:
                used = cpu_seconds(server.pid) - before
                result["server_cpu_us_per_request"] = round(
                    used / max(result["requests"], 1) * 1e6, 1)
                result["rss_hwm_kb"] = rss_kb(server.pid, "VmHWM")
            os.unlink(path)
            if result["exhausted"] == 0:
                break
            count *= 2
        if result["exhausted"]:
            raise RuntimeError(f"{target}: seeded secrets ran out")
        key = (target, connections)
        self.pools[key] = max(self.pools.get(key, 0), result["rps"])
        self.record(target, run, level=connections, delay_ms=delay, pause=pause, **result)
        return result

    def half_rate(self, target, run, url, kind, peak, seeder, resource, pause="fixed",
                  server=None):
        """p99 at about half the peak rate: enough connections that each waits ≥ 5 ms between
        requests (wrk's Lua delay) so the offered load is ≈ peak / 2."""
        goal = max(peak / 2, 1)
        connections = max(4, min(64, int(goal * 0.008) + 1))
        delay = max(1, round(connections * 1000 / goal) - 1)
        return self.token_measurement(
            target, run, url, kind, connections, seeder, resource, delay=delay, pause=pause,
            rate=goal, server=server)

    # --- MCP helpers -----------------------------------------------------------------------

    def redeem_token(self, token_url, code_line, resource):
        code, verifier = code_line.split()
        form = urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "client_id": CLIENT_ID, "code_verifier": verifier, "resource": resource}).encode()
        status, _, body = http(
            "POST", token_url, form, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 200:
            raise RuntimeError(f"token redemption failed: {status} {body[:200]!r}")
        return json.loads(body)["access_token"]

    def open_sessions(self, url, token, count):
        headers = {
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": "2025-06-18"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        sessions = []
        for index in range(count):
            body = json.dumps({
                "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                    "protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": {"name": "bench", "version": "1"}}}).encode()
            status, response_headers, payload = http("POST", url, body, headers)
            session = response_headers.get("mcp-session-id") if response_headers else None
            if status != 200 or not session:
                raise RuntimeError(f"initialize failed at {url}: {status} {payload[:200]!r}")
            notify = json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode()
            status, _, _ = http("POST", url, notify, {**headers, "Mcp-Session-Id": session})
            if status not in (200, 202):
                raise RuntimeError(f"initialized notification failed at {url}: {status}")
            sessions.append(session)
        # One call per session, checked, before timing.
        call = json.dumps({
            "jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "list_notes", "arguments": {}}}).encode()
        for session in sessions:
            status, _, payload = http(
                "POST", url, call, {**headers, "Accept": "application/json",
                                    "Mcp-Session-Id": session})
            if status != 200 or b'"result"' not in payload:
                raise RuntimeError(f"tools/call check failed at {url}: {status} {payload[:300]!r}")
        return sessions

    # --- the run ---------------------------------------------------------------------------

    def latchkey_config(self, path, port, database, resources):
        config = {
            "issuer": f"http://127.0.0.1:{port}", "host": "127.0.0.1", "port": port,
            "database_path": database, "signing_algorithm": "ES256",
            "resources": [{
                "url": url, "name": f"Bench notes {index}",
                "scopes": [{"name": "notes:read", "description": "Read"},
                           {"name": "notes:write", "description": "Write"}],
                "default_scopes": ["notes:read"], "tool_scopes": {"add_note": ["notes:write"]},
            } for index, url in enumerate(resources)],
            # Seeded codes must outlive the run; registration caps would turn the registration
            # benchmark into a 429 benchmark.
            "tokens": {"authorization_code": 3600},
            "registration": {"per_minute_global": 1_000_000_000,
                             "per_minute_per_source": 1_000_000_000},
        }
        with open(path, "w") as handle:
            json.dump(config, handle)

    def run(self):
        o = self.options
        latchkey = os.path.join(self.bin, "latchkey")
        bench = os.path.join(self.bin, "latchkey-bench")
        ports = {name: free_port() for name in (
            "as", "notes", "quiet", "plain", "sdk", "fastmcp", "demo", "demo_mcp", "memory",
            "hello", "fastmcp_plain", "proxy", "sdk_plain")}
        issuer = f"http://127.0.0.1:{ports['as']}"
        notes_url = f"http://127.0.0.1:{ports['notes']}/mcp"
        plain_url = f"http://127.0.0.1:{ports['plain']}/mcp"
        quiet_url = f"http://127.0.0.1:{ports['quiet']}/mcp"
        fastmcp_url = f"http://127.0.0.1:{ports['fastmcp']}/mcp"
        fastmcp_plain_url = f"http://127.0.0.1:{ports['fastmcp_plain']}/mcp"
        proxy_url = f"http://127.0.0.1:{ports['proxy']}/mcp"
        sdk = f"http://127.0.0.1:{ports['sdk']}"
        sdk_plain = f"http://127.0.0.1:{ports['sdk_plain']}"
        database = os.path.join(self.work, "latchkey.sqlite")
        config = os.path.join(self.work, "latchkey.json")
        self.latchkey_config(
            config, ports["as"], database, [notes_url, quiet_url, fastmcp_url, proxy_url])

        self.memory_and_readiness(latchkey, ports["memory"])

        log("starting latchkey serve, the notes servers and the peers")
        subprocess.run([latchkey, "migrate", "--database", database], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        serve = self.servers.start("latchkey-serve", [latchkey, "serve", "--config", config])
        wait_ready(f"{issuer}/healthz", process=serve)
        # The serve process's own idle RSS: what "memory returns to idle after the load" is
        # judged against at the end.
        time.sleep(2)
        serve_idle_kb = rss_kb(serve.pid)
        serve_idle_split = (rss_kb(serve.pid, "RssAnon"), rss_kb(serve.pid, "RssFile"))
        metadata = json.loads(http("GET", f"{issuer}/.well-known/oauth-authorization-server")[2])
        token_url, jwks_url = metadata["token_endpoint"], metadata["jwks_uri"]
        register_url = metadata["registration_endpoint"]
        machine_basic = self.machine_client(latchkey, database)
        notes = self.servers.start("notes-protected", [
            bench, "serve-notes", "--port", ports["notes"], "--issuer", issuer,
            "--resource", notes_url])
        quiet = self.servers.start("notes-protected-no-audit", [
            bench, "serve-notes", "--port", ports["quiet"], "--issuer", issuer,
            "--resource", quiet_url, "--audit", "none"])
        plain = self.servers.start("notes-unprotected", [
            bench, "serve-notes", "--port", ports["plain"]])
        hello = self.servers.start("hummingbird-hello", [
            bench, "serve-hello", "--port", ports["hello"]])
        peer_as = self.servers.start("peer-sdk-as", [
            self.python, os.path.join(HERE, "peer_sdk_as.py"), ports["sdk"]])
        # The same peer on plain uvicorn (asyncio + h11, no uvloop or httptools).
        peer_as_plain = self.servers.start("peer-sdk-as-plain", [
            self.python, os.path.join(HERE, "peer_sdk_as.py"), ports["sdk_plain"], "plain"])
        peer_mcp = self.servers.start("peer-fastmcp", [
            self.python, os.path.join(HERE, "peer_fastmcp.py"), ports["fastmcp"], issuer,
            jwks_url])
        # The same FastMCP server without auth, called directly and through `latchkey proxy`
        # (the proxy verifies the token, then forwards): what the proxy costs a real
        # non-Swift MCP server.
        fastmcp_plain = self.servers.start("peer-fastmcp-unprotected", [
            self.python, os.path.join(HERE, "peer_fastmcp.py"), ports["fastmcp_plain"], "-", "-"])
        proxy = self.servers.start("latchkey-proxy", [
            latchkey, "proxy", "--listen", f"127.0.0.1:{ports['proxy']}", "--upstream",
            fastmcp_plain_url, "--resource", proxy_url, "--issuer", issuer, "--scopes",
            "notes:read", "--tool-calls-per-minute", "0"])
        demo_dir = os.path.join(self.work, "demo")
        demo = self.servers.start("latchkey-demo", [
            latchkey, "demo", "--port", ports["demo"], "--mcp-port", ports["demo_mcp"],
            "--data-dir", demo_dir, "--tool-calls-per-minute", "0"],
            env={"LATCHKEY_DEMO_PASSWORD": "bench-demo-password"})
        wait_ready(f"http://127.0.0.1:{ports['notes']}/.well-known/oauth-protected-resource/mcp",
                   process=notes)
        wait_ready(f"http://127.0.0.1:{ports['quiet']}/.well-known/oauth-protected-resource/mcp",
                   process=quiet)
        wait_ready(f"{sdk}/healthz", process=peer_as)
        wait_ready(f"{sdk_plain}/healthz", process=peer_as_plain)
        wait_ready(f"http://127.0.0.1:{ports['hello']}/hello", process=hello)
        demo_issuer = f"http://127.0.0.1:{ports['demo']}"
        demo_url = f"http://127.0.0.1:{ports['demo_mcp']}/mcp"
        wait_ready(f"{demo_issuer}/healthz", process=demo)
        wait_ready(f"http://127.0.0.1:{ports['demo_mcp']}/.well-known/oauth-protected-resource/mcp",
                   process=demo)
        for _ in range(600):
            if peer_mcp.poll() is not None:
                raise RuntimeError("the FastMCP peer exited; see its log")
            try:
                if http("POST", fastmcp_url, b"{}", {"Content-Type": "application/json"})[0] == 401:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        for _ in range(600):
            if fastmcp_plain.poll() is not None:
                raise RuntimeError("the unprotected FastMCP peer exited; see its log")
            try:
                http("POST", fastmcp_plain_url, b"{}", {"Content-Type": "application/json"})
                break
            except OSError:
                time.sleep(0.1)
        wait_ready(f"http://127.0.0.1:{ports['proxy']}/.well-known/oauth-protected-resource/mcp",
                   process=proxy)
        sdk_metadata = json.loads(http("GET", f"{sdk}/.well-known/oauth-authorization-server")[2])

        # Access tokens for the MCP servers: seeded codes redeemed through the real token endpoint.
        def one_code(db, resource):
            path = self.seed_latchkey("codes", 1, db, resource)
            with open(path) as handle:
                line = handle.readline()
            os.unlink(path)
            return line

        notes_token = self.redeem_token(token_url, one_code(database, notes_url), notes_url)
        quiet_token = self.redeem_token(token_url, one_code(database, quiet_url), quiet_url)
        fastmcp_token = self.redeem_token(token_url, one_code(database, fastmcp_url), fastmcp_url)
        demo_token = self.redeem_token(
            f"{demo_issuer}/token", one_code(os.path.join(demo_dir, "latchkey.sqlite"), demo_url),
            demo_url)
        proxy_token = self.redeem_token(token_url, one_code(database, proxy_url), proxy_url)
        call_connections = o.call_connections
        notes_sessions = self.open_sessions(notes_url, notes_token, min(call_connections, 32))
        quiet_sessions = self.open_sessions(quiet_url, quiet_token, min(call_connections, 32))
        plain_sessions = self.open_sessions(plain_url, None, min(call_connections, 32))
        demo_sessions = self.open_sessions(demo_url, demo_token, min(call_connections, 32))
        fastmcp_sessions = self.open_sessions(fastmcp_url, fastmcp_token, min(call_connections, 32))
        fastmcp_plain_sessions = self.open_sessions(
            fastmcp_plain_url, None, min(call_connections, 32))
        proxy_sessions = self.open_sessions(proxy_url, proxy_token, min(call_connections, 32))

        ours = lambda kind, count, resource=notes_url: self.seed_latchkey(
            kind, count, database, resource)
        theirs = lambda kind, count, resource=notes_url: self.seed_peer(sdk, kind, count, resource)
        theirs_plain = lambda kind, count, resource=notes_url: self.seed_peer(
            sdk_plain, kind, count, resource)

        for run in range(1, o.runs + 1):
            log(f"HTTP run {run}/{o.runs}")
            for target, url in (
                ("latchkey.discovery", f"{issuer}/.well-known/oauth-authorization-server"),
                ("latchkey.jwks", jwks_url),
                ("sdk.discovery", f"{sdk}/.well-known/oauth-authorization-server"),
                ("hummingbird.hello", f"http://127.0.0.1:{ports['hello']}/hello"),
            ):
                self.measure(target, run, url, "get.lua", [200], o.get_connections)
            self.measure("latchkey.registration", run, register_url, "register.lua", [201],
                         o.register_connections)
            self.measure("sdk.registration", run, sdk_metadata["registration_endpoint"],
                         "register.lua", [201], o.register_connections)
            for kind, name in (("codes", "token_code"), ("refresh", "token_refresh")):
                for server, url, seeder in (
                    ("latchkey", token_url, ours),
                    ("sdk", sdk_metadata["token_endpoint"], theirs),
                    ("sdk_plain", f"{sdk_plain}/token", theirs_plain),
                ):
                    peak = 0
                    process = {"latchkey": serve, "sdk": peer_as}.get(server, peer_as_plain)
                    for level in o.levels:
                        result = self.token_measurement(
                            f"{server}.{name}", run, url, kind, level, seeder, notes_url,
                            server=process)
                        peak = max(peak, result["rps"])
                    if server == "latchkey":
                        self.half_rate(
                            f"{server}.{name}_half_peak", run, url, kind, peak, seeder, notes_url,
                            server=process)
                        self.half_rate(
                            f"{server}.{name}_half_peak_exponential", run, url, kind, peak,
                            seeder, notes_url, pause="exponential", server=process)
            for level in o.levels:
                self.measure("latchkey.token_client_credentials", run, token_url,
                             "token_client_credentials.lua", [200, machine_basic, notes_url],
                             level)
            serve_load_ended = time.monotonic()
            self.measure("latchkey.unauthorized", run, notes_url, "mcp_call.lua",
                         ["-", "list_notes", 401], o.get_connections)
            self.measure("fastmcp.unauthorized", run, fastmcp_url, "mcp_call.lua",
                         ["-", "list_notes", 401], o.get_connections)
            # The three notes variants back to back in rounds, in a rotating order so none
            # always runs first: the protected/unprotected ratio is judged per round (the
            # machine's speed drifts between rounds more than the middleware costs), and each
            # phase records the server's CPU time per call.
            variants = [
                ("latchkey.tools_call_unprotected", plain_url, "-", plain_sessions, plain),
                ("latchkey.tools_call_protected", notes_url, notes_token, notes_sessions, notes),
                ("latchkey.tools_call_protected_no_audit", quiet_url, quiet_token, quiet_sessions,
                 quiet),
            ]
            for pair in range(o.call_rounds):
                shift = ((run - 1) * o.call_rounds + pair) % len(variants)
                for target, url, token, sessions, server in variants[shift:] + variants[:shift]:
                    self.measure_calls(target, run, url, token, sessions, server,
                                       call_connections, pair + 1)
            self.measure_calls("latchkey.tools_call_demo", run, demo_url, demo_token,
                               demo_sessions, demo, call_connections, 1)
            self.measure_calls("fastmcp.tools_call_protected", run, fastmcp_url, fastmcp_token,
                               fastmcp_sessions, peer_mcp, call_connections, 1)
            # FastMCP direct and through `latchkey proxy`, back to back in rounds (rotating
            # which goes first): throughput at the tools/call concurrency, and latency with one
            # connection (where p50 is the request's own time, not queueing).
            proxy_variants = [
                ("fastmcp.tools_call_direct", fastmcp_plain_url, "-", fastmcp_plain_sessions,
                 fastmcp_plain),
                ("latchkey.proxy_tools_call", proxy_url, proxy_token, proxy_sessions, proxy),
            ]
            for pair in range(o.call_rounds):
                shift = ((run - 1) * o.call_rounds + pair) % len(proxy_variants)
                for target, url, token, sessions, server in (
                        proxy_variants[shift:] + proxy_variants[:shift]):
                    self.measure_calls(target, run, url, token, sessions, server,
                                       call_connections, pair + 1)
                for target, url, token, sessions, server in (
                        proxy_variants[shift:] + proxy_variants[:shift]):
                    self.measure_calls(target + "_1conn", run, url, token, sessions[:1], server,
                                       1, pair + 1)
        self.record("latchkey.serve_rss_after_load", 0, rss_kb=rss_kb(serve.pid))
        self.record("sdk.rss_after_load", 0, rss_kb=rss_kb(peer_as.pid))
        self.record("fastmcp.rss_after_load", 0, rss_kb=rss_kb(peer_mcp.pid))
        # Peak RSS of the serve process over the whole bench (every token run at 64 connections
        # included), then its RSS once the load has been gone for `settle_seconds` (the phases
        # after its last request count towards the wait), against its own idle RSS.
        self.record("latchkey.serve_rss_peak", 0, rss_hwm_kb=rss_kb(serve.pid, "VmHWM"))
        for process in list(self.servers.processes):
            if process is not serve:
                self.servers.stop(process)
        waited = time.monotonic() - serve_load_ended
        if waited < o.settle_seconds:
            time.sleep(o.settle_seconds - waited)
        self.record("latchkey.serve_rss_settled", 0, idle_rss_kb=serve_idle_kb,
                    rss_kb=rss_kb(serve.pid), seconds_after_load=round(
                        time.monotonic() - serve_load_ended, 1),
                    idle_anon_kb=serve_idle_split[0], idle_file_kb=serve_idle_split[1],
                    anon_kb=rss_kb(serve.pid, "RssAnon"), file_kb=rss_kb(serve.pid, "RssFile"))
        self.servers.stop_all()

    def memory_and_readiness(self, latchkey, port):
        """Idle RSS, RSS holding 1,000 keep-alive connections, and start → first /healthz 200
        (median of several starts on an existing database) of `latchkey serve`."""
        log("memory and readiness of latchkey serve")
        o = self.options
        database = os.path.join(self.work, "memory.sqlite")
        config = os.path.join(self.work, "memory.json")
        self.latchkey_config(config, port, database, [f"http://127.0.0.1:{port + 1}/mcp"])
        subprocess.run([latchkey, "migrate", "--database", database], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/healthz"
        for run in range(1, o.ready_starts + 2):
            started = time.monotonic()
            serve = self.servers.start("memory-serve", [latchkey, "serve", "--config", config])
            waited = wait_ready(url, process=serve, interval=0.002)
            ready_ms = (time.monotonic() - started) * 1000
            if run == 1:
                # First start creates the signing key: reported apart from the warm starts.
                self.record("latchkey.ready_first_start", 0, ready_ms=round(ready_ms, 1))
                time.sleep(2)
                idle = rss_kb(serve.pid)
                idle_anon, idle_file = rss_kb(serve.pid, "RssAnon"), rss_kb(serve.pid, "RssFile")
                idle_by_file = rss_by_file(serve.pid)
                holder = subprocess.Popen(
                    [self.python, os.path.join(HERE, "hold_connections.py"), "127.0.0.1",
                     str(port), "/healthz", str(o.connections_held), "120"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                line = holder.stdout.readline().strip()
                time.sleep(1)
                held = rss_kb(serve.pid)
                holder.stdin.close()
                holder.wait(timeout=30)
                if line != f"ready {o.connections_held}":
                    raise RuntimeError(f"holding connections failed: {line!r}")
                self.record("latchkey.memory", 0, idle_rss_kb=idle, idle_anon_kb=idle_anon,
                            idle_file_kb=idle_file, idle_by_file=idle_by_file, rss_held_kb=held,
                            connections=o.connections_held)
            else:
                self.record("latchkey.ready", run - 1, ready_ms=round(ready_ms, 1))
            self.servers.stop(serve)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=2,
                        help="wrk phase of the token endpoint and tools/call")
    parser.add_argument("--short-seconds", type=int, default=1,
                        help="wrk phase of discovery, JWKS, registration and the 401 path")
    parser.add_argument("--levels", default="4,16,64")
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    options.levels = [int(level) for level in options.levels.split(",")]
    options.get_connections = 64
    options.register_connections = 16
    options.call_connections = 32
    options.call_rounds = 1 if options.quick else 2
    options.connections_held = 1000
    options.ready_starts = 5
    options.first_guess = 4000
    # How long after its last request the serve process's RSS is compared with its idle RSS.
    options.settle_seconds = 60
    if options.quick:
        options.ready_starts = 3
        options.settle_seconds = 15
    bench = Bench(options)
    try:
        bench.run()
    finally:
        bench.servers.stop_all()
        shutil.rmtree(bench.work, ignore_errors=True)


if __name__ == "__main__":
    main()
