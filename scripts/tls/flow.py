#!/usr/bin/env python3
"""The OAuth flow over https through nginx, as a browser and an MCP client would run it.

Standard library only. Called by scripts/tls-test; prints one line per check and
"N passed, M failed" last. The client connects from 127.0.0.2 (still loopback), so the audit
table shows whether Latchkey took the client address from nginx's X-Forwarded-For (127.0.0.2)
or from the socket (127.0.0.1, nginx itself).
"""
import argparse
import base64
import hashlib
import html.parser
import http.client
import json
import secrets
import sqlite3
import ssl
import sys
import urllib.parse

CLIENT_ADDRESS = "127.0.0.2"


class Form(html.parser.HTMLParser):
    """The first <form>: its action and every named input (the buttons' values are added later)."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self.password, self.done = None, [], False, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and self.action is None:
            self.action = a.get("action", "")
        elif tag == "input" and self.action is not None and a.get("name"):
            if a.get("type") == "password":
                self.password = True
            self.fields.append((a["name"], a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.action is not None:
            self.done = True


class Browser:
    def __init__(self, issuer, cafile):
        u = urllib.parse.urlsplit(issuer)
        self.host, self.port = u.hostname, u.port
        self.context = ssl.create_default_context(cafile=cafile)
        self.cookies = {}

    def request(self, method, target, form=None, headers=None):
        connection = http.client.HTTPSConnection(
            self.host, self.port, context=self.context, timeout=10,
            source_address=(CLIENT_ADDRESS, 0))
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in sorted(self.cookies.items()))
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        path = urllib.parse.urlsplit(target)
        path = (path.path or "/") + ("?" + path.query if path.query else "")
        connection.request(method, path, body=body, headers=h)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                k, _, v = pair.partition("=")
                if "max-age=0" in value.lower():
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name} {detail}")
        return ok


def main():
    p = argparse.ArgumentParser()
    for option in ("issuer", "cafile", "client-id", "resource", "username", "password",
                   "database", "app-port"):
        p.add_argument("--" + option, required=True)
    a = p.parse_args()
    t = Checks()
    browser = Browser(a.issuer, a.cafile)
    redirect_uri = "http://127.0.0.1/callback"
    try:
        run(a, t, browser, redirect_uri)
    except Exception as error:  # a broken step ends the run but still prints the tally
        t.check("flow ran to the end", False, f"{type(error).__name__}: {error}")
    print(f"{t.passed} passed, {t.failed} failed")
    return 0 if t.failed == 0 else 1


def run(a, t, browser, redirect_uri):
    # Discovery: the issuer comes from the configuration, whatever Host the request names.
    status, headers, body = browser.request(
        "GET", "/.well-known/oauth-authorization-server",
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    metadata = json.loads(body)
    t.check("discovery over https answers 200", status == 200, status)
    t.check("issuer is the configured https issuer", metadata.get("issuer") == a.issuer,
            metadata.get("issuer"))
    t.check("every endpoint is under the https issuer",
            all(metadata[k].startswith(a.issuer + "/") for k in
                ("authorization_endpoint", "token_endpoint", "jwks_uri")))
    t.check("nginx adds HSTS", "strict-transport-security" in headers)

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()) \
        .rstrip(b"=").decode()
    state = secrets.token_urlsafe(16)
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": a.client_id, "redirect_uri": redirect_uri,
        "code_challenge": challenge, "code_challenge_method": "S256", "state": state,
        "resource": a.resource, "scope": "notes:read"})
    status, headers, body = browser.request("GET", metadata["authorization_endpoint"] + "?" + query)
    t.check("authorize shows the login page", status == 200 and b"password" in body, status)

    location = None
    for _ in range(3):
        if status in (302, 303):
            location = headers.get("location")
            break
        form = Form()
        form.feed(body.decode())
        if form.password:
            fields = [(k, v) for k, v in form.fields if k not in ("username", "password")]
            fields += [("username", a.username), ("password", a.password)]
            step = "login form"
        else:
            fields = form.fields + [("decision", "approve")]
            step = "consent form"
        status, headers, body = browser.request("POST", form.action, form=fields)
        t.check(f"{step} accepted", status in (200, 302, 303), status)
    t.check("redirected back to the client", location is not None and
            location.startswith(redirect_uri), location)
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location or "").query))
    t.check("redirect carries state", params.get("state") == state)
    t.check("redirect carries iss = issuer", params.get("iss") == a.issuer, params.get("iss"))

    status, headers, body = browser.request("POST", metadata["token_endpoint"], form=[
        ("grant_type", "authorization_code"), ("code", params.get("code", "")),
        ("redirect_uri", redirect_uri), ("client_id", a.client_id),
        ("code_verifier", verifier), ("resource", a.resource)])
    tokens = json.loads(body)
    t.check("token endpoint issues tokens", status == 200 and "access_token" in tokens, status)
    claims = json.loads(base64.urlsafe_b64decode(
        tokens["access_token"].split(".")[1] + "=="))
    t.check("access token iss is the https issuer", claims.get("iss") == a.issuer)
    t.check("access token aud is the resource", claims.get("aud") in (a.resource, [a.resource]))

    status, headers, body = browser.request("POST", metadata["token_endpoint"], form=[
        ("grant_type", "refresh_token"), ("refresh_token", tokens.get("refresh_token", "")),
        ("client_id", a.client_id)])
    refreshed = json.loads(body)
    t.check("refresh rotates the refresh token", status == 200 and
            refreshed.get("refresh_token") not in (None, tokens.get("refresh_token")), status)

    with sqlite3.connect(a.database) as db:
        rows = db.execute(
            "SELECT type, source_address FROM audit_events WHERE type IN "
            "('login.succeeded', 'token.issued', 'token.refreshed')").fetchall()
    types = {row[0] for row in rows}
    t.check("audit has login, issue and refresh events",
            types == {"login.succeeded", "token.issued", "token.refreshed"}, types)
    t.check("audit records the forwarded client address (127.0.0.2), not nginx's",
            rows and all(row[1] == CLIENT_ADDRESS for row in rows), rows)

    # Straight to Latchkey from an untrusted peer: a forged X-Forwarded-For is ignored and the
    # registration is audited with the real peer address.
    direct = http.client.HTTPConnection("127.0.0.1", int(a.app_port), timeout=10,
                                        source_address=("127.0.0.3", 0))
    direct.request("POST", "/register", body=json.dumps({
        "client_name": "direct", "redirect_uris": ["http://127.0.0.1/cb"],
        "token_endpoint_auth_method": "none"}), headers={
            "Content-Type": "application/json", "X-Forwarded-For": "203.0.113.9"})
    registered = direct.getresponse()
    registered.read()
    direct.close()
    t.check("direct registration answered 201", registered.status == 201, registered.status)
    with sqlite3.connect(a.database) as db:
        sources = {row[0] for row in db.execute(
            "SELECT source_address FROM audit_events WHERE type LIKE 'client.%'")}
    t.check("X-Forwarded-For from an untrusted peer is not believed",
            "127.0.0.3" in sources and "203.0.113.9" not in sources, sources)

if __name__ == "__main__":
    sys.exit(main())
