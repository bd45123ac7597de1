"""End to end with a real upstream OpenID provider (issue 23): `latchkey demo` configured with
an `identity_providers` entry for django-oauth-toolkit (e2e/idp, started by scripts/e2e-idp).

The user's browser is `Browser`: one httpx cookie jar across Latchkey and the provider (as a
real browser, cookies are not separated by port), following redirects by hand and filling in
the real HTML forms: Latchkey's login page (the "Sign in with Corp SSO" button form), the
provider's login page (Django's LoginView: CSRF cookie and token, username, password), the
provider's own consent page (Authorize or Cancel), Latchkey's consent page, until the redirect
to the MCP client's redirect URI.

Scenarios (SCENARIOS at the end, or those named on the command line; each prints one line per
check; add new ones there, and any provider or Latchkey setting they need in scripts/e2e-idp):
- the Python MCP SDK client: 401 -> discovery -> registration -> the walk above as alice ->
  code -> token -> tools/call; the upstream subject in the audit (`latchkey audit query`);
  then a refresh through the SDK;
- refusals, each with its own registered client and asserting the exact status, the audit
  event and that no `code.issued`/`token.issued` happened for that client: email domain not
  allowed (mallory), group missing (bob), the provider's access_denied (Cancel on its consent
  page), a replayed callback URL, a callback with a wrong `state`;
- a second provider entry at the same server (`corp-post`: client_secret_post, no allow rules)
  picked directly by `provider=corp-post` on the authorization request;
- Latchkey's non-OIDC `github` kind against the same server in GitHub Enterprise Server's shape
  (no `openid` scope), when the build has that kind (scripts/e2e-idp probes it);
- the token vault (corp keeps its tokens): the demo's `upstream_whoami` answers alice's sub and
  email from the provider's userinfo after the SDK sign-in, and says UpstreamTokenUnavailable
  for a sign-in through `corp-post` (no kept tokens); through `latchkey proxy
  --upstream-token-client-id` (LATCHKEY_PROXY_URL) the Python FastMCP server's `upstream_whoami`
  gets the token in X-Latchkey-Upstream-Token (not the client's forged copy), and none after
  the grant is revoked;
- `sign_in_after_key_rotation`, run by name after scripts/e2e-idp restarted the provider with
  a new signing key: Latchkey fetches the JWKS again for the unknown `kid`.

Environment (scripts/e2e-idp): LATCHKEY_MCP_URL, LATCHKEY_ISSUER, LATCHKEY_BIN,
LATCHKEY_DATABASE, LATCHKEY_PROVIDER_ID, IDP_ISSUER, IDP_USERS_FILE ({username: {password,
sub}}), IDP_LOG (the provider's access log), LATCHKEY_PROXY_URL (optional: the proxy in front of
e2e/python/python_mcp_server.py); LATCHKEY_LEAK_SCAN_DIR (optional): what the client saw that is secret (codes, tokens,
the upstream state and cookie) goes to secrets-e2e-idp-client.txt and every error page to
bodies-e2e-idp.txt, for scripts/leak_scan.py. Final line: "N passed, M failed".
"""

import asyncio
import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import httpx
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider, TokenStorage
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from pydantic import AnyUrl

MCP_URL = os.environ["LATCHKEY_MCP_URL"]
ISSUER = os.environ["LATCHKEY_ISSUER"]
LATCHKEY_BIN = os.environ["LATCHKEY_BIN"]
DATABASE = os.environ["LATCHKEY_DATABASE"]
PROVIDER_ID = os.environ.get("LATCHKEY_PROVIDER_ID", "corp")
IDP_ISSUER = os.environ["IDP_ISSUER"]
with open(os.environ["IDP_USERS_FILE"]) as users_file:
    USERS: dict[str, dict[str, str]] = json.load(users_file)
REDIRECT_URI = "http://127.0.0.1:33419/callback"
CALLBACK_PREFIX = urlparse(ISSUER).path + "/callback/"
UPSTREAM_COOKIE = "latchkey_upstream"
SCAN_DIR = os.environ.get("LATCHKEY_LEAK_SCAN_DIR")
# The `github` provider entry (the same server in GitHub's shape), when this build has the kind.
GITHUB_PROVIDER_ID = os.environ.get("LATCHKEY_GITHUB_PROVIDER_ID", "")

results: list[tuple[str, bool]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)


def record_secret(*values: str | None) -> None:
    """What the client saw that must never show up in Latchkey's log or pages."""
    if SCAN_DIR:
        with open(os.path.join(SCAN_DIR, "secrets-e2e-idp-client.txt"), "a") as f:
            for value in values:
                if value:
                    f.write(value + "\n")


