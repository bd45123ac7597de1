#!/usr/bin/env python3
"""WAL frames (4 KiB pages) one token commit writes, for schema variants (issue #7).

A model, not the store: it runs the SQL of `SQLiteStore.rotateRefreshToken` and `redeemCode`
(with their audit event) on a database built from migrations/0001_create_schema.sql and
filled like a busy server (1,000 users and clients, 50,000 grants with two refresh tokens
each, 300,000 audit events), and counts the frames each commit appends to the WAL
(`wal_autocheckpoint = 0`, WAL size / (page size + 24)). Batches of 1, 2 and 8 requests per
commit stand for the group commit at low, half and full load.

Variants (combine with '+'):
  base      the schema as it is
  noauto    audit_events without AUTOINCREMENT (no sqlite_sequence update)
  cluster   refresh_tokens keyed by (grant_id, token_hash), UNIQUE index on token_hash
  ordered   time-ordered grant ids (a family's rows sit together, new grants at the end)
  nouser    without the audit_events (user_id, time) index
  noexpiry  without the refresh_tokens (expires_at) index

usage: scripts/benchmarks/wal_frames.py base noauto cluster+ordered ...
"""
import os
import random
import sqlite3
import sys
import tempfile
import uuid

SCHEMA = os.path.join(os.path.dirname(__file__), "..", "..", "migrations", "0001_create_schema.sql")
TOKEN_COLUMNS = ("token_hash, grant_id, client_id, scopes, resource, issued_at, expires_at, "
                 "parent_hash, rotated_at, successor_hash, revoked_at")
AUDIT_INSERT = ("INSERT INTO audit_events (time, type, outcome, user_id, client_id, resource, "
                "scopes, source_address, detail) VALUES (?, ?, 'success', ?, ?, ?, ?, '127.0.0.1', NULL)")
RESOURCE, SCOPES = "https://notes.example.com/mcp", "notes:read notes:write"


def schema(variant):
    text = open(SCHEMA).read()
    edits = {
        "noauto": [("id INTEGER PRIMARY KEY AUTOINCREMENT", "id INTEGER PRIMARY KEY")],
        "cluster": [
            ("CREATE TABLE refresh_tokens (\n  token_hash TEXT PRIMARY KEY NOT NULL,",
             "CREATE TABLE refresh_tokens (\n  token_hash TEXT NOT NULL,"),
            ("  revoked_at INTEGER\n) STRICT, WITHOUT ROWID;\n\n"
             "CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);",
             "  revoked_at INTEGER,\n  PRIMARY KEY (grant_id, token_hash)\n) STRICT, WITHOUT ROWID;\n\n"
             "CREATE UNIQUE INDEX refresh_tokens_by_hash ON refresh_tokens (token_hash);"),
        ],
        "nouser": [("CREATE INDEX audit_events_by_user ON audit_events (user_id, time);", "")],
        "noexpiry": [("CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);", "")],
    }
    for part in variant.split("+"):
        for old, new in edits.get(part, []):
            assert old in text, (part, old)
            text = text.replace(old, new)
    return text


