#!/usr/bin/env python3
"""`latchkey proxy` A/B: two builds in front of one FastMCP server, in alternating rounds.

Usage (from the repository root, after `scripts/bench` made .bench/venv):
  .bench/venv/bin/python scripts/benchmarks/proxy_ab.py BIN_A BIN_B [ROUNDS]

BIN_A and BIN_B are directories holding a `latchkey` binary (BIN_A also `latchkey-bench`,
for seeding). One `latchkey serve` issues the tokens; the FastMCP peer without auth is the
upstream of both proxies and is also called directly (D). Each round measures D, A and B
(order alternating between rounds, as the issue asks for small changes): `tools/call
list_notes` at 32 connections (throughput and the proxy's CPU per call) and at one
connection (p50: a request's own time). Prints the medians, the throughput ratio to D and
the p50 each proxy adds. How the 2026-12-07 proxy changes were measured
(docs/benchmark-changes.md).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import driver  # noqa: E402
from driver import Bench, free_port, http, wait_ready  # noqa: E402


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    bin_a, bin_b = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    out = tempfile.mkdtemp(prefix="latchkey-proxy-ab-")
    bench = Bench(types.SimpleNamespace(bin=bin_a, out=out, seconds=2, short_seconds=1,
                                        levels=[32], quick=True))
    try:
        run(bench, bin_a, bin_b, rounds)
    finally:
        bench.servers.stop_all()


def run(bench, bin_a, bin_b, rounds):
    ports = {name: free_port() for name in ("as", "upstream", "A", "B")}
    issuer = f"http://127.0.0.1:{ports['as']}"
    urls = {"D": f"http://127.0.0.1:{ports['upstream']}/mcp",
            "A": f"http://127.0.0.1:{ports['A']}/mcp", "B": f"http://127.0.0.1:{ports['B']}/mcp"}
    database = os.path.join(bench.work, "latchkey.sqlite")
    config = os.path.join(bench.work, "latchkey.json")
    bench.latchkey_config(config, ports["as"], database, [urls["A"], urls["B"]])
    latchkey = os.path.join(bin_a, "latchkey")
    subprocess.run([latchkey, "migrate", "--database", database], check=True,
                   stdout=subprocess.DEVNULL)
    serve = bench.servers.start("latchkey-serve", [latchkey, "serve", "--config", config])
    wait_ready(f"{issuer}/healthz", process=serve)
    servers = {"D": bench.servers.start("fastmcp", [
        bench.python, os.path.join(driver.HERE, "peer_fastmcp.py"), ports["upstream"], "-", "-"])}
    for name, binary in (("A", bin_a), ("B", bin_b)):
        servers[name] = bench.servers.start(f"proxy-{name}", [
            os.path.join(binary, "latchkey"), "proxy", "--listen", f"127.0.0.1:{ports[name]}",
            "--upstream", urls["D"], "--resource", urls[name], "--issuer", issuer, "--scopes",
            "notes:read", "--tool-calls-per-minute", "0"])
    for _ in range(600):
        try:
            http("POST", urls["D"], b"{}", {"Content-Type": "application/json"})
            break
        except OSError:
            time.sleep(0.1)
    for name in "AB":
        wait_ready(urls[name].replace("/mcp", "/.well-known/oauth-protected-resource/mcp"),
                   process=servers[name])

    def token(resource):
        path = bench.seed_latchkey("codes", 1, database, resource)
        with open(path) as handle:
            line = handle.readline()
        os.unlink(path)
        return bench.redeem_token(f"{issuer}/token", line, resource)

    tokens = {"D": "-", "A": token(urls["A"]), "B": token(urls["B"])}
    sessions = {name: bench.open_sessions(urls[name], None if name == "D" else tokens[name], 32)
                for name in "DAB"}
    results = {name: {"rps": [], "cpu": [], "cpu1": [], "p50": []} for name in "DAB"}
    for index in range(rounds):
        for name in ("DAB" if index % 2 == 0 else "BAD"):
            for connections in (32, 1):
                process = servers[name]
                before = driver.cpu_seconds(process.pid)
                result = bench.wrk(urls[name], "mcp_call.lua",
                                   [tokens[name], "list_notes", 200,
                                    *sessions[name][:connections]], connections)
                cpu = (driver.cpu_seconds(process.pid) - before) / max(result["requests"], 1)
                if connections == 32:
                    results[name]["rps"].append(result["rps"])
                    results[name]["cpu"].append(cpu * 1e6)
                else:
                    results[name]["p50"].append(result["p50_us"])
                    results[name]["cpu1"].append(cpu * 1e6)
    median = {name: {key: statistics.median(values) for key, values in series.items()}
              for name, series in results.items()}
    print(f"medians of {rounds} rounds (CPU µs per call is the measured process's own)")
    for name, label in (("D", "FastMCP direct"), ("A", "proxy A"), ("B", "proxy B")):
        m = median[name]
        line = (f"{label:15} {m['rps']:8.1f} calls/s  CPU {m['cpu']:7.1f} µs (32 conns), "
                f"{m['cpu1']:7.1f} µs (1 conn)  p50 {m['p50']:7.0f} µs")
        if name != "D":
            line += (f"  vs direct {m['rps'] / median['D']['rps']:.1%}"
                     f"  added p50 {m['p50'] - median['D']['p50']:.0f} µs")
        print(line)


if __name__ == "__main__":
    main()