def record_error_body(status: int, url: str, text: str) -> None:
    if SCAN_DIR and status >= 400:
        with open(os.path.join(SCAN_DIR, "bodies-e2e-idp.txt"), "a") as f:
            # The URL's path only: its query holds the codes and states recorded as secrets.
            f.write(f"--- {status} {urlparse(url).path}\n{text}\n")


# --- the browser -------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Submit buttons and inputs with a name: sent only when pressed.
    submits: list[tuple[str, str]] = field(default_factory=list)
    has_password: bool = False

    def field_names(self) -> set[str]:
        return {name for name, _ in self.fields}


class Forms(HTMLParser):
    """Every <form> of a page with its named inputs and buttons."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(action=a.get("action", ""), attrs=a)
            self.forms.append(self.current)
        elif self.current is not None and a.get("name"):
            kind = a.get("type", "submit" if tag == "button" else "text")
            if tag == "button" or kind == "submit":
                self.current.submits.append((a["name"], a.get("value", "")))
            elif tag == "input":
                self.current.has_password |= kind == "password"
                self.current.fields.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


@dataclass
class Walk:
    """What happened in one authorization in the browser."""

    pages: list[str] = field(default_factory=list)
    # The redirect to the MCP client: its query parameters.
    client_redirect: dict[str, str] | None = None
    # The page the walk ended on when it did not reach the client (status, title-ish text).
    final_status: int | None = None
    final_text: str = ""
    # The provider's redirect back to Latchkey, and Latchkey's upstream cookie at that moment.
    callback_url: str | None = None
    upstream_cookie: str | None = None

    @property
    def code(self) -> str | None:
        return (self.client_redirect or {}).get("code")


class Browser:
    """A user at a browser: `user` signs in at the provider; `upstream_consent` is "allow" or
    "deny" (the provider's Authorize/Cancel); `stop_at_callback` stops before the provider's
    redirect back to Latchkey is followed (for the state and replay checks)."""

    def __init__(self, user: str, upstream_consent: str = "allow") -> None:
        self.user = user
        self.upstream_consent = upstream_consent
        self.http = httpx.AsyncClient(follow_redirects=False, timeout=15)

    async def close(self) -> None:
        await self.http.aclose()

    async def walk(self, url: str, stop_at_callback: bool = False) -> Walk:
        walk = Walk()
        response = await self.http.get(url)
        for _ in range(16):
            if response.status_code in (301, 302, 303, 307):
                location = urljoin(str(response.url), response.headers["location"])
                if location.startswith(REDIRECT_URI):
                    query = parse_qs(urlparse(location).query)
                    walk.client_redirect = {k: v[0] for k, v in query.items()}
                    record_secret(walk.client_redirect.get("code"))
                    return walk
                if urlparse(location).path.startswith(CALLBACK_PREFIX):
                    walk.callback_url = location
                    walk.upstream_cookie = self.http.cookies.get(UPSTREAM_COOKIE)
                    query = parse_qs(urlparse(location).query)
                    record_secret(query.get("code", [None])[0], query.get("state", [None])[0],
                                  walk.upstream_cookie)
                    if stop_at_callback:
                        return walk
                response = await self.http.get(location)
                continue
            if response.status_code != 200:
                walk.final_status, walk.final_text = response.status_code, response.text
                record_error_body(response.status_code, str(response.url), response.text)
                return walk
            response = await self.submit(walk, response)
        raise RuntimeError(f"too many steps: {walk.pages}")

    async def submit(self, walk: Walk, page: httpx.Response) -> httpx.Response:
        """Fills in the page's form as the user would, and posts it."""
        forms = Forms(page.text).forms
        at_provider = page.url.netloc.decode() == urlparse(IDP_ISSUER).netloc
        if not at_provider and (button := next(
                (f for f in forms if "provider" in f.field_names()), None)):
            walk.pages.append("latchkey login")
            data, form = list(button.fields), button
        elif at_provider and (login := next((f for f in forms if f.has_password), None)):
            walk.pages.append("provider login")
            form = login
            data = [(n, v) for n, v in login.fields if n not in ("username", "password")]
            data += [("username", self.user), ("password", USERS[self.user]["password"])]
        elif at_provider and (consent := next(
                (f for f in forms if f.attrs.get("id") == "authorizationForm"), None)):
            walk.pages.append("provider consent")
            form = consent
            data = list(consent.fields)
            if self.upstream_consent == "allow":
                data += [s for s in consent.submits if s[0] == "allow"]
        elif not at_provider and (consent := next(
                (f for f in forms if ("decision", "approve") in f.submits), None)):
            walk.pages.append("latchkey consent")
            form = consent
            data = consent.fields + [("decision", "approve")]
        else:
            raise RuntimeError(f"unexpected page {page.url} ({page.status_code}): "
                               f"{page.text[:300]}")
        return await self.http.post(
            urljoin(str(page.url), form.action or str(page.url)), content=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded"})


# --- Latchkey as a plain OAuth client sees it --------------------------------------------------


async def register_client(http: httpx.AsyncClient, name: str) -> str:
    metadata = (await http.get(ISSUER + "/.well-known/oauth-authorization-server")).json()
    answer = await http.post(metadata["registration_endpoint"], json={
        "client_name": name, "redirect_uris": [REDIRECT_URI], "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"]})
    answer.raise_for_status()
    return answer.json()["client_id"]


def authorization_url(client_id: str, state: str, extra: dict[str, str] | None = None) -> str:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    record_secret(verifier)
    return ISSUER + "/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI,
        "code_challenge": challenge.decode().rstrip("="), "code_challenge_method": "S256",
        "state": state, "scope": "notes:read", "resource": MCP_URL, **(extra or {})})