class Model:
    def __init__(self, variant, path):
        self.variant, self.counter, self.now = variant, 0, 1_700_000_000_000
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA wal_autocheckpoint = 0")
        self.db.executescript(schema(variant))
        self.path = path

    def secret(self):
        return uuid.uuid4().hex + uuid.uuid4().hex[:11]

    def grant_id(self):
        self.counter += 1
        if "ordered" in self.variant.split("+"):
            return "%012x" % self.counter + uuid.uuid4().hex[:24]
        return str(uuid.uuid4())

    def token(self, token_hash, grant, user, parent=None, issued=None):
        issued = issued or self.now
        self.db.execute(
            f"INSERT INTO refresh_tokens ({TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
            (token_hash, grant, f"c{user}", SCOPES, RESOURCE, issued, issued + 2_592_000_000, parent))

    def grant(self, user):
        grant = self.grant_id()
        self.db.execute("INSERT INTO grants VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                        (grant, f"u{user}", f"c{user}", RESOURCE, SCOPES, self.now, self.now + 10**10))
        return grant

    def fill(self, grants=50_000, audits=300_000):
        self.db.execute("BEGIN")
        for user in range(1000):
            self.db.execute("INSERT INTO users VALUES (?, ?, 'x', 0, ?)", (f"u{user}", f"user{user}", self.now))
            self.db.execute(
                "INSERT INTO clients (id, name, origin, grant_types, token_endpoint_auth_method, "
                "application_type, allowed_scopes, created_at) VALUES (?, 'n', 'dynamic', '[]', "
                "'none', 'native', ?, ?)", (f"c{user}", SCOPES, self.now))
        self.families = []
        for _ in range(grants):
            user = random.randrange(1000)
            grant = self.grant(user)
            first, second = self.secret(), self.secret()
            self.token(first, grant, user)
            self.token(second, grant, user, parent=first)
            self.db.execute("UPDATE refresh_tokens SET rotated_at = ?, successor_hash = ? WHERE token_hash = ?",
                            (self.now, second, first))
            self.families.append([grant, user, second])
        for index in range(audits):
            user = random.randrange(1000)
            self.db.execute(AUDIT_INSERT, (self.now + index, random.choice(
                ["token.issued", "token.refreshed", "mcp.tool_call"]), f"u{user}", f"c{user}", RESOURCE, SCOPES))
        self.db.execute("COMMIT")
        self.now += 10**6

    def frames(self, commits, per_commit, write):
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for _ in range(commits):
            self.db.execute("BEGIN IMMEDIATE")
            for _ in range(per_commit):
                self.now += 1
                write()
            self.db.execute("COMMIT")
        size = os.path.getsize(self.path + "-wal")
        page = self.db.execute("PRAGMA page_size").fetchone()[0]
        return (size - 32) / (page + 24) / (commits * per_commit)

    def rotate(self):
        family = random.choice(self.families)
        grant, user, current = family
        self.db.execute("SELECT * FROM refresh_tokens WHERE token_hash = ?", (current,)).fetchone()
        self.db.execute("SELECT * FROM grants WHERE id = ?", (grant,)).fetchone()
        successor = self.secret()
        self.token(successor, grant, user, parent=current, issued=self.now)
        self.db.execute("UPDATE refresh_tokens SET rotated_at = ?, successor_hash = ? WHERE token_hash = ?",
                        (self.now, successor, current))
        self.db.execute(AUDIT_INSERT, (self.now, "token.refreshed", f"u{user}", f"c{user}", RESOURCE, SCOPES))
        family[2] = successor

    def seed_codes(self, count):
        """Codes as /authorize leaves them: a new grant and its code, committed earlier."""
        self.db.execute("BEGIN")
        self.codes = []
        for _ in range(count):
            user = random.randrange(1000)
            grant, code = self.grant(user), self.secret()
            self.db.execute(
                "INSERT INTO authorization_codes VALUES (?, ?, ?, ?, ?, ?, 'https://app/cb', 1, ?, "
                "'S256', ?, ?, NULL)", (code, grant, f"c{user}", f"u{user}", RESOURCE, SCOPES,
                                        self.secret(), self.now, self.now + 60_000))
            self.codes.append((code, grant, user))
        self.db.execute("COMMIT")

    def redeem(self):
        code, grant, user = self.codes.pop()
        self.db.execute("SELECT * FROM authorization_codes WHERE code_hash = ?", (code,)).fetchone()
        self.db.execute("UPDATE authorization_codes SET consumed_at = ? WHERE code_hash = ?", (self.now, code))
        self.token(self.secret(), grant, user, issued=self.now)
        self.db.execute(AUDIT_INSERT, (self.now, "token.issued", f"u{user}", f"c{user}", RESOURCE, SCOPES))


def main(variants):
    print("| variant | refresh ×1 | refresh ×2 | refresh ×8 | code ×1 | code ×8 |")
    print("|---|--:|--:|--:|--:|--:|")
    for variant in variants:
        random.seed(1)
        with tempfile.TemporaryDirectory() as directory:
            model = Model(variant, os.path.join(directory, "model.sqlite"))
            model.fill()
            refresh = [model.frames(200, per_commit, model.rotate) for per_commit in (1, 2, 8)]
            model.seed_codes(200 + 1600)
            code = [model.frames(200, 1, model.redeem), model.frames(200, 8, model.redeem)]
            print(f"| {variant} | " + " | ".join(f"{value:.1f}" for value in refresh + code) + " |",
                  flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["base", "noauto", "cluster", "cluster+ordered", "cluster+ordered+noauto",
                          "nouser", "noexpiry"])
