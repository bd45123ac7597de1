"""A plain Python MCP server (the SDK's FastMCP, Streamable HTTP, no auth of its own) that
scripts/e2e-python and scripts/e2e-idp put behind `latchkey proxy`: the proxy protects a server
in any language.

`upstream_whoami` shows the token vault from the server's side: `latchkey proxy
--upstream-token-client-id` sends the user's identity-provider token in
`X-Latchkey-Upstream-Token`; the tool calls the provider's userinfo endpoint with it
(IDP_USERINFO_URL) and answers the provider's `sub` and `email`, never the token (only its
SHA-256, so a test can tell which token arrived).
Usage: python_mcp_server.py PORT"""
import hashlib
import json
import os
import sys

import httpx
from mcp.server.fastmcp import Context, FastMCP

server = FastMCP("python-notes", host="127.0.0.1", port=int(sys.argv[1]))


@server.tool()
def echo(text: str) -> str:
    """Answers with the text it was given."""
    return f"echo: {text}"


@server.tool()
async def upstream_whoami(ctx: Context) -> str:
    """Asks the identity provider who the user is, with the token the proxy sent."""
    request = ctx.request_context.request
    headers = request.headers if request is not None else {}
    token = headers.get("x-latchkey-upstream-token")
    if not token:
        reason = headers.get("x-latchkey-upstream-token-unavailable", "none sent")
        raise ValueError(f"no upstream token: {reason}")
    userinfo = os.environ.get("IDP_USERINFO_URL")
    if not userinfo:
        raise ValueError("IDP_USERINFO_URL is not set")
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.get(userinfo, headers={"Authorization": f"Bearer {token}"})
    if answer.status_code != 200:
        raise ValueError(f"the provider answered HTTP {answer.status_code}")
    claims = answer.json()
    return json.dumps({
        "provider": headers.get("x-latchkey-upstream-provider"),
        "sub": claims.get("sub"), "email": claims.get("email"),
        "token_sha256": hashlib.sha256(token.encode()).hexdigest(),
    }, sort_keys=True)


if __name__ == "__main__":
    server.run(transport="streamable-http")