def audit(**filters: str) -> list[dict]:
    """`latchkey audit query --json` on the demo's live database."""
    arguments = [LATCHKEY_BIN, "audit", "query", "--database", DATABASE, "--json"]
    for key, value in filters.items():
        arguments += [f"--{key}", value]
    for attempt in range(40):
        try:
            out = subprocess.run(arguments, check=True, capture_output=True, text=True).stdout
            break
        except OSError as error:  # ETXTBSY: the binary is being rebuilt at this moment
            if error.errno != 26 or attempt == 39:
                raise
            time.sleep(0.5)
    events = json.loads(out)
    return events["events"] if isinstance(events, dict) else events


def check_nothing_issued(label: str, client_id: str) -> None:
    issued = [e["type"] for e in audit(client=client_id)
              if e["type"] in ("code.issued", "token.issued")]
    check(f"{label}: no code or token issued", issued == [], str(issued))


def provider_log() -> str:
    """The provider's access log so far (IDP_LOG); slice it with its length before a step."""
    with open(os.environ["IDP_LOG"], errors="replace") as log:
        return log.read()


async def walk_new_client(label: str, user: str, upstream_consent: str = "allow",
                          stop_at_callback: bool = False,
                          extra: dict[str, str] | None = None) -> tuple[str, str, Walk]:
    """A fresh client and browser: register, then walk the authorization as `user` (`extra`:
    more authorization request parameters)."""
    async with httpx.AsyncClient(timeout=10) as http:
        client_id = await register_client(http, f"idp e2e: {label}")
    browser = Browser(user, upstream_consent)
    state = secrets.token_urlsafe(16)
    try:
        walk = await browser.walk(authorization_url(client_id, state, extra), stop_at_callback)
    finally:
        await browser.close()
    return client_id, state, walk


# --- the token vault ---------------------------------------------------------------------------


PROXY_URL = os.environ.get("LATCHKEY_PROXY_URL", "")
FORGED_UPSTREAM_TOKEN = "forged-by-the-client-" + secrets.token_urlsafe(16)


def check_whoami(label: str, result, keys: set[str]) -> None:
    """`upstream_whoami` answered alice as the provider knows her, and only `keys`."""
    text = text_of(result)
    try:
        answer = json.loads(text)
    except ValueError:
        answer = {}
    check(f"{label}: alice's sub and email at the provider",
          not result.isError and answer.get("sub") == USERS["alice"]["sub"]
          and answer.get("email") == "alice@corp.example" and answer.get("provider") == PROVIDER_ID,
          text[:300])
    check(f"{label}: nothing but {sorted(keys)} in the answer", set(answer) == keys, str(sorted(answer)))


async def sign_in_by_hand(user: str, resource: str, extra: dict[str, str] | None = None) -> dict:
    """A fresh public client: the browser walk as `user`, then the code exchanged at the token
    endpoint (PKCE, `resource`); the token response."""
    async with httpx.AsyncClient(timeout=10) as http:
        metadata = (await http.get(ISSUER + "/.well-known/oauth-authorization-server")).json()
        client_id = await register_client(http, f"idp e2e: by hand for {resource}")
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        record_secret(verifier)
        url = ISSUER + "/authorize?" + urlencode({
            "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI,
            "code_challenge": challenge.decode().rstrip("="), "code_challenge_method": "S256",
            "state": "by-hand", "scope": "notes:read", "resource": resource, **(extra or {})})
        browser = Browser(user)
        try:
            walk = await browser.walk(url)
        finally:
            await browser.close()
        if walk.code is None:
            raise RuntimeError(f"no code: {walk.client_redirect or walk.final_status} {walk.pages}")
        answer = await http.post(metadata["token_endpoint"], data={
            "grant_type": "authorization_code", "code": walk.code, "redirect_uri": REDIRECT_URI,
            "client_id": client_id, "code_verifier": verifier, "resource": resource})
        answer.raise_for_status()
        tokens = answer.json()
        record_secret(tokens.get("access_token"), tokens.get("refresh_token"))
        return {**tokens, "client_id": client_id, "revocation_endpoint":
                metadata.get("revocation_endpoint", ISSUER + "/revoke")}


