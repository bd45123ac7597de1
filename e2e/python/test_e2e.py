"""End-to-end test of `latchkey demo` with an independent MCP client: the Python `mcp` SDK.

The SDK's OAuthClientProvider does discovery (401 -> protected resource metadata -> AS
metadata), dynamic client registration, PKCE and the token exchange; our redirect_handler plays
the user in a browser: it opens the authorization URL with httpx, fills in the real HTML login
and consent forms, and hands the code and state from the redirect's Location to the SDK's
callback_handler. Then the SDK's streamable HTTP client initializes, lists tools and calls
add_note and list_notes.

Environment: LATCHKEY_MCP_URL, LATCHKEY_DEMO_USER, LATCHKEY_DEMO_PASSWORD (scripts/test sets
them after starting the demo). Prints one line per check and a final "N passed, M failed".
"""

import asyncio
import os
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import httpx
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider, TokenStorage
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from pydantic import AnyUrl

MCP_URL = os.environ["LATCHKEY_MCP_URL"]
USER = os.environ.get("LATCHKEY_DEMO_USER", "demo")
PASSWORD = os.environ["LATCHKEY_DEMO_PASSWORD"]
REDIRECT_URI = "http://127.0.0.1:33419/callback"

results: list[tuple[str, bool]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)


class FirstForm(HTMLParser):
    """The first <form> of a page: action, named inputs, and whether it asks for a password."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: list[tuple[str, str]] = []
        self.has_password = False
        self.in_form = False
        self.done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and self.action is None:
            self.action = a.get("action") or ""
            self.in_form = True
        elif tag == "input" and self.in_form and a.get("name"):
            if a.get("type") == "password":
                self.has_password = True
            self.fields.append((a["name"], a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True


class Browser:
    """The user's side of the authorization: login and consent forms, never following the
    final redirect (nothing listens on the loopback redirect URI)."""

    def __init__(self) -> None:
        self.result: tuple[str, str | None] | None = None
        self.pages: list[str] = []

    async def redirect_handler(self, authorization_url: str) -> None:
        async with httpx.AsyncClient(follow_redirects=False, timeout=10) as http:
            response = await http.get(authorization_url)
            for _ in range(4):
                if response.status_code in (302, 303):
                    location = response.headers["location"]
                    query = parse_qs(urlparse(location).query)
                    if "code" not in query:
                        raise RuntimeError(f"authorization failed: {location}")
                    self.result = (query["code"][0], query.get("state", [None])[0])
                    return
                form = FirstForm()
                form.feed(response.text)
                if form.action is None:
                    raise RuntimeError(f"no form (status {response.status_code}): {response.text[:300]}")
                action = urljoin(str(response.url), form.action)
                if form.has_password:
                    self.pages.append("login")
                    data = [(n, v) for n, v in form.fields if n not in ("username", "password")]
                    data += [("username", USER), ("password", PASSWORD)]
                else:
                    self.pages.append("consent")
                    data = form.fields + [("decision", "approve")]
                response = await http.post(
                    action,
                    content=urlencode(data),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
            raise RuntimeError("too many steps in the authorization pages")

    async def callback_handler(self) -> tuple[str, str | None]:
        if self.result is None:
            raise RuntimeError("no authorization response")
        result, self.result = self.result, None
        return result


class MemoryStorage(TokenStorage):
    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, client_info):
        self.client_info = client_info


def text_of(result) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


async def run() -> None:
    # Without a token the demo answers 401 with the metadata location (what the SDK starts from).
    async with httpx.AsyncClient(timeout=10) as http:
        bare = await http.post(MCP_URL, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        challenge = bare.headers.get("www-authenticate", "")
        check("401 without a token", bare.status_code == 401, str(bare.status_code))
        check("challenge names resource_metadata", "resource_metadata=" in challenge, challenge)

    browser = Browser()
    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=MCP_URL,
        client_metadata=OAuthClientMetadata(
            client_name="Python MCP SDK e2e",
            redirect_uris=[AnyUrl(REDIRECT_URI)],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
            scope="notes:read notes:write",
        ),
        storage=storage,
        redirect_handler=browser.redirect_handler,
        callback_handler=browser.callback_handler,
    )
    async with streamablehttp_client(MCP_URL, auth=provider, timeout=15) as (read, write, _):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            check("initialize", init.serverInfo.name == "latchkey-notes", init.serverInfo.name)
            check("registered a client (DCR)", storage.client_info is not None
                  and bool(storage.client_info.client_id))
            check("went through login and consent", browser.pages[:2] == ["login", "consent"],
                  str(browser.pages))
            check("got an access token", storage.tokens is not None
                  and bool(storage.tokens.access_token))
            tools = sorted(t.name for t in (await session.list_tools()).tools)
            check("tools/list", tools == ["add_note", "delete_note", "list_notes", "read_note"],
                  str(tools))
            added = await session.call_tool("add_note", {"text": "from python"})
            check("add_note", not added.isError and text_of(added).startswith("Added note"),
                  text_of(added))
            check("stepped up: a second consent for notes:write",
                  browser.pages.count("consent") == 2, str(browser.pages))
            listed = await session.call_tool("list_notes", {})
            check("list_notes shows the note", "from python" in text_of(listed), text_of(listed))
    scopes = (storage.tokens.scope or "") if storage.tokens else ""
    check("token scope includes notes:write", "notes:write" in scopes.split(), scopes)


async def run_machine_client() -> None:
    """Issue 25: a machine client gets a token with client_credentials (no browser, no user) and
    calls the notes server with it as a fixed Authorization header."""
    client_id = os.environ["LATCHKEY_MACHINE_CLIENT_ID"]
    secret = os.environ["LATCHKEY_MACHINE_CLIENT_SECRET"]
    issuer = os.environ["LATCHKEY_ISSUER"]
    async with httpx.AsyncClient(timeout=10) as http:
        metadata = (await http.get(issuer + "/.well-known/oauth-authorization-server")).json()
        check("metadata lists client_credentials",
              "client_credentials" in metadata.get("grant_types_supported", []),
              str(metadata.get("grant_types_supported")))
        wrong = await http.post(metadata["token_endpoint"], auth=(client_id, "wrong"),
                                data={"grant_type": "client_credentials"})
        check("a wrong secret is 401 invalid_client",
              wrong.status_code == 401 and wrong.json().get("error") == "invalid_client",
              f"{wrong.status_code} {wrong.text[:120]}")
        answer = await http.post(metadata["token_endpoint"], auth=(client_id, secret),
                                 data={"grant_type": "client_credentials", "resource": MCP_URL})
        check("client_credentials token", answer.status_code == 200, answer.text[:200])
        body = answer.json()
        check("no refresh token for a machine client", "refresh_token" not in body, str(body.keys()))
        token = body["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    async with streamablehttp_client(MCP_URL, headers=headers, timeout=15) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.call_tool("list_notes", {})
            check("machine client calls list_notes", not listed.isError, text_of(listed))


async def run_api_key() -> None:
    """Issue 25: a header-only client sends a personal API key; the notes server checks it by
    introspection at the AS and serves the user's notes within the key's scope."""
    key = os.environ["LATCHKEY_API_KEY"]
    check("the key has the lk_pat_ prefix", key.startswith("lk_pat_"), key[:7])
    headers = {"Authorization": f"Bearer {key}"}
    async with streamablehttp_client(MCP_URL, headers=headers, timeout=15) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.call_tool("list_notes", {})
            check("API key calls list_notes", not listed.isError, text_of(listed))
    async with httpx.AsyncClient(timeout=10) as http:
        accept = {"Accept": "application/json, text/event-stream"}
        init = await http.post(MCP_URL, headers={**headers, **accept}, json={
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "e2e-key", "version": "1"}}})
        session_id = init.headers.get("mcp-session-id", "")
        refused = await http.post(
            MCP_URL, headers={**headers, **accept, "Mcp-Session-Id": session_id,
                              "MCP-Protocol-Version": "2025-06-18"},
            json={"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                  "params": {"name": "add_note", "arguments": {"text": "not with a read key"}}})
        check("a notes:read key cannot add notes (403 insufficient_scope)",
              refused.status_code == 403
              and "insufficient_scope" in refused.headers.get("www-authenticate", ""),
              f"{refused.status_code} {refused.headers.get('www-authenticate', '')}")
        forged = await http.post(MCP_URL, json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                                 headers={"Authorization": f"Bearer {key[:-1]}x"})
        check("a key with a bad checksum is 401", forged.status_code == 401,
              str(forged.status_code))


async def run_through_proxy() -> None:
    """Issue 25 §3: the same machine credentials through `latchkey proxy` in front of a Python
    MCP server (FastMCP): a client_credentials token for the proxy's resource, then a personal
    API key, each calling the Python server's tool; without credentials the proxy answers 401."""
    proxy_url = os.environ["LATCHKEY_PROXY_URL"]
    issuer = os.environ["LATCHKEY_ISSUER"]
    async with httpx.AsyncClient(timeout=10) as http:
        bare = await http.post(proxy_url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        check("proxy: 401 without credentials", bare.status_code == 401, str(bare.status_code))
        answer = await http.post(
            issuer + "/token",
            auth=(os.environ["LATCHKEY_MACHINE_CLIENT_ID"],
                  os.environ["LATCHKEY_MACHINE_CLIENT_SECRET"]),
            data={"grant_type": "client_credentials", "resource": proxy_url})
        check("proxy: client_credentials token for its resource", answer.status_code == 200,
              answer.text[:200])
        token = answer.json()["access_token"]
    for label, credential in (("client_credentials token", token),
                              ("API key", os.environ["LATCHKEY_PROXY_API_KEY"])):
        headers = {"Authorization": f"Bearer {credential}"}
        async with streamablehttp_client(proxy_url, headers=headers, timeout=15) as (r, w, _):
            async with ClientSession(r, w) as session:
                init = await session.initialize()
                check(f"proxy ({label}): the Python server answers initialize",
                      init.serverInfo.name == "python-notes", init.serverInfo.name)
                echoed = await session.call_tool("echo", {"text": "through the proxy"})
                check(f"proxy ({label}): tools/call reaches the Python server",
                      not echoed.isError and "echo: through the proxy" in text_of(echoed),
                      text_of(echoed))


def main() -> int:
    try:
        asyncio.run(asyncio.wait_for(run(), timeout=60))
        asyncio.run(asyncio.wait_for(run_machine_client(), timeout=30))
        asyncio.run(asyncio.wait_for(run_api_key(), timeout=30))
        asyncio.run(asyncio.wait_for(run_through_proxy(), timeout=30))
    except BaseException as error:  # report, then fail
        check("flow completed", False, f"{type(error).__name__}: {error}")
    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
