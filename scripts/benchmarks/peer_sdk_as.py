"""Peer for scripts/bench: the MCP Python SDK's own authorization-server pieces
(`mcp.server.auth.routes.create_auth_routes`: discovery, registration, token, revocation) with an
in-memory `OAuthAuthorizationServerProvider`, served by uvicorn in one process.

The provider keeps codes and tokens in dicts, as the SDK's examples do; access and refresh
tokens are opaque random strings. Codes and refresh tokens for the benchmark are seeded through
the provider (`POST /bench/seed?kind=codes|refresh&n=N`, answered with one `code verifier` or
`refresh_token` line each), writing the same objects `authorize` and the code exchange would.

usage: peer_sdk_as.py PORT
"""
import base64
import hashlib
import secrets
import sys
import time

import uvicorn
from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    RefreshToken,
    TokenError,
)
from mcp.server.auth.routes import create_auth_routes
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken
from pydantic import AnyUrl
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

CLIENT_ID = "bench-client"
REDIRECT_URI = "http://127.0.0.1:9/callback"
SCOPES = ["notes:read", "notes:write"]


class InMemoryProvider:
    def __init__(self):
        self.clients = {}
        self.codes = {}
        self.refresh_tokens = {}
        self.access_tokens = {}

    async def get_client(self, client_id):
        return self.clients.get(client_id)

    async def register_client(self, client_info):
        self.clients[client_info.client_id] = client_info

    async def authorize(self, client, params: AuthorizationParams):
        code = secrets.token_urlsafe(32)
        self.codes[code] = AuthorizationCode(
            code=code, scopes=params.scopes or SCOPES, expires_at=time.time() + 60,
            client_id=client.client_id, code_challenge=params.code_challenge,
            redirect_uri=params.redirect_uri,
            redirect_uri_provided_explicitly=params.redirect_uri_provided_explicitly,
            resource=params.resource)
        return f"{params.redirect_uri}?code={code}&state={params.state or ''}"

    async def load_authorization_code(self, client, authorization_code):
        return self.codes.get(authorization_code)

    def _issue(self, client_id, scopes, resource):
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32)
        now = int(time.time())
        self.access_tokens[access] = AccessToken(
            token=access, client_id=client_id, scopes=scopes, expires_at=now + 3600,
            resource=resource)
        self.refresh_tokens[refresh] = RefreshToken(
            token=refresh, client_id=client_id, scopes=scopes, expires_at=now + 30 * 86400)
        return OAuthToken(
            access_token=access, token_type="Bearer", expires_in=3600, scope=" ".join(scopes),
            refresh_token=refresh)

    async def exchange_authorization_code(self, client, authorization_code):
        if self.codes.pop(authorization_code.code, None) is None:
            raise TokenError("invalid_grant", "code already used")
        return self._issue(client.client_id, authorization_code.scopes, authorization_code.resource)

    async def load_refresh_token(self, client, refresh_token):
        return self.refresh_tokens.get(refresh_token)

    async def exchange_refresh_token(self, client, refresh_token, scopes):
        if self.refresh_tokens.pop(refresh_token.token, None) is None:
            raise TokenError("invalid_grant", "refresh token already used")
        return self._issue(client.client_id, scopes or refresh_token.scopes, None)

    async def load_access_token(self, token):
        return self.access_tokens.get(token)

    async def revoke_token(self, token):
        self.access_tokens.pop(token.token, None)
        self.refresh_tokens.pop(getattr(token, "token", None), None)


provider = InMemoryProvider()


def challenge(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


async def seed(request):
    kind = request.query_params.get("kind", "codes")
    count = int(request.query_params.get("n", "1000"))
    resource = request.query_params.get("resource")
    lines = []
    for _ in range(count):
        if kind == "refresh":
            token = secrets.token_urlsafe(32)
            provider.refresh_tokens[token] = RefreshToken(
                token=token, client_id=CLIENT_ID, scopes=SCOPES,
                expires_at=int(time.time()) + 30 * 86400)
            lines.append(token)
        else:
            code, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            provider.codes[code] = AuthorizationCode(
                code=code, scopes=SCOPES, expires_at=time.time() + 3600, client_id=CLIENT_ID,
                code_challenge=challenge(verifier), redirect_uri=AnyUrl(REDIRECT_URI),
                redirect_uri_provided_explicitly=True, resource=resource)
            lines.append(f"{code} {verifier}")
    return PlainTextResponse("\n".join(lines) + "\n")


def main():
    port = int(sys.argv[1])
    issuer = f"http://127.0.0.1:{port}"
    provider.clients[CLIENT_ID] = OAuthClientInformationFull(
        client_id=CLIENT_ID, client_id_issued_at=int(time.time()), redirect_uris=[REDIRECT_URI],
        grant_types=["authorization_code", "refresh_token"], response_types=["code"],
        token_endpoint_auth_method="none", scope=" ".join(SCOPES))
    routes = create_auth_routes(
        provider, issuer_url=AnyUrl(issuer),
        client_registration_options=ClientRegistrationOptions(
            enabled=True, valid_scopes=SCOPES, default_scopes=["notes:read"]),
        revocation_options=RevocationOptions(enabled=True))
    routes.append(Route("/bench/seed", seed, methods=["POST"]))
    routes.append(Route("/healthz", lambda request: PlainTextResponse("ok")))
    app = Starlette(routes=routes)
    # `plain` as the second argument: uvicorn's pure-Python event loop and HTTP parser
    # (asyncio + h11), what `pip install mcp` runs without uvicorn's optional speedups.
    plain = len(sys.argv) > 2 and sys.argv[2] == "plain"
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                loop="asyncio" if plain else "auto", http="h11" if plain else "auto")


if __name__ == "__main__":
    main()