async def call_with_bearer(url: str, access_token: str, tool: str):
    """One MCP session with a fixed bearer token: initialize, then `tools/call tool`."""
    headers = {"Authorization": f"Bearer {access_token}"}
    async with streamablehttp_client(url, headers=headers, timeout=15) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await session.call_tool(tool, {})


async def upstream_whoami_without_kept_token() -> None:
    """Signed in through `corp-post`, which keeps no tokens: the demo's upstream_whoami says
    why there is no upstream token instead of answering."""
    tokens = await sign_in_by_hand("alice", MCP_URL, {"provider": "corp-post"})
    result = await call_with_bearer(MCP_URL, tokens["access_token"], "upstream_whoami")
    text = text_of(result)
    check("no kept token: upstream_whoami is a tool error naming UpstreamTokenUnavailable",
          bool(result.isError) and "UpstreamTokenUnavailable (no_upstream_token" in text, text)
    events = audit(type="upstream_token.unavailable", client=tokens["client_id"])
    check("no kept token: the demo's notes server asked /upstream-token as a listed reader",
          len(events) >= 1, str([e.get("detail") for e in events]))


async def upstream_token_through_proxy() -> None:
    """`latchkey proxy --upstream-token-client-id` in front of the Python FastMCP server
    (e2e/python/python_mcp_server.py): the SDK signs in against the proxy's URL and the
    server's upstream_whoami calls the provider's userinfo with X-Latchkey-Upstream-Token. The
    client also sends its own X-Latchkey-Upstream-Token, which must not be what arrives. After
    the grant is revoked, a token of it gets no upstream token."""
    if not PROXY_URL:
        print("skip upstream token through the proxy: no LATCHKEY_PROXY_URL", flush=True)
        return
    browser = Browser("alice")
    redirect: dict[str, tuple[str, str | None]] = {}

    async def redirect_handler(url: str) -> None:
        walk = await browser.walk(url)
        if walk.code is None:
            raise RuntimeError(f"no code: {walk.client_redirect or walk.final_status}")
        redirect["result"] = (walk.code, walk.client_redirect.get("state"))

    async def callback_handler() -> tuple[str, str | None]:
        return redirect.pop("result")

    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=PROXY_URL,
        client_metadata=OAuthClientMetadata(
            client_name="Python MCP SDK through the proxy", redirect_uris=[AnyUrl(REDIRECT_URI)],
            grant_types=["authorization_code", "refresh_token"], response_types=["code"],
            token_endpoint_auth_method="none"),
        storage=storage, redirect_handler=redirect_handler, callback_handler=callback_handler)
    forged = {"X-Latchkey-Upstream-Token": FORGED_UPSTREAM_TOKEN,
              "X-Latchkey-Upstream-Provider": "forged"}
    try:
        async with streamablehttp_client(PROXY_URL, auth=provider, headers=forged,
                                         timeout=15) as (read, write, _):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                check("proxy: initialize after signing in through the provider",
                      init.serverInfo.name == "python-notes", init.serverInfo.name)
                result = await session.call_tool("upstream_whoami", {})
    finally:
        await browser.close()
    check_whoami("proxy upstream_whoami (X-Latchkey-Upstream-Token)", result,
                 keys={"provider", "sub", "email", "token_sha256"})
    arrived = (json.loads(text_of(result)) if not result.isError else {}).get("token_sha256")
    check("proxy: the client-sent X-Latchkey-Upstream-Token is not what reached the server",
          arrived is not None
          and arrived != hashlib.sha256(FORGED_UPSTREAM_TOKEN.encode()).hexdigest(), str(arrived))

    tokens = await sign_in_by_hand("alice", PROXY_URL)
    async with httpx.AsyncClient(timeout=10) as http:
        revoked = await http.post(tokens["revocation_endpoint"], data={
            "token": tokens["refresh_token"], "token_type_hint": "refresh_token",
            "client_id": tokens["client_id"]})
    check("proxy: the grant's refresh token revoked", revoked.status_code == 200,
          str(revoked.status_code))
    result = await call_with_bearer(PROXY_URL, tokens["access_token"], "upstream_whoami")
    text = text_of(result)
    check("proxy: after the grant is revoked the server gets no upstream token",
          bool(result.isError) and "no upstream token: no_upstream_token" in text, text)


