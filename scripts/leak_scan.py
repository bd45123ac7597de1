#!/usr/bin/env python3
"""Looks for secrets in everything a test run logged or answered (issue 8 "Secrets never
leak"; scripts/leak-scan, docs/reliability.md). python3 standard library only.

Input: a directory the run filled (LATCHKEY_LEAK_SCAN_DIR):
- secrets-*.txt  one secret a line: what the test clients sent and received (passwords, codes,
                 code verifiers, access and refresh tokens, client secrets, cookies), the
                 fixture passwords, minted tokens (LatchkeyTestSupport.LeakScan, soak.py, e2e);
- log-*.txt, *.log, *.out  log output (swift test at debug level, the demo's stderr, …);
- bodies-*.txt   every error body (status ≥ 400) the test clients received.

Hits: a recorded secret inside a log or an error body; in logs also anything shaped like a JWT
(`eyJ….eyJ….…`), a PEM private key, or a JWK private member (`"d":"…"`). Secrets made of the
base64url/b64token alphabet are matched as whole runs of that alphabet (split at `.`, `=`, `+`,
`/`, `~` too, so a token inside `code=…&` or a JWT's signature part is found); other secrets
(passwords with spaces) by substring. Goal: 0 hits. Last line: "N passed, M failed" (one
check per scanned file).
"""

import glob
import os
import re
import sys

RUN = re.compile(r"[A-Za-z0-9_\-.~+/=]{8,}")
PIECE = re.compile(r"[A-Za-z0-9_\-]{8,}")
TOKEN_ALPHABET = re.compile(r"^[A-Za-z0-9_\-.~+/=]+$")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")
PEM = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
TESTING_MARKS = ("◇", "✔", "✘", "↳", "􀟈", "􁁛", "􀢄", "􀄵", "Test Suite", "Test Case")
JWK_D = re.compile(r'"d"\s*:\s*"[A-Za-z0-9_-]{16,}"')


def load_secrets(directory):
    secrets = set()
    for path in glob.glob(os.path.join(directory, "secrets-*.txt")):
        with open(path, errors="replace") as f:
            for line in f:
                value = line.rstrip("\n")
                if len(value) >= 8:
                    secrets.add(value)
    whole, pieces, substrings = set(), set(), set()
    for secret in secrets:
        if TOKEN_ALPHABET.match(secret):
            whole.add(secret)
            for piece in PIECE.findall(secret):
                # A JWT's header and claims are not secret by themselves; its signature is.
                if len(piece) >= 16 and not piece.startswith("eyJ"):
                    pieces.add(piece)
        else:
            substrings.add(secret)
    return secrets, whole, pieces, substrings


def scan_text(text, whole, pieces, substrings, patterns):
    hits = []
    for run in RUN.findall(text):
        if run in whole:
            hits.append(run)
            continue
        for piece in PIECE.findall(run):
            if piece in whole or piece in pieces:
                hits.append(piece)
                break
    for secret in substrings:
        if secret in text:
            hits.append(secret)
    if patterns:
        for pattern in (JWT, PEM, JWK_D):
            hits += pattern.findall(text)
    return hits


def main():
    directory = sys.argv[1]
    secrets, whole, pieces, substrings = load_secrets(directory)
    files = []
    for pattern in ("log-*.txt", "*.log", "*.out"):
        files += [(p, True) for p in glob.glob(os.path.join(directory, pattern))]
    files += [(p, False) for p in glob.glob(os.path.join(directory, "bodies-*.txt"))]
    passed = failed = 0
    # The scanner must find what it looks for: plant one recorded secret of each kind.
    for sample in [next(iter(whole), None), next(iter(substrings), None)]:
        if sample is not None:
            planted = f'debug x: form code={sample}&state=1 "{sample}"'
            if not scan_text(planted, whole, pieces, substrings, patterns=True):
                print(f"FAIL: a planted secret was not found ({sample[:12]}…)")
                failed += 1
    lines_scanned = 0
    total_hits = 0
    for path, is_log in sorted(files):
        with open(path, errors="replace") as f:
            text = f.read()
        if path.endswith(".out"):
            # Console output of a run: swift-testing's own progress lines name test arguments
            # (published test vectors such as RFC 7636's verifier), which are not logs.
            text = "\n".join(line for line in text.splitlines()
                              if not line.lstrip().startswith(TESTING_MARKS))
        lines_scanned += text.count("\n")
        # Error bodies are judged against recorded secrets only: a JWT-shaped string in a 400
        # body would be the attacker's own input, which the corpus checks separately.
        hits = scan_text(text, whole, pieces, substrings, patterns=is_log)
        name = os.path.basename(path)
        if hits:
            failed += 1
            total_hits += len(hits)
            print(f"LEAK in {name}: {len(hits)} hit(s)")
            for hit in sorted(set(hits))[:5]:
                for line in text.splitlines():
                    if hit in line:
                        print(f"  {hit[:24]}… in: {line[:300]}")
                        break
        else:
            passed += 1
    if not files or not secrets:
        print(f"leak scan: nothing to judge ({len(files)} files, {len(secrets)} secrets)")
        failed += 1
    print(f"leak scan: {len(secrets)} distinct secrets recorded, {len(files)} files, "
          f"{lines_scanned} lines of logs and error bodies scanned, {total_hits} hits")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
