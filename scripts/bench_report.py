"""Turns the raw outputs of scripts/bench into docs/benchmarks.md (stdout)."""
import glob
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone

out, runs = sys.argv[1], int(sys.argv[2])


def command_output(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "not found"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# openssl speed -mr: +F4:n:bits:sign/s:verify/s (ECDSA), +F6:n:bits:name:sign/s:verify/s (EdDSA)
openssl = {"ecdsap256_sign": [], "ecdsap256_verify": [], "ed25519_sign": [], "ed25519_verify": []}
for path in sorted(glob.glob(os.path.join(out, "openssl-*.txt"))):
    with open(path) as handle:
        for line in handle:
            fields = line.strip().split(":")
            if fields[0] == "+F4" and fields[2] == "256":
                openssl["ecdsap256_sign"].append(float(fields[3]))
                openssl["ecdsap256_verify"].append(float(fields[4]))
            elif fields[0] == "+F6" and fields[3] == "Ed25519":
                openssl["ed25519_sign"].append(float(fields[4]))
                openssl["ed25519_verify"].append(float(fields[5]))

ours = {}
for path in sorted(glob.glob(os.path.join(out, "latchkey-*.jsonl"))):
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if not line.startswith("{"):
                continue
            record = json.loads(line)
            ours.setdefault(f'{record["suite"]}.{record["name"]}', []).append(record["ops_per_sec"])


def median(values):
    return statistics.median(values) if values else float("nan")


def fmt(value):
    return f"{value:,.0f}"


def row(label, key, peer_key=None, goal=None):
    value = median(ours.get(key, []))
    if peer_key is None:
        return f"| {label} | {fmt(value)} | – | – | – |"
    peer = median(openssl[peer_key])
    ratio = value / peer if peer else float("nan")
    verdict = "–" if goal is None else ("met" if ratio >= goal else "not met")
    goal_text = "" if goal is None else f" (goal ≥ {goal:.0%}: {verdict})"
    return f"| {label} | {fmt(value)} | {fmt(peer)} | {ratio:.0%}{goal_text} | {len(ours.get(key, []))} |"


lines = [
    "# Benchmarks",
    "",
    "Written by `scripts/bench`; do not edit by hand. Every figure is the median of "
    f"{runs} runs measured in one invocation on this machine, release build, one thread "
    "unless stated.",
    "",
    "The PostgreSQL store (token endpoint on PostgreSQL vs SQLite, one and two instances, CPU "
    "per request) is measured by `scripts/bench --postgres`: "
    "[benchmarks-postgres.md](benchmarks-postgres.md).",
    "",
    f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
    f"- Machine: {os.cpu_count()} cores, {cpu_model()}",
    f"- Swift: {command_output(['swift', '--version']).splitlines()[0] if command_output(['swift', '--version']) else 'unknown'}",
    f"- OpenSSL: {command_output(['openssl', 'version'])}",
    f"- SQLite: {command_output(['sqlite3', '--version']).split(' ')[0] or 'library from libsqlite3-dev'}",
    "",
    "## JWT signing and verification (LatchkeyJOSE) next to `openssl speed`",
    "",
    "`*_jwt_sign` is a whole RFC 9068 access token: claims JSON, header, base64url and signature. "
    "`*_jwt_verify` includes parsing and claim validation. The peer is the raw signature rate "
    "of `openssl speed ecdsap256 ed25519` (same library, no JWT work): the ceiling.",
    "",
    "| operation | Latchkey ops/s | openssl speed ops/s | ratio | runs |",
    "|---|--:|--:|--:|--:|",
    row("ES256 raw sign", "jose.es256_sign", "ecdsap256_sign"),
    row("ES256 JWT sign + encode", "jose.es256_jwt_sign", "ecdsap256_sign", goal=0.70),
    row("ES256 raw verify", "jose.es256_verify", "ecdsap256_verify"),
    row("ES256 JWT verify + validate", "jose.es256_jwt_verify", "ecdsap256_verify"),
    row("EdDSA raw sign", "jose.eddsa_sign", "ed25519_sign"),
    row("EdDSA JWT sign + encode", "jose.eddsa_jwt_sign", "ed25519_sign"),
    row("EdDSA raw verify", "jose.eddsa_verify", "ed25519_verify"),
    row("EdDSA JWT verify + validate", "jose.eddsa_jwt_verify", "ed25519_verify"),
    row("RS256 JWT sign + encode", "jose.rs256_jwt_sign"),
    row("RS256 JWT verify + validate", "jose.rs256_jwt_verify"),
    row("SHA-256 of 32 bytes", "jose.sha256_32B"),
    "",
    "## SQLite single-row write transactions (LatchkeySQLite)",
    "",
    "The token endpoint lives under these: redeeming a code is one `redeemCode` transaction "
    "(consume + first refresh token, measured here as `consumeCode`) plus one audit append; a "
    "refresh is one `rotateRefreshToken` plus one audit append. `raw_grdb_sync_insert` is the ceiling: one INSERT per transaction through GRDB "
    "with nothing else. `synchronous=FULL` fsyncs every commit (durable across power loss); "
    "`NORMAL` in WAL mode is durable across process crashes only (docs/storage.md).",
    "",
    "| operation | FULL ops/s | NORMAL ops/s |",
    "|---|--:|--:|",
]
for name in ["raw_grdb_sync_insert", "sqlite_issue_code", "sqlite_consume_code",
             "sqlite_consume_code_8_tasks", "sqlite_rotate_refresh_token"]:
    full = median(ours.get(f"store.{name}", []))
    normal = median(ours.get(f"store.{name}_sync_normal", []))
    lines.append(f"| {name} | {fmt(full)} | {fmt(normal)} |")
mcp = {}
for path in sorted(glob.glob(os.path.join(out, "latchkey-*.jsonl"))):
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("{") and '"suite":"mcp"' in line:
                record = json.loads(line)
                mcp.setdefault(record["name"], []).append(record)


def mcp_row(label, name, goal_us):
    records = mcp.get(name, [])
    if not records:
        return f"| {label} | – | – | – | not measured |"
    p50 = median([r["p50_us"] for r in records])
    p99 = median([r["p99_us"] for r in records])
    rate = median([r["ops_per_sec"] for r in records])
    verdict = "met" if p50 <= goal_us else "not met"
    return f"| {label} | {p50:.1f} | {p99:.1f} | {fmt(rate)} | ≤ {goal_us} µs: {verdict} |"


lines += [
    "",
    "## MCP middleware: added cost per protected request (LatchkeyMCP)",
    "",
    "`ResourceServerAuthorizer.authorize` on a `tools/call` body: Bearer parsing, token "
    "verification, JSON-RPC peek, scope policy (rate limit off). Warm: the token is in the "
    "verified-token cache. Cold: every request carries a fresh token (one ES256 verification "
    "plus claim checks). One task, sequential calls.",
    "",
    "| path | p50 µs | p99 µs | calls/s | goal (p50) |",
    "|---|--:|--:|--:|---|",
    mcp_row("warm cache", "middleware_warm_cache", 5),
    mcp_row("cold verify", "middleware_cold_verify", 60),
    "",
    f"The cold path includes one ES256 verification, which alone costs "
    f"{1e6 / median(openssl['ecdsap256_verify']):.1f} µs here (`openssl speed` verify); the "
    "warm path is the cache lookup (SHA-256 of the token) plus the JSON-RPC peek and policy.",
    "",
    "Protected vs unprotected `tools/call` throughput of the example server over HTTP is not "
    "measured yet (planned with the peer benchmarks).",
]
lines += [
    "",
    "## Raw results",
    "",
    "Every measured value, per run:",
    "",
    "```",
]
for key in sorted(ours):
    lines.append(f"{key}: {', '.join(fmt(v) for v in ours[key])}")
for key in sorted(openssl):
    lines.append(f"openssl.{key}: {', '.join(fmt(v) for v in openssl[key])}")
lines.append("```")
print("\n".join(lines))