# --- scenarios ---------------------------------------------------------------------------------


class MemoryStorage(TokenStorage):
    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens
        record_secret(tokens.access_token, tokens.refresh_token)

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, client_info):
        self.client_info = client_info


def text_of(result) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


async def sdk_sign_in_through_provider() -> None:
    """The Python MCP SDK client as alice (corp.example, mcp-users): every page of the walk,
    a tool call, the upstream subject in the audit, then a refresh through the SDK."""
    async with httpx.AsyncClient(timeout=10) as http:
        bare = await http.post(MCP_URL, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        check("401 without a token", bare.status_code == 401, str(bare.status_code))

    browser = Browser("alice")
    walks: list[Walk] = []
    redirect: dict[str, tuple[str, str | None]] = {}

    async def redirect_handler(url: str) -> None:
        walk = await browser.walk(url)
        walks.append(walk)
        if walk.code is None:
            raise RuntimeError(f"no code: {walk.client_redirect or walk.final_status}")
        redirect["result"] = (walk.code, walk.client_redirect.get("state"))

    async def callback_handler() -> tuple[str, str | None]:
        return redirect.pop("result")

    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=MCP_URL,
        client_metadata=OAuthClientMetadata(
            client_name="Python MCP SDK through Corp SSO", redirect_uris=[AnyUrl(REDIRECT_URI)],
            grant_types=["authorization_code", "refresh_token"], response_types=["code"],
            token_endpoint_auth_method="none"),
        storage=storage, redirect_handler=redirect_handler, callback_handler=callback_handler)
    try:
        async with streamablehttp_client(MCP_URL, auth=provider, timeout=15) as (read, write, _):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                check("initialize after signing in through the provider",
                      init.serverInfo.name == "latchkey-notes", init.serverInfo.name)
                check("registered a client (DCR)", storage.client_info is not None)
                expected = ["latchkey login", "provider login", "provider consent",
                            "latchkey consent"]
                check("walked Latchkey's button, the provider's login and consent, Latchkey's "
                      "consent", bool(walks) and walks[0].pages == expected,
                      str([w.pages for w in walks]))
                listed = await session.call_tool("list_notes", {})
                check("tools/call list_notes", not listed.isError, text_of(listed))
                tools = [tool.name for tool in (await session.list_tools()).tools]
                check("the notes server offers upstream_whoami (corp keeps its tokens)",
                      "upstream_whoami" in tools, str(tools))
                start = len(provider_log())
                whoami = await session.call_tool("upstream_whoami", {})
                check_whoami("demo upstream_whoami (VerifiedIdentity.upstreamToken())", whoami,
                             keys={"provider", "sub", "email"})
                check("demo upstream_whoami: the provider's userinfo accepted its own token",
                      "GET /o/userinfo/ HTTP/1.1\" 200" in provider_log()[start:],
                      "no successful GET /o/userinfo/ at the provider")

                # A refresh through the SDK: its access token counts as expired.
                before = storage.tokens
                provider.context.token_expiry_time = time.time() - 1
                listed = await session.call_tool("list_notes", {})
                after = storage.tokens
                check("refresh through the SDK: a new access token",
                      before is not None and after is not None
                      and after.access_token != before.access_token,
                      "the access token did not change")
                check("refresh rotates the refresh token",
                      before is not None and after is not None and bool(after.refresh_token)
                      and after.refresh_token != before.refresh_token, "same refresh token")
                check("tools/call with the refreshed token", not listed.isError,
                      text_of(listed))
    finally:
        await browser.close()
    client_id = storage.client_info.client_id if storage.client_info else ""
    sub = USERS["alice"]["sub"]
    signed_in = audit(type="login.succeeded", client=client_id)
    check("audit: login.succeeded names the provider and the upstream subject",
          any(e.get("detail") == f"provider {PROVIDER_ID}: signed in as subject {sub}"
              for e in signed_in), str([e.get("detail") for e in signed_in]))
    check("audit: the just-in-time user is alice's verified email",
          bool(audit(type="user.created", user="alice@corp.example")),
          "no user.created for alice@corp.example")
    check("audit: a code and a token were issued to the SDK client",
          bool(audit(type="code.issued", client=client_id))
          and bool(audit(type="token.issued", client=client_id)), client_id)
    check("audit: the refresh", bool(audit(type="token.refreshed", client=client_id)),
          "no token.refreshed")
    check("Latchkey authenticated to the provider with client_secret_basic",
          "token endpoint client auth: client_secret_basic" in provider_log(),
          "no client_secret_basic request in the provider's log")


