"""Peer for scripts/bench: a FastMCP server with a bearer JWT verifier (FastMCP's `JWTVerifier`,
ES256 against Latchkey's JWKS, issuer and audience checked, `notes:read` required) serving the
same four notes tools as Latchkey's example server, Streamable HTTP at /mcp with JSON replies,
on uvicorn in one process. With ISSUER and JWKS_URI "-", the same server without auth (the
upstream of `latchkey proxy` in scripts/bench, and the same server called directly).

usage: peer_fastmcp.py PORT ISSUER JWKS_URI
"""
import itertools
import sys

import uvicorn
from fastmcp import FastMCP
from fastmcp.server.auth.providers.jwt import JWTVerifier

port, issuer, jwks_uri = int(sys.argv[1]), sys.argv[2], sys.argv[3]
resource = f"http://127.0.0.1:{port}/mcp"

auth = None if issuer == "-" else JWTVerifier(
    jwks_uri=jwks_uri, issuer=issuer, audience=resource, algorithm="ES256",
    required_scopes=["notes:read"], base_url=f"http://127.0.0.1:{port}")
server = FastMCP("latchkey-notes-peer", auth=auth)
notes = {}
ids = itertools.count(1)


@server.tool
def list_notes() -> str:
    """List your notes."""
    lines = [f"{i}: {text}" for i, text in notes.items()]
    return "\n".join(lines) if lines else "No notes."


@server.tool
def read_note(id: int) -> str:
    """Read one note."""
    return notes.get(id, "No such note.")


@server.tool
def add_note(text: str) -> str:
    """Add a note."""
    note = next(ids)
    notes[note] = text
    return f"Added note {note}."


@server.tool
def delete_note(id: int) -> str:
    """Delete a note."""
    return f"Deleted note {id}." if notes.pop(id, None) is not None else "No such note."


app = server.http_app(path="/mcp", json_response=True)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
