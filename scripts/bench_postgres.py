#!/usr/bin/env python3
"""Token-endpoint throughput on PostgreSQL vs SQLite (python3 standard library only).

Run by scripts/bench-postgres with a release `latchkey` and a throwaway PostgreSQL cluster.
Scenarios: SQLite with one instance, PostgreSQL with one instance, PostgreSQL with two
instances behind a client-side round robin. The load is the `refresh_token` grant (one
rotation per request: the token endpoint's write path), from CONCURRENCY keep-alive
connections each holding its own refresh-token chain; then (`_code` scenarios, on a fresh
database) the `authorization_code` grant, redeeming codes made beforehand through the real
`/authorize` login and consent. For each scenario: requests per second
and the CPU seconds per request spent in latchkey and in PostgreSQL, read from
/proc/<pid>/stat (utime + stime, and the postmaster's children) before and after the window.
Prints one JSON object per scenario.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_test  # noqa: E402
from crash_test import Client, free_port  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid, children=False):
    """utime + stime of a process (plus reaped children's when asked), in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total = int(fields[11]) + int(fields[12])
    if children:
        total += int(fields[13]) + int(fields[14])
    return total / TICKS


def postgres_cpu(postmaster):
    """The postmaster, its live children, and the children it reaped."""
    total = cpu_seconds(postmaster, children=True)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


class Worker(threading.Thread):
    """One keep-alive connection: rotating its own refresh-token chain, or (with `codes`, a
    shared list of (code, verifier) pairs made beforehand) redeeming codes."""

    def __init__(self, port, token, stop, counting, codes=None):
        super().__init__(daemon=True)
        self.port = port
        self.token = token
        self.stop = stop
        self.counting = counting
        self.codes = codes
        self.ok = 0
        self.errors = 0
        self.exhausted = False
        self.latencies = []

    def next_body(self):
        if self.codes is None:
            return urllib.parse.urlencode({
                "grant_type": "refresh_token", "refresh_token": self.token,
                "client_id": crash_test.CLIENT_ID})
        try:
            code, verifier = self.codes.pop()
        except IndexError:
            return None
        return urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
            "client_id": crash_test.CLIENT_ID, "redirect_uri": crash_test.REDIRECT_URI,
            "resource": crash_test.RESOURCE})

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self.stop.is_set():
            body = self.next_body()
            if body is None:
                self.exhausted = True
                break
            started = time.perf_counter()
            try:
                conn.request("POST", "/token", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded"})
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                self.errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            if response.status != 200:
                self.errors += 1
                continue
            if self.codes is None:
                self.token = json.loads(data)["refresh_token"]
            if self.counting.is_set():
                self.ok += 1
                self.latencies.append(time.perf_counter() - started)
        conn.close()


def write_transactions(psql, database):
    """Transaction ids assigned so far in the cluster (only writing transactions get one): the
    id `pg_current_xact_id()` itself takes."""
    if not psql or not database:
        return None
    out = subprocess.run(f"{psql} -d {database} -c 'SELECT pg_current_xact_id()'", shell=True,
                         check=True, capture_output=True, text=True).stdout.strip()
    return int(out)


def make_codes(port, count, threads=4):
    """`count` (code, verifier) pairs through the real front channel (login once per thread,
    then consent is remembered): the codes a code-redemption run redeems."""
    codes, lock = [], threading.Lock()

    def make(share):
        client = Client(port)
        made = [client.authorize() for _ in range(share)]
        with lock:
            codes.extend(made)

    workers = [threading.Thread(target=make, args=(count // threads + 1,))
               for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return codes


def scenario(name, binary, database_config, instances, postmaster, seconds, concurrency,
             work, psql=None, database_name=None, grant="refresh", codes_per_second=0):
    ports = [free_port() for _ in range(instances)]
    config = os.path.join(work, f"{name}.json")
    settings = {
        "issuer": f"http://127.0.0.1:{ports[0]}", "host": "127.0.0.1",
        "password_hash_log_n": 10,
        "tokens": {"refresh_grace_window": 0, "authorization_code": 3600},
        "resources": [{
            "url": crash_test.RESOURCE, "name": "Notes",
            "scopes": [{"name": "notes:read", "description": "Read"}],
            "default_scopes": ["notes:read"]}],
    }
    settings.update(database_config)
    with open(config, "w") as f:
        json.dump(settings, f)
    common = ["--config", config]
    subprocess.run([binary, "migrate", *common], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "client", "add", *common, "--name", "Bench", "--id",
                    crash_test.CLIENT_ID, "--redirect-uri", crash_test.REDIRECT_URI],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "user", "add", crash_test.USERNAME, *common, "--password-stdin"],
                   input=crash_test.PASSWORD.encode(), check=True, stdout=subprocess.DEVNULL)
    log = open(os.path.join(work, f"{name}.log"), "wb")
    servers = []
    for port in ports:
        process = subprocess.Popen([binary, "serve", *common, "--port", str(port)],
                                   stdout=log, stderr=log)
        servers.append(process)
    for port in ports:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if Client(port).request("GET", "/jwks.json")[0] == 200:
                    break
            except crash_test.ServerDown:
                time.sleep(0.1)
    try:
        client = Client(ports[0])
        tokens = []
        for _ in range(concurrency):
            code, verifier = client.authorize()
            status, body = client.redeem(code, verifier)
            assert status == 200, body
            tokens.append(body["refresh_token"])
        codes = None
        if grant == "code":
            # Enough for the warm-up and the window at the rate guessed from the refresh run.
            codes = make_codes(ports[0], int(codes_per_second * (seconds + 3)) + 200)
        stop, counting = threading.Event(), threading.Event()
        workers = [Worker(ports[i % instances], token, stop, counting, codes)
                   for i, token in enumerate(tokens)]
        for worker in workers:
            worker.start()
        time.sleep(2)  # warm-up: pools filled, caches hot
        lk_before = sum(cpu_seconds(p.pid) for p in servers)
        pg_before = postgres_cpu(postmaster) if postmaster else 0.0
        xid_before = write_transactions(psql, database_name)
        started = time.perf_counter()
        counting.set()
        time.sleep(seconds)
        counting.clear()
        elapsed = time.perf_counter() - started
        lk_after = sum(cpu_seconds(p.pid) for p in servers)
        pg_after = postgres_cpu(postmaster) if postmaster else 0.0
        xid_after = write_transactions(psql, database_name)
        stop.set()
        for worker in workers:
            worker.join()
        # Requests answered in the window: the workers count only those finished before
        # `counting` was cleared; a few more may have committed, so the commits per request
        # are an upper bound.
        requests = sum(w.ok for w in workers)
        errors = sum(w.errors for w in workers)
        latencies = sorted(x for w in workers for x in w.latencies)
        p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0
        p99 = latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0
        return {
            "scenario": name, "grant": grant, "instances": instances,
            "concurrency": concurrency, "exhausted": any(w.exhausted for w in workers),
            "seconds": round(elapsed, 2), "requests": requests, "errors": errors,
            "rps": round(requests / elapsed, 1), "p50_ms": round(p50, 2),
            "p99_ms": round(p99, 2),
            "latchkey_cpu_ms_per_request": round((lk_after - lk_before) / max(requests, 1) * 1000,
                                                 3),
            "postgres_cpu_ms_per_request": round((pg_after - pg_before) / max(requests, 1) * 1000,
                                                 3) if postmaster else None,
            "write_transactions_per_request": round(
                (xid_after - xid_before - 1) / max(requests, 1), 2)
            if xid_before is not None else None,
        }
    finally:
        for process in servers:
            process.terminate()
            process.wait()
        log.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--url-base", required=True, help="postgres://user@host:port")
    parser.add_argument("--postmaster", type=int, required=True)
    parser.add_argument("--createdb", required=True, help="command prefix creating a database")
    parser.add_argument("--psql", help="command prefix running psql -At (write transactions)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--output", help="write the markdown report here")
    parser.add_argument("--build", default="release", help="how --binary was built (report)")
    args = parser.parse_args()
    load_before = open("/proc/loadavg").read().split()[0]
    work = tempfile.mkdtemp(prefix="latchkey-bench-pg-")
    runs = [
        ("sqlite_1", {"database_path": os.path.join(work, "latchkey.sqlite")}, 1, None),
        ("postgres_1", "latchkey_bench_1", 1, args.postmaster),
        ("postgres_2", "latchkey_bench_2", 2, args.postmaster),
    ]
    results = []
    for name, database, instances, postmaster in runs:
        database_name = None
        if isinstance(database, str):
            subprocess.run(f"{args.createdb} {database}", shell=True, check=True)
            database_name = database
            database = {"database": {"url": f"{args.url_base}/{database}", "tls": "disable",
                                     "pool_size": 10}}
        result = scenario(name, args.binary, database, instances, postmaster, args.seconds,
                          args.concurrency, work, args.psql, database_name)
        print(json.dumps(result), flush=True)
        results.append(result)
        # Code redemption on a database of its own, codes made at 1.5x the refresh rate.
        if database_name:
            subprocess.run(f"{args.createdb} {database_name}_code", shell=True, check=True)
            code_database = {"database": {**database["database"],
                                          "url": f"{args.url_base}/{database_name}_code"}}
        else:
            code_database = {"database_path": os.path.join(work, "latchkey-code.sqlite")}
        result = scenario(name + "_code", args.binary, code_database, instances, postmaster,
                          args.seconds, args.concurrency, work, args.psql,
                          database_name and database_name + "_code", grant="code",
                          codes_per_second=1.5 * result["rps"])
        print(json.dumps(result), flush=True)
        results.append(result)
    subprocess.run(["rm", "-rf", work])
    load_after = open("/proc/loadavg").read().split()[0]
    if args.output:
        with open(args.output, "w") as f:
            f.write(report(results, load_before, load_after, args.seconds, args.concurrency,
                           args.build))


def report(results, load_before, load_after, seconds, concurrency, build="release"):
    """docs/benchmarks-postgres.md from the scenario results."""
    by = {r["scenario"]: r for r in results}
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [
        "# Benchmarks: PostgreSQL store",
        "",
        "Written by `scripts/bench --postgres` (`scripts/bench-postgres`); do not edit by hand. "
        "Linked from [benchmarks.md](benchmarks.md) and [deployment.md](deployment.md).",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}); PostgreSQL from Debian on a throwaway "
        "cluster on the same machine (default durability: `fsync` and `synchronous_commit` on), "
        f"{build} build of `latchkey`"
        + (" (**not** release: latchkey's CPU per request is inflated by the unoptimized build; "
           "PostgreSQL's is not affected)" if build != "release" else "")
        + ". Load: the `refresh_token` grant (one rotation per request: the "
        f"token endpoint's write path) from {concurrency} keep-alive connections, each rotating "
        f"its own chain, for {seconds:g} s after a 2 s warm-up; then, on a fresh database, the "
        "`authorization_code` grant the same way (`_code` rows: each request redeems a code "
        "made beforehand through `/authorize` with login and consent); the Python load "
        "generator runs "
        "on the same 2 cores, so requests per second understate what a dedicated server does. "
        "CPU per request is read from `/proc/<pid>/stat` (utime + stime) of the latchkey "
        "processes and of the postmaster with all its backends.",
        "",
        f"Load average (1 min) before / after the run: {load_before} / {load_after}"
        + (" — other builds were running on this shared machine; treat the throughput as a "
           "lower bound and the CPU-per-request figures as the portable result."
           if max(float(load_before), float(load_after)) > 1.5 else "."),
        "",
        "| scenario | grant | instances | requests/s | p50 ms | p99 ms | "
        "latchkey CPU ms/request | PostgreSQL CPU ms/request | write transactions/request | "
        "errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        pg = "—" if r["postgres_cpu_ms_per_request"] is None else \
            f"{r['postgres_cpu_ms_per_request']:.3f}"
        lines.append(
            f"| {r['scenario']} | {r.get('grant', 'refresh')}"
            f"{' (codes ran out)' if r.get('exhausted') else ''} | {r['instances']} | "
            f"{r['rps']:.0f} | {r['p50_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | {r['latchkey_cpu_ms_per_request']:.3f} | {pg} | "
            f"{'—' if r.get('write_transactions_per_request') is None else r['write_transactions_per_request']:} | "
            f"{r['errors']} |")
    pg1, pg2 = by.get("postgres_1"), by.get("postgres_2")
    code1, code2 = by.get("postgres_1_code"), by.get("postgres_2_code")
    codes = [r for r in (code1, code2) if r]
    code_db_ms = max((r["postgres_cpu_ms_per_request"] for r in codes), default=None)
    code_lk_ms = max((r["latchkey_cpu_ms_per_request"] for r in codes), default=None)
    if pg1 and pg2:
        db_ms = max(pg1["postgres_cpu_ms_per_request"], pg2["postgres_cpu_ms_per_request"])
        lk_ms = max(pg1["latchkey_cpu_ms_per_request"], pg2["latchkey_cpu_ms_per_request"])
        # Sizing from the dearer grant of the two.
        size_db = max(db_ms, code_db_ms or 0)
        size_lk = max(lk_ms, code_lk_ms or 0)
        per_core_db = 1000 / size_db if size_db else 0
        per_core_lk = 1000 / size_lk if size_lk else 0
        lines += [
            "",
            "## What one PostgreSQL server carries",
            "",
            f"Measured cost of one refresh on PostgreSQL: **{db_ms:.3f} ms of database CPU** "
            f"and **{lk_ms:.3f} ms of latchkey CPU** (the larger of the one- and two-instance "
            "runs)"
            + (f"; of one code redemption: **{code_db_ms:.3f} ms** and **{code_lk_ms:.3f} ms**"
               if code_db_ms is not None else "")
            + ". Planning from the dearer of the two, at 70 % CPU on both tiers:",
            "",
            "| PostgreSQL cores | token requests/s the database carries | latchkey cores "
            "to feed it | e.g. instances of 2 cores |",
            "|---|---|---|---|",
        ]
        for cores in (2, 4, 8, 16):
            rps = 0.7 * cores * per_core_db
            lk_cores = rps / (0.7 * per_core_lk) if per_core_lk else 0
            lines.append(f"| {cores} | {rps:,.0f} | {lk_cores:.1f} | "
                         f"{max(1, -(-lk_cores // 2)):.0f} |")
        lines += [
            "",
            "CPU is the limit measured here; with `fsync` on, a disk with slow flushes limits "
            "commits first (each token request commits once: the rotation with its audit record "
            "in the same transaction, as the *write transactions/request* column shows; "
            "PostgreSQL's group commit merges concurrent flushes). A refresh takes 3 round trips "
            "and no BEGIN/COMMIT: the client read, the token with its grant read without locks, "
            "and one statement of data-modifying CTEs that share-locks the grant, marks the "
            "token rotated only if it is still unrotated and unrevoked, and inserts the "
            "successor and the audit event with the mark; a code redemption likewise (the "
            "client read, the code with its grant, one statement consuming the code with the "
            "first refresh token and the audit event). A row changed between the read and the "
            "write (a concurrent rotation, redemption or revocation) falls back to the locked "
            "transaction of 6 round trips. The token endpoint's statements are prepared once "
            "per connection. Connections: each "
            "instance opens up to `database.pool_size` (default 10).",
            "",
            "## Goals of issue 26",
            "",
            "| goal | measured | result |",
            "|---|---|---|",
            f"| ≤ 0.5 ms PostgreSQL CPU per refresh | {db_ms:.3f} ms | "
            f"{'met' if db_ms <= 0.5 else 'not met'} |",
            f"| ≤ 0.5 ms latchkey CPU per refresh | {lk_ms:.3f} ms | "
            f"{'met' if lk_ms <= 0.5 else 'not met'} |",
        ]
        if code_db_ms is not None:
            lines += [
                f"| ≤ 0.5 ms PostgreSQL CPU per code redemption | {code_db_ms:.3f} ms | "
                f"{'met' if code_db_ms <= 0.5 else 'not met'} |",
                f"| ≤ 0.5 ms latchkey CPU per code redemption | {code_lk_ms:.3f} ms | "
                f"{'met' if code_lk_ms <= 0.5 else 'not met'} |",
            ]
        else:
            lines.append("| … per code redemption | not measured | not measured |")
        commits = [r.get("write_transactions_per_request") for r in (pg1, pg2, *codes)]
        if all(c is not None for c in commits):
            worst = max(commits)
            lines.append(
                f"| one commit per token request | {worst:.2f} write transactions per request "
                f"(≤ 1.05 counts as one: requests in flight at the window's edges) | "
                f"{'met' if worst <= 1.05 else 'not met'} |")
        if build != "release":
            lines += [
                "",
                f"The latchkey columns come from a **{build}** build and overstate the latchkey "
                "tier several-fold; rerun `scripts/bench --postgres` (release) before sizing it. "
                "The PostgreSQL columns do not depend on how latchkey was built.",
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