async def provider_parameter_and_client_secret_post() -> None:
    """The second provider entry (`corp-post`, no allow rules, client_secret_post) picked by
    `provider=corp-post` on the authorization request: no Latchkey login page."""
    start = len(provider_log())
    client_id, state, walk = await walk_new_client("post", "alice",
                                                   extra={"provider": "corp-post"})
    check("provider=corp-post: straight to the provider, no Latchkey login page",
          walk.pages == ["provider login", "provider consent", "latchkey consent"], str(walk.pages))
    check("provider=corp-post: a code for the client",
          walk.code is not None and (walk.client_redirect or {}).get("state") == state,
          f"{walk.client_redirect} {walk.final_status}")
    check("corp-post: Latchkey authenticated with client_secret_post",
          "token endpoint client auth: client_secret_post client_id=latchkey-post"
          in provider_log()[start:], "no client_secret_post request from latchkey-post")
    sub = USERS["alice"]["sub"]
    signed_in = [e.get("detail") for e in audit(type="login.succeeded", client=client_id)]
    check("corp-post: audited with its own provider id",
          signed_in == [f"provider corp-post: signed in as subject {sub}"], str(signed_in))


async def refused_email_domain() -> None:
    client_id, _, walk = await walk_new_client("domain", "mallory")
    check("mallory@other.example: 403 Not allowed",
          walk.final_status == 403 and "Not allowed" in walk.final_text,
          f"{walk.final_status} {walk.pages}")
    events = audit(type="login.refused_by_provider_rule", client=client_id)
    check("mallory: audited as email domain not allowed",
          [e.get("detail") for e in events] == [f"provider {PROVIDER_ID}: email domain not allowed"],
          str([e.get("detail") for e in events]))
    check_nothing_issued("mallory", client_id)


async def refused_group_missing() -> None:
    """bob's id_token has no groups while a group rule needs them: Latchkey asks userinfo."""
    start = len(provider_log())
    client_id, _, walk = await walk_new_client("group", "bob")
    check("bob: Latchkey asked the provider's userinfo for the missing groups (POST)",
          "POST /o/userinfo/ HTTP/1.1\" 200" in provider_log()[start:], "no userinfo request")
    check("bob (no mcp-users group): 403 Not allowed",
          walk.final_status == 403 and "Not allowed" in walk.final_text,
          f"{walk.final_status} {walk.pages}")
    events = audit(type="login.refused_by_provider_rule", client=client_id)
    check("bob: audited as no allowed group",
          [e.get("detail") for e in events] == [f"provider {PROVIDER_ID}: no allowed group"],
          str([e.get("detail") for e in events]))
    check_nothing_issued("bob", client_id)


async def refused_upstream_access_denied() -> None:
    client_id, state, walk = await walk_new_client("deny", "alice", upstream_consent="deny")
    redirect = walk.client_redirect or {}
    check("Cancel at the provider's consent: the client gets error=access_denied",
          redirect.get("error") == "access_denied" and "code" not in redirect,
          f"{redirect or walk.final_status} {walk.pages}")
    check("access_denied carries the client's state and Latchkey's iss",
          redirect.get("state") == state and redirect.get("iss") == ISSUER, str(redirect))
    upstream = {k: v[0] for k, v in parse_qs(urlparse(walk.callback_url or "").query).items()}
    check("the provider itself answered Latchkey's callback with error=access_denied",
          upstream.get("error") == "access_denied" and "code" not in upstream, str(upstream))
    check("access_denied: nothing of the provider's answer (its state, its description) "
          "reaches the client",
          set(redirect) <= {"error", "error_description", "state", "iss"}
          and upstream.get("state") not in redirect.values()
          and (not upstream.get("error_description")
               or upstream["error_description"] != redirect.get("error_description")),
          f"{redirect} from {upstream}")
    events = audit(type="login.upstream_error", client=client_id)
    check("access_denied: audited as login.upstream_error",
          [e.get("detail") for e in events] == [f"provider {PROVIDER_ID}: provider answered access_denied"],
          str([e.get("detail") for e in events]))
    check_nothing_issued("access_denied", client_id)


async def refused_replayed_callback() -> None:
    """The provider's redirect to Latchkey's callback used twice: the first completes the
    sign-in (one code); the same URL again — with the same cookie, or from another browser —
    is a 400 page and no second code."""
    async with httpx.AsyncClient(timeout=10) as http:
        client_id = await register_client(http, "idp e2e: replay")
    browser = Browser("alice")
    try:
        walk = await browser.walk(authorization_url(client_id, "replay"))
    finally:
        await browser.close()
    check("replay: the first use of the callback gives a code",
          walk.code is not None and walk.callback_url is not None,
          f"{walk.client_redirect} {walk.final_status} {walk.pages}")
    if walk.callback_url is None:
        return
    async with httpx.AsyncClient(timeout=10, follow_redirects=False) as http:
        again = await http.get(walk.callback_url,
                               headers={"Cookie": f"{UPSTREAM_COOKIE}={walk.upstream_cookie}"})
        record_error_body(again.status_code, walk.callback_url, again.text)
        check("replay with the browser's cookie: 400 Already completed",
              again.status_code == 400 and "Already completed" in again.text,
              f"{again.status_code} {again.text[:200]}")
        elsewhere = await http.get(walk.callback_url)
        record_error_body(elsewhere.status_code, walk.callback_url, elsewhere.text)
        check("replay from another browser: 400 Sign-in not recognised",
              elsewhere.status_code == 400 and "Sign-in not recognised" in elsewhere.text,
              f"{elsewhere.status_code} {elsewhere.text[:200]}")
    codes = audit(type="code.issued", client=client_id)
    check("replay: exactly one code issued", len(codes) == 1, str(len(codes)))


async def refused_wrong_state() -> None:
    """The provider's redirect back with another `state` than this browser's cookie holds."""
    async with httpx.AsyncClient(timeout=10) as http:
        client_id = await register_client(http, "idp e2e: state")
    browser = Browser("alice")
    try:
        walk = await browser.walk(authorization_url(client_id, "state"), stop_at_callback=True)
        check("wrong state: the provider sent the browser back to the callback",
              walk.callback_url is not None, str(walk.pages))
        if walk.callback_url is None:
            return
        parts = urlparse(walk.callback_url)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query["state"] = secrets.token_urlsafe(32)
        forged = parts._replace(query=urlencode(query)).geturl()
        answer = await browser.http.get(forged)
        record_error_body(answer.status_code, forged, answer.text)
        check("wrong state: 400 Sign-in not recognised",
              answer.status_code == 400 and "Sign-in not recognised" in answer.text,
              f"{answer.status_code} {answer.text[:200]}")
    finally:
        await browser.close()
    events = audit(type="login.upstream_refused")
    check("wrong state: audited as state mismatch",
          any(e.get("detail") == f"provider {PROVIDER_ID}: state mismatch" for e in events),
          str([e.get("detail") for e in events]))
    check_nothing_issued("wrong state", client_id)


async def github_kind_through_the_same_server() -> None:
    """Latchkey's non-OIDC `github` kind against the same server in GitHub Enterprise Server's
    shape (e2e/idp/idp/github.py): plain OAuth 2.0 without `openid`, the user from
    `/api/v3/user`, `allowed_organizations: ["corp"]` from the membership endpoint. alice
    (organization corp) signs in; bob (no organization) is refused."""
    if not GITHUB_PROVIDER_ID:
        print("skip github kind: this Latchkey build has none", flush=True)
        return
    start = len(provider_log())
    client_id, state, walk = await walk_new_client(
        "github", "alice", extra={"provider": GITHUB_PROVIDER_ID})
    check("github kind: alice through the provider's login and consent to Latchkey's consent",
          walk.pages == ["provider login", "provider consent", "latchkey consent"],
          f"{walk.pages} {walk.final_status} {walk.final_text[:200]}")
    check("github kind: a code for the client",
          walk.code is not None and (walk.client_redirect or {}).get("state") == state,
          f"{walk.client_redirect} {walk.final_status}")
    log = provider_log()[start:]
    authorize = [line for line in log.splitlines() if "/login/oauth/authorize?" in line]
    check("github kind: GitHub's authorize path, without the openid scope",
          bool(authorize) and all("openid" not in line for line in authorize), str(authorize[:1]))
    check("github kind: Latchkey read /api/v3/user and the organization membership",
          "GET /api/v3/user HTTP" in log and "GET /api/v3/user/memberships/orgs/corp HTTP" in log,
          "missing API requests in the provider's log")
    check("github kind: no OpenID requests (no JWKS, no userinfo)",
          "jwks.json" not in log and "/o/userinfo/" not in log, "OpenID endpoints were used")
    sub = USERS["alice"]["sub"]
    signed_in = [e.get("detail") or "" for e in audit(type="login.succeeded", client=client_id)]
    check("github kind: audited with the provider id and the numeric user id",
          len(signed_in) == 1 and signed_in[0].startswith(f"provider {GITHUB_PROVIDER_ID}:")
          and sub in signed_in[0], str(signed_in))

    client_id, _, walk = await walk_new_client(
        "github bob", "bob", extra={"provider": GITHUB_PROVIDER_ID})
    check("github kind: bob (not in organization corp) gets 403 Not allowed",
          walk.final_status == 403 and "Not allowed" in walk.final_text,
          f"{walk.final_status} {walk.pages}")
    refused = audit(type="login.refused_by_provider_rule", client=client_id)
    check("github kind: bob's refusal audited", len(refused) == 1,
          str([e.get("detail") for e in refused]))
    check_nothing_issued("github kind, bob", client_id)


JWKS_REQUEST = "GET /o/.well-known/jwks.json"


def jwks_requests(log: str) -> list[float]:
    """When the provider answered JWKS requests (its access log lines start with the time)."""
    return [float(line.split(" ", 1)[0]) for line in log.splitlines() if JWKS_REQUEST in line]


async def sign_in_after_key_rotation() -> None:
    """Run by scripts/e2e-idp after `rotate_idp_provider_key`: the provider restarted with a new
    RSA key (the old one still published as inactive), so the next id_token names a `kid`
    Latchkey's cached JWKS (5 minutes) lacks: Latchkey must fetch the JWKS again and accept
    the sign-in. It refetches at most once per 30 s (ClientKeySets.refetchInterval), so the
    walk starts 31 s after Latchkey's last JWKS request at the provider."""
    with open(os.environ["IDP_LOG"], errors="replace") as log:
        before = log.read().rsplit("=== signing key rotated", 1)[0]
    fetched = jwks_requests(before)
    check("key rotation: Latchkey had fetched the old JWKS", bool(fetched), "no JWKS request")
    if fetched:
        wait = fetched[-1] + 31 - time.time()
        if wait > 0:
            print(f"     (waiting {wait:.0f} s: Latchkey refetches a JWKS at most every 30 s)",
                  flush=True)
            await asyncio.sleep(wait)
    client_id, state, walk = await walk_new_client("key rotation", "alice")
    check("key rotation: the sign-in through the provider still gives a code",
          walk.code is not None and (walk.client_redirect or {}).get("state") == state,
          f"{walk.client_redirect} {walk.final_status} {walk.pages}")
    refused = audit(type="login.upstream_refused", client=client_id)
    check("key rotation: no refused id_token", refused == [],
          str([e.get("detail") for e in refused]))
    with open(os.environ["IDP_LOG"], errors="replace") as log:
        after = log.read().rsplit("=== signing key rotated", 1)[-1]
    check("key rotation: Latchkey fetched the provider's JWKS again for the new kid",
          len(jwks_requests(after)) == 1, f"{len(jwks_requests(after))} JWKS requests")
    async with httpx.AsyncClient(timeout=10) as http:
        jwks = (await http.get(IDP_ISSUER + "/.well-known/jwks.json")).json()
    kids = [key.get("kid") for key in jwks.get("keys", [])]
    check("key rotation: the provider publishes the new and the old key", len(set(kids)) == 2,
          str(kids))


# The default run, in order; add new scenarios here (each prints its own checks).
SCENARIOS = [
    sdk_sign_in_through_provider,
    refused_email_domain,
    refused_group_missing,
    refused_upstream_access_denied,
    refused_replayed_callback,
    refused_wrong_state,
    provider_parameter_and_client_secret_post,
    github_kind_through_the_same_server,
    upstream_whoami_without_kept_token,
    upstream_token_through_proxy,
]
# Run by name (`test_idp_e2e.py NAME…`) after scripts/e2e-idp changed the provider.
BY_NAME = {f.__name__: f for f in SCENARIOS + [sign_in_after_key_rotation]}


def main() -> int:
    unknown = [name for name in sys.argv[1:] if name not in BY_NAME]
    if unknown:
        print(f"unknown scenarios: {unknown}; known: {sorted(BY_NAME)}", file=sys.stderr)
        return 2
    for scenario in [BY_NAME[name] for name in sys.argv[1:]] or SCENARIOS:
        started = time.monotonic()
        try:
            asyncio.run(asyncio.wait_for(scenario(), timeout=60))
        except BaseException as error:  # report, then go on with the next scenario
            check(f"{scenario.__name__} completed", False, f"{type(error).__name__}: {error}")
        print(f"     ({scenario.__name__}: {time.monotonic() - started:.1f} s)", flush=True)
    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
